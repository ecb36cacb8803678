import type { Lang } from "./i18n";
import type { Table } from "./tables";
import { escapeXml } from "./xml";

/**
 * Fits a page 1280 px wide: tables no wider than the page, text wrapping in its cell (never cut), long
 * service names over narrow columns set vertically, figures and postal codes never broken.
 */
const CSS = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #111; background: #fff; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
p.meta { margin: 0 0 1.5rem; color: #333; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; max-width: 100%; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
th, td { border: 1px solid #999; padding: 0.3rem 0.45rem; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #e8eef5; vertical-align: bottom; max-width: 10rem; }
thead th .rotate { display: inline-block; writing-mode: vertical-rl; transform: rotate(180deg); max-height: 13rem; text-align: left; }
tbody th, tfoot th { text-align: left; font-weight: 600; }
#matrix td:nth-child(2), #matrix td:nth-child(3) { min-width: 11rem; }
#matrix tbody th, #matrix tbody td.center { text-align: center; }
tfoot th, tfoot td { background: #f4f4f4; font-weight: 600; }
td.right, th.right { text-align: right; }
td.right, .nowrap { white-space: nowrap; }
td.center, th.center { text-align: center; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.note { font-style: italic; }
figure { margin: 1rem 0; max-width: 100%; overflow-x: auto; }
`.trim();

/** Polish postal codes (NN-NNN) never break at their dash. */
function unbreakable(html: string): string {
  return html.replace(/\b(\d{2}-\d{3})\b/g, '<span class="nowrap">$1</span>');
}

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
      : unbreakable(escapeXml(s));
  const row = (cells: readonly string[]) =>
    `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row"${cls(i)}>${content(c, i)}</th>` : `<td${cls(i)}>${content(c, i)}</td>`)).join("")}</tr>`;
  return [
    `<section aria-labelledby="${t.id}-h">`,
    `<h2 id="${t.id}-h">${escapeXml(t.caption)}</h2>`,
    `<table id="${t.id}">`,
    `<caption class="sr-only">${escapeXml(t.caption)}</caption>`,
    `<thead><tr>${t.columns.map((c, i) => `<th scope="col"${cls(i)}>${c.rotate ? `<span class="rotate">${escapeXml(c.label)}</span>` : escapeXml(c.label)}</th>`).join("")}</tr></thead>`,
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
  made?: string,
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
    ...(made ? [`<p class="meta">${escapeXml(made)}</p>`] : []),
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
