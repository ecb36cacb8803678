export * from "./common";
export * from "./mail-server";
export * from "./print-server";
export * from "./platform";
