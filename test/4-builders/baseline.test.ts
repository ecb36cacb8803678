/**
 * The baseline builders as pure functions: a unit and its stack's settings in, Kubernetes objects out,
 * asserted whole. No Pulumi here: the mock-runtime tests (test/7-program) cover registration only.
 * Objects are named as the program names their Pulumi resources, `<unit id>-<key>`.
 */
import { join } from "node:path";
import { renderUnit } from "../../infra/4-builders/render";
import type { K8sObject } from "../../infra/4-builders/types";
import { loadProject } from "../../infra/3-rules/project";
import { strictSchemaErrors } from "../helpers/k8s-schemas";
import { lodzProd } from "./web/context";

interface Rendered {
  name: string;
  kind: string;
  object: K8sObject & Record<string, unknown>;
}

/** Every object of one unit as rendered, named `<unit id>-<key>`. */
function rendered(
  settings: Parameters<typeof renderUnit>[1],
  unit: Parameters<typeof renderUnit>[0],
): Rendered[] {
  return renderUnit(unit, settings).map((d) => ({
    name: `${unit.id}-${d.key}`,
    kind: d.object.kind,
    object: d.object as Rendered["object"],
  }));
}

const byName = (rs: readonly Rendered[], name: string): Rendered => {
  const r = rs.find((x) => x.name === name);
  if (!r) throw new Error(`no object named ${name}; have ${rs.map((x) => x.name).join(", ")}`);
  return r;
};

const LABELS = (unit: string) => ({ "app.kubernetes.io/managed-by": "muni", "muni.lodz.pl/unit": unit });

const lodz = lodzProd();
const mpu = rendered(
  lodz.settings,
  lodz.units.find((u) => u.id === "mpu")!,
);

/** The units of the fixture stack `basic` (a unit without services, one with direct internet), rendered. */
function basic(): Rendered[] {
  const project = loadProject(join(__dirname, "..", "fixtures", "stacks", "basic"), "test");
  if (!project.stack || project.diagnostics.length) throw new Error(JSON.stringify(project.diagnostics));
  return project.units.flatMap((u) => rendered(project.stack!.settings, u.unit));
}

