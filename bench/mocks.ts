/**
 * The Pulumi mock runtime both the program and the bare reference run under: it answers every
 * registration at once and counts them, so the benchmark measures the program's own cost.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash, generateKeyPairSync } from "node:crypto";

/** What reached the mock monitor. */
export interface MockCounts {
  /** Registrations (custom and component resources, providers included). */
  total: number;
  /** Registrations by type token. */
  byType: Record<string, number>;
  /** With `largest`: the largest Kubernetes object registered, by the size of its inputs as JSON. */
  largest?: { type: string; name: string; bytes: number };
}

/** Deterministic stand-in for a generated value, as the real providers return one. */
function fake(name: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++)
    out += createHash("sha256").update(`${name}#${i}`).digest("base64url").replace(/[-_]/g, "");
  return out.slice(0, length);
}

const KEYS = new Map<number, Record<string, string>>();
/**
 * A real RSA key of `bits`, generated once per process and answered for every key resource: generating
 * keys is the provider's work, not the program's, so the benchmark does not pay it per unit.
 */
function fakeKey(bits: number): Record<string, string> {
  let k = KEYS.get(bits);
  if (!k) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
    k = {
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    KEYS.set(bits, k);
  }
  return k;
}

/** Values the real providers generate, by type token. */
function generated(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type.startsWith("random:")) return { result: fake(name, Number(inputs.length) || 16) };
  if (type === "tls:index/privateKey:PrivateKey") return fakeKey(Number(inputs.rsaBits) || 2048);
  return {};
}

/** Installs the mocks (before the program is loaded) and returns the live counts. */
export function installBenchMocks(stack: string, opts: { largest?: boolean } = {}): MockCounts {
  const counts: MockCounts = { total: 0, byType: {} };
  void pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        counts.total++;
        counts.byType[args.type] = (counts.byType[args.type] ?? 0) + 1;
        if (opts.largest && args.type.startsWith("kubernetes:")) {
          const bytes = Buffer.byteLength(JSON.stringify(args.inputs));
          if (!counts.largest || bytes > counts.largest.bytes)
            counts.largest = { type: args.type, name: args.name, bytes };
        }
        return {
          id: `${args.name}-id`,
          state: { ...args.inputs, ...generated(args.type, args.name, args.inputs) },
        };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        throw new Error(`unexpected provider call ${args.token}`);
      },
    },
    "muni",
    stack,
    false,
  );
  return counts;
}

/** Resolves once every registration queued so far has reached the mock monitor. */
export async function drain(): Promise<void> {
  await pulumi.runtime.disconnect();
}
