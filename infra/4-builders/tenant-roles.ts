import { platformLabels } from "./platform-objects";
import type { Desired } from "./types";

/**
 * The roles muni binds unit subjects to, in place of Kubernetes' built-in `admin` and `view` (issue 13,
 * point 4). The built-in roles are aggregated: any installed add-on can widen them, and `admin` lets its
 * holder edit NetworkPolicies, create RoleBindings (and so bind anyone to `admin`), and write Endpoints.
 * These two are plain ClusterRoles with explicit rules and no aggregation, bound per namespace by
 * RoleBindings (rbac.ts, vm/vm-namespace.ts), so what a unit's people may do is exactly what is written here:
 *
 * - `muni-unit-admin` (local administrators): run their workloads (pods, Deployments, StatefulSets, Jobs,
 *   Services, ConfigMaps, Secrets, volume claims, Ingresses and Certificates, the last two checked against
 *   the unit's zones by the admission policies); read, never change, NetworkPolicies, ResourceQuotas,
 *   LimitRanges, Roles, RoleBindings, PodDisruptionBudgets, Endpoints and the namespace itself (its Pod
 *   Security labels and zones annotation); no `bind`, `escalate` or `impersonate`, nothing cluster-wide.
 * - `muni-unit-view` (operations leads, and VM operators in the VM namespace): read the same, except
 *   Secrets.
 */

/** Name of the ClusterRole of units' local administrators. */
export const UNIT_ADMIN_ROLE = "muni-unit-admin";
/** Name of the read-only ClusterRole of operations leads and VM operators. */
export const UNIT_VIEW_ROLE = "muni-unit-view";

const RBAC = "rbac.authorization.k8s.io";
const WRITE = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const READ = ["get", "list", "watch"];

/** One RBAC rule. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** What a unit's people run: full rights for the administrators, read for the others (Secrets apart). */
const WORKLOADS: PolicyRule[] = [
  {
    apiGroups: [""],
    resources: ["pods", "services", "configmaps", "persistentvolumeclaims", "serviceaccounts"],
    verbs: WRITE,
  },
  {
    apiGroups: ["apps"],
    resources: ["deployments", "statefulsets", "replicasets"],
    verbs: WRITE,
  },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: WRITE },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: WRITE },
  { apiGroups: ["cert-manager.io"], resources: ["certificates"], verbs: WRITE },
];

/** What nobody of a unit changes: its isolation, quota and RBAC, and what the platform runs for it. */
const ISOLATION: PolicyRule[] = [
  {
    apiGroups: [""],
    resources: ["namespaces", "resourcequotas", "limitranges", "endpoints", "events", "pods/log"],
    verbs: READ,
  },
  { apiGroups: ["apps"], resources: ["controllerrevisions"], verbs: READ },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: READ },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
  { apiGroups: [RBAC], resources: ["roles", "rolebindings"], verbs: READ },
  { apiGroups: ["cert-manager.io"], resources: ["certificaterequests", "issuers"], verbs: READ },
  { apiGroups: ["acme.cert-manager.io"], resources: ["challenges", "orders"], verbs: READ },
];

/** The rules of `muni-unit-admin`. */
export const UNIT_ADMIN_RULES: PolicyRule[] = [
  ...WORKLOADS,
  { apiGroups: [""], resources: ["secrets"], verbs: WRITE },
  { apiGroups: [""], resources: ["pods/exec", "pods/attach", "pods/portforward"], verbs: ["create", "get"] },
  {
    apiGroups: ["apps"],
    resources: ["deployments/scale", "statefulsets/scale", "replicasets/scale"],
    verbs: ["get", "patch", "update"],
  },
  ...ISOLATION,
  { apiGroups: ["authorization.k8s.io"], resources: ["localsubjectaccessreviews"], verbs: ["create"] },
];

/** The rules of `muni-unit-view`: the resources of WORKLOADS and ISOLATION, read only; no Secrets. */
export const UNIT_VIEW_RULES: PolicyRule[] = [...WORKLOADS.map((r) => ({ ...r, verbs: READ })), ...ISOLATION];

/** The two ClusterRoles, cluster-scoped objects of the platform render. */
export function buildTenantRoles(): Desired[] {
  const role = (key: string, name: string, rules: PolicyRule[], what: string): Desired => ({
    key,
    service: "platform",
    object: {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: {
        name,
        labels: platformLabels("tenancy"),
        annotations: { "muni.lodz.pl/purpose": what },
      },
      rules,
    },
  });
  return [
    role(
      "tenancy-role-unit-admin",
      UNIT_ADMIN_ROLE,
      UNIT_ADMIN_RULES,
      "local administrators of a unit, bound per namespace: workloads yes, isolation read-only (docs/security.md)",
    ),
    role(
      "tenancy-role-unit-view",
      UNIT_VIEW_ROLE,
      UNIT_VIEW_RULES,
      "operations leads and VM operators of a unit, bound per namespace: read-only, no Secrets (docs/security.md)",
    ),
  ];
}
