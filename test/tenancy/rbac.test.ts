import { join } from "node:path";
import { loadProject } from "../../infra/3-rules";
import { type K8sObject, renderPlatform, renderUnit } from "../../infra/4-builders";
import { strictSchemaErrors } from "../helpers/k8s-schemas";

// Issue 13, point 4: what each role may do, computed from the RBAC objects muni renders (not read from
// the builders' constants), as data: for each subject and namespace, the verbs on each resource.

const project = loadProject(join(__dirname, "..", ".."), "lodz-prod");
const settings = project.stack!.settings;
const mpu = project.units.find((u) => u.unit.id === "mpu")!.unit;
const objects: K8sObject[] = [
  ...renderPlatform(settings).map((d) => d.object),
  ...renderUnit(mpu, settings).map((d) => d.object),
];

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
type Subject = { kind: "User" | "Group"; name: string };

/** The rendered Role or ClusterRole a binding in `namespace` refers to (undefined: a built-in one). */
function roleOf(objects: readonly K8sObject[], binding: K8sObject, namespace: string): K8sObject | undefined {
  const ref = binding.roleRef as { kind: string; name: string };
  return objects.find(
    (o) =>
      o.kind === ref.kind &&
      o.metadata.name === ref.name &&
      (ref.kind === "ClusterRole" || o.metadata.namespace === namespace),
  );
}

/** Verbs per `group/resource` a subject gets in a namespace; a built-in (not muni-rendered) ClusterRole is listed by name. */
function effective(subject: Subject, namespace: string): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  const bindings = objects.filter(
    (o) =>
      o.kind === "RoleBinding" &&
      o.metadata.namespace === namespace &&
      (o.subjects as Subject[]).some((s) => s.kind === subject.kind && s.name === subject.name),
  );
  for (const b of bindings) {
    const ref = b.roleRef as { kind: string; name: string };
    const role = roleOf(objects, b, namespace);
    if (!role) {
      (out[`built-in ClusterRole`] ??= new Set()).add(ref.name);
      continue;
    }
    for (const r of role.rules as Rule[])
      for (const g of r.apiGroups)
        for (const res of r.resources) {
          const set = (out[`${g || "core"}/${res}`] ??= new Set());
          r.verbs.forEach((v) => set.add(v));
        }
  }
  return Object.fromEntries(
    Object.entries(out)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, [...v].sort()]),
  );
}

const ADMINS: Subject = { kind: "Group", name: "mpu-administratorzy" };
const LEAD: Subject = { kind: "User", name: "anna.wisniewska@mpu.lodz.pl" };
const CENTRAL: Subject = { kind: "Group", name: "uml-administratorzy-techniczni" };
const ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const READ = ["get", "list", "watch"];

