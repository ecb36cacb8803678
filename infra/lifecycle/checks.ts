import type { Diagnostic } from "../manifest/diagnostics";
import type { LoadedStack } from "../manifest/stack";
import type { LoadedUnit } from "../manifest/units";
import { checkApproval } from "./approval";
import { todayOf } from "./clock";
import { ledgerPath, previousFromLedger, readLedger } from "./ledger";
import { checkTransitions } from "./transitions";

/** Whether the environment allows a mass removal for this one run (MUNI_ALLOW_MASS_REMOVAL=1). */
export function massRemovalAllowedByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MUNI_ALLOW_MASS_REMOVAL === "1" || env.MUNI_ALLOW_MASS_REMOVAL === "true";
}

/**
 * Every lifecycle rule between a stack and its units, run wherever a stack is loaded (the Pulumi
 * program, `muni ledger`, and every stack-aware command through STACK_CHECKS):
 * - each decommissioning approval is dated sensibly, and still in force while the unit is decommissioning;
 * - against the stack's ledger (stacks/<stack>.units.yaml), every transition guard of checkTransitions.
 */
export function checkLifecycle(stack: LoadedStack, units: readonly LoadedUnit[], env: NodeJS.ProcessEnv = process.env): Diagnostic[] {
  const today = todayOf(stack.settings, env);
  const out = units.flatMap((u) => checkApproval(u, today, u.unit.lifecycle.state === "decommissioning"));
  const { ledger, diagnostics } = readLedger(ledgerPath(stack.file, stack.name));
  if (!ledger) return [...out, ...diagnostics];
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
