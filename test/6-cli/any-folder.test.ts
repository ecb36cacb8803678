import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { runCliIn } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";

describe("every command from any folder of the repository", () => {
  const root = copyOfRepo();
  const deep = join(root, "docs", "notes");
  mkdirSync(deep, { recursive: true });

  it.each([
    [["validate"], 0],
    [["validate", "--stack", "lodz-staging"], 0],
    [["plan", "--stack", "lodz-staging"], 0],
    [["report", "--format", "csv"], 0],
    [["ledger", "--check"], 0],
    [["drift", join(__dirname, "..", "fixtures", "drift", "preview-clean.json"), "--stack", "lodz-prod"], 0],
    [["new-unit", "--id", "mops"], 2],
  ])(
    "GIVEN the working directory docs/notes WHEN `muni %j` runs THEN it finds the project (exit %d, never 'no Pulumi.yaml')",
    async (args, code) => {
      const r = await runCliIn(deep, args as string[]);
      expect([r.code, r.err.filter((l) => l.includes("Pulumi.yaml"))]).toStrictEqual([code, []]);
    },
  );

  it("GIVEN a plan from a subfolder WHEN no --out is given THEN it writes plan-out/ at the project root", () => {
    expect([
      existsSync(join(root, "plan-out", "plan.json")),
      existsSync(join(deep, "plan-out")),
    ]).toStrictEqual([true, false]);
  });
});
