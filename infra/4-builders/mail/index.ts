export * from "./sha512-crypt";
export * from "../../1-model/mail-tenant";
export * from "./files";
export * from "./dns";
export * from "./builder";
export * from "./server-config";
export * from "../../3-rules/mail";
