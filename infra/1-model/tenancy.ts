import type { StackSettings } from "./stack.generated";
import type { Unit } from "./unit.generated";

/**
 * What isolates one unit from the others and from the platform, as data both sides use: the rules check
 * manifests against it, the builders write it into namespaces, NetworkPolicies and admission policies.
 * See docs/security.md.
 */

type Path = (string | number)[];

/** Whether `name` lies in `zone`: it is the zone's own name or a name under it. */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** A unit's DNS zones: `tenancy.zones[<id>]`, else `<id>.<first site suffix>` and `<id>.<first mail suffix>`. */
export function zonesOf(
  unitId: string,
  settings: Pick<StackSettings, "tenancy" | "dnsSuffixes">,
): { zones: string[]; delegated: boolean } {
  const listed = settings.tenancy.zones[unitId];
  if (listed) return { zones: [...listed], delegated: true };
  const first = [settings.dnsSuffixes.sites[0], settings.dnsSuffixes.mail[0]].filter(
    (s): s is string => s !== undefined,
  );
  return { zones: [...new Set(first.map((s) => `${unitId}.${s}`))], delegated: false };
}

/** A name no unit may hold, why, and where the stack sets it (undefined: derived, not written). */
export interface ReservedName {
  name: string;
  what: string;
  /** Only the name itself is reserved (an apex), not the names under it. */
  exact: boolean;
  /** Path in the stack settings that reserves it. */
  at?: Path;
}

/** The mail platform's public host: platform.mail.mxHost, else mail.<first mail suffix>. */
export function mailHostOf(settings: Pick<StackSettings, "platform" | "dnsSuffixes">): string {
  return settings.platform.mail.mxHost ?? `mail.${settings.dnsSuffixes.mail[0]}`;
}

/**
 * Every reserved DNS name of a stack: the apex of each DNS suffix (exactly), and, with every name under
 * them, the mail platform's host (MX, IMAP and submission), the print server's host, the ingress
 * controller's hosts and the names the stack reserves (the city hall's own domains).
 */
export function reservedNames(settings: StackSettings): ReservedName[] {
  const out: ReservedName[] = [];
  const seen = new Set<string>();
  for (const list of ["sites", "mail"] as const)
    settings.dnsSuffixes[list].forEach((name, i) => {
      if (seen.has(name)) return;
      seen.add(name);
      out.push({
        name,
        what: "the apex of the city's DNS suffix",
        exact: true,
        at: ["dnsSuffixes", list, i],
      });
    });
  const m = settings.platform.mail;
  out.push({
    name: mailHostOf(settings),
    what: "the mail platform's host (MX, IMAP and submission)",
    exact: false,
    ...(m.mxHost ? { at: ["platform", "mail", "mxHost"] } : {}),
  });
  if (settings.platform.print.hostname)
    out.push({
      name: settings.platform.print.hostname,
      what: "the print server's host",
      exact: false,
      at: ["platform", "print", "hostname"],
    });
  settings.tenancy.ingressHosts.forEach((h, i) =>
    out.push({
      name: h,
      what: "a host of the ingress controller",
      exact: false,
      at: ["tenancy", "ingressHosts", i],
    }),
  );
  settings.tenancy.reservedNames.forEach((n, i) =>
    out.push({
      name: n,
      what: "a name the stack reserves (the city hall's own)",
      exact: false,
      at: ["tenancy", "reservedNames", i],
    }),
  );
  return out;
}

/** Whether a reserved name covers `name`. */
export function reserves(r: ReservedName, name: string): boolean {
  return r.exact ? name === r.name : inZone(name, r.name);
}

/** A namespace no unit may take, why, and where the stack sets it. */
export interface ReservedNamespace {
  /** A namespace name, or a prefix when `prefix` is set (`kube-`). */
  name: string;
  prefix?: boolean;
  what: string;
  at?: Path;
}

/** The namespace of the Pulumi Kubernetes Operator, where stacks run as workloads. */
export const OPERATOR_NAMESPACE = "pulumi-kubernetes-operator";

/**
 * Every reserved namespace of a stack: `default`, `kube-*`, the platform namespaces, the cluster DNS
 * namespace, the namespaces of VM image data sources, and the stack's own list (tenancy.reservedNamespaces).
 */
