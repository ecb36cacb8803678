export * from "./diagnostics";
export * from "./yaml-source";
export * from "./schema-validator";
export * from "./units";
export * from "./stack";
export * from "./ledger";
export * from "./project-root";
export { isValidNip, isValidRegon } from "./checksums";
