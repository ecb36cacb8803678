import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadProject } from "../../infra/3-rules/project";
import type { CliIO } from "../../infra/6-cli/io";
import { QUESTIONS, runNewUnit } from "../../infra/6-cli/new-unit";
import { Interrupted } from "../../infra/6-cli/prompter";
import { runCli } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";

/** A copy of the repository with its CODEOWNERS. */
function repo(): string {
  const root = copyOfRepo();
  require("node:fs").copyFileSync(join(__dirname, "..", "..", "CODEOWNERS"), join(root, "CODEOWNERS"));
  return root;
}

const REQUIRED = [
  "--id",
  "mops",
  "--name",
  "Miejski Ośrodek Pomocy Społecznej w Łodzi",
  "--street",
  "ul. Próchnika 7",
  "--postal-code",
  "90-408",
  "--cost-centre",
  "MPK-MOPS-01",
  "--admin",
  "group:mops-administratorzy",
  "--ops-lead",
  "user:jan.kowalski@mops.lodz.pl",
  "--wave",
  "1",
];

/** REQUIRED with `extra`: a flag given there replaces REQUIRED's value, the others are added. */
function withFlags(extra: string[]): string[] {
  const out = [...REQUIRED];
  for (let i = 0; i < extra.length; i += 2) {
    const at = out.indexOf(extra[i]!);
    if (at >= 0) out[at + 1] = extra[i + 1]!;
    else out.push(extra[i]!, extra[i + 1]!);
  }
  return out;
}

const rel = (root: string, lines: string[]) => lines.map((l) => l.split(`${root}/`).join(""));
const codeowners = (root: string) => readFileSync(join(root, "CODEOWNERS"), "utf8");

