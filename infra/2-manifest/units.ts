import { readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import unitSchema from "../../schemas/unit.schema.json";
import type { Unit } from "../1-model";
import { crossCheck } from "../3-rules/cross-unit";
import { type Diagnostic, sortDiagnostics } from "./diagnostics";
import { createAjv, SchemaValidator } from "./schema-validator";
import { checkUnit } from "../3-rules/unit";
import { DEFAULT_LIMITS, readYamlFile, type YamlLimits, YamlSource } from "./yaml-source";

/** A validated manifest: the typed unit (defaults filled in) and the source that locates its fields. */
export interface LoadedUnit {
  file: string;
  source: YamlSource;
  unit: Unit;
}

export interface LoadResult {
  /** Units whose manifest passed the schema; problems with muni's own rules and across units are in diagnostics. */
  units: LoadedUnit[];
  /** Every problem found, sorted by file, line and column. Empty when all is valid. */
  diagnostics: Diagnostic[];
  /** Every manifest file read. */
  files: string[];
}

let unitValidator: SchemaValidator<Unit> | undefined;
/** The compiled unit schema (compiled once per process). */
export function unitSchemaValidator(): SchemaValidator<Unit> {
  return (unitValidator ??= new SchemaValidator<Unit>(createAjv(), unitSchema));
}

const MANIFEST_EXT = new Set([".yaml", ".yml"]);

/** Expands files and directories (their *.yaml and *.yml, not recursive) into a sorted file list. */
export function discoverManifests(paths: readonly string[]): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      diagnostics.push({
        file: p,
        line: 1,
        col: 1,
        field: "",
        message: "no such file or directory",
        hint: "check the path",
      });
      continue;
    }
    if (!isDir) {
      files.push(p);
      continue;
    }
    const found = readdirSync(p)
      .filter((f) => MANIFEST_EXT.has(extname(f)))
      .sort()
      .map((f) => join(p, f));
    files.push(...found);
  }
  return { files: [...new Set(files)], diagnostics };
}

/** Parses and validates one manifest on its own. */
export function loadUnitFile(
  file: string,
  limits: YamlLimits = DEFAULT_LIMITS,
): { unit?: LoadedUnit; diagnostics: Diagnostic[] } {
  const parsed = readYamlFile(file, limits);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const { value, diagnostics } = unitSchemaValidator().validate(parsed.source, parsed.value);
  if (!value) return { diagnostics };
  const unit = { file, source: parsed.source, unit: value };
  return { unit, diagnostics: checkUnit(parsed.source, value) };
}

/** Loads every manifest under `paths`, validates each, then checks them against each other. */
export function loadUnits(paths: readonly string[], limits: YamlLimits = DEFAULT_LIMITS): LoadResult {
  const { files, diagnostics } = discoverManifests(paths);
  const units: LoadedUnit[] = [];
  for (const file of files) {
    const r = loadUnitFile(file, limits);
    diagnostics.push(...r.diagnostics);
    if (r.unit) units.push(r.unit);
  }
  diagnostics.push(...crossCheck(units));
  return { units, diagnostics: sortDiagnostics(diagnostics), files };
}
