/**
 * Benchmark reference: a bare Pulumi program, no muni code, that registers the same number of resources
 * of the same types as muni's program did, under the same mocks. Kubernetes resources get the very objects
 * muni rendered (read from the JSON lines file) through the typed @pulumi/kubernetes classes; generated
 * secrets through the typed @pulumi/random and @pulumi/tls classes; components and providers by count.
 * Flat: no parents, no dependsOn, no retainOnDelete, no apply chains.
 * Usage: node dist/bench/child-bare.js OBJECTS.jsonl COUNTS.json. Prints the registrations counted.
 */
import { readFileSync } from "node:fs";
import { readObjects } from "./jsonl";
import { drain, installBenchMocks, type MockCounts } from "./mocks";

/** The typed class of a `kubernetes:<group>/<version>:<Kind>` token, or undefined for a custom resource. */
function typedClass(
  k8s: typeof import("@pulumi/kubernetes"),
  type: string,
): (new (name: string, args: object) => unknown) | undefined {
  const m = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(type);
  if (!m) return undefined;
  const group = m[1] === "core" ? "core" : m[1]!.split(".")[0]!.replace(/-/g, "");
  const mod = (k8s as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>)[
    group
  ]?.[m[2]!]?.[m[3]!];
  return typeof mod === "function" ? (mod as new (name: string, args: object) => unknown) : undefined;
}

async function main(objectsFile: string, countsFile: string): Promise<void> {
  const target = JSON.parse(readFileSync(countsFile, "utf8")) as MockCounts;
  const counts = installBenchMocks("bench");
  const pulumi = await import("@pulumi/pulumi");
  const k8s = await import("@pulumi/kubernetes");
  const random = await import("@pulumi/random");
  const tls = await import("@pulumi/tls");
  class Custom extends pulumi.CustomResource {}
  class Provider extends pulumi.ProviderResource {}
  class Component extends pulumi.ComponentResource {}
  const left: Record<string, number> = { ...target.byType };
  await readObjects(objectsFile, (line) => {
    if (!left[line.type]) return;
    left[line.type]!--;
    const Typed = typedClass(k8s, line.type);
    if (Typed) new Typed(line.name, line.object);
    else new k8s.apiextensions.CustomResource(line.name, line.object as never);
  });
  for (const [type, n] of Object.entries(left))
    for (let i = 0; i < n; i++) {
      const name = `${type.replace(/[^A-Za-z0-9]+/g, "-")}-${i}`;
      if (type.startsWith("pulumi:providers:"))
        new Provider(type.slice("pulumi:providers:".length), name, {});
      else if (type.startsWith("kubernetes:")) new Custom(type, name, { metadata: { name } });
      else if (type === "tls:index/privateKey:PrivateKey")
        new tls.PrivateKey(name, { algorithm: "RSA", rsaBits: 2048 });
      else if (type === "random:index/randomPassword:RandomPassword")
        new random.RandomPassword(name, { length: 24, special: false });
      else if (type === "random:index/randomString:RandomString")
        new random.RandomString(name, { length: 16, special: false });
      else if (/^(random|tls):/.test(type)) new Custom(type, name, { length: 16 });
      else new Component(type, name);
    }
  await drain();
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

main(process.argv[2]!, process.argv[3]!).catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 3;
});