describe("effective permissions of unit mpu's people, computed from the rendered RBAC", () => {
  it("GIVEN the local administrators WHEN their rights in unit-mpu are computed THEN they run workloads and only read the namespace's isolation, quota and RBAC", () => {
    expect(effective(ADMINS, "unit-mpu")).toStrictEqual({
      "acme.cert-manager.io/challenges": READ,
      "acme.cert-manager.io/orders": READ,
      "apps/controllerrevisions": READ,
      "apps/deployments": ALL,
      "apps/deployments/scale": ["get", "patch", "update"],
      "apps/replicasets": ALL,
      "apps/replicasets/scale": ["get", "patch", "update"],
      "apps/statefulsets": ALL,
      "apps/statefulsets/scale": ["get", "patch", "update"],
      "authorization.k8s.io/localsubjectaccessreviews": ["create"],
      "autoscaling/horizontalpodautoscalers": ALL,
      "batch/cronjobs": ALL,
      "batch/jobs": ALL,
      "cert-manager.io/certificaterequests": READ,
      "cert-manager.io/certificates": ALL,
      "cert-manager.io/issuers": READ,
      "core/configmaps": ALL,
      "core/endpoints": READ,
      "core/events": READ,
      "core/limitranges": READ,
      "core/namespaces": READ,
      "core/persistentvolumeclaims": ALL,
      "core/pods": ALL,
      "core/pods/attach": ["create", "get"],
      "core/pods/exec": ["create", "get"],
      "core/pods/log": READ,
      "core/pods/portforward": ["create", "get"],
      "core/resourcequotas": READ,
      "core/secrets": ALL,
      "core/serviceaccounts": ALL,
      "core/services": ALL,
      "discovery.k8s.io/endpointslices": READ,
      "networking.k8s.io/ingresses": ALL,
      "networking.k8s.io/networkpolicies": READ,
      "policy/poddisruptionbudgets": READ,
      "rbac.authorization.k8s.io/rolebindings": READ,
      "rbac.authorization.k8s.io/roles": READ,
    });
  });

  it("GIVEN the operations lead WHEN their rights in unit-mpu are computed THEN read (no Secrets), logs and restarts", () => {
    expect(effective(LEAD, "unit-mpu")).toStrictEqual({
      "acme.cert-manager.io/challenges": READ,
      "acme.cert-manager.io/orders": READ,
      "apps/controllerrevisions": READ,
      "apps/deployments": ["get", "list", "patch", "watch"],
      "apps/replicasets": READ,
      "apps/statefulsets": ["get", "list", "patch", "watch"],
      "autoscaling/horizontalpodautoscalers": READ,
      "batch/cronjobs": READ,
      "batch/jobs": READ,
      "cert-manager.io/certificaterequests": READ,
      "cert-manager.io/certificates": READ,
      "cert-manager.io/issuers": READ,
      "core/configmaps": READ,
      "core/endpoints": READ,
      "core/events": READ,
      "core/limitranges": READ,
      "core/namespaces": READ,
      "core/persistentvolumeclaims": READ,
      "core/pods": ["delete", "get", "list", "watch"],
      "core/pods/log": READ,
      "core/resourcequotas": READ,
      "core/serviceaccounts": READ,
      "core/services": READ,
      "discovery.k8s.io/endpointslices": READ,
      "networking.k8s.io/ingresses": READ,
      "networking.k8s.io/networkpolicies": READ,
      "policy/poddisruptionbudgets": READ,
      "rbac.authorization.k8s.io/rolebindings": READ,
      "rbac.authorization.k8s.io/roles": READ,
    });
  });

  it("GIVEN the unit's people in the privileged VM namespace WHEN computed THEN they read and operate VMs but create nothing", () => {
    const vm = effective(ADMINS, "unit-mpu-vm");
    expect(effective(LEAD, "unit-mpu-vm")).toStrictEqual(vm);
    expect(
      Object.entries(vm).filter(([, verbs]) => verbs.some((v) => ["create", "delete", "patch"].includes(v))),
    ).toStrictEqual([]);
    expect(vm).toStrictEqual(
      expect.objectContaining({
        "kubevirt.io/virtualmachines": READ,
        "kubevirt.io/virtualmachineinstances": READ,
        "subresources.kubevirt.io/virtualmachines/start": ["get", "update"],
        "core/pods": READ,
      }),
    );
  });

  it("GIVEN every binding WHEN its role is looked up THEN only the central administrators hold a built-in (aggregated) role, admin in both namespaces", () => {
    expect(effective(CENTRAL, "unit-mpu")).toStrictEqual({ "built-in ClusterRole": ["admin"] });
    expect(effective(CENTRAL, "unit-mpu-vm")).toStrictEqual({ "built-in ClusterRole": ["admin"] });
    const builtIn = objects
      .filter((o) => o.kind === "RoleBinding")
      .filter(
        (b) =>
          !objects.some(
            (o) =>
              o.kind === (b.roleRef as { kind: string }).kind &&
              o.metadata.name === (b.roleRef as { name: string }).name,
          ),
      )
      .map((b) => [b.metadata.namespace, b.metadata.name, (b.roleRef as { name: string }).name]);
    expect(builtIn).toStrictEqual([
      ["unit-mpu", "central-administrators", "admin"],
      ["unit-mpu-vm", "central-administrators", "admin"],
    ]);
  });

  it("GIVEN muni's roles WHEN inspected THEN none grants bind, escalate, impersonate or a wildcard, none aggregates, and each passes the strict ClusterRole schema", () => {
    const roles = objects.filter((o) => o.kind === "ClusterRole" || o.kind === "Role");
    expect(roles.map((r) => `${r.kind}/${r.metadata.name}`)).toStrictEqual([
      "Role/tenant-sync", // platform-mail: get/list/watch Secrets, for the mail server's tenant sync
      "Role/tenant-sync", // platform-print: get/list/watch ConfigMaps, for the print server's tenant sync
      "ClusterRole/muni-unit-admin",
      "ClusterRole/muni-unit-view",
      "Role/unit-operations",
      "Role/vm-operations",
    ]);
    const dangerous = roles.flatMap((r) =>
      (r.rules as Rule[]).flatMap((rule) =>
        [...rule.verbs, ...rule.resources, ...rule.apiGroups]
          .filter((x) => ["bind", "escalate", "impersonate", "*"].includes(x))
          .map((x) => `${r.metadata.name}: ${x}`),
      ),
    );
    expect(dangerous).toStrictEqual([]);
    expect(roles.filter((r) => "aggregationRule" in r).map((r) => r.metadata.name)).toStrictEqual([]);
    expect(roles.flatMap(strictSchemaErrors)).toStrictEqual([]);
  });

  it("GIVEN any unit subject in any unit namespace WHEN computed THEN no write verb reaches NetworkPolicies, quotas, limits, RBAC, the namespace, Endpoints or PodDisruptionBudgets", () => {
    const guarded = [
      "networking.k8s.io/networkpolicies",
      "core/resourcequotas",
      "core/limitranges",
      "rbac.authorization.k8s.io/roles",
      "rbac.authorization.k8s.io/rolebindings",
      "core/namespaces",
      "core/endpoints",
      "discovery.k8s.io/endpointslices",
      "policy/poddisruptionbudgets",
    ];
    const writes = [ADMINS, LEAD].flatMap((s) =>
      ["unit-mpu", "unit-mpu-vm"].flatMap((ns) =>
        Object.entries(effective(s, ns))
          .filter(([res, verbs]) => guarded.includes(res) && verbs.some((v) => !READ.includes(v)))
          .map(([res, verbs]) => `${s.name} ${ns} ${res}: ${verbs.join(",")}`),
      ),
    );
    expect(writes).toStrictEqual([]);
  });
});

