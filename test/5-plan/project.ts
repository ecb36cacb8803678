/** Test projects for the plan: a temp copy of the repository's stacks and units, or generated units, in a git repo. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadProject } from "../../infra/3-rules/project";
import { join } from "node:path";
import { generatedUnit, tempDir } from "../helpers/manifests";

export const REPO_ROOT = join(__dirname, "..", "..");

/** A fresh project root holding Pulumi.yaml, the repository's stacks/ and units/. */
export function copyOfRepo(): string {
  const root = tempDir("muni-plan-");
  for (const f of ["Pulumi.yaml", "stacks", "units"])
    cpSync(join(REPO_ROOT, f), join(root, f), { recursive: true });
  return root;
}

/**
 * A project with `count` generated units (every service, every lifecycle state) and a stack `gen` taking
 * all of them with the settings of lodz-prod, every wave live; units that do not validate (as of MUNI_TODAY) are left out.
 */
export function generatedProject(count: number): string {
  const root = copyOfRepo();
  const units = join(root, "generated");
  mkdirSync(units);
  for (let i = 0; i < count; i++) {
    const { id, yaml } = generatedUnit(i);
    writeFileSync(join(units, `${id}.yaml`), yaml);
  }
  const prod = readFileSync(join(root, "stacks", "Pulumi.lodz-prod.yaml"), "utf8");
  writeFileSync(
    join(root, "stacks", "Pulumi.gen.yaml"),
    prod
      .replace("directories: [units]", "directories: [generated]")
      .replace(/\n\s*ids: \[[^\]]*\]/, "")
      .replace(/\n\s*waves:(\s*\[[^\]]*\]|(\n\s*- \d+)+)/, "")
      .replace(/liveWaves: \[[^\]]*\]/, "liveWaves: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]"),
  );
  // The generator may outgrow rules added since (capacity, approval dates): keep the units that validate.
  const bad = new Set(loadProject(root, "gen").diagnostics.map((d) => d.file));
  for (const f of bad) if (f.includes(`${join(root, "generated")}`)) rmSync(f);
  return root;
}

/** Makes `root` a git repository with everything committed; returns a runner for more git commands there. */
export function gitInit(root: string): (...args: string[]) => string {
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.invalid",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.invalid",
      },
    });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  return git;
}
