import type { BuildContext, Desired } from "../types";
import { buildVm } from "./vm";

export { buildVm, vmRequests, vmMemoryOverhead, systemDiskName, vmKey, type Vm, type VmImage, type VmRequests } from "./vm";

/** Every virtual machine of the unit (nothing when it is not enrolled in `servers`). */
export function buildVms(ctx: BuildContext): Desired[] {
  return (ctx.unit.services.servers?.vms ?? []).map((vm) => buildVm(ctx, vm));
}
