import { type LoadedProject, loadProject, UnknownStackError } from "../2-manifest/stack";
import { projectRoot } from "../2-manifest/project-root";
import { UsageError } from "./io";

/** The project root (the folder of Pulumi.yaml) at or above `cwd`; outside a project, a usage error. */
export function cliProjectRoot(command: string, cwd: string = process.cwd()): string {
  try {
    return projectRoot(cwd);
  } catch {
    throw new UsageError(`no Pulumi.yaml in ${cwd} or above: run muni ${command} inside the project`);
  }
}

/** `loadProject` for a command: an unknown stack is a usage error (exit 2), not invalid input. */
export function loadStackProject(root: string, stack: string): LoadedProject {
  try {
    return loadProject(root, stack);
  } catch (e) {
    if (e instanceof UnknownStackError) throw new UsageError(e.message);
    throw e;
  }
}
