import { inZone, type ReservedName, reservedNames, reserves, type Unit, zonesOf } from "../1-model";
import type { PathSegment } from "../2-manifest/diagnostics";
import { SETTINGS_PATH } from "../2-manifest/stack";
import {
  type Finding,
  finding,
  type Locate,
  type StackCheck,
  type StackInput,
  type UnitInput,
} from "./finding";

/**
 * DNS names belong to the unit the stack delegates them to (issue 13, point 2). Each unit has zones
 * (tenancy.zones, else `<id>.<first suffix>`); its site hostnames and mail domain must lie in them, and
 * no zone may overlap another unit's or hold a reserved name: the apex of a city suffix, the platform's
 * hosts (mail, print, ingress) or the city hall's own domains. So a unit can claim neither the city's mail
 * domain nor another unit's names, and gets no TLS certificate for them.
 */

/** A DNS name a unit claims in its manifest, with where. */
export interface ClaimedName {
  name: string;
  what: string;
  /** Which of the stack's dnsSuffixes lists the name must end in. */
  suffixes: "mail" | "sites";
  path: PathSegment[];
}

/** Every DNS name a unit's manifest claims: its mail domain and its sites' hostnames. */
export function claimedNames(unit: Unit): ClaimedName[] {
  const out: ClaimedName[] = [];
  const mail = unit.services.mail;
  if (mail)
    out.push({
      name: mail.domain,
      what: "mail domain",
      suffixes: "mail",
      path: ["services", "mail", "domain"],
    });
  (unit.services.web?.sites ?? []).forEach((s, i) =>
    out.push({
      name: s.hostname,
      what: "site hostname",
      suffixes: "sites",
      path: ["services", "web", "sites", i, "hostname"],
    }),
  );
  return out;
}

/** One zone of one unit, with where it comes from (the stack's delegation, or the default at the unit's id). */
interface ZoneEntry {
  unitId: string;
  zone: string;
  file: string;
  path: PathSegment[];
  delegated: boolean;
}

function zoneEntries(stack: StackInput, units: readonly UnitInput[]): ZoneEntry[] {
  const byId = new Map(units.map((u) => [u.unit.id, u]));
  const ids = [...new Set([...Object.keys(stack.settings.tenancy.zones), ...byId.keys()])].sort();
  return ids.flatMap((id) => {
    const { zones, delegated } = zonesOf(id, stack.settings);
    const u = byId.get(id);
    if (!delegated && !u) return [];
    return zones.map((zone, j) =>
      delegated
        ? {
            unitId: id,
            zone,
            file: stack.file,
            path: [...SETTINGS_PATH, "tenancy", "zones", id, j],
            delegated,
          }
        : { unitId: id, zone, file: u!.file, path: ["id"], delegated },
    );
  });
}

/** The zone entries by zone name. */
function zoneIndex(entries: readonly ZoneEntry[]): Map<string, ZoneEntry[]> {
  const index = new Map<string, ZoneEntry[]>();
  for (const e of entries) index.set(e.zone, [...(index.get(e.zone) ?? []), e]);
  return index;
}

/** `a.b.c` → `a.b.c`, `b.c`, `c`: every zone a name can lie in. */
function selfAndParents(name: string): string[] {
  const labels = name.split(".");
  return labels.map((_, i) => labels.slice(i).join("."));
}

function reservedAt(stack: StackInput, r: ReservedName, locate: Locate): string {
  return r.at ? ` (${locate(stack.file, [...SETTINGS_PATH, ...r.at])})` : "";
}

