import type { Lang } from "./i18n";
import type { Table } from "./tables";
import { escapeXml } from "./xml";

const CSS = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; background: #fff; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.5rem; vertical-align: top; }
thead th { background: #e8eef5; max-width: 9rem; }
tbody th, tfoot th { text-align: left; font-weight: 600; }
#matrix td:nth-child(2), #matrix td:nth-child(3) { min-width: 14rem; }
#matrix tbody th, #matrix tbody td.center { text-align: center; }
tfoot th, tfoot td { background: #f4f4f4; font-weight: 600; }
td.right, th.right { text-align: right; }
td.right { white-space: nowrap; }
td.center, th.center { text-align: center; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.note { font-style: italic; }
figure { margin: 1rem 0; }
`.trim();

/** One accessible table: caption, column headers with scope, a row header per row, totals in tfoot. */
export function htmlTable(t: Table, lang: Lang): string {
  const yes = lang === "pl" ? "tak" : "yes";
  const no = lang === "pl" ? "nie" : "no";
  const cls = (i: number) => (t.columns[i]?.align === "left" ? "" : ` class="${t.columns[i]?.align}"`);
  // Matrix marks: a visible X for sighted readers, a spoken yes/no for screen readers.
  const content = (s: string, i: number) =>
    t.id === "matrix" && t.columns[i]?.align === "center"
      ? s === "X"
        ? `<span aria-hidden="true">X</span><span class="sr-only">${yes}</span>`
        : `<span class="sr-only">${no}</span>`
      : escapeXml(s);
  const row = (cells: readonly string[]) =>
    `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row"${cls(i)}>${content(c, i)}</th>` : `<td${cls(i)}>${content(c, i)}</td>`)).join("")}</tr>`;
  return [
    `<section aria-labelledby="${t.id}-h">`,
    `<h2 id="${t.id}-h">${escapeXml(t.caption)}</h2>`,
    `<table id="${t.id}">`,
    `<caption class="sr-only">${escapeXml(t.caption)}</caption>`,
    `<thead><tr>${t.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeXml(c.label)}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...t.rows.map(row),
    `</tbody>`,
    ...(t.foot.length ? ["<tfoot>", ...t.foot.map(row), "</tfoot>"] : []),
    `</table>`,
    ...t.notes.map((n) => `<p class="note">${escapeXml(n)}</p>`),
    `</section>`,
  ].join("\n");
}

/**
 * One self-contained HTML document: inline CSS and SVG, no scripts, no external assets. `extra` holds
 * already-rendered HTML to place after a table, by table id (the capacity chart).
 */
export function htmlReport(
  title: string,
  lang: Lang,
  tables: readonly Table[],
  extra: Record<string, string> = {},
): string {
  return [
    "<!DOCTYPE html>",
    `<html lang="${lang}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    "</head>",
    "<body>",
    "<main>",
    `<h1>${escapeXml(title)}</h1>`,
    ...tables.flatMap((t) => [
      htmlTable(t, lang),
      ...(extra[t.id] ? [`<figure>\n${extra[t.id]}\n</figure>`] : []),
    ]),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
