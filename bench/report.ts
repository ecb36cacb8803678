/**
 * The benchmark's table and its targets: pure functions from measured rows to markdown, so the same
 * text is printed and written to the results file.
 */

/** One measured command: wall seconds and peak MiB, or why it was not measured. */
export type Cell = { wallS: number; peakMiB: number } | { skipped: string };

/** Everything measured at one N. */
export interface Row {
  units: number;
  validate: Cell;
  plan: Cell;
  /** Reference for the render path: cdk8s synth of the objects the plan renders. */
  cdk8s: Cell;
  program: Cell;
  /** Reference for the program: a bare Pulumi program registering as many resources of the same types. */
  bare: Cell;
  /** Kubernetes objects rendered (what the plan writes). */
  objects: number;
  /** Pulumi resources the program registered (undefined when it was not run). */
  resources?: number;
  /** Whether `muni plan` printed a warning about the stack's resource count. */
  planWarned: boolean;
}

/** The issue's targets, on a 2-core machine. */
export const TARGETS = {
  validate10kS: 5,
  plan10kS: 20,
  plan10kMiB: 1.5 * 1024,
  perUnitGrowth: 1.5,
  programOverBare: 1.3,
  stackResourceWarning: 1000,
} as const;

export const measured = (c: Cell): c is { wallS: number; peakMiB: number } => "wallS" in c;

const s = (c: Cell) => (measured(c) ? c.wallS.toFixed(2) : "–");
const mib = (c: Cell) => (measured(c) ? c.peakMiB.toFixed(0) : "–");
const ratio = (a: Cell, b: Cell) => (measured(a) && measured(b) ? (a.wallS / b.wallS).toFixed(2) : "–");

/** Cost per unit in ms at N: wall time / N (start-up included, as the user waits for it). */
export function perUnitMs(rows: readonly Row[], pick: (r: Row) => Cell, n: number): number | undefined {
  const row = rows.find((r) => r.units === n);
  const c = row && pick(row);
  return c && measured(c) ? (c.wallS * 1000) / n : undefined;
}

/**
 * Incremental cost per unit in ms of the step that ends at N: (t(N) − t(N′)) / (N − N′), N′ the
 * previous size measured. Start-up cancels out, so growth beyond linear shows here.
 */
export function incrementalMs(rows: readonly Row[], pick: (r: Row) => Cell, n: number): number | undefined {
  const done = rows.filter((r) => measured(pick(r)));
  const i = done.findIndex((r) => r.units === n);
  if (i < 1) return undefined;
  const a = pick(done[i - 1]!) as { wallS: number };
  const b = pick(done[i]!) as { wallS: number };
  return ((b.wallS - a.wallS) * 1000) / (n - done[i - 1]!.units);
}

/** The results table. */
export function table(rows: readonly Row[]): string {
  const head =
    "| units | validate s | MiB | plan s | MiB | cdk8s synth s | MiB | plan / cdk8s | program s | MiB | bare Pulumi s | MiB | program / bare | k8s objects / unit | Pulumi resources / unit | plan warned (>1,000 resources) |\n" +
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";
  const lines = rows
    .map((r) =>
      [
        r.units.toLocaleString("en-US"),
        s(r.validate),
        mib(r.validate),
        s(r.plan),
        mib(r.plan),
        s(r.cdk8s),
        mib(r.cdk8s),
        ratio(r.plan, r.cdk8s),
        s(r.program),
        mib(r.program),
        s(r.bare),
        mib(r.bare),
        ratio(r.program, r.bare),
        (r.objects / r.units).toFixed(1),
        r.resources === undefined ? "–" : (r.resources / r.units).toFixed(1),
        stackWarning(r),
      ].join(" | "),
    )
    .map((l) => `| ${l} |`);
  const skipped = rows.flatMap((r) =>
    (["validate", "plan", "cdk8s", "program", "bare"] as const).flatMap((k) => {
      const c = r[k];
      return measured(c) ? [] : [`- ${k} at ${r.units.toLocaleString("en-US")} units: ${c.skipped}`];
    }),
  );
  const perUnit = ["validate", "plan", "program"] as const;
  const ns = rows.map((r) => r.units);
  const block = (title: string, f: typeof perUnitMs, from: number) =>
    `| ${title} | ${ns
      .slice(from)
      .map((n) => n.toLocaleString("en-US"))
      .join(" | ")} |\n|---|${ns
      .slice(from)
      .map(() => "---:")
      .join("|")}|\n` +
    perUnit
      .map(
        (k) =>
          `| ${k} | ${ns
            .slice(from)
            .map((n) => fmt(f(rows, (r) => r[k], n)))
            .join(" | ")} |`,
      )
      .join("\n");
  const marginal = `${block("ms per unit (wall / N)", perUnitMs, 0)}\n\n${block("incremental ms per unit (step from the previous size)", incrementalMs, 1)}\n`;
  return `${head}\n${lines.join("\n")}\n\n${marginal}\n${skipped.length ? `\nNot measured:\n${skipped.join("\n")}\n` : ""}`;
}

