import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { codeownersPath, suggestedOwner, withUnitLine } from "../../infra/6-cli/codeowners";

const REPO_CODEOWNERS = readFileSync(join(__dirname, "..", "..", "CODEOWNERS"), "utf8");
const CENTRAL = "@uml-lodz/administratorzy-techniczni";

describe("CODEOWNERS: the unit's line", () => {
  it("GIVEN the repository's CODEOWNERS WHEN mops is added THEN its line stands between css and mpu, owners aligned, central IT last", () => {
    const got = withUnitLine(REPO_CODEOWNERS, "/units/mops.yaml", ["@uml-lodz/mops-administratorzy"]);
    const line = `/units/mops.yaml        @uml-lodz/mops-administratorzy ${CENTRAL}`;
    expect(got).toStrictEqual({
      text: REPO_CODEOWNERS.replace("/units/mpu.yaml", `${line}\n/units/mpu.yaml`),
      line,
      added: true,
    });
  });

  it("GIVEN a CODEOWNERS without unit lines WHEN a unit is added THEN it goes before the comment above /stacks/, aligned with the catch-all", () => {
    const text = ["*           @org/it", "# Stacks: central IT only.", "/stacks/    @org/it", ""].join("\n");
    expect(withUnitLine(text, "/units/a.yaml", ["@org/a-admins"]).text).toBe(
      [
        "*           @org/it",
        "/units/a.yaml @org/a-admins @org/it",
        "# Stacks: central IT only.",
        "/stacks/    @org/it",
        "",
      ].join("\n"),
    );
  });

  it("GIVEN a path that has a line WHEN added again THEN nothing changes", () => {
    expect(withUnitLine(REPO_CODEOWNERS, "/units/mpu.yaml", ["@x/y"])).toStrictEqual({
      text: REPO_CODEOWNERS,
      line: `/units/mpu.yaml         @uml-lodz/mpu-administratorzy ${CENTRAL}`,
      added: false,
    });
  });

  it("GIVEN any new unit id WHEN its line is added THEN exactly one line is inserted, every other line keeps its order, and unit lines stay sorted before /stacks/", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/), (id) => {
        const path = `/units/${id}.yaml`;
        const before = REPO_CODEOWNERS.split("\n");
        const { text, added } = withUnitLine(REPO_CODEOWNERS, path, [suggestedOwner(REPO_CODEOWNERS, id)]);
        const after = text.split("\n");
        if (!added) return expect(text).toBe(REPO_CODEOWNERS);
        expect(after.length).toBe(before.length + 1);
        expect(after.filter((l) => !l.startsWith(`${path} `))).toStrictEqual(before);
        const units = after.filter((l) => l.startsWith("/units/")).map((l) => l.split(/\s+/)[0]!);
        expect(units).toStrictEqual([...units].sort());
        expect(after.findIndex((l) => l.startsWith(`${path} `))).toBeLessThan(
          after.findIndex((l) => l.startsWith("/stacks/")),
        );
      }),
    );
  });

  it("GIVEN the catch-all's organization WHEN a reviewer is suggested THEN it is the unit's administrators' team there", () => {
    expect(suggestedOwner(REPO_CODEOWNERS, "mops")).toBe("@uml-lodz/mops-administratorzy");
    expect(codeownersPath("units/mops.yaml")).toBe("/units/mops.yaml");
  });
});
