import * as pulumi from "@pulumi/pulumi";
import { createHash, generateKeyPairSync } from "node:crypto";

/** A resource the program registered under the mock runtime. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
  custom: boolean;
}

/** Types whose mocked state must carry a generated value, as the real providers return. */
const GENERATED: Record<string, (name: string, inputs: Record<string, unknown>) => Record<string, unknown>> =
  {
    "random:index/randomPassword:RandomPassword": (name, inputs) => ({
      result: fakeRandom(name, Number(inputs.length)),
    }),
    "random:index/randomString:RandomString": (name, inputs) => ({
      result: fakeRandom(name, Number(inputs.length)),
    }),
    "tls:index/privateKey:PrivateKey": (name, inputs) => fakePrivateKey(name, Number(inputs.rsaBits)),
  };

/** Deterministic stand-in for a random value: the same resource name gives the same value, as state would. */
export function fakeRandom(name: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++)
    out += createHash("sha256").update(`${name}#${i}`).digest("base64url").replace(/[-_]/g, "");
  return out.slice(0, length);
}

const FAKE_KEYS = new Map<string, Record<string, string>>();
/** A real RSA key per resource name, generated once per process: the same name gives the same key, as state would. */
export function fakePrivateKey(name: string, bits: number): Record<string, string> {
  let k = FAKE_KEYS.get(`${name}#${bits}`);
  if (!k) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
    k = {
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    FAKE_KEYS.set(`${name}#${bits}`, k);
  }
  return k;
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
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          ...(args.provider ? { provider: args.provider } : {}),
          custom: args.custom ?? true,
        });
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
export function kubernetesObjects(
  registered: readonly Registered[],
): Array<Record<string, unknown> & { apiVersion: string; kind: string }> {
  return registered
    .filter((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes")
    .map((r) => revealSecrets(r.inputs) as Record<string, unknown> & { apiVersion: string; kind: string });
}

/** Pulumi's marker of a secret value in mocked inputs: `{ [SECRET_SIG]: SECRET_VALUE, value }`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Inputs as the API server receives them: secret-marked values (generated passwords, keys) unwrapped,
 * and fields whose value is unknown or unset (a secret-marked `null`) left out.
 */
export function revealSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revealSecrets);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (o[SECRET_SIG] === SECRET_VALUE) return revealSecrets(o.value);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    const r = revealSecrets(x);
    if (r !== null && r !== undefined) out[k] = r;
  }
  return out;
}
