import fc from "fast-check";
import { fieldPath } from "../../infra/2-manifest/diagnostics";
import { parsePropertyPath, valueAt } from "../../infra/5-report/property-path";

describe("Pulumi property paths (drift's detailedDiff keys)", () => {
  it.each([
    ['spec.hard["requests.cpu"]', ["spec", "hard", "requests.cpu"]],
    ["subjects[1]", ["subjects", 1]],
    ['metadata.labels["app.kubernetes.io/name"]', ["metadata", "labels", "app.kubernetes.io/name"]],
    ["data", ["data"]],
    ['a["q\\"uote"].b', ["a", 'q"uote', "b"]],
  ])("GIVEN %s WHEN parsed THEN %j", (path, segments) => {
    expect(parsePropertyPath(path)).toStrictEqual(segments);
  });

  it.each([["a["], ["a[x]"], ['a["x"'], [".a"], ["a..b"], ["a[-1]"]])(
    "GIVEN the malformed path %s WHEN parsed THEN undefined (the path is shown without values)",
    (path) => {
      expect(parsePropertyPath(path)).toBeUndefined();
    },
  );

  it("GIVEN any path of keys and indexes WHEN written as muni writes field paths and parsed back THEN the segments come back", () => {
    const key = fc.string({ minLength: 1, maxLength: 12 });
    const seg = fc.oneof(key, fc.nat({ max: 50 }));
    fc.assert(
      fc.property(key, fc.array(seg, { maxLength: 6 }), (first, rest) => {
        const segments = [first, ...rest];
        expect(parsePropertyPath(fieldPath(segments))).toStrictEqual(segments);
      }),
    );
  });

  it("GIVEN a state WHEN a path is looked up THEN the value, or not found", () => {
    const state = { spec: { hard: { "requests.cpu": "24" } }, subjects: [{ name: "a" }] };
    expect(valueAt(state, ["spec", "hard", "requests.cpu"])).toStrictEqual({ found: true, value: "24" });
    expect(valueAt(state, ["subjects", 1])).toStrictEqual({ found: false });
    expect(valueAt(null, ["x"])).toStrictEqual({ found: false });
  });
});
