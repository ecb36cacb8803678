/** The `muni` command npm ci puts on the path the README names: node_modules/.bin/muni. */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tempDir } from "../helpers/manifests";
import { join } from "node:path";
import { ensureBuilt, NODE, REPO } from "../helpers/built";

const MUNI = join(REPO, "node_modules", ".bin", "muni");
const pkg = (p: string) => JSON.parse(readFileSync(join(REPO, p), "utf8")) as Record<string, any>;

beforeAll(() => ensureBuilt());

describe("node_modules/.bin/muni", () => {
  it("GIVEN package.json WHEN npm installs THEN bin/ is a local package (file:bin) whose bin muni is bin/muni, which npm links into node_modules/.bin", () => {
    expect(pkg("package.json").devDependencies["muni-cli"]).toBe("file:bin");
    expect(pkg("bin/package.json").bin).toStrictEqual({ muni: "muni" });
    expect(realpathSync(MUNI)).toBe(join(realpathSync(REPO), "bin", "muni"));
  });

  it("GIVEN a PATH whose node is the system's older one WHEN muni runs from a subfolder THEN it runs on the project's Node 24 and finds the project", () => {
    const dir = join(REPO, "units");
    mkdirSync(dir, { recursive: true });
    const version = spawnSync(MUNI, ["--version"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: "/usr/bin:/bin" },
    });
    expect({ status: version.status, stdout: version.stdout, stderr: version.stderr }).toStrictEqual({
      status: 0,
      stdout: `muni ${pkg("package.json").version} (Node.js v${pkg("package.json").devDependencies.node})\n`,
      stderr: "",
    });
    const validate = spawnSync(MUNI, ["validate"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: "/usr/bin:/bin" },
    });
    expect([validate.status, validate.stdout.split("\n")[0]]).toStrictEqual([
      0,
      "3 manifests valid: css, mpu, zzm",
    ]);
  });

  it("GIVEN bin/muni.js run by a Node older than 24 WHEN started THEN it says which Node it needs and how to get it (exit 2)", () => {
    // Node 20 stood in for by a preload that reports 20.20.2, so the test runs the same on any machine.
    const preload = join(tempDir("muni-node20-"), "node20.js");
    writeFileSync(
      preload,
      "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.20.2' } });\n",
    );
    const old = spawnSync(NODE, ["-r", preload, join(REPO, "bin", "muni.js"), "--version"], {
      encoding: "utf8",
    });
    expect({ status: old.status, stdout: old.stdout, stderr: old.stderr }).toStrictEqual({
      status: 2,
      stdout: "",
      stderr: `muni: needs Node.js 24 (package.json engines), and this is v20.20.2: run it as node_modules/.bin/muni or npx muni, which use the Node 24 that npm ci installs\n`,
    });
  });
});
