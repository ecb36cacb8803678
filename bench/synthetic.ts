/**
 * Deterministic synthetic units for the benchmark: N realistic unit manifests (schools, kindergartens,
 * social-care centres, cultural institutions...), every one enrolled in all eight services, with varied
 * sizes, unique ids, domains, hostnames and queue names, plus a project root (Pulumi.yaml, a `bench` stack
 * whose capacity fits N units) that `muni validate`, `muni plan` and the program load like the real one.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { ledgerText } from "../infra/5-plan/ledger";

/** The stack the synthetic root holds. */
export const BENCH_STACK = "bench";

/** A small seeded PRNG (mulberry32): the same seed gives the same units on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Kinds of municipal units, with their id prefix, Polish name and size range (1 small … 3 large). */
const KINDS = [
  {
    prefix: "sp",
    name: (n: number) => `Szkoła Podstawowa nr ${n} w Łodzi`,
    short: (n: number) => `SP ${n}`,
    size: [1, 2],
  },
  {
    prefix: "lo",
    name: (n: number) => `${n} Liceum Ogólnokształcące w Łodzi`,
    short: (n: number) => `${n} LO`,
    size: [1, 2],
  },
  {
    prefix: "p",
    name: (n: number) => `Przedszkole Miejskie nr ${n} w Łodzi`,
    short: (n: number) => `PM ${n}`,
    size: [1, 1],
  },
  {
    prefix: "dps",
    name: (n: number) => `Dom Pomocy Społecznej nr ${n} w Łodzi`,
    short: (n: number) => `DPS ${n}`,
    size: [1, 2],
  },
  {
    prefix: "mbp",
    name: (n: number) => `Filia nr ${n} Biblioteki Miejskiej w Łodzi`,
    short: (n: number) => `BM F${n}`,
    size: [1, 1],
  },
  {
    prefix: "zoz",
    name: (n: number) => `Miejski Zespół Żłobków, żłobek nr ${n}`,
    short: (n: number) => `MZŻ ${n}`,
    size: [1, 2],
  },
  {
    prefix: "cus",
    name: (n: number) => `Centrum Usług Wspólnych nr ${n} w Łodzi`,
    short: (n: number) => `CUW ${n}`,
    size: [2, 3],
  },
  {
    prefix: "zdm",
    name: (n: number) => `Zarząd Dróg i Transportu, oddział ${n}`,
    short: (n: number) => `ZDiT ${n}`,
    size: [2, 3],
  },
] as const;

const DISTRICTS = ["baluty", "gorna", "polesie", "srodmiescie", "widzew"] as const;
const STREETS = [
  "ul. Piotrkowska",
  "al. Kościuszki",
  "ul. Zgierska",
  "ul. Rzgowska",
  "ul. Pomorska",
  "al. Włókniarzy",
  "ul. Łagiewnicka",
] as const;
const FIRST = [
  "anna",
  "jan",
  "katarzyna",
  "piotr",
  "małgorzata",
  "tomasz",
  "agnieszka",
  "paweł",
  "ewa",
  "michał",
] as const;
const LAST = [
  "nowak",
  "kowalski",
  "wiśniewska",
  "wójcik",
  "kamińska",
  "lewandowski",
  "zielińska",
  "szymański",
] as const;
const FINANCE = [
  "budgetReporting",
  "budgetPlanning",
  "generalLedger",
  "settlements",
  "contractsRegister",
  "invoicing",
  "assetRegister",
] as const;
const IMAGES = ["debian-12", "windows-server-2022"] as const;

/** ASCII local part of a Polish name (mailbox local parts are ASCII). */
function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l");
}

/** A 9-digit REGON with a valid check digit. */
function regon(r: Rand): string {
  const d = Array.from({ length: 8 }, () => int(r, 0, 9));
  const sum = [8, 9, 2, 3, 4, 5, 6, 7].reduce((s, w, i) => s + w * d[i]!, 0);
  return d.join("") + String((sum % 11) % 10);
}

/** A NIP with a valid check digit (remainder 10 is never issued: draw again). */
function nip(r: Rand): string {
  for (;;) {
    const d = Array.from({ length: 9 }, () => int(r, 0, 9));
    d[0] = int(r, 1, 9);
    const check = [6, 5, 7, 2, 3, 4, 5, 6, 7].reduce((s, w, i) => s + w * d[i]!, 0) % 11;
    if (check !== 10) return d.join("") + String(check);
  }
}

