import { spawnSync } from "node:child_process";
import { type Command, Option } from "commander";
import { todayOf } from "../1-model";
import type { ReportMeta } from "../5-report/i18n";
import { loadStackProject, projectRootOf } from "./project";
import {
  buildReport,
  FORMATS,
  type Format,
  LANGS,
  type Lang,
  renderReport,
  type Section,
  SECTIONS,
} from "../5-report";
import { type CliIO, EXIT, paint, printDiagnostics } from "./io";

export interface ReportOptions {
  stack: string;
  format: Format;
  lang: Lang;
  section: Section;
  /** Project root (the folder with Pulumi.yaml); default: found from the working directory up. */
  root?: string;
}

/**
 * `muni report`: the Annex 1 service matrix, capacity and chargeback (md, html, csv) and the inventory
 * (json) of one stack, always computed from the manifests, the stack settings and the same builders.
 */
export function runReport(io: CliIO, opts: ReportOptions): number {
  const root = projectRootOf(opts.root);
  const project = loadStackProject(root, opts.stack);
  if (project.diagnostics.length || !project.stack) {
    printDiagnostics(io, project.diagnostics);
    io.err(
      paint(
        io,
        "red",
        `report not written: ${project.diagnostics.length} problem${project.diagnostics.length === 1 ? "" : "s"} in the stack or its units`,
      ),
    );
    return EXIT.invalid;
  }
  const report = buildReport({
    stack: project.stack.name,
    settings: project.stack.settings,
    units: project.units.map((u) => u.unit),
  });
  const meta = reportMeta(root, project.stack.settings, project.files);
  io.out(renderReport(report, { format: opts.format, lang: opts.lang, section: opts.section, meta }));
  return EXIT.ok;
}

/**
 * Where the report comes from: the date it describes (the stack's lifecycle date: MUNI_TODAY or today)
 * and the commit of the repository, marked when the stack file or manifests differ from it.
 */
export function reportMeta(
  root: string,
  settings: Parameters<typeof todayOf>[0],
  files: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ReportMeta {
  const date = todayOf(settings, env);
  const git = (args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" });
  const head = git(["rev-parse", "--short=12", "HEAD"]);
  if (head.error || head.status !== 0) return { date };
  const status = git(["status", "--porcelain", "--", "stacks", ...files]);
  return { date, revision: head.stdout.trim(), dirty: status.status === 0 && status.stdout.trim() !== "" };
}

export function registerReport(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("report")
    .description(
      "reports of a stack: Annex 1 service matrix, capacity, chargeback (md, html, csv) and inventory (json)",
    )
    .addOption(new Option("--stack <stack>", "stack name (stacks/Pulumi.<stack>.yaml)").default("lodz-prod"))
    .addOption(new Option("--format <format>", "output format").choices([...FORMATS]).default("md"))
    .addOption(new Option("--lang <lang>", "language of the report").choices([...LANGS]).default("pl"))
    .addOption(
      new Option(
        "--root <dir>",
        "project root (default: the folder with Pulumi.yaml, from the working directory up)",
      ),
    )
    .addOption(
      new Option(
        "--section <section>",
        "which part: all (md/html: matrix, capacity, chargeback; json: also inventory; csv: matrix) or one",
      )
        .choices([...SECTIONS])
        .default("all"),
    )
    .action((opts: ReportOptions) => done(runReport(io, opts)));
}
