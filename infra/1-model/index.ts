/** The domain model: types generated from the JSON Schemas (the one contract) and what derives from a unit alone. */
export type { Unit, Identity } from "./unit.generated";
export type { StackSettings } from "./stack.generated";
export * from "./services";
export * from "./names";
export * from "./quantity";
export * from "./quota";
export * from "./resource-use";
export * from "./lifecycle";
export * from "./clock";
export * from "./secrets";
export * from "./mail-tenant";
export * from "./tenancy";
export * from "./net";
export * from "./stack-names";
export * from "./pulumi-stacks";
export * from "./data-history";
export * from "./service-levels";
