import type { Identity } from "../1-model";
import { SERVICE_NAMES, type ServiceName } from "../1-model";
import { toYaml } from "../5-plan/yaml";

/** The schema modeline every manifest starts with: editors then validate and complete it. */
export const MODELINE = "# yaml-language-server: $schema=../schemas/unit.schema.json";

/** A manifest being written, as plain data: the answers so far, in the schema's shape. */
export type Draft = Record<string, unknown>;

/** Top-level fields in the schema's order (and the order of the real units). */
const ORDER = [
  "id",
  "name",
  "shortName",
  "address",
  "regon",
  "nip",
  "costCentre",
  "labels",
  "roles",
  "lifecycle",
  "services",
];

/** `group:name` → Identity; undefined for a malformed one. */
export function parseIdentity(s: string): Identity | undefined {
  const m = /^(user|group):(.+)$/.exec(s.trim());
  return m ? { kind: m[1] as Identity["kind"], name: m[2]!.trim() } : undefined;
}

/** Words of a comma list, trimmed, empty ones dropped. */
export function commaList(s: string): string[] {
  return s
    .split(",")
    .map((w) => w.trim())
    .filter(Boolean);
}

/** Service names from a comma list, in the resolution's order; the unknown ones apart. */
export function parseServices(s: string): { services: ServiceName[]; unknown: string[] } {
  const words = commaList(s);
  const known = new Set<string>(SERVICE_NAMES);
  return {
    services: SERVICE_NAMES.filter((n) => words.includes(n)),
    unknown: words.filter((w) => !known.has(w)),
  };
}

/** The draft with its top-level fields in the schema's order (services keep the order they were asked in). */
export function ordered(d: Draft): Draft {
  const out: Draft = {};
  for (const k of ORDER) if (d[k] !== undefined) out[k] = d[k];
  for (const [k, v] of Object.entries(d)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

/** The manifest's text: the modeline, a comment, the fields. */
export function manifestText(d: Draft): string {
  const name = typeof d.name === "string" ? d.name : String(d.id ?? "");
  return `${MODELINE}\n# ${name}: written by \`muni new-unit\`; review every value, then open a pull request.\n${toYaml(ordered(d))}`;
}
