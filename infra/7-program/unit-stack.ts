import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type DataHistory,
  EMPTY_HISTORY,
  notProvisionedReason,
  type StackSettings,
  todayOf,
  unitForStack,
  unitStackName,
} from "../1-model";
import { type Diagnostic, sortDiagnostics } from "../2-manifest/diagnostics";
import { ledgerPath } from "../2-manifest/ledger";
import { readLedgerPart } from "../2-manifest/ledger-entry";
import { displayPath, type LoadedStack, SETTINGS_PATH } from "../2-manifest/stack";
import { type LoadedUnit, loadUnitFile } from "../2-manifest/units";
import { type Finding, finding, locateFindings, locator } from "../3-rules/finding";
import {
  checkRetirements,
  checkTransitions,
  massRemovalAllowedByEnv,
  previousFromLedger,
} from "../3-rules/lifecycle";
import { sourcesOf } from "../3-rules/sources";
import { selection } from "../3-rules/project";
import { checkStackQuantities, checkUnitQuantities } from "../3-rules/quantities";
import { runStackChecks } from "../3-rules/stack";
import { checkUnit } from "../3-rules/unit";
import { bipRegistry } from "../4-builders/web/bip-registry";
import { retainedData } from "../4-builders/retention";
import { Unit } from "../5-components/unit";
import { clusterProvider, loadCity, refuse, type StackOutputs } from "./common";

/** A unit stack's loaded input: the city's settings and the one unit, or every problem found. */
export interface LoadedUnitStack {
  stack?: LoadedStack;
  /** The unit's manifest, when it was found and passed the schema. */
  unit?: LoadedUnit;
  /** The unit's data as its ledger entry records it (retired VMs and sites, mailbox incarnations). */
  history?: DataHistory;
  diagnostics: Diagnostic[];
}

/**
 * Loads what stack `<city>.<unitId>` needs, and nothing of the other units: the city's settings, the unit's
 * own manifest (`<directory>/<unitId>.yaml` in the settings' units.directories) with the schema, the rules
 * within a manifest and the stack rules applied to this unit, and the unit's ledger entry with the lifecycle
 * guards. Its cost does not depend on the city's size. What needs every manifest (unique names and hostnames,
 * ownership, the sum of quotas against capacity, the mass-removal guard) is checked by `muni validate --stack`
 * and `muni plan` over all manifests, in CI on every pull request, and by `muni preview`/`muni up` before
 * they run any stack.
 */
