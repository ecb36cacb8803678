import ipaddr from "ipaddr.js";

/**
 * IP addresses and networks (on ipaddr.js): what the stack's CIDR lists mean, whether an address or a
 * network lies in one, and which literal forms are the plain ones. Used by the printer-network and
 * API-server rules and by the NetworkPolicies built from those lists.
 */

export type Family = "ipv4" | "ipv6";

/** A parsed network. */
export interface Cidr {
  family: Family;
  /** The network as written. */
  text: string;
  /** The network with its host bits zero, canonical text (`10.20.0.0/16`, `fd00:20::/48`). */
  canonical: string;
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

/** `10.20.0.0/16` → the network; undefined when it is none (IPv4 must be four decimal parts). */
export function parseCidr(text: string): Cidr | undefined {
  const v4 = ipaddr.IPv4.isValidCIDRFourPartDecimal(text);
  if (!v4 && !(text.includes(":") && ipaddr.IPv6.isValidCIDR(text))) return undefined;
  const range = ipaddr.parseCIDR(text);
  const [, prefix] = range;
  const canonical = v4
    ? `${ipaddr.IPv4.networkAddressFromCIDR(text).toString()}/${prefix}`
    : `${ipaddr.IPv6.networkAddressFromCIDR(text).toRFC5952String()}/${prefix}`;
  return { family: v4 ? "ipv4" : "ipv6", text, canonical, range };
}

/** Whether the network is written with its host bits zero, in canonical form. */
export function isCanonical(c: Cidr): boolean {
  return c.text === c.canonical;
}

/** A plain address literal: four decimal parts for IPv4 (no `127.1`, `0x7f000001`, `0177.0.0.1`), or IPv6. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(":") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** Whether the address lies in the network (families must agree). */
export function cidrContains(c: Cidr, address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.kind() === c.family && address.match(c.range);
}

/** Whether two networks share any address: one holds the other's first address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const first = (c: Cidr) => ipaddr.parse(c.canonical.split("/")[0]!);
  return cidrContains(a, first(b)) || cidrContains(b, first(a));
}

/**
 * Ranges that are never a printer's or a workload's destination: unspecified, loopback, link-local (the
 * cloud metadata address 169.254.169.254 among them), multicast, and IPv4-mapped IPv6.
 */
export const NEVER_REACHABLE: readonly string[] = [
  "0.0.0.0/8",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "224.0.0.0/4",
  "::/128",
  "::1/128",
  "::ffff:0:0/96",
  "fe80::/10",
  "ff00::/8",
];

/** The first NEVER_REACHABLE range an address or network touches, if any. */
export function unreachableRange(x: Cidr | ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  return NEVER_REACHABLE.find((r) => {
    const range = parseCidr(r)!;
    return "canonical" in x ? cidrsOverlap(range, x) : cidrContains(range, x);
  });
}
