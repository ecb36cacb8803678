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
import { type DataHistory, EMPTY_HISTORY, type SecretSource } from "../1-model";
import { REDACTED_SECRETS } from "./secrets";
import type { BuildContext, Desired, UnitBuilder } from "./types";
import { applyLifecycle } from "./lifecycle";
import { buildTenancy } from "./tenancy";
import { buildBackup, buildPlatformBackup } from "./backup/schedules";
import { buildSiteProbes, buildPlatformProbes } from "./monitoring/probes";
import { buildPlatformRules, buildUnitRules } from "./monitoring/rules";

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
  buildBackup,
  buildSiteProbes,
  buildUnitRules,
];

/** The context builders get for one unit. */
export function buildContext(
  unit: Unit,
  settings: StackSettings,
  secrets: SecretSource = REDACTED_SECRETS,
  history: DataHistory = EMPTY_HISTORY,
): BuildContext {
  return {
    unit,
    settings,
    namespace: namespaceOf(unit, settings),
    labels: unitLabels(unit),
    secrets,
    history,
  };
}

/**
 * All objects of one unit. Pure: the same unit, settings, secrets and history give the same objects.
 * `history` is the unit's ledger record (default: none): its retired VMs (halted) and retired sites' content
 * volumes stay rendered, and its mailboxes get their incarnations.
 */
export function renderUnit(
  unit: Unit,
  settings: StackSettings,
  secrets: SecretSource = REDACTED_SECRETS,
  history: DataHistory = EMPTY_HISTORY,
): Desired[] {
  const ctx = buildContext(unit, settings, secrets, history);
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
 * Every platform object of a stack, from its settings alone: the shared mail and print servers (they read
 * their tenants at run time from the objects the unit stacks write, so no unit changes them), the tenant
 * isolation that is cluster-wide or in platform namespaces (tenancy.ts), and the platform's backups and
 * monitoring. Pure.
 */
export function renderPlatform(settings: StackSettings): Desired[] {
  const servers = [...buildMailServer(settings), ...buildPrintServer(settings), ...buildTenancy(settings)];
  // Backups and monitoring of the platform (backup/, monitoring/): only with the stack's settings for them.
  return [
    ...servers,
    ...buildPlatformBackup(settings),
    ...buildPlatformProbes(settings, servers),
    ...buildPlatformRules(settings),
  ];
}
