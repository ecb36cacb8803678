import { type LifecycleState, liveWaves, notProvisionedReason, type StackSettings } from "../../1-model";
import type { PathSegment } from "../../2-manifest/diagnostics";
import { SETTINGS_PATH } from "../../2-manifest/stack";
import { type Finding, finding, type StackInput, type UnitInput } from "../finding";
import { expiredApproval } from "./approval";

/** What a unit was before this change: from the stack's ledger, or from a base git ref (muni plan). */
export interface PreviousUnit {
  id: string;
  state: LifecycleState;
  wave: number;
  /** Whether the stack provisioned the unit then. */
  provisioned: boolean;
  /** The manifest it came from, when known. */
  file?: string;
  /**
   * Where the record is (a ledger entry, a base manifest): errors about a vanished unit point here. Located
   * only when such an error is written (`locate`): finding a key in a 10,000-entry ledger is not free.
   */
  where?: { file: string; path: readonly PathSegment[]; locate: () => { line: number; col: number } };
}

export interface TransitionOptions {
  /** The date approvals are checked against (todayOf). */
  today: string;
  /** Lets more than the stack's maxRemovalShare of units go in this one change. */
  allowMassRemoval?: boolean;
  /** Where `previous` came from, for messages: "ledger stacks/lodz-prod.units.yaml", "git ref main". */
  previousSource: string;
  /** The stack's file and name, to locate the mass-removal error at its settings. */
  stack?: Pick<StackInput, "name" | "file">;
}

/**
 * The guards between what a stack had (`previous`) and what its manifests say now (`current`):
 * - a provisioned unit that is no longer among the stack's units (manifest deleted, or dropped by the
 *   stack's ids/labels) is refused, naming it: units leave only through decommissioning;
 * - a provisioned unit may stop being provisioned only by becoming decommissioned, straight from
 *   decommissioning, with an approval still in force: not by going back to planned, skipping
 *   decommissioning, or its wave leaving the live waves;
 * - a decommissioned unit does not come back (its retained namespace is in the way);
 * - more than `lifecycle.maxRemovalShare` of the provisioned units (always at least one is allowed)
 *   leaving in one change is refused unless allowed explicitly.
 * Pure; every problem is a located diagnostic.
 */
export function checkTransitions(
  previous: readonly PreviousUnit[],
  current: readonly UnitInput[],
  settings: Pick<StackSettings, "lifecycle">,
  opts: TransitionOptions,
): Finding[] {
  const out: Finding[] = [];
  const now = new Map(current.map((u) => [u.unit.id, u]));
  const leaving: string[] = [];
  for (const p of previous) {
    const u = now.get(p.id);
    if (!u) {
      if (p.provisioned) {
        leaving.push(p.id);
        out.push(vanished(p, opts));
      }
      continue;
    }
    const { state, wave } = u.unit.lifecycle;
    const provisionedNow = notProvisionedReason(u.unit, settings) === undefined;
    if (p.state === "decommissioned" && state !== "decommissioned" && state !== "planned")
      out.push(
        finding(
          u.file,
          ["lifecycle", "state"],
          `unit "${p.id}" was decommissioned (per ${opts.previousSource}) and cannot become ${state} again: its retained namespace and data are still in the cluster`,
          "onboard the organization under a new unit id, or import its retained objects into the stack before reactivating it",
        ),
      );
    if (!p.provisioned || provisionedNow) continue;
    leaving.push(p.id);
    if (state === "decommissioned") {
      if (p.state !== "decommissioning")
        out.push(
          finding(
            u.file,
            ["lifecycle", "state"],
            `unit "${p.id}" goes from ${p.state} straight to decommissioned (per ${opts.previousSource}): it must pass through decommissioning first`,
            "set lifecycle.state: decommissioning (with its approval) and apply that change, then decommissioned in a later one",
          ),
        );
      out.push(...expiredApproval(u, opts.today));
    } else if (state === "planned")
      out.push(
        finding(
          u.file,
          ["lifecycle", "state"],
          `unit "${p.id}" is provisioned (${p.state}, per ${opts.previousSource}); setting it back to planned would delete its namespace and data`,
          `keep it ${p.state}, or retire it through decommissioning (with an approval) and then decommissioned`,
        ),
      );
    else {
      const live = [...liveWaves(settings)].sort((a, b) => a - b).join(", ");
      out.push(
        finding(
          u.file,
          ["lifecycle", "wave"],
          `unit "${p.id}" is provisioned (${p.state}, per ${opts.previousSource}) but its wave ${wave} is not live in this stack (live waves: ${live}): it would be deleted`,
          `add ${wave} to the stack's lifecycle.liveWaves, or move the unit to a live wave`,
        ),
      );
    }
  }
  out.push(...massRemoval(previous, leaving, settings, opts));
  return out;
}

function vanished(p: PreviousUnit, opts: TransitionOptions): Finding {
  const file = p.file ?? `units/${p.id}.yaml`;
  const where = p.where ?? { file, path: [], locate: () => ({ line: 1, col: 1 }) };
  return {
    file: where.file,
    path: where.path,
    at: where.locate(),
    message: `unit "${p.id}" is ${p.state} and provisioned (per ${opts.previousSource}) but is no longer among the stack's units (manifest ${file} deleted, or dropped by the stack's units.ids/labels): muni never removes a unit that has not passed through decommissioning`,
    hint: `restore ${file}; to retire the unit set lifecycle.state: decommissioning with an approval, apply, then decommissioned`,
  };
}

function massRemoval(
  previous: readonly PreviousUnit[],
  leaving: readonly string[],
  settings: Pick<StackSettings, "lifecycle">,
  opts: TransitionOptions,
): Finding[] {
  const total = previous.filter((p) => p.provisioned).length;
  const share = settings.lifecycle?.maxRemovalShare ?? 0.2;
  const limit = Math.max(1, Math.floor(share * total));
  if (leaving.length <= limit || opts.allowMassRemoval || settings.lifecycle?.allowMassRemoval) return [];
  const message = `${leaving.length} of ${total} provisioned units would stop being provisioned in one change (${[...leaving].sort().join(", ")}), over the stack's limit of ${limit} (maxRemovalShare ${share})`;
  const hint =
    "split the change, or if it is deliberate allow it for one run: MUNI_ALLOW_MASS_REMOVAL=1 (or --allow-mass-removal), or lifecycle.allowMassRemoval: true in the stack settings";
  if (opts.stack) {
    return [finding(opts.stack.file, [...SETTINGS_PATH, "lifecycle", "maxRemovalShare"], message, hint)];
  }
  return [{ file: opts.previousSource, path: [], at: { line: 1, col: 1 }, message, hint }];
}
