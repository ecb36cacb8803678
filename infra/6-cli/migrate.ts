import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { parse } from "yaml";
import { platformStackName, unitStackName } from "../1-model";
import { type Ledger, ledgerPath, readLedger } from "../2-manifest/ledger";
import { loadStack, UnknownStackError } from "../2-manifest/stack";
import { ledgerText } from "../5-plan/ledger";
import { type CliIO, EXIT, paint, printDiagnostics, UsageError } from "./io";
import { projectRootOf } from "./project";
import { pinnedPulumiVersion, pulumiSettingsOf } from "./pulumi-settings";

export interface MigrateOptions {
  stack: string;
  run?: boolean;
  root?: string;
}

/** One move: the platform's component or a unit's, from the city-wide stack into its own. */
export interface Move {
  /** `platform`, or the unit id. */
  what: string;
  unit?: string;
  source: string;
  dest: string;
  /** The component's URN in the source stack: `pulumi state move` takes its children along. */
  urn: string;
}

/** The project name of Pulumi.yaml (the URNs' second part). */
export function projectName(root: string): string {
  return String((parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name);
}

/**
 * The moves a ledger still records as to be done: the platform first (every unit stack needs it: the operator's
 * prerequisite, `muni up`'s order), then each provisioned unit whose resources are in another stack, by id. A
 * unit never provisioned there has nothing in the state: only its record changes.
 */
export function migrationMoves(city: string, project: string, ledger: Ledger): Move[] {
  const urn = (source: string, type: string, name: string) =>
    `urn:pulumi:${source}::${project}::${type}::${name}`;
  const moves: Move[] = [];
  const p = ledger.platform?.stack;
  if (p !== undefined && p !== platformStackName(city))
    moves.push({
      what: "the platform",
      source: p,
      dest: platformStackName(city),
      urn: urn(p, "muni:platform:Platform", "platform"),
    });
  for (const [id, e] of Object.entries(ledger.units).sort(([a], [b]) => (a < b ? -1 : 1)))
    if (e.stack !== undefined && e.stack !== unitStackName(city, id) && e.provisioned)
      moves.push({
        what: `unit ${id}`,
        unit: id,
        source: e.stack,
        dest: unitStackName(city, id),
        urn: urn(e.stack, "muni:unit:Unit", id),
      });
  return moves;
}

/** The ledger after one move (or after the record of a unit with nothing to move): `stack` gone, `movedFrom` kept. */
export function recordMove(ledger: Ledger, move: Pick<Move, "unit" | "source">): Ledger {
  if (move.unit === undefined) return { ...ledger, platform: { movedFrom: move.source } };
  const { stack: _from, ...entry } = ledger.units[move.unit]!;
  return { ...ledger, units: { ...ledger.units, [move.unit]: { ...entry, movedFrom: move.source } } };
}

/** Entries that name another stack but were never provisioned there: nothing to move, only the record to update. */
function recordOnly(city: string, ledger: Ledger): string[] {
  return Object.entries(ledger.units)
    .filter(([id, e]) => e.stack !== undefined && e.stack !== unitStackName(city, id) && !e.provisioned)
    .map(([id]) => id);
}

/** A shell word: quoted when it holds anything but safe characters. */
const sh = (s: string) => (/^[A-Za-z0-9._/:=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The commands of the moves, as the dry run prints them. */
export function migrationScript(
  city: string,
  secretsProvider: string,
  moves: readonly Move[],
  ledgerFile: string,
): string {
  const sources = [...new Set(moves.map((m) => m.source))];
  const lines = [
    `# muni migrate --stack ${city}: move what ${sources.join(", ") || "the city-wide stack"} holds into one Pulumi stack per unit and one for the platform.`,
    "# Nothing on the cluster is created, changed or deleted: `pulumi state move` rewrites only the state, the target",
    "# stack first and then the source, so a failure leaves a resource in both stacks, never in neither.",
    `# Before: no deployment of ${sources.join(", ") || city} runs (the program already refuses the bare city name); log in to the`,
    `# state store: pulumi login "$(npx muni preview --stack ${city} --print-backend)"; export the secrets provider's credentials.`,
    `# Run it all with: npx muni migrate --stack ${city} --run (it records each move in ${ledgerFile} as it goes).`,
    "",
  ];
  moves.forEach((m, i) => {
    lines.push(`# ${i + 1}/${moves.length} ${m.what}: ${m.source} → ${m.dest}`);
    lines.push(`pulumi stack init ${m.dest} --secrets-provider ${sh(secretsProvider)}   # unless it exists`);
    lines.push(`pulumi state move --source ${m.source} --dest ${m.dest} --yes ${sh(m.urn)}`);
    lines.push(
      `# then in ${ledgerFile}: ${m.unit ? `units.${m.unit}` : "platform"}: stack: ${m.source} → movedFrom: ${m.source}`,
    );
    lines.push("");
  });
  lines.push(
    `# After: commit ${ledgerFile} and stacks/Pulumi.${city}.*.yaml (each new stack's secrets provider and key);`,
    `# npx muni preview --stack ${city} must then show no changes in any stack. Then remove the emptied city-wide`,
    "# stack (only its providers are left), keeping the city's settings file:",
    ...sources.map((s) => `#   pulumi stack rm ${s} --force --preserve-config`),
  );
  return lines.join("\n");
}

/**
 * `muni migrate --stack <city> [--run]`: units (and the platform) provisioned by a city-wide Pulumi stack move
 * into their own stacks without recreating anything. Prints the `pulumi state move` commands, in an order that
 * never leaves a resource unmanaged; with `--run`, runs them (creating each target stack with the city's
 * secrets provider), checks each component is in the source's state first, and records each move in the
 * ledger as soon as it is done. Exit 0 done (or nothing to move), 1 a move failed (the ledger records those
 * before it), 2 usage (unknown stack, no CLI or another version).
 */
export async function runMigrate(io: CliIO, opts: MigrateOptions): Promise<number> {
  const root = projectRootOf(opts.root);
  let loaded: ReturnType<typeof loadStack>;
  try {
    loaded = loadStack(root, opts.stack);
  } catch (e) {
    if (e instanceof UnknownStackError) throw new UsageError(e.message);
    throw e;
  }
  const { stack } = loaded;
  const pulumi = stack ? pulumiSettingsOf(stack) : { diagnostics: loaded.diagnostics };
  const read = stack ? readLedger(ledgerPath(stack.file, opts.stack)) : { diagnostics: [] };
  const problems = [...pulumi.diagnostics, ...read.diagnostics];
  if (!stack || !pulumi.pulumi || !read.ledger || problems.length) {
    printDiagnostics(io, problems);
    io.err(
      paint(
        io,
        "red",
        `muni migrate: ${problems.length} problem(s) in stack ${opts.stack}; nothing was done`,
      ),
    );
    return EXIT.invalid;
  }
  let ledger = read.ledger;
  const moves = migrationMoves(opts.stack, projectName(root), ledger);
  const only = recordOnly(opts.stack, ledger);
  if (!moves.length && !only.length) {
    io.out(
      `stack ${opts.stack}: nothing to move (ledger ${ledger.file}: every unit and the platform are in their own stacks)`,
    );
    return EXIT.ok;
  }
  if (!opts.run) {
    io.out(migrationScript(opts.stack, pulumi.pulumi.secretsProvider, moves, ledger.file));
    if (only.length)
      io.out(
        `# never provisioned in ${[...new Set(only.map((id) => ledger.units[id]!.stack))].join(", ")}, only their record changes: ${only.join(", ")}`,
      );
    return EXIT.ok;
  }
  const save = (l: Ledger) => writeFileSync(l.file, ledgerText(l, opts.stack));
  for (const id of only) ledger = recordMove(ledger, { unit: id, source: ledger.units[id]!.stack! });
  if (only.length) save(ledger);
  const version = pinnedPulumiVersion(root);
  const automation = await import("./automation");
  const cmd = await automation.pinnedCli(version);
  const p = pulumi.pulumi;
  const env = { root, backend: p.backend, secretsProvider: p.secretsProvider, pulumiVersion: version };
  const inState = new Map<string, Set<string>>();
  for (const [i, m] of moves.entries()) {
    io.out(`${i + 1}/${moves.length} ${m.what}: ${m.source} → ${m.dest}`);
    if (!inState.has(m.source))
      inState.set(m.source, new Set(await automation.stateUrns(env, cmd, m.source)));
    if (!inState.get(m.source)!.has(m.urn)) {
      io.err(
        paint(
          io,
          "red",
          `muni migrate: ${m.urn} is not in the state of ${m.source}, though ${ledger.file} records ${m.what} there: stopped (${i} of ${moves.length} moved; check with pulumi stack --stack ${m.source} --show-urns)`,
        ),
      );
      return EXIT.invalid;
    }
    await automation.ensureStack(env, cmd, m.dest);
    const r = await automation.runCli(env, [
      "state",
      "move",
      "--source",
      m.source,
      "--dest",
      m.dest,
      "--yes",
      m.urn,
    ]);
    if (r.code !== 0) {
      io.err(
        paint(
          io,
          "red",
          `muni migrate: pulumi state move of ${m.what} failed (exit ${r.code}): ${automation.firstProblem(r.stderr || r.stdout)}; stopped (${i} of ${moves.length} moved, recorded in ${ledger.file})`,
        ),
      );
      return EXIT.invalid;
    }
    ledger = recordMove(ledger, m);
    save(ledger);
    io.out(
      `  moved ${r.stdout.split("\n").filter((l) => l.startsWith("  - ")).length} resources; recorded in ${ledger.file}`,
    );
  }
  io.out(
    `done: ${moves.length} moved. Commit ${ledger.file} and stacks/Pulumi.${opts.stack}.*.yaml; npx muni preview --stack ${opts.stack} must show no changes; then pulumi stack rm ${[...new Set(moves.map((m) => m.source))].join(" ")} --force --preserve-config`,
  );
  return EXIT.ok;
}

export function registerMigrate(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("migrate")
    .description(
      "move units provisioned by a city-wide Pulumi stack into their own stacks without recreating anything: print the pulumi state move commands, or run them (--run)",
    )
    .requiredOption(
      "--stack <stack>",
      "the city (stacks/Pulumi.<stack>.yaml) whose ledger records what is still to move",
    )
    .option("--run", "run the moves (default: print them)")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml); default: found upwards")
    .action(async (opts: MigrateOptions) => done(await runMigrate(io, opts)));
}
