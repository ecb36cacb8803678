import { countObjects, quotaTotals } from "./summary";
import type { PlanReport } from "./report";
import type { ObjectRef } from "./types";

/** The plan as a JSON value: summaries, object names and, with a base, every change down to the field. */
export function planJsonValue(r: PlanReport): Record<string, unknown> {
  const p = r.plan;
  const ref = (o: ObjectRef) => ({
    resource: o.resource,
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace ?? null,
    name: o.name,
    service: o.service,
    dataBearing: o.dataBearing,
    redacted: o.redacted.length > 0,
  });
  const units = p.units.map(({ objects, ...u }) => ({ ...u, objects: objects.map(ref) }));
  const diff = r.diff && {
    base: r.diff.base,
    commit: r.baseCommit ?? null,
    note: r.baseNote ?? null,
    totals: r.diff.totals,
    guardFindings: r.guardFindings ?? [],
    units: r.diff.units.map((u) => ({
      id: u.id,
      status: u.status,
      stateBefore: u.before?.state ?? null,
      stateAfter: u.after?.state ?? null,
      added: u.added.map(ref),
      changed: u.changed.map((c) => ({ ...ref(c.after), replace: c.replace, fields: c.fields })),
      removed: u.removed.map(ref),
      unchanged: u.unchanged,
    })),
  };
  return {
    stack: p.stack,
    file: p.file,
    resources: p.resources,
    warnings: p.warnings,
    outDir: r.outDir ?? null,
    totals: { quota: quotaTotals(p), objects: countObjects(p) },
    units,
    platform: p.platform.map(ref),
    ...(diff ? { diff } : {}),
    ...(r.notTaken ? { notTaken: r.notTaken } : {}),
    ...(r.ledger ? { ledger: r.ledger } : {}),
  };
}

/** The plan as JSON (`--format json`), indented for reading. */
export function planJson(r: PlanReport): string {
  return JSON.stringify(planJsonValue(r), null, 2);
}

/**
 * The same JSON value, compact, handed out in pieces (one per unit and per changed unit) so a plan of
 * thousands of units is written without one giant string: JSON.parse of the pieces joined equals
 * JSON.parse(planJson(r)).
 */
export function* planJsonPieces(r: PlanReport): Generator<string> {
  const value = planJsonValue(r);
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    yield `${first ? "{" : ","}${JSON.stringify(k)}:`;
    first = false;
    if (k === "diff") yield* objectPieces(v as Record<string, unknown>, "units");
    else if (Array.isArray(v)) yield* arrayPieces(v);
    else yield JSON.stringify(v);
  }
  yield "}";
}

function* objectPieces(value: Record<string, unknown>, big: string): Generator<string> {
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    yield `${first ? "{" : ","}${JSON.stringify(k)}:`;
    first = false;
    if (k === big && Array.isArray(v)) yield* arrayPieces(v);
    else yield JSON.stringify(v);
  }
  yield first ? "{}" : "}";
}

function* arrayPieces(values: unknown[]): Generator<string> {
  if (values.length === 0) return yield "[]";
  for (let i = 0; i < values.length; i++) yield `${i === 0 ? "[" : ","}${JSON.stringify(values[i])}`;
  yield "]";
}
