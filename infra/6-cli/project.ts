import { existsSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "../2-manifest/project-root";
import { UnknownStackError } from "../2-manifest/stack";
import { type LoadedProject, loadProject, type UnitSetLoader } from "../3-rules/project";
import { UsageError } from "./io";

/**
 * The project root a command works in: `--root` when given (it must hold Pulumi.yaml), else the nearest
 * folder with Pulumi.yaml at or above the working directory. Outside a project: a usage error.
 */
export function projectRootOf(given?: string, cwd: string = process.cwd()): string {
  if (given) {
    if (!existsSync(join(given, "Pulumi.yaml")))
      throw new UsageError(`--root ${given}: no Pulumi.yaml there (give the project's root folder)`);
    return given;
  }
  const found = findProjectRoot(cwd);
  if (found === undefined)
    throw new UsageError(`no Pulumi.yaml in ${cwd} or above: run muni inside the project (or give --root)`);
  return found;
}

/** `loadProject` for a command: an unknown stack is a usage error (exit 2), not invalid input. */
export function loadStackProject(root: string, stack: string, loadSet?: UnitSetLoader): LoadedProject {
  try {
    return loadProject(root, stack, undefined, loadSet);
  } catch (e) {
    if (e instanceof UnknownStackError) throw new UsageError(e.message);
    throw e;
  }
}
