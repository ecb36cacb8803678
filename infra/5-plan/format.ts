import type { ObjectChange, UnitDiff } from "./diff";
import {
  countObjects,
  diffCounts,
  fieldChangeText,
  kindsText,
  objectLabel,
  plural,
  quotaText,
  quotaTotals,
} from "./summary";
import type { ObjectRef, PlannedUnit } from "./types";
import { type LedgerPreview, notProvisionedText, type PlanReport } from "./report";
import { platformProtectionLines, protectionLines } from "./protection";

/** GitHub refuses comments over 65,536 characters; the Markdown plan stops short of that. */
export const MARKDOWN_LIMIT = 60_000;

function headline(r: PlanReport): string {
  const p = r.plan;
  const provisioned = p.units.filter((u) => u.provisioned).length;
  const secrets = p.units.reduce((n, u) => n + u.secrets.length, 0);
  return `${plural(p.units.length, "unit")}, ${provisioned} provisioned, ${plural(countObjects(p), "Kubernetes object")}, ${plural(secrets, "generated secret")}, ${plural(p.resources, "Pulumi resource")}`;
}

function unitState(u: Pick<PlannedUnit, "state" | "wave" | "provisioned" | "notProvisioned">): string {
  return `${u.state}, wave ${u.wave}${u.provisioned ? "" : `: ${notProvisionedText(u.notProvisioned)}`}`;
}

function objectLine(sign: string, o: ObjectRef): string {
  const flags = [
    o.dataBearing ? "data-bearing: retained on the cluster" : "",
    o.redacted.length ? "secrets redacted" : "",
  ].filter(Boolean);
  return `${sign} ${objectLabel(o)} [${o.resource}]${flags.length ? ` (${flags.join("; ")})` : ""}`;
}

/** The lines of one unit's changes, `+`/`~`/`-` first, field changes indented under each changed object. */
export function unitDiffLines(u: UnitDiff): string[] {
  const lines: string[] = [];
  for (const o of u.added) lines.push(objectLine("+", o));
  for (const c of u.changed) lines.push(...changeLines(c));
  for (const o of u.removed) lines.push(objectLine("-", o));
  return lines;
}

function changeLines(c: ObjectChange): string[] {
  const head = `${objectLine(c.replace ? "±" : "~", c.after)}${c.replace ? " replaced: kind, name or namespace changes" : ""}`;
  return [head, ...c.fields.map((f) => `    ${fieldChangeText(f)}`)];
}

function unitDiffTitle(u: UnitDiff): string {
  const parts = [
    u.added.length ? `${u.added.length} to add` : "",
    u.changed.length ? `${u.changed.length} to change` : "",
    u.removed.length ? `${u.removed.length} to remove` : "",
  ].filter(Boolean);
  const state =
    u.before && u.after && u.before.state !== u.after.state
      ? `, lifecycle ${u.before.state} → ${u.after.state}`
      : !u.after
        ? ", manifest removed"
        : !u.before
          ? ", new"
          : "";
  const none =
    u.after && !u.after.provisioned
      ? `taken, ${notProvisionedText(u.after.notProvisioned)}`
      : "no object changes";
  return `${u.id} (${u.status}${state}): ${parts.join(", ") || none}`;
}

