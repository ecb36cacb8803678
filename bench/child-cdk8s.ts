/**
 * Benchmark reference for the render path: cdk8s synth of the same objects `muni plan` renders, one
 * Chart per unit and one ApiObject per object, synthesized to YAML files in OUTDIR (as the plan writes
 * one file per unit). No muni code runs: the objects come from the JSON lines file.
 * Usage: node dist/bench/child-cdk8s.js OBJECTS.jsonl OUTDIR. Prints `{charts, objects}`.
 */
import { readObjects } from "./jsonl";

async function main(objectsFile: string, outdir: string): Promise<void> {
  const { ApiObject, App, Chart } = await import("cdk8s");
  const app = new App({ outdir });
  const charts = new Map<string, InstanceType<typeof Chart>>();
  let objects = 0;
  await readObjects(objectsFile, (line) => {
    let chart = charts.get(line.unit);
    if (!chart) charts.set(line.unit, (chart = new Chart(app, line.unit)));
    new ApiObject(chart, line.name, line.object);
    objects++;
  });
  app.synth();
  process.stdout.write(`${JSON.stringify({ charts: charts.size, objects })}\n`);
}

main(process.argv[2]!, process.argv[3]!).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 3;
});
