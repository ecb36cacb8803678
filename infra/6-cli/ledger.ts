import { type Command, Option } from "commander";
import { type CliIO, EXIT, paint, printDiagnostics } from "./io";
import { loadStackProject, projectRootOf } from "./project";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import { listStacks } from "../2-manifest/stack";
import { ledgerPath, readLedger } from "../2-manifest/ledger";
import { cachedUnitSets, type UnitSetLoader } from "../3-rules/project";
import { ledgerChanges, ledgerText, nextLedger, writeLedger } from "../5-plan/ledger";
import { unknownRetirements } from "../3-rules/lifecycle/retirement";
import { todayOf } from "../1-model";

export interface LedgerOptions {
  /** One stack (stacks/Pulumi.<stack>.yaml); default: every stack of the project. */
  stack?: string;
  /** Write the new ledger (default: show what would change). */
  write?: boolean;
  /** Exit 1 when a committed ledger is not up to date with the manifests (for CI). */
  check?: boolean;
  /** Allow more than the stack's maxRemovalShare of units to leave in this one run. */
  allowMassRemoval?: boolean;
  /** Project root (the folder with Pulumi.yaml); default: found from the working directory up. */
  root?: string;
  /** Items removed from their unit's manifest that this run retires, `<unit>/<vm|site|mailbox>/<name>` (needs `stack`). Default: none. */
  retire?: string[];
}

/** The command that brings every ledger up to date, as printed to whoever has to run it. */
export const LEDGER_FIX = "npx muni ledger --write";

/**
 * `muni ledger [--stack S] [--write|--check] [--allow-mass-removal]`: for each stack (or S), runs every
 * lifecycle guard against its ledger (stacks/<stack>.units.yaml), shows each unit whose recorded state
 * changes, lists what decommissioned units left in the cluster, and with --write records the new
 * ledger; --check fails (exit 1) when a ledger is stale and prints the command that fixes it. Refuses
 * (exit 1) to record a change the guards refuse; then no ledger is written.
 */
export function runLedger(io: CliIO, opts: LedgerOptions, env: NodeJS.ProcessEnv = process.env): number {
  if (opts.retire?.length && !opts.stack) {
    io.err(
      paint(
        io,
        "red",
        "muni ledger: --retire needs --stack (each stack records its own retirements, under its own host names)",
      ),
    );
    return EXIT.usage;
  }
  const root = projectRootOf(opts.root);
  const names = opts.stack ? [opts.stack] : listStacks(root);
  const loadSet = cachedUnitSets();
  const stacks = names.map((name) => ledgerOf(root, name, opts, env, loadSet));
  const refused = stacks.filter((s) => s.diagnostics.length > 0);
  for (const s of refused) printDiagnostics(io, s.diagnostics);
  if (refused.length) {
    const n = refused.reduce((k, s) => k + s.diagnostics.length, 0);
    io.err(
      paint(
        io,
        "red",
        `ledger not recorded: ${n} problem${n === 1 ? "" : "s"} in ${refused.map((s) => `stack ${s.name}`).join(", ")} or its units`,
      ),
    );
    return EXIT.invalid;
  }
  const stale: string[] = [];
  for (const s of stacks) {
    const l = s.ledger!;
    io.out(`stack ${s.name}, ledger ${l.file}:`);
    for (const line of l.changes) io.out(`  ${line}`);
    if (!l.changes.length) io.out("  no change");
    if (l.retained.length) {
      io.out("retained data of decommissioned units (kept in the cluster, no longer managed):");
      for (const r of l.retained) io.out(`  ${r}`);
    }
    if (opts.write) {
      if (!l.upToDate) l.write();
      io.out(paint(io, "green", l.upToDate ? `${l.file} is up to date` : `wrote ${l.file}`));
    } else if (l.upToDate) io.out(paint(io, "green", `${l.file} is up to date`));
    else stale.push(l.file);
  }
  if (opts.write || stale.length === 0) return EXIT.ok;
  const fix = opts.stack ? `${LEDGER_FIX} --stack ${opts.stack}` : LEDGER_FIX;
  if (opts.check) {
    io.err(
      paint(
        io,
        "red",
        `${stale.join(", ")} ${stale.length === 1 ? "is" : "are"} not up to date with the manifests: run ${fix} and commit ${stale.length === 1 ? "it" : "them"}`,
      ),
    );
    return EXIT.invalid;
  }
  io.out(paint(io, "yellow", `dry run: ${fix} records ${stale.length === 1 ? "it" : "them"}`));
  return EXIT.ok;
}

interface StackLedger {
  name: string;
  diagnostics: ReturnType<typeof loadStackProject>["diagnostics"];
  ledger?: {
    file: string;
    changes: string[];
    retained: string[];
    upToDate: boolean;
    write: () => void;
  };
}

function ledgerOf(
  root: string,
  name: string,
  opts: LedgerOptions,
  env: NodeJS.ProcessEnv,
  loadSet: UnitSetLoader,
): StackLedger {
  const retiring = new Set(opts.retire ?? []);
  const project = withLedgerGuards(
    loadStackProject(root, name, loadSet),
    opts.allowMassRemoval ? { ...env, MUNI_ALLOW_MASS_REMOVAL: "1" } : env,
    retiring,
  );
  if (project.diagnostics.length || !project.stack) return { name, diagnostics: project.diagnostics };
  const stack = project.stack;
  const { ledger: before } = readLedger(ledgerPath(stack.file, stack.name));
  // A --retire that names nothing removed is refused: a retirement is recorded only for what is gone.
  const unknown = unknownRetirements([...retiring], before!.units, project.units);
  if (unknown.length)
    return {
      name,
      diagnostics: unknown.map((message) => ({
        file: before!.file,
        line: 1,
        col: 1,
        field: "--retire",
        message,
        hint: "name an item the ledger records and the manifest no longer declares: <unit>/<vm|site|mailbox>/<name>",
      })),
    };
  const after = nextLedger(before!, project.units, stack.settings, {
    today: todayOf(stack.settings, env),
    retiring,
  });
  return {
    name,
    diagnostics: [],
    ledger: {
      file: after.file,
      changes: ledgerChanges(before!, after),
      retained: Object.entries(after.units).flatMap(([id, e]) =>
        (e.retained ?? []).map((r) => `${id}: ${r}`),
      ),
      upToDate: before!.exists && ledgerText(before!, stack.name) === ledgerText(after, stack.name),
      write: () => writeLedger(after, stack.name),
    },
  };
}

export function registerLedger(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("ledger")
    .description(
      "check each stack's unit lifecycle against its ledger (stacks/<stack>.units.yaml) and record it; --check for CI",
    )
    .addOption(new Option("--stack <stack>", "one stack (stacks/Pulumi.<stack>.yaml); default: every stack"))
    .addOption(new Option("--write", "record the new ledgers").conflicts("check"))
    .addOption(
      new Option(
        "--check",
        "exit 1 when a ledger is not up to date, printing the command that fixes it (CI)",
      ),
    )
    .addOption(
      new Option(
        "--allow-mass-removal",
        "allow more than the stack's maxRemovalShare of units to leave in this run",
      ),
    )
    .addOption(
      new Option(
        "--retire <unit/kind/name...>",
        "record the retirement of a VM, site or mailbox removed from its unit's manifest (vm|site|mailbox; needs --stack)",
      ),
    )
    .addOption(
      new Option(
        "--root <dir>",
        "project root (default: the folder with Pulumi.yaml, from the working directory up)",
      ),
    )
    .action((opts: LedgerOptions) => done(runLedger(io, opts)));
}
