import type { Lang } from "./i18n";
import type { Table } from "./tables";

/**
 * CSV by RFC 4180: CRLF line ends, fields quoted when they hold the separator, a quote, CR or LF, quotes
 * doubled. UTF-8 with a byte-order mark so Excel reads Polish letters; Polish locale uses `;` because
 * Excel in a Polish locale uses the comma as the decimal separator and expects `;` between fields.
 */
export const BOM = "\ufeff";

export function separatorFor(lang: Lang): string {
  return lang === "pl" ? ";" : ",";
}

export function csvField(s: string, sep: string): string {
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One table as CSV: header row, body rows, total rows (notes are not data and are left out). */
export function csvTable(t: Table, lang: Lang): string {
  const sep = separatorFor(lang);
  const rows = [t.columns.map((c) => c.label), ...t.rows, ...t.foot];
  return BOM + rows.map((r) => r.map((c) => csvField(c, sep)).join(sep)).join("\r\n") + "\r\n";
}
