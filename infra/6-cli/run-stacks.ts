import { platformStackName, PLATFORM_STACK_SUFFIX } from "../1-model";
import { type CityStack, loadCity, refuseCity } from "./city-stacks";
import { type CliIO, EXIT, paint, UsageError } from "./io";
import { projectRootOf } from "./project";
import { pinnedPulumiVersion } from "./pulumi-settings";

/** Options of `muni preview` and `muni up`. */
export interface RunStacksOptions {
  /** The city (stacks/Pulumi.<stack>.yaml). */
  stack?: string;
  /** Comma-separated unit ids, `platform` for the platform stack; default: the platform and every unit stack with something to do. */
  units?: string;
  /** Unit stacks run at once. */
  concurrency: string;
  root?: string;
  /** Refresh each stack from the cluster first (drift). */
  refresh?: boolean;
  /** Exit 1 when any stack would change (drift). */
  expectNoChanges?: boolean;
  /** Keep each stack's engine events as <dir>/<stack>.jsonl. */
  jsonDir?: string;
}

/** How progress reaches the terminal (the process's standard error; tests pass their own). */
export interface ProgressTarget {
  write(raw: string): void;
  tty: boolean;
}

/** On a terminal, standard error itself (lines are redrawn in place); elsewhere the command's error stream, a line per finished stack. */
export const processProgress = (io: CliIO): ProgressTarget =>
  process.stderr.isTTY
    ? { write: (s) => process.stderr.write(s), tty: true }
    : { write: (s) => io.err(s.replace(/\n$/, "")), tty: false };

/** The stacks `--units` names, or the platform and every unit stack with something to do. */
export function selectStacks(city: string, all: readonly CityStack[], units?: string): CityStack[] {
  if (units === undefined) return all.filter((s) => s.active);
  const wanted = units
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (!wanted.length) throw new UsageError("--units names no unit: give unit ids separated by commas");
  const known = new Map(all.map((s) => [s.unit ?? PLATFORM_STACK_SUFFIX, s]));
  const unknown = wanted.filter((u) => !known.has(u));
  if (unknown.length)
    throw new UsageError(
      `--units ${unknown.join(",")}: stack ${city} takes no such unit (its stacks: ${[...known.keys()].join(", ")})`,
    );
  return all.filter((s) => wanted.includes(s.unit ?? PLATFORM_STACK_SUFFIX));
}

/**
 * `muni preview` and `muni up`: the city's Pulumi stacks through the Automation API, platform first, then the
 * unit stacks in parallel (`--concurrency`), a progress line per running stack on a terminal, a summary,
 * and the exit code of the worst stack. Every manifest is validated first, with the cross-unit checks the
 * unit stacks leave out; nothing runs when anything is invalid or a stack is still to be moved out of a
 * city-wide stack (muni migrate).
 */
export async function runStacks(
  io: CliIO,
  verb: "preview" | "up",
  opts: RunStacksOptions,
  progressTarget: ProgressTarget = processProgress(io),
): Promise<number> {
  if (!opts.stack) throw new UsageError(`muni ${verb} needs --stack <stack>`);
  const concurrency = Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`--concurrency ${opts.concurrency}: give a whole number from 1 to 64`);
  const root = projectRootOf(opts.root);
  const city = loadCity(root, opts.stack);
  if (!city.project.stack || !city.settings || city.diagnostics.length)
    return refuseCity(io, verb, opts.stack, city.diagnostics);
  const chosen = selectStacks(opts.stack, city.stacks, opts.units);
  const notMoved = chosen.filter((s) =>
    s.unit === undefined
      ? city.ledger?.platform?.stack !== undefined
      : city.ledger?.units[s.unit]?.stack !== undefined,
  );
  if (notMoved.length) {
    io.err(
      paint(
        io,
        "red",
        `muni ${verb}: ${notMoved.map((s) => s.name).join(", ")} ${notMoved.length === 1 ? "is" : "are"} still in a city-wide Pulumi stack (ledger ${city.ledger!.file}): move ${notMoved.length === 1 ? "it" : "them"} first with npx muni migrate --stack ${opts.stack} --run (docs/operator.md); nothing was run`,
      ),
    );
    return EXIT.invalid;
  }
  const version = pinnedPulumiVersion(root);
  const p = city.settings.pulumi;
  const env = { root, backend: p.backend, secretsProvider: p.secretsProvider, pulumiVersion: version };
  // The Automation API loads only here, for the commands that run Pulumi.
  const automation = await import("./automation");
  const cmd = await automation.pinnedCli(version);
  const platform = platformStackName(opts.stack);
  const results = await automation.runPlatformThenUnits(
    chosen.some((s) => s.name === platform) ? platform : undefined,
    chosen.filter((s) => s.unit !== undefined).map((s) => s.name),
    automation.stackRunner(env, cmd, verb, {
      ...(opts.refresh ? { refresh: true } : {}),
      ...(opts.expectNoChanges ? { expectNoChanges: true } : {}),
      ...(opts.jsonDir ? { eventsDir: opts.jsonDir } : {}),
    }),
    {
      concurrency,
      skipUnitsIfPlatformFails: verb === "up",
      progress: automation.stderrProgress(progressTarget.write, progressTarget.tty),
    },
  );
  io.out(automation.summaryText(results, verb));
  return automation.worstCode(results);
}
