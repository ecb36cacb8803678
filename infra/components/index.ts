export { Unit, type UnitArgs } from "./unit";
export { objectName } from "../builders/types";
export { registerObject } from "./register";
