import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runCli } from "../helpers/manifests";
import { loadProject } from "../../infra/3-rules/project";
import { renderUnit } from "../../infra/4-builders/render";
import { buildReport, type ReportInput } from "../../infra/5-report";

const ROOT = join(__dirname, "..", "..");
const GOLDEN = join(ROOT, "test", "fixtures", "report");
const MIXED = join(GOLDEN, "stack");
const golden = (name: string) => readFileSync(join(GOLDEN, name), "utf8");

/** The repository version the reports name, as a placeholder (it changes with every commit). */
const REVISION =
  /(wersji|version) [0-9a-f]{12}( wraz ze zmianami jeszcze niezatwierdzonymi|, with changes not yet committed)?/g;

let today: string | undefined;
beforeAll(() => {
  today = process.env.MUNI_TODAY;
  process.env.MUNI_TODAY = "2026-03-02";
});
afterAll(() => {
  if (today === undefined) delete process.env.MUNI_TODAY;
  else process.env.MUNI_TODAY = today;
});

/** `muni report ...` in-process (as of 2 March 2026); stdout exactly as written, the commit as `<revision>`. */
async function report(...args: string[]): Promise<string> {
  const r = await runCli(["report", ...args]);
  if (r.code !== 0) throw new Error(`muni report ${args.join(" ")} exited ${r.code}: ${r.err.join("\n")}`);
  return r.out.join("\n").replace(REVISION, "$1 <revision>");
}

function input(root: string, stack: string): ReportInput {
  const p = loadProject(root, stack);
  if (!p.stack || p.diagnostics.length) throw new Error(`fixture invalid: ${JSON.stringify(p.diagnostics)}`);
  return { stack: p.stack.name, settings: p.stack.settings, units: p.units.map((u) => u.unit) };
}

describe("muni report on lodz-prod (the three Łódź units): whole documents", () => {
  it.each([
    ["md pl", ["--format", "md"], "lodz-prod.pl.md"],
    ["md en", ["--format", "md", "--lang", "en"], "lodz-prod.en.md"],
    ["csv matrix pl", ["--format", "csv"], "lodz-prod.matrix.pl.csv"],
    ["csv chargeback pl", ["--format", "csv", "--section", "chargeback"], "lodz-prod.chargeback.pl.csv"],
    [
      "csv capacity en",
      ["--format", "csv", "--section", "capacity", "--lang", "en"],
      "lodz-prod.capacity.en.csv",
    ],
  ])(
    "GIVEN stack lodz-prod WHEN reported as %s THEN the output is exactly the hand-checked golden file",
    async (_name, args, file) => {
      // GIVEN the real units and stacks/Pulumi.lodz-prod.yaml; WHEN
      const out = await report(...args);
      // THEN
      expect(out).toBe(golden(file));
    },
  );

  it("GIVEN stack lodz-prod WHEN reported as json per section THEN matrix, capacity and chargeback equal the golden data", async () => {
    const sections = Object.fromEntries(
      await Promise.all(
        ["matrix", "capacity", "chargeback"].map(async (s) => [
          s,
          (JSON.parse(await report("--format", "json", "--section", s)) as Record<string, unknown>)[s],
        ]),
      ),
    );
    expect(sections).toStrictEqual(JSON.parse(golden("lodz-prod.pl.json")));
  });

  it("GIVEN the golden matrix THEN it is the Annex 1 layout: Lp., name, seat, the eight official service names, status", () => {
    const header = golden("lodz-prod.matrix.pl.csv").split("\r\n")[0];
    expect(header).toBe(
      "\ufeffLp.;Nazwa jednostki;Adres siedziby;centralny system finansowo-księgowy;dostęp do Internetu;ochrona antywirusowa stanowisk komputerowych;ochrona sieci;poczta elektroniczna;infrastruktura serwerowa;centralny wydruk;strony internetowe i BIP;Status",
    );
  });
});

