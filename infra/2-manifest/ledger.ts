import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Diagnostic } from "./diagnostics";
import { readYamlFile, type YamlSource } from "./yaml-source";
import type { LifecycleState } from "../1-model";

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

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