/** The plan as plain text for a terminal. */
export function planText(r: PlanReport): string {
  const p = r.plan;
  const out: string[] = [`Plan of stack ${p.stack} (${p.file}): ${headline(r)}`];
  if (r.outDir) out.push(`Manifests written to ${r.outDir}/ (one file per unit, secrets redacted)`);
  for (const w of p.warnings) out.push(`warning: ${w}`);
  out.push("");
  for (const u of p.units) {
    out.push(`${u.id}: ${u.name} (${u.file})`);
    out.push(`  ${unitState(u)}, namespace ${u.namespace}`);
    if (!u.provisioned) continue;
    out.push(`  objects (${u.objects.length}): ${kindsText(u.objects)}`);
    if (u.secrets.length) out.push(`  generated secrets: ${u.secrets.length}`);
    out.push(`  quota: ${quotaText(u.quota)}`);
    if (u.hostnames.length) out.push(`  hostnames: ${u.hostnames.join(", ")}`);
    if (u.mailDomains.length) out.push(`  mail domains: ${u.mailDomains.join(", ")}`);
    if (u.queues.length) out.push(`  print queues: ${u.queues.join(", ")}`);
    out.push(...protectionLines(u.protection));
  }
  if (p.platform.length)
    out.push(
      `platform: shared mail and print servers`,
      `  objects (${p.platform.length}): ${kindsText(p.platform)}`,
      ...platformProtectionLines(p.platformProtection),
    );
  out.push("", `Total quota of provisioned units: ${quotaText(quotaTotals(p))}`);
  if (r.diff) out.push("", ...diffText(r));
  if (r.notTaken?.length) {
    out.push("", `Not taken by stack ${p.stack}:`);
    for (const n of r.notTaken)
      out.push(`  ${n.id} (${n.file}${n.change ? `, ${n.change}` : ""}): ${n.reason}`);
  }
  const ledger = r.ledger ? ledgerLines(r.ledger) : [];
  if (ledger.length) out.push("", ...ledger);
  return out.join("\n");
}

/** What the ledger would record, and whether it is recorded. */
function ledgerLines(l: LedgerPreview): string[] {
  if (!l.changes.length)
    return l.upToDate ? [] : [`Ledger ${l.file}: not up to date: run ${l.fix} and commit it`];
  return [
    `Ledger ${l.file} records:`,
    ...l.changes.map((c) => `  ${c}`),
    l.upToDate ? "  (recorded in this change)" : `  not recorded yet: run ${l.fix} and commit it`,
  ];
}

