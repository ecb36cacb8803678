export * from "./rbac";
export * from "./stacks";