/** Size-dependent counts of one unit. */
function counts(r: Rand, size: number) {
  return {
    mailboxes: size === 1 ? int(r, 2, 8) : size === 2 ? int(r, 8, 25) : int(r, 25, 60),
    aliases: int(r, 1, size + 2),
    queues: size === 1 ? int(r, 1, 2) : size === 2 ? int(r, 2, 4) : int(r, 4, 8),
    vms: size === 1 ? int(r, 0, 1) : size === 2 ? int(r, 1, 2) : int(r, 2, 3),
    sites: size === 3 ? 3 : int(r, 1, 2),
  };
}

/** The unit with index `i` (0-based) of a synthetic set, as plain data ready for YAML. */
export function syntheticUnit(i: number, seed = 2026): Record<string, unknown> {
  const r = prng(seed * 1_000_003 + i);
  const kind = KINDS[i % KINDS.length]!;
  const n = Math.floor(i / KINDS.length) + 1;
  const id = `${kind.prefix}-${String(n).padStart(5, "0")}`;
  const size = int(r, kind.size[0], kind.size[1]);
  const c = counts(r, size);
  const domain = `${id}.lodz.pl`;
  const people = Array.from({ length: c.mailboxes }, (_, k) => {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    return {
      localPart: `${ascii(first)}.${ascii(last)}.${k + 1}`,
      displayName: `${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}`,
    };
  });
  const mailboxes = [
    { localPart: "sekretariat", displayName: `Sekretariat ${kind.short(n)}`, quota: "5Gi" },
    ...people.slice(1),
  ];
  const aliases = [
    { name: "iod", to: ["iod@uml.lodz.pl"] },
    ...Array.from({ length: c.aliases - 1 }, (_, k) => ({
      name: `dzial-${k + 1}`,
      to: ["sekretariat", mailboxes[(k + 1) % mailboxes.length]!.localPart].filter(
        (v, j, a) => a.indexOf(v) === j,
      ),
    })),
  ];
  const cpu = 4 * size + 2 * c.vms;
  const vms = Array.from({ length: c.vms }, (_, k) => ({
    name: `vm-${k + 1}`,
    cpu: 2,
    memory: "4Gi",
    disk: `${int(r, 4, 10) * 10}Gi`,
    image: pick(r, IMAGES),
  }));
  const queues = Array.from({ length: c.queues }, (_, k) => ({
    name: k === 0 ? "sekretariat" : `pokoj-${k + 100}`,
    location: k === 0 ? "parter, sekretariat" : `piętro ${1 + (k % 3)}, pok. ${k + 100}`,
    description: `Drukarka ${k + 1} – A4`,
    deviceUri: `ipps://drukarka-${k + 1}.${domain}/ipp/print`,
  }));
  const sites = [
    { hostname: domain, kind: "www", title: kind.name(n), storage: `${size}Gi` },
    { hostname: `bip.${domain}`, kind: "bip", title: `Biuletyn Informacji Publicznej – ${kind.short(n)}` },
    { hostname: `rekrutacja.${domain}`, kind: "www", title: `Rekrutacja – ${kind.short(n)}`, replicas: 2 },
  ].slice(0, c.sites);
  const month = String(1 + (i % 12)).padStart(2, "0");
  const lead = `${ascii(pick(r, FIRST))}.${ascii(pick(r, LAST))}@${domain}`;
  return {
    id,
    name: kind.name(n),
    shortName: kind.short(n),
    address: {
      street: `${pick(r, STREETS)} ${int(r, 1, 200)}`,
      postalCode: `9${int(r, 0, 4)}-${String(int(r, 0, 999)).padStart(3, "0")}`,
      city: "Łódź",
    },
    regon: regon(r),
    nip: nip(r),
    costCentre: `MPK-${id.toUpperCase()}`,
    labels: { district: pick(r, DISTRICTS), kind: kind.prefix },
    roles: {
      localAdministrators: [{ kind: "group", name: `${id}-administratorzy` }],
      operationsLeads: [{ kind: "user", name: lead }],
    },
    lifecycle: {
      state: "active",
      wave: 1 + (i % 3),
      plannedOn: `2026-${month}-01`,
      onboardedOn: `2026-${month}-15`,
    },
    services: {
      finance: {
        modules: FINANCE.filter(() => r() < 0.6)
          .concat("generalLedger")
          .filter((v, j, a) => a.indexOf(v) === j),
        users: int(r, 1, 5 * size),
      },
      internet: { bandwidthMbps: 100 * size },
      antivirus: { seats: int(r, 10, 60 * size), policy: pick(r, ["standard", "strict"] as const) },
      networkProtection: { profile: pick(r, ["basic", "standard", "strict"] as const) },
      mail: { domain, mailboxLimit: mailboxes.length + 20, defaultQuota: "1Gi", mailboxes, aliases },
      servers: {
        quota: {
          cpu: String(cpu),
          memory: `${8 * cpu}Gi`,
          storage: `${100 * size + 50 * c.vms}Gi`,
          pods: 20 * size,
          volumes: 10 * size + c.vms,
        },
        vms,
      },
      print: { queues, defaultQueue: "sekretariat" },
      web: { sites },
    },
  };
}

