export * from "./types";
export * from "./secrets";
export * from "./render";
export * from "./lifecycle";
export * from "./retention";
export * from "./platform-objects";
export { buildNamespace } from "./namespace";
export { buildQuota } from "./quota";
export {
  buildNetworkPolicies,
  buildVmNetworkPolicies,
  PRIVATE_IPV4,
  PRIVATE_IPV6,
  publicInternet,
} from "./network-policies";
export { buildRbac, OPERATIONS_RULES, roleBinding, type RoleRef } from "./rbac";
export * from "./tenant-roles";
export * from "./admission-policy";
export * from "./platform-network-policies";
export * from "./tenancy";
export * from "./tenant-sync";
export * as mail from "./mail";
export * as web from "./web";
export * as vm from "./vm";
export * as enrollment from "./enrollment";
export * as print from "./print";
export * as operator from "./operator";
export * as backup from "./backup";
export * as monitoring from "./monitoring";
