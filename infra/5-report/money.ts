import type { Lang } from "./i18n";
import { isWholeGrosze } from "../3-rules/prices";

/**
 * Money in integer grosze (1/100 PLN): no floating-point drift in sums. Fractional quantities (500m of
 * CPU, 1536Mi of memory) are exact rationals; each line is rounded once, half up, to a whole grosz.
 */
export type Grosze = number;

/** A price from the stack settings (PLN, at most 2 decimals) → grosze. Throws on more decimals. */
export function toGrosze(pln: number): Grosze {
  const g = Math.round(pln * 100);
  if (!Number.isFinite(pln) || Math.abs(pln * 100 - g) > 1e-6)
    throw new Error(`not an amount in PLN with at most 2 decimals: ${pln}`);
  return g;
}

/** price × (numerator / denominator), rounded half up to a whole grosz, exactly (BigInt). */
export function priceTimes(price: Grosze, numerator: number, denominator = 1): Grosze {
  const n = BigInt(price) * BigInt(numerator);
  const d = BigInt(denominator);
  return Number((2n * n + d) / (2n * d));
}

/** `percent`% of an amount, rounded half up. */
export function percentOf(amount: Grosze, percent: number): Grosze {
  return priceTimes(amount, percent, 100);
}

/** Groups of three digits separated by a no-break space. */
function grouped(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** "1 234,56 zł" (pl, no-break spaces) or "PLN 1,234.56" (en). */
export function formatMoney(g: Grosze, lang: Lang): string {
  const sign = g < 0 ? "-" : "";
  const abs = Math.abs(g);
  const zl = Math.floor(abs / 100);
  const gr = String(abs % 100).padStart(2, "0");
  return lang === "pl"
    ? `${sign}${grouped(zl, "\u00a0")},${gr}\u00a0zł`
    : `${sign}PLN\u00a0${grouped(zl, ",")}.${gr}`;
}

/** A plain decimal for spreadsheets: "1234,56" (pl) or "1234.56" (en), no grouping, no currency. */
export function plainMoney(g: Grosze, lang: Lang): string {
  const sign = g < 0 ? "-" : "";
  const abs = Math.abs(g);
  return `${sign}${Math.floor(abs / 100)}${lang === "pl" ? "," : "."}${String(abs % 100).padStart(2, "0")}`;
}

/** A decimal number in the language's notation ("1,5" / "1.5"), at most `digits` decimals, trailing zeros dropped. */
export function formatNumber(x: number, lang: Lang, digits = 2): string {
  const s = String(Number(x.toFixed(digits)));
  return lang === "pl" ? s.replace(".", ",") : s;
}
