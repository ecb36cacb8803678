import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The folder holding Pulumi.yaml at or above `from`; undefined when there is none up to the file system's root. */
export function findProjectRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The project root of the running code (the compiled or source file's folder, upwards): the Pulumi program's. */
export function projectRoot(from: string = __dirname): string {
  const root = findProjectRoot(from);
  if (root === undefined) throw new Error(`no Pulumi.yaml above ${from}`);
  return root;
}
