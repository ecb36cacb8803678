import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { notProvisionedReason, type Unit } from "../1-model";
import { type Diagnostic, fieldPath, type PathSegment, sortDiagnostics } from "../2-manifest/diagnostics";
import { displayPath, type LoadedStack } from "../2-manifest/stack";
import { type LoadedUnit, unitSchemaValidator } from "../2-manifest/units";
import { parseYaml } from "../2-manifest/yaml-source";
import { checkUnit, crossCheck, locateFindings, locator, sourcesOf } from "../3-rules";
import { selection, stackDirectories, takeUnits, type UnitSetLoader } from "../3-rules/project";
import { parsePropertyPath, valueAt } from "../5-report/property-path";
import { type Draft, manifestText } from "./scaffold";

/** Valid placeholders for the fields not answered yet, so the schema and rules can run on a partial draft. */
const PLACEHOLDER = {
  id: "new-unit",
  name: "Nowa jednostka",
  shortName: "NOWA",
  address: { street: "ul. Piotrkowska 1", postalCode: "90-001", city: "Łódź" },
  costCentre: "MPK-NOWA",
  roles: { localAdministrators: [], operationsLeads: [] },
  lifecycle: { state: "planned", wave: 1 },
};

/**
 * Placeholders for what a service's later questions ask, once its first answer created it: chosen so they
 * raise no problem of their own (the most mailboxes the schema allows, an empty quota).
 */
const SERVICE_PLACEHOLDER: Record<string, Record<string, unknown>> = {
  mail: { mailboxLimit: 10000 },
  servers: { quota: { cpu: "0", memory: "0", storage: "0" } },
};

/**
 * The draft with every required field not answered yet filled with a valid placeholder, so the schema
 * passes and every rule runs on what is answered (a mail domain another unit holds is found when the
 * domain is given, not when the next question is).
 */
function completed(d: Draft): Draft {
  const nested = (k: keyof typeof PLACEHOLDER) => ({
    ...(PLACEHOLDER[k] as object),
    ...((d[k] as object) ?? {}),
  });
  const services = { ...((d.services as Record<string, Record<string, unknown>> | undefined) ?? {}) };
  for (const [name, fill] of Object.entries(SERVICE_PLACEHOLDER)) {
    const s = services[name];
    if (!s) continue;
    const quota = fill.quota ? { quota: { ...(fill.quota as object), ...((s.quota as object) ?? {}) } } : {};
    services[name] = { ...fill, ...s, ...quota };
  }
  return {
    ...PLACEHOLDER,
    ...d,
    address: nested("address"),
    roles: nested("roles"),
    lifecycle: nested("lifecycle"),
    ...(d.services ? { services } : {}),
  };
}

/** What a stack does with the new unit: takes it (and provisions it, or why not), or why it does not. */
export interface StackVerdict {
  stack: string;
  taken: boolean;
  /** The rule that took it, or the rules it missed. */
  reason: string;
  /** Why a taken unit provisions nothing; undefined when provisioned (or not taken). */
  notProvisioned?: string;
}

/**
 * Checks a draft manifest exactly as the loader and `pulumi up` would once it is written to `dir`: the
 * schema, the rules within it, across it and the manifests beside it, and every rule of each stack that
 * reads `dir` and takes it. The manifests of the project are read once.
 */
export class UnitChecker {
  private readonly existing: LoadedUnit[];
  private readonly stacks: Array<{ stack: LoadedStack; units: LoadedUnit[] }>;

  constructor(
    root: string,
    private readonly dir: string,
    stacks: readonly LoadedStack[],
    loadSet: UnitSetLoader,
  ) {
    this.existing = existsSync(dir) ? loadSet([dir]).units : [];
    const here = resolve(dir);
    this.stacks = stacks
      .filter((s) => stackDirectories(root, s).some((d) => resolve(d) === here))
      .map((stack) => ({ stack, units: loadSet(stackDirectories(root, stack)).units }));
  }

