import { checkLedger } from "../../../infra/3-rules/lifecycle/ledger-guards";
import { loadProject } from "../../../infra/3-rules/project";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type LifecycleSpec, ledgerYaml, makeProject, unitYaml } from "./project";

/** 1-based line of the first line of the test stack file containing `text`. */
function lineOf(root: string, text: string): number {
  return (
    readFileSync(join(root, "stacks", "Pulumi.test.yaml"), "utf8")
      .split("\n")
      .findIndex((l) => l.includes(text)) + 1
  );
}

// Six units, all active in wave 1 and recorded so in the ledger; approvals are checked on 2027-06-01.
const IDS = ["css", "mopr", "mpu", "zdp", "zzl", "zzm"] as const;
const LC = { today: "2027-06-01", liveWaves: [1, 2] };
const APPROVED: [string, string] = ["2027-05-10", "2027-08-10"];
const ALL_ACTIVE = Object.fromEntries(IDS.map((id) => [id, ["active", 1, true]])) as Record<
  string,
  ["active", number, boolean]
>;

/** The six units, with some changed. */
function units(
  changes: Partial<Record<(typeof IDS)[number], LifecycleSpec | null>> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of IDS) {
    const c = changes[id];
    if (c === null) continue;
    out[id] = unitYaml(id, c ?? { state: "active" });
  }
  return out;
}

describe("transition guards against the stack's ledger", () => {
  it("GIVEN nothing changed WHEN the stack loads THEN there is no problem", () => {
    expect(makeProject(units(), LC, ledgerYaml(ALL_ACTIVE)).messages()).toStrictEqual([]);
  });

  it("GIVEN a provisioned unit's manifest deleted WHEN the stack loads THEN the error names the unit at its ledger entry", () => {
    const p = makeProject(units({ mpu: null }), LC, ledgerYaml(ALL_ACTIVE));
    expect(p.messages()).toStrictEqual([
      "stacks/test.units.yaml:13:3: units.mpu: unit \"mpu\" is active and provisioned (per ledger stacks/test.units.yaml) but is no longer among the stack's units (manifest units/mpu.yaml deleted, or dropped by the stack's units.ids/labels): muni never removes a unit that has not passed through decommissioning (restore units/mpu.yaml; to retire the unit set lifecycle.state: decommissioning with an approval, apply, then decommissioned)",
    ]);
  });

  it("GIVEN an active unit WHEN it goes straight to decommissioned THEN it is refused at lifecycle.state", () => {
    const p = makeProject(
      units({ mpu: { state: "decommissioned", approval: APPROVED } }),
      LC,
      ledgerYaml(ALL_ACTIVE),
    );
    expect(p.messages()).toStrictEqual([
      'units/mpu.yaml:8:10: lifecycle.state: unit "mpu" goes from active straight to decommissioned (per ledger stacks/test.units.yaml): it must pass through decommissioning first (set lifecycle.state: decommissioning (with its approval) and apply that change, then decommissioned in a later one)',
    ]);
  });

  it("GIVEN an active unit WHEN it goes to decommissioning with an approval in force THEN it is accepted and stays provisioned", () => {
    const p = makeProject(
      units({ mpu: { state: "decommissioning", approval: APPROVED } }),
      LC,
      ledgerYaml(ALL_ACTIVE),
    );
    expect(p.messages()).toStrictEqual([]);
  });

  it("GIVEN a decommissioning unit WHEN it becomes decommissioned with an approval in force THEN it is accepted", () => {
    const p = makeProject(
      units({ mpu: { state: "decommissioned", approval: APPROVED } }),
      LC,
      ledgerYaml({ ...ALL_ACTIVE, mpu: ["decommissioning", 1, true] }),
    );
    expect(p.messages()).toStrictEqual([]);
  });

  it("GIVEN a decommissioning unit WHEN it becomes decommissioned after its approval expired THEN it is refused at expiresOn", () => {
    const p = makeProject(
      units({ mpu: { state: "decommissioned", approval: ["2027-01-10", "2027-04-10"] } }),
      LC,
      ledgerYaml({ ...ALL_ACTIVE, mpu: ["decommissioning", 1, true] }),
    );
    expect(p.messages()).toStrictEqual([
      'units/mpu.yaml:14:16: lifecycle.approval.expiresOn: approval DI-II.0210.15.2027 expired on 2027-04-10 (today is 2027-06-01): it no longer authorizes moving unit "mpu" to decommissioned (get the decommissioning approved again (new approvedOn, reference and expiresOn), or set lifecycle.state back to active)',
    ]);
  });

  it("GIVEN a unit decommissioned long ago WHEN its approval is past expiry THEN nothing is refused (the transition is history)", () => {
    const p = makeProject(
      units({ mpu: { state: "decommissioned", approval: ["2027-01-10", "2027-04-10"] } }),
      LC,
      ledgerYaml({ ...ALL_ACTIVE, mpu: ["decommissioned", 1, false] }),
    );
    expect(p.messages()).toStrictEqual([]);
  });

  it("GIVEN a provisioned unit WHEN it is set back to planned THEN it is refused: that would delete its namespace", () => {
    const p = makeProject(units({ mpu: { state: "planned" } }), LC, ledgerYaml(ALL_ACTIVE));
    expect(p.messages()).toStrictEqual([
      'units/mpu.yaml:8:10: lifecycle.state: unit "mpu" is provisioned (active, per ledger stacks/test.units.yaml); setting it back to planned would delete its namespace and data (keep it active, or retire it through decommissioning (with an approval) and then decommissioned)',
    ]);
  });

  it("GIVEN a provisioned unit WHEN its wave is moved out of the live waves THEN it is refused at lifecycle.wave", () => {
    const p = makeProject(units({ mpu: { state: "active", wave: 3 } }), LC, ledgerYaml(ALL_ACTIVE));
    expect(p.messages()).toStrictEqual([
      'units/mpu.yaml:9:9: lifecycle.wave: unit "mpu" is provisioned (active, per ledger stacks/test.units.yaml) but its wave 3 is not live in this stack (live waves: 1, 2): it would be deleted (add 3 to the stack\'s lifecycle.liveWaves, or move the unit to a live wave)',
    ]);
  });

  it("GIVEN a decommissioned unit WHEN it is made active again THEN it is refused: its retained namespace is in the way", () => {
    const p = makeProject(units(), LC, ledgerYaml({ ...ALL_ACTIVE, mpu: ["decommissioned", 1, false] }));
    expect(p.messages()).toStrictEqual([
      'units/mpu.yaml:8:10: lifecycle.state: unit "mpu" was decommissioned (per ledger stacks/test.units.yaml) and cannot become active again: its retained namespace and data are still in the cluster (onboard the organization under a new unit id, or import its retained objects into the stack before reactivating it)',
    ]);
  });

  it("GIVEN a decommissioned or a planned unit WHEN its manifest is deleted THEN that is allowed (nothing provisioned is lost)", () => {
    const p = makeProject(
      units({ mpu: null, zzm: null }),
      LC,
      ledgerYaml({ ...ALL_ACTIVE, mpu: ["decommissioned", 1, false], zzm: ["planned", 1, false] }),
    );
    expect(p.messages()).toStrictEqual([]);
  });

  it("GIVEN no ledger yet WHEN the stack loads THEN only the approvals are checked", () => {
    expect(makeProject(units({ mpu: { state: "planned" } }), LC).messages()).toStrictEqual([]);
  });
});

