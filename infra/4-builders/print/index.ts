export * from "./queues";
export * from "./builder";
export * from "./server-config";
export * from "./server";