function diffText(r: PlanReport): string[] {
  const d = r.diff!;
  const out = [
    `Changes against ${d.base}${r.baseCommit ? ` (${r.baseCommit.slice(0, 12)})` : ""}: ${diffCounts(d)}`,
  ];
  if (r.baseNote) out.push(`  note: ${r.baseNote}`);
  const unchanged: string[] = [];
  for (const u of d.units) {
    if (u.status === "unchanged") {
      unchanged.push(u.id);
      continue;
    }
    out.push(`  ${unitDiffTitle(u)}`, ...unitDiffLines(u).map((l) => `    ${l}`));
  }
  if (unchanged.length) out.push(`  unchanged: ${unchanged.join(", ")}`);
  for (const g of r.guardFindings ?? []) out.push(`  guard: ${g}`);
  return out;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** The plan as GitHub-flavoured Markdown, ready to post as a pull-request comment. */
export function planMarkdown(r: PlanReport): string {
  const p = r.plan;
  const out: string[] = [
    `<!-- muni-plan stack=${p.stack} -->`,
    `### muni plan: stack ${code(p.stack)}`,
    "",
    `${headline(r)}. Secrets are redacted.`,
    "",
  ];
  for (const w of p.warnings) out.push(`> [!WARNING]`, `> ${w}`, "");
  if (r.diff) out.push(...diffMarkdown(r));
  if (r.notTaken?.length) {
    out.push(
      `#### Not taken by stack ${code(p.stack)}`,
      "",
      "| Unit | Manifest | Change | Why the stack does not take it |",
      "|---|---|---|---|",
      ...r.notTaken.map((n) => `| ${code(n.id)} | ${code(n.file)} | ${n.change ?? ""} | ${cell(n.reason)} |`),
      "",
    );
  }
  if (r.ledger) out.push(...ledgerMarkdown(r.ledger));
  out.push(
    "#### Units",
    "",
    "| Unit | State | Objects | Quota (CPU / memory / storage / VMs) | Hostnames | Mail domains | Print queues |",
    "|---|---|---|---|---|---|---|",
  );
  const rows: string[] = [];
  for (const u of p.units) {
    const q = u.provisioned ? `${u.quota.cpu} / ${u.quota.memory} / ${u.quota.storage} / ${u.quota.vms}` : "";
    rows.push(
      `| ${code(u.id)} ${cell(u.name)} | ${cell(unitState(u))} | ${u.provisioned ? cell(`${u.objects.length}: ${kindsText(u.objects)}`) : ""} | ${q} | ${cell(u.hostnames.join(", "))} | ${cell(u.mailDomains.join(", "))} | ${cell(u.queues.join(", "))} |`,
    );
  }
  if (p.platform.length)
    rows.push(
      `| platform (shared mail and print servers) | | ${cell(`${p.platform.length}: ${kindsText(p.platform)}`)} | | | | |`,
    );
  const t = quotaTotals(p);
  const footer = ["", `**Total quota** of provisioned units: ${quotaText(t)}.`];
  return fitMarkdown(out, rows, footer);
}

function diffMarkdown(r: PlanReport): string[] {
  const d = r.diff!;
  const out = [
    `#### Changes against ${code(d.base)}${r.baseCommit ? ` (${r.baseCommit.slice(0, 12)})` : ""}`,
    "",
    `**${diffCounts(d)}**`,
    "",
  ];
  if (r.baseNote) out.push(`_${r.baseNote}_`, "");
  for (const g of r.guardFindings ?? []) out.push(`> [!CAUTION]`, `> ${cell(g)}`, "");
  const changed = d.units.filter((u) => u.status !== "unchanged");
  if (changed.length === 0)
    return [
      ...out,
      r.notTaken?.some((n) => n.change)
        ? `No unit changes in stack ${code(r.plan.stack)}: it does not take the units this change adds or edits (below).`
        : "No unit changes.",
      "",
    ];
  out.push("| Unit | Change | Add | Change | Remove |", "|---|---|---|---|---|");
  for (const u of changed)
    out.push(
      `| ${code(u.id)} | ${cell(unitDiffTitle(u).replace(/^[^(]*\(([^)]*)\).*$/, "$1"))} | ${u.added.length} | ${u.changed.length} | ${u.removed.length} |`,
    );
  out.push("");
  for (const u of changed) {
    out.push(
      `<details><summary>${escapeHtml(unitDiffTitle(u))}</summary>`,
      "",
      "```diff",
      ...unitDiffLines(u).map(diffMarker),
      "```",
      "",
      "</details>",
      "",
    );
  }
  return out;
}

function ledgerMarkdown(l: LedgerPreview): string[] {
  const head = `#### Ledger ${code(l.file)}`;
  if (!l.changes.length)
    return l.upToDate ? [] : [head, "", `Not up to date: run ${code(l.fix)} and commit it.`, ""];
  return [
    head,
    "",
    "This change records:",
    "",
    ...l.changes.map((c) => `- ${cell(c)}`),
    "",
    l.upToDate
      ? "Recorded in this pull request."
      : `> [!IMPORTANT]\n> Not recorded yet: run ${code(l.fix)} and commit the ledger (CI's ledger check fails until then).`,
    "",
  ];
}

/** `diff` highlighting colours lines by their first character: + green, - red, ! orange. */
function diffMarker(line: string): string {
  return line.startsWith("~") || line.startsWith("±")
    ? `!${line.slice(1)}`
    : line.startsWith("    ")
      ? `  ${line.trimStart()}`
      : line;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Joins the Markdown, cutting table rows (never the change list) to stay under GitHub's comment limit. */
function fitMarkdown(head: string[], rows: string[], footer: string[]): string {
  let text = [...head, ...rows, ...footer].join("\n");
  if (text.length <= MARKDOWN_LIMIT) return text;
  const base = [...head].join("\n").length + footer.join("\n").length + 200;
  let used = base;
  let n = 0;
  while (n < rows.length && used + rows[n]!.length + 1 < MARKDOWN_LIMIT) used += rows[n++]!.length + 1;
  text = [
    ...head,
    ...rows.slice(0, n),
    "",
    `_… ${rows.length - n} more units: see the plan artifact of this workflow run._`,
    ...footer,
  ].join("\n");
  if (text.length > MARKDOWN_LIMIT)
    text = `${text.slice(0, MARKDOWN_LIMIT - 120)}\n\n_… plan cut at ${MARKDOWN_LIMIT} characters: see the plan artifact of this workflow run._\n`;
  return text;
}
