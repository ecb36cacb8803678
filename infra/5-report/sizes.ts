import type { Lang } from "./i18n";
import { formatNumber } from "./money";

const GIB = 2 ** 30;
const TIB = 2 ** 40;

/**
 * A size as people read it, always in GiB or TiB (never Kubernetes' `Gi`/`Ti` or bytes): TiB from 1 TiB
 * on, GiB below, at most two decimals in the language's notation, a no-break space before the unit.
 */
export function formatSize(bytes: number, lang: Lang): string {
  return bytes >= TIB
    ? `${formatNumber(bytes / TIB, lang, 2)}\u00a0TiB`
    : `${formatNumber(bytes / GIB, lang, 2)}\u00a0GiB`;
}

/** A size in GiB as a plain number for spreadsheets ("1536", "0,5"), the column saying GiB. */
export function plainGiB(bytes: number, lang: Lang): string {
  return formatNumber(bytes / GIB, lang, 3);
}
