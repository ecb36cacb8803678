import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The folder holding Pulumi.yaml, found upwards from `from` (the compiled or source file's folder). */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${from}`);
  }
}
