import type { BuildContext, Desired } from "../types";
import { buildVm } from "./vm";
import { buildVmNamespace } from "./vm-namespace";

export {
  buildVm,
  vmRequests,
  vmMemoryOverhead,
  systemDiskName,
  vmKey,
  type Vm,
  type VmImage,
  type VmRequests,
} from "./vm";

export { buildVmNamespace, vmShare, VM_OPERATIONS_RULES } from "./vm-namespace";

/** The unit's VM namespace and every virtual machine in it (nothing without VMs). */
export function buildVms(ctx: BuildContext): Desired[] {
  return [...buildVmNamespace(ctx), ...(ctx.unit.services.servers?.vms ?? []).map((vm) => buildVm(ctx, vm))];
}