export function reservedNamespaces(settings: StackSettings): ReservedNamespace[] {
  const out: ReservedNamespace[] = [
    { name: "default", what: "Kubernetes' default namespace" },
    { name: "kube-", prefix: true, what: "Kubernetes' own namespaces (kube-*)" },
  ];
  for (const [service, p] of Object.entries(settings.platform))
    out.push({
      name: p.namespace,
      what: `the ${service} platform's namespace`,
      at: ["platform", service, "namespace"],
    });
  out.push({
    name: settings.cluster.dns.namespace,
    what: "the cluster DNS namespace",
    at: ["cluster", "dns", "namespace"],
  });
  for (const [image, source] of Object.entries(settings.vm.images))
    if (source?.dataSource)
      out.push({
        name: source.dataSource.namespace,
        what: `the namespace of VM image "${image}"'s data source`,
        at: ["vm", "images", image, "dataSource", "namespace"],
      });
  settings.tenancy.reservedNamespaces.forEach((n, i) =>
    out.push({
      name: n,
      what:
        n === OPERATOR_NAMESPACE
          ? "the Pulumi Kubernetes Operator's namespace"
          : "a namespace the stack reserves",
      at: ["tenancy", "reservedNamespaces", i],
    }),
  );
  return out;
}

/** The reserved entry that covers a namespace, if any. */
export function reservedNamespace(settings: StackSettings, namespace: string): ReservedNamespace | undefined {
  return reservedNamespaces(settings).find((r) =>
    r.prefix ? namespace.startsWith(r.name) : namespace === r.name,
  );
}

/** Label (value "true") on every unit namespace: the admission policies apply there. */
export const UNIT_NAMESPACE_LABEL = "muni.lodz.pl/unit-namespace";
/** Annotation on a unit's namespace: its DNS zones, comma-separated, as the admission policies read them. */
export const ZONES_ANNOTATION = "muni.lodz.pl/zones";

/** The platforms a namespace can be enrolled in, by the key of `settings.platform`. */
export const ENROLLABLE_PLATFORMS = ["mail", "print", "finance", "antivirus", "proxy"] as const;
export type EnrollablePlatform = (typeof ENROLLABLE_PLATFORMS)[number];

/** Label (value "true") on a unit's namespaces enrolled in a platform: the platform's NetworkPolicy admits them. */
export function usesLabel(platform: EnrollablePlatform): string {
  return `muni.lodz.pl/uses-${platform}`;
}

/** The platforms a unit's workloads reach: proxy only with internet and network protection together. */
export function platformsUsed(unit: Pick<Unit, "services">): EnrollablePlatform[] {
  const s = unit.services;
  return ENROLLABLE_PLATFORMS.filter((p) =>
    p === "proxy" ? Boolean(s.internet && s.networkProtection) : s[p] !== undefined,
  );
}

/** The `uses-*` labels of a unit's namespaces. */
export function serviceUseLabels(unit: Pick<Unit, "services">): Record<string, string> {
  return Object.fromEntries(platformsUsed(unit).map((p) => [usesLabel(p), "true"]));
}

/** Image prefixes allowed in unit namespaces: the stack's list and the web server image's repository. */
export function allowedImagePrefixes(settings: Pick<StackSettings, "tenancy" | "web">): string[] {
  return [...new Set([...settings.tenancy.workloads.allowedRegistries, imageRepository(settings.web.image)])];
}

/** `registry/path/name:tag` or `…@sha256:…` → `registry/path/name`. */
export function imageRepository(image: string): string {
  const at = image.indexOf("@");
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(":");
  return colon > noDigest.lastIndexOf("/") ? noDigest.slice(0, colon) : noDigest;
}

/** Whether an image reference starts with an allowed prefix followed by `/`, `:` or `@`. */
export function imageAllowed(image: string, prefixes: readonly string[]): boolean {
  return prefixes.some(
    (p) => image.startsWith(`${p}/`) || image.startsWith(`${p}:`) || image.startsWith(`${p}@`),
  );
}

/** StorageClasses volume claims in unit namespaces may name. */
export function allowedStorageClasses(settings: Pick<StackSettings, "tenancy" | "web">): string[] {
  return [
    ...new Set([
      ...(settings.web.storageClass ? [settings.web.storageClass] : []),
      ...settings.tenancy.workloads.storageClasses,
    ]),
  ];
}

/** IngressClasses the Ingresses in unit namespaces may use. */
export function allowedIngressClasses(settings: Pick<StackSettings, "tenancy" | "web">): string[] {
  return [...new Set([settings.web.ingressClassName, ...settings.tenancy.workloads.ingressClasses])];
}

/** The prefix of Kubernetes' reserved user and group names. */
export const SYSTEM_PREFIX = "system:";
