import type { Lang } from "./i18n";
import type { Table } from "./tables";

/**
 * CSV by RFC 4180: CRLF line ends, fields quoted when they hold the separator, a quote, CR or LF, quotes
 * doubled, and cells a spreadsheet would run as formulas neutralised (csvField). UTF-8 with a byte-order
 * mark so Excel reads Polish letters; Polish locale uses `;` because Excel in a Polish locale uses the
 * comma as the decimal separator and expects `;` between fields.
 */
export const BOM = "\ufeff";

export function separatorFor(lang: Lang): string {
  return lang === "pl" ? ";" : ",";
}

/** Characters a spreadsheet starts a formula with (OWASP, CSV injection): =, +, -, @, tab, CR. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number ("-12,50", "3.5"): a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^-?[0-9]+([.,][0-9]+)?$/;

/**
 * One field. A cell a spreadsheet would run as a formula (it starts with =, +, -, @, tab or CR and is not a
 * plain number) is neutralised by OWASP's rule: a leading single quote, and the cell quoted.
 */
export function csvField(s: string, sep: string): string {
  if (FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One table as CSV: header row, body rows, total rows (notes are not data and are left out). */
export function csvTable(t: Table, lang: Lang): string {
  const sep = separatorFor(lang);
  const rows = [t.columns.map((c) => c.label), ...t.rows, ...t.foot];
  return BOM + rows.map((r) => r.map((c) => csvField(c, sep)).join(sep)).join("\r\n") + "\r\n";
}
