export * from "./diagnostics";
export * from "./yaml-source";
export * from "./schema-validator";
export * from "./units";
export { checkUnit } from "./unit-checks";
export { crossCheck } from "./cross-checks";
export { isValidNip, isValidRegon } from "./checksums";
export * from "./stack";
export { STACK_CHECKS, runStackChecks, type StackCheck } from "./stack-checks";