describe("words a city official reads", () => {
  it.each([["md"], ["html"]])(
    "GIVEN the Polish %s report of every stack WHEN read THEN no tool jargon ('stos', 'stack') and no Kubernetes size units (Gi, Ti)",
    async (format) => {
      for (const stack of ["lodz-prod", "lodz-staging"]) {
        const text = (await report("--stack", stack, "--format", format)).replace(
          /<style>[\s\S]*<\/style>/,
          "",
        );
        expect([stack, text.match(/\bstos\w*|\bstack\b|[0-9](Gi|Ti|Mi)\b/gi)]).toStrictEqual([stack, null]);
      }
    },
  );
});

describe("chargeback totals, computed independently from the manifests and the price list", () => {
  it("GIVEN lodz-prod WHEN the chargeback is built THEN each unit's net equals the sum of price × quantity written out here, and the totals add up", () => {
    // GIVEN the raw manifests and prices, read without the report code
    const settings = (
      parse(readFileSync(join(ROOT, "stacks", "Pulumi.lodz-prod.yaml"), "utf8")) as {
        config: {
          "muni:settings": {
            prices: Record<string, number>;
            serviceClasses: { default: string; classes: Record<string, { price: number }> };
          };
        };
      }
    ).config["muni:settings"];
    const prices = settings.prices;
    const classes = settings.serviceClasses;
    const gr = (pln: number) => Math.round(pln * 100);
    const expected: Record<string, number> = {};
    for (const id of ["mpu", "zzm", "css"]) {
      const u = parse(readFileSync(join(ROOT, "units", `${id}.yaml`), "utf8")) as {
        services: Record<string, any>;
        serviceClass?: string;
      };
      const s = u.services;
      const gib = (q: string) => Number(q.slice(0, -2)) * (q.endsWith("Ti") ? 1024 : 1);
      expected[id] =
        s.finance.users * gr(prices.financeUser!) +
        s.finance.modules.length * gr(prices.financeModule!) +
        s.internet.bandwidthMbps * gr(prices.internetMbps!) +
        s.antivirus.seats * gr(prices.antivirusSeat!) +
        gr(prices.networkProtection!) +
        s.mail.mailboxes.length * gr(prices.mailbox!) +
        Number(s.servers.quota.cpu) * gr(prices.vcpu!) +
        gib(s.servers.quota.memory) * gr(prices.memoryGiB!) +
        gib(s.servers.quota.storage) * gr(prices.storageGiB!) +
        s.print.queues.length * gr(prices.printQueue!) +
        s.web.sites.length * gr(prices.site!) +
        // The unit's service class (its own or the stack's default), priced per month.
        gr(classes.classes[u.serviceClass ?? classes.default]!.price);
    }
    // WHEN
    const cb = buildReport(input(ROOT, "lodz-prod")).chargeback;
    // THEN
    expect(Object.fromEntries(cb.units.map((u) => [u.id, u.net]))).toStrictEqual(expected);
    expect(expected).toStrictEqual({ mpu: 404860, zzm: 377780, css: 733240 });
    expect(cb.totals.net).toBe(expected.mpu! + expected.zzm! + expected.css!);
    expect(cb.totals.net).toBe(1515880);
    for (const u of cb.units)
      expect(Object.values(u.byService).reduce((a, b) => a + b, 0) + (u.serviceClass?.price ?? 0)).toBe(
        u.net,
      );
    expect(
      Object.values(cb.totals.byService).reduce((a, b) => a + b, 0) + (cb.totals.serviceClasses ?? 0),
    ).toBe(cb.totals.net);
    expect(cb.units.map((u) => u.serviceClass)).toStrictEqual([
      { name: "standard", price: 0 },
      { name: "standard", price: 0 },
      { name: "extended", price: 45000 },
    ]);
  });
});

