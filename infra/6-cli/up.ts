import type { Command } from "commander";
import type { CliIO } from "./io";
import { runStacks, type RunStacksOptions } from "./run-stacks";

/**
 * `muni up --stack <city> [--units a,b] [--concurrency N]`: `pulumi up` of the city's Pulumi stacks through the
 * Automation API: the platform first (when it fails, no unit stack runs: their tenant objects go into the
 * platform's namespaces), then the unit stacks in parallel; a summary; the exit code of the worst stack.
 * Preview first with `muni preview`. Exit 0 applied, 1 a stack failed or was refused, 2 usage, 3 internal.
 */
export function runUp(io: CliIO, opts: RunStacksOptions): Promise<number> {
  return runStacks(io, "up", opts);
}

export function registerUp(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("up")
    .description(
      "pulumi up of the city's stacks (platform first, then the units in parallel) through the Automation API; a summary, exit code of the worst",
    )
    .requiredOption("--stack <stack>", "the city (stacks/Pulumi.<stack>.yaml)")
    .option("--units <ids>", "only these stacks: unit ids separated by commas, platform for the platform's")
    .option("--concurrency <n>", "unit stacks updated at once", "4")
    .option("--refresh", "refresh each stack from the cluster first")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml); default: found upwards")
    .action(async (opts: RunStacksOptions) => done(await runUp(io, opts)));
}
