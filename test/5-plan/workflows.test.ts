import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { listStacks } from "../../infra/2-manifest/stack";
import { runCli } from "../helpers/manifests";

const ROOT = join(__dirname, "..", "..");
type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
type Workflow = {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[]; strategy?: { matrix: { stack: string[] } } }>;
};
const workflow = (name: string) =>
  parse(readFileSync(join(ROOT, ".github", "workflows", name), "utf8")) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** Every `npx muni <command> [args]` the workflow runs, as argument lists (workflow expressions kept as words). */
function muniCalls(w: Workflow): string[][] {
  return steps(w)
    .flatMap((s) => (s.run ?? "").split("\n"))
    .map((l) => /npx muni (.*?)(?:\s*[>|].*)?$/.exec(l.trim())?.[1])
    .filter((c): c is string => Boolean(c))
    .map((c) => c.split(/\s+/));
}

describe.each(["pr.yml", "drift.yml"])("workflow %s", (name) => {
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

  it("THEN its stack matrix is exactly the repository's stacks", () => {
    const matrices = Object.values(w.jobs).flatMap((j) => (j.strategy ? [j.strategy.matrix.stack] : []));
    expect(matrices.length).toBeGreaterThan(0);
    for (const m of matrices) expect([...m].sort()).toStrictEqual(listStacks(ROOT));
  });
});

describe("the pull-request workflow", () => {
  const w = workflow("pr.yml");

  it("GIVEN a pull request THEN it tests, validates, and plans against the PR base in Markdown, posted as a sticky comment", () => {
    expect(Object.keys(w.on)).toStrictEqual(["pull_request"]);
    const runs = steps(w).map((s) => s.run ?? "");
    expect(runs).toContain("npm test");
    const lines = runs.flatMap((r) => r.split("\n"));
    expect(lines).toEqual(
      expect.arrayContaining([
        "npx muni validate",
        "npx muni validate --stack lodz-prod",
        "npx muni validate --stack lodz-staging",
      ]),
    );
    expect(runs.join("\n")).toContain(
      "npx muni plan --stack ${{ matrix.stack }} --base origin/${{ github.base_ref }} --out plan-out/${{ matrix.stack }} --format markdown > plan.md",
    );
    const checkout = w.jobs.plan!.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    expect(checkout.with).toStrictEqual({ "fetch-depth": 0 });
    const comment = steps(w).find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))!;
    expect(comment.with).toStrictEqual({ header: "muni-plan-${{ matrix.stack }}", path: "plan.md" });
    expect(w.permissions).toStrictEqual({ contents: "read", "pull-requests": "write" });
  });

  it("THEN pulumi preview with comment-on-pr runs only when the repository holds Pulumi credentials", () => {
    const preview = steps(w).find((s) => s.uses === "pulumi/actions@v6")!;
    expect(preview.with).toMatchObject({ command: "preview", "comment-on-pr": true });
    expect(preview.if).toBe("env.PULUMI_ACCESS_TOKEN != '' && env.KUBECONFIG_CONTENT != ''");
  });
});

describe("the drift workflow", () => {
  const w = workflow("drift.yml");

  it("GIVEN the nightly schedule THEN each stack is previewed with refresh expecting no changes, and muni drift reports it", () => {
    expect(w.on).toStrictEqual({ schedule: [{ cron: "17 2 * * *" }], workflow_dispatch: null });
    const runs = steps(w)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(runs).toContain(
      "pulumi preview --stack ${{ matrix.stack }} --refresh --expect-no-changes --non-interactive --json > preview.json",
    );
    expect(runs).toContain(
      "npx muni drift preview.json --stack ${{ matrix.stack }} --format markdown > drift.md",
    );
    // It reports and never remediates: no pulumi up or refresh that writes.
    expect(runs).not.toMatch(/pulumi (up|refresh|destroy)/);
    expect(
      steps(w)
        .filter((s) => s.uses?.startsWith("pulumi/actions@"))
        .map((s) => s.with),
    ).toStrictEqual([undefined]);
  });
});
