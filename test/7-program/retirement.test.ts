import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import type { Document } from "yaml";
import { installMocks, revealSecrets, settle } from "../helpers/pulumi";
import { editYamlFile, retireInLedger, runCli } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";

// Issue 13, point 7, from the program's side: the unit stack lodz-prod.mpu under the mock runtime, after the
// unit's staff removed a VM, a site and a mailbox. The mock runtime first; the program is imported after it.
const mocks = installMocks("lodz-prod.mpu");
type UnitStackModule = typeof import("../../infra/7-program/unit-stack");
let unitStack: UnitStackModule;
beforeAll(async () => {
  process.env.MUNI_TODAY = "2027-02-15";
  unitStack = await import("../../infra/7-program/unit-stack");
});
afterAll(() => {
  delete process.env.MUNI_TODAY;
});

/** What the SDK saw of one registration: name, the inputs the monitor got, and the options. */
interface Seen {
  name: string;
  kind?: string;
  inputs: Record<string, unknown>;
  opts: { protect?: boolean; retainOnDelete?: boolean };
}

/** Runs the unit stack's program, capturing every resource's options (stack transformation) and inputs (mocks). */
async function runUnitStack(root: string): Promise<Seen[]> {
  mocks.registered.length = 0;
  const opts = new Map<string, pulumi.CustomResourceOptions>();
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      opts.set(a.name, a.opts as pulumi.CustomResourceOptions);
      return undefined;
    });
    return unitStack.defineUnitStack({ root, city: "lodz-prod", unit: "mpu" });
  });
  await settle();
  return mocks.registered
    .filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers"))
    .map((r) => {
      const inputs = revealSecrets(r.inputs) as Record<string, unknown>;
      const o = opts.get(r.name) ?? {};
      return {
        name: r.name,
        ...(typeof inputs.kind === "string" ? { kind: inputs.kind } : {}),
        inputs,
        opts: {
          ...(o.protect !== undefined ? { protect: o.protect } : {}),
          ...(o.retainOnDelete !== undefined ? { retainOnDelete: o.retainOnDelete } : {}),
        },
      };
    });
}

/** A copy of the repository where mpu's resources have moved to their own stack (its ledger entry names none). */
function movedRepo(): string {
  const root = copyOfRepo();
  editYamlFile(join(root, "stacks", "lodz-prod.units.yaml"), (doc) =>
    doc.deleteIn(["units", "mpu", "stack"]),
  );
  return root;
}

function editMpu(root: string, edit: (doc: Document) => void): void {
  editYamlFile(join(root, "units", "mpu.yaml"), edit);
}

const RETAINED = { protect: true, retainOnDelete: true };

