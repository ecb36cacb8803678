export { run, main } from "./main";
export * from "./io";
