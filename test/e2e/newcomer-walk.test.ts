/**
 * The newcomer's walk of issue 16, end to end, in a scratch clone: onboard MOPS with the commands the
 * README's "Onboarding a unit" gives (read from README.md itself), let CI run what
 * .github/workflows/pr.yml runs (its `muni` lines, read from the workflow, each stack of its matrix, plus
 * the ledger check), merge, and find MOPS in lodz-prod's plan and ledger. Git is real: a bare repository
 * stands in for GitHub. `npx muni` is run as `muni`, the command npm ci links (node_modules/.bin of this
 * checkout on PATH, as the README's Quick start sets it): the clone gets no npm ci of its own.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ensureBuilt, REPO } from "../helpers/built";
import { tempDir } from "../helpers/manifests";

const ENV = {
  ...process.env,
  PATH: `${join(REPO, "node_modules", ".bin")}:${process.env.PATH}`,
  NO_COLOR: "1",
  GIT_AUTHOR_NAME: "Newcomer",
  GIT_AUTHOR_EMAIL: "newcomer@example.invalid",
  GIT_COMMITTER_NAME: "Newcomer",
  GIT_COMMITTER_EMAIL: "newcomer@example.invalid",
};

/** One shell command in `cwd`: its exit status and output. */
function sh(cwd: string, command: string): { status: number | null; out: string; err: string } {
  const r = spawnSync("sh", ["-c", command], { cwd, env: ENV, encoding: "utf8" });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** The README's onboarding commands: the sh block between the onboarding-walk markers, continuation lines joined. */
function readmeWalk(): string[] {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const block = /<!-- onboarding-walk[^>]*-->\s*```sh\n([\s\S]*?)```\s*<!-- \/onboarding-walk -->/.exec(
    readme,
  );
  if (!block) throw new Error("README.md has no onboarding-walk block");
  return block[1]!
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter(Boolean);
}

/** The `muni` commands pr.yml runs (validate, plan, ledger), for one stack of its matrix against `base`. */
function workflowCommands(stack: string, base: string): string[] {
  const text = readFileSync(join(REPO, ".github", "workflows", "pr.yml"), "utf8");
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^npx muni (validate|plan|ledger)\b/.test(l))
    .map((l) =>
      l
        .replace(/^npx muni/, "muni")
        .replace(/\$\{\{\s*matrix\.stack\s*\}\}/g, stack)
        .replace(/\$\{\{\s*github\.base_ref\s*\}\}/g, base),
    );
}

beforeAll(() => ensureBuilt());

/** The scratch directories (bare origin, clones), removed after the walk. */
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));
const scratchDir = () => {
  const d = tempDir(`muni-walk-${process.pid}-`);
  scratch.push(d);
  return d;
};

