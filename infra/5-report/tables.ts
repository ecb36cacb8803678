import { SERVICE_NAMES } from "../1-model";
import { CAPACITY_RESOURCES, type CapacityReport } from "./capacity";
import type { Chargeback, Quantity } from "./chargeback";
import { type Lang, SERVICE_LABELS, STATE_LABELS, TEXT } from "./i18n";
import type { Inventory } from "./inventory";
import { formatMoney, formatNumber, type Grosze, plainMoney } from "./money";
import { formatSize, plainGiB } from "./sizes";
import type { MatrixRow } from "./units";

/** A table every output format renders the same way: md and HTML for people, CSV for spreadsheets. */
export interface Table {
  /** Stable id (HTML id, CSV section name). */
  id: string;
  caption: string;
  /** `rotate`: a long label over a narrow column (a service's name), set vertically in HTML. */
  columns: Array<{ label: string; align: "left" | "right" | "center"; rotate?: boolean }>;
  /** The first cell of each row names the row (a row header). */
  rows: string[][];
  /** Total rows. */
  foot: string[][];
  /** Notes printed under the table. */
  notes: string[];
}

/** How cells are written: for display (grouped money with currency) or plain for spreadsheets. */
export interface CellStyle {
  lang: Lang;
  money(g: Grosze): string;
  /** A size: `48 GiB`, `1,5 TiB` for people; a number of GiB for spreadsheets. */
  size(bytes: number): string;
  /** A size column's label: as is for people; with `(GiB)` for spreadsheets, whose cells hold plain numbers. */
  sizeLabel(label: string): string;
  /** An empty cell for "does not apply". */
  none: string;
}

export function displayStyle(lang: Lang): CellStyle {
  return {
    lang,
    money: (g) => formatMoney(g, lang),
    size: (b) => formatSize(b, lang),
    sizeLabel: (l) => l,
    none: "—",
  };
}

export function plainStyle(lang: Lang): CellStyle {
  return {
    lang,
    money: (g) => plainMoney(g, lang),
    size: (b) => plainGiB(b, lang),
    sizeLabel: (l) => `${l} (GiB)`,
    none: "",
  };
}

export function matrixTable(rows: readonly MatrixRow[], style: CellStyle): Table {
  const t = TEXT[style.lang];
  return {
    id: "matrix",
    caption: t.matrixTitle,
    columns: [
      { label: t.lp, align: "right" },
      { label: t.unitName, align: "left" },
      { label: t.seat, align: "left" },
      ...SERVICE_NAMES.map((s) => ({
        label: SERVICE_LABELS[style.lang][s],
        align: "center" as const,
        rotate: true,
      })),
      { label: t.state, align: "left" },
    ],
    rows: rows.map((r) => [
      `${r.lp}.`,
      r.name,
      r.address,
      ...SERVICE_NAMES.map((s) => (r.services[s] ? "X" : "")),
      STATE_LABELS[style.lang][r.state],
    ]),
    foot: [],
    notes: [],
  };
}

const cpu = (millis: number, lang: Lang) => formatNumber(millis / 1000, lang, 3);
const percent = (part: number, whole: number, lang: Lang) =>
  whole === 0 ? "—" : `${formatNumber((100 * part) / whole, lang, 1)}%`;

export function capacityTable(c: CapacityReport, style: CellStyle): Table {
  const t = TEXT[style.lang];
  const lang = style.lang;
  const mailboxes = (used: number, limit: number) => `${used} / ${limit}`;
  const a = c.allocated;
  const over = (x: number) => Math.floor(x * c.overcommit);
  return {
    id: "capacity",
    caption: t.capacityTitle,
    columns: [
      { label: t.unit, align: "left" },
      { label: t.state, align: "left" },
      { label: t.cpu, align: "right" },
      { label: style.sizeLabel(t.memory), align: "right" },
      { label: style.sizeLabel(t.storage), align: "right" },
      { label: t.vms, align: "right" },
      { label: t.mailboxes, align: "right" },
      { label: t.sites, align: "right" },
      { label: t.queues, align: "right" },
    ],
    rows: c.units.map((u) => [
      u.shortName,
      STATE_LABELS[lang][u.state] + (u.counted ? "" : ` (${t.notCounted})`),
      cpu(u.cpuMillis, lang),
      style.size(u.memoryBytes),
      style.size(u.storageBytes),
      String(u.vms),
      mailboxes(u.mailboxes, u.mailboxLimit),
      String(u.sites),
      String(u.queues),
    ]),
    foot: [
      [
        t.allocated,
        "",
        cpu(a.cpuMillis, lang),
        style.size(a.memoryBytes),
        style.size(a.storageBytes),
        String(a.vms),
        mailboxes(a.mailboxes, a.mailboxLimit),
        String(a.sites),
        String(a.queues),
      ],
      [
        t.capacity,
        "",
        cpu(c.capacity.cpuMillis, lang),
        style.size(c.capacity.memoryBytes),
        style.size(c.capacity.storageBytes),
        String(c.capacity.vms),
        style.none,
        style.none,
        style.none,
      ],
      [
        t.withOvercommit(formatNumber(c.overcommit, lang)),
        "",
        cpu(over(c.capacity.cpuMillis), lang),
        style.size(over(c.capacity.memoryBytes)),
        style.size(over(c.capacity.storageBytes)),
        String(over(c.capacity.vms)),
        style.none,
        style.none,
        style.none,
      ],
      [
        t.usage,
        "",
        ...CAPACITY_RESOURCES.map((r) => percent(a[r], c.capacity[r], lang)),
        style.none,
        style.none,
        style.none,
      ],
    ],
    notes: [],
  };
}

