import type { LifecycleState, ServiceName } from "../1-model";

/** Languages of the reports: Polish (the resolution's own, default) and English. */
export const LANGS = ["pl", "en"] as const;
export type Lang = (typeof LANGS)[number];

/** The resolution's official service names (Annex 1 column headers), in the resolution's order. */
export const SERVICE_LABELS: Record<Lang, Record<ServiceName, string>> = {
  pl: {
    finance: "centralny system finansowo-księgowy",
    internet: "dostęp do Internetu",
    antivirus: "ochrona antywirusowa stanowisk komputerowych",
    networkProtection: "ochrona sieci",
    mail: "poczta elektroniczna",
    servers: "infrastruktura serwerowa",
    print: "centralny wydruk",
    web: "strony internetowe i BIP",
  },
  en: {
    finance: "central finance-accounting system",
    internet: "internet access",
    antivirus: "workstation antivirus",
    networkProtection: "network protection",
    mail: "e-mail",
    servers: "server infrastructure",
    print: "central printing",
    web: "web and BIP sites",
  },
};

export const STATE_LABELS: Record<Lang, Record<LifecycleState, string>> = {
  pl: {
    planned: "planowana",
    active: "aktywna",
    decommissioning: "w trakcie wycofywania",
    decommissioned: "wycofana",
  },
  en: {
    planned: "planned",
    active: "active",
    decommissioning: "decommissioning",
    decommissioned: "decommissioned",
  },
};

/** Polish month names in the genitive, as a date is written ("2 marca 2026 r."). */
const PL_MONTHS = [
  "stycznia",
  "lutego",
  "marca",
  "kwietnia",
  "maja",
  "czerwca",
  "lipca",
  "sierpnia",
  "września",
  "października",
  "listopada",
  "grudnia",
];
const EN_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** `2026-03-02` → `2 marca 2026 r.` (pl) or `2 March 2026` (en). */
export function longDate(iso: string, lang: Lang): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return lang === "pl" ? `${d} ${PL_MONTHS[m - 1]} ${y} r.` : `${d} ${EN_MONTHS[m - 1]} ${y}`;
}

/** Where a report comes from: the date it describes and the repository version it was made from. */
export interface ReportMeta {
  /** YYYY-MM-DD. */
  date: string;
  /** The git commit (abbreviated) of the configuration repository; undefined outside git. */
  revision?: string;
  /** Whether the manifests or stack files differ from that commit. */
  dirty?: boolean;
}

/**
 * Every other piece of text the reports print. Polish as an official of the city writes it: no tool
 * jargon (an "environment", not a "stack"), sizes in GiB and TiB, `Lp.`, participles written together
 * with "nie" ("niewliczana").
 */
