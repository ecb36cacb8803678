/**
 * Benchmark preparation (not timed): renders every provisioned unit of a synthetic root through muni's
 * builders and writes the objects as JSON lines, `{unit, type, name, object}`, for the two references
 * (the bare Pulumi program and cdk8s synth), which must not run any muni code while timed.
 * Usage: node dist/bench/child-objects.js ROOT STACK OUT.jsonl. Prints `{units, objects}`.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { renderUnit } from "../infra/4-builders/render";
import type { K8sObject } from "../infra/4-builders/types";
import { shouldProvision } from "../infra/1-model/lifecycle";
import { formatDiagnostic } from "../infra/2-manifest/diagnostics";
import { loadProject } from "../infra/3-rules/project";

/** The Pulumi type token @pulumi/kubernetes registers an object under (`kubernetes:<group>/<version>:<Kind>`). */
export function kubernetesType(o: Pick<K8sObject, "apiVersion" | "kind">): string {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["core", o.apiVersion];
  return `kubernetes:${group}/${version}:${o.kind}`;
}

function main(root: string, stack: string, out: string): void {
  const project = loadProject(root, stack);
  if (!project.stack || project.diagnostics.length)
    throw new Error(project.diagnostics.map(formatDiagnostic).join("\n"));
  const fd = openSync(out, "w");
  let units = 0;
  let objects = 0;
  for (const { unit } of project.units) {
    if (!shouldProvision(unit, project.stack.settings)) continue;
    units++;
    const lines = renderUnit(unit, project.stack.settings).map((d) => {
      objects++;
      return JSON.stringify({
        unit: unit.id,
        type: kubernetesType(d.object),
        name: `${unit.id}-${d.key}`,
        object: d.object,
      });
    });
    writeSync(fd, `${lines.join("\n")}\n`);
  }
  closeSync(fd);
  process.stdout.write(`${JSON.stringify({ units, objects })}\n`);
}

try {
  main(process.argv[2]!, process.argv[3]!, process.argv[4]!);
} catch (e) {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 3;
}
