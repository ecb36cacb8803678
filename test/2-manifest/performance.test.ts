import { type LoadResult, loadUnits } from "../../infra/2-manifest";
import { writeGeneratedUnits } from "../helpers/manifests";

describe("validation time", () => {
  it("GIVEN 1,000 generated valid units WHEN loadUnits runs (after a warm-up) THEN all pass in under 2 s (best of three)", () => {
    // GIVEN
    const dir = writeGeneratedUnits(1000);
    loadUnits([dir]); // warm-up: schema compilation, module loading, file cache
    // WHEN: the best of three runs, so that other jest workers sharing the machine do not decide the figure
    const runs: number[] = [];
    let result: LoadResult = { units: [], diagnostics: [], files: [] };
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      result = loadUnits([dir]);
      runs.push(performance.now() - started);
    }
    const elapsed = Math.min(...runs);
    // THEN
    console.log(
      `loadUnits on 1,000 generated units: ${elapsed.toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(", ")} ms)`,
    );
    expect(result.diagnostics).toStrictEqual([]);
    expect(result.units.length).toBe(1000);
    expect(new Set(result.units.map((u) => u.unit.services.mail?.domain)).size).toBe(1000);
    expect(elapsed).toBeLessThan(2000);
  });
});
