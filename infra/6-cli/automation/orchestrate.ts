/** What happened to one Pulumi stack in `muni preview` or `muni up`. */
export interface StackResult {
  /** `<city>.platform` or `<city>.<unit id>`. */
  stack: string;
  /**
   * ok: no changes (preview) or applied (up); changes: the preview proposes changes; failed: the program refused
   * its input or the operation failed; skipped: not run (the platform failed first).
   */
  status: "ok" | "changes" | "failed" | "skipped";
  /** Resource changes by operation (`create`, `update`, `delete`, `replace`...), `same` left out. */
  changes: Record<string, number>;
  /** The first error: the program's located problem, or the CLI's message. */
  message?: string;
  /** Wall time, seconds. */
  seconds: number;
  /** Exit code this stack contributes: 0, 1 (failed, skipped, or changes when none were expected), 3 (internal error). */
  code: number;
}

/** What the orchestration reports while it runs (the terminal's progress lines). */
export interface ProgressSink {
  start(stack: string): void;
  /** A running stack's latest step, e.g. `12 resources · creating unit-css`. */
  update(stack: string, text: string): void;
  finish(result: StackResult): void;
}

/** Runs one stack; never rejects (an unexpected error is a result with code 3). */
export type RunOne = (stack: string, progress: (text: string) => void) => Promise<StackResult>;

/**
 * Platform first, then the unit stacks in parallel, at most `concurrency` at a time, in the order given. When
 * the platform fails and `skipUnitsIfPlatformFails` (muni up: tenants would land in platform namespaces that
 * may not be there), the unit stacks are skipped. Resolves to every result, in the order given.
 */
export async function runPlatformThenUnits(
  platform: string | undefined,
  units: readonly string[],
  runOne: RunOne,
  opts: { concurrency: number; skipUnitsIfPlatformFails: boolean; progress: ProgressSink },
): Promise<StackResult[]> {
  const results: StackResult[] = [];
  const one = async (stack: string): Promise<StackResult> => {
    opts.progress.start(stack);
    let r: StackResult;
    const started = Date.now();
    try {
      r = await runOne(stack, (text) => opts.progress.update(stack, text));
    } catch (e) {
      r = {
        stack,
        status: "failed",
        changes: {},
        message: `internal error: ${(e as Error).message}`,
        seconds: (Date.now() - started) / 1000,
        code: 3,
      };
    }
    opts.progress.finish(r);
    return r;
  };
  if (platform !== undefined) {
    const p = await one(platform);
    results.push(p);
    if (p.status === "failed" && opts.skipUnitsIfPlatformFails) {
      for (const stack of units) {
        const skipped: StackResult = {
          stack,
          status: "skipped",
          changes: {},
          message: `not run: ${platform} failed`,
          seconds: 0,
          code: 1,
        };
        opts.progress.finish(skipped);
        results.push(skipped);
      }
      return results;
    }
  }
  const unitResults: StackResult[] = new Array(units.length);
  let next = 0;
  const worker = async () => {
    while (next < units.length) {
      const i = next++;
      unitResults[i] = await one(units[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, units.length)) }, worker));
  return [...results, ...unitResults];
}

/** The exit code of a run: the worst of its stacks' (0 when there was nothing to run). */
export function worstCode(results: readonly StackResult[]): number {
  return results.reduce((w, r) => Math.max(w, r.code), 0);
}

/** `+2 ~1 -1 ±1` for creates, updates, deletes and replacements; `no changes` when there are none. */
export function describeChanges(changes: Record<string, number>): string {
  const sign: Record<string, string> = {
    create: "+",
    update: "~",
    delete: "-",
    replace: "±",
    "create-replacement": "±",
    "delete-replaced": "±",
    import: "=>",
  };
  const parts = Object.entries(changes)
    .filter(([op, n]) => n > 0 && op !== "same" && op !== "create-replacement" && op !== "delete-replaced")
    .map(([op, n]) => `${sign[op] ?? `${op} `}${n}`);
  return parts.length ? parts.join(" ") : "no changes";
}

/** The summary table and its last line. */
export function summaryText(results: readonly StackResult[], verb: "preview" | "up"): string {
  const width = Math.max(5, ...results.map((r) => r.stack.length));
  const lines = results.map((r) => {
    const what =
      r.status === "failed" || r.status === "skipped"
        ? `${r.status === "failed" ? "FAILED" : "skipped"}: ${r.message ?? ""}`
        : describeChanges(r.changes);
    return `${r.stack.padEnd(width)}  ${what}${r.status === "skipped" ? "" : ` (${r.seconds.toFixed(1)} s)`}`;
  });
  const count = (s: StackResult["status"]) => results.filter((r) => r.status === s).length;
  const tally = [
    `${count("ok")} ${verb === "up" ? "applied" : "without changes"}`,
    ...(verb === "preview" ? [`${count("changes")} with changes`] : []),
    `${count("failed")} failed`,
    ...(count("skipped") ? [`${count("skipped")} skipped`] : []),
  ].join(", ");
  return [
    ...lines,
    `${results.length} stack${results.length === 1 ? "" : "s"}: ${tally} (exit ${worstCode(results)})`,
  ].join("\n");
}