describe("the baseline of unit mpu: namespace, quota, limits, VM namespace, network policies, RBAC", () => {
  it("GIVEN unit mpu of lodz-prod WHEN rendered THEN mpu's namespace is exactly as specified", () => {
    expect(byName(mpu, "mpu-namespace").object).toStrictEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "unit-mpu",
        labels: {
          "label.muni.lodz.pl/district": "srodmiescie",
          ...LABELS("mpu"),
          // The platforms it is enrolled in admit it by these (issue 13: the platform is fenced).
          "muni.lodz.pl/uses-mail": "true",
          "muni.lodz.pl/uses-print": "true",
          "muni.lodz.pl/uses-finance": "true",
          "muni.lodz.pl/uses-antivirus": "true",
          "muni.lodz.pl/uses-proxy": "true",
          // The admission policies apply here (issue 13: local admins cannot undo isolation).
          "muni.lodz.pl/unit-namespace": "true",
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
          // The unit's DNS zones, which the admission policy checks Ingress and Certificate hosts against.
          "muni.lodz.pl/zones": "mpu.lodz.pl",
        },
      },
    });
  });

  it("GIVEN unit mpu of lodz-prod WHEN rendered THEN mpu's quota and limit range are services.servers minus what its VMs take", () => {
    // 12 CPU − 4 − 2 (VMs); 48Gi − (16Gi + 321Mi) − (4Gi + 281Mi) (guests + KubeVirt overhead); 2Ti − 500Gi − 800Gi.
    const meta = (name: string) => ({ name, namespace: "unit-mpu", labels: LABELS("mpu") });
    expect(byName(mpu, "mpu-quota").object).toStrictEqual({
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
    expect(byName(mpu, "mpu-limits").object).toStrictEqual({
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

  it("GIVEN unit mpu of lodz-prod WHEN rendered THEN mpu's VMs live in their own namespace: privileged for KubeVirt, quota of exactly the VMs, no pod rights for the unit", () => {
    const meta = (name: string) => ({ name, namespace: "unit-mpu-vm", labels: LABELS("mpu") });
    expect(byName(mpu, "mpu-vmns-namespace").object).toStrictEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "unit-mpu-vm",
        labels: {
          ...LABELS("mpu"),
          "muni.lodz.pl/uses-mail": "true",
          "muni.lodz.pl/uses-print": "true",
          "muni.lodz.pl/uses-finance": "true",
          "muni.lodz.pl/uses-antivirus": "true",
          "muni.lodz.pl/uses-proxy": "true",
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
    expect(byName(mpu, "mpu-vmns-quota").object).toStrictEqual({
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
    expect(byName(mpu, "mpu-vmns-rb-view").object).toStrictEqual(
      rb("unit-view", { kind: "ClusterRole", name: "muni-unit-view" }, unitPeople),
    );
    expect(byName(mpu, "mpu-vmns-rb-operations").object).toStrictEqual(
      rb("unit-vm-operations", { kind: "Role", name: "vm-operations" }, unitPeople),
    );
    expect(byName(mpu, "mpu-vmns-rb-central-administrators").object).toStrictEqual(
      rb("central-administrators", { kind: "ClusterRole", name: "admin" }, [
        { kind: "Group", name: "uml-administratorzy-techniczni" },
      ]),
    );
    // The unit's own people get no admin (so no pod creation) in the privileged namespace.
    const adminInVmNs = mpu.filter(
      (r) =>
        r.kind === "RoleBinding" &&
        (r.object.metadata as { namespace: string }).namespace === "unit-mpu-vm" &&
        (r.object.roleRef as { name: string }).name === "admin",
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
    expect(byName(mpu, "mpu-netpol-allow-unit-namespaces").object).toStrictEqual(
      link("unit-mpu", "unit-mpu-vm"),
    );
    expect(byName(mpu, "mpu-netpol-vmns-allow-unit-namespaces").object).toStrictEqual(
      link("unit-mpu-vm", "unit-mpu"),
    );
    expect(
      mpu
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

  it("GIVEN unit mpu of lodz-prod WHEN rendered THEN mpu's network policies deny by default and allow exactly its services", () => {
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
    const got = (n: string) => byName(mpu, `mpu-netpol-${n}`).object;
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

  it("GIVEN unit mpu of lodz-prod WHEN rendered THEN mpu's RBAC is namespaced: muni-unit-admin for local administrators, muni-unit-view plus duties for operations leads, admin for central administrators", () => {
    const meta = (name: string) => ({ name, namespace: "unit-mpu", labels: LABELS("mpu") });
    const rb = (name: string, roleRef: Record<string, string>, subjects: Record<string, string>[]) => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta(name),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
      subjects: subjects.map((s) => ({ apiGroup: "rbac.authorization.k8s.io", ...s })),
    });
    const got = (n: string) => byName(mpu, `mpu-${n}`).object;
    expect(got("rb-local-administrators")).toStrictEqual(
      rb("local-administrators", { kind: "ClusterRole", name: "muni-unit-admin" }, [
        { kind: "Group", name: "mpu-administratorzy" },
      ]),
    );
    expect(got("rb-operations-leads-view")).toStrictEqual(
      rb("operations-leads-view", { kind: "ClusterRole", name: "muni-unit-view" }, [
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
    expect(mpu.filter((r) => r.kind.includes("ClusterRole"))).toStrictEqual([]);
  });

  it("GIVEN every object of mpu WHEN checked THEN each passes the upstream strict schema of its kind", () => {
    expect(mpu.length).toBeGreaterThan(40);
    expect(mpu.map((r) => r.object).flatMap(strictSchemaErrors)).toStrictEqual([]);
  });
});

describe("isolation without services, and direct internet (fixture stack basic)", () => {
  it("GIVEN a unit with no services WHEN rendered THEN it is still isolated, quota-bounded and administered centrally", () => {
    const registered = basic();
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
      (byName(registered, "bare-quota").object.spec as { hard: Record<string, string> }).hard,
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

  it("GIVEN internet without network protection WHEN rendered THEN egress goes anywhere except private ranges and the API server", () => {
    const registered = basic();
    expect(byName(registered, "open-netpol-allow-internet").object.spec).toStrictEqual({
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
                  "10.10.0.11/32", // the stack's tenancy.apiServerNetworks
                ],
              },
            },
            { ipBlock: { cidr: "::/0", except: ["fc00::/7", "fe80::/10", "::1/128"] } },
          ],
        },
      ],
    });
    expect(registered.map((r) => r.name)).not.toContain("open-netpol-allow-to-proxy");
    expect(registered.map((r) => r.object).flatMap(strictSchemaErrors)).toStrictEqual([]);
  });
});
