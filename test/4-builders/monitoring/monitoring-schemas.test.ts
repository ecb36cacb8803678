import { join } from "node:path";
import { loadProject } from "../../../infra/3-rules";
import { buildContext, monitoring } from "../../../infra/4-builders";
import { strictSchemaErrors } from "../../helpers/k8s-schemas";

const REPO = join(__dirname, "..", "..", "..");

describe("monitoring objects against the vendored Prometheus Operator schemas", () => {
  const p = loadProject(REPO, "lodz-prod");
  const settings = p.stack!.settings;
  const css = p.units.find((u) => u.unit.id === "css")!.unit;
  const [rule] = monitoring.buildUnitRules(buildContext(css, settings));
  const withStrategy = (value: string) => {
    const spec = rule!.object.spec as { groups: Array<Record<string, unknown>> };
    return { ...rule!.object, spec: { groups: [{ ...spec.groups[0], partial_response_strategy: value }] } };
  };

  it("GIVEN the Go pattern (?i)(abort|warn)? of partial_response_strategy WHEN checked THEN any case of abort or warn passes and anything else is refused (the (?i) translation neither loosens nor breaks it)", () => {
    expect(["abort", "Abort", "WARN", ""].map((v) => strictSchemaErrors(withStrategy(v)))).toStrictEqual([
      [],
      [],
      [],
      [],
    ]);
    expect(strictSchemaErrors(withStrategy("bogus")).length).toBeGreaterThan(0);
  });

  it("GIVEN a site Probe WHEN a field is misspelt THEN the strict schema refuses it", () => {
    const [probe] = monitoring.buildSiteProbes(buildContext(css, settings));
    expect(strictSchemaErrors(probe!.object)).toStrictEqual([]);
    const bad = { ...probe!.object, spec: { ...(probe!.object.spec as object), modul: "http_2xx" } };
    expect(strictSchemaErrors(bad).length).toBeGreaterThan(0);
  });
});
