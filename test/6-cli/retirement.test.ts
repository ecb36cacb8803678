import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Document, parse } from "yaml";
import { editYamlFile, retireInLedger, runCli } from "../helpers/manifests";
import { copyOfRepo, gitInit } from "../5-plan/project";

// Issue 13, point 7: a unit's staff (careless or hostile) removes a VM, a site or a mailbox from an active
// unit's manifest. muni refuses until the ledger records the retirement, and then keeps the data.

const TODAY = "2027-02-15";
beforeAll(() => {
  process.env.MUNI_TODAY = TODAY;
});
afterAll(() => {
  delete process.env.MUNI_TODAY;
});

/** Edits a unit manifest in place through the YAML document model (comments and layout kept). */
function editUnit(root: string, id: string, edit: (doc: Document) => void): string {
  return editYamlFile(join(root, "units", `${id}.yaml`), edit);
}

/** `file:line:col` of the first line of `file` starting (after indentation) with `text`. */
function at(root: string, rel: string, text: string): string {
  const lines = readFileSync(join(root, rel), "utf8").split("\n");
  const i = lines.findIndex((l) => l.trimStart().startsWith(text));
  expect(i).toBeGreaterThanOrEqual(0);
  return `${rel}:${i + 1}:${lines[i]!.length - lines[i]!.trimStart().length + 1}`;
}

/** The data record of a unit in a stack's ledger, as written. */
function ledgerData(root: string, id: string, stack = "lodz-prod"): Record<string, unknown> {
  const l = parse(readFileSync(join(root, "stacks", `${stack}.units.yaml`), "utf8")) as {
    units: Record<string, { data?: Record<string, unknown> }>;
  };
  return l.units[id]!.data!;
}

/** Diagnostics printed by a run, paths relative to the project root. */
function problems(root: string, lines: readonly string[]): string[] {
  return lines.filter((l) => l.includes(".yaml:")).map((l) => l.split(`${root}/`).join(""));
}

const PROTECTED =
  "; the stack protects data (lifecycle.protectData), so without the retirement step `pulumi up` would fail halfway on the protected resource";

