import { type StackSettings, stackDnsName, type Unit, unitForStack } from "../1-model";
import { type Diagnostic, sortDiagnostics } from "../2-manifest/diagnostics";
import { displayPath, type LoadedStack, loadStack, SETTINGS_PATH } from "../2-manifest/stack";
import { type LoadedUnit, type LoadResult, loadUnits } from "../2-manifest/units";
import type { YamlLimits } from "../2-manifest/yaml-source";
import { join, resolve } from "node:path";
import { crossCheck } from "./cross-unit";
import { type Finding, finding, locateFindings, locator } from "./finding";
import { sourcesOf } from "./sources";
import { runStackChecks } from "./stack";
import { checkUnit } from "./unit";
import { checkStackQuantities, checkUnitQuantities } from "./quantities";

/** A manifest in the stack's directories that the stack does not take, and why. */
export interface NotTaken {
  file: string;
  unit: Unit;
  /** Which of the stack's rules it misses, e.g. `wave 2 is not in units.waves [1]`. */
  reason: string;
}

/** A stack, the units it takes, and every problem found on the way. */
export interface LoadedProject {
  stack?: LoadedStack;
  /**
   * The units the stack takes (selected by its rules: ids, waves, labels), valid or not across units,
   * each as the stack serves it (unitForStack: a staging stack's own host names and mail domains).
   */
  units: LoadedUnit[];
  /** The valid manifests of the stack's directories it does not take, with the reason. */
  notTaken: NotTaken[];
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
export function loadUnitSet(paths: readonly string[], limits?: YamlLimits): UnitSet {
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

/** The manifests of some directories, checked within and across them; `withheld` failed the quantity limits. */
export type UnitSet = LoadResult & { withheld: LoadedUnit[] };

/** Reads and checks the manifests of some directories (loadUnitSet, or a cache of it). */
export type UnitSetLoader = (dirs: readonly string[]) => UnitSet;

/**
 * loadUnitSet that reads each set of directories once: stacks that share their directories (every
 * stack of a city, usually) then cost one read of the manifests, however many are checked.
 */
export function cachedUnitSets(): UnitSetLoader {
  const seen = new Map<string, UnitSet>();
  return (dirs) => {
    const key = dirs.map((d) => resolve(d)).join("\0");
    let set = seen.get(key);
    if (!set) seen.set(key, (set = loadUnitSet(dirs)));
    return set;
  };
}

/**
 * Loads a stack and the units it takes, with every rule: each manifest, across manifests, and between
 * the stack's settings and its units (names, DNS suffixes, capacity, mail, print, prices, approvals).
 * `settings`, when given, is the value the Pulumi engine holds (see loadStack). The rules see the
 * manifests as written; the units returned are as the stack serves them (unitForStack). `loadSet`
 * reads the manifests (cachedUnitSets() to share one read between stacks).
 */
export function loadProject(
  root: string,
  stackName: string,
  settings?: unknown,
  loadSet: UnitSetLoader = loadUnitSet,
): LoadedProject {
  const { stack, diagnostics } = loadStack(root, stackName, settings);
  if (!stack) return { units: [], notTaken: [], files: [], diagnostics: sortDiagnostics(diagnostics) };
  const loaded = loadSet(stackDirectories(root, stack));
  const project = takeUnits(stack, loaded.units, loaded.withheld);
  return {
    ...project,
    files: loaded.files,
    diagnostics: sortDiagnostics([...diagnostics, ...loaded.diagnostics, ...project.diagnostics]),
  };
}

/** The stack's unit directories, as the loader names them. */
export function stackDirectories(root: string, stack: LoadedStack): string[] {
  return stack.settings.units.directories.map((d) => displayPath(join(root, d)));
}

/**
 * The units a stack takes of the valid manifests of its directories, and every rule between the stack
 * and them (not the rules within and across manifests: loadUnitSet ran those). `muni new-unit` runs it
 * with the unit being written among them.
 */
export function takeUnits(
  stack: LoadedStack,
  units: readonly LoadedUnit[],
  withheld: readonly LoadedUnit[] = [],
): Pick<Required<LoadedProject>, "stack" | "units" | "notTaken" | "diagnostics"> {
  const findings = selectUnits(stack, [...units, ...withheld]);
  const selected: LoadedUnit[] = [];
  const notTaken: NotTaken[] = [];
  for (const u of units) {
    const s = selection(stack.settings, u.unit);
    if (s.taken) selected.push(u);
    else notTaken.push({ file: u.file, unit: u.unit, reason: s.reason });
  }
  // Settings with a quantity beyond what muni counts exactly are reported alone: the checks against the
  // units do arithmetic on them.
  const oversized = checkStackQuantities(stack);
  findings.push(
    ...(oversized.length
      ? oversized
      : runStackChecks({ stack, units: selected, locate: locator(sourcesOf(stack, selected)) })),
  );
  findings.push(...rewriteFindings(stack, selected));
  return {
    stack,
    units: selected.map((u) => ({ ...u, unit: unitForStack(u.unit, stack.settings) })),
    notTaken,
    diagnostics: sortDiagnostics(locate(findings, stack, selected)),
  };
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

/** Whether a stack takes a unit, and why (the rule that matched) or why not (every rule it misses). */
export interface Selection {
  taken: boolean;
  reason: string;
}

/**
 * Whether the stack takes a unit of its directories: a unit matching any of the stack's rules is taken
 * (its id in `units.ids`, its wave in `units.waves`, its labels including all of `units.labels`); a
 * stack with no rule takes every unit of its directories.
 */
export function selection(settings: Pick<StackSettings, "units">, unit: Unit): Selection {
  const { ids, waves, labels } = settings.units;
  const list = (xs: readonly (string | number)[]) => `[${xs.join(", ")}]`;
  const labelText = (ls: Record<string, string | undefined>) =>
    `{${Object.entries(ls)
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ")}}`;
  if (!ids && !waves && !labels)
    return { taken: true, reason: `it takes every unit of ${settings.units.directories.join(", ")}` };
  const wave = unit.lifecycle.wave;
  if (ids?.includes(unit.id)) return { taken: true, reason: `units.ids lists ${unit.id}` };
  if (waves?.includes(wave))
    return { taken: true, reason: `its wave ${wave} is in units.waves ${list(waves)}` };
  if (labels && Object.entries(labels).every(([k, v]) => unit.labels[k] === v))
    return { taken: true, reason: `its labels include units.labels ${labelText(labels)}` };
  const missed = [
    ...(ids ? [`units.ids ${list(ids)} does not list ${unit.id}`] : []),
    ...(waves ? [`its wave ${wave} is not in units.waves ${list(waves)}`] : []),
    ...(labels ? [`its labels do not include units.labels ${labelText(labels)}`] : []),
  ];
  return { taken: false, reason: missed.join("; ") };
}

/** Host names and mail domains a stack renames (dnsRewrite) must stay valid DNS names. */
function rewriteFindings(stack: LoadedStack, units: readonly LoadedUnit[]): Finding[] {
  const rewrite = stack.settings.dnsRewrite ?? {};
  const { sites, mail } = stack.settings.dnsSuffixes;
  const at = [...SETTINGS_PATH, "dnsRewrite"];
  const out: Finding[] = [];
  for (const [from, to] of Object.entries(rewrite)) {
    if (to === from)
      out.push(
        finding(
          stack.file,
          [...at, from],
          `"${from}" is renamed to itself`,
          "give the suffix this stack serves instead, e.g. staging.lodz.pl",
        ),
      );
    if (![...sites, ...mail].some((s) => from === s || from.endsWith(`.${s}`)))
      out.push(
        finding(
          stack.file,
          [...at, from],
          `"${from}" is under none of dnsSuffixes (${[...new Set([...sites, ...mail])].join(", ")}): no unit's name can end in it`,
          "use one of the stack's dnsSuffixes as the key",
          true,
        ),
      );
  }
  if (Object.keys(rewrite).length === 0) return out;
  for (const u of units) {
    const names: Array<[string, (string | number)[]]> = [
      ...(u.unit.services.mail
        ? [[u.unit.services.mail.domain, ["services", "mail", "domain"]] as [string, (string | number)[]]]
        : []),
      ...(u.unit.services.web?.sites ?? []).map(
        (s, i) => [s.hostname, ["services", "web", "sites", i, "hostname"]] as [string, (string | number)[]],
      ),
    ];
    for (const [name, path] of names) {
      const served = stackDnsName(name, stack.settings);
      if (served.length > 253)
        out.push(
          finding(
            u.file,
            path,
            `"${name}" becomes "${served}" on stack ${stack.name} (dnsRewrite), ${served.length} characters, over 253`,
            "shorten the name, or the stack's dnsRewrite target",
          ),
        );
    }
  }
  return out;
}