describe("muni new-unit from flags (no terminal)", () => {
  it("GIVEN every service with its quantities as flags WHEN run THEN the manifest holds exactly the answers, CODEOWNERS gains the unit's line, and the next steps name the stacks", async () => {
    // GIVEN
    const root = repo();
    const before = codeowners(root);
    // WHEN
    const r = await runCli([
      "new-unit",
      "--root",
      root,
      ...REQUIRED,
      "--services",
      "finance,internet,antivirus,networkProtection,mail,servers,print,web",
      "--finance-modules",
      "budgetReporting,generalLedger",
      "--finance-users",
      "12",
      "--bandwidth",
      "200",
      "--antivirus-seats",
      "80",
      "--mail-domain",
      "mops.lodz.pl",
      "--mailbox-limit",
      "40",
      "--mailbox",
      "sekretariat; Sekretariat",
      "--mailbox",
      "jan.kowalski; Jan Kowalski; 5Gi",
      "--quota-cpu",
      "4",
      "--quota-memory",
      "16Gi",
      "--quota-storage",
      "500Gi",
      "--vm",
      "ewidencja; 2; 4Gi; 50Gi; debian-12",
      "--print-queue",
      "sekretariat; parter, pok. 1; ipps://drukarka.mops.lodz.pl/ipp/print",
      "--bip-site",
      "bip.mops.lodz.pl",
      "--bip-title",
      "Biuletyn Informacji Publicznej MOPS",
      "--site",
      "mops.lodz.pl",
    ]);
    // THEN
    expect(r.err).toStrictEqual([]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(root, "units", "mops.yaml"), "utf8");
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
      lifecycle: { state: "active", wave: 1 },
      services: {
        finance: { modules: ["budgetReporting", "generalLedger"], users: 12 },
        internet: { bandwidthMbps: 200 },
        antivirus: { seats: 80, policy: "standard" },
        networkProtection: { profile: "standard" },
        mail: {
          domain: "mops.lodz.pl",
          mailboxLimit: 40,
          defaultQuota: "2Gi",
          mailboxes: [
            { localPart: "sekretariat", displayName: "Sekretariat" },
            { localPart: "jan.kowalski", displayName: "Jan Kowalski", quota: "5Gi" },
          ],
        },
        servers: {
          quota: { cpu: "4", memory: "16Gi", storage: "500Gi" },
          vms: [{ name: "ewidencja", cpu: 2, memory: "4Gi", disk: "50Gi", image: "debian-12" }],
        },
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
        web: {
          sites: [
            { hostname: "bip.mops.lodz.pl", kind: "bip", title: "Biuletyn Informacji Publicznej MOPS" },
            { hostname: "mops.lodz.pl", kind: "www" },
          ],
        },
      },
    });
    // AND CODEOWNERS has the unit's line in the file's style, between css and mpu
    expect(codeowners(root)).toBe(
      before.replace(
        "/units/mpu.yaml",
        "/units/mops.yaml        @uml-lodz/mops-administratorzy @uml-lodz/administratorzy-techniczni\n/units/mpu.yaml",
      ),
    );
    // AND the output says what happens next
    expect(rel(root, r.out)).toStrictEqual([
      "wrote units/mops.yaml: unit mops (active, wave 1; services finance, internet, antivirus, networkProtection, mail, servers, print, web)",
      "added to CODEOWNERS: /units/mops.yaml        @uml-lodz/mops-administratorzy @uml-lodz/administratorzy-techniczni",
      "",
      "Stacks:",
      "  lodz-prod takes mops (its wave 1 is in units.waves [1]) and provisions it once the change is deployed",
      "  lodz-staging takes mops (it takes every unit of units) and provisions it once the change is deployed",
      "",
      "Next:",
      "  1. Review units/mops.yaml, then check it against every stack: npx muni validate",
      "  2. Record it in the stacks' ledgers: npx muni ledger --write",
      "  3. On a branch, commit units/mops.yaml, CODEOWNERS and stacks/*.units.yaml, push, and open a pull request.",
      "     CI validates it, checks the ledgers and comments each stack's plan: what the unit adds there, or why",
      "     the stack does not take it. The owners named in CODEOWNERS review it.",
      "  4. Once it is merged, an engineer deploys each stack (README: deploying).",
    ]);
    // AND both stacks take it, valid
    for (const stack of ["lodz-prod", "lodz-staging"])
      expect([stack, loadProject(root, stack).diagnostics]).toStrictEqual([stack, []]);
  });

  it("GIVEN a service without its billable quantities WHEN run THEN a usage error names each missing flag: nothing is invented (exit 2)", async () => {
    const root = repo();
    const r = await runCli([
      "new-unit",
      "--root",
      root,
      ...REQUIRED,
      "--services",
      "finance,internet,antivirus,mail,servers,print,web",
    ]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        "muni: new-unit needs --finance-modules, --finance-users, --bandwidth, --antivirus-seats, --mailbox-limit, --quota-cpu, --quota-memory, --quota-storage, --print-queue, --site (or run it in a terminal to be asked)",
      ],
    });
    expect(existsSync(join(root, "units", "mops.yaml"))).toBe(false);
  });

  it("GIVEN only an id and no terminal WHEN run THEN a usage error names every required flag (exit 2)", async () => {
    const r = await runCli(["new-unit", "--root", repo(), "--id", "mops"]);
    expect({ code: r.code, err: r.err }).toStrictEqual({
      code: 2,
      err: [
        "muni: new-unit needs --name, --street, --postal-code, --cost-centre, --wave (or run it in a terminal to be asked)",
      ],
    });
  });

  it("GIVEN the id of an existing unit WHEN run THEN it refuses to overwrite (exit 2)", async () => {
    const root = repo();
    const before = readFileSync(join(root, "units", "mpu.yaml"), "utf8");
    const r = await runCli(["new-unit", "--root", root, ...REQUIRED.map((f) => (f === "mops" ? "mpu" : f))]);
    expect({ code: r.code, err: rel(root, r.err) }).toStrictEqual({
      code: 2,
      err: [
        'muni: --id "mpu": units/mpu.yaml exists: new-unit never overwrites a manifest (edit it, or choose another id)',
      ],
    });
    expect(readFileSync(join(root, "units", "mpu.yaml"), "utf8")).toBe(before);
  });

  it.each([
    [
      ["--services", "mail,email"],
      'muni: --services "mail,email": unknown service "email" (choose from finance, internet, antivirus, networkProtection, mail, servers, print, web)',
    ],
    [
      ["--state", "decommissioned"],
      'muni: --state "decommissioned": "decommissioned": a new unit starts active or planned',
    ],
    [["--wave", "x"], 'muni: --wave "x": "x" is not a whole number (give the wave\'s number, 1 to 12)'],
    [
      [
        "--services",
        "servers",
        "--quota-cpu",
        "2",
        "--quota-memory",
        "4Gi",
        "--quota-storage",
        "50Gi",
        "--vm",
        "app; 2; 4Gi",
      ],
      'muni: --vm "app; 2; 4Gi": "app; 2; 4Gi" is not name; vCPU; memory; disk; image (e.g. ewidencja; 2; 4Gi; 50Gi; debian-12)',
    ],
  ])(
    "GIVEN the unreadable flags %j WHEN run THEN exit 2 naming the flag and its value",
    async (extra, message) => {
      const r = await runCli(["new-unit", "--root", repo(), ...withFlags(extra)]);
      expect({ code: r.code, err: r.err }).toStrictEqual({ code: 2, err: [message] });
    },
  );

  it.each([
    [
      ["--postal-code", "90408"],
      [
        'units/mops.yaml:L:C: address.postalCode: "90408" is not a valid postal code (Polish postal code; e.g. "90-418")',
      ],
    ],
    [
      ["--services", "mail", "--mail-domain", "mpu.lodz.pl", "--mailbox-limit", "5"],
      [
        'units/mops.yaml:L:C: services.mail.domain: mail domain "mpu.lodz.pl" is already claimed by unit mpu (units/mpu.yaml:L:C) (a domain belongs to one unit: remove it from one of them)',
        'units/mops.yaml:L:C: services.mail.domain: mail domain "mpu.lodz.pl" lies in zone "mpu.lodz.pl" of unit mpu (units/mpu.yaml:L:C) (use a name under mops.lodz.pl, or ask the central administrators to delegate the zone in the stack\'s tenancy.zones.mops)',
      ],
    ],
    [
      ["--services", "web", "--site", "mops.example.org"],
      ["lodz-prod", "lodz-staging"].map(
        (s) =>
          `units/mops.yaml:L:C: services.web.sites[0].hostname: "mops.example.org" is not under an allowed site suffix of stack ${s} (use a hostname ending in lodz.pl)`,
      ),
    ],
  ])(
    "GIVEN the flags %j WHEN run THEN the located problems are printed and nothing is written (exit 1)",
    async (extra, problems) => {
      const root = repo();
      const before = codeowners(root);
      const r = await runCli(["new-unit", "--root", root, ...withFlags(extra)]);
      expect({
        code: r.code,
        err: rel(root, r.err).map((l) => l.replace(/yaml:\d+:\d+/g, "yaml:L:C")),
      }).toStrictEqual({
        code: 1,
        err: [
          ...problems,
          `muni new-unit: units/mops.yaml would be invalid (${problems.length} problem(s)); nothing written`,
        ],
      });
      expect(existsSync(join(root, "units", "mops.yaml"))).toBe(false);
      expect(codeowners(root)).toBe(before);
    },
  );
});

