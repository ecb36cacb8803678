import { describeChanges, type ProgressSink, type StackResult } from "./orchestrate";

/** One finished stack's line: `✓ lodz-prod.css  +3 ~1 (4.1 s)`. */
export function resultLine(r: StackResult): string {
  const mark = { ok: "✓", changes: "~", failed: "✗", skipped: "-" }[r.status];
  const what =
    r.status === "failed" || r.status === "skipped"
      ? `${r.status}: ${r.message ?? ""}`
      : `${describeChanges(r.changes)} (${r.seconds.toFixed(1)} s)`;
  return `${mark} ${r.stack}  ${what}`;
}

/**
 * Progress on standard error. On a terminal, a line per running stack, updated in place as its engine events
 * arrive, and a permanent line per finished stack above them; elsewhere (CI logs) only the finished lines.
 */
export function stderrProgress(
  write: (raw: string) => void,
  tty: boolean,
  minIntervalMs = 100,
): ProgressSink {
  const running = new Map<string, string>();
  let drawn = 0;
  let last = 0;
  const render = (finished?: string) => {
    if (!tty) {
      if (finished) write(`${finished}\n`);
      return;
    }
    // Back to the top of the running block, clear it, print the finished line, then the block again.
    let out = drawn ? `\u001b[${drawn}A\u001b[0J` : "";
    if (finished) out += `${finished}\n`;
    const lines = [...running].map(([stack, text]) => `  … ${stack}  ${text}`);
    out += lines.map((l) => `${l}\n`).join("");
    drawn = lines.length;
    last = Date.now();
    write(out);
  };
  return {
    start(stack) {
      running.set(stack, "starting");
      render();
    },
    update(stack, text) {
      if (!running.has(stack)) return;
      running.set(stack, text);
      if (Date.now() - last >= minIntervalMs) render();
    },
    finish(r) {
      running.delete(r.stack);
      render(resultLine(r));
    },
  };
}
