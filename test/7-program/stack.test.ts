import { installMocks, kubernetesObjects, type Registered, settle, unwrap } from "../helpers/pulumi";
import { strictSchemaErrors } from "../helpers/k8s-schemas";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

// The mock runtime is installed before the program is imported.
const mocks = installMocks("lodz-prod");
type StackModule = typeof import("../../infra/7-program/stack");
let stackModule: StackModule;
beforeAll(async () => {
  stackModule = await import("../../infra/7-program/stack");
});

const ROOT = join(__dirname, "..", "..");
const settingsOf = (root: string, stack: string) =>
  (
    parse(readFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as {
      config: Record<string, unknown>;
    }
  ).config["muni:settings"];

/** Runs the stack program once and returns what it registered and its outputs. */
async function runStack(root: string, stack: string, settings: unknown = settingsOf(root, stack)) {
  mocks.registered.length = 0;
  const outputs = stackModule.defineStack({ root, stack, settings });
  const namespaces = await unwrap(outputs.namespaces);
  await settle();
  return { registered: [...mocks.registered], namespaces, notProvisioned: outputs.notProvisioned };
}

/** Namespaces of the central platform services in lodz-prod (`platform.*.namespace`). */
const PLATFORM_NAMESPACES = Object.values(
  (settingsOf(ROOT, "lodz-prod") as { platform: Record<string, { namespace: string }> }).platform,
).map((p) => p.namespace);

describe("stack lodz-prod under the mock runtime", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack(ROOT, "lodz-prod");
  });

  it("GIVEN the three Annex 1 units WHEN the program runs THEN each gets its namespace and the stack outputs them", () => {
    expect(run.namespaces).toStrictEqual({ css: "unit-css", mpu: "unit-mpu", zzm: "unit-zzm" });
    expect(run.notProvisioned).toStrictEqual({});
  });

  it("THEN one explicit Kubernetes provider is used for the cluster context", () => {
    const providers = run.registered.filter((r) => r.type === "pulumi:providers:kubernetes");
    expect(providers.map((p) => [p.name, p.inputs.context, p.inputs.enableServerSideApply])).toStrictEqual([
      ["cluster", "lodz-prod", "true"],
    ]);
    const k8s = run.registered.filter((r) => r.type.startsWith("kubernetes:"));
    expect(k8s.every((r) => r.provider?.includes("pulumi:providers:kubernetes::cluster"))).toBe(true);
  });

  it("THEN every resource has a unique type and name (so a unique URN)", () => {
    const keys = run.registered.map((r) => `${r.type}::${r.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("THEN unit mpu registers exactly the baseline objects, under stable names", () => {
    const names = run.registered.filter((r) => r.name.startsWith("mpu")).map((r) => `${r.type} ${r.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        "muni:unit:Unit mpu",
        "kubernetes:core/v1:Namespace mpu-namespace",
        "kubernetes:core/v1:ResourceQuota mpu-quota",
        "kubernetes:core/v1:LimitRange mpu-limits",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-default-deny",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-dns",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-same-namespace",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-from-ingress",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-to-mail",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-to-print",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-to-finance",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-to-antivirus",
        "kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-to-proxy",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding mpu-rb-local-administrators",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding mpu-rb-operations-leads-view",
        "kubernetes:rbac.authorization.k8s.io/v1:Role mpu-role-operations",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding mpu-rb-operations-leads-duties",
        "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding mpu-rb-central-administrators",
      ]),
    );
    // Network protection is enrolled: internet goes only through the proxy, never directly.
    expect(names).not.toContain("kubernetes:networking.k8s.io/v1:NetworkPolicy mpu-netpol-allow-internet");
  });

  it("THEN every Kubernetes object registered passes the upstream strict schema of its kind", () => {
    const objects = kubernetesObjects(run.registered);
    expect(objects.length).toBeGreaterThan(50);
    expect(objects.flatMap(strictSchemaErrors)).toStrictEqual([]);
  });

  it("THEN every namespaced object depends on nothing outside its unit and names its namespace explicitly", () => {
    for (const o of kubernetesObjects(run.registered)) {
      const m = o.metadata as { name?: string; namespace?: string };
      expect(typeof m.name).toBe("string");
      // Or in a platform namespace of the stack: tenant records and their ingress allowances (finance, antivirus, ...).
      // Cluster-scoped: namespaces and the tenancy's ClusterRoles and admission policies (test/tenancy/).
      const clusterScoped = [
        "Namespace",
        "ClusterRole",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
      ];
      if (!clusterScoped.includes(o.kind) && !PLATFORM_NAMESPACES.includes(m.namespace!))
        expect(m.namespace).toMatch(/^unit-(mpu|zzm|css)(-vm)?$/);
    }
  });

  it("GIVEN the program WHEN it runs a second time THEN it registers identical resources and inputs (no perpetual diff)", async () => {
    const again = await runStack(ROOT, "lodz-prod");
    // Registration order follows the async runtime; what matters to the engine is each resource's inputs.
    const sorted = (rs: Registered[]) =>
      [...rs].sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
    expect(sorted(again.registered)).toStrictEqual(sorted(run.registered));
  });
});

describe("invalid input", () => {
  it("GIVEN settings with a bad field WHEN the program runs THEN it fails before registering anything, with located errors", async () => {
    const settings = structuredClone(settingsOf(ROOT, "lodz-prod")) as Record<
      string,
      Record<string, unknown>
    >;
    settings.capacity!.cpu = "lots";
    mocks.registered.length = 0;
    expect(() => stackModule.defineStack({ root: ROOT, stack: "lodz-prod", settings })).toThrow(
      'stacks/Pulumi.lodz-prod.yaml:41:12: config["muni:settings"].capacity.cpu: "lots" is not a valid CPU quantity (CPU available to units; e.g. \"256\")',
    );
    await settle();
    expect(mocks.registered).toStrictEqual([]);
  });

  it("GIVEN an unknown stack WHEN the program runs THEN it names the known stacks", () => {
    expect(() => stackModule.defineStack({ root: ROOT, stack: "krakow", settings: {} })).toThrow(
      'unknown stack "krakow": no stacks/Pulumi.krakow.yaml (known stacks: lodz-prod, lodz-staging)',
    );
  });
});
