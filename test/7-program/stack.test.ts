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
const LABELS = (unit: string) => ({ "app.kubernetes.io/managed-by": "muni", "muni.lodz.pl/unit": unit });
const byName = (rs: Registered[], name: string) => {
  const r = rs.find((x) => x.name === name);
  if (!r) throw new Error(`no resource named ${name}; have ${rs.map((x) => x.name).join(", ")}`);
  return r;
};

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

  it("THEN mpu's namespace is exactly as specified", () => {
    expect(byName(run.registered, "mpu-namespace").inputs).toStrictEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "unit-mpu",
        labels: {
          "label.muni.lodz.pl/district": "srodmiescie",
          ...LABELS("mpu"),
          "muni.lodz.pl/cost-centre": "MPK-MPU-01",
          "muni.lodz.pl/wave": "1",
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
        annotations: {
          "muni.lodz.pl/name": "Miejska Pracownia Urbanistyczna w Łodzi",
          "muni.lodz.pl/short-name": "MPU",
        },
      },
    });
  });

  it("THEN mpu's quota and limit range are services.servers minus what its VMs take", () => {
    // 12 CPU − 4 − 2 (VMs); 48Gi − (16Gi + 321Mi) − (4Gi + 281Mi) (guests + KubeVirt overhead); 2Ti − 500Gi − 800Gi.
    const meta = (name: string) => ({ name, namespace: "unit-mpu", labels: LABELS("mpu") });
    expect(byName(run.registered, "mpu-quota").inputs).toStrictEqual({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: meta("unit-quota"),
      spec: {
        hard: {
          "requests.cpu": "6",
          "limits.cpu": "6",
          "requests.memory": "28070Mi",
          "limits.memory": "28070Mi",
          "requests.storage": "748Gi",
          persistentvolumeclaims: "28",
          pods: "58",
          "services.loadbalancers": "0",
          "services.nodeports": "0",
          "count/virtualmachines.kubevirt.io": "0",
        },
      },
    });
    expect(byName(run.registered, "mpu-limits").inputs).toStrictEqual({
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: meta("unit-limits"),
      spec: {
        limits: [
          {
            type: "Container",
            default: { cpu: "500m", memory: "512Mi" },
            defaultRequest: { cpu: "100m", memory: "128Mi" },
            max: { cpu: "6", memory: "28070Mi" },
          },
          { type: "PersistentVolumeClaim", max: { storage: "748Gi" } },
        ],
      },
    });
  });

  it("THEN mpu's VMs live in their own namespace: privileged for KubeVirt, quota of exactly the VMs, no pod rights for the unit", () => {
    const meta = (name: string) => ({ name, namespace: "unit-mpu-vm", labels: LABELS("mpu") });
    expect(byName(run.registered, "mpu-vmns-namespace").inputs).toStrictEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "unit-mpu-vm",
        labels: {
          ...LABELS("mpu"),
          "muni.lodz.pl/cost-centre": "MPK-MPU-01",
          "muni.lodz.pl/wave": "1",
          "muni.lodz.pl/service": "servers",
          "pod-security.kubernetes.io/enforce": "privileged",
          "pod-security.kubernetes.io/audit": "restricted",
        },
        annotations: {
          "muni.lodz.pl/name": "Miejska Pracownia Urbanistyczna w Łodzi",
          "muni.lodz.pl/short-name": "MPU",
          "muni.lodz.pl/pod-security":
            "privileged for KubeVirt virt-launcher pods; only muni and KubeVirt create workloads here",
        },
      },
    });
    expect(byName(run.registered, "mpu-vmns-quota").inputs).toStrictEqual({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: meta("unit-quota"),
      spec: {
        hard: {
          "requests.cpu": "6",
          "limits.cpu": "6",
          "requests.memory": "21082Mi",
          "limits.memory": "21082Mi",
          "requests.storage": "1300Gi",
          persistentvolumeclaims: "2",
          pods: "2",
          "services.loadbalancers": "0",
          "services.nodeports": "0",
          "count/virtualmachines.kubevirt.io": "2",
        },
      },
    });
    const rb = (name: string, roleRef: Record<string, string>, subjects: Record<string, string>[]) => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(name),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
      subjects: subjects.map((x) => ({ apiGroup: "rbac.authorization.k8s.io", ...x })),
    });
    const unitPeople = [
      { kind: "Group", name: "mpu-administratorzy" },
      { kind: "User", name: "anna.wisniewska@mpu.lodz.pl" },
    ];
    expect(byName(run.registered, "mpu-vmns-rb-view").inputs).toStrictEqual(
      rb("unit-view", { kind: "ClusterRole", name: "view" }, unitPeople),
    );
    expect(byName(run.registered, "mpu-vmns-rb-operations").inputs).toStrictEqual(
      rb("unit-vm-operations", { kind: "Role", name: "vm-operations" }, unitPeople),
    );
    expect(byName(run.registered, "mpu-vmns-rb-central-administrators").inputs).toStrictEqual(
      rb("central-administrators", { kind: "ClusterRole", name: "admin" }, [
        { kind: "Group", name: "uml-administratorzy-techniczni" },
      ]),
    );
    // The unit's own people get no admin (so no pod creation) in the privileged namespace.
    const adminInVmNs = run.registered.filter(
      (r) =>
        r.type.endsWith(":RoleBinding") &&
        (r.inputs.metadata as { namespace: string }).namespace === "unit-mpu-vm" &&
        (r.inputs.roleRef as { name: string }).name === "admin",
    );
    expect(adminInVmNs.map((r) => r.name)).toStrictEqual(["mpu-vmns-rb-central-administrators"]);
    // Both namespaces of the unit may talk to each other, and nothing else is opened by that rule.
    const link = (ns: string, other: string) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-unit-namespaces", namespace: ns, labels: LABELS("mpu") },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": other } } }] },
        ],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": other } } }] }],
      },
    });
    expect(byName(run.registered, "mpu-netpol-allow-unit-namespaces").inputs).toStrictEqual(
      link("unit-mpu", "unit-mpu-vm"),
    );
    expect(byName(run.registered, "mpu-netpol-vmns-allow-unit-namespaces").inputs).toStrictEqual(
      link("unit-mpu-vm", "unit-mpu"),
    );
    expect(
      run.registered
        .filter((r) => r.name.startsWith("mpu-netpol-vmns-"))
        .map((r) => r.name)
        .sort(),
    ).toStrictEqual([
      "mpu-netpol-vmns-allow-dns",
      "mpu-netpol-vmns-allow-same-namespace",
      "mpu-netpol-vmns-allow-to-antivirus",
      "mpu-netpol-vmns-allow-to-finance",
      "mpu-netpol-vmns-allow-to-mail",
      "mpu-netpol-vmns-allow-to-print",
      "mpu-netpol-vmns-allow-to-proxy",
      "mpu-netpol-vmns-allow-unit-namespaces",
      "mpu-netpol-vmns-default-deny",
    ]);
  });

  it("THEN mpu's network policies deny by default and allow exactly its services", () => {
    const meta = (name: string) => ({ name, namespace: "unit-mpu", labels: LABELS("mpu") });
    const np = (name: string, spec: Record<string, unknown>) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(name),
      spec: { podSelector: {}, ...spec },
    });
    const to = (ns: string, app: string) => ({
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": app } },
    });
    const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));
    const got = (n: string) => byName(run.registered, `mpu-netpol-${n}`).inputs;
    expect(got("default-deny")).toStrictEqual(np("default-deny", { policyTypes: ["Ingress", "Egress"] }));
    expect(got("allow-dns")).toStrictEqual(
      np("allow-dns", {
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      }),
    );
    expect(got("allow-same-namespace")).toStrictEqual(
      np("allow-same-namespace", {
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      }),
    );
    expect(got("allow-from-ingress")).toStrictEqual(
      np("allow-from-ingress", {
        policyTypes: ["Ingress"],
        ingress: [{ from: [to("ingress-nginx", "ingress-nginx")] }],
      }),
    );
    expect(got("allow-to-mail")).toStrictEqual(
      np("allow-to-mail", {
        policyTypes: ["Egress"],
        egress: [{ to: [to("platform-mail", "mail")], ports: tcp(25, 465, 587, 993) }],
      }),
    );
    expect(got("allow-to-print")).toStrictEqual(
      np("allow-to-print", {
        policyTypes: ["Egress"],
        egress: [{ to: [to("platform-print", "cups")], ports: tcp(631) }],
      }),
    );
    expect(got("allow-to-finance")).toStrictEqual(
      np("allow-to-finance", {
        policyTypes: ["Egress"],
        egress: [{ to: [to("platform-finance", "finance")], ports: tcp(443) }],
      }),
    );
    expect(got("allow-to-antivirus")).toStrictEqual(
      np("allow-to-antivirus", {
        policyTypes: ["Egress"],
        egress: [{ to: [to("platform-antivirus", "antivirus")], ports: tcp(443, 8443) }],
      }),
    );
    expect(got("allow-to-proxy")).toStrictEqual(
      np("allow-to-proxy", {
        policyTypes: ["Egress"],
        egress: [{ to: [to("platform-proxy", "proxy")], ports: tcp(3128) }],
      }),
    );
  });

  it("THEN mpu's RBAC is namespaced: admin for local and central administrators, view plus duties for operations leads", () => {
    const meta = (name: string) => ({ name, namespace: "unit-mpu", labels: LABELS("mpu") });
    const rb = (name: string, roleRef: Record<string, string>, subjects: Record<string, string>[]) => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(name),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
      subjects: subjects.map((s) => ({ apiGroup: "rbac.authorization.k8s.io", ...s })),
    });
    const got = (n: string) => byName(run.registered, `mpu-${n}`).inputs;
    expect(got("rb-local-administrators")).toStrictEqual(
      rb("local-administrators", { kind: "ClusterRole", name: "admin" }, [
        { kind: "Group", name: "mpu-administratorzy" },
      ]),
    );
    expect(got("rb-operations-leads-view")).toStrictEqual(
      rb("operations-leads-view", { kind: "ClusterRole", name: "view" }, [
        { kind: "User", name: "anna.wisniewska@mpu.lodz.pl" },
      ]),
    );
    expect(got("rb-operations-leads-duties")).toStrictEqual(
      rb("operations-leads-duties", { kind: "Role", name: "unit-operations" }, [
        { kind: "User", name: "anna.wisniewska@mpu.lodz.pl" },
      ]),
    );
    expect(got("rb-central-administrators")).toStrictEqual(
      rb("central-administrators", { kind: "ClusterRole", name: "admin" }, [
        { kind: "Group", name: "uml-administratorzy-techniczni" },
      ]),
    );
    expect(got("role-operations")).toStrictEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta("unit-operations"),
      rules: [
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
        { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["patch"] },
      ],
    });
    // Never cluster-wide.
    expect(run.registered.filter((r) => /ClusterRole/.test(r.type))).toStrictEqual([]);
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
      if (o.kind !== "Namespace" && !PLATFORM_NAMESPACES.includes(m.namespace!))
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