export const TEXT = {
  pl: {
    title: (stack: string) => `Usługi wspólne IT – zestawienie dla środowiska ${stack}`,
    made: (m: ReportMeta) =>
      `Stan na dzień ${longDate(m.date, "pl")} Sporządzono na podstawie ${m.revision ? `wersji ${m.revision} repozytorium konfiguracji${m.dirty ? " wraz ze zmianami jeszcze niezatwierdzonymi" : ""}` : "plików konfiguracji spoza repozytorium (wersja nieznana)"}.`,
    matrixTitle: "Załącznik nr 1 – wykaz jednostek i usług",
    lp: "Lp.",
    unitName: "Nazwa jednostki",
    seat: "Adres siedziby",
    state: "Status",
    yes: "tak",
    no: "nie",
    capacityTitle: "Zasoby – limity jednostek na tle zasobów centralnych",
    unit: "Jednostka",
    cpu: "Limit vCPU",
    memory: "Limit pamięci",
    storage: "Limit przestrzeni dyskowej",
    vms: "Maszyny wirtualne",
    mailboxes: "Skrzynki pocztowe (utworzone / limit)",
    sites: "Strony internetowe",
    queues: "Kolejki wydruku",
    allocated: "Razem przydzielono jednostkom obsługiwanym",
    capacity: "Zasoby centralne",
    withOvercommit: (f: string) => `Zasoby centralne z nadprzydziałem ×${f}`,
    usage: "Wykorzystanie zasobów centralnych",
    notCounted: "niewliczana",
    chartTitle: "Limity jednostek na tle zasobów centralnych",
    chartLabels: { cpu: "vCPU", memory: "Pamięć", storage: "Przestrzeń dyskowa", vms: "Maszyny wirtualne" },
    chartDesc:
      "Słupki skumulowane: udział limitu każdej jednostki w zasobach centralnych; linia ciągła – 100% zasobów, linia przerywana – zasoby z nadprzydziałem.",
    chargebackTitle: "Rozliczenie kosztów usług (miesięcznie, kwoty netto)",
    total: "Razem",
    net: "Netto",
    vat: (p: number) => `VAT ${p}%`,
    gross: "Brutto",
    detailTitle: "Pozycje rozliczenia",
    service: "Usługa",
    item: "Pozycja",
    quantity: "Ilość",
    unitPrice: "Cena jednostkowa",
    amount: "Kwota",
    notCharged: "Jednostki nierozliczane (usługi nie są świadczone)",
    items: {
      financeUser: "użytkownicy systemu",
      financeModule: "moduły",
      internetMbps: "przepustowość (Mbit/s)",
      antivirusSeat: "stanowiska",
      networkProtection: "ryczałt za jednostkę",
      mailbox: "skrzynki pocztowe",
      vcpu: "limit vCPU",
      memoryGiB: "limit pamięci (GiB)",
      storageGiB: "limit przestrzeni dyskowej (GiB)",
      printQueue: "kolejki wydruku",
      site: "strony internetowe",
    },
    inventoryTitle: "Wykaz obiektów",
    objects: "Obiekty",
  },
  en: {
    title: (stack: string) => `Shared IT services – summary for environment ${stack}`,
    made: (m: ReportMeta) =>
      `As of ${longDate(m.date, "en")}. Made from ${m.revision ? `version ${m.revision} of the configuration repository${m.dirty ? ", with changes not yet committed" : ""}` : "configuration files outside the repository (version unknown)"}.`,
    matrixTitle: "Annex 1 – units and services",
    lp: "No.",
    unitName: "Unit name",
    seat: "Seat address",
    state: "Status",
    yes: "yes",
    no: "no",
    capacityTitle: "Resources – unit quotas against central resources",
    unit: "Unit",
    cpu: "vCPU quota",
    memory: "Memory quota",
    storage: "Storage quota",
    vms: "Virtual machines",
    mailboxes: "Mailboxes (created / limit)",
    sites: "Web sites",
    queues: "Print queues",
    allocated: "Total allocated to the units served",
    capacity: "Central resources",
    withOvercommit: (f: string) => `Central resources with over-commit ×${f}`,
    usage: "Central resources used",
    notCounted: "not counted",
    chartTitle: "Unit quotas against central resources",
    chartLabels: { cpu: "vCPU", memory: "Memory", storage: "Storage", vms: "Virtual machines" },
    chartDesc:
      "Stacked bars: each unit's quota as a share of the central resources; solid line – 100% of the resources, dashed line – the resources with over-commit.",
    chargebackTitle: "Chargeback (monthly, net amounts)",
    total: "Total",
    net: "Net",
    vat: (p: number) => `VAT ${p}%`,
    gross: "Gross",
    detailTitle: "Chargeback lines",
    service: "Service",
    item: "Item",
    quantity: "Quantity",
    unitPrice: "Unit price",
    amount: "Amount",
    notCharged: "Units not charged (no service provided)",
    items: {
      financeUser: "system users",
      financeModule: "modules",
      internetMbps: "bandwidth (Mbit/s)",
      antivirusSeat: "workstations",
      networkProtection: "flat per unit",
      mailbox: "mailboxes",
      vcpu: "vCPU quota",
      memoryGiB: "memory quota (GiB)",
      storageGiB: "storage quota (GiB)",
      printQueue: "print queues",
      site: "web sites",
    },
    inventoryTitle: "Object inventory",
    objects: "Objects",
  },
} as const;
export type Text = (typeof TEXT)[Lang];