/** No zone holds a reserved name or lies under one; no two units' zones overlap. */
export const unitZones: StackCheck = ({ stack, units, locate }) => {
  const entries = zoneEntries(stack, units);
  const reserved = reservedNames(stack.settings);
  const out: Finding[] = [];
  const origin = (e: ZoneEntry) =>
    e.delegated ? "" : ` (the default zone <id>.<first suffix>: no tenancy.zones.${e.unitId} in the stack)`;
  const clashing = new Set<ZoneEntry>();
  for (const e of entries) {
    const r = reserved.find((x) => reserves(x, e.zone) || inZone(x.name, e.zone));
    if (!r) continue;
    clashing.add(e);
    out.push(
      finding(
        e.file,
        e.path,
        `zone "${e.zone}" of unit ${e.unitId}${origin(e)} ${r.name === e.zone ? "is" : reserves(r, e.zone) ? "lies under" : "holds"} "${r.name}", ${r.what}${reservedAt(stack, r, locate)}`,
        e.delegated
          ? "delegate a zone under the unit's own name, e.g. <id>.<suffix>"
          : "choose another unit id, or have the central administrators delegate the unit's zones in tenancy.zones",
      ),
    );
  }
  // Overlaps among the others, each reported once: at the stack's delegation when only one side is
  // delegated (the unit with the default zone did nothing wrong), else at the later entry. Found from the
  // nested zone's side by walking its own name and its parents through an index (no quadratic scan).
  const rest = entries.filter((e) => !clashing.has(e));
  const index = zoneIndex(rest);
  const order = new Map(rest.map((e, i) => [e, i]));
  const reported = new Set<ZoneEntry>();
  rest.forEach((b, j) => {
    for (const name of selfAndParents(b.zone))
      for (const a of index.get(name) ?? []) {
        const i = order.get(a)!;
        // Equal zones are found from both sides: take the pair once.
        if (a.unitId === b.unitId || (a.zone === b.zone && i > j)) continue;
        const [first, second] = i < j ? [a, b] : [b, a];
        const [at, other] = first.delegated && !second.delegated ? [first, second] : [second, first];
        if (reported.has(at)) continue;
        reported.add(at);
        out.push(
          finding(
            at.file,
            at.path,
            `zone "${at.zone}" of unit ${at.unitId}${origin(at)} overlaps zone "${other.zone}" of unit ${other.unitId} (${locate(other.file, other.path)})`,
            "a name belongs to one unit: delegate zones that do not nest",
          ),
        );
      }
  });
  return out;
};

/** Every site hostname and mail domain lies in the unit's own zones and is no reserved name. */
export const namesInZones: StackCheck = ({ stack, units, locate }) => {
  const index = zoneIndex(zoneEntries(stack, units));
  const reserved = reservedNames(stack.settings);
  return units.flatMap((u) => {
    const own = zonesOf(u.unit.id, stack.settings).zones;
    const delegation = stack.settings.tenancy.zones[u.unit.id]
      ? `tenancy.zones.${u.unit.id} at ${locate(stack.file, [...SETTINGS_PATH, "tenancy", "zones", u.unit.id])}`
      : `the default zone; the stack sets no tenancy.zones.${u.unit.id}`;
    return claimedNames(u.unit).flatMap((c) => {
      const r = reserved.find((x) => reserves(x, c.name));
      if (r)
        return [
          finding(
            u.file,
            c.path,
            `${c.what} "${c.name}" is ${r.name === c.name ? "" : "under "}${r.what} "${r.name}"${reservedAt(stack, r, locate)}: no unit may hold it`,
            `use a name under the unit's zone${own.length > 1 ? "s" : ""} ${own.join(", ")}`,
          ),
        ];
      if (own.some((z) => inZone(c.name, z))) return [];
      // A name outside every allowed suffix is reported once, by dnsSuffixes (stack.ts).
      if (!stack.settings.dnsSuffixes[c.suffixes].some((s) => inZone(c.name, s))) return [];
      const other = selfAndParents(c.name)
        .flatMap((z) => index.get(z) ?? [])
        .find((e) => e.unitId !== u.unit.id);
      const message = other
        ? `${c.what} "${c.name}" lies in zone "${other.zone}" of unit ${other.unitId} (${locate(other.file, other.path)})`
        : `${c.what} "${c.name}" is outside the unit's zone${own.length > 1 ? "s" : ""} ${own.join(", ")} (${delegation})`;
      return [
        finding(
          u.file,
          c.path,
          message,
          `use a name under ${own.join(" or ")}, or ask the central administrators to delegate the zone in the stack's tenancy.zones.${u.unit.id}`,
        ),
      ];
    });
  });
};
