/**
 * Drift from `pulumi preview --refresh --json`: which resources the program would change back, per unit.
 * Reads the preview digest (`{steps: [{op, urn, oldState, newState, diffReasons, replaceReasons,
 * detailedDiff}], changeSummary, diagnostics}`, pulumi/pkg/display/json.go PreviewDigest) and the
 * streaming variant (one engine event per line, PULUMI_ENABLE_STREAMING_JSON_PREVIEW, with
 * `resourcePreEvent.metadata` = StepEventMetadata `{op, urn, type, old, new, keys, diffs, detailedDiff}`).
 */

import { parsePropertyPath, valueAt } from "./property-path";

/** Ops that change nothing on the cluster. */
const QUIET_OPS = new Set(["same", "refresh", "read", "discard", "discard-replaced"]);

/** One property that differs between the cluster and the program. */
export interface DriftedField {
  /** Pulumi's property path, e.g. `spec.hard["requests.cpu"]`, `subjects[1]`. */
  path: string;
  /** `update`, `add`, `delete`, or one of them with `-replace`. */
  kind: string;
  /** The value on the cluster (the refreshed state); absent where the cluster has none. */
  live?: unknown;
  /** The value the program sets back (its inputs); absent where the program has none. */
  desired?: unknown;
}

export interface DriftedResource {
  op: string;
  urn: string;
  /** The resource's own type token, e.g. `kubernetes:core/v1:ResourceQuota`. */
  type: string;
  name: string;
  /** Properties that differ: detailed diff paths with their values on both sides, or diff reasons. */
  fields: DriftedField[];
  /** What the change means, in words: who was added to or removed from a RoleBinding. */
  notes: string[];
}

export interface UnitDrift {
  /** Unit id, or `(stack)` for resources outside any unit (provider, stack). */
  unit: string;
  resources: DriftedResource[];
}

export interface DriftReport {
  /** The stack the URNs name. */
  stack?: string;
  /** Resources the preview visited, drifted or not. */
  checked: number;
  units: UnitDrift[];
  /** Error diagnostics of the preview: when present the preview did not finish and the report is incomplete. */
  errors: string[];
}

/** Raised for input that is not a preview's JSON: a usage error (exit 2). */
export class DriftInputError extends Error {
  override name = "DriftInputError";
}

/** A resource's state in a step: what the program gave (inputs) and what the provider read (outputs). */
interface State {
  inputs?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
}

interface Step {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  /** The digest says `kind`, engine events `diffKind`; `inputDiff`: old inputs against new, not old state. */
  detailedDiff?: Record<string, { kind?: string; diffKind?: string; inputDiff?: boolean }> | null;
  oldState?: State | null;
  newState?: State | null;
}

/** Parses either form of preview JSON into steps and error diagnostics. */
export function parsePreview(text: string): { steps: Step[]; errors: string[] } {
  const trimmed = text.trim();
  if (!trimmed)
    throw new DriftInputError(
      "the preview output is empty: run pulumi preview --refresh --json and pass its output",
    );
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    return fromEvents(trimmed); // not one JSON document: a stream of events, one per line
  }
  if (doc && typeof doc === "object" && !Array.isArray(doc) && !("sequence" in doc))
    return fromDigest(doc as Record<string, unknown>);
  return fromEvents(trimmed);
}

function fromDigest(doc: Record<string, unknown>): { steps: Step[]; errors: string[] } {
  if (doc.steps !== undefined && !Array.isArray(doc.steps))
    throw new DriftInputError('"steps" is not an array: this is not the JSON of pulumi preview --json');
  if (doc.steps === undefined && doc.changeSummary === undefined && doc.diagnostics === undefined)
    throw new DriftInputError(
      "no steps, changeSummary or diagnostics: this is not the JSON of pulumi preview --json",
    );
  const steps = ((doc.steps as unknown[]) ?? []).map((s, i) => step(s, `steps[${i}]`));
  const errors = ((doc.diagnostics as Array<Record<string, unknown>>) ?? [])
    .filter((d) => d.severity === "error")
    .map((d) => String(d.message ?? "").trim());
  return { steps, errors };
}

function fromEvents(text: string): { steps: Step[]; errors: string[] } {
  const byUrn = new Map<string, Step>();
  const errors: string[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let ev: Record<string, any>;
    try {
      ev = JSON.parse(line) as Record<string, any>;
    } catch {
      throw new DriftInputError(
        `line ${i + 1} is not JSON: pass the output of pulumi preview --json (a digest, or one engine event per line)`,
      );
    }
    const meta = ev.resourcePreEvent?.metadata ?? ev.resOutputsEvent?.metadata;
    if (meta) {
      const s = step(
        {
          ...meta,
          diffReasons: meta.diffs,
          replaceReasons: meta.keys,
          oldState: meta.old,
          newState: meta.new,
        },
        `line ${i + 1}`,
      );
      byUrn.set(s.urn, s);
    }
    if (ev.diagnosticEvent?.severity === "error")
      errors.push(String(ev.diagnosticEvent.message ?? "").trim());
  });
  if (byUrn.size === 0 && errors.length === 0)
    throw new DriftInputError("no resource events: this is not the output of pulumi preview --json");
  return { steps: [...byUrn.values()], errors };
}

