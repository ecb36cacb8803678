import { join } from "node:path";
import { loadProject } from "../../../infra/3-rules";
import { renderPlatform } from "../../../infra/4-builders";

// Issue 14.6/14.7: the print server takes its tenants at run time, so its objects (the pod template
// above all) do not change when units come or go, and none grows with the city.

const project = loadProject(join(__dirname, "..", "..", ".."), "lodz-prod");
const settings = project.stack!.settings;
const printObjects = () =>
  renderPlatform(settings)
    .filter((d) => d.object.metadata.namespace === settings.platform.print.namespace)
    .map((d) => d.object);

describe("the print server's objects and the number of tenants", () => {
  it("GIVEN the stack's settings WHEN the platform is rendered THEN it takes nothing else (no unit reaches the print objects), none names a Łódź unit, and the largest stays far below the API server's 1.5 MiB", () => {
    expect(renderPlatform.length).toBe(1);
    const objects = printObjects();
    expect(JSON.stringify(objects)).not.toMatch(/print-queues-|\b(css|mpu|zzm)-/);
    const largest = Math.max(...objects.map((o) => JSON.stringify(o).length));
    expect(largest).toBeLessThan(16 * 1024);
  });
});
