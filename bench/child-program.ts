/**
 * Benchmark child: muni's Pulumi program (`defineStack`) for a synthetic root under the mock runtime.
 * Usage: node dist/bench/child-program.js ROOT STACK. Prints one JSON line: the registrations counted.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { drain, installBenchMocks } from "./mocks";

async function main(root: string, stack: string): Promise<void> {
  const counts = installBenchMocks(stack);
  const file = parse(readFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  const settings = file.config["muni:settings"];
  const pulumi = await import("@pulumi/pulumi");
  pulumi.runtime.setAllConfig({ "muni:settings": JSON.stringify(settings) });
  // Loaded after the mocks, as Pulumi loads the program after connecting to its monitor.
  const { defineStack } = await import("../infra/7-program/stack");
  defineStack({ root, stack, settings: new pulumi.Config("muni").requireObject<unknown>("settings") });
  await drain();
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

main(process.argv[2]!, process.argv[3]!).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 3;
});
