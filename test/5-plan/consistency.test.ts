import { readFileSync } from "node:fs";
import { join } from "node:path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { parse } from "yaml";
import { loadProject } from "../../infra/3-rules/project";
import { planProject } from "../../infra/5-plan/render";
import { redactObject } from "../../infra/5-plan/redact";
import type { PlannedObject } from "../../infra/5-plan/types";
import { installMocks, type Registered, settle, unwrap } from "../helpers/pulumi";
import { generatedProject, REPO_ROOT } from "./project";

// The generated units' decommissioning approvals are dated 2027-05-10: check them as of a later day.
process.env.MUNI_TODAY = "2027-06-01";
// The mock runtime is installed before the program is imported.
const mocks = installMocks("lodz-prod");
let stackModule: typeof import("../../infra/7-program/stack");
beforeAll(async () => {
  stackModule = await import("../../infra/7-program/stack");
});

const settingsOf = (root: string, stack: string) =>
  (
    parse(readFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as {
      config: Record<string, unknown>;
    }
  ).config["muni:settings"];

/** Every Kubernetes object the program registers for a stack, by Pulumi resource name. */
async function registeredObjects(root: string, stack: string): Promise<Map<string, Registered>> {
  mocks.registered.length = 0;
  const outputs = stackModule.defineStack({ root, stack, settings: settingsOf(root, stack) });
  await unwrap(outputs.namespaces);
  await settle();
  const k8s = mocks.registered.filter(
    (r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes",
  );
  return new Map(k8s.map((r) => [r.name, { ...r, inputs: unsecret(r.inputs) as Record<string, unknown> }]));
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

function plannedObjects(root: string, stack: string): Map<string, PlannedObject> {
  const project = loadProject(root, stack);
  expect(project.diagnostics).toStrictEqual([]);
  const plan = planProject({ stack: project.stack!, units: project.units });
  return new Map([...plan.units.flatMap((u) => u.objects), ...plan.platform].map((o) => [o.resource, o]));
}

/** Every string leaf of a value. */
function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (v && typeof v === "object") return Object.values(v).flatMap(strings);
  return [];
}

const cases: Array<[string, () => string, string]> = [
  ["lodz-prod", () => REPO_ROOT, "lodz-prod"],
  ["lodz-staging", () => REPO_ROOT, "lodz-staging"],
  ["40 generated units with every service and lifecycle state", () => generatedProject(40), "gen"],
];

describe.each(cases)("plan and program agree: %s", (_title, rootOf, stack) => {
  let root: string;
  let registered: Map<string, Registered>;
  let planned: Map<string, PlannedObject>;
  beforeAll(async () => {
    root = rootOf();
    registered = await registeredObjects(root, stack);
    planned = plannedObjects(root, stack);
  });

  it("GIVEN the stack WHEN the program runs under the mock runtime and the plan renders THEN they hold exactly the same resource names", () => {
    expect(registered.size).toBeGreaterThan(50);
    expect([...planned.keys()].sort()).toStrictEqual([...registered.keys()].sort());
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
