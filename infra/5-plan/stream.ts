import type { LoadedStack } from "../2-manifest/stack";
import { platformProtectionOf } from "./protection";
import type { LoadedUnit } from "../2-manifest/units";
import type { DataHistory, Unit } from "../1-model";
import { diffPlatform, diffTotals, diffUnit, type PlanDiff, type UnitDiff } from "./diff";
import { planPlatform, planUnit, resourceCount, resourceWarnings } from "./render";
import { objectRef, type PlannedObject, type PlannedUnit, type PlanSummary, unitSummary } from "./types";

/** One side of a streamed plan: the stack and its units' models (their YAML sources are not needed to render). */
export interface PlanSide {
  stack: Pick<LoadedStack, "name" | "file" | "settings">;
  units: Array<Pick<LoadedUnit, "file" | "unit">>;
  /** Each unit's data as that side's ledger records it (retired VMs and sites, mailbox incarnations); default none. */
  histories?: Readonly<Record<string, DataHistory | undefined>>;
}

/** What the streamed plan hands over as it goes: each unit as rendered, then the platform, to write and drop. */
export interface PlanSink {
  unit(u: PlannedUnit): void;
  platform(objects: readonly PlannedObject[]): void;
}

/**
 * The plan of `head` (and, with `base`, its diff against the base), one unit at a time: render (with
 * redaction), hand to `sink` (the writer), diff against the same unit at the base rendered just then,
 * keep only the summary and the diff's object identities, and drop the objects. Memory holds summaries,
 * not the rendered objects, so it stays flat in the number of units. The arrays in `head.units` and
 * `base.units` are emptied as they are consumed (their entries are released once rendered).
 * Gives the same summary and diff as planSummary(planProject(head)) and diffPlans(...) (see test/plan/stream.test.ts).
 */
export function streamPlan(
  head: PlanSide,
  sink: PlanSink,
  base?: { ref: string; side?: PlanSide },
): { summary: PlanSummary; diff?: PlanDiff } {
  const { settings } = head.stack;
  const baseUnits = new Map((base?.side?.units ?? []).map((u) => [u.unit.id, u]));
  const baseOrder = (base?.side?.units ?? []).map((u) => u.unit.id);
  if (base?.side) base.side.units.length = 0;
  const headIds = new Set(head.units.map((u) => u.unit.id));
  const units = [];
  const diffs: UnitDiff[] = [];
  const provisioned: Unit[] = [];
  const baseProvisioned = new Map<string, Unit>();
  const loaded = head.units.splice(0);
  for (let i = 0; i < loaded.length; i++) {
    const u = loaded[i]!;
    loaded[i] = undefined as never; // released once rendered
    const planned = planUnit(u, settings, head.histories?.[u.unit.id]);
    if (planned.provisioned) provisioned.push(u.unit);
    sink.unit(planned);
    if (base)
      diffs.push(
        diffUnit(planned.id, planBase(base.side, baseUnits.get(planned.id), baseProvisioned), planned),
      );
    units.push(unitSummary(planned));
  }
  if (base)
    for (const id of baseOrder)
      if (!headIds.has(id))
        diffs.push(diffUnit(id, planBase(base.side, baseUnits.get(id), baseProvisioned), undefined));
  const platform = planPlatform(settings);
  sink.platform(platform);
  const resources = resourceCount(units, platform);
  const platformProtection = platformProtectionOf(platform.map((o) => o.object));
  const summary: PlanSummary = {
    stack: head.stack.name,
    file: head.stack.file,
    units,
    platform: platform.map(objectRef),
    ...(platformProtection ? { platformProtection } : {}),
    resources,
    warnings: resourceWarnings(head.stack.name, units, platform),
  };
  if (!base) return { summary };
  const platformDiff = diffPlatform(base.side ? planPlatform(base.side.stack.settings) : undefined, platform);
  if (platformDiff) diffs.push(platformDiff);
  return { summary, diff: { base: base.ref, units: diffs, totals: diffTotals(diffs) } };
}

/** A base unit's plan, recording the base's provisioned units (the platform takes them in the base's order, as planProject does). */
function planBase(
  side: PlanSide | undefined,
  u: Pick<LoadedUnit, "file" | "unit"> | undefined,
  provisioned: Map<string, Unit>,
): PlannedUnit | undefined {
  if (!side || !u) return undefined;
  const planned = planUnit(u, side.stack.settings, side.histories?.[u.unit.id]);
  if (planned.provisioned) provisioned.set(u.unit.id, u.unit);
  return planned;
}
