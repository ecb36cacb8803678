import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlannedStack, PlannedUnit } from "./types";
import { planJson } from "./format";
import { toYaml } from "./yaml";

/** Marks a directory the plan wrote, so a later plan may clear it (and never clears anything else). */
export const PLAN_MARKER = ".muni-plan";

/** Raised when DIR exists, is not empty and was not written by the plan: nothing is overwritten. */
export class PlanDirError extends Error {
  override name = "PlanDirError";
}

/**
 * Writes the plan into `dir`: `<unit id>.yaml` per provisioned unit (every object as one YAML document,
 * in registration order, each headed by its Pulumi resource name; secrets redacted), and `plan.json`
 * (the summary of `--format json`: units, quotas, object names). A directory from an earlier plan is cleared first, so a removed
 * unit leaves no stale file; any other non-empty directory is refused.
 */
export function writePlan(plan: PlannedStack, dir: string): string[] {
  prepare(dir);
  // The marker first: a plan interrupted half-way still leaves a directory the next plan may clear.
  writeFileSync(join(dir, PLAN_MARKER), `muni plan of stack ${plan.stack}: this directory is rewritten by every plan\n`);
  const written: string[] = [];
  for (const u of plan.units) {
    if (!u.provisioned) continue;
    const file = join(dir, `${u.id}.yaml`);
    writeFileSync(file, unitYaml(plan, u));
    written.push(file);
  }
  if (plan.platform.length) {
    const parts = [`# muni plan: the shared platform (mail and print servers) of stack ${plan.stack}\n`];
    for (const o of plan.platform) parts.push(`---\n# ${o.resource} (${o.dataBearing ? "data-bearing, retained on delete" : "platform"})\n`, toYaml(o.object));
    writeFileSync(join(dir, "platform.yaml"), parts.join(""));
    written.push(join(dir, "platform.yaml"));
  }
  // The summary and object names; the objects themselves are in the unit files (one string of all of
  // them would pass V8's string limit at a few thousand units).
  writeFileSync(join(dir, "plan.json"), `${planJson({ plan, outDir: dir })}\n`);
  return written;
}

/** Every object of a unit as a multi-document YAML stream. */
export function unitYaml(plan: Pick<PlannedStack, "stack">, u: PlannedUnit): string {
  const parts = [`# muni plan: unit ${u.id} (${u.name}) in stack ${plan.stack}, from ${u.file}; secrets redacted\n`];
  for (const o of u.objects) {
    const flags = [o.service, o.dataBearing ? "data-bearing, retained on delete" : "", o.redacted.length ? "secrets redacted" : ""].filter(Boolean).join(", ");
    parts.push(`---\n# ${o.resource} (${flags})\n`, toYaml(o.object));
  }
  return parts.join("");
}

function prepare(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new PlanDirError(`${dir} is a file: give --out a directory`);
    const entries = readdirSync(dir);
    if (entries.length && !entries.includes(PLAN_MARKER))
      throw new PlanDirError(`${dir} is not empty and was not written by muni plan: give --out a new or empty directory`);
    for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}
