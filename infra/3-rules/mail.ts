import type { PathSegment } from "../2-manifest/diagnostics";
import { type Finding, finding, type StackCheck, type UnitInput } from "./finding";
import { formatBytes } from "../1-model";
import {
  inZone,
  mailTenant,
  POSTMASTER,
  quotaLimitBytes,
  quotaSumBytes,
  reservedNames,
  reserves,
  zonesOf,
} from "../1-model";

const MAIL: PathSegment[] = ["services", "mail"];

/** postmaster@ is the account muni creates in every tenant: a mailbox or alias of that name clashes. */
export const mailPostmaster: StackCheck = ({ units }) => {
  return units.flatMap((u) => {
    const m = u.unit.services.mail;
    if (!m) return [];
    const boxes = m.mailboxes.flatMap((b, i) =>
      b.localPart === POSTMASTER
        ? [
            finding(
              u.file,
              [...MAIL, "mailboxes", i, "localPart"],
              `"${POSTMASTER}" is the account muni creates in every mail domain`,
              "remove it; its password is in the unit's mail-initial-passwords Secret",
            ),
          ]
        : [],
    );
    const aliases = m.aliases.flatMap((a, i) =>
      a.name === POSTMASTER
        ? [
            finding(
              u.file,
              [...MAIL, "aliases", i, "name"],
              `"${POSTMASTER}" is the account muni creates in every mail domain`,
              "remove the alias; forward postmaster's mail from the mailbox itself",
            ),
          ]
        : [],
    );
    return [...boxes, ...aliases];
  });
};

/** The quotas of all mailboxes (postmaster included) fit quotaLimit (or mailboxLimit × defaultQuota). */
export const mailQuotaSum: StackCheck = ({ units }) => {
  return units.flatMap((u) => {
    const m = u.unit.services.mail;
    const tenant = mailTenant(u.unit);
    if (!m || !tenant) return [];
    const sum = quotaSumBytes(tenant);
    const limit = quotaLimitBytes(m);
    if (sum <= limit) return [];
    const what =
      m.quotaLimit !== undefined
        ? `quotaLimit ${m.quotaLimit}`
        : `mailboxLimit × defaultQuota (${m.mailboxLimit} × ${m.defaultQuota} = ${formatBytes(limit)})`;
    return [
      finding(
        u.file,
        m.quotaLimit !== undefined ? [...MAIL, "quotaLimit"] : [...MAIL, "mailboxes"],
        `the mailboxes' quotas add up to ${formatBytes(sum)} (postmaster's ${m.defaultQuota} included), over ${what}`,
        "raise quotaLimit or lower mailbox quotas",
      ),
    ];
  });
};

/**
 * Alias targets resolve and aliases do not loop. A target in any domain of the stack's tenants must
 * be a mailbox, postmaster or an alias there (other domains are external and not checked); following
 * aliases across all tenants must never come back to where it started.
 */
export const mailAliases: StackCheck = ({ stack, units }) => {
  const out: Finding[] = [];
  // A domain the unit may not hold (outside its zones, or reserved: 3-rules/dns-zones.ts refuses it) is
  // no tenant domain here: other units' aliases into it are not blamed for the hostile claim.
  const reserved = reservedNames(stack.settings);
  const holds = (u: UnitInput, domain: string) =>
    zonesOf(u.unit.id, stack.settings).zones.some((z) => inZone(domain, z)) &&
    !reserved.some((r) => reserves(r, domain));
  const domains = new Map<string, UnitInput>();
  const known = new Set<string>();
  const edges = new Map<string, { unit: UnitInput; index: number; targets: string[] }>();
  for (const u of units) {
    const t = mailTenant(u.unit);
    if (!t || !holds(u, t.domain)) continue;
    domains.set(t.domain, u);
    for (const a of t.accounts) known.add(a.address);
    t.aliases.forEach((a, index) => {
      known.add(a.address);
      if (!edges.has(a.address)) edges.set(a.address, { unit: u, index, targets: a.targets });
    });
  }
  for (const [address, e] of edges)
    e.targets.forEach((target, j) => {
      const domain = target.slice(target.indexOf("@") + 1);
      if (domains.has(domain) && !known.has(target)) {
        const raw = e.unit.unit.services.mail!.aliases[e.index]!.to[j]!;
        out.push(
          finding(
            e.unit.file,
            [...MAIL, "aliases", e.index, "to", j],
            `"${raw}" resolves to ${target}, which is no mailbox or alias of ${domain}`,
            `add the mailbox to unit ${domains.get(domain)!.unit.id}, or fix the target of alias ${address}`,
          ),
        );
      }
    });
  // Loops: depth-first over alias → alias edges; report each cycle once, at its first alias in file order.
  const state = new Map<string, "open" | "done">();
  const reported = new Set<string>();
  const visit = (addr: string, path: string[]) => {
    if (state.get(addr) === "done") return;
    if (state.get(addr) === "open") {
      const cycle = path.slice(path.indexOf(addr));
      const key = [...cycle].sort().join(" ");
      if (reported.has(key)) return;
      reported.add(key);
      const e = edges.get(cycle[0]!)!;
      out.push(
        finding(
          e.unit.file,
          [...MAIL, "aliases", e.index, "to"],
          `alias ${cycle[0]} loops: ${[...cycle, cycle[0]].join(" → ")}`,
          "make one of the aliases deliver to a mailbox instead",
        ),
      );
      return;
    }
    const e = edges.get(addr);
    if (!e) return;
    state.set(addr, "open");
    for (const t of e.targets) visit(t, [...path, addr]);
    state.set(addr, "done");
  };
  for (const addr of edges.keys()) visit(addr, []);
  return out;
};
