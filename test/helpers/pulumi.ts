import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** A resource the program registered under the mock runtime. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
  custom: boolean;
}

/** Types whose mocked state must carry a generated value, as the real providers return. */
const GENERATED: Record<string, (name: string, inputs: Record<string, unknown>) => Record<string, unknown>> = {
  "random:index/randomPassword:RandomPassword": (name, inputs) => ({ result: fakeRandom(name, Number(inputs.length)) }),
  "random:index/randomString:RandomString": (name, inputs) => ({ result: fakeRandom(name, Number(inputs.length)) }),
};

/** Deterministic stand-in for a random value: the same resource name gives the same value, as state would. */
export function fakeRandom(name: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${name}#${i}`).digest("base64url").replace(/[-_]/g, "");
  return out.slice(0, length);
}

/**
 * Installs the Pulumi mock runtime and records every resource registered. Call before importing the
 * program (`await import(...)` after this). `call` mocks throw on any token: muni's program makes none.
 */
export function installMocks(stack = "lodz-prod"): { registered: Registered[] } {
  const registered: Registered[] = [];
  void pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, ...(args.provider ? { provider: args.provider } : {}), custom: args.custom ?? true });
        const extra = GENERATED[args.type]?.(args.name, args.inputs) ?? {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...extra } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        throw new Error(`unexpected provider call ${args.token}: muni's program makes no calls`);
      },
    },
    "muni",
    stack,
    false,
  );
  return { registered };
}

/** The value of an Output (the one helper tests use to unwrap). */
export function unwrap<T>(o: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
}

/** Waits until every registration queued so far has reached the mock monitor. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** The Kubernetes objects among the registered resources, as sent to the API server. */
export function kubernetesObjects(registered: readonly Registered[]): Array<Record<string, unknown> & { apiVersion: string; kind: string }> {
  return registered
    .filter((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes")
    .map((r) => r.inputs as Record<string, unknown> & { apiVersion: string; kind: string });
}
