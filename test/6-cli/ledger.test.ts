import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";
import { writeFileSync } from "node:fs";
import { ledgerYaml, makeProject, unitYaml } from "../3-rules/lifecycle/project";

const LC = { today: "2027-06-01" };
const APPROVED: [string, string] = ["2027-05-10", "2027-08-10"];

describe("muni ledger", () => {
  it("GIVEN a unit moving to decommissioning WHEN run with --write THEN the change is shown and recorded, and --check then passes", async () => {
    const p = makeProject(
      {
        mpu: unitYaml("mpu", { state: "decommissioning", approval: APPROVED }),
        zzm: unitYaml("zzm", { state: "planned", wave: 2 }),
      },
      LC,
      ledgerYaml({ mpu: ["active", 1, true] }),
    );
    const ledgerFile = join(p.root, "stacks", "test.units.yaml");
    const dry = await runCli(["ledger", "--stack", "test", "--root", p.root, "--check"]);
    expect(dry.code).toBe(1);
    const run = await runCli(["ledger", "--stack", "test", "--root", p.root, "--write"]);
    expect(run.code).toBe(0);
    expect(run.out.map((l) => l.split(`${p.root}/`).join(""))).toStrictEqual([
      "stack test, ledger stacks/test.units.yaml:",
      "  mpu: active → decommissioning, wave 1 → 1, provisioned → provisioned",
      "  zzm: new, planned, wave 2, not provisioned",
      "wrote stacks/test.units.yaml",
    ]);
    expect(readFileSync(ledgerFile, "utf8").split("\n").slice(3).join("\n")).toBe(
      [
        "units:",
        "  mpu:",
        "    state: decommissioning",
        "    wave: 1",
        "    provisioned: true",
        "    file: units/mpu.yaml",
        "  zzm:",
        "    state: planned",
        "    wave: 2",
        "    provisioned: false",
        "    file: units/zzm.yaml",
        "",
      ].join("\n"),
    );
    expect((await runCli(["ledger", "--stack", "test", "--root", p.root, "--check"])).code).toBe(0);
  });

  it("GIVEN a provisioned unit's manifest deleted WHEN run with --write THEN nothing is recorded and the error names the unit (exit 1)", async () => {
    const p = makeProject(
      { zzm: unitYaml("zzm", { state: "active" }) },
      LC,
      ledgerYaml({ mpu: ["active", 1, true], zzm: ["active", 1, true] }),
    );
    const before = readFileSync(join(p.root, "stacks", "test.units.yaml"), "utf8");
    const run = await runCli(["ledger", "--stack", "test", "--root", p.root, "--write"]);
    expect(run.code).toBe(1);
    expect(run.err[0]!.split(`${p.root}/`).join("")).toMatch(
      /^stacks\/test\.units\.yaml:3:3: units\.mpu: unit "mpu" is active and provisioned/,
    );
    expect(readFileSync(join(p.root, "stacks", "test.units.yaml"), "utf8")).toBe(before);
  });

  it("GIVEN the committed Łódź stacks WHEN checked THEN their ledgers are up to date", async () => {
    const root = join(__dirname, "..", "..");
    for (const stack of ["lodz-prod", "lodz-staging"]) {
      const run = await runCli(["ledger", "--stack", stack, "--root", root, "--check"]);
      expect([stack, run.code, run.err]).toStrictEqual([stack, 0, []]);
    }
  });

  it("GIVEN a new unit both stacks take WHEN --check runs without --stack THEN it fails naming both stale ledgers and the exact command; that command fixes it", async () => {
    // GIVEN
    const root = copyOfRepo();
    writeFileSync(join(root, "units", "mops.yaml"), unitYaml("mops", { state: "active", wave: 1 }));
    const rel = (ls: string[]) => ls.map((l) => l.split(`${root}/`).join(""));
    // WHEN
    const check = await runCli(["ledger", "--root", root, "--check"]);
    // THEN
    expect({ code: check.code, out: rel(check.out), err: rel(check.err) }).toStrictEqual({
      code: 1,
      out: [
        "stack lodz-prod, ledger stacks/lodz-prod.units.yaml:",
        "  mops: new, active, wave 1, provisioned",
        "stack lodz-staging, ledger stacks/lodz-staging.units.yaml:",
        "  mops: new, active, wave 1, provisioned",
      ],
      err: [
        "stacks/lodz-prod.units.yaml, stacks/lodz-staging.units.yaml are not up to date with the manifests: run npx muni ledger --write and commit them",
      ],
    });
    // WHEN the printed command runs
    const write = await runCli(["ledger", "--root", root, "--write"]);
    // THEN both are recorded and the check passes
    expect(rel(write.out).filter((l) => l.startsWith("wrote"))).toStrictEqual([
      "wrote stacks/lodz-prod.units.yaml",
      "wrote stacks/lodz-staging.units.yaml",
    ]);
    expect(readFileSync(join(root, "stacks", "lodz-prod.units.yaml"), "utf8")).toContain(
      "  mops:\n    state: active\n    wave: 1\n    provisioned: true\n    file: units/mops.yaml\n",
    );
    expect((await runCli(["ledger", "--root", root, "--check"])).code).toBe(0);
  });

  it("GIVEN one stale stack and --stack WHEN checked THEN the command names that stack", async () => {
    const root = copyOfRepo();
    writeFileSync(join(root, "units", "mops.yaml"), unitYaml("mops", { state: "planned", wave: 4 }));
    const check = await runCli(["ledger", "--root", root, "--stack", "lodz-staging", "--check"]);
    expect(check.err.map((l) => l.split(`${root}/`).join(""))).toStrictEqual([
      "stacks/lodz-staging.units.yaml is not up to date with the manifests: run npx muni ledger --write --stack lodz-staging and commit it",
    ]);
    // lodz-prod does not take a unit of wave 4: its ledger stays as it is
    expect((await runCli(["ledger", "--root", root, "--stack", "lodz-prod", "--check"])).code).toBe(0);
  });
});