describe("isolation without services, and direct internet", () => {
  const root = join(__dirname, "..", "fixtures", "stacks", "basic");

  it("GIVEN a unit with no services WHEN provisioned THEN it is still isolated, quota-bounded and administered centrally", async () => {
    const { registered } = await runStack(root, "test");
    const bare = registered.filter((r) => r.name.startsWith("bare-")).map((r) => r.name);
    expect(bare.sort()).toStrictEqual([
      "bare-limits",
      "bare-namespace",
      "bare-netpol-allow-dns",
      "bare-netpol-allow-same-namespace",
      "bare-netpol-default-deny",
      "bare-quota",
      "bare-rb-central-administrators",
    ]);
    expect(
      (byName(registered, "bare-quota").inputs.spec as { hard: Record<string, string> }).hard,
    ).toStrictEqual({
      "requests.cpu": "1",
      "limits.cpu": "1",
      "requests.memory": "2Gi",
      "limits.memory": "2Gi",
      "requests.storage": "10Gi",
      persistentvolumeclaims: "5",
      pods: "10",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
      "count/virtualmachines.kubevirt.io": "0",
    });
  });

  it("GIVEN internet without network protection WHEN provisioned THEN egress goes anywhere except private ranges", async () => {
    const { registered } = await runStack(root, "test");
    expect(byName(registered, "open-netpol-allow-internet").inputs.spec).toStrictEqual({
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              ipBlock: {
                cidr: "0.0.0.0/0",
                except: [
                  "10.0.0.0/8",
                  "172.16.0.0/12",
                  "192.168.0.0/16",
                  "169.254.0.0/16",
                  "100.64.0.0/10",
                  "127.0.0.0/8",
                ],
              },
            },
            { ipBlock: { cidr: "::/0", except: ["fc00::/7", "fe80::/10", "::1/128"] } },
          ],
        },
      ],
    });
    expect(registered.map((r) => r.name)).not.toContain("open-netpol-allow-to-proxy");
    expect(kubernetesObjects(registered).flatMap(strictSchemaErrors)).toStrictEqual([]);
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
      'stacks/Pulumi.lodz-prod.yaml:37:12: config["muni:settings"].capacity.cpu: "lots" is not a valid CPU quantity (CPU available to units; e.g. \"256\")',
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
