import { SERVICE_NAMES } from "../1-model";
import { type CapacityReport, capacityReport } from "./capacity";
import { type Chargeback, chargeback } from "./chargeback";
import { capacityChart } from "./chart";
import { csvTable } from "./csv";
import { htmlReport } from "./html";
import { type Lang, type ReportMeta, SERVICE_LABELS, TEXT } from "./i18n";
import { type Inventory, inventory } from "./inventory";
import { markdownReport } from "./markdown";
import {
  capacityTable,
  chargebackTable,
  chargeLinesTable,
  displayStyle,
  inventoryTable,
  matrixTable,
  plainStyle,
  type Table,
} from "./tables";
import { type MatrixRow, type ReportInput, serviceMatrix } from "./units";
import { type ServiceLevelRow, serviceLevels, serviceLevelsTable } from "./service-levels";

export const FORMATS = ["md", "html", "csv", "json"] as const;
export type Format = (typeof FORMATS)[number];
export const SECTIONS = ["all", "matrix", "capacity", "chargeback", "inventory"] as const;
export type Section = (typeof SECTIONS)[number];

/** Everything the reports show, computed once from the stack and its units. */
export interface Report {
  stack: string;
  matrix: MatrixRow[];
  capacity: CapacityReport;
  chargeback: Chargeback;
  /** Each unit's service class, backup and monitoring coverage; absent when the stack sets none (service-levels.ts). */
  serviceLevels?: ServiceLevelRow[];
  /** Computed on first use: it renders every provisioned unit through the builders. */
  inventory(): Inventory;
}

export function buildReport(input: ReportInput): Report {
  let inv: Inventory | undefined;
  const levels = serviceLevels(input);
  return {
    stack: input.stack,
    matrix: serviceMatrix(input),
    capacity: capacityReport(input),
    chargeback: chargeback(input),
    ...(levels ? { serviceLevels: levels } : {}),
    inventory: () => (inv ??= inventory(input)),
  };
}

export interface RenderOptions {
  format: Format;
  lang: Lang;
  /** `all`: matrix, capacity and chargeback for md/html, everything for json; csv holds one table and defaults to the matrix. */
  section: Section;
  /** The date the report describes and the repository version it is made from, stated under the title (md, html) and in json. */
  meta?: ReportMeta;
}

/**
 * Renders a report. md and html: the Annex 1 matrix, capacity (html: with its chart) and chargeback;
 * json: the chosen sections as data (money in integer grosze); csv: one table.
 */
export function renderReport(report: Report, opts: RenderOptions): string {
  const { lang, section, meta } = opts;
  const title = TEXT[lang].title(report.stack);
  const made = meta ? TEXT[lang].made(meta) : undefined;
  switch (opts.format) {
    case "md":
      return markdownReport(title, peopleTables(report, displayStyle(lang), section), made);
    case "html":
      return htmlReport(
        title,
        lang,
        peopleTables(report, displayStyle(lang), section),
        { capacity: capacityChart(report.capacity, lang) },
        made,
      );
    case "csv": {
      const style = plainStyle(lang);
      const table: Record<Exclude<Section, "all">, () => Table> = {
        matrix: () => matrixTable(report.matrix, style),
        capacity: () => capacityTable(report.capacity, style),
        chargeback: () => chargebackTable(report.chargeback, style),
        inventory: () => inventoryTable(report.inventory(), style),
      };
      return csvTable(table[section === "all" ? "matrix" : section](), lang);
    }
    case "json":
      return `${JSON.stringify({ ...(meta ? { generated: generated(meta) } : {}), ...jsonReport(report, lang, section) }, null, 2)}\n`;
  }
}

function peopleTables(report: Report, style: ReturnType<typeof displayStyle>, section: Section): Table[] {
  const out: Table[] = [];
  if (section === "all" || section === "matrix") out.push(matrixTable(report.matrix, style));
  if (section === "all" || section === "capacity") out.push(capacityTable(report.capacity, style));
  if ((section === "all" || section === "chargeback") && report.serviceLevels)
    out.push(serviceLevelsTable(report.serviceLevels, style));
  if (section === "all" || section === "chargeback")
    out.push(chargebackTable(report.chargeback, style), chargeLinesTable(report.chargeback, style));
  if (section === "inventory") out.push(inventoryTable(report.inventory(), style));
  return out;
}

/** The JSON document: the chosen sections, service names in the chosen language, money in grosze. */
export function jsonReport(report: Report, lang: Lang, section: Section): Record<string, unknown> {
  const pick = (s: Exclude<Section, "all">) => section === "all" || section === s;
  return {
    stack: report.stack,
    lang,
    services: SERVICE_NAMES.map((id) => ({ id, name: SERVICE_LABELS[lang][id] })),
    ...(pick("matrix") ? { matrix: report.matrix } : {}),
    ...(pick("capacity") ? { capacity: report.capacity } : {}),
    ...(pick("chargeback") && report.serviceLevels ? { serviceLevels: report.serviceLevels } : {}),
    ...(pick("chargeback") ? { chargeback: report.chargeback } : {}),
    ...(pick("inventory") ? { inventory: report.inventory() } : {}),
  };
}

/** The report's origin in JSON: date, commit, and whether the files differ from it. */
function generated(m: ReportMeta): Record<string, unknown> {
  return { date: m.date, revision: m.revision ?? null, uncommittedChanges: m.dirty === true };
}
