/** The lodz-prod project as loaded for validation, and build contexts for its units. */
import { join } from "node:path";
import { buildContext } from "../../../infra/4-builders/render";
import type { BuildContext } from "../../../infra/4-builders/types";
import { loadProject } from "../../../infra/3-rules/project";

export const ROOT = join(__dirname, "..", "..", "..");

/** The validated lodz-prod stack and its units (throws when invalid: these tests need valid input). */
export function lodzProd() {
  const project = loadProject(ROOT, "lodz-prod");
  if (!project.stack || project.diagnostics.length)
    throw new Error(`lodz-prod is invalid: ${JSON.stringify(project.diagnostics)}`);
  return { settings: project.stack.settings, units: project.units.map((u) => u.unit) };
}

/** The build context of one lodz-prod unit. */
export function contextOf(id: string): BuildContext {
  const { settings, units } = lodzProd();
  const unit = units.find((u) => u.id === id);
  if (!unit) throw new Error(`no unit ${id}`);
  return buildContext(unit, settings);
}
