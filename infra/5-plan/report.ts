import type { PlanDiff } from "./diff";
import type { PlanSummary } from "./types";

/** Everything one run of `muni plan` shows, in whichever format. */
export interface PlanReport {
  /** The plan's summary (planSummary(planProject(...)), or what the streaming plan kept). */
  plan: PlanSummary;
  diff?: PlanDiff;
  /** The commit the base ref named. */
  baseCommit?: string;
  /** Set when the stack did not exist at the base. */
  baseNote?: string;
  /** Where the manifests were written. */
  outDir?: string;
  /** Findings of the lifecycle guards on the change from base to head. */
  guardFindings?: string[];
  /**
   * Manifests in the stack's directories it does not take, and why; with a base, only those the change
   * adds (`new`) or edits (`changed`), so a pull request shows, per stack, why a new unit is not there.
   */
  notTaken?: NotTakenUnit[];
  /** What the stack's ledger would record for this change, and whether the committed ledger already does. */
  ledger?: LedgerPreview;
}

/** A manifest a stack does not take. */
export interface NotTakenUnit {
  id: string;
  file: string;
  /** Which of the stack's rules (units.ids, units.waves, units.labels) it misses. */
  reason: string;
  /** Against a base: whether the change adds the manifest or edits it. */
  change?: "new" | "changed";
}

/** The stack's ledger after this change (5-plan/ledger.ts nextLedger), against the committed one. */
export interface LedgerPreview {
  file: string;
  /** One line per unit whose entry changes. */
  changes: string[];
  /** Whether the committed ledger already records exactly this. */
  upToDate: boolean;
  /** The command that records it. */
  fix: string;
}

/** Why a unit the stack takes provisions nothing, with what would change that. */
export function notProvisionedText(reason: string | undefined): string {
  if (reason === "planned")
    return "not provisioned: lifecycle.state is planned (set it to active to provision the unit)";
  if (reason === "decommissioned") return "not provisioned: decommissioned (only its retained data is left)";
  return `not provisioned: ${reason ?? "lifecycle"} (the stack's lifecycle.liveWaves decides)`;
}
