import { readdirSync, statSync } from "node:fs";
import { extname } from "node:path";
import { type Command, Option } from "commander";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import type { Diagnostic } from "../2-manifest/diagnostics";
import { loadStackProject, projectRootOf } from "./project";
import { loadUnitSet } from "../3-rules/project";
import { type CliIO, EXIT, paint, printDiagnostics, UsageError } from "./io";

export interface ValidateOptions {
  format: "text" | "json";
  /** Also check the units against this stack's settings (suffixes, quotas, capacity, mail, lifecycle, ledger). */
  stack?: string;
}

/**
 * `muni validate [PATH...]`: every manifest under PATH (default units/), each problem located.
 * `muni validate --stack S`: the units stack S takes, checked against its settings as `pulumi up` would.
 */
export function runValidate(io: CliIO, paths: string[], opts: ValidateOptions): number {
  const result = opts.stack ? validateStack(opts.stack, paths) : validatePaths(paths);
  const valid = result.diagnostics.length === 0;
  if (opts.format === "json") {
    io.out(
      JSON.stringify(
        {
          valid,
          files: result.files,
          units: result.units.map((u) => u.unit.id),
          diagnostics: result.diagnostics,
        },
        null,
        2,
      ),
    );
  } else if (valid) {
    io.out(
      paint(
        io,
        "green",
        `${result.files.length} manifest${result.files.length === 1 ? "" : "s"} valid: ${result.units.map((u) => u.unit.id).join(", ") || "(none)"}`,
      ),
    );
  } else {
    printDiagnostics(io, result.diagnostics);
    const files = new Set(result.diagnostics.map((d) => d.file)).size;
    io.err(
      paint(
        io,
        "red",
        `${result.diagnostics.length} problem${result.diagnostics.length === 1 ? "" : "s"} in ${files} of ${result.files.length} file${result.files.length === 1 ? "" : "s"}`,
      ),
    );
  }
  return valid ? EXIT.ok : EXIT.invalid;
}

export function registerValidate(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("validate")
    .description("validate unit manifests: each problem as file:line:col: field: message (hint)")
    .argument("[path...]", "manifest files or directories", [])
    .addOption(formatOption())
    .option("--stack <stack>", "check the units of this stack against its settings, as pulumi up would")
    .action((paths: string[], opts: ValidateOptions) => done(runValidate(io, paths, opts)));
}

function validatePaths(paths: string[]): {
  files: string[];
  units: { unit: { id: string } }[];
  diagnostics: Diagnostic[];
} {
  const targets = paths.length ? paths : ["units"];
  for (const p of targets) checkPath(p);
  return loadUnitSet(targets);
}

/** The same checks as the Pulumi program runs before registering anything (settings, units, ledger). */
function validateStack(
  stack: string,
  paths: string[],
): { files: string[]; units: { unit: { id: string } }[]; diagnostics: Diagnostic[] } {
  if (paths.length)
    throw new UsageError("give manifest paths or --stack, not both (a stack names its own unit directories)");
  return withLedgerGuards(loadStackProject(projectRootOf(), stack));
}

/** A PATH that is not there, or a directory without manifests, is a usage error (exit 2), not invalid input. */
function checkPath(p: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(p).isDirectory();
  } catch {
    throw new UsageError(
      `${p}: no such file or directory (give manifest files or directories of them; default: units/)`,
    );
  }
  if (isDir && !readdirSync(p).some((f) => extname(f) === ".yaml" || extname(f) === ".yml"))
    throw new UsageError(`${p}: directory holds no manifests (*.yaml, *.yml)`);
}

function formatOption() {
  return new Option("--format <format>", "output format").choices(["text", "json"]).default("text");
}
