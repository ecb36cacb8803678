import type { Unit } from "../../1-model";

/** One entry of the address list the city registers in the national BIP index. */
export interface BipEntry {
  /** Unit id. */
  unit: string;
  /** The unit's full name. */
  unitName: string;
  hostname: string;
  /** The BIP's address, `https://<hostname>/`. */
  url: string;
  /** The site's title, or the unit's name when the site has none. */
  title: string;
}

/**
 * A site's title. Read untyped: the schema has `title`, but scripts/gen-types.mjs strips every key named
 * "title" below the root (meant for the schema keyword), so the generated type lacks it.
 */
export function siteTitle(site: object): string | undefined {
  const t = (site as { title?: unknown }).title;
  return typeof t === "string" ? t : undefined;
}

/** The BIP sites of the given units, ordered by unit id and hostname. */
export function bipRegistry(units: readonly Unit[]): BipEntry[] {
  return units
    .flatMap((u) =>
      (u.services.web?.sites ?? [])
        .filter((s) => s.kind === "bip")
        .map((s) => ({
          unit: u.id,
          unitName: u.name,
          hostname: s.hostname,
          url: `https://${s.hostname}/`,
          title: siteTitle(s) ?? u.name,
        })),
    )
    .sort((a, b) =>
      a.unit === b.unit ? a.hostname.localeCompare(b.hostname) : a.unit.localeCompare(b.unit),
    );
}
