export { buildVm, systemDiskName, vmKey } from "./vm";
export { buildVmNamespace, buildVms, VM_OPERATIONS_RULES } from "./vm-namespace";
