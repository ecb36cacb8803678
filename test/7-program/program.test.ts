import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { minimumNodeMajor, nodeVersionProblem } from "../../infra/7-program/node-version";
import { installMocks, settle } from "../helpers/pulumi";

// GIVEN the mock runtime of Pulumi stack lodz-prod.css (before the program is imported), with no muni config:
// a unit stack's own Pulumi.<stack>.yaml holds none.
const mocks = installMocks("lodz-prod.css");
const ROOT = join(__dirname, "..", "..");

describe("the Pulumi entry point (package.json main)", () => {
  it("GIVEN stack lodz-prod.css WHEN Pulumi calls the program THEN it reads the city's settings itself and, the unit not yet moved out of lodz-prod, refuses before registering anything", async () => {
    const program = (await import("../../infra/7-program/program")).default;
    expect(() => program()).toThrow(
      'units.css.stack: unit "css"\'s resources are still in Pulumi stack lodz-prod: stack lodz-prod.css would create them a second time',
    );
    await settle();
    expect(mocks.registered).toStrictEqual([]);
  });

  it("GIVEN package.json WHEN Pulumi loads the project THEN main points at the compiled program", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { main: string };
    expect(pkg.main).toBe("dist/infra/7-program/program.js");
    const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    expect(project).toStrictEqual({
      name: "muni",
      description: expect.any(String),
      runtime: { name: "nodejs", options: { typescript: false } },
      stackConfigDir: "stacks",
    });
  });
});

describe("the Node.js the program runs on", () => {
  it("GIVEN package.json's engines THEN the minimum is Node 24", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    expect(minimumNodeMajor(pkg.engines.node)).toBe(24);
    expect([">=22", "^20.1", "v18", "latest"].map(minimumNodeMajor)).toStrictEqual([22, 20, 18, undefined]);
  });

  it("GIVEN Node 20 THEN the problem names the version, the path and how to get Node 24", () => {
    expect(nodeVersionProblem("v20.20.2", ">=24 <25", "/usr/bin/node")).toBe(
      [
        'muni needs Node.js 24 or later (package.json engines ">=24 <25"), but Pulumi started it with Node.js v20.20.2 (/usr/bin/node).',
        "Pulumi runs the program with the first `node` on PATH. `npm ci` installs Node.js 24 into node_modules/.bin (the `node` devDependency): run Pulumi through npm, e.g.",
        "  npm exec -- pulumi preview --stack lodz-prod.css",
        'or put it first on PATH: PATH="$PWD/node_modules/.bin:$PATH" pulumi preview ...; or install Node.js 24 from https://nodejs.org (README, "Node.js").',
      ].join("\n"),
    );
    expect(nodeVersionProblem("v24.0.0", ">=24 <25", "/x/node")).toBeUndefined();
    expect(nodeVersionProblem("v25.1.0", ">=24 <25", "/x/node")).toBeUndefined();
  });

  it("GIVEN the compiled program loaded by a Node that reports v20 WHEN Pulumi's language host requires it THEN it fails with that message before the SDK is loaded", () => {
    const program = join(ROOT, "dist", "infra", "7-program", "program.js");
    const source = join(ROOT, "infra", "7-program", "node-version.ts");
    if (!existsSync(program) || statSync(program).mtimeMs < statSync(source).mtimeMs)
      spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
    // What the language host does (require the main), in a Node whose version reads as Node 20.
    const script = `Object.defineProperty(process, "version", { value: "v20.20.2" });
      try { require(${JSON.stringify(program)}); } catch (e) {
        const sdk = Object.keys(require.cache).some((k) => k.includes("@pulumi/pulumi"));
        process.stderr.write(e.message + "\\nSDK loaded: " + sdk + "\\n"); process.exit(1);
      }`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
    expect({
      status: r.status,
      first: r.stderr.split("\n")[0],
      sdk: r.stderr.trim().split("\n").at(-1),
    }).toStrictEqual({
      status: 1,
      first: `muni needs Node.js 24 or later (package.json engines ">=24 <25"), but Pulumi started it with Node.js v20.20.2 (${process.execPath}).`,
      sdk: "SDK loaded: false",
    });
  });
});
