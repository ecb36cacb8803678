import { createHash } from "node:crypto";
import type { StackSettings } from "./stack.generated";
import type { Unit } from "./unit.generated";

/**
 * Every name muni derives from a unit (namespaces, object names, queue and tenant names) and the label
 * keys it owns, in one place: the builders name objects with these, and the rules check them across units.
 */

/** Label and annotation keys muni owns. */
export const LABEL = {
  unit: "muni.lodz.pl/unit",
  costCentre: "muni.lodz.pl/cost-centre",
  wave: "muni.lodz.pl/wave",
  service: "muni.lodz.pl/service",
  managedBy: "app.kubernetes.io/managed-by",
  /** Prefix of the unit's own labels (manifest `labels`) on its namespace. */
  unitLabelPrefix: "label.muni.lodz.pl/",
} as const;

export const ANNOTATION = {
  name: "muni.lodz.pl/name",
  shortName: "muni.lodz.pl/short-name",
} as const;

export const MANAGED_BY = "muni";

/** The unit's namespace: `<namespacePrefix><id>`. */
export function namespaceOf(
  unit: Pick<Unit, "id">,
  settings: Pick<StackSettings, "namespacePrefix">,
): string {
  return `${settings.namespacePrefix}${unit.id}`;
}

/**
 * The namespace of a unit's virtual machines: `<namespace>-vm`. KubeVirt's virt-launcher pods need the
 * Pod Security `privileged` level, so VMs live apart from the unit's `restricted` namespace, where its
 * administrators cannot create pods (see 4-builders/vm/vm-namespace.ts).
 */
export function vmNamespaceOf(
  unit: Pick<Unit, "id">,
  settings: Pick<StackSettings, "namespacePrefix">,
): string {
  return `${namespaceOf(unit, settings)}-vm`;
}

/**
 * The first segment of every Desired key a unit renders (`namespace`, `netpol-default-deny`,
 * `web-bip-mpu-lodz-pl-content`, `vmns-quota`, `mail-sekretariat-password`...). A unit's Pulumi resources are
 * named `<id>-<key>`, so `<id>-<key>` of two units can only coincide when one id is the other followed by
 * `-<family>...` (`a` + `vmns-namespace` = `a-vmns` + `namespace`); such pairs of ids are refused
 * (3-rules/names.ts). A test renders every builder and fails when a key starts with a word missing here.
 */
export const KEY_FAMILIES = [
  "namespace",
  "quota",
  "limits",
  "netpol",
  "rb",
  "role",
  "mail",
  "print",
  "web",
  "vmns",
  "vm",
  "finance",
  "antivirus",
  "backup",
  "monitor",
] as const;

/** Labels on every object of a unit. */
export function unitLabels(unit: Pick<Unit, "id">): Record<string, string> {
  return { [LABEL.managedBy]: MANAGED_BY, [LABEL.unit]: unit.id };
}

/** Name of a unit's tenant Secret in the mail platform's namespace. */
export function tenantSecretName(unitId: string): string {
  return `mail-tenant-${unitId}`;
}

/** Name of a unit's queue ConfigMap in the print platform's namespace. */
export function printQueuesConfigMapName(unitId: string): string {
  return `print-queues-${unitId}`;
}

/** The global CUPS name of a unit's queue: `<unit id>-<queue name>`. */
export function cupsName(unitId: string, queue: string): string {
  return `${unitId}-${queue}`;
}

/** The directory group of the unit's staff: `<id><groupSuffix>`, e.g. `mpu-uzytkownicy`. */
export function printGroupOf(unit: Pick<Unit, "id">, settings: Pick<StackSettings, "platform">): string {
  return `${unit.id}${settings.platform.print.groupSuffix}`;
}

/** Name of a unit's tenant record (ConfigMap) and ingress allowance (NetworkPolicy) in a platform namespace. */
export const tenantNames = (unitId: string) => ({
  record: `tenant-${unitId}`,
  allowance: `allow-from-unit-${unitId}`,
});

/** Most characters of a site's base name: room for suffixes ("-content", "-nginx") within 63. */
const MAX_SITE_BASE = 50;

/**
 * The base name of a site's objects, derived from its hostname: dots become dashes
 * (`bip.mpu.lodz.pl` → `bip-mpu-lodz-pl`), `s-` is prefixed when it would start with a digit (Service
 * names must start with a letter), and a long name is cut and ends in 8 hex digits of the hostname's
 * SHA-256. Stable: the same hostname always gives the same name.
 */
export function siteBaseName(hostname: string): string {
  const dashed = hostname.replace(/\./g, "-");
  const base = /^[0-9]/.test(dashed) ? `s-${dashed}` : dashed;
  if (base.length <= MAX_SITE_BASE) return base;
  const hash = createHash("sha256").update(hostname).digest("hex").slice(0, 8);
  return `${base.slice(0, MAX_SITE_BASE - 9).replace(/-+$/, "")}-${hash}`;
}

/** Names of the objects of one site. */
export function siteObjectNames(hostname: string) {
  const base = siteBaseName(hostname);
  return {
    base,
    deployment: base,
    service: base,
    ingress: base,
    certificate: base,
    pdb: base,
    tlsSecret: `${base}-tls`,
    content: `${base}-content`,
    config: `${base}-nginx`,
  };
}

/** Prefix of every Desired key of a site: `web-<base>-`. */
export function siteKeyPrefix(hostname: string): string {
  return `web-${siteBaseName(hostname)}-`;
}
