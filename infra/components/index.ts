export { Unit, type UnitArgs, objectName } from "./unit";
export { registerObject } from "./register";
