export * from "./orchestrate";
export * from "./progress";
export * from "./pulumi";
