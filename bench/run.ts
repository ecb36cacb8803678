/**
 * `npm run bench`: muni's cost curve. For each city size N it writes N synthetic units (and the city's ledger)
 * into a temporary project root and measures, each as its own process under GNU time (wall time, peak RSS,
 * CPU time):
 *   - `muni validate units` and `muni plan --stack bench --out DIR` (the real CLI, bin/muni.js) over the city;
 *   - cdk8s synth of the same objects (the render-path reference), while within the time budget;
 *   - one unit stack's program, `bench.<unit>`, as Pulumi runs it, under the mock runtime, repeated (the median
 *     counts), and a bare Pulumi program registering the same resources of that unit (its reference);
 *   - the platform stack's program, `bench.platform`, with the N units as its tenants (time, memory, largest object);
 *   - `muni operator --stack bench --out DIR` (time, output size);
 *   - the shared servers' tenant sync reading the N tenants from a stand-in Kubernetes API (bench/tenant-sync.ts).
 * Prints the tables and the targets, and writes both to the results file.
 *
 * Options: --sizes 10,100,1000,10000  --budget 300 (seconds per cdk8s run)  --repeats 3
 *          --out bench/results/latest.md  --seed 2026  --keep (leave the temporary roots)
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { projectRoot } from "../infra/2-manifest/project-root";
import { haveGnuTime, type Measurement, measureNode } from "./measure";
import type { MockCounts } from "./mocks";
import { type Cell, type Row, table, verdictList, verdicts } from "./report";
import { BENCH_STACK, writeSyntheticRoot } from "./synthetic";
import { measureTenantSync } from "./tenant-sync";
import { tenantSyncTable, tenantSyncVerdicts } from "./tenant-sync-report";

export interface BenchOptions {
  sizes: number[];
  /** Most seconds one cdk8s run may take; larger N are skipped when the prediction exceeds it. */
  budgetS: number;
  /** Runs of the unit stack and its bare reference at each size; the median (by CPU time) counts. */
  repeats: number;
  out: string;
  seed: number;
  keep: boolean;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export function parseArgs(argv: readonly string[], repo: string): BenchOptions {
  const opts: BenchOptions = {
    sizes: [10, 100, 1000, 10000],
    budgetS: 300,
    repeats: 3,
    out: join(repo, "bench", "results", "latest.md"),
    seed: 2026,
    keep: false,
    log: (l) => process.stderr.write(`${l}\n`),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--sizes")
      opts.sizes = next()
        .split(",")
        .map((x) => Number(x.replace(/_/g, "")));
    else if (a === "--budget") opts.budgetS = Number(next());
    else if (a === "--repeats") opts.repeats = Number(next());
    else if (a === "--out") opts.out = next();
    else if (a === "--seed") opts.seed = Number(next());
    else if (a === "--keep") opts.keep = true;
    else
      throw new Error(
        `unknown option ${a} (options: --sizes 10,100,1000,10000 --budget SECONDS --repeats N --out FILE --seed N --keep)`,
      );
  }
  if (!opts.sizes.length || opts.sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error("--sizes takes positive integers, e.g. 10,100,1000");
  if (!Number.isInteger(opts.repeats) || opts.repeats < 1)
    throw new Error("--repeats takes a positive integer");
  opts.sizes.sort((a, b) => a - b);
  return opts;
}

/**
 * A measured cell, or why not. The input is valid, so a failing command is a finding: the table names
 * it with its first error line, and the other commands still run.
 */
function cellOf(what: string, m: Measurement, log: (l: string) => void): Cell {
  if (m.timedOut) return { skipped: `killed after the time limit (${m.wallS.toFixed(0)} s)` };
  if (m.code !== 0) {
    log(`${what} exited with ${m.code}:\n${m.stderr.slice(0, 4000)}`);
    const first = m.stderr.split("\n").find((l) => l.trim() && !/^\s+at /.test(l)) ?? "";
    return {
      skipped: `FAILED with exit code ${m.code} after ${m.wallS.toFixed(1)} s: ${first.trim().slice(0, 200)}`,
    };
  }
  return { wallS: m.wallS, peakMiB: m.peakMiB, cpuS: m.cpuS };
}

/** Resources registered, read from a child's JSON line. */
function countsOf(stdout: string): MockCounts {
  const last = stdout.trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(last) as MockCounts;
}

/** Which of the slow runs fit the budget at this N (predicted linearly from the previous size), and the reference city. */
interface Plan {
  cdk8s: boolean;
  /** A project root of the smallest size, kept for the whole run: the same unit's stack runs there alternately. */
  reference: string;
}

/** The synthetic unit whose stack is measured at every size: the first shared-service centre (large, every service). */
export const MEASURED_UNIT = 6;

/** The median of numbers. */
function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

/** The run of median CPU time among measurements, as a cell. */
function medianCell(ms: readonly Measurement[]): Cell {
  const m = [...ms].sort((a, b) => a.cpuS - b.cpuS)[(ms.length - 1) >> 1]!;
  return { wallS: m.wallS, peakMiB: m.peakMiB, cpuS: m.cpuS };
}

/** Total bytes of the files under a folder. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? bytesUnder(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

/** Measures one N. */
async function measureSize(n: number, repo: string, opts: BenchOptions, run: Plan): Promise<Row> {
  const root = mkdtempSync(join(tmpdir(), `muni-bench-${process.pid}-${n}-`));
  const dist = join(repo, "dist", "bench");
  const muni = join(repo, "bin", "muni.js");
  const m = (args: string[], timeoutS = 1800) => measureNode(args, { cwd: root, timeoutS, scratch: root });
  try {
    opts.log(`[${n}] writing ${n} synthetic units and the ledger to ${root}`);
    const { ids } = writeSyntheticRoot(root, repo, n, opts.seed);

    opts.log(`[${n}] muni validate`);
    const validate = cellOf("muni validate", await m([muni, "validate", "units"]), opts.log);

    opts.log(`[${n}] muni plan`);
    const planRun = await m([muni, "plan", "--stack", BENCH_STACK, "--out", join(root, "plan-out")]);
    const plan = cellOf("muni plan", planRun, opts.log);
    const planWarned = /^warning:.*resource/im.test(planRun.stderr);

    opts.log(`[${n}] rendering the objects for the references (not timed)`);
    const objectsFile = join(root, "objects.jsonl");
    const dump = await m([join(dist, "child-objects.js"), ".", BENCH_STACK, objectsFile]);
    const rendered = cellOf("rendering the objects", dump, opts.log);
    if (!("wallS" in rendered)) throw new Error(`rendering the synthetic units failed: ${rendered.skipped}`);
    const { objects } = JSON.parse(dump.stdout.trim()) as { objects: number };

    opts.log(`[${n}] cdk8s synth (reference)`);
    const cdk8s = run.cdk8s
      ? cellOf(
          "cdk8s synth",
          await m([join(dist, "child-cdk8s.js"), objectsFile, join(root, "cdk8s-out")], opts.budgetS * 4),
          opts.log,
        )
      : { skipped: `predicted over the ${opts.budgetS} s budget from the previous size` };

    const unit = ids[Math.min(MEASURED_UNIT, ids.length - 1)]!;
    const stack = `${BENCH_STACK}.${unit}`;
    // One run for the counts, then unit stack and bare reference alternately (ABAB...), so that a change in
    // the machine's load hits both alike: each pair gives one ratio, their median is the size's figure.
    opts.log(`[${n}] unit stack ${stack} under the mock runtime`);
    const unitRun = () => m([join(dist, "child-stack.js"), ".", stack], 600);
    const first = await unitRun();
    let unitStack: Cell = cellOf(`unit stack ${stack}`, first, opts.log);
    let unitBare: Cell = { skipped: "the unit stack was not measured" };
    let unitResources: number | undefined;
    let unitOverBare: number | undefined;
    let unitOverSmallest: Row["unitOverSmallest"];
    if ("wallS" in unitStack) {
      const counts = countsOf(first.stdout);
      unitResources = counts.total;
      const unitObjects = join(root, "unit-objects.jsonl");
      writeFileSync(
        unitObjects,
        readFileSync(objectsFile, "utf8")
          .split("\n")
          .filter((l) => l.startsWith(`{"unit":${JSON.stringify(unit)},`))
          .join("\n"),
      );
      const countsFile = join(root, "unit-counts.json");
      writeFileSync(countsFile, JSON.stringify({ total: counts.total, byType: counts.byType }));
      opts.log(
        `[${n}] unit stack and bare Pulumi program (${counts.total} resources of ${unit}) alternately, ${opts.repeats}×`,
      );
      const units: Measurement[] = [];
      const bares: Measurement[] = [];
      const smalls: Measurement[] = [];
      // The same unit's stack in the smallest city, alternated too: how much the city's size costs, with the
      // machine's load changing alike for both.
      const smallRun = () =>
        measureNode([join(dist, "child-stack.js"), ".", stack], {
          cwd: run.reference,
          timeoutS: 600,
          scratch: root,
        });
      for (let i = 0; i < opts.repeats; i++) {
        const u = await unitRun();
        const b = await m([join(dist, "child-bare.js"), unitObjects, countsFile], 600);
        const s = await smallRun();
        if (!("wallS" in cellOf(`unit stack ${stack} in the smallest city`, s, opts.log))) break;
        smalls.push(s);
        const [uc, bc] = [
          cellOf(`unit stack ${stack}`, u, opts.log),
          cellOf("the bare program", b, opts.log),
        ];
        if (!("wallS" in uc)) unitStack = uc;
        if (!("wallS" in bc)) unitBare = bc;
        if (!("wallS" in uc) || !("wallS" in bc)) break;
        if (countsOf(b.stdout).total !== counts.total)
          throw new Error(
            `the bare program registered ${countsOf(b.stdout).total} resources, the unit stack ${counts.total}`,
          );
        units.push(u);
        bares.push(b);
      }
      if (units.length === opts.repeats) {
        unitStack = medianCell(units);
        unitBare = medianCell(bares);
        unitOverBare = medianOf(units.map((u, i) => u.cpuS / bares[i]!.cpuS));
        unitOverSmallest = {
          cpu: medianOf(units.map((u, i) => u.cpuS / smalls[i]!.cpuS)),
          wall: medianOf(units.map((u, i) => u.wallS / smalls[i]!.wallS)),
          memory: medianOf(units.map((u, i) => u.peakMiB / smalls[i]!.peakMiB)),
        };
      }
    }

    opts.log(`[${n}] platform stack ${BENCH_STACK}.platform with ${n} tenants`);
    const p = await m([join(dist, "child-stack.js"), ".", `${BENCH_STACK}.platform`], 1800);
    const platform = cellOf("the platform stack", p, opts.log);
    const platformLargest = "wallS" in platform ? countsOf(p.stdout).largest : undefined;

    opts.log(`[${n}] muni operator`);
    const opOut = join(root, "operator-out");
    const operator = cellOf(
      "muni operator",
      await m([muni, "operator", "--stack", BENCH_STACK, "--out", opOut]),
      opts.log,
    );

    opts.log(`[${n}] tenant sync: ${n} mail and ${n} print tenants from the stand-in Kubernetes API`);
    const tenantSync = await measureTenantSync(
      root,
      repo,
      BENCH_STACK,
      (what, measurement) => cellOf(what, measurement, opts.log),
      (l) => opts.log(`[${n}] ${l}`),
    );
    return {
      units: n,
      validate,
      plan,
      cdk8s,
      unitStack,
      unitBare,
      ...(unitResources === undefined ? {} : { unitResources }),
      ...(unitOverBare === undefined ? {} : { unitOverBare }),
      ...(unitOverSmallest === undefined ? {} : { unitOverSmallest }),
      platform,
      ...(platformLargest ? { platformLargest } : {}),
      operator,
      ...("wallS" in operator ? { operatorBytes: bytesUnder(opOut) } : {}),
      objects,
      planWarned,
      tenantSync,
    };
  } finally {
    if (opts.keep) opts.log(`[${n}] kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

/** Runs every size and returns the report text (also written to opts.out). */
export async function runBench(
  opts: BenchOptions,
  repo = projectRoot(__dirname),
): Promise<{ rows: Row[]; text: string }> {
  if (!haveGnuTime()) throw new Error("GNU time (/usr/bin/time) is missing: apt-get install -y time");
  const started = new Date();
  const load = loadavg()[0]!.toFixed(2);
  const rows: Row[] = [];
  const reference = mkdtempSync(join(tmpdir(), `muni-bench-${process.pid}-reference-`));
  writeSyntheticRoot(reference, repo, opts.sizes[0]!, opts.seed);
  let last: Row | undefined;
  const fits = (n: number, c: Cell | undefined) =>
    c === undefined || ("wallS" in c && (c.wallS * n) / last!.units <= opts.budgetS);
  try {
    for (const n of opts.sizes) {
      const row = await measureSize(n, repo, opts, { cdk8s: fits(n, last?.cdk8s), reference });
      rows.push(row);
      last = row;
      opts.log(`[${n}] done: ${JSON.stringify(row)}`);
    }
  } finally {
    rmSync(reference, { recursive: true, force: true });
  }
  const text = resultsText(rows, {
    started,
    load,
    commit: gitHead(repo),
    seed: opts.seed,
    budgetS: opts.budgetS,
  });
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, text);
  return { rows, text };
}

/** What a results file says about its run. */
export interface RunInfo {
  started: Date;
  load: string;
  commit: string;
  seed: number;
  budgetS: number;
  /** Notes appended verbatim (e.g. a run stopped by hand). */
  notes?: string[];
}

/** The results file: the run, the table and the targets. */
export function resultsText(rows: readonly Row[], info: RunInfo): string {
  return [
    "# muni benchmark results",
    "",
    `Run ${info.started.toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Node ${process.version}, commit ${info.commit}, load average ${info.load} at start; synthetic units seed ${info.seed}.`,
    "Every figure is a run of a separate process: wall time (s), peak resident memory (MiB, GNU time's maximum RSS) and CPU time (s).",
    "Unit stack and bare reference: run alternately, the median of the repeated runs by CPU time (user + system), which other load on the machine disturbs less than wall time; their ratio is the median of the pairs' ratios.",
    `cdk8s synth runs at a size while predicted, linearly from the previous size, to take at most ${info.budgetS} s.`,
    "",
    table(rows),
    tenantSyncTable(rows),
    "## Targets",
    "",
    verdictList([...verdicts(rows), ...tenantSyncVerdicts(rows)]),
    "",
    ...(info.notes?.length ? ["## Notes", "", ...info.notes, ""] : []),
    "See docs/benchmark.md for what each column measures and why targets are missed.",
    "",
  ].join("\n");
}

/** The commit the benchmark ran on (a worktree's .git is a file, so ask git). */
function gitHead(repo: string): string {
  try {
    return execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: repo, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

if (require.main === module) {
  const repo = projectRoot(__dirname);
  let opts: BenchOptions;
  try {
    opts = parseArgs(process.argv.slice(2), repo);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exit(2);
  }
  runBench(opts, repo).then(
    ({ text }) => {
      process.stdout.write(`${text}\nwritten to ${opts.out}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`bench: ${(e as Error).message}\n`);
      process.exitCode = 3;
    },
  );
}
