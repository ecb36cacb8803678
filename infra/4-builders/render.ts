import { namespaceOf, type StackSettings, type Unit, unitLabels } from "../1-model";
import { buildNamespace } from "./namespace";
import { buildNetworkPolicies } from "./network-policies";
import { buildQuota } from "./quota";
import { buildRbac } from "./rbac";
import { buildMail } from "./mail/builder";
import { buildPrint } from "./print/builder";
import { buildWeb } from "./web/site";
import { buildVms } from "./vm/vm-namespace";
import { buildEnrollment } from "./enrollment/enrollment";
import { buildMailServer } from "./mail/server";
import { buildPrintServer } from "./print/server";
import type { SecretSource } from "../1-model";
import { REDACTED_SECRETS } from "./secrets";
import type { BuildContext, Desired, UnitBuilder } from "./types";
import { applyLifecycle } from "./lifecycle";
import { buildTenancy } from "./tenancy";

/**
 * Every builder of a unit, in registration order. The namespace comes first; services add theirs.
 * The Pulumi program, the plan and the reports all render units through this one list.
 */
export const UNIT_BUILDERS: readonly UnitBuilder[] = [
  buildNamespace,
  buildQuota,
  buildNetworkPolicies,
  buildRbac,
  buildMail,
  buildPrint,
  buildWeb,
  buildVms,
  buildEnrollment,
];

/** The context builders get for one unit. */
export function buildContext(
  unit: Unit,
  settings: StackSettings,
  secrets: SecretSource = REDACTED_SECRETS,
): BuildContext {
  return { unit, settings, namespace: namespaceOf(unit, settings), labels: unitLabels(unit), secrets };
}

/** All objects of one unit. Pure: the same unit, settings and secrets give the same objects. */
export function renderUnit(
  unit: Unit,
  settings: StackSettings,
  secrets: SecretSource = REDACTED_SECRETS,
): Desired[] {
  const ctx = buildContext(unit, settings, secrets);
  const out = UNIT_BUILDERS.flatMap((b) => b(ctx));
  const seen = new Set<string>();
  for (const d of out) {
    if (seen.has(d.key)) throw new Error(`builder bug: unit ${unit.id} renders key "${d.key}" twice`);
    seen.add(d.key);
  }
  // A unit leaving stops taking new data (lifecycle.ts); others pass unchanged.
  return applyLifecycle(unit, out);
}

/**
 * Every platform object of a stack: the shared mail and print servers, for the units they serve, and the
 * tenant isolation that is cluster-wide or in platform namespaces (tenancy.ts). Pure.
 */
export function renderPlatform(settings: StackSettings, units: readonly Unit[]): Desired[] {
  return [...buildMailServer(settings, units), ...buildPrintServer(settings), ...buildTenancy(settings)];
}
