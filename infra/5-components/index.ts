export { Unit, type UnitArgs } from "./unit";
export { Platform, type PlatformArgs } from "./platform";
export { registerObject, registerDesired, type RegisterOptions, REGISTRABLE } from "./register";
