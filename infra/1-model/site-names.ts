import { createHash } from "node:crypto";

/** Most characters of a site's base name: room for suffixes ("-content", "-nginx") within 63. */
const MAX_BASE = 50;

/**
 * The base name of a site's objects, derived from its hostname: dots become dashes
 * (`bip.mpu.lodz.pl` → `bip-mpu-lodz-pl`), `s-` is prefixed when it would start with a digit (Service
 * names must start with a letter), and a long name is cut and ends in 8 hex digits of the hostname's
 * SHA-256. Stable: the same hostname always gives the same name.
 */
export function siteBaseName(hostname: string): string {
  const dashed = hostname.replace(/\./g, "-");
  const base = /^[0-9]/.test(dashed) ? `s-${dashed}` : dashed;
  if (base.length <= MAX_BASE) return base;
  const hash = createHash("sha256").update(hostname).digest("hex").slice(0, 8);
  return `${base.slice(0, MAX_BASE - 9).replace(/-+$/, "")}-${hash}`;
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
