import type { Diagnostic } from "../../2-manifest/diagnostics";
import type { LoadedProject, LoadedStack } from "../../2-manifest/stack";
import type { LoadedUnit } from "../../2-manifest/units";
import { checkApproval } from "./approval";
import { todayOf } from "../../1-model/clock";
import { ledgerPath, previousFromLedger, readLedger } from "../../2-manifest/ledger";
import { checkTransitions } from "./transitions";

/** Whether the environment allows a mass removal for this one run (MUNI_ALLOW_MASS_REMOVAL=1). */
export function massRemovalAllowedByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MUNI_ALLOW_MASS_REMOVAL === "1" || env.MUNI_ALLOW_MASS_REMOVAL === "true";
}

/**
 * Each decommissioning approval is dated sensibly, and still in force while the unit is decommissioning.
 * One of STACK_CHECKS: runs wherever a stack is loaded.
 */
export function checkApprovals(
  stack: LoadedStack,
  units: readonly LoadedUnit[],
  env: NodeJS.ProcessEnv = process.env,
): Diagnostic[] {
  const today = todayOf(stack.settings, env);
  return units.flatMap((u) => checkApproval(u, today, u.unit.lifecycle.state === "decommissioning"));
}

/**
 * Every transition guard of checkTransitions against the stack's ledger (stacks/<stack>.units.yaml).
 * Run by the Pulumi program (before it registers anything) and `muni ledger`; `muni plan` runs it too.
 */
export function checkLedger(
  stack: LoadedStack,
  units: readonly LoadedUnit[],
  env: NodeJS.ProcessEnv = process.env,
): Diagnostic[] {
  const today = todayOf(stack.settings, env);
  const out: Diagnostic[] = [];
  const { ledger, diagnostics } = readLedger(ledgerPath(stack.file, stack.name));
  if (!ledger) return diagnostics;
  out.push(
    ...checkTransitions(previousFromLedger(ledger), units, stack.settings, {
      today,
      allowMassRemoval: massRemovalAllowedByEnv(env),
      previousSource: `ledger ${ledger.file}`,
      stack: { name: stack.name, source: stack.source },
    }),
  );
  return out;
}

/** Both: the approvals and the ledger guards. */
export function checkLifecycle(
  stack: LoadedStack,
  units: readonly LoadedUnit[],
  env: NodeJS.ProcessEnv = process.env,
): Diagnostic[] {
  return [...checkApprovals(stack, units, env), ...checkLedger(stack, units, env)];
}

/**
 * A loaded project with the ledger guards applied: when the settings and units are otherwise valid,
 * the guards' findings join its diagnostics. The program, `muni validate --stack` and `muni ledger`
 * all refuse on the same list.
 */
export function withLedgerGuards<P extends LoadedProject>(
  project: P,
  env: NodeJS.ProcessEnv = process.env,
): P {
  if (project.stack && project.diagnostics.length === 0)
    project.diagnostics.push(...checkLedger(project.stack, project.units, env));
  return project;
}
