import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { loadStackProject, projectRootOf } from "./project";
import {
  DriftInputError,
  driftJson,
  driftMarkdown,
  driftReport,
  driftText,
  hasDrift,
} from "../5-report/drift";
import { type CliIO, EXIT, UsageError } from "./io";

export interface DriftOptions {
  format: "text" | "markdown" | "json";
  stack?: string;
  root?: string;
}

/**
 * `muni drift [FILE]`: the per-unit drift report of `pulumi preview --refresh --json` output (FILE, or
 * standard input for `-` or none). Never changes anything. Exit 0 no drift, 1 drift (or the preview
 * failed), 2 unreadable input or unknown stack.
 */
export function runDrift(
  io: CliIO,
  file: string | undefined,
  opts: DriftOptions,
  stdin: () => string = () => readFileSync(0, "utf8"),
): number {
  let text: string;
  try {
    text = !file || file === "-" ? stdin() : readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(
      `cannot read ${file ?? "standard input"}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (give the file pulumi preview --json wrote)`,
    );
  }
  let known: string[] = [];
  if (opts.stack) {
    known = loadStackProject(projectRootOf(opts.root), opts.stack).units.map((u) => u.unit.id);
  }
  let report;
  try {
    report = driftReport(text, known);
  } catch (e) {
    if (e instanceof DriftInputError)
      throw new UsageError(`${file && file !== "-" ? file : "standard input"}: ${e.message}`);
    throw e;
  }
  if (opts.stack && report.stack && report.stack !== opts.stack && !report.stack.endsWith(`/${opts.stack}`))
    throw new UsageError(`the preview is of stack ${report.stack}, not ${opts.stack}`);
  io.out(
    opts.format === "json"
      ? driftJson(report)
      : opts.format === "markdown"
        ? driftMarkdown(report)
        : driftText(report),
  );
  return hasDrift(report) || report.errors.length ? EXIT.invalid : EXIT.ok;
}

export function registerDrift(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("drift")
    .description(
      "per-unit drift report from `pulumi preview --refresh --json` output; changes nothing (exit 0 none, 1 drift, 2 unreadable)",
    )
    .argument("[file]", "the preview's JSON (digest or event stream); - or none for standard input")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"),
    )
    .option(
      "--stack <stack>",
      "the stack previewed: its unit ids attribute every resource, and the preview must be of it",
    )
    .option("--root <dir>", "project root (the folder of Pulumi.yaml)")
    .action((file: string | undefined, opts: DriftOptions) => done(runDrift(io, file, opts)));
}
