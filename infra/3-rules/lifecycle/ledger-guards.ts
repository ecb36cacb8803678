import { todayOf } from "../../1-model";
import type { Diagnostic } from "../../2-manifest/diagnostics";
import { type Ledger, ledgerPath, readLedger } from "../../2-manifest/ledger";
import type { LoadedStack } from "../../2-manifest/stack";
import type { LoadedUnit } from "../../2-manifest/units";
import { type Finding, locateFindings, type ProjectView } from "../finding";
import { sourcesOf } from "../sources";
import { checkApproval } from "./approval";
import { checkTransitions, type PreviousUnit } from "./transitions";
import { checkRetirements } from "./retirement";

/** Whether the environment allows a mass removal for this one run (MUNI_ALLOW_MASS_REMOVAL=1). */
export function massRemovalAllowedByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MUNI_ALLOW_MASS_REMOVAL === "1" || env.MUNI_ALLOW_MASS_REMOVAL === "true";
}

/**
 * Each decommissioning approval is dated sensibly, and still in force while the unit is decommissioning.
 * One of STACK_CHECKS: runs wherever a stack is loaded.
 */
export function checkApprovals(
  { stack, units }: Pick<ProjectView, "stack" | "units">,
  env: NodeJS.ProcessEnv = process.env,
): Finding[] {
  const today = todayOf(stack.settings, env);
  return units.flatMap((u) => checkApproval(u, today, u.unit.lifecycle.state === "decommissioning"));
}

/** The ledger's entries as the previous state of the transition guards, each located at its entry. */
export function previousFromLedger(ledger: Ledger): PreviousUnit[] {
  return Object.entries(ledger.units).map(([id, e]) => {
    const path = ["units", id];
    const source = ledger.source;
    return {
      id,
      state: e.state,
      wave: e.wave,
      provisioned: e.provisioned,
      file: e.file,
      ...(source ? { where: { file: source.file, path, locate: () => source.locate(path, true) } } : {}),
    };
  });
}

/**
 * Every transition guard of checkTransitions, and the retirement guard (checkRetirements), against the
 * stack's ledger (stacks/<stack>.units.yaml). Run by the Pulumi program (before it registers anything),
 * `muni validate --stack` and `muni ledger` (whose `--retire` requests are `retiring`).
 */
export function checkLedger(
  stack: LoadedStack,
  units: readonly LoadedUnit[],
  env: NodeJS.ProcessEnv = process.env,
  retiring?: ReadonlySet<string>,
): Diagnostic[] {
  const today = todayOf(stack.settings, env);
  const { ledger, diagnostics } = readLedger(ledgerPath(stack.file, stack.name));
  if (!ledger) return diagnostics;
  const findings = checkTransitions(previousFromLedger(ledger), units, stack.settings, {
    today,
    allowMassRemoval: massRemovalAllowedByEnv(env),
    previousSource: `ledger ${ledger.file}`,
    stack,
  });
  findings.push(
    ...checkRetirements(ledger.units, units, stack.settings, {
      previousSource: `ledger ${ledger.file}`,
      stack,
      ...(retiring ? { retiring } : {}),
    }),
  );
  return locateFindings(findings, sourcesOf(stack, units));
}

/**
 * A loaded project with the ledger guards applied: when the settings and units are otherwise valid,
 * the guards' findings join its diagnostics. The program, `muni validate --stack` and `muni ledger`
 * all refuse on the same list.
 */
export function withLedgerGuards<
  P extends { stack?: LoadedStack; units: LoadedUnit[]; diagnostics: Diagnostic[] },
>(project: P, env: NodeJS.ProcessEnv = process.env, retiring?: ReadonlySet<string>): P {
  if (project.stack && project.diagnostics.length === 0)
    project.diagnostics.push(...checkLedger(project.stack, project.units, env, retiring));
  return project;
}
