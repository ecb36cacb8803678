import { CAPACITY_RESOURCES, type CapacityReport, type CapacityResource } from "./capacity";
import { type Lang, TEXT } from "./i18n";
import { formatNumber } from "./money";
import { formatSize } from "./sizes";
import { escapeXml } from "./xml";

/** Colour-blind-safe palette (Okabe–Ito), cycled over units. */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

const W = 760;
const LABEL_W = 170;
const BAR_H = 26;
const ROW_H = 44;
const TOP = 40;

/**
 * An inline SVG chart: one stacked horizontal bar per resource (CPU, memory, storage, VMs), each unit's
 * quota a segment sized as its share of the central capacity, with a solid line at 100% of capacity
 * and a dashed one at capacity × over-commit. Only units counted against capacity are drawn.
 */
export function capacityChart(c: CapacityReport, lang: Lang): string {
  const t = TEXT[lang];
  const units = c.units.filter((u) => u.counted);
  const share = (r: CapacityResource, v: number) => (c.capacity[r] === 0 ? 0 : v / c.capacity[r]);
  const maxShare = Math.max(1, c.overcommit, ...CAPACITY_RESOURCES.map((r) => share(r, c.allocated[r])));
  const plotW = W - LABEL_W - 20;
  const x = (s: number) => LABEL_W + (s / maxShare) * plotW;
  const label: Record<CapacityResource, string> = {
    cpuMillis: t.chartLabels.cpu,
    memoryBytes: t.chartLabels.memory,
    storageBytes: t.chartLabels.storage,
    vms: t.chartLabels.vms,
  };
  const show = (r: CapacityResource, v: number) =>
    r === "cpuMillis"
      ? `${formatNumber(v / 1000, lang, 3)} vCPU`
      : r === "vms"
        ? String(v)
        : formatSize(v, lang);
  const legendRows = Math.ceil(units.length / 4);
  const H = TOP + CAPACITY_RESOURCES.length * ROW_H + 30 + legendRows * 20 + 10;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="capacity-chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="chart-title">${escapeXml(t.chartTitle)}</title>`,
    `<desc id="chart-desc">${escapeXml(t.chartDesc)}</desc>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
  );
  CAPACITY_RESOURCES.forEach((r, i) => {
    const y = TOP + i * ROW_H;
    out.push(
      `<text x="${LABEL_W - 8}" y="${y + BAR_H / 2 + 4}" text-anchor="end">${escapeXml(label[r])}</text>`,
    );
    out.push(`<rect x="${LABEL_W}" y="${y}" width="${plotW}" height="${BAR_H}" fill="#f2f2f2"/>`);
    let acc = 0;
    units.forEach((u, k) => {
      const s = share(r, u[r]);
      if (s > 0) {
        const w = x(acc + s) - x(acc);
        out.push(
          `<rect class="bar" data-unit="${escapeXml(u.id)}" data-resource="${r}" x="${round(x(acc))}" y="${y}" width="${round(w)}" height="${BAR_H}" fill="${PALETTE[k % PALETTE.length]}"><title>${escapeXml(`${u.shortName}: ${show(r, u[r])} (${formatNumber(100 * s, lang, 1)}%)`)}</title></rect>`,
        );
      }
      acc += s;
    });
    out.push(
      `<text x="${round(Math.min(x(acc) + 4, W - 60))}" y="${y + BAR_H + 13}" font-size="11" fill="#333">${escapeXml(`${show(r, c.allocated[r])} / ${show(r, c.capacity[r])} (${formatNumber(100 * share(r, c.allocated[r]), lang, 1)}%)`)}</text>`,
    );
  });
  const bottom = TOP + CAPACITY_RESOURCES.length * ROW_H - (ROW_H - BAR_H);
  out.push(
    `<line class="capacity-line" x1="${round(x(1))}" y1="${TOP - 8}" x2="${round(x(1))}" y2="${bottom}" stroke="#222" stroke-width="2"/>`,
  );
  out.push(`<text x="${round(x(1))}" y="${TOP - 12}" text-anchor="middle" font-size="11">100%</text>`);
  if (c.overcommit > 1) {
    out.push(
      `<line class="overcommit-line" x1="${round(x(c.overcommit))}" y1="${TOP - 8}" x2="${round(x(c.overcommit))}" y2="${bottom}" stroke="#222" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    );
    out.push(
      `<text x="${round(x(c.overcommit))}" y="${TOP - 12}" text-anchor="middle" font-size="11">${escapeXml(`×${formatNumber(c.overcommit, lang)}`)}</text>`,
    );
  }
  const legendTop = TOP + CAPACITY_RESOURCES.length * ROW_H + 16;
  units.forEach((u, k) => {
    const lx = LABEL_W + (k % 4) * 150;
    const ly = legendTop + Math.floor(k / 4) * 20;
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[k % PALETTE.length]}"/>`,
      `<text x="${lx + 18}" y="${ly}">${escapeXml(u.shortName)}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}

function round(n: number): string {
  return String(Math.round(n * 10) / 10);
}
