import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadProject } from "../../infra/3-rules/project";
import { diffPlans } from "../../infra/5-plan/diff";
import { planJson } from "../../infra/5-plan/json";
import { planProject } from "../../infra/5-plan/render";
import { streamPlan } from "../../infra/5-plan/stream";
import { type PlannedObject, type PlannedUnit, planSummary } from "../../infra/5-plan/types";
import { PlanWriter, writePlan } from "../../infra/5-plan/write";
import { tempDir } from "../helpers/manifests";
import { generatedProject } from "./project";

// The generated units' decommissioning approvals are dated 2027-05-10: check them as of a later day.
process.env.MUNI_TODAY = "2027-06-01";

function loaded(root: string) {
  const p = loadProject(root, "gen");
  expect(p.diagnostics).toStrictEqual([]);
  return { stack: p.stack!, units: p.units };
}

/** A sink that records what it was handed, by unit id (or "(platform)"), as the objects' resource names. */
function recordingSink() {
  const seen: Array<[string, string[]]> = [];
  return {
    seen,
    unit: (u: PlannedUnit) => seen.push([u.id, u.objects.map((o) => o.resource)]),
    platform: (objects: readonly PlannedObject[]) =>
      seen.push(["(platform)", objects.map((o) => o.resource)]),
  };
}

describe("the streamed plan", () => {
  let root: string;
  let base: ReturnType<typeof loaded>;
  let head: ReturnType<typeof loaded>;
  beforeAll(() => {
    // GIVEN 40 generated units at the base; at the head two are gone and one is renamed
    root = generatedProject(40);
    base = loaded(root);
    const files = readdirSync(join(root, "generated")).sort();
    for (const f of files.slice(0, 2)) rmSync(join(root, "generated", f));
    const renamed = join(root, "generated", files[5]!);
    writeFileSync(
      renamed,
      readFileSync(renamed, "utf8").replace(/^name: .*$/m, "name: Jednostka po zmianie nazwy"),
    );
    head = loaded(root);
  });

  it("GIVEN a stack WHEN streamed without a base THEN the summary equals the summary of the whole plan, and every unit and the platform reach the sink in order", () => {
    // WHEN
    const sink = recordingSink();
    const { summary, diff } = streamPlan({ stack: head.stack, units: [...head.units] }, sink);
    // THEN
    const whole = planProject(head);
    expect(summary).toStrictEqual(planSummary(whole));
    expect(diff).toBeUndefined();
    expect(sink.seen).toStrictEqual([
      ...whole.units.map((u) => [u.id, u.objects.map((o) => o.resource)]),
      ["(platform)", whole.platform.map((o) => o.resource)],
    ]);
  });

  it("GIVEN a base WHEN streamed THEN the diff equals the diff of the two whole plans, removed units and the platform included", () => {
    // WHEN
    const { summary, diff } = streamPlan({ stack: head.stack, units: [...head.units] }, recordingSink(), {
      ref: "HEAD",
      side: { stack: base.stack, units: [...base.units] },
    });
    // THEN
    const expected = diffPlans(planProject(base), planProject(head), "HEAD");
    expect(diff).toStrictEqual(expected);
    expect(summary).toStrictEqual(planSummary(planProject(head)));
    // (the comparison is not vacuous: the renamed unit changes, a provisioned unit is removed, the platform changes)
    expect(
      new Set(expected.units.filter((u) => u.status !== "unchanged").map((u) => u.status)),
    ).toStrictEqual(new Set(["changed", "removed"]));
    expect(expected.units.at(-1)!.id).toBe("(platform)");
  });

  it("GIVEN a base where the stack did not exist WHEN streamed THEN every unit is added", () => {
    const { diff } = streamPlan({ stack: head.stack, units: [...head.units] }, recordingSink(), {
      ref: "HEAD",
    });
    expect(diff).toStrictEqual(diffPlans(undefined, planProject(head), "HEAD"));
  });

  it("GIVEN the streamed writer WHEN it writes a plan THEN the files equal writePlan's, and plan.json reads back as the JSON format", () => {
    // GIVEN
    const whole = planProject(head);
    const a = join(tempDir(), "a");
    const b = join(tempDir(), "b");
    writePlan(whole, a);
    // WHEN
    const w = new PlanWriter(b, head.stack.name);
    const { summary } = streamPlan({ stack: head.stack, units: [...head.units] }, w);
    w.summary({ plan: summary, outDir: a });
    // THEN
    const names = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toStrictEqual(names);
    for (const f of names)
      expect({ f, text: readFileSync(join(b, f), "utf8") }).toStrictEqual({
        f,
        text: readFileSync(join(a, f), "utf8"),
      });
    expect(JSON.parse(readFileSync(join(b, "plan.json"), "utf8"))).toStrictEqual(
      JSON.parse(planJson({ plan: planSummary(whole), outDir: a })),
    );
  });
});
