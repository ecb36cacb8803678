import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Diagnostic } from "./diagnostics";
import { readYamlFile, type YamlSource } from "./yaml-source";
import { DEFAULT_LIMITS, type YamlLimits } from "./yaml-structure";
import type { DataHistory, LifecycleState } from "../1-model";
import { checkData } from "./ledger-data";

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
  /**
   * The Pulumi stack still holding the unit's resources, when it is not the unit's own `<city>.<unit id>`:
   * the city-wide stack from before one stack per unit. The unit's own stack refuses to run until
   * `muni migrate --run` has moved them (issue 15; docs/operator.md).
   */
  stack?: string;
  /** The Pulumi stack the unit's resources were moved from by `muni migrate` (the record of the move). */
  movedFrom?: string;
  /**
   * What holds the unit's data (namespaces that held any, VMs, sites, mailboxes with their incarnations) and
   * what was retired from it (what, when, where the data is kept). Absent: nothing recorded yet.
   */
  data?: DataHistory;
}

/** Where the platform's resources live: `stack` and `movedFrom` as for a unit (LedgerEntry). */
export interface LedgerPlatform {
  stack?: string;
  movedFrom?: string;
}

/** A stack's ledger: every unit it has provisioned (never forgotten) and every unit it takes now. */
export interface Ledger {
  /** The ledger file (stacks/<stack>.units.yaml); it need not exist yet. */
  file: string;
  exists: boolean;
  units: Record<string, LedgerEntry>;
  /** The platform's record (`platform:` at the top), when the file has one. */
  platform?: LedgerPlatform;
  source?: YamlSource;
}

const STATES: readonly LifecycleState[] = ["planned", "active", "decommissioning", "decommissioned"];
const FIELDS = ["state", "wave", "provisioned", "file", "retained", "stack", "movedFrom", "data"];
const PLATFORM_FIELDS = ["stack", "movedFrom"];
/** A Pulumi stack name (as Pulumi accepts it). */
const STACK_NAME = /^[A-Za-z0-9._-]+$/;
const ID = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The ledger of the stack whose settings file is `stackFile` (stacks/Pulumi.<stack>.yaml): stacks/<stack>.units.yaml. */
export function ledgerPath(stackFile: string, stackName: string): string {
  return join(dirname(stackFile), `${stackName}.units.yaml`);
}

/**
 * The YAML limits of a ledger: a unit manifest's, but up to 64 MiB. The ledger is written by muni and owned
 * by the central administrators, and each provisioned unit's data record (its VMs, sites and mailboxes) makes
 * a city's ledger pass a unit manifest's 1 MiB at a few thousand units.
 */
export const LEDGER_LIMITS: YamlLimits = { ...DEFAULT_LIMITS, maxBytes: 64 * 1024 * 1024 };

/** Reads and checks a ledger; a missing file is an empty ledger (a stack that has provisioned nothing yet). */
export function readLedger(file: string): { ledger?: Ledger; diagnostics: Diagnostic[] } {
  if (!existsSync(file)) return { ledger: { file, exists: false, units: {} }, diagnostics: [] };
  const parsed = readYamlFile(file, LEDGER_LIMITS);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  return checkLedger(file, parsed.source, parsed.value);
}

const HINT =
  "the ledger is written by `muni ledger --stack <stack> --write`: restore it from git rather than editing it";

/** Checks a parsed ledger document (the whole file, or the part of it ledger-entry.ts read). */
export function checkLedger(
  file: string,
  source: YamlSource,
  value: unknown,
): { ledger?: Ledger; diagnostics: Diagnostic[] } {
  const hint = HINT;
  const top = value as { units?: unknown; platform?: unknown } | null;
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
    const entry = checkEntry(source, id, raw, out);
    if (entry) units[id] = entry;
  }
  const platform = top.platform === undefined ? undefined : checkPlatform(source, top.platform, out);
  return out.length
    ? { diagnostics: out }
    : { ledger: { file, exists: true, units, ...(platform ? { platform } : {}), source }, diagnostics: [] };
}

/** One entry `units.<id>`, or undefined with its problems appended to `out`. */
export function checkEntry(
  source: YamlSource,
  id: string,
  raw: unknown,
  out: Diagnostic[],
): LedgerEntry | undefined {
  const hint = HINT;
  const at = ["units", id];
  if (!ID.test(id)) out.push(source.diagnostic(at, `"${id}" is not a unit id`, hint, true));
  if (!isMap(raw)) {
    out.push(source.diagnostic(at, "must be a mapping with state, wave, provisioned and file", hint));
    return undefined;
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
    out.push(source.diagnostic([...at, "retained"], "must be a list of `Kind namespace/name` strings", hint));
  checkStackFields(source, at, e, out);
  const data = e.data === undefined ? undefined : checkData(source, at, e.data, out);
  if (out.length !== before) return undefined;
  return {
    state: e.state as LifecycleState,
    wave: e.wave as number,
    provisioned: e.provisioned as boolean,
    file: e.file as string,
    ...(e.retained ? { retained: e.retained as string[] } : {}),
    ...(e.stack !== undefined ? { stack: e.stack as string } : {}),
    ...(e.movedFrom !== undefined ? { movedFrom: e.movedFrom as string } : {}),
    ...(data ? { data } : {}),
  };
}

/** The top-level `platform:` record, or undefined with its problems appended to `out`. */
export function checkPlatform(
  source: YamlSource,
  raw: unknown,
  out: Diagnostic[],
): LedgerPlatform | undefined {
  if (!isMap(raw)) {
    out.push(source.diagnostic(["platform"], "must be a mapping with stack or movedFrom", HINT));
    return undefined;
  }
  const before = out.length;
  for (const k of Object.keys(raw))
    if (!PLATFORM_FIELDS.includes(k))
      out.push(
        source.diagnostic(
          ["platform", k],
          `unknown field "${k}" (allowed: ${PLATFORM_FIELDS.join(", ")})`,
          HINT,
          true,
        ),
      );
  checkStackFields(source, ["platform"], raw, out);
  if (out.length !== before) return undefined;
  return {
    ...(raw.stack !== undefined ? { stack: raw.stack as string } : {}),
    ...(raw.movedFrom !== undefined ? { movedFrom: raw.movedFrom as string } : {}),
  };
}

function checkStackFields(
  source: YamlSource,
  at: string[],
  e: Record<string, unknown>,
  out: Diagnostic[],
): void {
  for (const k of ["stack", "movedFrom"])
    if (e[k] !== undefined && !(typeof e[k] === "string" && STACK_NAME.test(e[k])))
      out.push(source.diagnostic([...at, k], `${JSON.stringify(e[k])} is not a Pulumi stack name`, HINT));
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
