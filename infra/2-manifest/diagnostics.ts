/** One problem in one input file, located at file:line:col, with the field it concerns and a fix. */
export interface Diagnostic {
  /** Path of the file as the user named it (relative paths stay relative). */
  file: string;
  /** 1-based line; 1 when the problem concerns the whole file. */
  line: number;
  /** 1-based column. */
  col: number;
  /** Field path in the document, e.g. `services.mail.aliases[0].name`; empty for the whole document. */
  field: string;
  /** What is wrong, naming the bad value. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

export type PathSegment = string | number;

/** Renders `services.mail.aliases[0].name` from `["services","mail","aliases",0,"name"]`. */
export function fieldPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `file:line:col: field: message (hint)`: the one format every muni error uses. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const field = d.field ? `${d.field}: ` : "";
  const hint = d.hint ? ` (${d.hint})` : "";
  return `${where}: ${field}${d.message}${hint}`;
}

/** Sorts by file, then line, then column, then message, so output is stable. */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** Thrown where a caller (the Pulumi program) cannot go on with invalid input; carries every diagnostic. */
export class ValidationError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(
      `muni: ${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"} in the input:\n` +
        sortDiagnostics(diagnostics).map(formatDiagnostic).join("\n"),
    );
    this.name = "ValidationError";
  }
}

/** Edit distance, for "did you mean" hints: a close spelling, or a candidate the word is the start of (`default` → `defaultQueue`). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const prefixed = lower.length >= 4 ? candidates.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== undefined && bestDist <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