describe("who may read the mail passwords' Secrets (issue 14.5; docs/security.md, 'Mail passwords')", () => {
  const everything: K8sObject[] = [
    ...renderPlatform(settings).map((d) => d.object),
    ...project.units.flatMap((u) => renderUnit(u.unit, settings).map((d) => d.object)),
  ];
  /** Subjects of the rendered bindings in `namespace` whose role lets them get Secrets (built-in roles named). */
  function secretReaders(namespace: string): string[] {
    const readers = everything
      .filter((o) => o.kind === "RoleBinding" && o.metadata.namespace === namespace)
      .filter((b) => {
        const role = roleOf(everything, b, namespace);
        if (!role) return ["admin", "edit", "cluster-admin"].includes((b.roleRef as { name: string }).name);
        return (role.rules as Rule[]).some(
          (r) => r.apiGroups.includes("") && r.resources.includes("secrets") && r.verbs.includes("get"),
        );
      })
      .flatMap((b) => (b.subjects as Subject[]).map((s) => `${s.kind}/${s.name}`));
    return [...new Set(readers)].sort();
  }

  it("GIVEN every Łódź unit and the platform WHEN the bindings that reach Secrets are computed THEN a unit's initial passwords are readable by its local administrators and the central administrators only", () => {
    expect(
      Object.fromEntries(["unit-css", "unit-mpu", "unit-zzm"].map((ns) => [ns, secretReaders(ns)])),
    ).toStrictEqual({
      "unit-css": ["Group/css-administratorzy", "Group/uml-administratorzy-techniczni"],
      "unit-mpu": ["Group/mpu-administratorzy", "Group/uml-administratorzy-techniczni"],
      "unit-zzm": ["Group/uml-administratorzy-techniczni", "User/tomasz.kaczmarek@zzm.lodz.pl"],
    });
    expect(
      everything.filter((o) => o.kind === "ClusterRoleBinding").map((o) => o.metadata.name),
    ).toStrictEqual([]);
  });

  it("GIVEN the platform WHEN the same is computed for platform-mail THEN only the mail server's tenant sync reads the tenants' tables (their hashes)", () => {
    expect(secretReaders("platform-mail")).toStrictEqual(["ServiceAccount/tenant-sync"]);
  });
});
