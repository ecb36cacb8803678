import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, settle } from "../helpers/pulumi";
import { generatedUnit } from "../helpers/manifests";
import { makeProject } from "../3-rules/lifecycle/project";
import type { renderPlatform } from "../../infra/4-builders";

type PlatformSettings = Parameters<typeof renderPlatform>[0];

// The mock runtime first; the program is imported after it.
installMocks("lodz-prod");
type StackModule = typeof import("../../infra/7-program/stack");
let stackModule: StackModule;
let lifecycle: typeof import("../../infra/4-builders") & typeof import("../../infra/1-model");
beforeAll(async () => {
  stackModule = await import("../../infra/7-program/stack");
  lifecycle = { ...(await import("../../infra/1-model")), ...(await import("../../infra/4-builders")) };
});

/** What the SDK sees of one resource registration: its type, name, inputs and options. */
interface Captured {
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: pulumi.CustomResourceOptions;
}

/**
 * Runs `body` as a Pulumi stack with a stack transformation that records every resource's options
 * (the old-style transformation runs in the SDK, so it sees the options under the mock runtime too).
 */
async function capture(body: () => unknown): Promise<Captured[]> {
  const seen: Captured[] = [];
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((a) => {
      seen.push({
        type: a.type,
        name: a.name,
        props: a.props as Record<string, unknown>,
        opts: a.opts as pulumi.CustomResourceOptions,
      });
      return undefined;
    });
    return body();
  });
  await settle();
  return seen;
}

/** The Kubernetes objects among the captured resources whose kind holds data but that are not retained. */
function unretainedData(seen: readonly Captured[]): string[] {
  return seen
    .filter((c) => c.type.startsWith("kubernetes:") && typeof c.props.kind === "string")
    .filter((c) => lifecycle.holdsData(c.props as never) && c.opts.retainOnDelete !== true)
    .map((c) => `${String(c.props.kind)} ${c.name}`);
}

// Eight generated units with every service (mail, sites, VMs...) in all four states (unit-0003's three
// VMs exceed its generated quota, so it is left out).
// A generous mail quotaLimit keeps them valid whatever the mail rules require of mailbox quotas.
const UNITS = Object.fromEntries(
  [0, 1, 2, 4, 5, 6, 7, 8]
    .map((i) => generatedUnit(i))
    .map((u) => [u.id, u.yaml.replace(/^( {4}mailboxLimit: \d+)$/m, "$1\n    quotaLimit: 1Ti")]),
);
const LC = { today: "2027-06-01" };

async function runProject(
  lc: Record<string, unknown>,
): Promise<{ seen: Captured[]; project: ReturnType<ReturnType<typeof makeProject>["load"]> }> {
  const p = makeProject(UNITS, { ...LC, ...lc });
  const project = p.load();
  expect(p.messages(project.diagnostics)).toStrictEqual([]);
  const seen = await capture(() =>
    stackModule.defineStack({ root: p.root, stack: "test", settings: p.settings }),
  );
  return { seen, project };
}

/** The platform's data volumes and the namespaces holding them, as the Platform component names them. */
function platformRetained(settings: PlatformSettings): string[] {
  const { renderPlatform } = require("../../infra/4-builders") as typeof import("../../infra/4-builders");
  const desired = renderPlatform(settings);
  const kept = desired.filter(lifecycle.isDataBearing);
  const holding = new Set(kept.map((d) => d.object.metadata.namespace));
  return [
    ...desired.filter((d) => d.object.kind === "Namespace" && holding.has(d.object.metadata.name)),
    ...kept,
  ].map((d) => `platform-${d.key}`);
}

