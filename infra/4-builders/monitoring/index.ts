export * from "./probes";
export * from "./rules";