describe("the unit stack after a partial removal (mock runtime)", () => {
  it("GIVEN mpu's VM archiwum-planow removed without retirement WHEN the program runs THEN it refuses at the manifest with the command, registering nothing", async () => {
    const root = movedRepo();
    editMpu(root, (d) => d.deleteIn(["services", "servers", "vms", 1]));
    mocks.registered.length = 0;
    expect(() => unitStack.defineUnitStack({ root, city: "lodz-prod", unit: "mpu" })).toThrow(
      "to retire it run `npx muni ledger --stack lodz-prod --retire mpu/vm/archiwum-planow --write`",
    );
    await settle();
    expect(mocks.registered.filter((r) => r.type.startsWith("kubernetes:"))).toStrictEqual([]);
  });

  describe("GIVEN the VM, the BIP site and the mailbox dyrektor removed and their retirement recorded", () => {
    let seen: Seen[];
    const byName = (n: string) => seen.find((s) => s.name === n);
    beforeAll(async () => {
      const root = movedRepo();
      editMpu(root, (d) => {
        d.deleteIn(["services", "servers", "vms", 1]);
        d.deleteIn(["services", "web", "sites", 1]);
        d.deleteIn(["services", "mail", "mailboxes", 1]);
      });
      const items = [
        "mpu/vm/archiwum-planow",
        "mpu/site/bip.mpu.lodz.pl",
        "mpu/mailbox/dyrektor@mpu.lodz.pl",
      ];
      const w = await retireInLedger(root, "lodz-prod", items);
      expect(w.code).toBe(0);
      // and then a new director's mailbox under the same address (recorded by the next ledger write)
      editMpu(root, (d) =>
        d.addIn(["services", "mail", "mailboxes"], { localPart: "dyrektor", displayName: "Nowy Dyrektor" }),
      );
      expect((await runCli(["ledger", "--root", root, "--stack", "lodz-prod", "--write"])).code).toBe(0);
      seen = await runUnitStack(root);
    });

    it("THEN the retired VM is still registered, halted (runStrategy Halted), retained and protected, its disk template unchanged", () => {
      const vm = byName("mpu-vm-archiwum-planow")!;
      const spec = vm.inputs.spec as Record<string, unknown>;
      expect([vm.kind, spec.runStrategy, vm.opts]).toStrictEqual(["VirtualMachine", "Halted", RETAINED]);
      expect((spec.dataVolumeTemplates as Array<Record<string, unknown>>)[0]!.metadata).toStrictEqual({
        name: "archiwum-planow-system",
        labels: expect.any(Object),
      });
    });

    it("THEN the retired site keeps only its content volume, retained and protected; its workload, Service, Certificate and Ingress are gone", () => {
      const site = seen.filter((s) => s.name.startsWith("mpu-web-bip-mpu-lodz-pl-"));
      expect(site.map((s) => [s.name, s.kind, s.opts])).toStrictEqual([
        ["mpu-web-bip-mpu-lodz-pl-content", "PersistentVolumeClaim", RETAINED],
      ]);
    });

    it("THEN both namespaces stay retained and protected, and the VM namespace's quota still admits the halted VM and its disk", () => {
      expect([byName("mpu-namespace")!.opts, byName("mpu-vmns-namespace")!.opts]).toStrictEqual([
        RETAINED,
        RETAINED,
      ]);
      const hard = (byName("mpu-vmns-quota")!.inputs.spec as { hard: Record<string, string> }).hard;
      expect([
        hard["count/virtualmachines.kubevirt.io"],
        hard.persistentvolumeclaims,
        hard["requests.storage"],
      ]).toStrictEqual(["2", "2", "1300Gi"]);
    });

    it("THEN the re-created address gets a new, empty maildir: its Dovecot home and Postfix mailbox path carry incarnation 2", () => {
      const files = byName("mpu-mail-tenant")!.inputs.stringData as Record<string, string>;
      expect(files.vmailbox!.split("\n").filter((l) => l.startsWith("dyrektor@"))).toStrictEqual([
        "dyrektor@mpu.lodz.pl mpu.lodz.pl/dyrektor~2/",
      ]);
      const users = files
        .users!.split("\n")
        .filter((l) => l.startsWith("dyrektor@") || l.startsWith("sekretariat@"));
      expect(users.map((l) => l.split(":").slice(4, 7))).toStrictEqual([
        ["", "", ""],
        ["", "/srv/mail/mpu.lodz.pl/dyrektor~2", ""],
      ]);
    });
  });

  it("GIVEN a unit whose namespaces held data (per its ledger record) but renders nothing data-bearing now WHEN its Unit component registers THEN its namespace stays retained and protected (without the record it would not be)", async () => {
    const { Unit } = await import("../../infra/5-components/unit");
    const { loadProject } = await import("../../infra/3-rules/project");
    const p = loadProject(join(__dirname, "..", ".."), "lodz-prod");
    const mpu = p.units.find((u) => u.unit.id === "mpu")!.unit;
    // No sites, no VMs: nothing of a data-holding kind is rendered in the unit's namespace any more.
    const bare = { ...mpu, services: { ...mpu.services, web: undefined, servers: undefined } } as typeof mpu;
    const history = { namespaces: ["unit-mpu"], vms: {}, sites: {}, mailboxes: {}, retired: [] };
    mocks.registered.length = 0;
    const opts = new Map<string, pulumi.CustomResourceOptions>();
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((a) => {
        opts.set(a.name, a.opts as pulumi.CustomResourceOptions);
        return undefined;
      });
      new Unit("mpu", { unit: bare, settings: p.stack!.settings, history });
      new Unit("mpu-nohistory", { unit: { ...bare, id: "mpu" }, settings: p.stack!.settings });
    });
    await settle();
    const pick = (n: string) => ({
      protect: opts.get(n)?.protect,
      retainOnDelete: opts.get(n)?.retainOnDelete,
    });
    expect([pick("mpu-namespace"), pick("mpu-nohistory-namespace")]).toStrictEqual([
      RETAINED,
      { protect: undefined, retainOnDelete: undefined },
    ]);
  });
});
