export * from "./sha512-crypt";
export * from "./files";
export * from "./dns";
export * from "./builder";
export * from "./server-config";
export * from "./server";
