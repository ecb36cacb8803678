import { loadUnits } from "../../infra/2-manifest";

describe("the Łódź units of Annex 1", () => {
  it("GIVEN units/ WHEN validated THEN all three pass with no diagnostics", () => {
    // WHEN
    const result = loadUnits(["units"]);
    // THEN
    expect(result.diagnostics).toStrictEqual([]);
    expect(result.units.map((u) => [u.unit.id, u.unit.name])).toStrictEqual([
      ["css", "Centrum Świadczeń Socjalnych w Łodzi"],
      ["mpu", "Miejska Pracownia Urbanistyczna w Łodzi"],
      ["zzm", "Zarząd Zieleni Miejskiej w Łodzi"],
    ]);
  });

  it("GIVEN a unit WHEN validated THEN schema defaults are filled in", () => {
    const zzm = loadUnits(["units/zzm.yaml"]).units[0]!.unit;
    expect(zzm.services.servers?.quota.pods).toBe(50);
    expect(zzm.services.web?.sites[0]?.replicas).toBe(1);
    expect(zzm.services.print?.queues[0]?.driverless).toBe(true);
  });
});