function step(s: unknown, where: string): Step {
  const o = s as Record<string, unknown>;
  if (!o || typeof o.op !== "string" || typeof o.urn !== "string" || !o.urn.startsWith("urn:pulumi:"))
    throw new DriftInputError(`${where}: a step needs "op" and a "urn:pulumi:..." urn`);
  return o as unknown as Step;
}

/** `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; types: string[]; name: string } {
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) throw new DriftInputError(`malformed URN ${urn}`);
  return {
    stack: parts[0]!,
    project: parts[1]!,
    types: parts[2]!.split("$"),
    name: parts.slice(3).join("::"),
  };
}

/** The unit a resource belongs to: a `muni:unit:Unit` component named by the unit id, or its child `<id>-<key>`. */
function unitOf(types: string[], name: string, ids: readonly string[]): string {
  if (types[types.length - 1] === UNIT_TYPE) return name;
  if (!types.includes(UNIT_TYPE)) return STACK;
  let best = "";
  for (const id of ids) if (name.startsWith(`${id}-`) && id.length > best.length) best = id;
  return best || name;
}

const UNIT_TYPE = "muni:unit:Unit";
const STACK = "(stack)";

/**
 * The drift report: every step that would change the cluster, grouped by unit. `knownUnits` (from the
 * stack's manifests) helps attribute resources whose unit component is not in the preview itself.
 */
export function driftReport(text: string, knownUnits: readonly string[] = []): DriftReport {
  const { steps, errors } = parsePreview(text);
  const parsed = steps.map((s) => ({ s, u: parseUrn(s.urn) }));
  const ids = [
    ...new Set([...knownUnits, ...parsed.filter((p) => p.u.types.at(-1) === UNIT_TYPE).map((p) => p.u.name)]),
  ];
  const units = new Map<string, DriftedResource[]>();
  for (const { s, u } of parsed) {
    if (QUIET_OPS.has(s.op)) continue;
    const unit = unitOf(u.types, u.name, ids);
    const fields: DriftedField[] =
      s.detailedDiff && Object.keys(s.detailedDiff).length
        ? Object.entries(s.detailedDiff).map(([path, d]) => fieldOf(s, path, d))
        : [
            ...(s.diffReasons ?? []).map((p) => fieldOf(s, p, { kind: "update" })),
            ...(s.replaceReasons ?? []).map((p) => fieldOf(s, p, { kind: "replace" })),
          ];
    const type = u.types.at(-1)!;
    const list = units.get(unit) ?? [];
    list.push({ op: s.op, urn: s.urn, type, name: u.name, fields, notes: notesOf(type, s) });
    units.set(unit, list);
  }
  const stack = parsed[0]?.u.stack;
  return {
    ...(stack ? { stack } : {}),
    checked: steps.length,
    units: [...units]
      .map(([unit, resources]) => ({ unit, resources }))
      .sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0)),
    errors,
  };
}

/** A differing property with its value on the cluster (old state) and in the program (new inputs). */
function fieldOf(
  s: Step,
  path: string,
  d: { kind?: string; diffKind?: string; inputDiff?: boolean },
): DriftedField {
  const segments = parsePropertyPath(path);
  const live =
    segments &&
    valueAt(d.inputDiff ? s.oldState?.inputs : (s.oldState?.outputs ?? s.oldState?.inputs), segments);
  const desired = segments && valueAt(s.newState?.inputs ?? s.newState?.outputs, segments);
  return {
    path,
    kind: d.kind ?? d.diffKind ?? "update",
    ...(live?.found ? { live: live.value } : {}),
    ...(desired?.found ? { desired: desired.value } : {}),
  };
}

/** Subjects of a RoleBinding's state, as `Kind name`. */
function subjects(state: State | null | undefined, live: boolean): string[] {
  const obj = live ? (state?.outputs ?? state?.inputs) : (state?.inputs ?? state?.outputs);
  const list = (obj as { subjects?: Array<{ kind?: string; name?: string }> } | undefined)?.subjects ?? [];
  return list.map((s) => `${s.kind ?? "?"} ${s.name ?? "?"}`);
}

