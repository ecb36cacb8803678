import { bytes, cpuMillis, formatBytes, formatCpu } from "../1-model";
import type { FieldChange, PlanDiff } from "./diff";
import type { ObjectRef, PlanSummary, PlannedUnit } from "./types";

/** `Kind 3, Kind 1`, kinds in first-seen order. */
export function kindCounts(objects: readonly ObjectRef[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts];
}

export function kindsText(objects: readonly ObjectRef[]): string {
  return kindCounts(objects)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

/** The quota of every provisioned unit, summed. */
export function quotaTotals(plan: Pick<PlanSummary, "units">): PlannedUnit["quota"] {
  let cpu = 0;
  let memory = 0;
  let storage = 0;
  let pods = 0;
  let volumes = 0;
  let vms = 0;
  for (const u of plan.units) {
    if (!u.provisioned) continue;
    cpu += cpuMillis(u.quota.cpu);
    memory += bytes(u.quota.memory);
    storage += bytes(u.quota.storage);
    pods += u.quota.pods;
    volumes += u.quota.volumes;
    vms += u.quota.vms;
  }
  return {
    cpu: formatCpu(cpu),
    memory: formatBytes(memory),
    storage: formatBytes(storage),
    pods,
    volumes,
    vms,
  };
}

export function quotaText(q: PlannedUnit["quota"]): string {
  return `cpu ${q.cpu}, memory ${q.memory}, storage ${q.storage}, pods ${q.pods}, volumes ${q.volumes}, VMs ${q.vms}`;
}

/** `Kind namespace/name`, what a reviewer recognizes on the cluster. */
export function objectLabel(o: ObjectRef): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
}

export function countObjects(plan: Pick<PlanSummary, "units" | "platform">): number {
  return plan.units.reduce((n, u) => n + u.objects.length, plan.platform.length);
}

const MAX_VALUE = 120;

/** A value as JSON, shortened for one line; `(absent)` for a missing side. */
export function valueText(change: FieldChange, side: "before" | "after"): string {
  if (!(side in change)) return "(absent)";
  const json = JSON.stringify(change[side]) ?? "null";
  return json.length > MAX_VALUE ? `${json.slice(0, MAX_VALUE - 1)}…` : json;
}

/** `spec.hard["requests.cpu"]: "8" → "12"`. */
export function fieldChangeText(c: FieldChange): string {
  return `${c.path}: ${valueText(c, "before")} → ${valueText(c, "after")}`;
}

/** `+3 ~1 -0` style counts of a diff. */
export function diffCounts(d: PlanDiff): string {
  const t = d.totals;
  return `${t.added} to add, ${t.changed} to change, ${t.removed} to remove, ${t.unchanged} unchanged`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
