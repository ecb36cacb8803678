import { readFileSync } from "node:fs";
import { join } from "node:path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import { loadProject } from "../../infra/3-rules/project";
import { planProject, resourceCount, resourceWarnings } from "../../infra/5-plan/render";
import { redactObject } from "../../infra/5-plan/redact";
import type { PlannedObject } from "../../infra/5-plan/types";
import { installMocks, type Registered, settle, unwrap } from "../helpers/pulumi";
import { generatedProject } from "./project";
import { migratedRepo } from "../7-program/migrated";

// The generated units' decommissioning approvals are dated 2027-05-10: check them as of a later day.
process.env.MUNI_TODAY = "2027-06-01";
// The mock runtime is installed before the program is imported.
const mocks = installMocks("lodz-prod.css");
let programs: typeof import("../../infra/7-program/programs");
beforeAll(async () => {
  programs = await import("../../infra/7-program/programs");
});

/**
 * Every Kubernetes object the city's Pulumi stacks register (the platform's and one per unit the city takes),
 * by Pulumi resource name, and how many resources each stack registered.
 */
async function registeredObjects(root: string, stack: string) {
  const project = loadProject(root, stack);
  const names = [`${stack}.platform`, ...project.units.map((u) => `${stack}.${u.unit.id}`)];
  const all: Registered[] = [];
  const perStack: Record<string, number> = {};
  for (const name of names) {
    mocks.registered.length = 0;
    const outputs = programs.defineProgram({ root, stack: name });
    await unwrap(outputs as unknown as Record<string, unknown>);
    await settle();
    perStack[name] = mocks.registered.length;
    all.push(...mocks.registered);
  }
  const k8s = all.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes");
  return {
    objects: new Map(
      k8s.map((r) => [r.name, { ...r, inputs: unsecret(r.inputs) as Record<string, unknown> }]),
    ),
    perStack,
  };
}

/** Pulumi's wire form of a secret value (`{<sig key>: <secret sig>, value}`), as the mock monitor receives it. */
const SIG_KEY = specialSigKey;
const SECRET_SIG = specialSecretSig;
const NO_VALUE = Symbol("no value");

/** The inputs as the engine reads them: secrets unwrapped, a secret without a value (the SDK marks unset fields so) left out. */
function unsecret(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unsecret);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG)
      return o.value === null || o.value === undefined ? NO_VALUE : unsecret(o.value);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      const u = unsecret(x);
      if (u !== NO_VALUE) out[k] = u;
    }
    return out;
  }
  return v;
}

function plannedObjects(root: string, stack: string) {
  const project = loadProject(root, stack);
  expect(project.diagnostics).toStrictEqual([]);
  const plan = planProject({ stack: project.stack!, units: project.units });
  return {
    objects: new Map([...plan.units.flatMap((u) => u.objects), ...plan.platform].map((o) => [o.resource, o])),
    resources: plan.resources,
    provisioned: plan.units.filter((u) => u.provisioned).length,
  };
}

/** Every string leaf of a value. */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (v && typeof v === "object") return Object.values(v).flatMap(strings);
  return [];
}

const cases: Array<[string, () => string, string]> = [
  ["lodz-prod", () => migratedRepo(), "lodz-prod"],
  ["lodz-staging", () => migratedRepo(), "lodz-staging"],
  ["40 generated units with every service and lifecycle state", () => generatedProject(40), "gen"],
];

