import { join } from "node:path";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { installMocks, kubernetesObjects, type Registered, settle, unwrap } from "../helpers/pulumi";
import { strictSchemaErrors } from "../helpers/k8s-schemas";
import { copyOfRepo, migratedRepo, REPO_ROOT, settingsOf } from "./migrated";

// The mock runtime is installed before the program is imported.
const mocks = installMocks("lodz-prod.css");
type Programs = typeof import("../../infra/7-program/programs");
type Stack = typeof import("../../infra/7-program/stack");
let programs: Programs;
let stackModule: Stack;
beforeAll(async () => {
  programs = await import("../../infra/7-program/programs");
  stackModule = await import("../../infra/7-program/stack");
});

/** Runs the program of one Pulumi stack and returns what it registered and its outputs. */
async function runStack(root: string, stack: string) {
  mocks.registered.length = 0;
  const outputs = programs.defineProgram({ root, stack });
  if ("namespaces" in outputs) await unwrap(outputs.namespaces);
  else await unwrap(outputs.objects);
  await settle();
  return { registered: [...mocks.registered], outputs };
}

/** Resource `type name`, the identity of a URN within a stack (parents are the component, named by the unit). */
const ids = (rs: readonly Registered[]) => rs.map((r) => `${r.type} ${r.name}`).sort();
const byName = (rs: readonly Registered[]) =>
  [...rs].sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));

const PROD = settingsOf(REPO_ROOT, "lodz-prod") as {
  platform: Record<string, { namespace: string }>;
  backup: { namespace: string };
  monitoring: { namespace: string };
};
/**
 * Namespaces of the central platform services in lodz-prod (`platform.*.namespace`), and the central
 * administrators' Velero and monitoring namespaces (a unit's Schedule, Probes and PrometheusRule live there).
 */
const PLATFORM_NAMESPACES = [
  ...Object.values(PROD.platform).map((p) => p.namespace),
  PROD.backup.namespace,
  PROD.monitoring.namespace,
];