/**
 * Most any one synthetic unit asks for. The stack's capacity is N times this, over-committed 10×, so N
 * units always fit and no total passes the 8 PiB a byte quantity may hold.
 */
const PER_UNIT_CAPACITY = { cpu: 20, memoryGi: 160, storageGi: 500, vms: 3 };
const OVERCOMMIT = 10;

/**
 * The `bench` stack's settings: the staging stack's (so settings other issues add come along), with
 * the staging namespace prefix, units from `units/`, and a capacity that fits `n` synthetic units.
 */
export function benchSettings(repoRoot: string, n: number): Record<string, unknown> {
  const staging = parse(readFileSync(join(repoRoot, "stacks", "Pulumi.lodz-staging.yaml"), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  const settings = structuredClone(staging.config["muni:settings"]!);
  const capacity = (settings.capacity ?? {}) as Record<string, unknown>;
  settings.capacity = {
    ...capacity,
    cpu: String((PER_UNIT_CAPACITY.cpu * n) / OVERCOMMIT),
    memory: `${(PER_UNIT_CAPACITY.memoryGi * n) / OVERCOMMIT}Gi`,
    storage: `${(PER_UNIT_CAPACITY.storageGi * n) / OVERCOMMIT}Gi`,
    vms: PER_UNIT_CAPACITY.vms * n,
    overcommit: OVERCOMMIT,
  };
  settings.units = { directories: ["units"] };
  return settings;
}

/**
 * Writes a synthetic project root under `dir`: Pulumi.yaml, .pulumi.version, stacks/Pulumi.bench.yaml,
 * units/<id>.yaml, and the stack's ledger recording every unit as active and provisioned in its own stack
 * (the city's ledger as a unit stack reads it: 10,000 entries are ~0.9 MB).
 */
export function writeSyntheticRoot(dir: string, repoRoot: string, n: number, seed = 2026): { ids: string[] } {
  mkdirSync(join(dir, "units"), { recursive: true });
  mkdirSync(join(dir, "stacks"), { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), readFileSync(join(repoRoot, "Pulumi.yaml")));
  writeFileSync(join(dir, ".pulumi.version"), readFileSync(join(repoRoot, ".pulumi.version")));
  writeFileSync(
    join(dir, "stacks", `Pulumi.${BENCH_STACK}.yaml`),
    stringify({ config: { "muni:settings": benchSettings(repoRoot, n) } }),
  );
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const unit = syntheticUnit(i, seed);
    ids.push(unit.id as string);
    const head = `# yaml-language-server: $schema=../schemas/unit.schema.json\n# Synthetic benchmark unit ${i + 1} of ${n} (seed ${seed}).\n`;
    writeFileSync(join(dir, "units", `${unit.id as string}.yaml`), head + stringify(unit, { lineWidth: 0 }));
  }
  const file = join(dir, "stacks", `${BENCH_STACK}.units.yaml`);
  const units = Object.fromEntries(
    ids
      .map(
        (id, i) =>
          [
            id,
            { state: "active" as const, wave: 1 + (i % 3), provisioned: true, file: `units/${id}.yaml` },
          ] as const,
      )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  writeFileSync(file, ledgerText({ file, exists: true, units }, BENCH_STACK));
  return { ids };
}