describe("removing a VM from an active unit", () => {
  let root: string;
  beforeAll(() => {
    // GIVEN the repository with mpu's VM archiwum-planow deleted from its manifest (nothing else changed)
    root = copyOfRepo();
    gitInit(root);
    editUnit(root, "mpu", (d) => d.deleteIn(["services", "servers", "vms", 1]));
  });

  it("WHEN `muni validate --stack lodz-prod` THEN exit 1 at mpu's VM list, naming the exact retirement command", async () => {
    const r = await runCli(["validate", "--root", root, "--stack", "lodz-prod"]);
    expect(r.code).toBe(1);
    expect(problems(root, r.out.concat(r.err))).toStrictEqual([
      `${at(root, "units/mpu.yaml", "- name: gis")}: services.servers.vms: VM "archiwum-planow" of unit "mpu" holds data (per ledger stacks/lodz-prod.units.yaml) and is no longer in the manifest: removing it is a retirement the ledger must record (the VM is halted and its disk kept)${PROTECTED} (to retire it run \`npx muni ledger --stack lodz-prod --retire mpu/vm/archiwum-planow --write\` and commit the ledger with this change; or put the VM back)`,
    ]);
  });

  it("WHEN `muni plan` THEN exit 1: the plan says the change needs the retirement step", async () => {
    const r = await runCli(["plan", "--root", root, "--out", join(root, "plan-out")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${root}/${at(root, "units/mpu.yaml", "- name: gis")}: services.servers.vms: VM "archiwum-planow" of unit "mpu" holds data (per ledger ${root}/stacks/lodz-prod.units.yaml) and is no longer in the manifest: removing it is a retirement the ledger must record (the VM is halted and its disk kept)${PROTECTED} (to retire it run \`npx muni ledger --stack lodz-prod --retire mpu/vm/archiwum-planow --write\` and commit the ledger with this change; or put the VM back)`,
    );
    expect(r.err.at(-1)).toBe("muni plan: the lifecycle guards refuse this change (1 finding(s))");
  });

  it("WHEN `muni ledger --write` without --retire THEN it refuses and writes nothing", async () => {
    const before = readFileSync(join(root, "stacks", "lodz-prod.units.yaml"), "utf8");
    const r = await runCli(["ledger", "--root", root, "--stack", "lodz-prod", "--write"]);
    expect(r.code).toBe(1);
    expect(readFileSync(join(root, "stacks", "lodz-prod.units.yaml"), "utf8")).toBe(before);
  });

  it("WHEN --retire names a VM the manifest still declares, or comes without --stack THEN refused (exit 1, exit 2)", async () => {
    const still = await retireInLedger(root, "lodz-prod", ["mpu/vm/archiwum-planow", "mpu/vm/gis"], {
      write: false,
    });
    expect(still.code).toBe(1);
    expect(problems(root, still.err)).toStrictEqual([
      `stacks/lodz-prod.units.yaml:1:1: --retire: mpu/vm/gis: unit "mpu"'s manifest still declares it: remove it from units/mpu.yaml first (name an item the ledger records and the manifest no longer declares: <unit>/<vm|site|mailbox>/<name>)`,
    ]);
    const other = await retireInLedger(
      root,
      "lodz-prod",
      ["mpu/vm/archiwum-planow", "css/vm/archiwum-planow"],
      { write: false },
    );
    expect(other.code).toBe(1);
    expect(problems(root, other.err)).toStrictEqual([
      `stacks/lodz-prod.units.yaml:1:1: --retire: css/vm/archiwum-planow: the ledger records no VM "archiwum-planow" held by unit "css" (name an item the ledger records and the manifest no longer declares: <unit>/<vm|site|mailbox>/<name>)`,
    ]);
    const bare = await runCli(["ledger", "--root", root, "--retire", "mpu/vm/archiwum-planow"]);
    expect(bare.code).toBe(2);
  });

  describe("WHEN the retirement is recorded (`muni ledger --stack lodz-prod --retire mpu/vm/archiwum-planow --write`)", () => {
    let recorded: Awaited<ReturnType<typeof runCli>>;
    beforeAll(async () => {
      recorded = await retireInLedger(root, "lodz-prod", ["mpu/vm/archiwum-planow"]);
    });

    it("THEN the ledger records what, when and where the data is kept, and says so", () => {
      expect(recorded.code).toBe(0);
      expect(recorded.out).toContain(
        `  mpu: retires vm archiwum-planow on ${TODAY} (halted), its data kept: VirtualMachine unit-mpu-vm/archiwum-planow, PersistentVolumeClaim unit-mpu-vm/archiwum-planow-system`,
      );
      const data = ledgerData(root, "mpu");
      expect(data.vms).toStrictEqual({
        gis: { cpu: 4, memory: "16Gi", disk: "500Gi", image: "windows-server-2022" },
      });
      expect(data.retired).toStrictEqual([
        {
          kind: "vm",
          name: "archiwum-planow",
          retiredOn: TODAY,
          kept: [
            "VirtualMachine unit-mpu-vm/archiwum-planow",
            "PersistentVolumeClaim unit-mpu-vm/archiwum-planow-system",
          ],
          vm: { cpu: 2, memory: "4Gi", disk: "800Gi", image: "debian-12" },
        },
      ]);
    });

    it("THEN validate passes and the ledger check is clean", async () => {
      expect((await runCli(["validate", "--root", root, "--stack", "lodz-prod"])).code).toBe(0);
      expect((await runCli(["ledger", "--root", root, "--stack", "lodz-prod", "--check"])).code).toBe(0);
    });

    it("THEN `muni plan --base main` shows the VM halted in place (its disk and the VM namespace stay) and the retirement", async () => {
      const r = await runCli(["plan", "--root", root, "--out", join(root, "plan-out"), "--base", "main"]);
      expect(r.err).toStrictEqual([]);
      expect(r.code).toBe(0);
      const mpu = r.out.slice(r.out.findIndex((l) => l.startsWith("  mpu ")));
      // The unit's namespace gets the halted VM's cpu and memory back; nothing is added or removed.
      expect(mpu[0]).toBe("  mpu (changed): 4 to change");
      expect(mpu.filter((l) => /^    [+-] /.test(l))).toStrictEqual([]);
      const vm = mpu.findIndex((l) => l.includes("VirtualMachine unit-mpu-vm/archiwum-planow"));
      expect(mpu[vm]).toBe(
        "    ~ VirtualMachine unit-mpu-vm/archiwum-planow [mpu-vm-archiwum-planow] (data-bearing: retained on the cluster)",
      );
      expect(mpu[vm + 1]).toBe('        spec.runStrategy: "Always" → "Halted"');
      expect(r.out).toContain(
        `  mpu: retires vm archiwum-planow on ${TODAY} (halted), its data kept: VirtualMachine unit-mpu-vm/archiwum-planow, PersistentVolumeClaim unit-mpu-vm/archiwum-planow-system`,
      );
    });

    it("THEN a new VM under the retired name is refused: its kept disk has that name", async () => {
      editUnit(root, "mpu", (d) =>
        d.addIn(["services", "servers", "vms"], {
          name: "archiwum-planow",
          cpu: 1,
          memory: "2Gi",
          disk: "20Gi",
          image: "debian-12",
          running: true,
        }),
      );
      const r = await runCli(["validate", "--root", root, "--stack", "lodz-prod"]);
      expect(r.code).toBe(1);
      expect(problems(root, r.out.concat(r.err))).toStrictEqual([
        `${at(root, "units/mpu.yaml", "- name: gis")}: services.servers.vms: VM "archiwum-planow" of unit "mpu" was retired on ${TODAY} (per ledger stacks/lodz-prod.units.yaml) and its data is kept under that name (VirtualMachine unit-mpu-vm/archiwum-planow, PersistentVolumeClaim unit-mpu-vm/archiwum-planow-system): it cannot be declared again (give the new VM another name)`,
      ]);
      editUnit(root, "mpu", (d) => d.deleteIn(["services", "servers", "vms", 1]));
    });
  });
});

describe("removing a site from an active unit", () => {
  let root: string;
  beforeAll(() => {
    // GIVEN mpu's BIP site deleted from its manifest
    root = copyOfRepo();
    gitInit(root);
    editUnit(root, "mpu", (d) => d.deleteIn(["services", "web", "sites", 1]));
  });

  it("WHEN validated THEN refused at the site list with the command; once retired, the plan removes the site but keeps its content volume", async () => {
    const refused = await runCli(["validate", "--root", root, "--stack", "lodz-prod"]);
    expect(refused.code).toBe(1);
    expect(problems(root, refused.out.concat(refused.err))).toStrictEqual([
      `${at(root, "units/mpu.yaml", "- hostname: mpu.lodz.pl")}: services.web.sites: site "bip.mpu.lodz.pl" of unit "mpu" holds data (per ledger stacks/lodz-prod.units.yaml) and is no longer in the manifest: removing it is a retirement the ledger must record (its content volume is kept, the site's workload and Ingress go)${PROTECTED} (to retire it run \`npx muni ledger --stack lodz-prod --retire mpu/site/bip.mpu.lodz.pl --write\` and commit the ledger with this change; or put the site back)`,
    ]);
    expect((await retireInLedger(root, "lodz-prod", ["mpu/site/bip.mpu.lodz.pl"])).code).toBe(0);
    expect((ledgerData(root, "mpu").retired as unknown[])[0]).toStrictEqual({
      kind: "site",
      name: "bip.mpu.lodz.pl",
      retiredOn: TODAY,
      kept: ["PersistentVolumeClaim unit-mpu/bip-mpu-lodz-pl-content"],
      site: { kind: "bip", storage: "10Gi" },
    });
    const r = await runCli(["plan", "--root", root, "--out", join(root, "plan-out"), "--base", "main"]);
    expect(r.code).toBe(0);
    const removed = r.out.filter((l) => l.startsWith("    - ")).map((l) => l.replace(/ \[.*$/, ""));
    expect(removed).toStrictEqual([
      "    - ConfigMap unit-mpu/bip-mpu-lodz-pl-nginx",
      "    - Deployment unit-mpu/bip-mpu-lodz-pl",
      "    - Service unit-mpu/bip-mpu-lodz-pl",
      "    - Certificate unit-mpu/bip-mpu-lodz-pl",
      "    - Ingress unit-mpu/bip-mpu-lodz-pl",
      "    - PodDisruptionBudget unit-mpu/bip-mpu-lodz-pl",
      "    - Probe monitoring/mpu-bip-mpu-lodz-pl-http",
      "    - Probe monitoring/mpu-bip-mpu-lodz-pl-tls",
    ]);
    expect(r.out.filter((l) => l.startsWith("    ") && l.includes("bip-mpu-lodz-pl-content"))).toStrictEqual(
      [],
    );
  });
});

describe("removing the last VM, site and mailbox: the whole service", () => {
  it("GIVEN mpu's servers, web and mail services deleted WHEN validated THEN every item is refused, located at `services`; once all are retired the data namespaces stay recorded and retained", async () => {
    const root = copyOfRepo();
    gitInit(root);
    editUnit(root, "mpu", (d) => {
      for (const s of ["servers", "web", "mail"]) d.deleteIn(["services", s]);
    });
    const r = await runCli(["validate", "--root", root, "--stack", "lodz-prod"]);
    expect(r.code).toBe(1);
    const found = problems(root, r.out.concat(r.err));
    const items = [
      "mpu/vm/gis",
      "mpu/vm/archiwum-planow",
      "mpu/site/mpu.lodz.pl",
      "mpu/site/bip.mpu.lodz.pl",
      "mpu/mailbox/sekretariat@mpu.lodz.pl",
      "mpu/mailbox/dyrektor@mpu.lodz.pl",
      "mpu/mailbox/anna.wisniewska@mpu.lodz.pl",
      "mpu/mailbox/piotr.zielinski@mpu.lodz.pl",
      "mpu/mailbox/postmaster@mpu.lodz.pl",
    ];
    expect(found.length).toBe(items.length);
    for (const f of found) expect(f).toMatch(/^units\/mpu\.yaml:\d+:\d+: services: /);
    for (const item of items) expect(found.some((f) => f.includes(`--retire ${item} --write`))).toBe(true);
    const w = await retireInLedger(root, "lodz-prod", items);
    expect(w.code).toBe(0);
    const data = ledgerData(root, "mpu");
    expect([data.namespaces, data.vms, data.sites, data.mailboxes]).toStrictEqual([
      ["unit-mpu", "unit-mpu-vm"],
      undefined,
      undefined,
      undefined,
    ]);
    expect((data.retired as Array<{ kept: string[] }>).flatMap((x) => x.kept)).toStrictEqual([
      "VirtualMachine unit-mpu-vm/gis",
      "PersistentVolumeClaim unit-mpu-vm/gis-system",
      "VirtualMachine unit-mpu-vm/archiwum-planow",
      "PersistentVolumeClaim unit-mpu-vm/archiwum-planow-system",
      "PersistentVolumeClaim unit-mpu/mpu-lodz-pl-content",
      "PersistentVolumeClaim unit-mpu/bip-mpu-lodz-pl-content",
      "Maildir platform-mail/mpu.lodz.pl/sekretariat",
      "Maildir platform-mail/mpu.lodz.pl/dyrektor",
      "Maildir platform-mail/mpu.lodz.pl/anna.wisniewska",
      "Maildir platform-mail/mpu.lodz.pl/piotr.zielinski",
      "Maildir platform-mail/mpu.lodz.pl/postmaster",
    ]);
    // The VM namespace stays (the halted VMs are in it): no namespace is removed by the plan.
    const plan = await runCli(["plan", "--root", root, "--out", join(root, "plan-out"), "--base", "main"]);
    expect(plan.code).toBe(0);
    expect(
      plan.out.filter((l) => /^    - (Namespace|VirtualMachine|PersistentVolumeClaim) /.test(l)),
    ).toStrictEqual([]);
    expect((await runCli(["validate", "--root", root, "--stack", "lodz-prod"])).code).toBe(0);
  });
});

describe("removing a mailbox and re-creating its address", () => {
  it("GIVEN mpu's mailbox dyrektor removed WHEN refused, retired, then re-added THEN the new mailbox gets incarnation 2 (a new, empty directory) and the old one stays listed", async () => {
    const root = copyOfRepo();
    gitInit(root);
    editUnit(root, "mpu", (d) => d.deleteIn(["services", "mail", "mailboxes", 1]));
    const refused = await runCli(["validate", "--root", root, "--stack", "lodz-prod"]);
    expect(problems(root, refused.out.concat(refused.err))).toStrictEqual([
      `${at(root, "units/mpu.yaml", "- localPart: sekretariat")}: services.mail.mailboxes: mailbox "dyrektor@mpu.lodz.pl" of unit "mpu" holds data (per ledger stacks/lodz-prod.units.yaml) and is no longer in the manifest: removing it is a retirement the ledger must record (its mail is moved aside, kept on the mail volume; the address may be re-created empty)${PROTECTED} (to retire it run \`npx muni ledger --stack lodz-prod --retire mpu/mailbox/dyrektor@mpu.lodz.pl --write\` and commit the ledger with this change; or put the mailbox back)`,
    ]);
    expect((await retireInLedger(root, "lodz-prod", ["mpu/mailbox/dyrektor@mpu.lodz.pl"])).code).toBe(0);
    // WHEN the address is declared again (a new director)
    editUnit(root, "mpu", (d) =>
      d.addIn(["services", "mail", "mailboxes"], { localPart: "dyrektor", displayName: "Nowy Dyrektor MPU" }),
    );
    // THEN the ledger is stale until written; written, it gives the address its second incarnation
    expect((await runCli(["ledger", "--root", root, "--stack", "lodz-prod", "--check"])).code).toBe(1);
    expect((await runCli(["ledger", "--root", root, "--stack", "lodz-prod", "--write"])).code).toBe(0);
    const data = ledgerData(root, "mpu");
    expect((data.mailboxes as Record<string, number>)["dyrektor@mpu.lodz.pl"]).toBe(2);
    expect(data.retired).toStrictEqual([
      {
        kind: "mailbox",
        name: "dyrektor@mpu.lodz.pl",
        retiredOn: TODAY,
        kept: ["Maildir platform-mail/mpu.lodz.pl/dyrektor"],
        incarnation: 1,
      },
    ]);
    expect((await runCli(["validate", "--root", root, "--stack", "lodz-prod"])).code).toBe(0);
  });

  it("GIVEN a retired site WHEN the unit declares its hostname again THEN refused: the kept content volume has that name", async () => {
    const root = copyOfRepo();
    let site: unknown;
    editUnit(root, "zzm", (d) => {
      site = d.getIn(["services", "web", "sites", 0]);
      d.deleteIn(["services", "web", "sites", 0]);
    });
    expect((await retireInLedger(root, "lodz-prod", ["zzm/site/zzm.lodz.pl"])).code).toBe(0);
    editUnit(root, "zzm", (d) => d.addIn(["services", "web", "sites"], site));
    const r = await runCli(["validate", "--root", root, "--stack", "lodz-prod"]);
    expect(r.code).toBe(1);
    expect(problems(root, r.out.concat(r.err))).toStrictEqual([
      `${at(root, "units/zzm.yaml", "- hostname: bip.zzm.lodz.pl")}: services.web.sites: site "zzm.lodz.pl" of unit "zzm" was retired on ${TODAY} (per ledger stacks/lodz-prod.units.yaml) and its data is kept under that name (PersistentVolumeClaim unit-zzm/zzm-lodz-pl-content): it cannot be declared again (give the new site another hostname)`,
    ]);
  });
});

describe("renaming is removing", () => {
  it("GIVEN mpu's VM gis renamed to gis-nowy (same disk size and image) WHEN validated THEN the old name needs its retirement: a rename would otherwise orphan the old disk", async () => {
    const root = copyOfRepo();
    editUnit(root, "mpu", (d) => d.setIn(["services", "servers", "vms", 0, "name"], "gis-nowy"));
    const r = await runCli(["validate", "--root", root, "--stack", "lodz-prod"]);
    expect(r.code).toBe(1);
    expect(problems(root, r.out.concat(r.err))).toStrictEqual([
      expect.stringContaining(
        `${at(root, "units/mpu.yaml", "- name: gis-nowy")}: services.servers.vms: VM "gis" of unit "mpu" holds data`,
      ),
    ]);
  });
});

describe("a staging stack records its own names", () => {
  it("GIVEN mpu's www site removed WHEN validated against lodz-staging THEN the command names the staging host; lodz-staging does not protect data, so no pulumi-up warning", async () => {
    const root = copyOfRepo();
    editUnit(root, "mpu", (d) => d.deleteIn(["services", "web", "sites", 0]));
    const r = await runCli(["validate", "--root", root, "--stack", "lodz-staging"]);
    expect(r.code).toBe(1);
    const found = problems(root, r.out.concat(r.err));
    expect(found).toStrictEqual([
      `${at(root, "units/mpu.yaml", "- hostname: bip.mpu.lodz.pl")}: services.web.sites: site "mpu.staging.lodz.pl" of unit "mpu" holds data (per ledger stacks/lodz-staging.units.yaml) and is no longer in the manifest: removing it is a retirement the ledger must record (its content volume is kept, the site's workload and Ingress go) (to retire it run \`npx muni ledger --stack lodz-staging --retire mpu/site/mpu.staging.lodz.pl --write\` and commit the ledger with this change; or put the site back)`,
    ]);
    expect((await retireInLedger(root, "lodz-staging", ["mpu/site/mpu.staging.lodz.pl"])).code).toBe(0);
    expect((await runCli(["validate", "--root", root, "--stack", "lodz-staging"])).code).toBe(0);
  });
});
