/** A throw-away copy of the project's stacks and units, edited as text, for validation tests. */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDiagnostic } from "../../../infra/2-manifest/diagnostics";
import { loadProject } from "../../../infra/3-rules/project";

const ROOT = join(__dirname, "..", "..", "..");

/** An edit of one file: replace the exact text `from` (which must occur exactly once) by `to`. */
export interface Edit {
  file: string;
  from: string;
  to: string;
}

/** Copies stacks/ and units/ into a temp dir, applies the edits, and returns the dir. */
export function tempProject(edits: readonly Edit[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), "muni-capacity-"));
  for (const sub of ["stacks", "units"]) cpSync(join(ROOT, sub), join(dir, sub), { recursive: true });
  for (const e of edits) {
    const path = join(dir, e.file);
    const text = readFileSync(path, "utf8");
    const n = text.split(e.from).length - 1;
    if (n !== 1) throw new Error(`edit of ${e.file}: ${JSON.stringify(e.from)} occurs ${n} times, not once`);
    writeFileSync(path, text.replace(e.from, e.to));
  }
  return dir;
}

/** `muni validate`-style load of a stack in dir: every diagnostic formatted, the dir shown as `<root>`. */
export function validateStack(dir: string, stack = "lodz-prod"): string[] {
  return loadProject(dir, stack).diagnostics.map((d) => formatDiagnostic(d).split(dir).join("<root>"));
}

/** `file:line:col` of the n-th (0-based) occurrence of `needle` in a project file, pointing at `needle`'s column + offset. */
export function at(dir: string, file: string, needle: string, offset = 0, nth = 0): string {
  const lines = readFileSync(join(dir, file), "utf8").split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i]!.indexOf(needle);
    if (col >= 0 && seen++ === nth) return `<root>/${file}:${i + 1}:${col + 1 + offset}`;
  }
  throw new Error(`${needle} not in ${file}`);
}

/** The unit files of the project. */
export const UNIT_FILES = readdirSync(join(ROOT, "units")).filter((f) => f.endsWith(".yaml"));