describe.each(cases)("plan and program agree: %s", (_title, rootOf, stack) => {
  let root: string;
  let registered: Map<string, Registered>;
  let planned: Map<string, PlannedObject>;
  let run: Awaited<ReturnType<typeof registeredObjects>>;
  let plan: ReturnType<typeof plannedObjects>;
  beforeAll(async () => {
    root = rootOf();
    run = await registeredObjects(root, stack);
    registered = run.objects;
    plan = plannedObjects(root, stack);
    planned = plan.objects;
  });

  it("GIVEN the city WHEN each of its Pulumi stacks runs under the mock runtime and the plan renders THEN they hold exactly the same resource names", () => {
    expect(registered.size).toBeGreaterThan(50);
    expect([...planned.keys()].sort()).toStrictEqual([...registered.keys()].sort());
  });

  it("THEN the plan's count of Pulumi resources is what the stacks register, each with its root stack resource", () => {
    // A stack of a unit not provisioned registers nothing (no provider, no component): it holds no resources.
    const used = Object.values(run.perStack).filter((n) => n > 0);
    expect(used.length).toBe(plan.provisioned + 1);
    expect(used.reduce((s, n) => s + n + 1, 0)).toBe(plan.resources);
  });

  it("THEN each registered object, redacted exactly as the plan redacts it, equals the planned object, kind and type alike", () => {
    for (const [name, r] of registered) {
      const p = planned.get(name)!;
      // The same redaction on both sides: the plan's own paths, plus every Secret's data.
      expect({
        name,
        object: redactObject(r.inputs as PlannedObject["object"], p.redacted).object,
      }).toStrictEqual({ name, object: p.object });
      expect(r.type).toBe(
        `kubernetes:${p.object.apiVersion.includes("/") ? p.object.apiVersion : `core/${p.object.apiVersion}`}:${p.object.kind}`,
      );
    }
  });

  it("THEN what the plan redacts is the real generated value in the program, and no placeholder reaches the cluster", () => {
    for (const [name, r] of registered) {
      expect({ name, leaks: strings(r.inputs).filter((s) => /<(secret|probe):/.test(s)) }).toStrictEqual({
        name,
        leaks: [],
      });
      const p = planned.get(name)!;
      if (p.usesSecrets)
        expect({ name, redacted: p.redacted.length > 0 }).toStrictEqual({ name, redacted: true });
    }
  });
});

describe("the generated project covers what the consistency test must see", () => {
  it("GIVEN 40 generated units THEN provisioned units span active and decommissioning, with Secrets and objects built from secrets", () => {
    const root = generatedProject(40);
    const project = loadProject(root, "gen");
    const plan = planProject({ stack: project.stack!, units: project.units });
    const provisioned = plan.units.filter((u) => u.provisioned);
    expect(new Set(provisioned.map((u) => u.state))).toStrictEqual(new Set(["active", "decommissioning"]));
    expect(plan.units.some((u) => !u.provisioned)).toBe(true);
    const objects = provisioned.flatMap((u) => u.objects);
    expect(objects.some((o) => o.object.kind === "Secret")).toBe(true);
    expect(objects.some((o) => o.usesSecrets && o.object.kind !== "Secret")).toBe(true);
  });
});

describe("the plan's warning about large Pulumi stacks, now one per unit", () => {
  const unit = (id: string, objects: number, secrets = 0) => ({
    id,
    provisioned: true,
    secrets: Array.from({ length: secrets }, (_, i) => `s${i}`),
    objects: Array.from({ length: objects }),
  });

  it("GIVEN 10,000 units of 80 resources each THEN no warning: no Pulumi stack holds more than one unit", () => {
    const units = Array.from({ length: 10000 }, (_, i) => unit(`u${i}`, 60, 17));
    expect(resourceCount(units, new Array(12))).toBe(3 + 12 + 10000 * 80);
    expect(resourceWarnings("krakow", units, new Array(12))).toStrictEqual([]);
  });

  it("GIVEN one unit whose stack would pass 1,000 resources, and a huge platform THEN each is named with what to do", () => {
    expect(
      resourceWarnings("krakow", [unit("big", 900, 100), unit("small", 10)], new Array(998)),
    ).toStrictEqual([
      "Pulumi stack krakow.platform would hold 1001 Pulumi resources, over 1000: previews and updates slow down; the platform's tenants should live outside its stack (tenant discovery)",
      "Pulumi stack krakow.big would hold 1003 Pulumi resources, over 1000: previews and updates slow down; split the unit into smaller units",
    ]);
  });
});
