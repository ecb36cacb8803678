import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { installMocks, type Registered, revealSecrets, settle, unwrap } from "../helpers/pulumi";

export const ROOT = join(__dirname, "..", "..");

/** stacks/Pulumi.<stack>.yaml's muni:settings, as the Pulumi engine would hold them. */
export function settingsOf(stack: string, root = ROOT): unknown {
  return (
    parse(readFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as {
      config: Record<string, unknown>;
    }
  ).config["muni:settings"];
}

/**
 * Runs the real Pulumi program of a stack under the mock runtime (generated values come from the
 * mocks' deterministic stand-ins) and returns every resource it registered, as the engine would see it.
 * The real-daemon tests load exactly these objects' contents, never a hand-written copy.
 */
export async function registeredBy(stack = "lodz-prod"): Promise<Registered[]> {
  const mocks = installMocks(stack);
  const { defineStack } = await import("../../infra/7-program/stack");
  const outputs = defineStack({ root: ROOT, stack, settings: settingsOf(stack) });
  await unwrap(outputs.namespaces);
  await settle();
  return [...mocks.registered];
}

/** The Kubernetes object registered under a resource name. */
export function objectNamed<T = Record<string, unknown>>(
  rs: readonly Registered[],
  name: string,
): T & { metadata: { name: string; namespace?: string; labels?: Record<string, string> } } {
  const r = rs.find((x) => x.name === name && x.type.startsWith("kubernetes:"));
  if (!r) throw new Error(`no Kubernetes resource named ${name}; have ${rs.map((x) => x.name).join(", ")}`);
  return revealSecrets(r.inputs) as T & {
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  };
}
