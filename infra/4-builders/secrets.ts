import type { SecretRequest, SecretSource } from "../1-model";

/** Placeholders for rendering without secrets (the plan, reports): `<secret:id>`, never a real value. */
export const REDACTED_SECRETS: SecretSource = { get: (r) => `<secret:${r.id}>` };

/** A value from REDACTED_SECRETS (`<secret:id>`), not a generated one. */
export function isPlaceholder(value: string): boolean {
  return /^<secret:[^>]*>$/.test(value);
}

/**
 * Answers builders with placeholders and records which secrets they ask for: the program generates
 * one Pulumi resource per request, the plan counts them.
 */
export class RecordingSecrets implements SecretSource {
  readonly requests = new Map<string, SecretRequest>();
  get(r: SecretRequest): string {
    this.requests.set(r.id, r);
    return REDACTED_SECRETS.get(r);
  }
}

/** The generated values by request id; asking for one that was not generated is a builder bug. */
export function secretsFromValues(values: Readonly<Record<string, string>>): SecretSource {
  return {
    get: (r) => {
      const v = values[r.id];
      if (v === undefined)
        throw new Error(`secret ${r.id} was not generated: builders must be deterministic`);
      return v;
    },
  };
}
