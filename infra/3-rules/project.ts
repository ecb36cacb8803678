import { type Diagnostic, sortDiagnostics } from "../2-manifest/diagnostics";
import { displayPath, type LoadedStack, loadStack, SETTINGS_PATH } from "../2-manifest/stack";
import { type LoadedUnit, type LoadResult, loadUnits } from "../2-manifest/units";
import type { YamlLimits } from "../2-manifest/yaml-source";
import { join } from "node:path";
import { crossCheck } from "./cross-unit";
import { type Finding, finding, locateFindings, locator } from "./finding";
import { sourcesOf } from "./sources";
import { runStackChecks } from "./stack";
import { checkUnit } from "./unit";
import { checkStackQuantities, checkUnitQuantities } from "./quantities";

/** A stack, the units it takes, and every problem found on the way. */
export interface LoadedProject {
  stack?: LoadedStack;
  /** The units the stack takes (selected by directories, ids and labels), valid or not across units. */
  units: LoadedUnit[];
  /** Every manifest read, selected or not. */
  files: string[];
  diagnostics: Diagnostic[];
}

/** The rules within each manifest and across them all. */
function unitFindings(units: readonly LoadedUnit[]): Finding[] {
  return [...units.flatMap((u) => checkUnit(u)), ...crossCheck(units, locator(sourcesOf(undefined, units)))];
}

/**
 * Every manifest under `paths`, each validated against the schema and muni's rules within it, then
 * checked against each other (`muni validate PATH...`). Diagnostics sorted by file, line and column.
 */
export function loadUnitSet(
  paths: readonly string[],
  limits?: YamlLimits,
): LoadResult & { withheld: LoadedUnit[] } {
  const read = limits ? loadUnits(paths, limits) : loadUnits(paths);
  // A quantity beyond what muni counts exactly stops its unit here, before any rule does arithmetic on it.
  const oversized = read.units.map((u) => checkUnitQuantities(u));
  const units = read.units.filter((_, i) => oversized[i]!.length === 0);
  const diagnostics = [
    ...read.diagnostics,
    ...locate(oversized.flat(), undefined, read.units),
    ...locate(unitFindings(units), undefined, units),
  ];
  const withheld = read.units.filter((_, i) => oversized[i]!.length > 0);
  return { ...read, units, withheld, diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * Loads a stack and the units it takes, with every rule: each manifest, across manifests, and between
 * the stack's settings and its units (names, DNS suffixes, capacity, mail, print, prices, approvals).
 * `settings`, when given, is the value the Pulumi engine holds (see loadStack).
 */
export function loadProject(root: string, stackName: string, settings?: unknown): LoadedProject {
  const { stack, diagnostics } = loadStack(root, stackName, settings);
  if (!stack) return { units: [], files: [], diagnostics: sortDiagnostics(diagnostics) };
  const dirs = stack.settings.units.directories.map((d) => displayPath(join(root, d)));
  const loaded = loadUnitSet(dirs);
  const findings = selectUnits(stack, [...loaded.units, ...loaded.withheld]);
  const selected = loaded.units.filter((u) => takes(stack, u));
  // Settings with a quantity beyond what muni counts exactly are reported alone: the checks against the
  // units do arithmetic on them.
  const oversized = checkStackQuantities(stack);
  findings.push(
    ...(oversized.length
      ? oversized
      : runStackChecks({ stack, units: selected, locate: locator(sourcesOf(stack, selected)) })),
  );
  diagnostics.push(...loaded.diagnostics, ...locate(findings, stack, selected));
  return { stack, units: selected, files: loaded.files, diagnostics: sortDiagnostics(diagnostics) };
}

function locate(findings: readonly Finding[], stack: LoadedStack | undefined, units: readonly LoadedUnit[]) {
  return locateFindings(findings, sourcesOf(stack, units));
}

/** An id the stack names but no manifest has is an error. */
function selectUnits(stack: LoadedStack, units: readonly LoadedUnit[]): Finding[] {
  const { ids } = stack.settings.units;
  if (!ids) return [];
  const have = new Set(units.map((u) => u.unit.id));
  return ids.flatMap((id, i) =>
    have.has(id)
      ? []
      : [
          finding(
            stack.file,
            [...SETTINGS_PATH, "units", "ids", i],
            `no manifest has unit id "${id}"`,
            `add units/${id}.yaml or remove the id`,
          ),
        ],
  );
}

/** Whether the stack takes a unit: by its ids and labels (directories were read already). */
function takes(stack: LoadedStack, u: LoadedUnit): boolean {
  const { ids, labels } = stack.settings.units;
  return (
    (!ids || ids.includes(u.unit.id)) &&
    Object.entries(labels ?? {}).every(([k, v]) => u.unit.labels[k] === v)
  );
}
