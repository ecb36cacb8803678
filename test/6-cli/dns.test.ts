import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { installMocks, settle, unwrap } from "../helpers/pulumi";
import { runCli } from "../helpers/manifests";

// GIVEN the mock runtime before the program is imported (DKIM keys come from the mocked @pulumi/tls).
installMocks("lodz-prod");
const ROOT = join(__dirname, "..", "..");
const settings = (
  parse(readFileSync(join(ROOT, "stacks", "Pulumi.lodz-prod.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  }
).config["muni:settings"];
const CHECKZONE = "/usr/bin/named-checkzone";

describe("muni dns: one zone snippet per unit from the stack's mailDns output", () => {
  let dir: string;
  let outputsFile: string;
  let mailDns: Record<string, Array<{ name: string; type: string; ttl: number; value: string }>>;
  beforeAll(async () => {
    const { defineStack } = await import("../../infra/7-program/stack");
    const outputs = defineStack({ root: ROOT, stack: "lodz-prod", settings });
    mailDns = (await unwrap(outputs.mailDns)) as unknown as typeof mailDns;
    await settle();
    dir = mkdtempSync(join(tmpdir(), "muni-dns-"));
    outputsFile = join(dir, "outputs.json");
    // What `pulumi stack output --json` prints: every output of the stack.
    writeFileSync(outputsFile, JSON.stringify({ mailDns, bipRegistry: [], namespaces: {} }));
  });

  it("GIVEN the outputs WHEN muni dns --out runs THEN each unit gets <id>.zone with its MX, SPF, DKIM and DMARC", async () => {
    // WHEN
    const out = join(dir, "zones");
    const run = await runCli(["dns", "--outputs", outputsFile, "--out", out]);
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

  it("GIVEN bad --outputs WHEN muni dns runs THEN a clear message and exit 2", async () => {
    const notJson = join(dir, "bad.json");
    writeFileSync(notJson, "mailDns: [");
    const noDns = join(dir, "none.json");
    writeFileSync(noDns, JSON.stringify([1, 2]));
    expect(await runCli(["dns", "--outputs", join(dir, "missing.json")])).toStrictEqual({
      code: 2,
      out: [],
      err: [`muni: cannot read --outputs ${join(dir, "missing.json")}: ENOENT`],
    });
    const a = await runCli(["dns", "--outputs", notJson]);
    expect([a.code, a.err[0]]).toStrictEqual([
      2,
      expect.stringMatching(
        /^muni: .*bad\.json is not JSON \(.*\): pass the output of pulumi stack output --json$/,
      ),
    ]);
    expect(await runCli(["dns", "--outputs", noDns])).toStrictEqual({
      code: 2,
      out: [],
      err: [
        `muni: ${noDns} holds no mailDns output: pass pulumi stack output --json (or mailDns --json) of a muni stack`,
      ],
    });
  });
});

function chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 255) out.push(s.slice(i, i + 255));
  return out;
}
