import { loadUnits } from "../../infra/manifest";
import { writeGeneratedUnits } from "../helpers/manifests";

describe("validation time", () => {
  it("GIVEN 1,000 generated valid units WHEN loadUnits runs (after a warm-up) THEN all pass in under 2 s", () => {
    // GIVEN
    const dir = writeGeneratedUnits(1000);
    loadUnits([dir]); // warm-up: schema compilation, module loading, file cache
    // WHEN
    const started = performance.now();
    const result = loadUnits([dir]);
    const elapsed = performance.now() - started;
    // THEN
    console.log(`loadUnits on 1,000 generated units: ${elapsed.toFixed(0)} ms`);
    expect(result.diagnostics).toStrictEqual([]);
    expect(result.units.length).toBe(1000);
    expect(new Set(result.units.map((u) => u.unit.services.mail?.domain)).size).toBe(1000);
    expect(elapsed).toBeLessThan(2000);
  });
});
