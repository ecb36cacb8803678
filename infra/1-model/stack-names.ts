import type { StackSettings } from "./stack.generated";
import type { Unit } from "./unit.generated";

/** The part of a stack's settings that renames the units' DNS names (a staging stack's own names). */
export type DnsRewrite = Pick<StackSettings, "dnsRewrite">;

/**
 * The name a stack serves for a manifest's site host name or mail domain: the longest `dnsRewrite` key
 * that the name equals or ends in (`.<key>`) is replaced by its value; a name under no key is unchanged.
 * Production stacks set no rewrite, so every name is the manifest's.
 */
export function stackDnsName(name: string, settings: Partial<DnsRewrite>): string {
  let best: string | undefined;
  for (const from of Object.keys(settings.dnsRewrite ?? {}))
    if ((name === from || name.endsWith(`.${from}`)) && (best === undefined || from.length > best.length))
      best = from;
  if (best === undefined) return name;
  const to = settings.dnsRewrite![best]!;
  return name === best ? to : `${name.slice(0, name.length - best.length)}${to}`;
}

/**
 * The unit as a stack serves it: its site host names, its mail domain and the full addresses its aliases
 * forward to under the stack's names (stackDnsName), so staging neither serves nor mails production's
 * names. Pure; the same object when the stack renames nothing, so production is untouched.
 */
export function unitForStack(unit: Unit, settings: Partial<DnsRewrite>): Unit {
  if (Object.keys(settings.dnsRewrite ?? {}).length === 0) return unit;
  const s = unit.services;
  const rename = (n: string) => stackDnsName(n, settings);
  return {
    ...unit,
    services: {
      ...s,
      ...(s.mail
        ? {
            mail: {
              ...s.mail,
              domain: rename(s.mail.domain),
              aliases: s.mail.aliases.map((a) => ({
                ...a,
                to: mapNonEmpty(a.to, (t) => renameAddress(t, settings)),
              })),
            },
          }
        : {}),
      ...(s.web
        ? {
            web: {
              ...s.web,
              sites: mapNonEmpty(s.web.sites, (site) => ({ ...site, hostname: rename(site.hostname) })),
            },
          }
        : {}),
    },
  };
}

/** A full address `local@domain` with its domain under the stack's names; a bare local part is unchanged. */
function renameAddress(target: string, settings: Partial<DnsRewrite>): string {
  const at = target.lastIndexOf("@");
  return at < 0 ? target : `${target.slice(0, at + 1)}${stackDnsName(target.slice(at + 1), settings)}`;
}

/** `map` that keeps a non-empty tuple non-empty. */
function mapNonEmpty<T, U>(xs: readonly [T, ...T[]], f: (x: T) => U): [U, ...U[]] {
  return xs.map(f) as [U, ...U[]];
}
