import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runNewUnit } from "../../infra/6-cli/new-unit";
import type { CliIO } from "../../infra/6-cli/io";
import { loadProject } from "../../infra/3-rules/project";
import { runCli } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";

const FLAGS = [
  "--id",
  "mops",
  "--name",
  "Miejski Ośrodek Pomocy Społecznej w Łodzi",
  "--street",
  "ul. Próchnika 7",
  "--postal-code",
  "90-408",
  "--admin",
  "group:mops-administratorzy",
  "--ops-lead",
  "user:jan.kowalski@mops.lodz.pl",
];

describe("muni new-unit", () => {
  it("GIVEN every required flag and services WHEN run THEN it writes a valid manifest with the schema modeline", async () => {
    // GIVEN
    const root = copyOfRepo();
    // WHEN
    const r = await runCli([
      "new-unit",
      "--root",
      root,
      ...FLAGS,
      "--services",
      "finance,internet,mail,web,servers,print",
      "--print-location",
      "parter, pok. 1",
      "--print-uri",
      "ipps://drukarka.mops.lodz.pl/ipp/print",
    ]);
    // THEN
    expect(r.err).toStrictEqual([]);
    expect(r.code).toBe(0);
    const file = join(root, "units", "mops.yaml");
    const text = readFileSync(file, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../schemas/unit.schema.json");
    expect(parse(text)).toStrictEqual({
      id: "mops",
      name: "Miejski Ośrodek Pomocy Społecznej w Łodzi",
      shortName: "MOPS",
      address: { street: "ul. Próchnika 7", postalCode: "90-408", city: "Łódź" },
      costCentre: "MPK-MOPS-01",
      roles: {
        localAdministrators: [{ kind: "group", name: "mops-administratorzy" }],
        operationsLeads: [{ kind: "user", name: "jan.kowalski@mops.lodz.pl" }],
      },
      lifecycle: { state: "planned", wave: 1 },
      services: {
        finance: {
          modules: [
            "budgetReporting",
            "budgetPlanning",
            "generalLedger",
            "settlements",
            "contractsRegister",
            "invoicing",
            "assetRegister",
          ],
          users: 5,
        },
        internet: { bandwidthMbps: 100 },
        mail: { domain: "mops.lodz.pl", mailboxLimit: 50, mailboxes: [], aliases: [] },
        servers: { quota: { cpu: "2", memory: "8Gi", storage: "100Gi", pods: 20, volumes: 10 }, vms: [] },
        print: {
          queues: [
            {
              name: "sekretariat",
              location: "parter, pok. 1",
              deviceUri: "ipps://drukarka.mops.lodz.pl/ipp/print",
            },
          ],
          defaultQueue: "sekretariat",
        },
        web: { sites: [{ hostname: "mops.lodz.pl", kind: "www" }] },
      },
    });
    expect(r.out).toStrictEqual([
      `wrote ${file}: unit mops (planned, wave 1, services finance, internet, mail, servers, print, web)`,
      `stack lodz-prod selects units by id: add mops to units.ids in ${join(root, "stacks", "Pulumi.lodz-prod.yaml")}`,
      `next: review ${file}, then npx muni plan --base origin/main`,
    ]);
    // AND the whole project still validates with it (staging takes every unit)
    expect(loadProject(root, "lodz-staging").diagnostics).toStrictEqual([]);
  });

  it("GIVEN the id of an existing unit WHEN run THEN it refuses to overwrite (exit 2)", async () => {
    const root = copyOfRepo();
    const before = readFileSync(join(root, "units", "mpu.yaml"), "utf8");
    const r = await runCli(["new-unit", "--root", root, ...FLAGS.map((f) => (f === "mops" ? "mpu" : f))]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        `muni: ${join(root, "units", "mpu.yaml")} exists: new-unit never overwrites a manifest (edit it, or choose another id)`,
      ],
    });
    expect(readFileSync(join(root, "units", "mpu.yaml"), "utf8")).toBe(before);
  });

  it("GIVEN a mail domain another unit holds WHEN run THEN the located clash is printed and nothing written (exit 1)", async () => {
    const root = copyOfRepo();
    const r = await runCli([
      "new-unit",
      "--root",
      root,
      ...FLAGS,
      "--services",
      "mail",
      "--mail-domain",
      "mpu.lodz.pl",
    ]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(
      new RegExp(
        `^${join(root, "units", "mops.yaml").replace(/[.]/g, "\\.")}:\\d+:\\d+: services\\.mail\\.domain: .*mpu\\.lodz\\.pl`,
      ),
    );
    expect(r.err.at(-1)).toMatch(
      /^muni new-unit: the manifest would be invalid \(\d+ problem\(s\)\); nothing written$/,
    );
    expect(existsSync(join(root, "units", "mops.yaml"))).toBe(false);
  });

  it("GIVEN a bad postal code WHEN run THEN the schema's located error is printed (exit 1)", async () => {
    const root = copyOfRepo();
    const r = await runCli(["new-unit", "--root", root, ...FLAGS.map((f) => (f === "90-408" ? "90408" : f))]);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/mops\.yaml:\d+:\d+: address\.postalCode: /);
  });

  it("GIVEN missing required flags and no terminal WHEN run THEN a usage error names them (exit 2)", async () => {
    const root = copyOfRepo();
    const r = await runCli(["new-unit", "--root", root, "--id", "mops"]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        "muni: new-unit needs --name, --street, --postal-code, --admin, --ops-lead (or run it in a terminal to be asked)",
      ],
    });
  });

  it.each([
    [
      ["--services", "mail,email"],
      'muni: --services: unknown service "email" (choose from finance, internet, antivirus, networkProtection, mail, servers, print, web)',
    ],
    [
      ["--services", "print"],
      "muni: service print needs --print-location and --print-uri (and optionally --print-queue, default sekretariat)",
    ],
    [["--state", "decommissioned"], "muni: --state decommissioned: a new unit starts planned or active"],
  ])("GIVEN bad flags %j WHEN run THEN exit 2", async (extra, message) => {
    const r = await runCli(["new-unit", "--root", copyOfRepo(), ...FLAGS, ...extra]);
    expect({ code: r.code, err: r.err }).toStrictEqual({ code: 2, err: [message] });
  });

  it("GIVEN a terminal WHEN flags are missing THEN it asks for each, offering defaults, and writes the manifest", async () => {
    // GIVEN scripted answers to the prompts (an empty answer takes the default)
    const root = copyOfRepo();
    const answers: Record<string, string> = {
      "Unit id (DNS label, e.g. mops; becomes the namespace, never changes)": "mops",
      "Official name": "Miejski Ośrodek Pomocy Społecznej w Łodzi",
      "Street and number": "ul. Próchnika 7",
      "Postal code (NN-NNN)": "90-408",
    };
    const asked: Array<[string, string | undefined]> = [];
    const prompt = async (q: string, def?: string) => {
      asked.push([q, def]);
      return answers[q] ?? "";
    };
    const out: string[] = [];
    const io: CliIO = { out: (t) => out.push(t), err: (t) => out.push(`ERR ${t}`), color: false };
    // WHEN
    const code = await runNewUnit(io, { root }, prompt);
    // THEN
    expect(code).toBe(0);
    expect(asked.map(([q, d]) => d ?? q)).toStrictEqual([
      "Unit id (DNS label, e.g. mops; becomes the namespace, never changes)",
      "Official name",
      "MOPS",
      "Street and number",
      "Postal code (NN-NNN)",
      "Łódź",
      "MPK-MOPS-01",
      "group:mops-administratorzy",
      "group:mops-koordynatorzy-it",
      "",
    ]);
    const unit = parse(readFileSync(join(root, "units", "mops.yaml"), "utf8"));
    expect(unit.roles).toStrictEqual({
      localAdministrators: [{ kind: "group", name: "mops-administratorzy" }],
      operationsLeads: [{ kind: "group", name: "mops-koordynatorzy-it" }],
    });
    expect(unit.services).toStrictEqual({});
  });

  it("GIVEN a scaffolded unit added to lodz-prod WHEN planned against HEAD THEN the plan shows it (planned units provision nothing)", async () => {
    const root = copyOfRepo();
    expect(
      (await runCli(["new-unit", "--root", root, ...FLAGS, "--state", "active", "--services", "internet"]))
        .code,
    ).toBe(0);
    const stackFile = join(root, "stacks", "Pulumi.lodz-prod.yaml");
    writeFileSync(stackFile, readFileSync(stackFile, "utf8").replace("ids: [", "ids: [mops, "));
    const r = await runCli(["plan", "--root", root, "--out", join(root, "o")]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `mops: Miejski Ośrodek Pomocy Społecznej w Łodzi (${join(root, "units", "mops.yaml")})`,
    );
  });
});
