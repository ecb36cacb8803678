import { lstatSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import unitSchema from "../../schemas/unit.schema.json";
import type { Unit } from "../1-model";
import { type Diagnostic, sortDiagnostics } from "./diagnostics";
import type { ValidateFunction } from "ajv/dist/2020";
import { SchemaValidator } from "./schema-validator";
import {
  DEFAULT_LIMITS,
  readYamlFile,
  SYMLINK_HINT,
  SYMLINK_MESSAGE,
  type YamlLimits,
  YamlSource,
} from "./yaml-source";

/** A validated manifest: the typed unit (defaults filled in) and the source that locates its fields. */
export interface LoadedUnit {
  file: string;
  source: YamlSource;
  unit: Unit;
}

export interface LoadResult {
  /** Units whose manifest passed the schema. */
  units: LoadedUnit[];
  /** Every problem found, sorted by file, line and column. Empty when all is valid. */
  diagnostics: Diagnostic[];
  /** Every manifest file read. */
  files: string[];
}

let unitValidator: SchemaValidator<Unit> | undefined;
/** The compiled unit schema (compiled once per process). */
export function unitSchemaValidator(): SchemaValidator<Unit> {
  // Precompiled from the schema by scripts/gen-types.mjs (npm run gen:types): ajv compiles nothing at run time.
  return (unitValidator ??= new SchemaValidator<Unit>(
    require("./unit-schema.generated") as ValidateFunction,
    unitSchema,
  ));
}

const MANIFEST_EXT = new Set([".yaml", ".yml"]);

/**
 * Expands files and directories (their *.yaml and *.yml, not recursive) into a sorted file list. A
 * symbolic link among a directory's manifests is refused, located at the link, and never followed.
 */
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
    for (const f of found)
      if (isLink(f))
        diagnostics.push({
          file: f,
          line: 1,
          col: 1,
          field: "",
          message: SYMLINK_MESSAGE,
          hint: SYMLINK_HINT,
        });
      else files.push(f);
  }
  return { files: [...new Set(files)], diagnostics };
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Parses one manifest (never through a symbolic link) and validates it against the schema (muni's own rules are in 3-rules). */
export function loadUnitFile(
  file: string,
  limits: YamlLimits = DEFAULT_LIMITS,
): { unit?: LoadedUnit; diagnostics: Diagnostic[] } {
  const parsed = readYamlFile(file, limits, { noFollow: true });
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const { value, diagnostics } = unitSchemaValidator().validate(parsed.source, parsed.value);
  if (!value) return { diagnostics };
  return { unit: { file, source: parsed.source, unit: value }, diagnostics: [] };
}

/** Reads every manifest under `paths` and validates each against the schema (3-rules checks them further). */
export function loadUnits(paths: readonly string[], limits: YamlLimits = DEFAULT_LIMITS): LoadResult {
  const { files, diagnostics } = discoverManifests(paths);
  const units: LoadedUnit[] = [];
  for (const file of files) {
    const r = loadUnitFile(file, limits);
    diagnostics.push(...r.diagnostics);
    if (r.unit) units.push(r.unit);
  }
  return { units, diagnostics: sortDiagnostics(diagnostics), files };
}