describe("Pulumi stacks lodz-prod.<unit> and lodz-prod.platform, after the move (muni migrate)", () => {
  let root: string;
  const runs: Record<string, Awaited<ReturnType<typeof runStack>>> = {};
  let cityWide: Registered[];
  beforeAll(async () => {
    root = migratedRepo();
    for (const s of ["lodz-prod.css", "lodz-prod.mpu", "lodz-prod.zzm", "lodz-prod.platform"])
      runs[s] = await runStack(root, s);
    mocks.registered.length = 0;
    const all = stackModule.defineStack({ root, stack: "lodz-prod" });
    await unwrap(all.namespaces);
    await settle();
    cityWide = [...mocks.registered];
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("GIVEN stack lodz-prod.css WHEN the program runs THEN it registers exactly css's objects: its Unit component, children css-<key>, the cluster provider", () => {
    const { registered, outputs } = runs["lodz-prod.css"]!;
    const names = registered.map((r) => r.name);
    expect(names.filter((n) => n !== "cluster" && n !== "css" && !n.startsWith("css-"))).toStrictEqual([]);
    expect(registered.filter((r) => r.type === "muni:unit:Unit").map((r) => r.name)).toStrictEqual(["css"]);
    // Nothing of another unit anywhere in what is sent to the cluster.
    const text = JSON.stringify(kubernetesObjects(registered));
    expect(["mpu", "zzm"].filter((u) => text.includes(`unit-${u}`) || text.includes(`"${u}"`))).toStrictEqual(
      [],
    );
    expect(outputs).toMatchObject({ unit: "css", notProvisioned: {} });
  });

  it("THEN css's objects are those the city-wide program registered under the same names, inputs and provider", () => {
    const css = runs["lodz-prod.css"]!.registered.filter((r) => r.name !== "cluster");
    const before = cityWide.filter((r) => r.name === "css" || r.name.startsWith("css-"));
    expect(byName(css)).toStrictEqual(byName(before));
  });

  it("GIVEN every stack of the city THEN together they register what the city-wide stack did, each resource in exactly one stack", () => {
    const together = Object.values(runs).flatMap((r) => r.registered.filter((x) => x.name !== "cluster"));
    expect(ids(together)).toStrictEqual(ids(cityWide.filter((x) => x.name !== "cluster")));
    expect(new Set(ids(together)).size).toBe(together.length);
  });

  it("GIVEN stack lodz-prod.platform THEN it registers the Platform component and its platform-<key> objects only, in the platform namespaces", () => {
    const { registered, outputs } = runs["lodz-prod.platform"]!;
    expect(
      registered
        .map((r) => r.name)
        .filter((n) => n !== "cluster" && n !== "platform" && !n.startsWith("platform-")),
    ).toStrictEqual([]);
    // Cluster-scoped: the tenancy's ClusterRoles and admission policies (test/tenancy/).
    const clusterScoped = ["ClusterRole", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];
    for (const o of kubernetesObjects(registered).filter((o) => !clusterScoped.includes(o.kind))) {
      const m = o.metadata as { name: string; namespace?: string };
      expect(PLATFORM_NAMESPACES).toContain(o.kind === "Namespace" ? m.name : m.namespace);
    }
    expect(Object.keys(outputs as object)).toStrictEqual(["objects"]);
  });

  it("THEN each stack has one explicit Kubernetes provider for the cluster context, used by every object", () => {
    for (const [stack, { registered }] of Object.entries(runs)) {
      const providers = registered.filter((r) => r.type === "pulumi:providers:kubernetes");
      expect({
        stack,
        p: providers.map((p) => [p.name, p.inputs.context, p.inputs.enableServerSideApply]),
      }).toStrictEqual({
        stack,
        p: [["cluster", "lodz-prod", "true"]],
      });
      const k8s = registered.filter((r) => r.type.startsWith("kubernetes:"));
      expect(k8s.every((r) => r.provider?.includes("pulumi:providers:kubernetes::cluster"))).toBe(true);
    }
  });

  it("THEN every Kubernetes object of every stack passes the upstream strict schema of its kind", () => {
    const objects = Object.values(runs).flatMap((r) => kubernetesObjects(r.registered));
    expect(objects.length).toBeGreaterThan(50);
    expect(objects.flatMap(strictSchemaErrors)).toStrictEqual([]);
  });

  it("THEN unit mpu's namespaced objects stay in its namespaces or its tenant records in the platform namespaces", () => {
    for (const o of kubernetesObjects(runs["lodz-prod.mpu"]!.registered)) {
      const m = o.metadata as { namespace?: string; name: string };
      if (o.kind === "Namespace") expect(m.name).toMatch(/^unit-mpu(-vm)?$/);
      else if (!PLATFORM_NAMESPACES.includes(m.namespace!)) expect(m.namespace).toMatch(/^unit-mpu(-vm)?$/);
    }
  });

  it("GIVEN the program WHEN a unit stack runs a second time THEN it registers identical resources and inputs (no perpetual diff)", async () => {
    const again = await runStack(root, "lodz-prod.css");
    expect(byName(again.registered)).toStrictEqual(byName(runs["lodz-prod.css"]!.registered));
  });
});

describe("what a stack refuses, registering nothing", () => {
  async function refused(root: string, stack: string): Promise<string> {
    mocks.registered.length = 0;
    let message = "";
    try {
      programs.defineProgram({ root, stack });
    } catch (e) {
      message = (e as Error).message;
    }
    await settle();
    expect(mocks.registered).toStrictEqual([]);
    return message;
  }

  it("GIVEN the repository as committed (css still in the city-wide stack lodz-prod) WHEN lodz-prod.css runs THEN it refuses at the ledger entry, naming muni migrate", async () => {
    const message = await refused(REPO_ROOT, "lodz-prod.css");
    expect(message).toContain(
      'stacks/lodz-prod.units.yaml:12:12: units.css.stack: unit "css"\'s resources are still in Pulumi stack lodz-prod: stack lodz-prod.css would create them a second time (move them first: npx muni migrate --stack lodz-prod --run',
    );
  });

  it("GIVEN the repository as committed WHEN lodz-prod.platform runs THEN it refuses: the platform is still in lodz-prod", async () => {
    expect(await refused(REPO_ROOT, "lodz-prod.platform")).toContain(
      "stacks/lodz-prod.units.yaml:5:10: platform.stack: the platform's resources are still in Pulumi stack lodz-prod: stack lodz-prod.platform would create them a second time",
    );
  });

  it("GIVEN the bare city name (the city-wide stack) WHEN the program runs THEN it refuses and names the new stacks", async () => {
    expect(await refused(REPO_ROOT, "lodz-prod")).toContain(
      "stack lodz-prod is the city's settings, not a Pulumi stack: muni runs lodz-prod.platform and lodz-prod.<unit id>",
    );
  });

  it("GIVEN a stack of a unit without a manifest, or one the city does not take THEN each is refused, located at the settings", async () => {
    const root = migratedRepo();
    expect(await refused(root, "lodz-prod.mops")).toMatch(
      /stacks\/Pulumi\.lodz-prod\.yaml:\d+:\d+: config\["muni:settings"\]\.units\.directories: stack lodz-prod\.mops: no manifest mops\.yaml in units/,
    );
    const file = join(root, "stacks", "Pulumi.lodz-prod.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("ids: [mpu, zzm, css]", "ids: [mpu, css]")
        .replace(/\n +waves:\n +- 1/, ""),
    );
    writeFileSync(
      join(root, "stacks", "lodz-prod.units.yaml"),
      readFileSync(join(root, "stacks", "lodz-prod.units.yaml"), "utf8").replace(/  zzm:\n(    .*\n)+/, ""),
    );
    expect(await refused(root, "lodz-prod.zzm")).toContain(
      'stack lodz-prod does not take unit "zzm" (units.ids [mpu, css] does not list zzm), so there is no Pulumi stack lodz-prod.zzm',
    );
    rmSync(root, { recursive: true, force: true });
  });

  it("GIVEN a provisioned unit whose manifest was deleted WHEN its stack runs THEN the lifecycle guard refuses at its ledger entry", async () => {
    const root = migratedRepo();
    rmSync(join(root, "units", "zzm.yaml"));
    expect(await refused(root, "lodz-prod.zzm")).toMatch(
      /stacks\/lodz-prod\.units\.yaml:\d+:\d+: units\.zzm: unit "zzm" is active and provisioned \(per ledger \S*stacks\/lodz-prod\.units\.yaml\) but is no longer among the stack's units/,
    );
    rmSync(root, { recursive: true, force: true });
  });

  it("GIVEN an invalid field in the unit's own manifest THEN the located schema error, and another unit's bad manifest does not matter", async () => {
    const root = migratedRepo();
    const css = join(root, "units", "css.yaml");
    writeFileSync(css, readFileSync(css, "utf8").replace(/^id: css$/m, "id: css\nshortname: typo"));
    expect(await refused(root, "lodz-prod.css")).toMatch(
      /units\/css\.yaml:\d+:\d+: shortname: unknown field/,
    );
    // mpu's stack does not read css's manifest.
    const run = await runStack(root, "lodz-prod.mpu");
    expect(run.registered.some((r) => r.name === "mpu")).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });

  it("GIVEN muni:settings in a unit stack's own Pulumi file (Pulumi's engine config) THEN refused: the city file is the only settings", () => {
    expect(() =>
      programs.defineProgram({ root: REPO_ROOT, stack: "lodz-prod.css", engineSettings: { cluster: {} } }),
    ).toThrow(
      "stack lodz-prod.css sets muni:settings in stacks/Pulumi.lodz-prod.css.yaml, which would be ignored",
    );
  });

  it("GIVEN an unknown city THEN it names the known ones", () => {
    expect(() => programs.defineProgram({ root: REPO_ROOT, stack: "krakow.css" })).toThrow(
      'unknown stack "krakow": no stacks/Pulumi.krakow.yaml (known stacks: lodz-prod, lodz-staging)',
    );
  });

  it("GIVEN settings with a bad field WHEN a unit stack runs THEN it fails with the located error", async () => {
    const root = copyOfRepo();
    const file = join(root, "stacks", "Pulumi.lodz-prod.yaml");
    const text = readFileSync(file, "utf8");
    const line = text.slice(0, text.indexOf('cpu: "256"')).split("\n").length;
    writeFileSync(file, text.replace('cpu: "256"', "cpu: lots"));
    expect(await refused(root, "lodz-prod.css")).toContain(
      `stacks/Pulumi.lodz-prod.yaml:${line}:12: config["muni:settings"].capacity.cpu: "lots" is not a valid CPU quantity`,
    );
    rmSync(root, { recursive: true, force: true });
  });
});

describe("a unit that is not provisioned", () => {
  it("GIVEN a planned unit with its own stack WHEN the program runs THEN it registers nothing and says why", async () => {
    const root = migratedRepo();
    const css = join(root, "units", "css.yaml");
    writeFileSync(css, readFileSync(css, "utf8").replace(/state: active/, "state: planned"));
    // The ledger still says provisioned: going back to planned is refused; a unit never provisioned is fine.
    const ledger = join(root, "stacks", "lodz-prod.units.yaml");
    writeFileSync(ledger, readFileSync(ledger, "utf8").replace(/  css:\n(    .*\n)+/, ""));
    const run = await runStack(root, "lodz-prod.css");
    expect(run.registered).toStrictEqual([]);
    expect(run.outputs).toStrictEqual({
      unit: "css",
      namespaces: {},
      notProvisioned: { css: "planned" },
      retainedData: [],
      bipRegistry: [],
      mailDns: {},
    });
    rmSync(root, { recursive: true, force: true });
  });
});
