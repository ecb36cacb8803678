export { shouldProvision } from "./provision";
