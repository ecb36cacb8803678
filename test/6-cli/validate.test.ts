import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, tempDir } from "../helpers/manifests";

const NODE = "node_modules/.bin/node";
const USAGE = "(run muni --help for usage)";

describe("muni validate: exit codes and output", () => {
  it("GIVEN no PATH WHEN run THEN every stack's manifests are validated against every stack that takes them, exit 0, the stacks named", async () => {
    expect(await runCli(["validate"])).toStrictEqual({
      code: 0,
      out: [
        "3 manifests valid: css, mpu, zzm",
        "checked against stacks lodz-prod (3 units: css, mpu, zzm), lodz-staging (3 units: css, mpu, zzm)",
      ],
      err: [],
    });
  });

  it("GIVEN the valid fixtures WHEN run THEN exit 0", async () => {
    expect(await runCli(["validate", "test/fixtures/units-valid"])).toStrictEqual({
      code: 0,
      out: ["3 manifests valid: everything, leaving, minimal"],
      err: [],
    });
  });

  it("GIVEN --format json on valid units WHEN run THEN a machine-readable report, exit 0", async () => {
    // WHEN
    const { code, out, err } = await runCli(["validate", "--format", "json", "units/zzm.yaml"]);
    // THEN
    expect({ code, err, report: JSON.parse(out.join("\n")) }).toStrictEqual({
      code: 0,
      err: [],
      report: {
        valid: true,
        files: ["units/zzm.yaml"],
        units: ["zzm"],
        stacks: [
          { stack: "lodz-prod", units: ["zzm"] },
          { stack: "lodz-staging", units: ["zzm"] },
        ],
        untaken: [],
        diagnostics: [],
      },
    });
  });

  it("GIVEN a PATH that does not exist WHEN run THEN exit 2 with a clear message", async () => {
    expect(await runCli(["validate", "units/nope.yaml"])).toStrictEqual({
      code: 2,
      out: [],
      err: [
        "muni: units/nope.yaml: no such file or directory (give manifest files or directories of them; default: every stack's unit directories)",
      ],
    });
  });

  it("GIVEN a directory without manifests WHEN run THEN exit 2", async () => {
    // GIVEN
    const dir = tempDir();
    // WHEN / THEN
    expect(await runCli(["validate", dir])).toStrictEqual({
      code: 2,
      out: [],
      err: [`muni: ${dir}: directory holds no manifests (*.yaml, *.yml)`],
    });
  });

  it.each([
    [["validate", "--bogus"], "error: unknown option '--bogus'"],
    [
      ["validate", "--format", "xml"],
      "error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json.",
    ],
    [["valdate"], "error: unknown command 'valdate'\n(Did you mean validate?)"],
  ])("GIVEN the usage error %j WHEN run THEN exit 2 and the error on stderr", async (args, message) => {
    expect(await runCli(args)).toStrictEqual({ code: 2, out: [], err: [...message.split("\n"), USAGE] });
  });

  it("GIVEN valid and invalid files together WHEN run THEN exit 1, the problems sorted by file and line, then a summary", async () => {
    // GIVEN
    const bad = "test/fixtures/units-invalid/out-of-range.yaml";
    // WHEN
    const cli = await runCli(["validate", bad, "units/mpu.yaml"]);
    // THEN
    expect(cli).toStrictEqual({
      code: 1,
      out: [],
      err: [
        `${bad}:19:9: lifecycle.wave: 13 must be <= 12 (allowed: 1 to 12; Onboarding wave of the resolution's phased rollout; a stack provisions only its live waves)`,
        `${bad}:26:12: services.antivirus.seats: 0 must be >= 1 (allowed: 1 to 100000; Number of protected workstations)`,
        "2 problems in 1 of 2 files; checked against stacks lodz-prod (1 unit: mpu), lodz-staging (1 unit: mpu)",
      ],
    });
  });

  it("GIVEN a terminal (colour on) WHEN problems are printed THEN locations are bold and messages red; without one, plain", async () => {
    // GIVEN
    const bad = "test/fixtures/units-invalid/unknown-top.yaml";
    const line = `costCenter: unknown field "costCenter" (did you mean "costCentre"?)`;
    // WHEN
    const coloured = await runCli(["validate", bad], true);
    const plain = await runCli(["validate", bad], false);
    // THEN
    expect(coloured.err).toStrictEqual([
      `\u001b[1m${bad}:10:1:\u001b[0m\u001b[31m ${line}\u001b[0m`,
      "\u001b[31m1 problem in 1 of 1 file\u001b[0m",
    ]);
    expect(plain.err).toStrictEqual([`${bad}:10:1: ${line}`, "1 problem in 1 of 1 file"]);
  });
});

describe("bin/muni.js, the installed command", () => {
  beforeAll(() => {
    if (!existsSync("dist/infra/6-cli/main.js")) spawnSync("npm", ["run", "build"], { stdio: "ignore" });
  });

  const muni = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(NODE, ["bin/muni.js", ...args], { encoding: "utf8", env: { ...process.env, ...env } });

  it("GIVEN the real units WHEN `muni validate` runs as a process THEN exit 0 and no colour on a pipe", () => {
    const r = muni(["validate"]);
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toStrictEqual({
      status: 0,
      stdout: `3 manifests valid: css, mpu, zzm\n${"checked against stacks lodz-prod (3 units: css, mpu, zzm), lodz-staging (3 units: css, mpu, zzm)"}\n`,
      stderr: "",
    });
  });

  it("GIVEN a malformed file and a missing PATH WHEN run as a process THEN exit 1 and 2, never a stack trace", () => {
    // GIVEN
    const dir = tempDir();
    mkdirSync(join(dir, "units"));
    writeFileSync(join(dir, "units", "x.yaml"), "id: [unclosed\n");
    // WHEN
    const invalid = muni(["validate", join(dir, "units")]);
    const missing = muni(["validate", join(dir, "nope")]);
    // THEN
    expect({ status: invalid.status, stdout: invalid.stdout, stderr: invalid.stderr }).toStrictEqual({
      status: 1,
      stdout: "",
      stderr:
        `${join(dir, "units", "x.yaml")}:1:5: flow sequence in block collection must be sufficiently indented and end with a ] (close it with ])\n` +
        "1 problem in 1 of 1 file\n",
    });
    expect(missing.status).toBe(2);
    expect(`${invalid.stderr}${missing.stderr}`).not.toContain("    at ");
  });
});
