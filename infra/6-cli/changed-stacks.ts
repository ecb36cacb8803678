import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { parse } from "yaml";
import { notProvisionedReason, PLATFORM_STACK_SUFFIX } from "../1-model";
import { ledgerPath, readLedger } from "../2-manifest/ledger";
import { listStacks } from "../2-manifest/stack";
import { loadProject } from "../3-rules/project";
import { UsageError } from "./io";

/** Files whose change may change every stack: the program, the schemas, the dependencies, the pinned CLI. */
const SHARED = [
  /^infra\//,
  /^schemas\//,
  /^scripts\//,
  /^bin\//,
  /^package(-lock)?\.json$/,
  /^Pulumi\.yaml$/,
  /^tsconfig[^/]*\.json$/,
  /^\.pulumi\.version$/,
];

/** One job of the pull-request workflow's preview matrix: a city and some of its stacks. */
export interface MatrixJob {
  /** The city: `muni preview --stack`. */
  city: string;
  /** `muni preview --units`: unit ids, `platform` for the platform's stack. */
  units: string;
  /** What the job's title shows. */
  name: string;
}

/** Most jobs of one matrix (GitHub allows 256); more stacks are batched into that many jobs. */
export const MAX_JOBS = 200;

/** The files changed between `ref` and HEAD (from their merge base, as a pull request shows them). */
export function changedFiles(root: string, ref: string): string[] {
  try {
    return execFileSync("git", ["diff", "--name-only", `${ref}...HEAD`], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
  } catch (e) {
    throw new UsageError(
      `--changed-since ${ref}: git cannot compare it with HEAD (${((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split("\n")[0]}); fetch the base branch (actions/checkout with fetch-depth: 0)`,
    );
  }
}

/** The ledger file as it was at `ref` (empty when it did not exist). */
function ledgerAt(root: string, ref: string, file: string): Record<string, unknown> {
  try {
    const text = execFileSync("git", ["show", `${ref}:${file}`], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return (parse(text) as Record<string, unknown> | null) ?? {};
  } catch {
    return {};
  }
}

/**
 * The Pulumi stacks a change touches, per city: every stack when the program or the city's settings changed;
 * a unit's stack when its manifest or its ledger entry changed (or its own Pulumi.<city>.<unit>.yaml); the
 * platform's when its ledger record or file changed. Only stacks with something to do count (as `muni preview`
 * selects them). Returns, per city, the unit ids (`platform` for the platform).
 */
export function changedStacks(
  root: string,
  ref: string | undefined,
  files: readonly string[] = ref === undefined ? [] : changedFiles(root, ref),
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // No ref: every stack (the nightly drift job).
  const shared = ref === undefined || files.some((f) => SHARED.some((re) => re.test(f)));
  for (const city of listStacks(root)) {
    const project = loadProject(root, city);
    if (!project.stack) continue;
    const settings = project.stack.settings;
    const ledgerFile = ledgerPath(project.stack.file, city);
    const ledger = readLedger(ledgerFile).ledger;
    const takes = new Set(project.units.map((u) => u.unit.id));
    const known = new Set([...takes, ...Object.keys(ledger?.units ?? {})]);
    const all = [PLATFORM_STACK_SUFFIX, ...[...known].sort()];
    const touched = new Set<string>();
    const relLedger = posix.join("stacks", `${city}.units.yaml`);
    if (shared) all.forEach((s) => touched.add(s));
    for (const f of files) {
      if (f === `stacks/Pulumi.${city}.yaml`) all.forEach((s) => touched.add(s));
      const own = new RegExp(`^stacks/Pulumi\\.${city.replace(/[.]/g, "\\.")}\\.([^.]+)\\.ya?ml$`).exec(f);
      if (own && (own[1] === PLATFORM_STACK_SUFFIX || known.has(own[1]!))) touched.add(own[1]!);
      const dir = settings.units.directories.find((d) => posix.dirname(f) === posix.normalize(d));
      const id = dir !== undefined ? /^([^/]+)\.ya?ml$/.exec(posix.basename(f))?.[1] : undefined;
      if (id && known.has(id)) touched.add(id);
      if (f === relLedger) {
        const before = ledgerAt(root, ref!, relLedger) as {
          units?: Record<string, unknown>;
          platform?: unknown;
        };
        // Compared as written (the parsed entries normalise a unit's data record, the file at ref is raw).
        const raw = (existsSync(ledgerFile) ? (parse(readFileSync(ledgerFile, "utf8")) ?? {}) : {}) as {
          units?: Record<string, unknown>;
          platform?: unknown;
        };
        const now = { units: raw.units ?? {}, platform: raw.platform };
        for (const u of new Set([...Object.keys(before.units ?? {}), ...Object.keys(now.units)]))
          if (JSON.stringify(before.units?.[u]) !== JSON.stringify(now.units[u]) && known.has(u))
            touched.add(u);
        if (JSON.stringify(before.platform) !== JSON.stringify(now.platform))
          touched.add(PLATFORM_STACK_SUFFIX);
      }
    }
    // A unit stack with nothing to do (never provisioned, not provisioned now) is not previewed.
    const idle = new Set(
      project.units
        .filter(
          (u) =>
            notProvisionedReason(u.unit, settings) !== undefined && !ledger?.units[u.unit.id]?.provisioned,
        )
        .map((u) => u.unit.id),
    );
    const list = all.filter((s) => touched.has(s) && !idle.has(s));
    if (list.length) out.set(city, list);
  }
  return out;
}

/** The matrix of `changed`: one job per stack, or batches when there are more than MAX_JOBS stacks. */
export function previewMatrix(changed: ReadonlyMap<string, readonly string[]>): { include: MatrixJob[] } {
  const total = [...changed.values()].reduce((n, l) => n + l.length, 0);
  const size = Math.max(1, Math.ceil(total / MAX_JOBS));
  const include: MatrixJob[] = [];
  for (const [city, units] of changed)
    for (let i = 0; i < units.length; i += size) {
      const batch = units.slice(i, i + size);
      include.push({
        city,
        units: batch.join(","),
        name:
          batch.length === 1
            ? `${city}.${batch[0]}`
            : `${city}: ${batch[0]} … ${batch.at(-1)} (${batch.length} stacks)`,
      });
    }
  return { include };
}