/** Who was added on the cluster to a (Cluster)RoleBinding, or removed from it. */
function notesOf(type: string, s: Step): string[] {
  if (!/:(Cluster)?RoleBinding$/.test(type) || !s.oldState || !s.newState) return [];
  const live = subjects(s.oldState, true);
  const desired = subjects(s.newState, false);
  return [
    ...live.filter((x) => !desired.includes(x)).map((x) => `added on the cluster: ${x} (would be removed)`),
    ...desired
      .filter((x) => !live.includes(x))
      .map((x) => `removed on the cluster: ${x} (would be added back)`),
  ];
}

/** A value for one line: JSON, shortened; `(none)` for a side that has no value. */
function shown(f: DriftedField, side: "live" | "desired"): string {
  if (!(side in f)) return "(none)";
  const json = JSON.stringify(f[side]) ?? "null";
  return json.length > 120 ? `${json.slice(0, 119)}…` : json;
}

/** `spec.hard["requests.cpu"]: "24" on the cluster → "12" from the manifests`. */
export function fieldText(f: DriftedField): string {
  if (!("live" in f) && !("desired" in f)) return `${f.path} (${f.kind})`;
  return `${f.path}: ${shown(f, "live")} on the cluster → ${shown(f, "desired")} from the manifests`;
}

/** What an op means for the live cluster, in words. */
const OP_TEXT: Record<string, string> = {
  create: "missing on the cluster: would be created",
  update: "changed on the cluster: would be set back",
  delete: "not in the program: would be deleted",
  replace: "changed beyond repair in place: would be replaced",
  "create-replacement": "would be replaced (create)",
  "delete-replaced": "would be replaced (delete)",
  import: "would be imported",
};

function resourceLine(r: DriftedResource): string {
  return `${r.op} ${r.type} ${r.name}: ${OP_TEXT[r.op] ?? r.op}`;
}

/** The headline: how many drifted, or that the preview failed (then nothing can be said to match). */
function headline(r: DriftReport): string {
  const drifted = r.units.reduce((n, u) => n + u.resources.length, 0);
  if (r.errors.length)
    return `the preview failed (${r.errors.length} error${r.errors.length === 1 ? "" : "s"}): drift unknown; ${drifted ? `${drifted} drifted` : "none seen"} among the ${r.checked} resources checked before it stopped`;
  return drifted
    ? `${drifted} of ${r.checked} resources drifted in ${r.units.length} unit(s)`
    : `none (${r.checked} resources checked)`;
}

export function driftText(r: DriftReport): string {
  const drifted = r.units.reduce((n, u) => n + u.resources.length, 0);
  const out = [`Drift of stack ${r.stack ?? "(unknown)"}: ${headline(r)}`];
  for (const e of r.errors) out.push(`preview error: ${e}`);
  for (const u of r.units) {
    out.push(`${u.unit}: ${u.resources.length} drifted`);
    for (const res of u.resources) {
      out.push(`  ${resourceLine(res)}`);
      for (const n of res.notes) out.push(`      ${n}`);
      for (const f of res.fields) out.push(`      ${fieldText(f)}`);
    }
  }
  if (drifted)
    out.push(
      "Nothing was changed: review the drift, then either restore the manifests' state with pulumi up or record the change in the manifests.",
    );
  return out.join("\n");
}

export function driftMarkdown(r: DriftReport): string {
  const drifted = r.units.reduce((n, u) => n + u.resources.length, 0);
  const out = [
    `<!-- muni-drift stack=${r.stack ?? ""} -->`,
    `### muni drift: stack \`${r.stack ?? "(unknown)"}\``,
    "",
  ];
  out.push(
    r.errors.length
      ? `**The preview failed: drift unknown.** ${drifted ? `${drifted} drifted` : "None seen"} among the ${r.checked} resources checked before it stopped. Nothing was changed.`
      : drifted
        ? `**${drifted} of ${r.checked} resources drifted** in ${r.units.length} unit(s). Nothing was changed.`
        : `No drift: ${r.checked} resources match the program.`,
    "",
  );
  for (const e of r.errors) out.push("> [!CAUTION]", `> preview error: ${e.replace(/\n/g, " ")}`, "");
  if (drifted) {
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    out.push(
      "| Unit | Resource | Type | Drift | What differs (on the cluster → from the manifests) |",
      "|---|---|---|---|---|",
    );
    for (const u of r.units)
      for (const res of u.resources)
        out.push(
          `| \`${u.unit}\` | \`${res.name}\` | \`${res.type}\` | ${OP_TEXT[res.op] ?? res.op} | ${[...res.notes, ...res.fields.map(fieldText)].map(cell).join("<br>")} |`,
        );
  }
  return out.join("\n");
}

export function driftJson(r: DriftReport): string {
  return JSON.stringify(r, null, 2);
}

/** Whether the report shows drift. */
export function hasDrift(r: DriftReport): boolean {
  return r.units.some((u) => u.resources.length > 0);
}
