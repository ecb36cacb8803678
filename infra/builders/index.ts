export * from "./types";
export * from "./names";
export * from "./quantity";
export { buildNamespace } from "./namespace";
export { buildQuota, effectiveQuota, type EffectiveQuota } from "./quota";
export { buildNetworkPolicies, PRIVATE_IPV4, PRIVATE_IPV6 } from "./network-policies";
export { buildRbac, OPERATIONS_RULES } from "./rbac";
export { renderUnit, buildContext, UNIT_BUILDERS } from "./render";
