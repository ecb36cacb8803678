import type { StackSettings } from "./stack.generated";

/**
 * The Pulumi stacks of a city (issue 15). `stacks/Pulumi.<city>.yaml` holds the city's settings (`lodz-prod`);
 * the Pulumi stacks are `<city>.platform` (the shared mail and print servers) and `<city>.<unit id>` (one unit,
 * its VMs included). Unit ids never contain a dot, so the last dot splits a stack name.
 */

/** The suffix of the platform's Pulumi stack. A unit cannot have this id: its stack would be the platform's. */
export const PLATFORM_STACK_SUFFIX = "platform";

/** A unit id (unit schema `id`). */
const UNIT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A city's settings name (stacks/Pulumi.<city>.yaml), as loadStack accepts it. */
const CITY = /^[A-Za-z0-9._-]+$/;

/** What a Pulumi stack name means. */
export type StackName =
  | { kind: "platform"; city: string; name: string }
  | { kind: "unit"; city: string; unit: string; name: string }
  /** A bare city name: the city-wide stack from before one stack per unit (see `muni migrate`). */
  | { kind: "city"; city: string; name: string }
  | { kind: "invalid"; name: string; reason: string };

/** `<city>.platform`. */
export function platformStackName(city: string): string {
  return `${city}.${PLATFORM_STACK_SUFFIX}`;
}

/** `<city>.<unit id>`. */
export function unitStackName(city: string, unitId: string): string {
  return `${city}.${unitId}`;
}

/**
 * Parses a Pulumi stack name: `<city>.platform`, `<city>.<unit id>`, or a bare city name. The name may be
 * fully qualified (`org/project/name` or `org/name`): only the part after the last `/` counts.
 */
export function parseStackName(qualified: string): StackName {
  const name = qualified.slice(qualified.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot === -1)
    return CITY.test(name)
      ? { kind: "city", city: name, name }
      : { kind: "invalid", name, reason: "not a stack name" };
  const city = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  if (!city || !CITY.test(city))
    return { kind: "invalid", name, reason: `"${city}" is not a city's settings name` };
  if (rest === PLATFORM_STACK_SUFFIX) return { kind: "platform", city, name };
  if (UNIT_ID.test(rest)) return { kind: "unit", city, unit: rest, name };
  return {
    kind: "invalid",
    name,
    reason: `"${rest}" is neither "${PLATFORM_STACK_SUFFIX}" nor a unit id (lowercase letters, digits and dashes)`,
  };
}

/** The city's Pulumi settings (schema `pulumi`), when the city has them. */
export type PulumiSettings = NonNullable<StackSettings["pulumi"]>;

/** Environment variables each backend or secrets provider scheme needs (their SDKs' standard names). */
const SCHEME_VARIABLES: Record<string, readonly string[]> = {
  s3: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  awskms: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
  hashivault: ["VAULT_ADDR", "VAULT_TOKEN"],
  passphrase: ["PULUMI_CONFIG_PASSPHRASE"],
  azblob: ["AZURE_STORAGE_ACCOUNT", "AZURE_STORAGE_KEY"],
  azurekeyvault: ["AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID"],
  gs: ["GOOGLE_CREDENTIALS"],
  gcpkms: ["GOOGLE_CREDENTIALS"],
  https: ["PULUMI_ACCESS_TOKEN"],
  http: ["PULUMI_ACCESS_TOKEN"],
};

/** The scheme of a backend URL or secrets provider: `s3`, `hashivault`, `passphrase`... */
export function schemeOf(urlOrName: string): string {
  const i = urlOrName.indexOf("://");
  return i === -1 ? urlOrName : urlOrName.slice(0, i);
}

/**
 * The credential variables the city's stacks need: `credentials.variables` when set, else those of the
 * backend's and the secrets provider's schemes, in that order, without repeats.
 */
export function credentialVariables(
  p: Pick<PulumiSettings, "backend" | "secretsProvider" | "credentials">,
): string[] {
  if (p.credentials?.variables) return [...p.credentials.variables];
  const names = [schemeOf(p.backend), schemeOf(p.secretsProvider)].flatMap((s) => SCHEME_VARIABLES[s] ?? []);
  return [...new Set(names)];
}