/** A scripted terminal: answers by question (its start), each answer used once, in order; records what was asked. */
function scripted(answers: Array<[question: string, answer: string]>) {
  const asked: string[] = [];
  const prompt = async (q: string, def?: string) => {
    asked.push(`${q}${def ? ` [${def}]` : ""}`);
    if (asked.length > 200) throw new Error(`the same question over and over: ${asked.at(-1)}`);
    const i = answers.findIndex(([start]) => q.startsWith(start));
    if (i < 0) return "";
    const [[, a]] = answers.splice(i, 1) as [[string, string]];
    return a;
  };
  return { prompt, asked, left: answers };
}

function capture(): CliIO & { out: (t: string) => void; lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    out: (t) => lines.out.push(...t.split("\n")),
    err: (t) => lines.err.push(...t.split("\n")),
    color: false,
  };
}

describe("muni new-unit on a terminal (scripted prompter)", () => {
  it("GIVEN wrong answers (postal code, a VM over the quota, a BIP outside the city's suffix, another unit's mail domain) WHEN each is given THEN it is shown located and asked again on the spot, and the right answers are written", async () => {
    // GIVEN
    const root = repo();
    const t = scripted([
      ["Unit id", "mops"],
      ["Official name", "Miejski Ośrodek Pomocy Społecznej w Łodzi"],
      ["Street", "ul. Próchnika 7"],
      ["Postal code", "90408"],
      ["Postal code", "90-408"],
      ["Cost centre", "MPK-MOPS-01"],
      ["Onboarding wave", "1"],
      ["Services", "mail,servers,web"],
      ["Mail domain", "mpu.lodz.pl"],
      ["Mail domain", ""],
      ["Most mailboxes", "10"],
      ["Mailbox:", "sekretariat; Sekretariat"],
      ["CPU quota", "2"],
      ["Memory quota", "8Gi"],
      ["Storage quota", "100Gi"],
      ["Virtual machine", "app; 8; 4Gi; 50Gi; debian-12"],
      ["Virtual machine", "app; 1; 2Gi; 20Gi; debian-12"],
      ["Host name of the unit's BIP", "bip.mops.example.org"],
      ["Host name of the unit's BIP", "bip.mops.lodz.pl"],
    ]);
    const io = capture();
    // WHEN
    const code = await runNewUnit(io, { root }, t.prompt);
    // THEN
    expect(code).toBe(0);
    expect(t.left).toStrictEqual([]);
    const err = rel(root, io.lines.err).map((l) => l.replace(/yaml:\d+:\d+/g, "yaml:L:C"));
    expect(err.slice(1)).toStrictEqual([
      'units/mops.yaml:L:C: address.postalCode: "90408" is not a valid postal code (Polish postal code; e.g. "90-418")',
      'units/mops.yaml:L:C: services.mail.domain: mail domain "mpu.lodz.pl" is already claimed by unit mpu (units/mpu.yaml:L:C) (a domain belongs to one unit: remove it from one of them)',
      'units/mops.yaml:L:C: services.mail.domain: mail domain "mpu.lodz.pl" lies in zone "mpu.lodz.pl" of unit mpu (units/mpu.yaml:L:C) (use a name under mops.lodz.pl, or ask the central administrators to delegate the zone in the stack\'s tenancy.zones.mops)',
      "units/mops.yaml:L:C: services.servers.vms[0].cpu: virtual machine \"app\" (8 vCPU, 4Gi + 329Mi overhead, disk 50Gi) brings the unit's CPU (limits) to 8, over its quota 2 (services.servers.quota.cpu at units/mops.yaml:L:C); its sites and VMs need 8 in all; requests 8 (raise services.servers.quota.cpu to at least 8, or make the unit's sites or VMs smaller)",
      'units/mops.yaml:L:C: services.web.sites[0].hostname: "bip.mops.example.org" is not under an allowed site suffix of stack lodz-prod (use a hostname ending in lodz.pl)',
      'units/mops.yaml:L:C: services.web.sites[0].hostname: "bip.mops.example.org" is not under an allowed site suffix of stack lodz-staging (use a hostname ending in lodz.pl)',
    ]);
    const unit = parse(readFileSync(join(root, "units", "mops.yaml"), "utf8"));
    expect([
      unit.address.postalCode,
      unit.services.mail.domain,
      unit.services.servers.vms,
      unit.services.web.sites,
    ]).toStrictEqual([
      "90-408",
      "mops.lodz.pl",
      [{ name: "app", cpu: 1, memory: "2Gi", disk: "20Gi", image: "debian-12" }],
      [{ hostname: "bip.mops.lodz.pl", kind: "bip" }],
    ]);
  });

  it("GIVEN a terminal WHEN every question is answered by its default THEN exactly the questions of a unit without services are asked, defaults shown", async () => {
    const root = repo();
    const t = scripted([
      ["Unit id", "mops"],
      ["Official name", "Miejski Ośrodek Pomocy Społecznej w Łodzi"],
      ["Street", "ul. Próchnika 7"],
      ["Postal code", "90-408"],
      ["Cost centre", "MPK-MOPS-01"],
      ["Onboarding wave", "2"],
    ]);
    const io = capture();
    expect(await runNewUnit(io, { root }, t.prompt)).toBe(0);
    expect(t.asked).toStrictEqual([
      "Unit id: a DNS label such as mops (it names the namespace and the file, and never changes)",
      "Official name, as in the unit's statute",
      "Short name or acronym, for reports [MOPS]",
      "Street and number of the seat",
      "Postal code (NN-NNN)",
      "City [Łódź]",
      "REGON number, 9 or 14 digits (empty if none)",
      "NIP number, 10 digits without dashes (empty if none)",
      "Cost centre the unit's services are charged to (e.g. MPK-MOPS-01)",
      "Local administrators, kind:name, comma-separated (group:… or user:…) [group:mops-administratorzy]",
      "Operations leads, kind:name, comma-separated [group:mops-koordynatorzy-it]",
      "Lifecycle state: active (provisioned once merged and deployed) or planned (validated and reported only) [active]",
      "Onboarding wave, 1 to 12 (lodz-prod takes wave 1 (and others by id or labels), provisions wave 1; lodz-staging takes every unit, provisions every wave)",
      "Labels stacks may select the unit by: key=value, comma-separated (empty for none)",
      "Services, comma-separated from finance, internet, antivirus, networkProtection, mail, servers, print, web (empty for none)",
      "Who reviews the manifest's pull requests: GitHub teams or users, comma-separated (CODEOWNERS) [@uml-lodz/mops-administratorzy]",
    ]);
    // AND wave 2 is not lodz-prod's: the next steps say so
    expect(io.lines.out).toContain(
      "  lodz-prod does not take mops: units.ids [mpu, zzm, css] does not list mops; its wave 2 is not in units.waves [1]",
    );
  });

  it("GIVEN a session interrupted (Ctrl+C) at the fourth question WHEN run THEN exit 130, nothing written, CODEOWNERS untouched", async () => {
    const root = repo();
    const before = codeowners(root);
    let n = 0;
    const io = capture();
    const code = await runNewUnit(io, { root }, async () => {
      if (++n === 4) throw new Interrupted("interrupted");
      return ["mops", "Miejski Ośrodek Pomocy Społecznej w Łodzi", ""][n - 1]!;
    });
    expect(code).toBe(130);
    expect(io.lines.err.at(-1)).toBe("muni new-unit: interrupted; nothing written");
    expect(existsSync(join(root, "units", "mops.yaml"))).toBe(false);
    expect(codeowners(root)).toBe(before);
  });

  it("GIVEN the question list WHEN inspected THEN every billable quantity has a question without a default", () => {
    const billable = [
      "--finance-modules",
      "--finance-users",
      "--bandwidth",
      "--antivirus-seats",
      "--mailbox",
      "--quota-cpu",
      "--quota-memory",
      "--quota-storage",
      "--print-queue",
      "--bip-site",
      "--site",
    ];
    const ctx = {
      suffixes: { mail: "lodz.pl", sites: "lodz.pl" },
      wavesHint: "",
      images: [],
      exists: () => undefined,
    };
    expect(
      QUESTIONS.filter((q) => billable.includes(q.flag)).map((q) => [q.flag, q.def?.({ id: "mops" }, ctx)]),
    ).toStrictEqual(billable.map((f) => [f, undefined]));
  });
});
