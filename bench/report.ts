/**
 * The benchmark's table and its targets: pure functions from measured rows to markdown, so the same
 * text is printed and written to the results file.
 */

/** One measured command: wall seconds, peak MiB and CPU seconds (user + system), or why it was not measured. */
export type Cell = { wallS: number; peakMiB: number; cpuS?: number } | { skipped: string };

/** Everything measured at one city size N. */
export interface Row {
  units: number;
  validate: Cell;
  plan: Cell;
  /** Reference for the render path: cdk8s synth of the objects the plan renders. */
  cdk8s: Cell;
  /** One unit stack's program, `<city>.<unit>`, as Pulumi runs it (the median of the repeated runs, by CPU time). */
  unitStack: Cell;
  /** Reference for the unit stack: a bare Pulumi program registering the same resources of that unit (median). */
  unitBare: Cell;
  /** Pulumi resources the unit stack registered. */
  unitResources?: number;
  /** The median of the ratios unit stack / bare reference in CPU time, over the alternated pairs of runs. */
  unitOverBare?: number;
  /**
   * The same unit's stack in this city against in the smallest city, run alternately: medians of the ratios of
   * CPU time, wall time and peak memory (the city's size's own cost, the machine's load cancelling out).
   */
  unitOverSmallest?: { cpu: number; wall: number; memory: number };
  /** The platform stack's program, `<city>.platform`, with N tenants. */
  platform: Cell;
  /** The platform stack's largest Kubernetes object (its inputs as JSON). */
  platformLargest?: { type: string; name: string; bytes: number };
  /** `muni operator` writing the city's Stacks and RBAC. */
  operator: Cell;
  /** Bytes `muni operator` wrote. */
  operatorBytes?: number;
  /** Kubernetes objects rendered for the whole city (what the plan writes). */
  objects: number;
  /** Whether `muni plan` printed a warning about a Pulumi stack's resource count. */
  planWarned: boolean;
  /** The shared servers' tenant sync reading the N tenants (bench/tenant-sync.ts). */
  tenantSync?: TenantSyncRow;
}

/** One kind of tenant (mail Secrets, print ConfigMaps) read by the init container's sync. */
export interface SyncRead {
  /** `python3 tenant_sync.py ... --once`, its hook included. */
  sync: Cell;
  /** Tenant directories the sync wrote (every valid tenant: N). */
  tenants: number;
  /** Bytes of the API's responses to the sync's requests. */
  bytes: number;
  /** Pages (list requests) the sync made. */
  requests: number;
}

/** The tenant sync at one N: both servers' init containers, the mail hook, and an unchanged sidecar poll. */
export interface TenantSyncRow {
  mail: SyncRead;
  print: SyncRead;
  /** The mail hook (`sh assemble.sh`, concatenating the tables) alone, over the tree the sync wrote. */
  hook: Cell;
  /** One pass of the mail sidecar's loop with nothing changed. */
  poll: Cell;
  /** Seconds between the sidecar's passes (its rendered --interval). */
  interval: number;
  /** Its list requests. */
  pollRequests: number;
  /** Files in the pod's volumes the poll added, removed or changed (the tree, the tables): 0 expected. */
  pollChanged: number;
}

/** The issues' targets, on a 2-core machine. */
export const TARGETS = {
  validate10kS: 5,
  plan10kS: 20,
  plan10kMiB: 1.5 * 1024,
  perUnitGrowth: 1.5,
  /** One unit stack's cost from a city of 10 to one of 10,000 units. */
  unitStackFlat: 1.2,
  unitStackMiB: 300,
  unitStackOverBare: 1.3,
  stackResourceWarning: 1000,
  /** The API server refuses a larger object (etcd's request limit). */
  objectBytes: 1.5 * 1024 * 1024,
} as const;

export const measured = (c: Cell): c is { wallS: number; peakMiB: number; cpuS?: number } => "wallS" in c;

const s = (c: Cell) => (measured(c) ? c.wallS.toFixed(2) : "–");
const cpu = (c: Cell) => (measured(c) && c.cpuS !== undefined ? c.cpuS.toFixed(2) : "–");
const mib = (c: Cell) => (measured(c) ? c.peakMiB.toFixed(0) : "–");
const ratio = (a: Cell, b: Cell, k: "wallS" | "cpuS" = "wallS") =>
  measured(a) && measured(b) && a[k] !== undefined && b[k] !== undefined ? (a[k]! / b[k]!).toFixed(2) : "–";

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

