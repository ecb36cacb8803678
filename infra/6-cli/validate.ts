import { readdirSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { withLedgerGuards } from "../3-rules/lifecycle/ledger-guards";
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from "../2-manifest/diagnostics";
import { findProjectRoot } from "../2-manifest/project-root";
import { displayPath, listStacks } from "../2-manifest/stack";
import { cachedUnitSets, type LoadedProject } from "../3-rules/project";
import { loadStackProject, projectRootOf } from "./project";
import { type CliIO, EXIT, paint, printDiagnostics, UsageError } from "./io";

export interface ValidateOptions {
  format: "text" | "json";
  /** Check only against this stack (its settings and ledger), as `pulumi up` would; no PATHs then. */
  stack?: string;
  /** Project root (the folder with Pulumi.yaml); default: found from the working directory up. */
  root?: string;
}

/** What one run checked and found. */
export interface ValidateResult {
  /** Every manifest read. */
  files: string[];
  /** Ids of the manifests that passed the schema. */
  units: string[];
  /** Each stack the manifests were checked against, with the units (of those manifests) it takes. */
  stacks: Array<{ stack: string; units: string[] }>;
  /** Valid manifests that stacks read but none takes: never deployed. */
  untaken: Array<{ unit: string; file: string; reasons: Array<{ stack: string; reason: string }> }>;
  diagnostics: Diagnostic[];
}

/**
 * `muni validate [PATH...]`: the manifests (default: every stack's directories), each checked on its own,
 * against the others, and against every stack that takes it, as `pulumi up` would check it there
 * (DNS suffixes, quotas, capacity, mail, print, lifecycle and ledger). With PATHs, only those manifests;
 * stacks that read none of them are skipped. `--stack S`: the units stack S takes, against S alone.
 */
export function runValidate(io: CliIO, paths: string[], opts: ValidateOptions): number {
  const result = opts.stack ? validateStack(opts.stack, paths, opts.root) : validateAll(paths, opts.root);
  const valid = result.diagnostics.length === 0;
  if (opts.format === "json") {
    io.out(JSON.stringify({ valid, ...result }, null, 2));
    return valid ? EXIT.ok : EXIT.invalid;
  }
  // Manifests outside every stack's directories (fixtures, drafts) are checked on their own, silently so.
  const checked = checkedText(result.stacks);
  if (valid) {
    const n = result.files.length;
    io.out(
      paint(io, "green", `${n} manifest${n === 1 ? "" : "s"} valid: ${result.units.join(", ") || "(none)"}`),
    );
    if (checked) io.out(checked);
  } else {
    printDiagnostics(io, result.diagnostics);
    const files = new Set(result.diagnostics.map((d) => d.file)).size;
    const n = result.diagnostics.length;
    io.err(
      paint(
        io,
        "red",
        `${n} problem${n === 1 ? "" : "s"} in ${files} of ${result.files.length} file${result.files.length === 1 ? "" : "s"}${checked ? `; ${checked}` : ""}`,
      ),
    );
  }
  for (const u of result.untaken)
    io.err(
      paint(
        io,
        "yellow",
        `warning: ${u.file}: unit ${u.unit} is taken by no stack, so it is never deployed (${u.reasons.map((r) => `${r.stack}: ${r.reason}`).join("; ")}): give it a wave a stack takes (units.waves), or add it to a stack's units.ids`,
      ),
    );
  return valid ? EXIT.ok : EXIT.invalid;
}

/** `checked against stack lodz-prod (3 units: css, mpu, zzm), lodz-staging (...)`; empty when no stack reads them. */
function checkedText(stacks: ValidateResult["stacks"]): string {
  if (stacks.length === 0) return "";
  const ids = (us: string[]) => (us.length > 10 ? `${us.slice(0, 10).join(", ")}, …` : us.join(", "));
  const one = (s: ValidateResult["stacks"][number]) =>
    `${s.stack} (${s.units.length} unit${s.units.length === 1 ? "" : "s"}${s.units.length ? `: ${ids(s.units)}` : ""})`;
  return `checked against stack${stacks.length === 1 ? "" : "s"} ${stacks.map(one).join(", ")}`;
}

export function registerValidate(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command("validate")
    .description(
      "validate unit manifests against the schema, each other and every stack that takes them: each problem as file:line:col: field: message (hint)",
    )
    .argument("[path...]", "manifest files or directories (default: every stack's unit directories)", [])
    .addOption(formatOption())
    .option("--stack <stack>", "check against this stack only (its settings and ledger), as pulumi up would")
    .option("--root <dir>", "project root (the folder of Pulumi.yaml); default: found upwards")
    .action((paths: string[], opts: ValidateOptions) => done(runValidate(io, paths, opts)));
}

/**
 * The manifests (PATHs, or every stack's directories) against every stack that reads them. A PATH
 * outside any project is checked on its own (schema, within and across the given manifests).
 */
function validateAll(paths: string[], rootOption?: string): ValidateResult {
  for (const p of paths) checkPath(p);
  const root = paths.length
    ? rootOption
      ? projectRootOf(rootOption)
      : findProjectRoot(process.cwd())
    : projectRootOf(rootOption);
  const loadSet = cachedUnitSets();
  const given = paths.length ? loadSet(paths) : undefined;
  const givenFiles = new Set((given?.files ?? []).map((f) => resolve(f)));
  const diagnostics = new Map<string, Diagnostic>();
  const add = (ds: readonly Diagnostic[]) => ds.forEach((d) => diagnostics.set(formatDiagnostic(d), d));
  if (given) add(given.diagnostics);
  const stacks: ValidateResult["stacks"] = [];
  const files = new Set<string>(given?.files ?? []);
  const ids = new Map<string, string>(); // file → id of every valid manifest considered
  const takers = new Map<string, Array<{ stack: string; taken: boolean; reason: string }>>();
  for (const name of root ? listStacks(root) : []) {
    const project = withLedgerGuards(loadStackProject(root!, name, loadSet));
    const mine = (f: string) => !given || givenFiles.has(resolve(f));
    if (given && !project.files.some(mine)) continue;
    const others = new Set(project.files.filter((f) => !mine(f)).map((f) => resolve(f)));
    add(project.diagnostics.filter((d) => !others.has(resolve(d.file))));
    for (const f of project.files) if (mine(f)) files.add(f);
    stacks.push({ stack: name, units: project.units.filter((u) => mine(u.file)).map((u) => u.unit.id) });
    for (const { file, taken, id, reason } of selections(project))
      if (mine(file)) {
        ids.set(file, id);
        takers.set(file, [...(takers.get(file) ?? []), { stack: name, taken, reason }]);
      }
  }
  if (!given && root && listStacks(root).length === 0) {
    const alone = loadSet([displayPath(join(root, "units"))]);
    add(alone.diagnostics);
    alone.files.forEach((f) => files.add(f));
    alone.units.forEach((u) => ids.set(u.file, u.unit.id));
  }
  given?.units.forEach((u) => ids.set(u.file, u.unit.id));
  const untaken = [...takers]
    .filter(([, ts]) => ts.every((t) => !t.taken))
    .map(([file, ts]) => ({
      unit: ids.get(file)!,
      file,
      reasons: ts.map(({ stack, reason }) => ({ stack, reason })),
    }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  return {
    files: [...files].sort(),
    units: [...new Set(ids.values())].sort(),
    stacks,
    untaken,
    diagnostics: sortDiagnostics([...diagnostics.values()]),
  };
}

/** Every valid manifest a loaded stack read: whether it takes it, and why (not). */
function selections(p: LoadedProject): Array<{ file: string; id: string; taken: boolean; reason: string }> {
  return [
    ...p.units.map((u) => ({ file: u.file, id: u.unit.id, taken: true, reason: "" })),
    ...p.notTaken.map((u) => ({ file: u.file, id: u.unit.id, taken: false, reason: u.reason })),
  ];
}

/** The same checks as the Pulumi program runs before registering anything (settings, units, ledger). */
function validateStack(stack: string, paths: string[], root?: string): ValidateResult {
  if (paths.length)
    throw new UsageError("give manifest paths or --stack, not both (a stack names its own unit directories)");
  const project = withLedgerGuards(loadStackProject(projectRootOf(root), stack));
  return {
    files: project.files,
    units: [...project.units.map((u) => u.unit.id), ...project.notTaken.map((u) => u.unit.id)].sort(),
    stacks: [{ stack, units: project.units.map((u) => u.unit.id) }],
    // Other stacks may take what this one does not: plain `muni validate` warns about units no stack takes.
    untaken: [],
    diagnostics: project.diagnostics,
  };
}

/** A PATH that is not there, or a directory without manifests, is a usage error (exit 2), not invalid input. */
function checkPath(p: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(p).isDirectory();
  } catch {
    throw new UsageError(
      `${p}: no such file or directory (give manifest files or directories of them; default: every stack's unit directories)`,
    );
  }
  if (isDir && !readdirSync(p).some((f) => extname(f) === ".yaml" || extname(f) === ".yml"))
    throw new UsageError(`${p}: directory holds no manifests (*.yaml, *.yml)`);
}

function formatOption() {
  return new Option("--format <format>", "output format").choices(["text", "json"]).default("text");
}