describe("every data-bearing resource is retained (mock runtime, options captured)", () => {
  let run: Awaited<ReturnType<typeof runProject>>;
  beforeAll(async () => {
    run = await runProject({ protectData: true });
  });

  it("THEN no resource of a data-holding kind (PVC, DataVolume, VirtualMachine, StatefulSet with claims) lacks retainOnDelete", () => {
    const dataHolding = run.seen.filter(
      (c) => c.type.startsWith("kubernetes:") && lifecycle.holdsData(c.props as never),
    );
    // Today's builders emit site content PVCs and KubeVirt VMs: the check below is not vacuous.
    expect(dataHolding.length).toBeGreaterThan(0);
    expect(unretainedData(run.seen)).toStrictEqual([]);
  });

  it("THEN exactly the objects the builders render as data-bearing, and the namespaces holding them, are retained", () => {
    const { renderUnit } =
      require("../../infra/4-builders/render") as typeof import("../../infra/4-builders/render");
    const settings = run.project.stack!.settings;
    const expected = run.project.units
      .filter((u) => lifecycle.shouldProvision(u.unit, settings))
      .flatMap(({ unit }) => {
        const desired = renderUnit(unit, settings);
        const kept = desired.filter(lifecycle.isDataBearing);
        const holding = new Set(kept.map((d) => d.object.metadata.namespace));
        const namespaces = desired.filter(
          (d) => d.object.kind === "Namespace" && holding.has(d.object.metadata.name),
        );
        return [...namespaces, ...kept].map((d) => `${unit.id}-${d.key}`);
      })
      .concat(platformRetained(settings))
      .sort();
    const retained = run.seen
      .filter((c) => c.opts.retainOnDelete === true)
      .map((c) => c.name)
      .sort();
    expect(retained.length).toBeGreaterThan(0);
    expect(retained).toStrictEqual(expected);
  });

  it("THEN with protectData, the data of active units is protected and that of decommissioning units is not (so it can be let go)", () => {
    const stateOf = new Map(run.project.units.map((u) => [u.unit.id, u.unit.lifecycle.state]));
    const retained = run.seen.filter((c) => c.opts.retainOnDelete === true);
    const byState = (state: string) =>
      retained.filter((c) => stateOf.get(c.name.replace(/^(unit-\d{4}).*$/, "$1")) === state);
    expect(byState("active").length).toBeGreaterThan(0);
    expect(byState("decommissioning").length).toBeGreaterThan(0);
    expect(byState("active").every((c) => c.opts.protect === true)).toBe(true);
    expect(byState("decommissioning").map((c) => c.opts.protect)).toStrictEqual(
      byState("decommissioning").map(() => undefined),
    );
    // Nothing that holds no data is protected.
    expect(run.seen.filter((c) => c.opts.protect === true && c.opts.retainOnDelete !== true)).toStrictEqual(
      [],
    );
  });

  it("GIVEN a PVC registered without retainOnDelete WHEN the same capture runs THEN the check names it (the check can fail)", async () => {
    const seen = await capture(() => {
      new k8s.core.v1.PersistentVolumeClaim("stray-claim", {
        metadata: { name: "stray" },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      });
      new k8s.core.v1.PersistentVolumeClaim(
        "kept-claim",
        {
          metadata: { name: "kept" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
        { retainOnDelete: true },
      );
      new k8s.apps.v1.StatefulSet("stray-sts", {
        metadata: { name: "db" },
        spec: {
          selector: {},
          serviceName: "db",
          template: {},
          volumeClaimTemplates: [{ metadata: { name: "data" } }],
        },
      });
      new k8s.apps.v1.StatefulSet("plain-sts", {
        metadata: { name: "web" },
        spec: { selector: {}, serviceName: "web", template: {} },
      });
    });
    expect(unretainedData(seen)).toStrictEqual([
      "PersistentVolumeClaim stray-claim",
      "StatefulSet stray-sts",
    ]);
  });
});

describe("waves", () => {
  it("GIVEN live waves [1] and then [1, 2] WHEN the program runs THEN exactly the active and decommissioning units of those waves are provisioned", async () => {
    const units = async (liveWaves: number[]) => {
      const { seen } = await runProject({ liveWaves });
      return seen
        .filter((c) => c.type === "muni:unit:Unit")
        .map((c) => c.name)
        .sort();
    };
    // generatedUnit(i) is in wave 1 + i % 12 and state [planned, active, decommissioning, decommissioned][i % 4].
    expect(await units([1])).toStrictEqual([]); // unit-0000 is wave 1 but planned
    expect(await units([1, 2])).toStrictEqual(["unit-0001"]);
    expect(await units([2, 3, 6, 7])).toStrictEqual(["unit-0001", "unit-0002", "unit-0005", "unit-0006"]);
  });

  it("GIVEN a wave that is not live WHEN the program runs THEN its units are reported as not provisioned, with the reason", async () => {
    const p = makeProject(UNITS, { ...LC, liveWaves: [2] });
    const out = stackModule.defineStack({ root: p.root, stack: "test", settings: p.settings });
    await settle();
    expect(out.notProvisioned).toStrictEqual({
      "unit-0000": "planned",
      "unit-0002": "wave 3 is not live (live waves: 2)",
      "unit-0004": "planned",
      "unit-0005": "wave 6 is not live (live waves: 2)",
      "unit-0006": "wave 7 is not live (live waves: 2)",
      "unit-0007": "decommissioned",
      "unit-0008": "planned",
    });
  });
});
