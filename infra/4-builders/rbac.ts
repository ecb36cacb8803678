import type { Identity } from "../1-model";
import { UNIT_ADMIN_ROLE, UNIT_VIEW_ROLE } from "./tenant-roles";
import type { BuildContext, Desired, ObjectMeta } from "./types";

const RBAC = "rbac.authorization.k8s.io";

/**
 * What local operations leads may do beyond `view`: read logs and restart workloads (delete a pod, roll a
 * Deployment or StatefulSet). Operating VMs is granted in the unit's VM namespace (vm/vm-namespace.ts).
 */
export const OPERATIONS_RULES = [
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["patch"] },
];

/**
 * RBAC in the unit's namespace only (never cluster-wide): local administrators get muni's
 * `muni-unit-admin` ClusterRole through a RoleBinding (their workloads, but not the namespace's isolation:
 * see tenant-roles.ts); operations leads get `muni-unit-view` plus the `unit-operations` Role; the stack's
 * central technical administrators get the built-in `admin` in every unit namespace. No unit subject is
 * bound to a built-in (aggregated) role, so what each may do is exactly the rules muni writes.
 */
export function buildRbac(ctx: BuildContext): Desired[] {
  const { unit, settings } = ctx;
  const meta = (name: string) => ({ name, namespace: ctx.namespace, labels: ctx.labels });
  const binding = (key: string, name: string, roleRef: RoleRef, who: readonly Identity[]) =>
    roleBinding({ key, service: "baseline", metadata: meta(name), roleRef, who });
  const leads = unit.roles.operationsLeads;
  return [
    ...binding(
      "rb-local-administrators",
      "local-administrators",
      { kind: "ClusterRole", name: UNIT_ADMIN_ROLE },
      unit.roles.localAdministrators,
    ),
    ...binding(
      "rb-operations-leads-view",
      "operations-leads-view",
      { kind: "ClusterRole", name: UNIT_VIEW_ROLE },
      leads,
    ),
    ...(leads.length
      ? [
          {
            key: "role-operations",
            service: "baseline" as const,
            object: {
              apiVersion: `${RBAC}/v1`,
              kind: "Role",
              metadata: meta("unit-operations"),
              rules: OPERATIONS_RULES,
            },
          },
        ]
      : []),
    ...binding(
      "rb-operations-leads-duties",
      "operations-leads-duties",
      { kind: "Role", name: "unit-operations" },
      leads,
    ),
    ...binding(
      "rb-central-administrators",
      "central-administrators",
      { kind: "ClusterRole", name: "admin" },
      [settings.centralAdministrators],
    ),
  ];
}

/** The role a binding grants. */
export interface RoleRef {
  kind: "ClusterRole" | "Role";
  name: string;
}

/** A RoleBinding of `who` (users and groups) to `roleRef`; nothing when there is nobody to bind. */
export function roleBinding(b: {
  key: string;
  service: Desired["service"];
  metadata: ObjectMeta;
  roleRef: RoleRef;
  who: readonly Pick<Identity, "kind" | "name">[];
}): Desired[] {
  if (b.who.length === 0) return [];
  const object = {
    apiVersion: `${RBAC}/v1`,
    kind: "RoleBinding",
    metadata: b.metadata,
    roleRef: { apiGroup: RBAC, ...b.roleRef },
    subjects: b.who.map(subject),
  };
  return [{ key: b.key, service: b.service, object }];
}

function subject(id: Pick<Identity, "kind" | "name">) {
  return { kind: id.kind === "group" ? "Group" : "User", apiGroup: RBAC, name: id.name };
}
