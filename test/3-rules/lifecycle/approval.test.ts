import { todayOf } from "../../../infra/1-model/clock";
import { makeProject, unitYaml } from "./project";

const LC = { today: "2027-06-01" };

describe("decommissioning approvals", () => {
  it("GIVEN a decommissioning unit whose approval expired WHEN the stack loads THEN it is refused at expiresOn", () => {
    const p = makeProject(
      { mpu: unitYaml("mpu", { state: "decommissioning", approval: ["2027-01-10", "2027-05-31"] }) },
      LC,
    );
    expect(p.messages()).toStrictEqual([
      'units/mpu.yaml:14:16: lifecycle.approval.expiresOn: approval DI-II.0210.15.2027 expired on 2027-05-31 (today is 2027-06-01): it no longer authorizes moving unit "mpu" to decommissioning (get the decommissioning approved again (new approvedOn, reference and expiresOn), or set lifecycle.state back to active)',
    ]);
  });

  it("GIVEN an approval expiring today WHEN the stack loads THEN it is still in force", () => {
    expect(
      makeProject(
        { mpu: unitYaml("mpu", { state: "decommissioning", approval: ["2027-01-10", "2027-06-01"] }) },
        LC,
      ).messages(),
    ).toStrictEqual([]);
  });

  it("GIVEN an approval dated in the future WHEN the stack loads THEN it is refused at approvedOn", () => {
    const p = makeProject(
      { mpu: unitYaml("mpu", { state: "decommissioning", approval: ["2027-06-02", "2027-09-01"] }) },
      LC,
    );
    expect(p.messages()).toStrictEqual([
      "units/mpu.yaml:12:17: lifecycle.approval.approvedOn: approval DI-II.0210.15.2027 is dated 2027-06-02, in the future (today is 2027-06-01) (write the date the decision was actually signed)",
    ]);
  });

  it("GIVEN an approval that expires before it was given WHEN the stack loads THEN it is refused at expiresOn, even once decommissioned", () => {
    const p = makeProject(
      { mpu: unitYaml("mpu", { state: "decommissioned", approval: ["2027-05-10", "2027-05-01"] }) },
      LC,
    );
    expect(p.messages()).toStrictEqual([
      "units/mpu.yaml:14:16: lifecycle.approval.expiresOn: approval DI-II.0210.15.2027 expires on 2027-05-01, before it was given on 2027-05-10 (an approval cannot expire before it is given: fix expiresOn or approvedOn)",
    ]);
  });

  it("GIVEN decommissioning without any approval WHEN the stack loads THEN the schema refuses it, located", () => {
    const p = makeProject({ mpu: unitYaml("mpu", { state: "decommissioning" }) }, LC);
    expect(p.messages()).toStrictEqual([
      'units/mpu.yaml:7:1: lifecycle.approval: missing required field "approval" when state is "decommissioning" (approval: Approval of decommissioning: required in states decommissioning and decommissioned, void after expiresOn)',
    ]);
  });
});

describe("the clock approvals are checked against", () => {
  const noToday = {
    lifecycle: {
      liveWaves: [1] as [number],
      maxRemovalShare: 0.2,
      allowMassRemoval: false,
      protectData: false,
    },
  };

  it("GIVEN the stack's today WHEN asked THEN it wins over MUNI_TODAY", () => {
    expect(
      todayOf({ lifecycle: { ...noToday.lifecycle, today: "2030-01-02" } }, { MUNI_TODAY: "2029-01-01" }),
    ).toBe("2030-01-02");
  });

  it("GIVEN MUNI_TODAY WHEN the stack sets no date THEN MUNI_TODAY is used", () => {
    expect(todayOf(noToday, { MUNI_TODAY: "2029-01-01" })).toBe("2029-01-01");
  });

  it("GIVEN neither WHEN asked THEN it is the real date in Łódź (Europe/Warsaw), not UTC", () => {
    // 2027-06-01 23:30 UTC is already 2 June in Warsaw (UTC+2 in summer).
    expect(todayOf(noToday, {}, new Date("2027-06-01T23:30:00Z"))).toBe("2027-06-02");
  });

  it("GIVEN a MUNI_TODAY that is not a date WHEN asked THEN it throws naming it", () => {
    expect(() => todayOf(noToday, { MUNI_TODAY: "2027-02-30" })).toThrow(
      'MUNI_TODAY="2027-02-30" is not a date (write it YYYY-MM-DD, e.g. 2027-06-01, or unset it)',
    );
  });
});
