import type { StackSettings } from "../../1-model";
import { ADMISSION_POLICY_NAMES } from "../admission-policy";
import { OPERATIONS_RULES } from "../rbac";
import { UNIT_ADMIN_ROLE, UNIT_VIEW_ROLE } from "../tenant-roles";
import type { K8sObject } from "../types";
import { VM_OPERATIONS_RULES } from "../vm/vm-namespace";

const RBAC = "rbac.authorization.k8s.io";

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** A kind the program registers: its API group, its resource (plural) and whether it lives in a namespace. */
export interface ManagedKind {
  apiVersion: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  /** Cluster-scoped kinds only: the names muni writes, the only objects of the kind the provisioner may change. */
  names?: readonly string[];
}

/**
 * Every kind the Pulumi program can register (5-components/register.ts: the typed classes and the custom
 * resources muni renders), with its resource name. A test checks this list against register.ts and against
 * every object rendered for the Łódź stacks and generated units, so a new kind cannot slip past the RBAC.
 */
export const MANAGED_KINDS: readonly ManagedKind[] = [
  { apiVersion: "v1", kind: "Namespace", resource: "namespaces", namespaced: false },
  { apiVersion: "v1", kind: "ResourceQuota", resource: "resourcequotas", namespaced: true },
  { apiVersion: "v1", kind: "LimitRange", resource: "limitranges", namespaced: true },
  { apiVersion: "v1", kind: "Secret", resource: "secrets", namespaced: true },
  { apiVersion: "v1", kind: "ConfigMap", resource: "configmaps", namespaced: true },
  { apiVersion: "v1", kind: "Service", resource: "services", namespaced: true },
  { apiVersion: "v1", kind: "ServiceAccount", resource: "serviceaccounts", namespaced: true },
  { apiVersion: "v1", kind: "PersistentVolumeClaim", resource: "persistentvolumeclaims", namespaced: true },
  { apiVersion: "apps/v1", kind: "Deployment", resource: "deployments", namespaced: true },
  { apiVersion: "apps/v1", kind: "StatefulSet", resource: "statefulsets", namespaced: true },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    resource: "networkpolicies",
    namespaced: true,
  },
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress", resource: "ingresses", namespaced: true },
  { apiVersion: `${RBAC}/v1`, kind: "Role", resource: "roles", namespaced: true },
  { apiVersion: `${RBAC}/v1`, kind: "RoleBinding", resource: "rolebindings", namespaced: true },
  {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRole",
    resource: "clusterroles",
    namespaced: false,
    names: [UNIT_ADMIN_ROLE, UNIT_VIEW_ROLE],
  },
  {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    resource: "validatingadmissionpolicies",
    namespaced: false,
    names: ADMISSION_POLICY_NAMES,
  },
  {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    resource: "validatingadmissionpolicybindings",
    namespaced: false,
    names: ADMISSION_POLICY_NAMES,
  },
  {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    resource: "poddisruptionbudgets",
    namespaced: true,
  },
  { apiVersion: "cert-manager.io/v1", kind: "Certificate", resource: "certificates", namespaced: true },
  { apiVersion: "kubevirt.io/v1", kind: "VirtualMachine", resource: "virtualmachines", namespaced: true },
  // Backups and monitoring (backup/, monitoring/): in Velero's and the monitoring namespace.
  { apiVersion: "velero.io/v1", kind: "Schedule", resource: "schedules", namespaced: true },
  { apiVersion: "monitoring.coreos.com/v1", kind: "Probe", resource: "probes", namespaced: true },
  {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    resource: "prometheusrules",
    namespaced: true,
  },
];

/** What the provisioner does with the kinds it manages: Pulumi reads, creates, server-side applies and deletes. */
const MANAGE = ["get", "list", "watch", "create", "update", "patch", "delete"];

/**
 * Read-only access Pulumi's Kubernetes provider needs to wait for what it created to become ready (its await
 * logic): Deployments roll out through ReplicaSets and Pods, Services get endpoints, events explain failures.
 */
