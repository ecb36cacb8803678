import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { loadProject } from "../../infra/3-rules";
import { join } from "node:path";
import { parse } from "yaml";
import { credentialVariables, type PulumiSettings } from "../../infra/1-model";
import { listStacks, loadStack } from "../../infra/2-manifest/stack";
import { runCli } from "../helpers/manifests";

const ROOT = join(__dirname, "..", "..");
type Step = {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
};
type Job = {
  steps: Step[];
  needs?: string | string[];
  if?: string;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { matrix: { stack?: string[] } | string };
};
type Workflow = {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const workflow = (name: string) =>
  parse(readFileSync(join(ROOT, ".github", "workflows", name), "utf8")) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const runs = (j: Job) => j.steps.map((s) => s.run ?? "").join("\n");

/** Every `npx muni <command> [args]` the workflow runs, as argument lists (workflow expressions kept as words). */
function muniCalls(w: Workflow): string[][] {
  return steps(w)
    .flatMap((s) => (s.run ?? "").split("\n"))
    .flatMap((l) => [...l.matchAll(/npx muni ([^>|;)"]*)/g)].map((m) => m[1]!.trim()))
    .map((c) => c.split(/\s+/));
}

/** Jobs that run the Pulumi CLI (directly, or through muni preview / up / dns / migrate). */
const pulumiJobs = (w: Workflow) =>
  Object.entries(w.jobs).filter(([, j]) =>
    /(^|\s)pulumi |npx muni (preview --stack .* --units|up|migrate|dns)/m.test(runs(j)),
  );

describe.each(["pr.yml", "drift.yml", "deploy.yml"])("workflow %s", (name) => {
  const w = workflow(name);

  it("GIVEN the workflow THEN every muni command and option it runs exists in the CLI", async () => {
    const calls = muniCalls(w);
    expect(calls.length).toBeGreaterThan(0);
    for (const [command, ...args] of calls) {
      const help = await runCli([command!, "--help"]);
      expect({ command, code: help.code }).toStrictEqual({ command, code: 0 });
      for (const flag of args.filter((a) => a.startsWith("--")))
        expect({ command, flag, known: help.out.join("\n").includes(`${flag} `) }).toStrictEqual({
          command,
          flag,
          known: true,
        });
    }
  });

  it("THEN it runs on Node 24 and installs with npm ci", () => {
    const setup = steps(w).filter((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setup.length).toBeGreaterThan(0);
    for (const s of setup) expect(s.with?.["node-version"]).toBe(24);
    expect(steps(w).some((s) => s.run === "npm ci")).toBe(true);
  });

  it("THEN every job that runs Pulumi installs the CLI pinned in .pulumi.version (the one place), logs in to the city's own state store, and gets every credential the cities' settings need", () => {
    const jobs = pulumiJobs(w);
    // The deploy workflow hands the stacks to the operator and never runs Pulumi itself.
    if (name === "deploy.yml") expect(jobs).toStrictEqual([]);
    else expect(jobs.length).toBeGreaterThan(0);
    const needed = listStacks(ROOT).flatMap((city) =>
      credentialVariables(loadStack(ROOT, city).stack!.settings.pulumi as PulumiSettings),
    );
    for (const [id, j] of jobs) {
      const install = j.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
      expect({ id, with: install.map((s) => s.with) }).toStrictEqual({
        id,
        with: [{ "pulumi-version-file": ".pulumi.version" }],
      });
      expect(runs(j)).toContain(
        'pulumi login "$(npx muni preview --stack ${{ matrix.city }} --print-backend)"',
      );
      for (const v of [...new Set(needed)])
        expect({ id, v, env: j.env?.[v] }).toStrictEqual({ id, v, env: `\${{ secrets.${v} }}` });
    }
    // A self-managed backend: no Pulumi Cloud token, no version pinned anywhere else.
    const text = readFileSync(join(ROOT, ".github", "workflows", name), "utf8");
    expect(text).not.toContain("PULUMI_ACCESS_TOKEN");
    expect(text).not.toMatch(/pulumi-version:/);
    expect(readFileSync(join(ROOT, ".pulumi.version"), "utf8")).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe("the pull-request workflow", () => {
  const w = workflow("pr.yml");

  it("GIVEN a pull request THEN it tests, validates every city, and plans each against the PR base in Markdown, posted as a sticky comment", () => {
    expect(Object.keys(w.on)).toStrictEqual(["pull_request"]);
    const all = steps(w).map((s) => s.run ?? "");
    expect(all).toContain("npm test");
    expect(all.flatMap((r) => r.split("\n"))).toEqual(
      expect.arrayContaining([
        "npx muni validate",
        "npx muni validate --stack lodz-prod",
        "npx muni validate --stack lodz-staging",
      ]),
    );
    expect(all.join("\n")).toContain(
      "npx muni plan --stack ${{ matrix.stack }} --base origin/${{ github.base_ref }} --out plan-out/${{ matrix.stack }} --format markdown > plan.md",
    );
    expect((w.jobs.plan!.strategy!.matrix as { stack: string[] }).stack.sort()).toStrictEqual(
      listStacks(ROOT),
    );
    const checkout = w.jobs.plan!.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    expect(checkout.with).toStrictEqual({ "fetch-depth": 0 });
    const comment = steps(w).find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))!;
    expect(comment.with).toStrictEqual({ header: "muni-plan-${{ matrix.stack }}", path: "plan.md" });
    expect(w.permissions).toStrictEqual({ contents: "read", "pull-requests": "write" });
  });

  it("THEN only the stacks the change touches are previewed, as a matrix from muni preview --matrix against the base", () => {
    const changes = w.jobs.changes!;
    expect(changes.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with).toStrictEqual({
      "fetch-depth": 0,
    });
    expect(runs(changes)).toContain(
      "npx muni preview --changed-since origin/${{ github.base_ref }} --matrix",
    );
    expect(changes.outputs).toStrictEqual({
      matrix: "${{ steps.matrix.outputs.matrix }}",
      any: "${{ steps.matrix.outputs.any }}",
    });
    const preview = w.jobs.preview!;
    expect([preview.needs, preview.if, preview.strategy!.matrix]).toStrictEqual([
      "changes",
      "needs.changes.outputs.any == 'true'",
      "${{ fromJSON(needs.changes.outputs.matrix) }}",
    ]);
    expect(runs(preview)).toContain(
      "npx muni preview --stack ${{ matrix.city }} --units ${{ matrix.units }} --refresh --concurrency 4 > preview.txt",
    );
    // Without credentials (a fork's pull request) the live steps are skipped, never failed.
    for (const s of preview.steps.filter((s) => /pulumi login|muni preview --stack/.test(s.run ?? "")))
      expect(s.if).toBe("env.AWS_ACCESS_KEY_ID != '' && env.KUBECONFIG_CONTENT != ''");
  });
});

describe("the drift workflow", () => {
  const w = workflow("drift.yml");

  it("GIVEN the nightly schedule THEN every stack of every city is refreshed and previewed in parallel expecting no changes, and muni drift reports each per unit", () => {
    expect(w.on).toStrictEqual({ schedule: [{ cron: "17 2 * * *" }], workflow_dispatch: null });
    expect(runs(w.jobs.stacks!)).toContain('echo "matrix=$(npx muni preview --matrix)" >> "$GITHUB_OUTPUT"');
    const drift = w.jobs.drift!;
    expect(drift.strategy!.matrix).toBe("${{ fromJSON(needs.stacks.outputs.matrix) }}");
    expect(runs(drift)).toContain(
      "npx muni preview --stack ${{ matrix.city }} --units ${{ matrix.units }} --refresh --expect-no-changes --json-dir drift --concurrency 4 > preview.txt",
    );
    expect(runs(drift)).toContain('npx muni drift "$events" --format markdown >> drift.md');
    // It reports and never remediates: no pulumi up, refresh or destroy, no muni up.
    const all = steps(w)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(all).not.toMatch(/pulumi (up|refresh|destroy)|muni up/);
    expect(
      steps(w)
        .filter((s) => s.uses?.startsWith("pulumi/actions@"))
        .map((s) => s.with),
    ).toStrictEqual([{ "pulumi-version-file": ".pulumi.version" }]);
  });
});

describe("the deploy workflow", () => {
  const w = workflow("deploy.yml");

  it("GIVEN a merge to main that touches units or stacks THEN every city's operator objects are regenerated and applied server-side, never pruned, one city after another's failure unaffected", () => {
    expect(w.on).toStrictEqual({
      push: { branches: ["main"], paths: ["units/**", "stacks/**"] },
      workflow_dispatch: null,
    });
    const job = w.jobs["operator-objects"]!;
    expect((job.strategy!.matrix as { city: string[] }).city.sort()).toStrictEqual(listStacks(ROOT));
    expect(runs(job)).toContain(
      "npx muni operator --stack ${{ matrix.city }} --out deploy/${{ matrix.city }}",
    );
    expect(runs(job)).toContain(
      "kubectl apply --server-side --field-manager=muni-deploy -R -f deploy/${{ matrix.city }}",
    );
    expect(runs(job)).not.toMatch(/--prune|kubectl delete/);
    expect(w.permissions).toStrictEqual({ contents: "read" });
  });

  it("WHEN the workflow's operator command runs for each city THEN it writes the platform's Stack and one per unit the city takes", async () => {
    for (const city of listStacks(ROOT)) {
      const dir = mkdtempSync(join(tmpdir(), "muni-deploy-"));
      const out = await runCli(["operator", "--stack", city, "--out", dir]);
      const units = loadProject(ROOT, city).units.map((u) => `${city}-${u.unit.id}.yaml`);
      expect({ city, code: out.code, stacks: readdirSync(join(dir, "stacks")).sort() }).toStrictEqual({
        city,
        code: 0,
        stacks: [`${city}-platform.yaml`, ...units].sort(),
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
