import { join } from "node:path";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { installMocks, kubernetesObjects, settle, unwrap } from "../helpers/pulumi";
import { strictSchemaErrors } from "../helpers/k8s-schemas";

// The mock runtime is installed before the program is imported.
const mocks = installMocks("lodz-prod");
let stackModule: typeof import("../../infra/7-program/stack");
beforeAll(async () => {
  stackModule = await import("../../infra/7-program/stack");
});
const ROOT = join(__dirname, "..", "..");
const settings = () =>
  (
    parse(readFileSync(join(ROOT, "stacks", "Pulumi.lodz-prod.yaml"), "utf8")) as {
      config: Record<string, unknown>;
    }
  ).config["muni:settings"];

describe("stack lodz-prod: sites, VMs and enrollments under the mock runtime", () => {
  let registered: typeof mocks.registered;
  let outputs: ReturnType<typeof stackModule.defineStack>;
  beforeAll(async () => {
    mocks.registered.length = 0;
    outputs = stackModule.defineStack({ root: ROOT, stack: "lodz-prod", settings: settings() });
    await unwrap(outputs.namespaces);
    await settle();
    registered = [...mocks.registered];
  });

  it("GIVEN the three Łódź units WHEN the program runs THEN each registers its sites, VMs and enrollments under stable names and typed kinds", () => {
    // (VM namespaces, with their quota, policies and RBAC, are `<unit>-vmns-*`: test/7-program/stack.test.ts covers them.)
    const mine = registered
      .filter((r) => /^(mpu|zzm|css)-(web-|vm-|finance-|antivirus-)/.test(r.name))
      .map((r) => `${r.type} ${r.name}`);
    const site = (unit: string, base: string, pdb: boolean) => [
      `kubernetes:core/v1:PersistentVolumeClaim ${unit}-web-${base}-content`,
      `kubernetes:core/v1:ConfigMap ${unit}-web-${base}-config`,
      `kubernetes:apps/v1:Deployment ${unit}-web-${base}-deployment`,
      `kubernetes:core/v1:Service ${unit}-web-${base}-service`,
      `kubernetes:cert-manager.io/v1:Certificate ${unit}-web-${base}-certificate`,
      `kubernetes:networking.k8s.io/v1:Ingress ${unit}-web-${base}-ingress`,
      ...(pdb ? [`kubernetes:policy/v1:PodDisruptionBudget ${unit}-web-${base}-pdb`] : []),
    ];
    const enrol = (unit: string) => [
      `kubernetes:core/v1:ConfigMap ${unit}-finance-tenant`,
      `kubernetes:networking.k8s.io/v1:NetworkPolicy ${unit}-finance-allow-from-unit`,
      `kubernetes:core/v1:ConfigMap ${unit}-antivirus-tenant`,
      `kubernetes:networking.k8s.io/v1:NetworkPolicy ${unit}-antivirus-allow-from-unit`,
    ];
    const vm = (unit: string, name: string) => `kubernetes:kubevirt.io/v1:VirtualMachine ${unit}-vm-${name}`;
    expect([...mine].sort()).toStrictEqual(
      [
        ...site("mpu", "mpu-lodz-pl", true),
        ...site("mpu", "bip-mpu-lodz-pl", true),
        vm("mpu", "gis"),
        vm("mpu", "archiwum-planow"),
        ...enrol("mpu"),
        ...site("zzm", "zzm-lodz-pl", false),
        ...site("zzm", "bip-zzm-lodz-pl", false),
        vm("zzm", "ewidencja-drzew"),
        ...enrol("zzm"),
        ...site("css", "css-lodz-pl", false),
        ...site("css", "bip-css-lodz-pl", true),
        vm("css", "swiadczenia-db"),
        vm("css", "kiosk-wnioskow"),
        ...enrol("css"),
      ].sort(),
    );
  });

  it("THEN every registered object, cert-manager and KubeVirt custom resources included, passes its strict schema", () => {
    const objects = kubernetesObjects(registered);
    const kinds = new Set(objects.map((o) => o.kind));
    expect(kinds.has("Certificate") && kinds.has("VirtualMachine")).toBe(true);
    expect(objects.flatMap(strictSchemaErrors)).toStrictEqual([]);
  });

  it("THEN the bipRegistry output lists the three BIP sites for the national BIP index", () => {
    expect(outputs.bipRegistry).toStrictEqual([
      {
        unit: "css",
        unitName: "Centrum Świadczeń Socjalnych w Łodzi",
        hostname: "bip.css.lodz.pl",
        url: "https://bip.css.lodz.pl/",
        title: "Biuletyn Informacji Publicznej CŚS w Łodzi",
      },
      {
        unit: "mpu",
        unitName: "Miejska Pracownia Urbanistyczna w Łodzi",
        hostname: "bip.mpu.lodz.pl",
        url: "https://bip.mpu.lodz.pl/",
        title: "Biuletyn Informacji Publicznej MPU w Łodzi",
      },
      {
        unit: "zzm",
        unitName: "Zarząd Zieleni Miejskiej w Łodzi",
        hostname: "bip.zzm.lodz.pl",
        url: "https://bip.zzm.lodz.pl/",
        title: "Biuletyn Informacji Publicznej ZZM w Łodzi",
      },
    ]);
  });

  it("GIVEN an over-quota VM in the settings the engine holds WHEN the program runs THEN it registers nothing and names the VM's location", async () => {
    const s = structuredClone(settings()) as { vm: { memoryOverhead: { base: string } } };
    // A 40Gi base overhead takes every unit over; zzm's one VM: 8Gi + 40Gi + 2 × 8Mi + ⌈0.002 × 8Gi⌉ → 8Gi + 40993Mi,
    // plus its two sites' 2 × 128Mi → 49441Mi > 24Gi.
    s.vm.memoryOverhead.base = "40Gi";
    mocks.registered.length = 0;
    expect(() => stackModule.defineStack({ root: ROOT, stack: "lodz-prod", settings: s })).toThrow(
      /units\/zzm\.yaml:\d+:\d+: services\.servers\.vms\[0\]\.memory: virtual machine "ewidencja-drzew" \(2 vCPU, 8Gi \+ 40993Mi overhead, disk 200Gi\) brings the unit's memory \(limits\) to 49441Mi, over its quota 24Gi/,
    );
    await settle();
    expect(mocks.registered).toStrictEqual([]);
  });
});
