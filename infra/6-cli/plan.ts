import { join } from "node:path";
import { type Command, Option } from "commander";
import type { DataHistory } from "../1-model";
import { type Ledger, ledgerPath, readLedger } from "../2-manifest/ledger";
import { type LoadedStack, UnknownStackError } from "../2-manifest/stack";
import type { LoadedUnit } from "../2-manifest/units";
import { type LoadedProject, loadProject, type NotTaken } from "../3-rules/project";
import { BaseError, type BaseProject, loadBaseProject } from "../5-plan/base";
import { planMarkdown, planText } from "../5-plan/format";
import { planJson } from "../5-plan/json";
import { ledgerChanges, ledgerText, nextLedger } from "../5-plan/ledger";
import type { LedgerPreview, NotTakenUnit, PlanReport } from "../5-plan/report";
import { LEDGER_FIX } from "./ledger";
import { previousUnits, retirementFindings, runPlanGuards } from "../5-plan/guards";
import { type PlanSide, streamPlan } from "../5-plan/stream";
import { PlanDirError, PlanWriter } from "../5-plan/write";
import { type CliIO, EXIT, paint, printDiagnostics, UsageError } from "./io";
import { projectRootOf } from "./project";

export interface PlanOptions {
  stack: string;
  /** Where the rendered manifests go; default `plan-out/` at the project root. */
  out?: string;
  base?: string;
  format: "text" | "markdown" | "json";
  root?: string;
}

/** The stack a fresh clone plans by default. */
export const DEFAULT_STACK = "lodz-prod";

/**
 * `muni plan`: validate, render every object of every unit through the program's own builders into
 * --out (secrets redacted), print a per-unit summary and, with --base, a per-unit diff against the
 * manifests at that git ref. Exit 0 planned, 1 invalid manifests or a lifecycle guard refused the
 * change, 2 unknown stack, bad ref or unreadable base.
 */
export function runPlan(io: CliIO, opts: PlanOptions): number {
  const root = projectRootOf(opts.root);
  const out = opts.out ?? join(root, "plan-out");
  const project = usage(() => loadProject(root, opts.stack));
  if (!project.stack || project.diagnostics.length) {
    printDiagnostics(io, project.diagnostics);
    io.err(
      paint(
        io,
        "red",
        `muni plan: ${project.diagnostics.length} problem(s) in stack ${opts.stack}; nothing planned`,
      ),
    );
    return EXIT.invalid;
  }
  // Rendered with each unit's data as the committed ledger records it (what the program reads).
  const { ledger: committed } = readLedger(ledgerPath(project.stack.file, project.stack.name));
  const head: PlanSide = {
    stack: project.stack,
    units: project.units.map(({ file, unit }) => ({ file, unit })),
    histories: historiesOf(committed),
  };
  const extra: Pick<PlanReport, "baseCommit" | "baseNote" | "guardFindings" | "notTaken" | "ledger"> = {};
  let base: PlanSide | undefined;
  let loaded: BaseProject | undefined;
  if (opts.base !== undefined) {
    loaded = usage(() => loadBaseProject(root, opts.stack, opts.base!));
    extra.baseCommit = loaded.commit;
    if (!loaded.project)
      extra.baseNote = `stack ${opts.stack} did not exist at ${loaded.ref}: every unit is new`;
    // The guards read the manifests' sources (for located findings); rendering needs only the models.
    const previous = loaded.project ? previousUnits(loaded.project.units, loaded.project.stack) : [];
    extra.guardFindings = runPlanGuards({ ref: loaded.ref, units: previous }, project.units, project.stack);
    if (loaded.project)
      base = {
        stack: loaded.project.stack,
        units: loaded.project.units.map(({ file, unit }) => ({ file, unit })),
        histories: historiesOf(loaded.ledger),
      };
  }
  // A VM, site or mailbox removed without the ledger recording its retirement: refused, with the command.
  const unretired = committed ? retirementFindings(committed, project.units, project.stack) : [];
  if (unretired.length) extra.guardFindings = [...(extra.guardFindings ?? []), ...unretired];
  const ledger = ledgerPreview(
    project.stack,
    committed,
    project.units,
    loaded && (loaded.ledger ?? { units: {} }),
  );
  if (ledger) extra.ledger = ledger;
  const notTaken = notTakenUnits(
    project.notTaken,
    opts.base !== undefined ? loaded?.project : undefined,
    opts.base !== undefined,
  );
  if (notTaken.length) extra.notTaken = notTaken;
  // From here on only the models are kept: the parsed YAML documents can go.
  project.units.length = 0;
  // One unit at a time: render, write its file, diff it against the same unit at the base, keep its summary.
  const writer = usage(() => new PlanWriter(out, head.stack.name));
  const { summary: plan, diff } = streamPlan(
    head,
    writer,
    opts.base !== undefined ? { ref: opts.base, side: base } : undefined,
  );
  writer.summary({ plan, outDir: out });
  const report: PlanReport = { plan, ...(diff ? { diff } : {}), ...extra, outDir: out };
  const text =
    opts.format === "json"
      ? planJson(report)
      : opts.format === "markdown"
        ? planMarkdown(report)
        : planText(report);
  io.out(text);
  for (const w of plan.warnings) io.err(paint(io, "yellow", `warning: ${w}`));
  if (report.guardFindings?.length) {
    for (const g of report.guardFindings) io.err(paint(io, "red", g));
    io.err(
      paint(
        io,
        "red",
        `muni plan: the lifecycle guards refuse this change (${report.guardFindings.length} finding(s))`,
      ),
    );
    return EXIT.invalid;
  }
  return EXIT.ok;
}

