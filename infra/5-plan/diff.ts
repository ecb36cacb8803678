import { fieldPath } from "../2-manifest/diagnostics";
import { isPlainObject } from "./redact";
import { type ObjectRef, objectRef, type PlannedObject, type PlannedStack, type PlannedUnit } from "./types";

/** One changed field: `path` like `spec.hard["requests.cpu"]`; a side is absent when the field is. */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ObjectChange {
  before: ObjectRef;
  after: ObjectRef;
  /** Kubernetes cannot change kind, name or namespace in place: the object is deleted and created again. */
  replace: boolean;
  fields: FieldChange[];
}

export type UnitStatus = "added" | "removed" | "changed" | "unchanged";

/** The change to one unit's objects between the base and the head. */
export interface UnitDiff {
  id: string;
  status: UnitStatus;
  /** The unit as planned at the base and at the head; absent where its manifest (or the stack's selection of it) is. */
  before?: Omit<PlannedUnit, "objects">;
  after?: Omit<PlannedUnit, "objects">;
  added: ObjectRef[];
  removed: ObjectRef[];
  changed: ObjectChange[];
  unchanged: number;
}

export interface PlanDiff {
  /** The git ref compared against, as given. */
  base: string;
  units: UnitDiff[];
  totals: { added: number; removed: number; changed: number; unchanged: number };
}

/**
 * Desired state at the head against the base, per unit and per object (matched by Pulumi resource name,
 * so a renamed key is a removal and an addition, as Pulumi would see it). Linear in the number of objects.
 */
export function diffPlans(base: PlannedStack | undefined, head: PlannedStack, ref: string): PlanDiff {
  const before = new Map((base?.units ?? []).map((u) => [u.id, u]));
  const after = new Map(head.units.map((u) => [u.id, u]));
  const ids = [
    ...head.units.map((u) => u.id),
    ...(base?.units ?? []).map((u) => u.id).filter((id) => !after.has(id)),
  ];
  const units = ids.map((id) => diffUnit(id, before.get(id), after.get(id)));
  const platform = diffPlatform(base?.platform, head.platform);
  if (platform) units.push(platform);
  return { base: ref, units, totals: diffTotals(units) };
}

/** The shared platform's change; undefined when it has no object at the head and none changed. */
export function diffPlatform(base: PlannedObject[] | undefined, head: PlannedObject[]): UnitDiff | undefined {
  if (head.length === 0 && !base?.length) return undefined;
  const platform = diffUnit("(platform)", base ? asUnit(base) : undefined, asUnit(head));
  return platform.status !== "unchanged" || platform.unchanged ? platform : undefined;
}

export function diffTotals(units: readonly UnitDiff[]): PlanDiff["totals"] {
  const totals = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const u of units) {
    totals.added += u.added.length;
    totals.removed += u.removed.length;
    totals.changed += u.changed.length;
    totals.unchanged += u.unchanged;
  }
  return totals;
}

/** One unit's change, from its plan at the base and at the head (either absent); keeps object identities, not bodies. */
export function diffUnit(id: string, b: PlannedUnit | undefined, a: PlannedUnit | undefined): UnitDiff {
  const old = new Map((b?.objects ?? []).map((o) => [o.resource, o]));
  const added: ObjectRef[] = [];
  const changed: ObjectChange[] = [];
  let unchanged = 0;
  for (const o of a?.objects ?? []) {
    const prev = old.get(o.resource);
    if (!prev) {
      added.push(objectRef(o));
      continue;
    }
    old.delete(o.resource);
    const fields = diffFields(prev.object, o.object);
    if (fields.length === 0) unchanged++;
    else
      changed.push({
        before: objectRef(prev),
        after: objectRef(o),
        replace: identity(prev) !== identity(o),
        fields,
      });
  }
  const removed = [...old.values()].map(objectRef);
  // A unit that appears or goes is never "unchanged", even with no object (taken, not provisioned); nor
  // is one whose lifecycle moves.
  const moved = b && a && (b.state !== a.state || b.wave !== a.wave || b.provisioned !== a.provisioned);
  const status: UnitStatus =
    (added.length || !b) && !removed.length && !changed.length && !unchanged
      ? "added"
      : (removed.length || !a) && !added.length && !changed.length && !unchanged
        ? "removed"
        : added.length || removed.length || changed.length || moved
          ? "changed"
          : "unchanged";
  return {
    id,
    status,
    ...(b ? { before: strip(b) } : {}),
    ...(a ? { after: strip(a) } : {}),
    added,
    removed,
    changed,
    unchanged,
  };
}

/** The platform's objects, shaped as a unit for the per-unit diff. */
function asUnit(objects: PlannedObject[]): PlannedUnit {
  return {
    id: "(platform)",
    name: "shared mail and print servers",
    file: "infra/platform",
    state: "active",
    wave: 0,
    provisioned: true,
    namespace: "",
    objects,
    secrets: [],
    quota: { cpu: "0", memory: "0", storage: "0", pods: 0, volumes: 0, vms: 0 },
    hostnames: [],
    mailDomains: [],
    queues: [],
  };
}

function strip(u: PlannedUnit): Omit<PlannedUnit, "objects"> {
  const { objects: _objects, ...rest } = u;
  return rest;
}

function identity(o: PlannedObject): string {
  const m = o.object.metadata;
  return `${o.object.apiVersion}/${o.object.kind}/${m.namespace ?? ""}/${m.name}`;
}

/** Field-level differences, leaves only; arrays compared index by index. */
export function diffFields(
  before: unknown,
  after: unknown,
  path: Array<string | number> = [],
  out: FieldChange[] = [],
): FieldChange[] {
  if (before === after) return out;
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      if (i >= before.length) out.push({ path: fieldPath([...path, i]), after: after[i] });
      else if (i >= after.length) out.push({ path: fieldPath([...path, i]), before: before[i] });
      else diffFields(before[i], after[i], [...path, i], out);
    }
    return out;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const k of Object.keys(before)) {
      if (!Object.hasOwn(after, k)) out.push({ path: fieldPath([...path, k]), before: before[k] });
      else diffFields(before[k], after[k], [...path, k], out);
    }
    for (const k of Object.keys(after))
      if (!Object.hasOwn(before, k)) out.push({ path: fieldPath([...path, k]), after: after[k] });
    return out;
  }
  out.push({ path: fieldPath(path), before, after });
  return out;
}

/** Whether a plan diff changes anything. */
export function hasChanges(d: PlanDiff): boolean {
  return d.totals.added + d.totals.removed + d.totals.changed > 0;
}