describe("mass-removal guard", () => {
  const twoLeave = units({
    mpu: { state: "decommissioned", approval: APPROVED },
    zzm: { state: "decommissioned", approval: APPROVED },
  });
  const ledger = ledgerYaml({
    ...ALL_ACTIVE,
    mpu: ["decommissioning", 1, true],
    zzm: ["decommissioning", 1, true],
  });

  it("GIVEN 2 of 6 units leaving properly WHEN the share limit is 20% THEN the change is refused at maxRemovalShare", () => {
    const p = makeProject(twoLeave, { ...LC, maxRemovalShare: 0.2 }, ledger);
    expect(p.messages()).toStrictEqual([
      `stacks/Pulumi.test.yaml:${lineOf(p.root, "maxRemovalShare: 0.2")}:24: config["muni:settings"].lifecycle.maxRemovalShare: 2 of 6 provisioned units would stop being provisioned in one change (mpu, zzm), over the stack\'s limit of 1 (maxRemovalShare 0.2) (split the change, or if it is deliberate allow it for one run: MUNI_ALLOW_MASS_REMOVAL=1 (or --allow-mass-removal), or lifecycle.allowMassRemoval: true in the stack settings)`,
    ]);
  });

  it("GIVEN the same change WHEN allowMassRemoval is set in the stack THEN it is accepted", () => {
    expect(makeProject(twoLeave, { ...LC, allowMassRemoval: true }, ledger).messages()).toStrictEqual([]);
  });

  it("GIVEN the same change WHEN MUNI_ALLOW_MASS_REMOVAL=1 THEN it is accepted for that run only", () => {
    const p = makeProject(twoLeave, LC, ledger);
    const project = loadProject(p.root, "test");
    const stack = project.stack!;
    expect(p.messages(checkLedger(stack, project.units, { MUNI_ALLOW_MASS_REMOVAL: "1" }))).toStrictEqual([]);
    expect(p.messages(checkLedger(stack, project.units, {}))).toHaveLength(1);
  });

  it("GIVEN a bad merge that deleted 3 manifests WHEN the stack loads THEN each unit is named and the mass guard fires too", () => {
    const p = makeProject(units({ css: null, mpu: null, zzm: null }), LC, ledgerYaml(ALL_ACTIVE));
    const m = p.messages();
    expect(m.map((x) => x.split(": ")[0])).toStrictEqual([
      // No maxRemovalShare in the file: the error points at the stack's lifecycle settings.
      `stacks/Pulumi.test.yaml:${lineOf(p.root, "lifecycle:") + 1}:7`,
      // Each vanished unit at its ledger entry (5 lines each after the header and `units:`).
      "stacks/test.units.yaml:3:3",
      "stacks/test.units.yaml:13:3",
      "stacks/test.units.yaml:28:3",
    ]);
    expect(m[0]).toContain(
      "3 of 6 provisioned units would stop being provisioned in one change (css, mpu, zzm)",
    );
  });
});