function stackWarning(r: Row): string {
  const n = r.resources ?? r.objects;
  if (n <= TARGETS.stackResourceWarning) return r.planWarned ? "yes (not needed)" : "no (not needed)";
  return r.planWarned ? "yes" : "**NO**";
}

const fmt = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(2));

/** One target: what it asks, what was measured, whether it holds. */
export interface Verdict {
  target: string;
  measured: string;
  holds: boolean | undefined;
}

/** Judges every target the issue sets against the rows (undefined: not measured at the N it needs). */
export function verdicts(rows: readonly Row[]): Verdict[] {
  const at = (n: number) => rows.find((r) => r.units === n);
  const big = at(10_000);
  const out: Verdict[] = [];
  const cell = (
    c: Cell | undefined,
    f: (m: { wallS: number; peakMiB: number }) => number,
    unit: string,
    limit: number,
    what: string,
  ) => {
    if (!c || !measured(c))
      out.push({ target: what, measured: c ? c.skipped : "not run at 10,000 units", holds: undefined });
    else {
      const v = f(c);
      out.push({
        target: what,
        measured: `${v.toFixed(2)} ${unit} (${(v / limit).toFixed(2)}× the limit)`,
        holds: v <= limit,
      });
    }
  };
  cell(
    big?.validate,
    (m) => m.wallS,
    "s",
    TARGETS.validate10kS,
    `validate 10,000 units ≤ ${TARGETS.validate10kS} s`,
  );
  cell(big?.plan, (m) => m.wallS, "s", TARGETS.plan10kS, `plan 10,000 units ≤ ${TARGETS.plan10kS} s`);
  cell(
    big?.plan,
    (m) => m.peakMiB / 1024,
    "GiB",
    TARGETS.plan10kMiB / 1024,
    `plan 10,000 units ≤ ${TARGETS.plan10kMiB / 1024} GiB peak`,
  );
  for (const k of ["validate", "plan", "program"] as const) {
    const pick = (r: Row) => r[k];
    const top = Math.max(...rows.filter((r) => measured(r[k])).map((r) => r.units));
    const what = `${k}: per-unit cost at 10,000 ≤ ${TARGETS.perUnitGrowth}× that at 100`;
    const [p100, pTop] = [perUnitMs(rows, pick, 100), perUnitMs(rows, pick, top)];
    // The step 100 → 1,000 against the last step: a cost growing faster than N shows as a steeper step.
    const [first, lastStep] = [incrementalMs(rows, pick, 1000), incrementalMs(rows, pick, top)];
    if (p100 === undefined || pTop === undefined || top <= 100)
      out.push({ target: what, measured: "not measured beyond 100 units", holds: undefined });
    else {
      const steps =
        first !== undefined && lastStep !== undefined && top > 1000
          ? `; incremental ${lastStep.toFixed(2)} ms per unit up to ${top.toLocaleString("en-US")} vs ${first.toFixed(2)} ms from 100 to 1,000 (${(lastStep / first).toFixed(2)}×)`
          : "";
      out.push({
        target: what,
        measured: `${pTop.toFixed(2)} ms at ${top.toLocaleString("en-US")} vs ${p100.toFixed(2)} ms at 100 (${(pTop / p100).toFixed(2)}×)${steps}`,
        holds:
          top === 10_000
            ? pTop <= TARGETS.perUnitGrowth * p100 &&
              (first === undefined || lastStep! <= TARGETS.perUnitGrowth * first)
            : undefined,
      });
    }
  }
  const both = rows.filter((r) => measured(r.program) && measured(r.bare));
  const last = both.at(-1);
  if (!last)
    out.push({
      target: `program ≤ ${TARGETS.programOverBare}× the bare-registration reference`,
      measured: "not measured",
      holds: undefined,
    });
  else {
    const worst = Math.max(
      ...both.map((r) => (r.program as { wallS: number }).wallS / (r.bare as { wallS: number }).wallS),
    );
    const lastRatio = (last.program as { wallS: number }).wallS / (last.bare as { wallS: number }).wallS;
    out.push({
      target: `program ≤ ${TARGETS.programOverBare}× the bare-registration reference`,
      measured: `${lastRatio.toFixed(2)}× at ${last.units.toLocaleString("en-US")} units (worst ${worst.toFixed(2)}×)`,
      holds: worst <= TARGETS.programOverBare,
    });
  }
  const over = rows.filter((r) => (r.resources ?? r.objects) > TARGETS.stackResourceWarning);
  out.push({
    target: `the plan warns when one stack would exceed ${TARGETS.stackResourceWarning.toLocaleString("en-US")} resources`,
    measured: over.length
      ? `warned at ${over.filter((r) => r.planWarned).length} of ${over.length} sizes over the limit`
      : "no size went over the limit",
    holds: over.length ? over.every((r) => r.planWarned) : undefined,
  });
  return out;
}

/** The verdicts as a markdown list. */
export function verdictList(vs: readonly Verdict[]): string {
  return vs
    .map(
      (v) =>
        `- ${v.holds === undefined ? "NOT MEASURED" : v.holds ? "holds" : "**MISSED**"}: ${v.target} — ${v.measured}`,
    )
    .join("\n");
}