const kib = (n: number | undefined) => (n === undefined ? "–" : (n / 1024).toFixed(0));

/** The results tables. */
export function table(rows: readonly Row[]): string {
  const n = (r: Row) => r.units.toLocaleString("en-US");
  const city =
    "| units | validate s | MiB | plan s | CPU s | MiB | cdk8s synth s | plan / cdk8s | k8s objects / unit | plan warned |\n" +
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n" +
    rows
      .map(
        (r) =>
          `| ${[n(r), s(r.validate), mib(r.validate), s(r.plan), cpu(r.plan), mib(r.plan), s(r.cdk8s), ratio(r.plan, r.cdk8s), (r.objects / r.units).toFixed(1), r.planWarned ? "yes" : "no"].join(" | ")} |`,
      )
      .join("\n");
  const stacks =
    "| units | unit stack s | CPU s | MiB | bare s | CPU s | MiB | unit / bare (CPU) | resources | platform s | MiB | largest platform object KiB | operator s | MiB | output MiB |\n" +
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" +
    rows
      .map(
        (r) =>
          `| ${[
            n(r),
            s(r.unitStack),
            cpu(r.unitStack),
            mib(r.unitStack),
            s(r.unitBare),
            cpu(r.unitBare),
            mib(r.unitBare),
            r.unitOverBare !== undefined ? r.unitOverBare.toFixed(2) : ratio(r.unitStack, r.unitBare, "cpuS"),
            r.unitResources ?? "–",
            s(r.platform),
            mib(r.platform),
            r.platformLargest ? `${kib(r.platformLargest.bytes)} (${r.platformLargest.name})` : "–",
            s(r.operator),
            mib(r.operator),
            r.operatorBytes === undefined ? "–" : (r.operatorBytes / 2 ** 20).toFixed(1),
          ].join(" | ")} |`,
      )
      .join("\n");
  const skipped = rows.flatMap((r) =>
    (["validate", "plan", "cdk8s", "unitStack", "unitBare", "platform", "operator"] as const).flatMap((k) => {
      const c = r[k];
      return measured(c) ? [] : [`- ${k} at ${n(r)} units: ${c.skipped}`];
    }),
  );
  const ns = rows.map((r) => r.units);
  const block = (title: string, f: typeof perUnitMs, from: number) =>
    `| ${title} | ${ns
      .slice(from)
      .map((x) => x.toLocaleString("en-US"))
      .join(" | ")} |\n|---|${ns
      .slice(from)
      .map(() => "---:")
      .join("|")}|\n` +
    (["validate", "plan"] as const)
      .map(
        (k) =>
          `| ${k} | ${ns
            .slice(from)
            .map((x) => fmt(f(rows, (r) => r[k], x)))
            .join(" | ")} |`,
      )
      .join("\n");
  return [
    "### The whole city: validation, plan, render reference",
    "",
    city,
    "",
    "### The Pulumi stacks: one unit's stack, the platform's, the operator's objects",
    "",
    stacks,
    "",
    block("ms per unit (wall / N)", perUnitMs, 0),
    "",
    block("incremental ms per unit (step from the previous size)", incrementalMs, 1),
    "",
    ...(skipped.length ? ["Not measured:", ...skipped, ""] : []),
  ].join("\n");
}

const fmt = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(2));

/** One target: what it asks, what was measured, whether it holds. */
export interface Verdict {
  target: string;
  measured: string;
  holds: boolean | undefined;
}

