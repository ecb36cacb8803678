import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseDocument } from "yaml";
import { runCli } from "../helpers/manifests";
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
function editUnit(root: string, id: string, edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const file = join(root, "units", `${id}.yaml`);
  const doc = parseDocument(readFileSync(file, "utf8"));
  edit(doc);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return file;
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
    const still = await runCli([
      "ledger",
      "--root",
      root,
      "--stack",
      "lodz-prod",
      "--retire",
      "mpu/vm/archiwum-planow",
      "mpu/vm/gis",
    ]);
    expect(still.code).toBe(1);
    expect(problems(root, still.err)).toStrictEqual([
      `stacks/lodz-prod.units.yaml:1:1: --retire: mpu/vm/gis: unit "mpu"'s manifest still declares it: remove it from units/mpu.yaml first (name an item the ledger records and the manifest no longer declares: <unit>/<vm|site|mailbox>/<name>)`,
    ]);
    const other = await runCli([
      "ledger",
      "--root",
      root,
      "--stack",
      "lodz-prod",
      "--retire",
      "mpu/vm/archiwum-planow",
      "css/vm/archiwum-planow",
    ]);
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
      recorded = await runCli([
        "ledger",
        "--root",
        root,
        "--stack",
        "lodz-prod",
        "--retire",
        "mpu/vm/archiwum-planow",
        "--write",
      ]);
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
      expect(mpu[vm + 1]).toBe('      spec.runStrategy: "Always" → "Halted"');
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
