import type { Command } from "commander";
import { loadUnits } from "../manifest/units";
import { type CliIO, EXIT, paint, printDiagnostics } from "./io";

export interface ValidateOptions {
  format: "text" | "json";
}

/** `muni validate [PATH...]`: every manifest under PATH (default units/), each problem located. */
export function runValidate(io: CliIO, paths: string[], opts: ValidateOptions): number {
  const result = loadUnits(paths.length ? paths : ["units"]);
  const valid = result.diagnostics.length === 0;
  if (opts.format === "json") {
    io.out(
      JSON.stringify(
        { valid, files: result.files, units: result.units.map((u) => u.unit.id), diagnostics: result.diagnostics },
        null,
        2,
      ),
    );
  } else if (valid) {
    io.out(paint(io, "green", `${result.files.length} manifest${result.files.length === 1 ? "" : "s"} valid: ${result.units.map((u) => u.unit.id).join(", ") || "(none)"}`));
  } else {
    printDiagnostics(io, result.diagnostics);
    const files = new Set(result.diagnostics.map((d) => d.file)).size;
    io.err(paint(io, "red", `${result.diagnostics.length} problem${result.diagnostics.length === 1 ? "" : "s"} in ${files} of ${result.files.length} file${result.files.length === 1 ? "" : "s"}`));
  }
  return valid ? EXIT.ok : EXIT.invalid;
}

export function registerValidate(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("validate")
    .description("validate unit manifests: each problem as file:line:col: field: message (hint)")
    .argument("[path...]", "manifest files or directories", [])
    .addOption(formatOption())
    .action((paths: string[], opts: ValidateOptions) => done(runValidate(io, paths, opts)));
}

import { Option } from "commander";
function formatOption() {
  return new Option("--format <format>", "output format").choices(["text", "json"]).default("text");
}
