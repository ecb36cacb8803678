import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { formatDiagnostic } from "../2-manifest/diagnostics";
import { type Ledger, ledgerPath, readLedger } from "../2-manifest/ledger";
import { loadStack, UnknownStackError } from "../2-manifest/stack";
import { type LoadedProject, loadProject } from "../3-rules/project";
import type { YamlSource } from "../2-manifest/yaml-source";

/** Raised when the base cannot be read: a bad ref, no git, or manifests that do not validate there. */
export class BaseError extends Error {
  override name = "BaseError";
}

export interface BaseProject {
  /** The ref as given, and the commit it names. */
  ref: string;
  commit: string;
  /** The validated project at that commit; undefined when the stack did not exist there (everything is new). */
  project?: Required<Pick<LoadedProject, "stack">> & LoadedProject;
  /** The stack's ledger at that commit (empty when it had none): what the change's ledger is compared with. */
  ledger?: Pick<Ledger, "units">;
}

/**
 * Loads the stack file and the manifests as they were at git `ref`, without touching the working tree
 * or the index: `git ls-tree` lists the blobs and one `git cat-file --batch` reads them all into a
 * temporary directory, which is loaded like a checkout and then removed. Four git processes, whatever
 * the number of units.
 */
export function loadBaseProject(root: string, stack: string, ref: string): BaseProject {
  if (!ref || ref.startsWith("-"))
    throw new BaseError(`bad git ref "${ref}": give a branch, tag or commit, e.g. --base origin/main`);
  const inside = git(root, ["rev-parse", "--is-inside-work-tree"]);
  if (inside.status !== 0)
    throw new BaseError(
      `--base needs a git checkout, and ${root} is not inside one (${firstLine(inside.stderr)})`,
    );
  const rev = git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (rev.status !== 0)
    throw new BaseError(
      `unknown git ref "${ref}": no such branch, tag or commit here (fetch it first, e.g. git fetch origin main; in CI check out with fetch-depth: 0)`,
    );
  const commit = rev.stdout.toString().trim();
  const tmp = mkdtempSync(join(tmpdir(), "muni-base-"));
  try {
    // The whole stacks/ folder: the stack file and what sits beside it (the lifecycle ledger).
    if (materialize(root, commit, ["stacks"], tmp) === 0) return { ref, commit };
    const rename = (text: string) => text.split(`${tmp}${sep}`).join(`${ref}:`);
    let loadedStack: ReturnType<typeof loadStack>;
    try {
      loadedStack = loadStack(tmp, stack);
    } catch (e) {
      if (e instanceof UnknownStackError) return { ref, commit };
      throw e;
    }
    if (!loadedStack.stack)
      throw invalid(
        ref,
        loadedStack.diagnostics.map((d) => rename(formatDiagnostic(d))),
      );
    materialize(root, commit, loadedStack.stack.settings.units.directories, tmp);
    const project = loadProject(tmp, stack);
    if (!project.stack || project.diagnostics.length)
      throw invalid(
        ref,
        project.diagnostics.map((d) => rename(formatDiagnostic(d))),
      );
    const renamed = project.units.map((u) => ({
      ...u,
      file: rename(u.file),
      source: renamedSource(u.source, rename),
    }));
    const { ledger } = readLedger(ledgerPath(project.stack.file, stack));
    return {
      ref,
      commit,
      project: { ...project, stack: { ...project.stack, file: rename(project.stack.file) }, units: renamed },
      ...(ledger ? { ledger: { units: ledger.units } } : {}),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function invalid(ref: string, lines: string[]): BaseError {
  const shown = lines.slice(0, 20);
  const more = lines.length > shown.length ? `\n... and ${lines.length - shown.length} more` : "";
  return new BaseError(
    `the manifests at base ${ref} do not validate, so there is nothing sound to compare against:\n${shown.join("\n")}${more}`,
  );
}

/** Writes the blobs under `paths` at `commit` into `dest`; returns how many. */
function materialize(root: string, commit: string, paths: readonly string[], dest: string): number {
  const ls = git(root, ["ls-tree", "-r", "-z", commit, "--", ...paths]);
  if (ls.status !== 0)
    throw new BaseError(`cannot list ${paths.join(", ")} at ${commit}: ${firstLine(ls.stderr)}`);
  const entries: Array<{ sha: string; path: string }> = [];
  for (const rec of ls.stdout.toString("utf8").split("\0")) {
    const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(rec);
    if (!m || m[1] === "120000") continue; // trees are recursed; symlinks and submodules are not manifests
    const target = resolve(dest, m[3]!);
    if (relative(dest, target).startsWith(".."))
      throw new BaseError(`${m[3]} lies outside the project: stack directories must be inside it`);
    entries.push({ sha: m[2]!, path: target });
  }
  if (entries.length === 0) return 0;
  const cat = git(root, ["cat-file", "--batch"], `${entries.map((e) => e.sha).join("\n")}\n`);
  if (cat.status !== 0)
    throw new BaseError(`cannot read the manifests at ${commit}: ${firstLine(cat.stderr)}`);
  const out = cat.stdout;
  let pos = 0;
  for (const e of entries) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString("utf8");
    const size = Number(/^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1] ?? Number.NaN);
    if (!Number.isFinite(size))
      throw new BaseError(`cannot read ${e.path} at ${commit}: git said "${header}"`);
    mkdirSync(dirname(e.path), { recursive: true });
    writeFileSync(e.path, out.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return entries.length;
}

function git(cwd: string, args: string[], input?: string) {
  const r = spawnSync("git", args, {
    cwd,
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
  });
  if (r.error) throw new BaseError(`cannot run git (${r.error.message}): install git to use --base`);
  return r;
}

function firstLine(b: Buffer | string | null): string {
  return (b ?? "").toString().trim().split("\n")[0] ?? "";
}

/** The manifest's source, its diagnostics naming the file at the ref (`HEAD:units/x.yaml`), not the temporary copy. */
function renamedSource(source: YamlSource, rename: (s: string) => string): YamlSource {
  const renamed = Object.create(source) as YamlSource;
  Object.defineProperty(renamed, "file", { value: rename(source.file) });
  renamed.diagnostic = (...args: Parameters<YamlSource["diagnostic"]>) => {
    const d = source.diagnostic(...args);
    return { ...d, file: rename(d.file) };
  };
  return renamed;
}
