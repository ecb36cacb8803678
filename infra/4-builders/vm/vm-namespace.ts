import {
  ANNOTATION,
  bytes,
  type Identity,
  LABEL,
  retiredVms,
  serviceUseLabels,
  type Vm,
  vmNamespaceOf,
  vmShare,
} from "../../1-model";
import { buildVmNetworkPolicies } from "../network-policies";
import { type RoleRef, roleBinding } from "../rbac";
import { UNIT_VIEW_ROLE } from "../tenant-roles";
import { formatBytes, formatCpu } from "../../1-model";
import { buildVm } from "./vm";
import type { BuildContext, Desired } from "../types";

const RBAC = "rbac.authorization.k8s.io";

/**
 * What a unit's administrators and operations leads may do with its VMs: see them, start, stop and
 * restart them, and open their console and VNC. Creating pods or VMs is not among it: muni declares the
 * VMs, and the namespace runs at Pod Security `privileged`.
 */
export const VM_OPERATIONS_RULES = [
  {
    apiGroups: ["kubevirt.io"],
    resources: ["virtualmachines", "virtualmachineinstances"],
    verbs: ["get", "list", "watch"],
  },
  {
    apiGroups: ["subresources.kubevirt.io"],
    resources: [
      "virtualmachines/start",
      "virtualmachines/stop",
      "virtualmachines/restart",
      "virtualmachineinstances/console",
      "virtualmachineinstances/vnc",
    ],
    verbs: ["get", "update"],
  },
];

/**
 * The unit's VM namespace `<namespace>-vm`, for units with VMs: KubeVirt's virt-launcher pods need Pod
 * Security `privileged`, which must never apply where the unit's administrators can create pods. So the
 * VMs live here, with a quota of exactly the VMs' share of the unit's quota (the unit's own namespace
 * gets the rest), the unit's network isolation, and RBAC that lets the unit operate its VMs but not
 * create workloads (muni's read-only role, never the built-in aggregated `view`); the central technical
 * administrators are admins here too.
 */
export function buildVmNamespace(ctx: BuildContext): Desired[] {
  const vms = ctx.unit.services.servers?.vms ?? [];
  const retired = retiredVmsOf(ctx);
  if (vms.length === 0 && retired.length === 0) return [];
  const { unit, settings } = ctx;
  const ns = vmNamespaceOf(unit, settings);
  const share = vmShare(ctx);
  // Retired VMs stay, halted: no pod, but their disks and VM objects still count in the namespace.
  share.storage += retired.reduce((s, vm) => s + bytes(vm.disk), 0);
  share.volumes += retired.length;
  share.vms += retired.length;
  const meta = (name: string) => ({ name, namespace: ns, labels: ctx.labels });
  const operators = [...unit.roles.localAdministrators, ...unit.roles.operationsLeads].filter(
    (who, i, all) => all.findIndex((o) => o.kind === who.kind && o.name === who.name) === i,
  );
  const binding = (
    key: string,
    name: string,
    roleRef: RoleRef,
    who: readonly Pick<Identity, "kind" | "name">[],
  ) => roleBinding({ key, service: "servers", metadata: meta(name), roleRef, who });
  return [
    {
      key: "vmns-namespace",
      service: "servers",
      object: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: ns,
          labels: {
            ...ctx.labels,
            // The platforms its VMs reach admit the namespace by these (platform-network-policies.ts).
            ...serviceUseLabels(unit),
            [LABEL.costCentre]: unit.costCentre,
            [LABEL.wave]: String(unit.lifecycle.wave),
            [LABEL.service]: "servers",
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/audit": "restricted",
          },
          annotations: {
            [ANNOTATION.name]: unit.name,
            [ANNOTATION.shortName]: unit.shortName,
            "muni.lodz.pl/pod-security":
              "privileged for KubeVirt virt-launcher pods; only muni and KubeVirt create workloads here",
          },
        },
      },
    },
    {
      key: "vmns-quota",
      service: "servers",
      object: {
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: meta("unit-quota"),
        spec: {
          hard: {
            "requests.cpu": formatCpu(share.cpuMillis),
            "limits.cpu": formatCpu(share.cpuLimitMillis),
            "requests.memory": formatBytes(share.memory),
            "limits.memory": formatBytes(share.memoryLimit),
            "requests.storage": formatBytes(share.storage),
            persistentvolumeclaims: String(share.volumes),
            pods: String(share.pods),
            "services.loadbalancers": "0",
            "services.nodeports": "0",
            "count/virtualmachines.kubevirt.io": String(share.vms),
          },
        },
      },
    },
    ...buildVmNetworkPolicies(ctx),
    {
      key: "vmns-role-operations",
      service: "servers",
      object: {
        apiVersion: `${RBAC}/v1`,
        kind: "Role",
        metadata: meta("vm-operations"),
        rules: VM_OPERATIONS_RULES,
      },
    },
    ...binding("vmns-rb-view", "unit-view", { kind: "ClusterRole", name: UNIT_VIEW_ROLE }, operators),
    ...binding(
      "vmns-rb-operations",
      "unit-vm-operations",
      { kind: "Role", name: "vm-operations" },
      operators,
    ),
    ...binding(
      "vmns-rb-central-administrators",
      "central-administrators",
      { kind: "ClusterRole", name: "admin" },
      [settings.centralAdministrators],
    ),
  ];
}

/**
 * The VMs retired from the unit (its ledger record) that it does not declare again: kept in the program,
 * halted (runStrategy Halted), so their disks stay managed, retained and, where the stack protects data,
 * protected. A name the manifest declares again is refused by the retirement guard.
 */
function retiredVmsOf(ctx: BuildContext): Vm[] {
  const declared = new Set((ctx.unit.services.servers?.vms ?? []).map((vm) => vm.name));
  return retiredVms(ctx.history).filter((vm) => !declared.has(vm.name));
}

/** The unit's VM namespace and every virtual machine in it, retired ones halted (nothing without VMs). */
export function buildVms(ctx: BuildContext): Desired[] {
  return [
    ...buildVmNamespace(ctx),
    ...(ctx.unit.services.servers?.vms ?? []).map((vm) => buildVm(ctx, vm)),
    ...retiredVmsOf(ctx).map((vm) => buildVm(ctx, vm)),
  ];
}