/** Judges every target the issues set against the rows (undefined: not measured at the N it needs). */
export function verdicts(rows: readonly Row[]): Verdict[] {
  const at = (x: number) => rows.find((r) => r.units === x);
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
  for (const k of ["validate", "plan"] as const) {
    const pick = (r: Row) => r[k];
    const top = Math.max(...rows.filter((r) => measured(r[k])).map((r) => r.units));
    const what = `${k}: per-unit cost at 10,000 ≤ ${TARGETS.perUnitGrowth}× that at 100`;
    const [p100, pTop] = [perUnitMs(rows, pick, 100), perUnitMs(rows, pick, top)];
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
  // One unit stack: flat in the city's size, small, and close to bare registration.
  const unit = rows.filter((r) => measured(r.unitStack));
  const small = unit[0];
  const largest = unit.at(-1);
  const flat = (
    what: string,
    f: (c: { wallS: number; peakMiB: number; cpuS?: number }) => number | undefined,
    unitName: string,
    paired: keyof NonNullable<Row["unitOverSmallest"]>,
  ) => {
    const target = `one unit stack's ${what} in a city of ${largest?.units.toLocaleString("en-US") ?? "10,000"} ≤ ${TARGETS.unitStackFlat}× in a city of ${small?.units.toLocaleString("en-US") ?? "10"}`;
    const a = small && f(small.unitStack as { wallS: number; peakMiB: number });
    const b = largest && f(largest.unitStack as { wallS: number; peakMiB: number });
    if (!small || !largest || small === largest || a === undefined || b === undefined)
      out.push({ target, measured: "not measured at two sizes", holds: undefined });
    else {
      // Run alternately with the same stack in the smallest city: the pairs' median ratio is the figure.
      const r = largest.unitOverSmallest?.[paired] ?? b / a;
      out.push({
        target,
        measured: `${r.toFixed(2)}×${largest.unitOverSmallest ? " (median of alternated runs)" : ""}; medians ${b.toFixed(2)} ${unitName} vs ${a.toFixed(2)} ${unitName}`,
        holds: largest.units === 10_000 && small.units === 10 ? r <= TARGETS.unitStackFlat : undefined,
      });
    }
  };
  flat("CPU time", (c) => c.cpuS, "s", "cpu");
  flat("wall time", (c) => c.wallS, "s", "wall");
  flat("peak memory", (c) => c.peakMiB, "MiB", "memory");
  const peak = Math.max(...unit.map((r) => (r.unitStack as { peakMiB: number }).peakMiB));
  out.push({
    target: `one unit stack ≤ ${TARGETS.unitStackMiB} MiB`,
    measured: unit.length ? `${peak.toFixed(0)} MiB at most` : "not measured",
    holds: unit.length ? peak <= TARGETS.unitStackMiB : undefined,
  });
  const both = rows.filter((r) => measured(r.unitStack) && measured(r.unitBare));
  const ratios = both.map((r) => {
    const [a, b] = [
      r.unitStack as { cpuS?: number; wallS: number },
      r.unitBare as { cpuS?: number; wallS: number },
    ];
    return (a.cpuS ?? a.wallS) / (b.cpuS ?? b.wallS);
  });
  // The same unit's program at every size (its cost does not depend on N, judged above): each size is one more
  // measurement of the same ratio, so their median is the figure, as for the repeated runs within a size.
  const sorted = [...ratios].sort((a, b) => a - b);
  const med = sorted.length ? (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2 : 0;
  out.push({
    target: `one unit stack ≤ ${TARGETS.unitStackOverBare}× the bare registration of the same resources (CPU time, median over the sizes)`,
    measured: both.length
      ? `${med.toFixed(2)}×; ${ratios.map((x, i) => `${x.toFixed(2)}× at ${both[i]!.units.toLocaleString("en-US")}`).join(", ")} (worst ${Math.max(...ratios).toFixed(2)}×)`
      : "not measured",
    holds: both.length ? med <= TARGETS.unitStackOverBare : undefined,
  });
  const largestObject = rows.filter((r) => r.platformLargest).at(-1);
  out.push({
    target: `the platform stack's largest object ≤ 1.5 MiB (the API server's limit)`,
    measured: largestObject
      ? `${kib(largestObject.platformLargest!.bytes)} KiB (${largestObject.platformLargest!.name}) at ${largestObject.units.toLocaleString("en-US")} tenants`
      : "not measured",
    holds: largestObject ? largestObject.platformLargest!.bytes <= TARGETS.objectBytes : undefined,
  });
  const over = rows.filter((r) => (r.unitResources ?? 0) > TARGETS.stackResourceWarning);
  out.push({
    target: `the plan warns when one Pulumi stack would exceed ${TARGETS.stackResourceWarning.toLocaleString("en-US")} resources`,
    measured: over.length
      ? `warned at ${over.filter((r) => r.planWarned).length} of ${over.length} sizes over the limit`
      : `no Pulumi stack went over (a unit's stack holds ${rows.find((r) => r.unitResources)?.unitResources ?? "–"}); warned at ${rows.filter((r) => r.planWarned).length} of ${rows.length} sizes`,
    holds: over.length ? over.every((r) => r.planWarned) : rows.every((r) => !r.planWarned),
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
