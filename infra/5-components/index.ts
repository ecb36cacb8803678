export { Unit, type UnitArgs } from "./unit";
export { objectName } from "../4-builders/types";
export { registerObject } from "./register";
