import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installMocks, settle, unwrap } from "../helpers/pulumi";
import { migratedRepo } from "../7-program/migrated";
import { installStandIn } from "./stand-in";
import { runCli } from "../helpers/manifests";

// GIVEN the mock runtime before the program is imported (DKIM keys come from the mocked @pulumi/tls).
installMocks("lodz-prod.css");
const CHECKZONE = "/usr/bin/named-checkzone";
const UNITS = ["css", "mpu", "zzm"];

describe("muni dns: one zone snippet per unit from the unit stacks' mailDns outputs", () => {
  let dir: string;
  let root: string;
  /** Per unit stack, what `pulumi stack output --json --show-secrets` prints: every output of the stack. */
  const outputs: Record<string, Record<string, unknown>> = {};
  const files: string[] = [];
  let mailDns: Record<string, Array<{ name: string; type: string; ttl: number; value: string }>> = {};
  beforeAll(async () => {
    root = migratedRepo();
    const { defineProgram } = await import("../../infra/7-program/programs");
    dir = mkdtempSync(join(tmpdir(), `muni-dns-${process.pid}-`));
    for (const u of UNITS) {
      const o = defineProgram({ root, stack: `lodz-prod.${u}` }) as unknown as Record<string, unknown>;
      outputs[u] = (await unwrap(o)) as Record<string, unknown>;
      mailDns = { ...mailDns, ...(outputs[u]!.mailDns as typeof mailDns) };
      const f = join(dir, `lodz-prod.${u}.json`);
      writeFileSync(f, JSON.stringify(outputs[u]));
      files.push(f);
    }
    await settle();
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("GIVEN each unit stack's outputs WHEN muni dns --out runs THEN each unit gets <id>.zone with its MX, SPF, DKIM and DMARC", async () => {
    // WHEN
    const out = join(dir, "zones");
    const run = await runCli(["dns", "--outputs", ...files, "--out", out]);
    // THEN
    expect(run).toStrictEqual({
      code: 0,
      out: [`wrote 3 zone snippets to ${out}: css.zone, mpu.zone, zzm.zone`],
      err: [],
    });
    expect(readdirSync(out).sort()).toStrictEqual(["css.zone", "mpu.zone", "zzm.zone"]);
    const mpu = readFileSync(join(out, "mpu.zone"), "utf8");
    const dkim = mailDns.mpu!.find((r) => r.name.includes("_domainkey"))!.value;
    expect(dkim).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$/);
    expect(mpu.split("\n").filter((l) => !l.startsWith("; ") && l)).toStrictEqual([
      "mpu.lodz.pl.\t3600\tIN\tMX\t10 mail.lodz.pl.",
      'mpu.lodz.pl.\t3600\tIN\tTXT\t"v=spf1 mx -all"',
      `muni._domainkey.mpu.lodz.pl.\t3600\tIN\tTXT\t( ${chunks(dkim)
        .map((c) => `"${c}"`)
        .join(" ")} )`,
      expect.stringMatching(/^_dmarc\.mpu\.lodz\.pl\.\t3600\tIN\tTXT\t"v=DMARC1; p=\w+; adkim=s; aspf=s/),
    ]);
  });

  it("GIVEN each written snippet WHEN loaded into BIND's named-checkzone inside a zone THEN the zone is valid and the DKIM TXT joins back to the key", () => {
    expect(existsSync(CHECKZONE) || "named-checkzone is missing: run .ci/install-system-packages").toBe(true);
    for (const id of ["css", "mpu", "zzm"]) {
      const domain = `${id}.lodz.pl`;
      const zone = join(dir, `${id}.db`);
      const header = `$ORIGIN ${domain}.\n$TTL 3600\n@ IN SOA ns1.lodz.pl. hostmaster.lodz.pl. 1 3600 600 604800 300\n@ IN NS ns1.lodz.pl.\n`;
      writeFileSync(zone, header + readFileSync(join(dir, "zones", `${id}.zone`), "utf8"));
      const check = spawnSync(CHECKZONE, ["-i", "none", domain, zone], { encoding: "utf8" });
      expect({ status: check.status, out: check.stdout.trim() }).toStrictEqual({
        status: 0,
        out: expect.stringMatching(/loaded serial 1\nOK$/),
      });
      // The zone as BIND reads it: the DKIM record's strings concatenate to the published key.
      const dumped = execFileSync("/usr/bin/named-compilezone", ["-i", "none", "-o", "-", domain, zone], {
        encoding: "utf8",
      });
      const dkimLine = dumped.split("\n").find((l) => l.startsWith(`muni._domainkey.${domain}.`))!;
      const joined = [...dkimLine.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join("");
      expect(joined).toBe(mailDns[id]!.find((r) => r.name.includes("_domainkey"))!.value);
    }
  });

  it("GIVEN --stack lodz-prod THEN it reads every unit stack's outputs through the Automation API (stand-in pulumi on PATH) and writes the same zones", async () => {
    const standIn = installStandIn();
    try {
      writeFileSync(join(root, ".pulumi.version"), "3.270.0\n");
      standIn.setStacks(
        Object.fromEntries(UNITS.map((u) => [`lodz-prod.${u}`, { secretsProvider: "x", resources: [] }])),
      );
      standIn.setScenario(Object.fromEntries(UNITS.map((u) => [`lodz-prod.${u}`, { outputs: outputs[u] }])));
      const out = join(dir, "zones-from-stacks");
      const run = await runCli(["dns", "--stack", "lodz-prod", "--out", out, "--root", root]);
      expect(run).toStrictEqual({
        code: 0,
        out: [`wrote 3 zone snippets to ${out}: css.zone, mpu.zone, zzm.zone`],
        err: [],
      });
      for (const u of UNITS)
        expect(readFileSync(join(out, `${u}.zone`), "utf8")).toBe(
          readFileSync(join(dir, "zones", `${u}.zone`), "utf8"),
        );
      expect(
        standIn
          .calls()
          .filter((c) => c.argv.includes("lodz-prod.css"))
          .map((c) => c.argv.join(" ")),
      ).toStrictEqual([
        "stack select --stack lodz-prod.css --non-interactive",
        "stack output --json --stack lodz-prod.css --non-interactive",
        "stack output --json --show-secrets --stack lodz-prod.css --non-interactive",
      ]);
      // A unit stack that was never deployed: input muni dns cannot use, exit 1, nothing written.
      standIn.setStacks({ "lodz-prod.css": { secretsProvider: "x", resources: [] } });
      const missing = await runCli([
        "dns",
        "--stack",
        "lodz-prod",
        "--out",
        join(dir, "none"),
        "--root",
        root,
      ]);
      expect(missing.code).toBe(1);
      expect(missing.err).toStrictEqual([
        "muni dns: stack lodz-prod.mpu: error: no stack named 'lodz-prod.mpu' found",
        "muni dns: stack lodz-prod.zzm: error: no stack named 'lodz-prod.zzm' found",
        "muni dns: 2 input(s) it cannot use; nothing was written",
      ]);
      expect(existsSync(join(dir, "none"))).toBe(false);
    } finally {
      standIn.restore();
    }
  });

  it("GIVEN input it cannot use WHEN muni dns runs THEN a message naming the input and exit 1; an unreadable file exit 2", async () => {
    const bad = (name: string, text: string) => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    const cases: Array<[string, string, string]> = [
      ["not-json.json", "mailDns: [", "is not JSON ("],
      ["empty.json", "{}", "holds no mailDns output: pass pulumi stack output --json --show-secrets"],
      ["list.json", "[1, 2]", "holds no mailDns output"],
      [
        "secret.json",
        JSON.stringify({ mailDns: "[secret]" }),
        ": mailDns is [secret]: pass pulumi stack output --json --show-secrets",
      ],
      ["unit-secret.json", JSON.stringify({ mailDns: { css: "[secret]" } }), ": mailDns.css is [secret]"],
      [
        "no-records.json",
        JSON.stringify({ mailDns: { css: [] } }),
        ": mailDns.css is not a list of {name, type, ttl, value} records",
      ],
      [
        "bad-record.json",
        JSON.stringify({
          mailDns: { css: [{ name: "css.lodz.pl.", type: "A", ttl: 3600, value: "1.2.3.4" }] },
        }),
        ": mailDns.css is not a list of {name, type, ttl, value} records",
      ],
    ];
    for (const [name, text, message] of cases) {
      const r = await runCli(["dns", "--outputs", bad(name, text), "--out", join(dir, "never")]);
      expect({ name, code: r.code, first: r.err[0]!.includes(message), out: r.out }).toStrictEqual({
        name,
        code: 1,
        first: true,
        out: [],
      });
    }
    // The same unit in two inputs with different records (two stacks claiming it).
    const other = bad(
      "other.json",
      JSON.stringify({ mailDns: { css: [{ name: "x.", type: "MX", ttl: 60, value: "10 y." }] } }),
    );
    const twice = await runCli(["dns", "--outputs", files[0]!, other]);
    expect([twice.code, twice.err[0]]).toStrictEqual([
      1,
      `muni dns: ${other}: mailDns.css differs from ${files[0]}'s: give each stack's outputs once (a unit lives in one stack)`,
    ]);
    expect(existsSync(join(dir, "never"))).toBe(false);
    expect(await runCli(["dns", "--outputs", join(dir, "missing.json")])).toStrictEqual({
      code: 2,
      out: [],
      err: [`muni: cannot read --outputs ${join(dir, "missing.json")}: ENOENT`],
    });
    expect((await runCli(["dns"])).code).toBe(2);
  });

  it("GIVEN a unit stack without mail (mailDns {}) THEN nothing to publish, said plainly, exit 0", async () => {
    const f = join(dir, "no-mail.json");
    writeFileSync(f, JSON.stringify({ unit: "x", mailDns: {}, namespaces: { x: "unit-x" } }));
    expect(await runCli(["dns", "--outputs", f])).toStrictEqual({
      code: 0,
      out: [],
      err: [`muni dns: no unit in ${f} is enrolled in mail: no records to publish`],
    });
  });
});

function chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 255) out.push(s.slice(i, i + 255));
  return out;
}
