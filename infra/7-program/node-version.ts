/**
 * The program refuses to run on a Node.js older than the project requires (package.json `engines`): Pulumi
 * runs the program with the first `node` on PATH, which on many machines is an older system Node that the
 * pinned SDK does not support. Imported first by program.ts, before the SDK loads; no Pulumi here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../2-manifest/project-root";

/** The lowest Node.js major version an `engines.node` range allows (`>=24 <25` → 24), or undefined when it names none. */
export function minimumNodeMajor(range: string): number | undefined {
  const m = />=\s*v?(\d+)/.exec(range) ?? /^\s*\^?v?(\d+)/.exec(range);
  return m ? Number(m[1]) : undefined;
}

/** Why this Node.js cannot run the program, with how to get the right one; undefined when it can. */
export function nodeVersionProblem(version: string, range: string, execPath: string): string | undefined {
  const min = minimumNodeMajor(range);
  const major = Number(/^v?(\d+)/.exec(version)?.[1]);
  if (min === undefined || major >= min) return undefined;
  return [
    `muni needs Node.js ${min} or later (package.json engines "${range}"), but Pulumi started it with Node.js ${version} (${execPath}).`,
    "Pulumi runs the program with the first `node` on PATH. `npm ci` installs Node.js " +
      `${min} into node_modules/.bin (the \`node\` devDependency): run Pulumi through npm, e.g.`,
    "  npm exec -- pulumi preview --stack lodz-prod.css",
    `or put it first on PATH: PATH="$PWD/node_modules/.bin:$PATH" pulumi preview ...; or install Node.js ${min} from https://nodejs.org (README, "Node.js").`,
  ].join("\n");
}

/** Throws the problem of the running Node.js, if any. */
export function assertNodeVersion(root: string = projectRoot(__dirname)): void {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { engines?: { node?: string } };
  const problem = nodeVersionProblem(process.version, pkg.engines?.node ?? "", process.execPath);
  if (problem) throw new Error(problem);
}
