import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { runCli, tempDir } from "../helpers/manifests";
import { copyOfRepo } from "../5-plan/project";
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

/** Writes `muni report --format html` of lodz-prod (or `args`' stack) to a file and returns its file:// URL. */
async function htmlReportFile(lang: "pl" | "en", args: string[] = []): Promise<string> {
  const r = await runCli(["report", "--format", "html", "--lang", lang, ...args]);
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

  it.each([
    ["lodz-prod, pl", "pl", [] as string[]],
    ["lodz-prod, en", "en", [] as string[]],
    [
      "mixed (VAT and gross columns), pl",
      "pl",
      ["--root", join(__dirname, "..", "fixtures", "report", "stack"), "--stack", "mixed"],
    ],
    ["lodz-prod with three more units of long names, pl", "pl", ["--root", "<long>"]],
  ])(
    "GIVEN the HTML report of %s WHEN laid out 1280 px wide THEN no table or chart is wider than the page, no cell's text is cut and every postal code stays on one line",
    async (_name, lang, args) => {
      // GIVEN
      const url = await htmlReportFile(
        lang as "pl" | "en",
        args.map((a) => (a === "<long>" ? longNamesProject() : a)),
      );
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // WHEN
      await page.goto(url, { waitUntil: "load" });
      // (Runs in the page: the test's TypeScript has no DOM types, so the page is reached untyped.)
      const layout = await page.evaluate(() => {
        const w = globalThis as any;
        const doc = w.document;
        const all = (sel: string): any[] => [...doc.querySelectorAll(sel)];
        const width: number = doc.documentElement.clientWidth;
        const codes = all(".nowrap").filter((s) => /^\d{2}-\d{3}$/.test(s.textContent ?? ""));
        return {
          pageWiderThanWindow: doc.documentElement.scrollWidth > width,
          overflowing: all("table, svg")
            .filter((e) => e.getBoundingClientRect().right > width)
            .map((e) => e.id as string),
          cut: all("th, td")
            .filter((c) => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1)
            .map((c) => c.textContent as string),
          postalCodes: codes.map(
            (s) => `${s.getClientRects().length} line, ${w.getComputedStyle(s).whiteSpace}`,
          ),
          chartTextOutside: all("#capacity-chart text").filter((x) => x.getBBox().x < 0).length,
          sizes: all("#capacity tbody td")
            .map((c) => (c.textContent ?? "") as string)
            .filter((s) => /[0-9](Gi|Ti|Mi)\b/.test(s)),
        };
      });
      // THEN
      expect(layout.pageWiderThanWindow).toBe(false);
      expect(layout.overflowing).toStrictEqual([]);
      expect(layout.cut).toStrictEqual([]);
      expect(layout.postalCodes.length).toBeGreaterThanOrEqual(3);
      expect(layout.postalCodes).toStrictEqual(layout.postalCodes.map(() => "1 line, nowrap"));
      expect(layout.chartTextOutside).toBe(0);
      expect(layout.sizes).toStrictEqual([]);
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

/** A copy of the repository whose lodz-prod also takes three units with long names and addresses (wave 1). */
function longNamesProject(): string {
  const root = copyOfRepo();
  const names = [
    "Miejski Ośrodek Pomocy Społecznej w Łodzi im. Jana Pawła II, Filia Bałuty–Widzew",
    "Zespół Szkolno-Przedszkolny nr 3 z Oddziałami Integracyjnymi i Sportowymi w Łodzi",
    "Centrum Administracyjne Placówek Opiekuńczo-Wychowawczych i Socjalnych w Łodzi",
  ];
  names.forEach((name, i) =>
    writeFileSync(
      join(root, "units", `long${i}.yaml`),
      [
        `id: long${i}`,
        `name: ${name}`,
        `shortName: DŁUGA${i}`,
        `address: { street: "ul. Generała Jarosława Dąbrowskiego-Kowalskiego ${100 + i} lok. 12", postalCode: 9${i}-4${i}8, city: Łódź }`,
        `costCentre: MPK-LONG-0${i}`,
        "roles:",
        `  localAdministrators: [{ kind: group, name: long${i}-administratorzy }]`,
        `  operationsLeads: [{ kind: group, name: long${i}-koordynatorzy }]`,
        "lifecycle: { state: active, wave: 1 }",
        "services:",
        "  internet: { bandwidthMbps: 100 }",
        "  antivirus: { seats: 1234 }",
        '  servers: { quota: { cpu: "2", memory: 1536Mi, storage: 500Gi } }',
        "",
      ].join("\n"),
    ),
  );
  return root;
}
