import { shouldProvision, todayOf } from "../1-model";
import { type Diagnostic, formatDiagnostic } from "../2-manifest/diagnostics";
import type { LoadedStack } from "../2-manifest/stack";
import type { LoadedUnit } from "../2-manifest/units";
import type { Ledger } from "../2-manifest/ledger";
import { checkRetirements } from "../3-rules/lifecycle";
import {
  checkTransitions,
  type Finding,
  locateFindings,
  massRemovalAllowedByEnv,
  type PreviousUnit,
  sourcesOf,
} from "../3-rules";

/** The base side of a plan, as the guards see it. */
export interface PlanBase {
  /** The git ref as given (messages say "git ref <ref>"). */
  ref: string;
  /** The stack's units at the base, with the base's settings deciding what was provisioned. */
  units: readonly PreviousUnit[];
}

/**
 * A rule on the change from the base to the head (a unit removed without decommissioning, too many
 * units leaving at once...): pure, given both sides; returns located findings, empty to let it through.
 */
export type PlanGuard = (
  base: PlanBase,
  current: readonly LoadedUnit[],
  stack: LoadedStack,
  env: NodeJS.ProcessEnv,
) => ReadonlyArray<Finding | Diagnostic | string>;

/** The lifecycle's transition guards (infra/3-rules/lifecycle/transitions.ts), with the base ref as "previous". */
export const lifecycleTransitions: PlanGuard = (base, current, stack, env) =>
  checkTransitions(base.units, current, stack.settings, {
    today: todayOf(stack.settings, env),
    allowMassRemoval: massRemovalAllowedByEnv(env),
    previousSource: `git ref ${base.ref}`,
    stack,
  });

/** Guards the plan applies with --base. */
export const PLAN_GUARDS: PlanGuard[] = [lifecycleTransitions];

/** What each unit of the base was, for the guards: located at its manifest there (`<ref>:units/<id>.yaml`). */
export function previousUnits(units: readonly LoadedUnit[], stack: LoadedStack): PreviousUnit[] {
  return units.map((u) => {
    const path = ["id"];
    return {
      id: u.unit.id,
      state: u.unit.lifecycle.state,
      wave: u.unit.lifecycle.wave,
      provisioned: shouldProvision(u.unit, stack.settings),
      file: u.file,
      where: { file: u.file, path, locate: () => u.source.locate(path) },
    };
  });
}

/** Every guard's findings, one line each (`file:line:col: field: message (hint)` where located). */
export function runPlanGuards(
  base: PlanBase,
  current: readonly LoadedUnit[],
  stack: LoadedStack,
  env: NodeJS.ProcessEnv = process.env,
  guards: readonly PlanGuard[] = PLAN_GUARDS,
): string[] {
  const sources = sourcesOf(stack, current);
  return guards.flatMap((g) =>
    g(base, current, stack, env).map((f) =>
      typeof f === "string" ? f : formatDiagnostic("path" in f ? locateFindings([f], sources)[0]! : f),
    ),
  );
}

/**
 * The retirement guard against the committed ledger (`muni plan` with or without a base): a VM, site or
 * mailbox removed from a provisioned unit that the ledger does not record as retired, with the exact
 * command that records it; where the stack protects data, that `pulumi up` would fail halfway without it.
 */
export function retirementFindings(
  committed: Pick<Ledger, "file" | "units">,
  current: readonly LoadedUnit[],
  stack: LoadedStack,
): string[] {
  const findings = checkRetirements(committed.units, current, stack.settings, {
    previousSource: `ledger ${committed.file}`,
    stack,
  });
  return locateFindings(findings, sourcesOf(stack, current)).map(formatDiagnostic);
}
