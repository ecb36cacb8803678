import type { StackSettings, Unit } from "../1-model";
import { type Diagnostic, fieldPath, type PathSegment } from "../2-manifest/diagnostics";

/**
 * One problem a rule finds: the file, the field, what is wrong (naming the bad value) and how to fix it.
 * Rules work on models, not on YAML: whoever holds the file's source turns a finding into a located
 * diagnostic (`file:line:col: field: message (hint)`), so no rule imports the loader.
 */
export interface Finding {
  file: string;
  /** Field path in the file, e.g. `["services", "mail", "domain"]`; empty for the whole file. */
  path: readonly PathSegment[];
  message: string;
  hint?: string;
  /** Point at the field's key rather than its value. */
  key?: boolean;
  /** The position, when it is known already (a ledger entry, a manifest at a git ref). */
  at?: { line: number; col: number };
}

/** A unit manifest as the rules see it: its file and its validated model (defaults filled in). */
export interface UnitInput {
  file: string;
  unit: Unit;
}

/** A stack settings file as the rules see it. */
export interface StackInput {
  name: string;
  file: string;
  settings: StackSettings;
}

/** `file:line:col` of a field, for a message that points at a second place (another unit's claim). */
export type Locate = (file: string, path: readonly PathSegment[]) => string;

/** What a rule over a stack and the units it takes receives. */
export interface ProjectView {
  stack: StackInput;
  units: readonly UnitInput[];
  locate: Locate;
}

/** A rule between a stack's settings and the units it takes. */
export type StackCheck = (project: ProjectView) => Finding[];

/** A finding at `path` of `file`. */
export function finding(
  file: string,
  path: readonly PathSegment[],
  message: string,
  hint?: string,
  key = false,
): Finding {
  return { file, path, message, ...(hint ? { hint } : {}), ...(key ? { key } : {}) };
}

/** What can say where a field of a file stands: a parsed file's source (2-manifest YamlSource). */
export interface Positions {
  locate(path: readonly PathSegment[], key?: boolean): { line: number; col: number };
}

/** A Locate over the sources of the files read; a file without a source is at 1:1. */
export function locator(sources: ReadonlyMap<string, Positions>): Locate {
  return (file, path) => {
    const { line, col } = sources.get(file)?.locate(path) ?? { line: 1, col: 1 };
    return `${file}:${line}:${col}`;
  };
}

/** Findings as located diagnostics, through the sources of the files they name. */
export function locateFindings(
  findings: readonly Finding[],
  sources: ReadonlyMap<string, Positions>,
): Diagnostic[] {
  return findings.map((f) => {
    const { line, col } = f.at ?? sources.get(f.file)?.locate(f.path, f.key) ?? { line: 1, col: 1 };
    return {
      file: f.file,
      line,
      col,
      field: fieldPath(f.path),
      message: f.message,
      ...(f.hint ? { hint: f.hint } : {}),
    };
  });
}
