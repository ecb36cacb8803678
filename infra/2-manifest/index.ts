export * from "./diagnostics";
export * from "./yaml-source";
export * from "./schema-validator";
export * from "./units";
export { checkUnit } from "../3-rules/unit";
export { crossCheck } from "../3-rules/cross-unit";
export { isValidNip, isValidRegon } from "./checksums";
export * from "./stack";
export { STACK_CHECKS, runStackChecks, type StackCheck } from "../3-rules/stack";
