import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { projectRoot } from "../2-manifest/project-root";
import { type CliIO, EXIT, processIO, UsageError } from "./io";
import { registerDns } from "./dns";
import { registerDrift } from "./drift";
import { registerNewUnit } from "./new-unit";
import { registerPlan } from "./plan";
import { registerValidate } from "./validate";
import { registerLedger } from "./ledger";
import { registerReport } from "./report";
import { registerOperator } from "./operator";
import { registerPreview } from "./preview";
import { registerUp } from "./up";
import { registerMigrate } from "./migrate";

/** Each command registers itself here; `done` receives its exit code. */
const COMMANDS: Array<(program: Command, io: CliIO, done: (code: number) => void) => void> = [
  registerValidate,
  registerReport,
  registerPlan,
  registerNewUnit,
  registerDrift,
  registerLedger,
  registerDns,
  registerOperator,
  registerPreview,
  registerUp,
  registerMigrate,
];

/**
 * Runs the CLI and resolves to its exit code: 0 valid, 1 invalid input, 2 usage error, 3 internal error.
 * Never throws and never prints a stack trace (set MUNI_DEBUG=1 to see one).
 */
export async function run(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("muni")
    .description("muni: the city's shared IT services for its organizational units, as code")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError("(run muni --help for usage)")
    .version(versionText(), "-V, --version", "print muni's version and the Node.js running it");
  for (const register of COMMANDS) register(program, io, (c) => (code = c));
  for (const cmd of program.commands)
    cmd
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  try {
    await program.parseAsync(argv as string[], { from: "node" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return EXIT.ok;
      return e.code === "commander.executeSubCommandAsync" ? EXIT.internal : EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.err(`muni: ${e.message}`);
      return EXIT.usage;
    }
    io.err(`muni: internal error: ${(e as Error).message ?? String(e)}`);
    if (process.env.MUNI_DEBUG) io.err(String((e as Error).stack));
    return EXIT.internal;
  }
}

/** `muni 0.1.0 (Node.js v24.21.0)`: the version in the package.json of the running code, and the Node.js running it. */
export function versionText(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(__dirname), "package.json"), "utf8")) as {
    version: string;
  };
  return `muni ${pkg.version} (Node.js ${process.version})`;
}

/** Entry point of bin/muni.js. */
export function main(argv: readonly string[]): void {
  void run(argv).then((code) => {
    process.exitCode = code;
  });
}
