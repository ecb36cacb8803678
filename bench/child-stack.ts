/**
 * Benchmark child: the Pulumi program of one Pulumi stack of a synthetic city — `<city>.<unit id>` or
 * `<city>.platform` — as Pulumi runs it (defineProgram, the stack name alone), under the mock runtime.
 * Usage: node dist/bench/child-stack.js ROOT STACK. Prints one JSON line: the registrations counted and
 * the largest Kubernetes object (bytes of its inputs as JSON).
 */
import { drain, installBenchMocks } from "./mocks";

async function main(root: string, stack: string): Promise<void> {
  const counts = installBenchMocks(stack, { largest: true });
  // Loaded after the mocks, as Pulumi loads the program after connecting to its monitor.
  const { defineProgram } = await import("../infra/7-program/programs");
  defineProgram({ root, stack });
  await drain();
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

main(process.argv[2]!, process.argv[3]!).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 3;
});
