import { type Command } from "commander";
import { loadStack } from "../2-manifest/stack";
import { changedStacks, previewMatrix } from "./changed-stacks";
import { type CliIO, EXIT, UsageError } from "./io";
import { projectRootOf } from "./project";
import { pulumiSettingsOf } from "./pulumi-settings";
import { runStacks, type RunStacksOptions } from "./run-stacks";

export interface PreviewOptions extends RunStacksOptions {
  /** With --matrix: the git ref the pull request is compared with. */
  changedSince?: string;
  /** Print the GitHub Actions matrix of the stacks the change touches and run nothing. */
  matrix?: boolean;
  /** Print the city's state backend URL (for `pulumi login`) and run nothing. */
  printBackend?: boolean;
}

/**
 * `muni preview --stack <city> [--units a,b] [--concurrency N] [--refresh] [--expect-no-changes] [--json-dir DIR]`:
 * what `pulumi preview` says of each of the city's Pulumi stacks (run-stacks.ts). `--matrix` prints every city's
 * stacks as a GitHub Actions matrix (the nightly drift job), with `--changed-since REF` only those a pull
 * request touches (the PR workflow);
 * `--print-backend` the city's state backend. Exit: the worst stack's (0, 1 failed or refused, or with
 * --expect-no-changes changes found; 3 internal), 2 usage.
 */
export async function runPreview(io: CliIO, opts: PreviewOptions): Promise<number> {
  if (opts.matrix) {
    io.out(JSON.stringify(previewMatrix(changedStacks(projectRootOf(opts.root), opts.changedSince))));
    return EXIT.ok;
  }
  if (opts.printBackend) {
    if (!opts.stack) throw new UsageError("--print-backend needs --stack <stack>");
    const { stack, diagnostics } = loadStack(projectRootOf(opts.root), opts.stack);
    const p = stack ? pulumiSettingsOf(stack) : { diagnostics };
    if (!p.pulumi) {
      for (const d of p.diagnostics) io.err(`${d.file}:${d.line}:${d.col}: ${d.field}: ${d.message}`);
      return EXIT.invalid;
    }
    io.out(p.pulumi.backend);
    return EXIT.ok;
  }
  return runStacks(io, "preview", opts);
}

export function registerPreview(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("preview")
    .description(
      "pulumi preview of the city's stacks (platform first, then the units in parallel) through the Automation API; a summary, exit code of the worst",
    )
    .option("--stack <stack>", "the city (stacks/Pulumi.<stack>.yaml)")
    .option("--units <ids>", "only these stacks: unit ids separated by commas, platform for the platform's")
    .option("--concurrency <n>", "unit stacks previewed at once", "4")
    .option("--refresh", "refresh each stack from the cluster first (drift)")
    .option("--expect-no-changes", "exit 1 when any stack would change (drift)")
    .option("--json-dir <dir>", "keep each stack's engine events as <dir>/<stack>.jsonl (for muni drift)")
    .option("--changed-since <ref>", "with --matrix: the git ref a pull request is compared with")
    .option(
      "--matrix",
      "print the GitHub Actions matrix of the stacks changed since --changed-since; run nothing",
    )
    .option("--print-backend", "print the city's state backend URL (for pulumi login); run nothing")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml); default: found upwards")
    .action(async (opts: PreviewOptions) => done(await runPreview(io, opts)));
}