/** Words of the service class charge (stack serviceClasses), Polish and English. */
const CLASS_TEXT: Record<Lang, { column: string; service: string; item: (name: string) => string }> = {
  pl: { column: "klasa usług", service: "poziom usług", item: (n) => `klasa usług ${n}` },
  en: { column: "service class", service: "service level", item: (n) => `service class ${n}` },
};

export function chargebackTable(cb: Chargeback, style: CellStyle): Table {
  const t = TEXT[style.lang];
  const vat = cb.vatPercent;
  const money = style.money;
  const classes = cb.serviceClassPrices !== undefined;
  const tail = (x: { net: Grosze; vat?: Grosze; gross?: Grosze }) =>
    vat === undefined ? [money(x.net)] : [money(x.net), money(x.vat ?? 0), money(x.gross ?? 0)];
  return {
    id: "chargeback",
    caption: t.chargebackTitle,
    columns: [
      { label: t.unit, align: "left" },
      ...SERVICE_NAMES.map((s) => ({
        label: SERVICE_LABELS[style.lang][s],
        align: "right" as const,
        rotate: true,
      })),
      ...(classes ? [{ label: CLASS_TEXT[style.lang].column, align: "right" as const, rotate: true }] : []),
      { label: t.net, align: "right" },
      ...(vat === undefined
        ? []
        : [
            { label: t.vat(vat), align: "right" as const },
            { label: t.gross, align: "right" as const },
          ]),
    ],
    rows: cb.units.map((u) => [
      u.shortName,
      ...SERVICE_NAMES.map((s) =>
        u.lines.some((l) => l.service === s) ? money(u.byService[s]) : style.none,
      ),
      ...(classes ? [u.serviceClass ? money(u.serviceClass.price) : style.none] : []),
      ...tail(u),
    ]),
    foot: [
      [
        t.total,
        ...SERVICE_NAMES.map((s) => money(cb.totals.byService[s])),
        ...(classes ? [money(cb.totals.serviceClasses ?? 0)] : []),
        ...tail(cb.totals),
      ],
    ],
    notes: cb.notCharged.length
      ? [
          `${t.notCharged}: ${cb.notCharged.map((u) => `${u.shortName} (${STATE_LABELS[style.lang][u.state]})`).join(", ")}`,
        ]
      : [],
  };
}

const quantity = (q: Quantity, lang: Lang) => formatNumber(q.numerator / q.denominator, lang, 3);

export function chargeLinesTable(cb: Chargeback, style: CellStyle): Table {
  const t = TEXT[style.lang];
  return {
    id: "chargeback-lines",
    caption: t.detailTitle,
    columns: [
      { label: t.unit, align: "left" },
      { label: t.service, align: "left" },
      { label: t.item, align: "left" },
      { label: t.quantity, align: "right" },
      { label: t.unitPrice, align: "right" },
      { label: t.amount, align: "right" },
    ],
    rows: cb.units.flatMap((u) => [
      ...u.lines.map((l) => [
        u.shortName,
        SERVICE_LABELS[style.lang][l.service],
        t.items[l.item],
        quantity(l.quantity, style.lang),
        style.money(l.unitPrice),
        style.money(l.amount),
      ]),
      ...(u.serviceClass
        ? [
            [
              u.shortName,
              CLASS_TEXT[style.lang].service,
              CLASS_TEXT[style.lang].item(u.serviceClass.name),
              quantity({ numerator: 1, denominator: 1 }, style.lang),
              style.money(u.serviceClass.price),
              style.money(u.serviceClass.price),
            ],
          ]
        : []),
    ]),
    foot: [[t.total, "", "", "", "", style.money(cb.totals.net)]],
    notes: [],
  };
}

/** The inventory's objects, one row each (for a spreadsheet; the JSON export holds everything). */
export function inventoryTable(inv: Inventory, style: CellStyle): Table {
  const t = TEXT[style.lang];
  return {
    id: "inventory",
    caption: t.inventoryTitle,
    columns: [
      "unit",
      "state",
      "service",
      "key",
      "apiVersion",
      "kind",
      "namespace",
      "name",
      "dataBearing",
    ].map((label) => ({ label, align: "left" as const })),
    rows: inv.units.flatMap((u) =>
      u.objects.map((o) => [
        u.id,
        u.state,
        o.service,
        o.key,
        o.apiVersion,
        o.kind,
        o.namespace ?? "",
        o.name,
        String(o.dataBearing),
      ]),
    ),
    foot: [],
    notes: [],
  };
}
