import { join } from "node:path";
import type { Unit } from "../../../infra/1-model";
import { loadProject } from "../../../infra/3-rules";
import { renderPlatform } from "../../../infra/4-builders";

// Issue 14.6/14.7: the print server takes its tenants at run time, so its objects (the pod template
// above all) do not change when units come or go, and none grows with the city.

const project = loadProject(join(__dirname, "..", "..", ".."), "lodz-prod");
const settings = project.stack!.settings;
const annex = project.units.map((u) => u.unit);
const printObjects = (units: readonly Unit[]) =>
  renderPlatform(settings, units)
    .filter((d) => d.object.metadata.namespace === settings.platform.print.namespace)
    .map((d) => d.object);

describe("the print server's objects and the number of tenants", () => {
  it("GIVEN 0, 3 and 10,000 units with print WHEN the platform is rendered THEN the print objects are identical and the largest stays far below the API server's 1.5 MiB", () => {
    const many: Unit[] = Array.from({ length: 10000 }, (_, i) => ({
      ...structuredClone(annex[i % annex.length]!),
      id: `u${String(i).padStart(5, "0")}`,
    }));
    const none = printObjects([]);
    expect(printObjects(annex)).toStrictEqual(none);
    expect(printObjects(many)).toStrictEqual(none);
    const largest = Math.max(...none.map((o) => JSON.stringify(o).length));
    expect(largest).toBeLessThan(16 * 1024);
  });
});