const AWAIT_READS: readonly PolicyRule[] = [
  { apiGroups: [""], resources: ["pods", "endpoints", "events"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
];

/** The ClusterRoles muni's RoleBindings grant (4-builders/rbac.ts, vm/vm-namespace.ts). */
export const BOUND_CLUSTER_ROLES = ["admin", UNIT_ADMIN_ROLE, UNIT_VIEW_ROLE] as const;

/**
 * The ClusterRoles muni itself writes (4-builders/tenant-roles.ts): Kubernetes lets a subject write a role only
 * with the permissions it holds, or with `escalate` on it; `escalate` on exactly these two names keeps the
 * provisioner from needing every verb a unit administrator has.
 */
export const WRITTEN_CLUSTER_ROLES = [UNIT_ADMIN_ROLE, UNIT_VIEW_ROLE] as const;

/** Kubernetes cannot limit these verbs by name (the name is unknown when `create` or a list is authorized). */
const UNNAMEABLE = new Set(["create", "list", "watch"]);

/**
 * The rules grouped by API group, one rule per group for the kinds of any name, in a stable order; a kind
 * with `names` gets its own rules: `create` unnamed (Kubernetes' escalation check still bounds what a created
 * role may grant) and every other verb on exactly those names.
 */
function managedRules(kinds: readonly ManagedKind[]): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  const named: PolicyRule[] = [];
  for (const k of kinds) {
    const group = k.apiVersion.includes("/") ? k.apiVersion.split("/")[0]! : "";
    if (k.names === undefined) byGroup.set(group, [...(byGroup.get(group) ?? []), k.resource]);
    else
      named.push(
        { apiGroups: [group], resources: [k.resource], verbs: ["create"] },
        {
          apiGroups: [group],
          resources: [k.resource],
          verbs: MANAGE.filter((v) => !UNNAMEABLE.has(v)),
          resourceNames: [...k.names],
        },
      );
  }
  return [
    ...[...byGroup].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: MANAGE })),
    ...named,
  ];
}

/**
 * The provisioner's cluster-wide permissions, and no more: manage every kind the program registers (in any
 * namespace, since unit namespaces come and go); read what Pulumi's await logic watches; hold every
 * permission muni's Roles grant (Kubernetes lets a subject create a Role only with permissions it holds, so
 * this avoids the broad `escalate` verb) for its Roles; `escalate` only on the two ClusterRoles muni writes;
 * and `bind` exactly the ClusterRoles muni's RoleBindings name (no `impersonate`, no wildcard).
 */
export function provisionerRules(): PolicyRule[] {
  return [
    ...managedRules(MANAGED_KINDS),
    ...AWAIT_READS,
    ...[...OPERATIONS_RULES, ...VM_OPERATIONS_RULES].map((r) => ({
      apiGroups: [...r.apiGroups],
      resources: [...r.resources],
      verbs: [...r.verbs],
    })),
    {
      apiGroups: [RBAC],
      resources: ["clusterroles"],
      verbs: ["bind"],
      resourceNames: [...BOUND_CLUSTER_ROLES],
    },
    {
      apiGroups: [RBAC],
      resources: ["clusterroles"],
      verbs: ["escalate"],
      resourceNames: [...WRITTEN_CLUSTER_ROLES],
    },
  ];
}

/** Where the provisioner's objects go. */
export interface ProvisionerIdentity {
  /** The operator's namespace (Stacks, workspaces, the ServiceAccount). */
  namespace: string;
  /** The ServiceAccount's name; the ClusterRole and bindings are named after it. */
  serviceAccount: string;
}

const LABELS = { "app.kubernetes.io/managed-by": "muni", "app.kubernetes.io/part-of": "muni-operator" };

/**
 * The provisioner's ServiceAccount and RBAC: the ClusterRole of provisionerRules and its binding; the
 * `system:auth-delegator` binding the operator requires of a workspace's ServiceAccount (the operator
 * authenticates to the workspace pod with tokens the pod reviews); and, in each namespace of the VM image
 * catalogue's DataSources, the right to clone them (CDI authorizes a VM's disk clone as its creator).
 */
export function provisionerRbac(id: ProvisionerIdentity, settings: Pick<StackSettings, "vm">): K8sObject[] {
  const subject = { kind: "ServiceAccount", name: id.serviceAccount, namespace: id.namespace };
  const imageNamespaces = [
    ...new Set(
      Object.values(settings.vm.images).flatMap((i) => (i?.dataSource ? [i.dataSource.namespace] : [])),
    ),
  ].sort();
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: id.serviceAccount, namespace: id.namespace, labels: LABELS },
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: id.serviceAccount, labels: LABELS },
      rules: provisionerRules(),
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: id.serviceAccount, labels: LABELS },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: id.serviceAccount },
      subjects: [subject],
    },
    {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: `${id.serviceAccount}-auth-delegator`, labels: LABELS },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "system:auth-delegator" },
      subjects: [subject],
    },
    ...imageNamespaces.flatMap((ns): K8sObject[] => [
      {
        apiVersion: `${RBAC}/v1`,
        kind: "Role",
        metadata: { name: `${id.serviceAccount}-clone-images`, namespace: ns, labels: LABELS },
        rules: [
          { apiGroups: ["cdi.kubevirt.io"], resources: ["datasources"], verbs: ["get"] },
          { apiGroups: ["cdi.kubevirt.io"], resources: ["datavolumes/source"], verbs: ["create"] },
        ],
      },
      {
        apiVersion: `${RBAC}/v1`,
        kind: "RoleBinding",
        metadata: { name: `${id.serviceAccount}-clone-images`, namespace: ns, labels: LABELS },
        roleRef: { apiGroup: RBAC, kind: "Role", name: `${id.serviceAccount}-clone-images` },
        subjects: [subject],
      },
    ]),
  ];
}
