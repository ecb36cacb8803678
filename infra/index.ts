/** muni as a library: the model, the loaders, the pure builders, the components and the stack program. */
export * as model from "./model";
export * as manifest from "./manifest";
export * as builders from "./builders";
export * as components from "./components";
export * as lifecycle from "./lifecycle";
export { defineStack, type StackArgs, type StackOutputs } from "./stack";
export { projectRoot } from "./project-root";
