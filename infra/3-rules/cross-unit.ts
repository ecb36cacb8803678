import { basename, extname } from "node:path";
import type { PathSegment } from "../2-manifest/diagnostics";
import { type Finding, finding, type Locate, type UnitInput } from "./finding";
import { uniqueGroups } from "./identities";
import { derivedNameCollisions } from "./names";

/** A name one unit claims, with where it claims it. */
interface Claim {
  value: string;
  /** How the message names the claim when the clashing value is derived (a CUPS name from a queue name). */
  label?: string;
  unit: UnitInput;
  path: PathSegment[];
}

/**
 * Rules across all manifests of a set: the file name is the id, and ids, mail domains, site hostnames
 * the global print queue names (`<id>-<queue>`) and directory groups each belong to one unit only.
 */
export function crossCheck(units: readonly UnitInput[], locate: Locate): Finding[] {
  const out: Finding[] = [];
  for (const u of units) {
    const stem = basename(u.file, extname(u.file));
    if (stem !== u.unit.id)
      out.push(
        finding(
          u.file,
          ["id"],
          `id "${u.unit.id}" does not match the file name "${basename(u.file)}"`,
          `rename the file to ${u.unit.id}${extname(u.file)}, or fix the id`,
        ),
      );
  }
  unique(
    units,
    out,
    locate,
    "unit id",
    (u) => [{ value: u.unit.id, unit: u, path: ["id"] }],
    "ids are stable and unique: choose another id",
  );
  unique(
    units,
    out,
    locate,
    "mail domain",
    (u) =>
      u.unit.services.mail
        ? [{ value: u.unit.services.mail.domain, unit: u, path: ["services", "mail", "domain"] }]
        : [],
    "a domain belongs to one unit: remove it from one of them",
  );
  unique(
    units,
    out,
    locate,
    "site hostname",
    (u) =>
      (u.unit.services.web?.sites ?? []).map((s, i) => ({
        value: s.hostname,
        unit: u,
        path: ["services", "web", "sites", i, "hostname"],
      })),
    "a hostname belongs to one site: choose another",
  );
  unique(
    units,
    out,
    locate,
    "print queue",
    (u) =>
      (u.unit.services.print?.queues ?? []).map((q, i) => ({
        value: `${u.unit.id}-${q.name}`,
        label: `queue "${q.name}" has the CUPS name "${u.unit.id}-${q.name}", which`,
        unit: u,
        path: ["services", "print", "queues", i, "name"],
      })),
    "CUPS queue names are <id>-<name> and must be unique across units: rename the queue",
  );
  out.push(...derivedNameCollisions(units, locate), ...uniqueGroups(units, locate));
  return out;
}

function unique(
  units: readonly UnitInput[],
  out: Finding[],
  locate: Locate,
  what: string,
  claims: (u: UnitInput) => Claim[],
  hint: string,
) {
  const first = new Map<string, Claim>();
  for (const u of units)
    for (const c of claims(u)) {
      const prior = first.get(c.value);
      if (!prior) {
        first.set(c.value, c);
        continue;
      }
      if (prior.unit === u) continue; // duplicates inside one unit are reported by checkUnit
      out.push(
        finding(
          c.unit.file,
          c.path,
          `${c.label ?? `${what} "${c.value}"`} is already claimed by unit ${prior.unit.unit.id} (${locate(prior.unit.file, prior.path)})`,
          hint,
        ),
      );
    }
}
