export * from "./sha512-crypt";
export * from "./tenant";
export * from "./files";
export * from "./dns";
export * from "./builder";
export * from "./server-config";
export * from "./checks";
