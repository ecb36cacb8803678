/**
 * `npm run bench`: muni's cost curve. For each N it writes N synthetic units into a temporary project
 * root and measures, each as its own process under GNU time (wall time, peak RSS):
 *   - `muni validate units` and `muni plan --stack bench --out DIR` (the real CLI, bin/muni.js);
 *   - cdk8s synth of the same objects (the render-path reference);
 *   - muni's Pulumi program under the mock runtime, and a bare Pulumi program registering as many
 *     resources of the same types (the program's reference), as long as the program stays within the
 *     time budget (predicted from the previous N).
 * Prints the table and the targets, and writes both to the results file.
 *
 * Options: --sizes 10,100,1000,10000  --budget 300 (seconds per program run)  --out bench/results/latest.md
 *          --seed 2026  --keep (leave the temporary roots)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { projectRoot } from "../infra/2-manifest/project-root";
import { haveGnuTime, type Measurement, measureNode } from "./measure";
import { type Cell, type Row, table, verdictList, verdicts } from "./report";
import { BENCH_STACK, writeSyntheticRoot } from "./synthetic";

export interface BenchOptions {
  sizes: number[];
  /** Most seconds one program run may take; larger N are skipped when the prediction exceeds it. */
  budgetS: number;
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
    else if (a === "--out") opts.out = next();
    else if (a === "--seed") opts.seed = Number(next());
    else if (a === "--keep") opts.keep = true;
    else
      throw new Error(
        `unknown option ${a} (options: --sizes 10,100,1000,10000 --budget SECONDS --out FILE --seed N --keep)`,
      );
  }
  if (!opts.sizes.length || opts.sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error("--sizes takes positive integers, e.g. 10,100,1000");
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
  return { wallS: m.wallS, peakMiB: m.peakMiB };
}

/** Resources registered, read from a child's JSON line. */
function countsOf(stdout: string): { total: number; byType: Record<string, number> } {
  const last = stdout.trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(last) as { total: number; byType: Record<string, number> };
}

/** Which of the slow runs fit the budget at this N (predicted linearly from the previous size). */
interface Plan {
  program: boolean;
  cdk8s: boolean;
}

/** Measures one N. */
async function measureSize(n: number, repo: string, opts: BenchOptions, run: Plan): Promise<Row> {
  const root = mkdtempSync(join(tmpdir(), `muni-bench-${n}-`));
  const dist = join(repo, "dist", "bench");
  const muni = join(repo, "bin", "muni.js");
  const m = (args: string[], timeoutS = 1800) => measureNode(args, { cwd: root, timeoutS, scratch: root });
  try {
    opts.log(`[${n}] writing ${n} synthetic units to ${root}`);
    writeSyntheticRoot(root, repo, n, opts.seed);

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

    let program: Cell = { skipped: `predicted over the ${opts.budgetS} s budget from the previous size` };
    let bare: Cell = program;
    let resources: number | undefined;
    if (run.program) {
      opts.log(`[${n}] Pulumi program under the mock runtime`);
      const run = await m([join(dist, "child-program.js"), ".", BENCH_STACK], opts.budgetS * 2);
      program = cellOf("the program", run, opts.log);
      if ("wallS" in program) {
        const counts = countsOf(run.stdout);
        resources = counts.total;
        const countsFile = join(root, "counts.json");
        writeFileSync(countsFile, JSON.stringify(counts));
        opts.log(`[${n}] bare Pulumi program, ${resources} resources (reference)`);
        const bareRun = await m([join(dist, "child-bare.js"), objectsFile, countsFile], opts.budgetS * 2);
        bare = cellOf("the bare program", bareRun, opts.log);
        if ("wallS" in bare && countsOf(bareRun.stdout).total !== resources)
          throw new Error(
            `the bare program registered ${countsOf(bareRun.stdout).total} resources, the program ${resources}`,
          );
      } else bare = { skipped: "the program was not measured" };
    }
    return {
      units: n,
      validate,
      plan,
      cdk8s,
      program,
      bare,
      objects,
      ...(resources === undefined ? {} : { resources }),
      planWarned,
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
  let last: Row | undefined;
  const fits = (n: number, c: Cell | undefined) =>
    c === undefined || ("wallS" in c && (c.wallS * n) / last!.units <= opts.budgetS);
  for (const n of opts.sizes) {
    const row = await measureSize(n, repo, opts, {
      program: fits(n, last?.program),
      cdk8s: fits(n, last?.cdk8s),
    });
    rows.push(row);
    last = row;
    opts.log(`[${n}] done: ${JSON.stringify(row)}`);
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
    "Every figure is one run of a separate process: wall time (s) and peak resident memory (MiB, GNU time's maximum RSS).",
    `The program (with its bare reference) and cdk8s synth run at a size while predicted, linearly from the previous size, to take at most ${info.budgetS} s.`,
    "",
    table(rows),
    "## Targets",
    "",
    verdictList(verdicts(rows)),
    "",
    ...(info.notes?.length ? ["## Notes", "", ...info.notes, ""] : []),
    "See docs/benchmark.md for what each column measures and why targets are missed.",
    "",
  ].join("\n");
}

/** The commit the benchmark ran on (from .git, no git process needed). */
function gitHead(repo: string): string {
  try {
    const head = readFileSync(join(repo, ".git", "HEAD"), "utf8").trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    return (ref ? readFileSync(join(repo, ".git", ref), "utf8").trim() : head).slice(0, 12);
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
