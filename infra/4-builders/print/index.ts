export * from "./queues";
export * from "./builder";
export * from "./server-config";
export * from "../../3-rules/print";
