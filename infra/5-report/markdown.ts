import type { Table } from "./tables";

/** A Markdown (GFM) table; `|` in cells is escaped and line breaks become spaces. */
export function markdownTable(t: Table): string {
  const cell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  const rule = t.columns.map((c) => (c.align === "right" ? "---:" : c.align === "center" ? ":---:" : "---"));
  const foot = t.foot.map((r) => line(r.map((c, i) => (i === 0 ? `**${c}**` : c))));
  const out = [
    `## ${t.caption}`,
    "",
    line(t.columns.map((c) => c.label)),
    `| ${rule.join(" | ")} |`,
    ...t.rows.map(line),
    ...foot,
  ];
  if (t.notes.length) out.push("", ...t.notes.map((n) => `*${n}*`));
  return out.join("\n");
}

/** The whole report in Markdown: a title, where it comes from, and one section per table. */
export function markdownReport(title: string, tables: readonly Table[], made?: string): string {
  return [`# ${title}`, ...(made ? [`*${made}*`] : []), ...tables.map(markdownTable)].join("\n\n") + "\n";
}