export function loadUnitStack(root: string, city: string, unitId: string): LoadedUnitStack {
  const { stack, diagnostics } = loadCity(root, city);
  if (!stack) return { diagnostics };
  const own = unitStackName(city, unitId);
  const { settings } = stack;
  const files = manifestCandidates(root, settings, unitId);
  const findings: Finding[] = [];
  let unit: LoadedUnit | undefined;
  if (files.length > 1)
    findings.push(
      finding(
        stack.file,
        [...SETTINGS_PATH, "units", "directories"],
        `unit "${unitId}" has ${files.length} manifests: ${files.join(", ")}`,
        "keep one manifest per unit id",
      ),
    );
  else if (files.length === 1) {
    const r = loadUnitFile(files[0]!);
    diagnostics.push(...r.diagnostics);
    unit = r.unit;
  }
  const chosen = unit !== undefined ? selection(settings, unit.unit) : undefined;
  const taken = chosen?.taken === true;
  // As loadProject: a quantity beyond what muni counts exactly stops the rules that do arithmetic on it.
  const oversized = [...checkStackQuantities(stack), ...(unit ? checkUnitQuantities(unit) : [])];
  findings.push(...oversized);
  if (unit && !oversized.length) {
    findings.push(...checkUnit(unit));
    findings.push(...runStackChecks({ stack, units: [unit], locate: locator(sourcesOf(stack, [unit])) }));
  }
  const { ledger, diagnostics: ledgerProblems } = readLedgerPart(ledgerPath(stack.file, city), {
    unit: unitId,
  });
  diagnostics.push(...ledgerProblems);
  const entry = ledger?.units[unitId];
  if (!files.length && !entry?.provisioned)
    findings.push(
      finding(
        stack.file,
        [...SETTINGS_PATH, "units", "directories"],
        `stack ${own}: no manifest ${unitId}.yaml in ${settings.units.directories.join(", ")}`,
        `add the unit's manifest, or remove the Pulumi stack ${own}`,
      ),
    );
  if (unit && !taken && !entry?.provisioned)
    findings.push(
      finding(
        stack.file,
        [...SETTINGS_PATH, "units"],
        `stack ${city} does not take unit "${unitId}" (${chosen!.reason}), so there is no Pulumi stack ${own}`,
        `add "${unitId}" to units.ids (or give it a wave of units.waves or the labels units.labels asks for), or remove the Pulumi stack ${own}`,
      ),
    );
  if (entry?.stack !== undefined && entry.stack !== own && ledger?.source) {
    const at = ledger.source.locate(["units", unitId, "stack"]);
    findings.push({
      file: ledger.file,
      path: ["units", unitId, "stack"],
      at,
      message: `unit "${unitId}"'s resources are still in Pulumi stack ${entry.stack}: stack ${own} would create them a second time`,
      hint: `move them first: npx muni migrate --stack ${city} --run (docs/operator.md, "Moving a live city")`,
    });
  }
  diagnostics.push(...locateFindings(findings, sourcesOf(stack, unit ? [unit] : [])));
  // The lifecycle guards against the ledger entry, once the rest is valid (as withLedgerGuards does).
  if (!diagnostics.length && ledger) {
    const guards = checkTransitions(previousFromLedger(ledger), taken ? [unit!] : [], settings, {
      today: todayOf(settings),
      allowMassRemoval: massRemovalAllowedByEnv(),
      previousSource: `ledger ${ledger.file}`,
      stack,
    });
    // On the unit as the stack serves it: the ledger records the stack's own host names and addresses.
    const servedUnit = unit && taken ? [{ ...unit, unit: unitForStack(unit.unit, settings) }] : [];
    guards.push(
      ...checkRetirements(ledger.units, servedUnit, settings, {
        previousSource: `ledger ${ledger.file}`,
        stack,
      }),
    );
    diagnostics.push(...locateFindings(guards, sourcesOf(stack, unit ? [unit] : [])));
  }
  // The unit as this stack serves it (a staging stack renames its hosts and mail domain: dnsRewrite).
  const served = unit ? { unit: { ...unit, unit: unitForStack(unit.unit, settings) } } : {};
  return {
    stack,
    ...served,
    ...(entry?.data ? { history: entry.data } : {}),
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** The manifests named after the unit in the settings' directories (the file name is the unit id). */
function manifestCandidates(root: string, settings: StackSettings, unitId: string): string[] {
  return settings.units.directories.flatMap((d) =>
    [".yaml", ".yml"]
      .map((ext) => join(root, d, `${unitId}${ext}`))
      .filter((f) => existsSync(f))
      .map(displayPath),
  );
}

/** The outputs of a unit stack: those of the city-wide stack, for this one unit, and its id. */
export interface UnitStackOutputs extends StackOutputs {
  /** The unit this stack provisions. */
  unit: string;
}

/**
 * The Pulumi program of stack `<city>.<unitId>`: exactly this unit's objects (its `Unit` component, named
 * by the unit id, with children `<id>-<key>`: the URNs of the city-wide stack, so `pulumi state move` keeps
 * them), through one explicit Kubernetes provider. Registers nothing when anything is invalid. The platform
 * namespaces its tenant objects live in are the platform stack's, which runs first (a prerequisite).
 */
export function defineUnitStack(args: { root: string; city: string; unit: string }): UnitStackOutputs {
  const loaded = loadUnitStack(args.root, args.city, args.unit);
  if (!loaded.stack || loaded.diagnostics.length)
    refuse(unitStackName(args.city, args.unit), loaded.diagnostics);
  const { settings } = loaded.stack!;
  const unit = loaded.unit!.unit;
  const history = loaded.history ?? EMPTY_HISTORY;
  const reason = notProvisionedReason(unit, settings);
  const namespaces: StackOutputs["namespaces"] = {};
  const mailDns: StackOutputs["mailDns"] = {};
  if (reason === undefined) {
    const component = new Unit(
      unit.id,
      { unit, settings, history },
      { providers: [clusterProvider(settings)] },
    );
    namespaces[unit.id] = component.namespace;
    if (unit.services.mail) mailDns[unit.id] = component.mailDns;
  }
  return {
    unit: unit.id,
    namespaces,
    notProvisioned: reason === undefined ? {} : { [unit.id]: reason },
    retainedData: retainedData(unit, settings, history),
    bipRegistry: reason === undefined ? bipRegistry([unit]) : [],
    mailDns,
  };
}
