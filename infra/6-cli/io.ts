import { type Diagnostic, formatDiagnostic } from "../2-manifest/diagnostics";

/** Where a command writes; tests pass their own, the launcher passes the process's. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Colour only when the output is a terminal and NO_COLOR is unset. */
  color: boolean;
}

export function processIO(): CliIO {
  return {
    out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/** Exit codes of every muni command; 130 (128 + SIGINT) when the user stops a question with Ctrl+C. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, internal: 3, interrupted: 130 } as const;

/** A usage problem (bad flag, unknown stack, bad git ref): exit 2 with the message. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function paint(io: CliIO, code: "red" | "green" | "yellow" | "dim" | "bold", text: string): string {
  if (!io.color) return text;
  const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
  return `\u001b[${codes[code]}m${text}\u001b[0m`;
}

/** Prints diagnostics in the one `file:line:col: field: message (hint)` form, file location in bold. */
export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    const line = formatDiagnostic(d);
    const where = `${d.file}:${d.line}:${d.col}:`;
    io.err(io.color ? paint(io, "bold", where) + paint(io, "red", line.slice(where.length)) : line);
  }
}
