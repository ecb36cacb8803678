import { type Command, Option } from "commander";
import { type CliIO, EXIT, paint, printDiagnostics } from "./io";
import { loadStackProject, projectRootOf } from "./project";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import { ledgerPath, readLedger, type Ledger } from "../2-manifest/ledger";
import { ledgerText, nextLedger, writeLedger } from "../5-plan/ledger";

export interface LedgerOptions {
  stack: string;
  /** Write the new ledger (default: show what would change). */
  write?: boolean;
  /** Exit 1 when the committed ledger is not up to date with the manifests (for CI). */
  check?: boolean;
  /** Allow more than the stack's maxRemovalShare of units to leave in this one run. */
  allowMassRemoval?: boolean;
  /** Project root (the folder with Pulumi.yaml); default: found from the working directory up. */
  root?: string;
}

/**
 * `muni ledger --stack S [--write|--check] [--allow-mass-removal]`: runs every lifecycle guard of the stack
 * against its ledger (stacks/<stack>.units.yaml), shows each unit whose recorded state changes, lists what
 * decommissioned units left in the cluster, and with --write records the new ledger. Refuses (exit 1) to
 * record a change the guards refuse.
 */
export function runLedger(io: CliIO, opts: LedgerOptions, env: NodeJS.ProcessEnv = process.env): number {
  const root = projectRootOf(opts.root);
  const project = withLedgerGuards(
    loadStackProject(root, opts.stack),
    opts.allowMassRemoval ? { ...env, MUNI_ALLOW_MASS_REMOVAL: "1" } : env,
  );
  if (project.diagnostics.length || !project.stack) {
    printDiagnostics(io, project.diagnostics);
    io.err(
      paint(
        io,
        "red",
        `ledger not recorded: ${project.diagnostics.length} problem${project.diagnostics.length === 1 ? "" : "s"} in the stack or its units`,
      ),
    );
    return EXIT.invalid;
  }
  const stack = project.stack;
  const { ledger: before } = readLedger(ledgerPath(stack.file, stack.name));
  const after = nextLedger(before!, project.units, stack.settings);
  const lines = changes(before!, after);
  io.out(`stack ${stack.name}, ledger ${after.file}:`);
  for (const l of lines) io.out(`  ${l}`);
  if (!lines.length) io.out("  no change");
  const retained = Object.entries(after.units).filter(([, e]) => e.retained?.length);
  if (retained.length) {
    io.out("retained data of decommissioned units (kept in the cluster, no longer managed):");
    for (const [id, e] of retained) for (const r of e.retained!) io.out(`  ${id}: ${r}`);
  }
  const upToDate = before!.exists && ledgerText(before!, stack.name) === ledgerText(after, stack.name);
  if (opts.write) {
    if (!upToDate) writeLedger(after, stack.name);
    io.out(paint(io, "green", upToDate ? `${after.file} is up to date` : `wrote ${after.file}`));
    return EXIT.ok;
  }
  if (upToDate) {
    io.out(paint(io, "green", `${after.file} is up to date`));
    return EXIT.ok;
  }
  if (opts.check) {
    io.err(
      paint(
        io,
        "red",
        `${after.file} is not up to date with the manifests: run muni ledger --stack ${stack.name} --write and commit it`,
      ),
    );
    return EXIT.invalid;
  }
  io.out(paint(io, "yellow", `dry run: muni ledger --stack ${stack.name} --write records it`));
  return EXIT.ok;
}

/** One line per unit whose entry changes: new, state/wave/provisioning changed. */
function changes(before: Ledger, after: Ledger): string[] {
  const out: string[] = [];
  for (const [id, a] of Object.entries(after.units)) {
    const b = before.units[id];
    const prov = (p: boolean) => (p ? "provisioned" : "not provisioned");
    if (!b) out.push(`${id}: new, ${a.state}, wave ${a.wave}, ${prov(a.provisioned)}`);
    else if (b.state !== a.state || b.wave !== a.wave || b.provisioned !== a.provisioned || b.file !== a.file)
      out.push(
        `${id}: ${b.state} → ${a.state}, wave ${b.wave} → ${a.wave}, ${prov(b.provisioned)} → ${prov(a.provisioned)}`,
      );
  }
  for (const id of Object.keys(before.units))
    if (!after.units[id]) out.push(`${id}: dropped (only ever planned, manifest gone)`);
  return out;
}

export function registerLedger(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("ledger")
    .description(
      "check a stack's unit lifecycle against its ledger (stacks/<stack>.units.yaml) and record it",
    )
    .addOption(new Option("--stack <stack>", "stack name (stacks/Pulumi.<stack>.yaml)").makeOptionMandatory())
    .addOption(new Option("--write", "record the new ledger").conflicts("check"))
    .addOption(new Option("--check", "exit 1 when the ledger is not up to date (CI)"))
    .addOption(
      new Option(
        "--allow-mass-removal",
        "allow more than the stack's maxRemovalShare of units to leave in this run",
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
