import { todayOf } from "../1-model/clock";
import { massRemovalAllowedByEnv } from "../3-rules/lifecycle/ledger-guards";
import { type PreviousUnit, checkTransitions } from "../3-rules/lifecycle/transitions";
import { type Diagnostic, formatDiagnostic } from "../2-manifest/diagnostics";
import type { LoadedStack } from "../2-manifest/stack";
import type { LoadedUnit } from "../2-manifest/units";
import { shouldProvision } from "../1-model/lifecycle";

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
) => ReadonlyArray<Diagnostic | string>;

/** The lifecycle's transition guards (infra/lifecycle/transitions.ts), with the base ref as "previous". */
export const lifecycleTransitions: PlanGuard = (base, current, stack, env) =>
  checkTransitions(base.units, current, stack.settings, {
    today: todayOf(stack.settings, env),
    allowMassRemoval: massRemovalAllowedByEnv(env),
    previousSource: `git ref ${base.ref}`,
    stack: { name: stack.name, source: stack.source },
  });

/** Guards the plan applies with --base. */
export const PLAN_GUARDS: PlanGuard[] = [lifecycleTransitions];

/** What each unit of the base was, for the guards: located at its manifest there (`<ref>:units/<id>.yaml`). */
export function previousUnits(units: readonly LoadedUnit[], stack: LoadedStack): PreviousUnit[] {
  return units.map((u) => {
    const at = u.source.diagnostic(["id"], "", "");
    return {
      id: u.unit.id,
      state: u.unit.lifecycle.state,
      wave: u.unit.lifecycle.wave,
      provisioned: shouldProvision(u.unit, stack.settings),
      file: u.file,
      where: { file: u.file, line: at.line, col: at.col, field: at.field },
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
  return guards.flatMap((g) =>
    g(base, current, stack, env).map((f) => (typeof f === "string" ? f : formatDiagnostic(f))),
  );
}