describe("the newcomer's walk: from muni new-unit to lodz-prod, with only the README", () => {
  it("GIVEN a scratch clone WHEN MOPS is onboarded as the README says, CI runs its checks and the PR is merged THEN lodz-prod's plan and ledger hold MOPS", () => {
    // GIVEN: "GitHub" (a bare repository whose main is this checkout's commit) and the newcomer's clone
    const dir = scratchDir();
    const origin = join(dir, "origin.git");
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO, encoding: "utf8" }).trim();
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", origin]);
    execFileSync("git", ["push", "-q", origin, `${head}:refs/heads/main`], { cwd: REPO });
    expect(sh(dir, `git clone -q ${origin} work`).status).toBe(0);
    const work = join(dir, "work");

    // WHEN: the README's commands, one by one
    const walk = readmeWalk();
    expect(walk[1]).toMatch(/^muni new-unit /);
    for (const command of walk) {
      const r = sh(work, command);
      expect([command, r.status, r.status === 0 ? "" : r.err]).toStrictEqual([command, 0, ""]);
      if (command.startsWith("muni new-unit"))
        expect(r.out).toContain(
          "  lodz-prod takes mops (its wave 1 is in units.waves [1]) and provisions it once the change is deployed",
        );
      if (command === "muni validate")
        expect(r.out).toContain(
          "checked against stacks lodz-prod (4 units: css, mops, mpu, zzm), lodz-staging (4 units: css, mops, mpu, zzm)",
        );
    }

    // THEN CI, in its own checkout of the pushed branch: validate, each stack's plan against main, the ledger check
    expect(sh(dir, `git clone -q --branch unit/mops ${origin} ci`).status).toBe(0);
    const ci = join(dir, "ci");
    const plans: Record<string, string> = {};
    for (const stack of ["lodz-prod", "lodz-staging"]) {
      for (const command of workflowCommands(stack, "main")) {
        const r = sh(ci, command);
        expect([stack, command, r.status, r.err]).toStrictEqual([stack, command, 0, ""]);
        if (command.startsWith("muni plan")) plans[stack] = readFileSync(join(ci, "plan.md"), "utf8");
      }
    }
    for (const [stack, md] of Object.entries(plans)) {
      expect([stack, /^\| `mops` \| added, new \| \d+ \| 0 \| 0 \|$/m.test(md)]).toStrictEqual([stack, true]);
      expect([stack, md.includes("Recorded in this pull request.")]).toStrictEqual([stack, true]);
    }
    expect(plans["lodz-prod"]).toContain("Ingress unit-mops/bip-mops-lodz-pl");
    expect(plans["lodz-staging"]).toContain("Ingress stg-mops/bip-mops-staging-lodz-pl");

    // AND the PR is merged
    for (const command of [
      "git switch -q main",
      "git merge -q --no-ff -m 'Merge unit/mops' unit/mops",
      "git push -q origin main",
    ])
      expect([command, sh(work, command).status]).toStrictEqual([command, 0]);

    // THEN on main, lodz-prod's plan provisions MOPS, and its ledger records it
    const prod = sh(work, "muni plan --stack lodz-prod --format json");
    expect(prod.status).toBe(0);
    const mops = (JSON.parse(prod.out) as { units: Array<Record<string, unknown>> }).units.find(
      (u) => u.id === "mops",
    );
    expect([mops?.state, mops?.wave, mops?.provisioned, mops?.hostnames, mops?.mailDomains]).toStrictEqual([
      "active",
      1,
      true,
      ["bip.mops.lodz.pl"],
      ["mops.lodz.pl"],
    ]);
    const ledger = parse(readFileSync(join(work, "stacks", "lodz-prod.units.yaml"), "utf8")) as {
      units: Record<string, unknown>;
    };
    expect(ledger.units.mops).toStrictEqual({
      state: "active",
      wave: 1,
      provisioned: true,
      file: "units/mops.yaml",
      // What holds MOPS's data from now on: removing any of it is a retirement (docs/lifecycle.md).
      data: {
        namespaces: ["unit-mops"],
        sites: { "bip.mops.lodz.pl": { kind: "bip", storage: "1Gi" } },
        mailboxes: { "sekretariat@mops.lodz.pl": 1, "postmaster@mops.lodz.pl": 1 },
      },
    });
    expect(sh(work, "muni ledger --check").status).toBe(0);
    expect(sh(work, "git log origin/main --format=%s -1").out.trim()).toBe("Merge unit/mops");
  });

  it("GIVEN the same change without `muni ledger --write` WHEN CI checks the ledgers THEN it fails and prints the exact command", () => {
    const dir = scratchDir();
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO, encoding: "utf8" }).trim();
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", join(dir, "origin.git")]);
    execFileSync("git", ["push", "-q", join(dir, "origin.git"), `${head}:refs/heads/main`], { cwd: REPO });
    sh(dir, `git clone -q ${join(dir, "origin.git")} work`);
    const work = join(dir, "work");
    const newUnit = readmeWalk().find((c) => c.startsWith("muni new-unit"))!;
    expect(sh(work, newUnit).status).toBe(0);
    const check = sh(work, "muni ledger --check");
    expect([check.status, check.err.trim()]).toStrictEqual([
      1,
      "stacks/lodz-prod.units.yaml, stacks/lodz-staging.units.yaml are not up to date with the manifests: run npx muni ledger --write and commit them",
    ]);
  });
});
