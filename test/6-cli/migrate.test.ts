/**
 * `muni migrate`: the dry run on the Łódź stacks as committed, and `--run` against a stand-in `pulumi` on PATH
 * (the real CLI cannot be had here; stand-in/pulumi-cli.js records the calls and moves URNs in its own state
 * as `pulumi state move` does: the component with its children, the source's providers staying behind).
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installMocks, type Registered, settle, unwrap } from "../helpers/pulumi";
import { runCli } from "../helpers/manifests";
import { copyOfRepo, migratedLedger, REPO_ROOT } from "../7-program/migrated";
import { installStandIn, type StandIn } from "./stand-in";

const mocks = installMocks("lodz-prod");

/** The URN Pulumi gives a registered resource: components at the root, their children `Parent$Child`, named `<component>-<key>`. */
function urnOf(stack: string, r: Registered): string {
  const component = /^(platform|css|mpu|zzm)(-|$)/.exec(r.name)?.[1];
  const root =
    r.type === "muni:unit:Unit" ||
    r.type === "muni:platform:Platform" ||
    r.type.startsWith("pulumi:providers:");
  const parent = component === "platform" ? "muni:platform:Platform" : "muni:unit:Unit";
  return `urn:pulumi:${stack}::muni::${root || !component ? "" : `${parent}$`}${r.type}::${r.name}`;
}

/** What the city-wide stack lodz-prod holds: every resource the city-wide program registers. */
async function cityWideState(root: string): Promise<string[]> {
  const { defineStack } = await import("../../infra/7-program/stack");
  mocks.registered.length = 0;
  await unwrap(defineStack({ root, stack: "lodz-prod" }).namespaces);
  await settle();
  return mocks.registered.map((r) => urnOf("lodz-prod", r));
}

let standIn: StandIn;
let root: string;
beforeEach(() => {
  standIn = installStandIn();
  root = copyOfRepo();
  writeFileSync(join(root, ".pulumi.version"), "3.270.0\n");
});
afterEach(() => {
  standIn.restore();
  rmSync(root, { recursive: true, force: true });
});

describe("muni migrate --stack lodz-prod (dry run on the Łódź stacks as committed)", () => {
  it("GIVEN the ledger recording the platform and three units in lodz-prod THEN it prints, platform first, a stack init and one pulumi state move per component, and what to do after; nothing runs", async () => {
    const r = await runCli(["migrate", "--stack", "lodz-prod", "--root", REPO_ROOT]);
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => !l.startsWith("#") && l)).toStrictEqual(
      [
        "platform:muni:platform:Platform::platform",
        "css:muni:unit:Unit::css",
        "mpu:muni:unit:Unit::mpu",
        "zzm:muni:unit:Unit::zzm",
      ].flatMap((x) => {
        const [s, urn] = [x.slice(0, x.indexOf(":")), x.slice(x.indexOf(":") + 1)];
        return [
          `pulumi stack init lodz-prod.${s} --secrets-provider hashivault://muni-lodz-prod   # unless it exists`,
          `pulumi state move --source lodz-prod --dest lodz-prod.${s} --yes urn:pulumi:lodz-prod::muni::${urn}`,
        ];
      }),
    );
    expect(r.out).toContain("#   pulumi stack rm lodz-prod --force --preserve-config");
    expect(standIn.calls()).toStrictEqual([]);
  });
});