  /** The file the draft is written to, `<dir>/<id>.yaml`, as the loader names it. */
  fileOf(d: Draft): string {
    return displayPath(join(this.dir, `${typeof d.id === "string" && d.id ? d.id : PLACEHOLDER.id}.yaml`));
  }

  /** Every problem of the draft (unanswered fields taken as valid placeholders), located in its file to be. */
  problems(d: Draft): Diagnostic[] {
    const file = this.fileOf(d);
    const parsed = parseYaml(file, new TextEncoder().encode(manifestText(completed(d))));
    if (!parsed.ok) return parsed.diagnostics;
    const { value, diagnostics } = unitSchemaValidator().validate(parsed.source, parsed.value);
    if (!value) return diagnostics;
    const mine: LoadedUnit = { file, source: parsed.source, unit: value };
    const others = this.existing.filter((u) => resolve(u.file) !== resolve(file));
    const all = [...others, mine];
    const sources = sourcesOf(undefined, all);
    const unitLevel = locateFindings(
      [...checkUnit(mine), ...crossCheck(all, locator(sources)).filter((f) => f.file === file)],
      sources,
    );
    const stackLevel = this.stacks.flatMap(({ stack, units }) =>
      takeUnits(stack, [...units.filter((u) => resolve(u.file) !== resolve(file)), mine]).diagnostics.filter(
        (x) => x.file === file || x.file === stack.file,
      ),
    );
    return dedupe([...unitLevel, ...stackLevel]);
  }

  /**
   * The problems an answer brings: those at the answer's path, and any other the draft did not have
   * before it (a VM over the quota, a quota over the central capacity), except a parent's complaint
   * that a field is still missing (the next questions ask for it).
   */
  problemsOf(
    after: Draft,
    before: { draft: Draft; problems: readonly Diagnostic[] },
    path: readonly PathSegment[],
  ): Diagnostic[] {
    const file = this.fileOf(after);
    const unitFiles = [file, this.fileOf(before.draft)];
    const had = new Set(before.problems.map((d) => key(d, unitFiles)));
    const at = fieldPath(path);
    const under = (f: string) => at === "" || f === at || f.startsWith(`${at}.`) || f.startsWith(`${at}[`);
    const ancestor = (f: string) => f === "" || at.startsWith(`${f}.`) || at.startsWith(`${f}[`);
    // A field no answer has set yet (a sibling the next questions ask for) is not this answer's problem.
    const unanswered = (f: string) => {
      const segments = parsePropertyPath(f);
      return segments !== undefined && !valueAt(after, segments).found;
    };
    return this.problems(after).filter((d) =>
      d.file === file && under(d.field)
        ? true
        : !had.has(key(d, unitFiles)) && !(d.file === file && (ancestor(d.field) || unanswered(d.field))),
    );
  }

  /** What each stack reading the unit's directory does with the unit. */
  verdicts(unit: Unit): StackVerdict[] {
    return this.stacks.map(({ stack }) => {
      const s = selection(stack.settings, unit);
      const why = s.taken ? notProvisionedReason(unit, stack.settings) : undefined;
      return { stack: stack.name, taken: s.taken, reason: s.reason, ...(why ? { notProvisioned: why } : {}) };
    });
  }

  /** The stacks that read the unit's directory. */
  stackNames(): string[] {
    return this.stacks.map((s) => s.stack.name);
  }
}

/** A problem's identity across drafts: the unit's file (its name and positions move as it is answered) left out. */
function key(d: Diagnostic, unitFiles: readonly string[]): string {
  let msg = d.message;
  for (const f of unitFiles) msg = msg.split(f).join("<unit>");
  msg = msg.replace(/<unit>:\d+:\d+/g, "<unit>");
  return `${unitFiles.includes(d.file) ? "<unit>" : d.file}|${d.field}|${msg}|${d.hint ?? ""}`;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, Diagnostic>();
  for (const d of ds) seen.set(`${d.file}:${d.line}:${d.col}|${d.field}|${d.message}`, d);
  return sortDiagnostics([...seen.values()]);
}
