import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { stringify } from "yaml";
import type { Diagnostic } from "./diagnostics";
import type { LoadedUnit } from "./units";
import { readYamlFile, type YamlSource } from "./yaml-source";
import type { LifecycleState } from "../1-model";
import type { StackSettings } from "../1-model/stack";
import { notProvisionedReason } from "../1-model/lifecycle";
import { retainedData } from "../4-builders/retention";
import type { PreviousUnit } from "../3-rules/lifecycle/transitions";

/** One unit in a stack's ledger: its last recorded state. */
export interface LedgerEntry {
  state: LifecycleState;
  wave: number;
  /** Whether the stack provisioned it when recorded. */
  provisioned: boolean;
  /** Its manifest. */
  file: string;
  /** For a decommissioned unit: what it left in the cluster, `Kind namespace/name`. */
  retained?: string[];
}

/** A stack's ledger: every unit it has provisioned (never forgotten) and every unit it takes now. */
export interface Ledger {
  /** The ledger file (stacks/<stack>.units.yaml); it need not exist yet. */
  file: string;
  exists: boolean;
  units: Record<string, LedgerEntry>;
  source?: YamlSource;
}

const STATES: readonly LifecycleState[] = ["planned", "active", "decommissioning", "decommissioned"];
const FIELDS = ["state", "wave", "provisioned", "file", "retained"];
const ID = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The ledger of the stack whose settings file is `stackFile` (stacks/Pulumi.<stack>.yaml): stacks/<stack>.units.yaml. */
export function ledgerPath(stackFile: string, stackName: string): string {
  return join(dirname(stackFile), `${stackName}.units.yaml`);
}

/** Reads and checks a ledger; a missing file is an empty ledger (a stack that has provisioned nothing yet). */
export function readLedger(file: string): { ledger?: Ledger; diagnostics: Diagnostic[] } {
  if (!existsSync(file)) return { ledger: { file, exists: false, units: {} }, diagnostics: [] };
  const parsed = readYamlFile(file);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const { source, value } = parsed;
  const hint =
    "the ledger is written by `muni ledger --stack <stack> --write`: restore it from git rather than editing it";
  const top = value as { units?: unknown } | null;
  if (!isMap(top) || !isMap(top.units))
    return {
      diagnostics: [
        source.diagnostic(
          isMap(top) ? ["units"] : [],
          "a ledger is a mapping `units:` of unit id → entry",
          hint,
        ),
      ],
    };
  const out: Diagnostic[] = [];
  const units: Record<string, LedgerEntry> = {};
  for (const [id, raw] of Object.entries(top.units)) {
    const at = ["units", id];
    if (!ID.test(id)) out.push(source.diagnostic(at, `"${id}" is not a unit id`, hint, true));
    if (!isMap(raw)) {
      out.push(source.diagnostic(at, "must be a mapping with state, wave, provisioned and file", hint));
      continue;
    }
    const e = raw as Record<string, unknown>;
    const before = out.length;
    for (const k of Object.keys(e))
      if (!FIELDS.includes(k))
        out.push(
          source.diagnostic([...at, k], `unknown field "${k}" (allowed: ${FIELDS.join(", ")})`, hint, true),
        );
    if (!STATES.includes(e.state as LifecycleState))
      out.push(
        source.diagnostic(
          [...at, "state"],
          `${JSON.stringify(e.state)} is not one of: ${STATES.join(", ")}`,
          hint,
        ),
      );
    if (!Number.isInteger(e.wave) || (e.wave as number) < 1 || (e.wave as number) > 12)
      out.push(
        source.diagnostic([...at, "wave"], `${JSON.stringify(e.wave)} is not a wave from 1 to 12`, hint),
      );
    if (typeof e.provisioned !== "boolean")
      out.push(
        source.diagnostic(
          [...at, "provisioned"],
          `${JSON.stringify(e.provisioned)} is not true or false`,
          hint,
        ),
      );
    if (typeof e.file !== "string" || !e.file)
      out.push(source.diagnostic([...at, "file"], `${JSON.stringify(e.file)} is not a manifest path`, hint));
    if (
      e.retained !== undefined &&
      !(Array.isArray(e.retained) && e.retained.every((r) => typeof r === "string"))
    )
      out.push(
        source.diagnostic([...at, "retained"], "must be a list of `Kind namespace/name` strings", hint),
      );
    if (out.length === before)
      units[id] = {
        state: e.state as LifecycleState,
        wave: e.wave as number,
        provisioned: e.provisioned as boolean,
        file: e.file as string,
        ...(e.retained ? { retained: e.retained as string[] } : {}),
      };
  }
  return out.length
    ? { diagnostics: out }
    : { ledger: { file, exists: true, units, source }, diagnostics: [] };
}

/** The ledger's entries as the previous state of the transition guards, each located at its entry. */
export function previousFromLedger(ledger: Ledger): PreviousUnit[] {
  return Object.entries(ledger.units).map(([id, e]) => {
    const where = ledger.source ? ledger.source.diagnostic(["units", id], "", undefined, true) : undefined;
    return {
      id,
      state: e.state,
      wave: e.wave,
      provisioned: e.provisioned,
      file: e.file,
      ...(where ? { where: { file: where.file, line: where.line, col: where.col, field: where.field } } : {}),
    };
  });
}

/**
 * The ledger after this change: every unit the stack takes now with its state, plus every earlier entry
 * of a unit once provisioned or decommissioned (never forgotten, so its vanishing stays visible); an
 * entry only ever planned whose manifest is gone is dropped. Decommissioned units list what they left.
 */
export function nextLedger(
  previous: Ledger,
  current: readonly LoadedUnit[],
  settings: StackSettings,
): Ledger {
  const units: Record<string, LedgerEntry> = {};
  const now = new Set(current.map((u) => u.unit.id));
  const root = dirname(dirname(previous.file));
  for (const [id, e] of Object.entries(previous.units))
    if (!now.has(id) && (e.provisioned || e.state === "decommissioned")) units[id] = e;
  for (const u of current) {
    const retained = retainedData(u.unit, settings).map((r) => `${r.kind} ${r.namespace}/${r.name}`);
    units[u.unit.id] = {
      state: u.unit.lifecycle.state,
      wave: u.unit.lifecycle.wave,
      provisioned: notProvisionedReason(u.unit, settings) === undefined,
      file: relative(root, u.file).split(sep).join("/"),
      ...(retained.length ? { retained } : {}),
    };
  }
  const sorted = Object.fromEntries(Object.entries(units).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { file: previous.file, exists: previous.exists, units: sorted };
}

/** The ledger file's text: a header saying what it is, then the entries, stable order. */
export function ledgerText(ledger: Ledger, stackName: string): string {
  return (
    `# muni ledger of stack ${stackName}: every unit this stack takes or has provisioned, with its last recorded state.\n` +
    `# Written by \`muni ledger --stack ${stackName} --write\` with each change; muni refuses to deploy a change\n` +
    "# that drops a provisioned unit from here without decommissioning. Never delete an entry by hand.\n" +
    stringify({ units: ledger.units }, { lineWidth: 0 })
  );
}

/** Writes the ledger file. */
export function writeLedger(ledger: Ledger, stackName: string): void {
  writeFileSync(ledger.file, ledgerText(ledger, stackName));
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
