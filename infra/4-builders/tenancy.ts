import type { StackSettings } from "../1-model";
import { buildAdmissionPolicies } from "./admission-policy";
import { buildPlatformFences } from "./platform-network-policies";
import { buildTenantRoles } from "./tenant-roles";
import type { Desired } from "./types";

/**
 * Tenant isolation that belongs to the platform, not to one unit (docs/security.md): the ClusterRoles unit
 * subjects are bound to, the admission policies of unit namespaces, and the fences of the platform
 * namespaces. Pure: the same settings give the same objects.
 */
export function buildTenancy(settings: StackSettings): Desired[] {
  return [...buildTenantRoles(), ...buildAdmissionPolicies(settings), ...buildPlatformFences(settings)];
}
