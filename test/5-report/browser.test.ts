import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { runCli, tempDir } from "../helpers/manifests";
import { countPixels, decodePng } from "./png";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium, as .ci/install-system-packages does) to run the report's browser test`,
    );
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
});

/** Writes `muni report --format html` of lodz-prod to a file and returns its file:// URL. */
async function htmlReportFile(lang: "pl" | "en"): Promise<string> {
  const r = await runCli(["report", "--format", "html", "--lang", lang]);
  if (r.code !== 0) throw new Error(`muni report exited ${r.code}: ${r.err.join("\n")}`);
  const file = join(tempDir("muni-report-html-"), `lodz-prod.${lang}.html`);
  writeFileSync(file, r.out.join("\n"));
  return pathToFileURL(file).href;
}

const nonWhite = (r: number, g: number, b: number) => r < 245 || g < 245 || b < 245;
/** The chart's first unit colour (Okabe–Ito blue #0072B2), with a little tolerance for anti-aliasing. */
const chartBlue = (r: number, g: number, b: number) =>
  r < 20 && Math.abs(g - 0x72) < 12 && Math.abs(b - 0xb2) < 12;

describe("the HTML report of lodz-prod in a real headless Chromium", () => {
  it.each(["pl", "en"] as const)(
    "GIVEN the %s HTML report WHEN Chromium opens it THEN the matrix, capacity chart and chargeback render, with no console errors and no requests",
    async (lang) => {
      // GIVEN
      const url = await htmlReportFile(lang);
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      // WHEN
      await page.goto(url, { waitUntil: "load" });
      // THEN the document, its tables and its chart are there
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      expect(await page.locator("#matrix tbody tr").count()).toBe(3);
      expect(await page.locator("#matrix tbody tr th").allTextContents()).toStrictEqual(["1.", "2.", "3."]);
      expect(await page.locator("#matrix thead th").count()).toBe(12);
      expect(await page.locator("#capacity tbody tr").count()).toBe(3);
      expect(await page.locator("#chargeback tbody tr").count()).toBe(3);
      expect(await page.locator("#chargeback tfoot tr").count()).toBe(1);
      // 3 units × 4 resources, each a drawn segment with a positive width
      const bars = await page
        .locator("#capacity-chart rect.bar")
        .evaluateAll((els) =>
          els.map((e) => [
            e.getAttribute("data-unit"),
            e.getAttribute("data-resource"),
            (e as unknown as { getBBox(): { width: number } }).getBBox().width,
          ]),
        );
      expect(bars.map(([u, r]) => `${u}/${r}`)).toStrictEqual(
        ["cpuMillis", "memoryBytes", "storageBytes", "vms"].flatMap((r) =>
          ["mpu", "zzm", "css"].map((u) => `${u}/${r}`),
        ),
      );
      expect(bars.every(([, , w]) => (w as number) > 0)).toBe(true);
      expect(await page.locator("#capacity-chart line.capacity-line").count()).toBe(1);
      expect(errors).toStrictEqual([]);
      expect(requests).toStrictEqual([]);
      // THEN the screenshot is not blank, and the chart's colours are on it
      const shot = decodePng(await page.screenshot({ fullPage: true }));
      const total = shot.width * shot.height;
      expect(countPixels(shot, nonWhite) / total).toBeGreaterThan(0.02);
      expect(countPixels(shot, chartBlue)).toBeGreaterThan(200);
      await page.close();
    },
  );

  it("GIVEN a blank page WHEN screenshotted THEN the same detector finds no ink (so it can tell a blank report)", async () => {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.setContent("<!DOCTYPE html><html><body style='background:#fff'></body></html>");
    const shot = decodePng(await page.screenshot());
    expect(countPixels(shot, nonWhite)).toBe(0);
    expect(countPixels(shot, chartBlue)).toBe(0);
    await page.close();
  });
});