describe("muni migrate --stack lodz-prod --run (stand-in pulumi)", () => {
  it("GIVEN the city-wide state THEN each component moves with all its children into its own stack, the providers stay, and the ledger records each move", async () => {
    const before = await cityWideState(root);
    standIn.setStacks({ "lodz-prod": { secretsProvider: "hashivault://muni-lodz-prod", resources: before } });
    const ledgerFile = join(root, "stacks", "lodz-prod.units.yaml");
    const ledgerBefore = readFileSync(ledgerFile, "utf8");
    const r = await runCli(["migrate", "--stack", "lodz-prod", "--run", "--root", root]);
    expect(r.code).toBe(0);
    const stacks = standIn.stacks();
    expect(stacks["lodz-prod"]!.resources).toStrictEqual(
      before.filter((u) => u.includes("::pulumi:providers:")),
    );
    for (const c of ["platform", "css", "mpu", "zzm"]) {
      const moved = before
        .filter((u) => new RegExp(`::${c}(-[^:]*)?$`).test(u) && !u.includes("::pulumi:providers:"))
        .map((u) => u.replace("urn:pulumi:lodz-prod::", `urn:pulumi:lodz-prod.${c}::`));
      expect({ c, resources: [...stacks[`lodz-prod.${c}`]!.resources].sort() }).toStrictEqual({
        c,
        resources: moved.sort(),
      });
      expect(stacks[`lodz-prod.${c}`]!.secretsProvider).toBe("hashivault://muni-lodz-prod");
    }
    // Every resource is in exactly one stack: nothing lost, nothing doubled.
    const all = Object.values(stacks).flatMap((s) =>
      s.resources.map((u) => u.replace(/^urn:pulumi:[^:]+::/, "")),
    );
    expect(all.sort()).toStrictEqual(before.map((u) => u.replace(/^urn:pulumi:[^:]+::/, "")).sort());
    expect(readFileSync(ledgerFile, "utf8")).toBe(migratedLedger(ledgerBefore));
    const calls = standIn.calls().map((c) => c.argv.join(" "));
    expect(calls.filter((c) => c.startsWith("state move"))).toStrictEqual(
      [
        "platform:muni:platform:Platform::platform",
        "css:muni:unit:Unit::css",
        "mpu:muni:unit:Unit::mpu",
        "zzm:muni:unit:Unit::zzm",
      ].map((x) => {
        const s = x.slice(0, x.indexOf(":"));
        return `state move --source lodz-prod --dest lodz-prod.${s} --yes urn:pulumi:lodz-prod::muni::${x.slice(x.indexOf(":") + 1)} --non-interactive`;
      }),
    );
    // The target exists (with the city's secrets provider) before anything moves into it.
    const initCss = calls.indexOf(
      "stack init lodz-prod.css --secrets-provider hashivault://muni-lodz-prod --non-interactive",
    );
    expect(initCss).toBeGreaterThan(-1);
    expect(initCss).toBeLessThan(
      calls.findIndex((c) => c.startsWith("state move --source lodz-prod --dest lodz-prod.css")),
    );
    expect(r.out.at(-1)).toMatch(/^done: 4 moved\. Commit .*lodz-prod\.units\.yaml/);
    // Then each new stack's program registers exactly what was moved into it (names and parents as in the state).
    const { defineProgram } = await import("../../infra/7-program/programs");
    mocks.registered.length = 0;
    await unwrap(
      (defineProgram({ root, stack: "lodz-prod.css" }) as { namespaces: Record<string, unknown> }).namespaces,
    );
    await settle();
    expect(mocks.registered.map((x) => urnOf("lodz-prod.css", x)).sort()).toStrictEqual(
      [
        ...stacks["lodz-prod.css"]!.resources,
        "urn:pulumi:lodz-prod.css::muni::pulumi:providers:kubernetes::cluster",
      ].sort(),
    );
    // And a second run has nothing left to move.
    expect((await runCli(["migrate", "--stack", "lodz-prod", "--root", root])).out).toStrictEqual([
      `stack lodz-prod: nothing to move (ledger ${ledgerFile}: every unit and the platform are in their own stacks)`,
    ]);
  });

  it("GIVEN a component the ledger records but the state lacks THEN it stops there, exit 1, the moves before it recorded", async () => {
    const before = (await cityWideState(root)).filter((u) => !/::mpu(-[^:]*)?$/.test(u));
    standIn.setStacks({ "lodz-prod": { secretsProvider: "x", resources: before } });
    const r = await runCli(["migrate", "--stack", "lodz-prod", "--run", "--root", root]);
    expect(r.code).toBe(1);
    expect(r.err).toStrictEqual([
      `muni migrate: urn:pulumi:lodz-prod::muni::muni:unit:Unit::mpu is not in the state of lodz-prod, though ${join(root, "stacks", "lodz-prod.units.yaml")} records unit mpu there: stopped (2 of 4 moved; check with pulumi stack --stack lodz-prod --show-urns)`,
    ]);
    const ledger = readFileSync(join(root, "stacks", "lodz-prod.units.yaml"), "utf8");
    expect(ledger).toContain("platform:\n  movedFrom: lodz-prod\n");
    expect(/  css:\n(    .*\n)*    movedFrom: lodz-prod\n/.test(ledger)).toBe(true);
    expect(/  mpu:\n(    .*\n)*    stack: lodz-prod\n/.test(ledger)).toBe(true);
    expect(Object.keys(standIn.stacks()).sort()).toStrictEqual([
      "lodz-prod",
      "lodz-prod.css",
      "lodz-prod.platform",
    ]);
  });
});
