import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { planJsonPieces } from "./json";
import type { PlanReport } from "./report";
import { type PlannedObject, type PlannedStack, type PlannedUnit, planSummary } from "./types";
import { toYaml } from "./yaml";

/** Marks a directory the plan wrote, so a later plan may clear it (and never clears anything else). */
export const PLAN_MARKER = ".muni-plan";

/** Raised when DIR exists, is not empty and was not written by the plan: nothing is overwritten. */
export class PlanDirError extends Error {
  override name = "PlanDirError";
}

/**
 * Writes the plan into `dir`: `<unit id>.yaml` per provisioned unit (every object as one YAML document,
 * in registration order, each headed by its Pulumi resource name; secrets redacted), `platform.yaml`,
 * and `plan.json` (the summary of `--format json`, compact: units, quotas, object names). A directory
 * from an earlier plan is cleared first, so a removed unit leaves no stale file; any other non-empty
 * directory is refused. The CLI streams through PlanWriter, one unit at a time.
 */
export function writePlan(plan: PlannedStack, dir: string): string[] {
  const w = new PlanWriter(dir, plan.stack);
  for (const u of plan.units) w.unit(u);
  w.platform(plan.platform);
  w.summary({ plan: planSummary(plan), outDir: dir });
  return w.written;
}

/** Writes a plan into a directory piece by piece, so no more than one unit's YAML is held at a time. */
export class PlanWriter {
  readonly written: string[] = [];

  /** Clears (or refuses) `dir` as writePlan does and leaves the marker in it. */
  constructor(
    readonly dir: string,
    readonly stack: string,
  ) {
    prepare(dir);
    // The marker first: a plan interrupted half-way still leaves a directory the next plan may clear.
    writeFileSync(
      join(dir, PLAN_MARKER),
      `muni plan of stack ${stack}: this directory is rewritten by every plan\n`,
    );
  }

  /** `<unit id>.yaml` for a provisioned unit; nothing for the others. */
  unit(u: PlannedUnit): void {
    if (!u.provisioned) return;
    this.file(`${u.id}.yaml`, unitYaml({ stack: this.stack }, u));
  }

  /** `platform.yaml`, when the platform has objects. */
  platform(objects: readonly PlannedObject[]): void {
    if (!objects.length) return;
    const parts = [`# muni plan: the shared platform (mail and print servers) of stack ${this.stack}\n`];
    for (const o of objects)
      parts.push(
        `---\n# ${o.resource} (${o.dataBearing ? "data-bearing, retained on delete" : "platform"})\n`,
        toYaml(o.object),
      );
    this.file("platform.yaml", parts.join(""));
  }

  /**
   * `plan.json`: the summary and object names (the objects themselves are in the unit files), written
   * compact and in pieces: at 10,000 units the indented string was 180 MB and 4 s of JSON.stringify.
   */
  summary(report: PlanReport): void {
    const fd = openSync(join(this.dir, "plan.json"), "w");
    try {
      let buf = "";
      for (const piece of planJsonPieces(report)) {
        buf += piece;
        if (buf.length >= 1 << 20) {
          writeSync(fd, buf);
          buf = "";
        }
      }
      writeSync(fd, `${buf}\n`);
    } finally {
      closeSync(fd);
    }
  }

  private file(name: string, text: string): void {
    const file = join(this.dir, name);
    writeFileSync(file, text);
    this.written.push(file);
  }
}

/** Every object of a unit as a multi-document YAML stream. */
export function unitYaml(plan: Pick<PlannedStack, "stack">, u: PlannedUnit): string {
  const parts = [
    `# muni plan: unit ${u.id} (${u.name}) in stack ${plan.stack}, from ${u.file}; secrets redacted\n`,
  ];
  for (const o of u.objects) {
    const flags = [
      o.service,
      o.dataBearing ? "data-bearing, retained on delete" : "",
      o.redacted.length ? "secrets redacted" : "",
    ]
      .filter(Boolean)
      .join(", ");
    parts.push(`---\n# ${o.resource} (${flags})\n`, toYaml(o.object));
  }
  return parts.join("");
}

function prepare(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new PlanDirError(`${dir} is a file: give --out a directory`);
    const entries = readdirSync(dir);
    if (entries.length && !entries.includes(PLAN_MARKER))
      throw new PlanDirError(
        `${dir} is not empty and was not written by muni plan: give --out a new or empty directory`,
      );
    for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}