describe("inventory export", () => {
  it("GIVEN lodz-prod WHEN the inventory is exported THEN every provisioned unit lists exactly renderUnit's objects, and its host names, domains and queues", async () => {
    // GIVEN
    const inp = input(ROOT, "lodz-prod");
    // WHEN
    const inv = (
      JSON.parse(await report("--format", "json", "--section", "inventory")) as {
        inventory: { units: any[] };
      }
    ).inventory;
    // THEN
    expect(inv.units.map((u) => u.id)).toStrictEqual(["mpu", "zzm", "css"]);
    for (const unit of inp.units) {
      const got = inv.units.find((u) => u.id === unit.id)!;
      const want = renderUnit(unit, inp.settings).map((d) => ({
        key: d.key,
        service: d.service,
        apiVersion: d.object.apiVersion,
        kind: d.object.kind,
        ...(d.object.metadata.namespace === undefined ? {} : { namespace: d.object.metadata.namespace }),
        name: d.object.metadata.name,
        dataBearing: d.dataBearing === true,
      }));
      expect(got.objects).toStrictEqual(want);
      expect(got.provisioned).toBe(true);
      expect(got.namespace).toBe(`unit-${unit.id}`);
      expect(got.domains).toStrictEqual([unit.services.mail!.domain]);
      expect(got.sites.map((s: { hostname: string }) => s.hostname)).toStrictEqual(
        unit.services.web!.sites.map((s) => s.hostname),
      );
      expect(got.queues.map((q: { cupsName: string }) => q.cupsName)).toStrictEqual(
        unit.services.print!.queues.map((q) => `${unit.id}-${q.name}`),
      );
      expect(got.mailboxes).toStrictEqual(
        unit.services.mail!.mailboxes.map((m) => `${m.localPart}@${unit.services.mail!.domain}`),
      );
    }
  });
});

describe("units in every lifecycle state, fractional quotas, VAT (fixture stack mixed)", () => {
  it("GIVEN planned, decommissioned and active units WHEN reported as md THEN the output is exactly the hand-checked golden file", async () => {
    expect(await report("--root", MIXED, "--stack", "mixed", "--format", "md")).toBe(golden("mixed.pl.md"));
  });

  it("THEN planned and decommissioned units are in the matrix with their state but neither counted, charged nor provisioned", () => {
    const r = buildReport(input(MIXED, "mixed"));
    expect(r.matrix.map((m) => [m.lp, m.id, m.state, m.provisioned])).toStrictEqual([
      [1, "szkola", "active", true],
      [2, "biblioteka", "planned", false],
      [3, "archiwum", "active", true],
      [4, "osrodek", "decommissioned", false],
    ]);
    expect(r.capacity.units.map((u) => [u.id, u.counted])).toStrictEqual([
      ["szkola", true],
      ["biblioteka", false],
      ["archiwum", true],
      ["osrodek", false],
    ]);
    expect(r.chargeback.units.map((u) => u.id)).toStrictEqual(["szkola", "archiwum"]);
    expect(r.chargeback.notCharged).toStrictEqual([
      { id: "biblioteka", shortName: "BM", state: "planned" },
      { id: "osrodek", shortName: "OSiR", state: "decommissioned" },
    ]);
    expect(r.inventory().units.map((u) => [u.id, u.provisioned, u.objects.length > 0])).toStrictEqual([
      ["szkola", true, true],
      ["biblioteka", false, false],
      ["archiwum", true, true],
      ["osrodek", false, false],
    ]);
  });

  it("THEN fractional quotas are priced pro rata and rounded half up once per line, and VAT is on each unit's net", () => {
    const cb = buildReport(input(MIXED, "mixed")).chargeback;
    const sp1 = cb.units[0]!;
    // 3 Mbit/s × 0,33 = 0,99; 0,5 vCPU × 35,01 = 17,505 → 17,51; 1,5 GiB × 9,99 = 14,985 → 14,99; 15 GiB × 0,45 = 6,75
    expect(sp1.lines.map((l) => [l.item, l.amount])).toStrictEqual([
      ["internetMbps", 99],
      ["vcpu", 1751],
      ["memoryGiB", 1499],
      ["storageGiB", 675],
    ]);
    expect([sp1.net, sp1.vat, sp1.gross]).toStrictEqual([4024, 926, 4950]);
    expect(cb.totals).toStrictEqual({
      byService: {
        finance: 0,
        internet: 99,
        antivirus: 0,
        networkProtection: 0,
        mail: 0,
        servers: 3925,
        print: 0,
        web: 0,
      },
      net: 4024,
      vat: 926,
      gross: 4950,
    });
  });
});
