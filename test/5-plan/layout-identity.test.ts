/**
 * The layered layout (issue 12) changed no behaviour: `muni plan` of both Łódź stacks writes byte for byte
 * what it wrote before the change (test/fixtures/plan-before, recorded from the commit before it), and
 * prints the same summary. A fixture of that one change: dropped once the change has landed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/manifests";

const BEFORE = join(__dirname, "..", "fixtures", "plan-before");

describe.each(["lodz-prod", "lodz-staging"])("muni plan --stack %s after the layout change", (stack) => {
  it("GIVEN the same manifests WHEN planned THEN every file and the summary are identical to before", async () => {
    const out = join(tempDir(), stack);
    const run = await runCli(["plan", "--stack", stack, "--out", out]);
    expect(run.code).toBe(0);
    const files = (dir: string) => readdirSync(dir).sort();
    expect(files(out)).toStrictEqual(files(join(BEFORE, stack)));
    for (const f of files(out))
      expect([f, readFileSync(join(out, f), "utf8").split(out).join("<out>")]).toStrictEqual([
        f,
        readFileSync(join(BEFORE, stack, f), "utf8"),
      ]);
    expect(`${run.out.join("\n")}\n`.split(out).join("<out>")).toBe(
      readFileSync(join(BEFORE, `${stack}.txt`), "utf8"),
    );
  });
});