export function registerPlan(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("plan")
    .description(
      "render every unit's objects (secrets redacted) into --out, summarize per unit and, with --base, diff against a git ref",
    )
    .option("--stack <stack>", "stack to plan (stacks/Pulumi.<stack>.yaml)", DEFAULT_STACK)
    .option(
      "--out <dir>",
      "directory for the rendered manifests, one file per unit (cleared if an earlier plan wrote it); default: plan-out/ at the project root",
    )
    .option(
      "--base <git-ref>",
      "compare with the manifests and stack file at this git ref (e.g. origin/main, HEAD)",
    )
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"),
    )
    .option(
      "--root <dir>",
      "project root (the folder of Pulumi.yaml); default: found upwards from the working directory",
    )
    .action((opts: PlanOptions) => done(runPlan(io, opts)));
}

/**
 * The manifests the stack does not take, with the reason. With a base, only those the change adds or
 * edits (compared with the same unit at the base, taken there or not): what a pull request must explain.
 */
function notTakenUnits(
  head: readonly NotTaken[],
  base: LoadedProject | undefined,
  againstBase: boolean,
): NotTakenUnit[] {
  const before = new Map<string, string>();
  for (const u of base?.units ?? []) before.set(u.unit.id, JSON.stringify(u.unit));
  for (const u of base?.notTaken ?? []) before.set(u.unit.id, JSON.stringify(u.unit));
  return head.flatMap((n) => {
    const entry = { id: n.unit.id, file: n.file, reason: n.reason };
    if (!againstBase) return [entry];
    const was = before.get(n.unit.id);
    if (was === JSON.stringify(n.unit)) return [];
    return [{ ...entry, change: was === undefined ? ("new" as const) : ("changed" as const) }];
  });
}

/**
 * The ledger this change leads to (`muni ledger --write`): what it records against the ledger at the base
 * (without a base, against the committed one), and whether the committed ledger already says so.
 */
function ledgerPreview(
  stack: LoadedStack,
  committed: Ledger | undefined,
  units: readonly LoadedUnit[],
  base: Pick<Ledger, "units"> | undefined,
): LedgerPreview | undefined {
  if (!committed) return undefined; // an unreadable ledger: validate and the ledger command report it
  const after = nextLedger(committed, units, stack.settings);
  return {
    file: after.file,
    changes: ledgerChanges(base ? { ...committed, units: base.units } : committed, after),
    upToDate: committed.exists && ledgerText(committed, stack.name) === ledgerText(after, stack.name),
    fix: LEDGER_FIX,
  };
}

/** Each unit's `data:` record in a ledger. */
function historiesOf(ledger: Pick<Ledger, "units"> | undefined): Record<string, DataHistory | undefined> {
  return Object.fromEntries(Object.entries(ledger?.units ?? {}).map(([id, e]) => [id, e.data]));
}

/** Runs `f`, turning an unknown stack, an unreadable base or a refused --out into a usage error (exit 2). */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnknownStackError || e instanceof BaseError || e instanceof PlanDirError)
      throw new UsageError(e.message);
    throw e;
  }
}
