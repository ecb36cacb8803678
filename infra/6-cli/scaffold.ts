import type { Identity, Unit } from "../1-model";
import { SERVICE_NAMES, type ServiceName } from "../1-model";
import { toYaml } from "../5-plan/yaml";

/** The schema modeline every manifest starts with: editors then validate and complete it. */
export const MODELINE = "# yaml-language-server: $schema=../schemas/unit.schema.json";

/** The answers a new unit needs; services get the documented defaults unless given. */
export interface NewUnitAnswers {
  id: string;
  name: string;
  shortName: string;
  street: string;
  postalCode: string;
  city: string;
  costCentre: string;
  /** `kind:name`, e.g. `group:mops-administratorzy` or `user:jan.kowalski@mops.lodz.pl`. */
  admins: string[];
  opsLeads: string[];
  state: "planned" | "active";
  wave: number;
  services: ServiceName[];
  /** Mail domain (default `<id>.<first mail suffix>`). */
  mailDomain?: string;
  /** Site hostname (default `<id>.<first site suffix>`). */
  siteHostname?: string;
  /** Print queue (required with service print). */
  printQueue?: { name: string; location: string; deviceUri: string };
}

/** Defaults a scaffolded service starts from: small, valid, and meant to be edited. */
export const SERVICE_DEFAULTS = {
  financeModules: [
    "budgetReporting",
    "budgetPlanning",
    "generalLedger",
    "settlements",
    "contractsRegister",
    "invoicing",
    "assetRegister",
  ],
  financeUsers: 5,
  bandwidthMbps: 100,
  antivirusSeats: 10,
  mailboxLimit: 50,
  quota: { cpu: "2", memory: "8Gi", storage: "100Gi", pods: 20, volumes: 10 },
} as const;

/** `group:name` → Identity; undefined for a malformed one. */
export function parseIdentity(s: string): Identity | undefined {
  const m = /^(user|group):(.+)$/.exec(s.trim());
  return m ? { kind: m[1] as Identity["kind"], name: m[2]! } : undefined;
}

/** Service names from a comma list; the unknown ones are returned apart. */
export function parseServices(s: string): { services: ServiceName[]; unknown: string[] } {
  const words = s
    .split(",")
    .map((w) => w.trim())
    .filter(Boolean);
  const known = new Set<string>(SERVICE_NAMES);
  return {
    services: SERVICE_NAMES.filter((n) => words.includes(n)),
    unknown: words.filter((w) => !known.has(w)),
  };
}

/** The manifest as plain data, in the order of the schema (and of the real units). */
export function scaffoldUnit(
  a: NewUnitAnswers,
  suffixes: { mail: string; sites: string },
): Record<string, unknown> {
  const id = (s: string) => parseIdentity(s) ?? { kind: "group", name: s };
  const services: Record<string, unknown> = {};
  for (const s of a.services) {
    if (s === "finance")
      services.finance = {
        modules: [...SERVICE_DEFAULTS.financeModules],
        users: SERVICE_DEFAULTS.financeUsers,
      };
    if (s === "internet") services.internet = { bandwidthMbps: SERVICE_DEFAULTS.bandwidthMbps };
    if (s === "antivirus")
      services.antivirus = { seats: SERVICE_DEFAULTS.antivirusSeats, policy: "standard" };
    if (s === "networkProtection") services.networkProtection = { profile: "standard" };
    if (s === "mail")
      services.mail = {
        domain: a.mailDomain ?? `${a.id}.${suffixes.mail}`,
        mailboxLimit: SERVICE_DEFAULTS.mailboxLimit,
        mailboxes: [],
        aliases: [],
      };
    if (s === "servers") services.servers = { quota: { ...SERVICE_DEFAULTS.quota }, vms: [] };
    if (s === "print" && a.printQueue)
      services.print = { queues: [{ ...a.printQueue }], defaultQueue: a.printQueue.name };
    if (s === "web")
      services.web = { sites: [{ hostname: a.siteHostname ?? `${a.id}.${suffixes.sites}`, kind: "www" }] };
  }
  const unit: Partial<Record<keyof Unit, unknown>> = {
    id: a.id,
    name: a.name,
    shortName: a.shortName,
    address: { street: a.street, postalCode: a.postalCode, city: a.city },
    costCentre: a.costCentre,
    roles: { localAdministrators: a.admins.map(id), operationsLeads: a.opsLeads.map(id) },
    lifecycle: { state: a.state, wave: a.wave },
    services,
  };
  return unit as Record<string, unknown>;
}

/** The manifest's text: the modeline, a comment, the fields. */
export function manifestText(a: NewUnitAnswers, suffixes: { mail: string; sites: string }): string {
  return `${MODELINE}\n# ${a.name}: scaffolded by \`muni new-unit\`; review every value, then open a pull request.\n${toYaml(scaffoldUnit(a, suffixes))}`;
}
