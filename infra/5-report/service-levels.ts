import { backupClassOf, serviceClassOf, shouldProvision, type StackSettings } from "../1-model";
import { buildContext, monitoring } from "../4-builders";
import { formatNumber } from "./money";
import type { Lang } from "./i18n";
import type { CellStyle, Table } from "./tables";
import { orderedUnits, type ReportInput } from "./units";

/** One provisioned unit's service level: its class, backup and monitoring coverage. */
export interface ServiceLevelRow {
  id: string;
  shortName: string;
  serviceClass?: { name: string; hours: "business" | "always"; availability: number };
  backup?: { class: string; schedule: string; retention: string; data: string[] };
  /** Sites probed (HTTP and certificate) of the unit's sites. */
  probedSites: number;
  sites: number;
  /** Names of the unit's alerts. */
  alerts: string[];
}

/** Whether the stack sets any of service classes, backups or monitoring (else the report has no such section). */
export function hasServiceLevels(settings: StackSettings): boolean {
  return Boolean(settings.serviceClasses || settings.backup || settings.monitoring);
}

/** Every provisioned unit's service level, in report order; undefined when the stack sets none. */
export function serviceLevels(input: ReportInput): ServiceLevelRow[] | undefined {
  const { settings } = input;
  if (!hasServiceLevels(settings)) return undefined;
  return orderedUnits(input)
    .filter((u) => shouldProvision(u, settings))
    .map((unit) => {
      const sc = serviceClassOf(unit, settings);
      const bc = settings.backup ? backupClassOf(unit, settings) : undefined;
      const sites = unit.services.web?.sites.length ?? 0;
      return {
        id: unit.id,
        shortName: unit.shortName,
        ...(sc
          ? { serviceClass: { name: sc.name, hours: sc.cls.hours, availability: sc.cls.availability } }
          : {}),
        ...(bc
          ? {
              backup: {
                class: bc.name,
                schedule: bc.cls.schedule,
                retention: bc.cls.retention,
                data: [...bc.cls.data],
              },
            }
          : {}),
        probedSites: settings.monitoring ? sites : 0,
        sites,
        alerts: monitoring
          .unitRuleGroups(buildContext(unit, settings))
          .flatMap((g) => g.rules.map((r) => r.alert)),
      };
    });
}

/** The section's words, Polish and English. */
export const SERVICE_LEVEL_TEXT: Record<
  Lang,
  {
    title: string;
    unit: string;
    serviceClass: string;
    hours: string;
    availability: string;
    backup: string;
    monitoring: string;
    hoursOf: Record<"business" | "always", string>;
    data: Record<string, string>;
    backupText(b: NonNullable<ServiceLevelRow["backup"]>, data: string): string;
    monitoringText(r: ServiceLevelRow): string;
  }
> = {
  pl: {
    title: "Poziomy usług: klasa, kopie zapasowe i monitorowanie",
    unit: "Jednostka",
    serviceClass: "Klasa usług",
    hours: "Godziny obsługi",
    availability: "Dostępność",
    backup: "Kopie zapasowe",
    monitoring: "Monitorowanie",
    hoursOf: { business: "dni robocze", always: "24/7" },
    data: { objects: "obiekty", sites: "strony", vmDisks: "dyski VM", mail: "poczta" },
    backupText: (b, data) => `${b.class}: „${b.schedule}”, ${b.retention}; ${data}`,
    monitoringText: (r) => `monitorowane strony: ${r.probedSites} z ${r.sites}; alerty: ${r.alerts.length}`,
  },
  en: {
    title: "Service levels: class, backups and monitoring",
    unit: "Unit",
    serviceClass: "Service class",
    hours: "Hours",
    availability: "Availability",
    backup: "Backups",
    monitoring: "Monitoring",
    hoursOf: { business: "business days", always: "24/7" },
    data: { objects: "objects", sites: "sites", vmDisks: "VM disks", mail: "mail" },
    backupText: (b, data) => `${b.class}: "${b.schedule}", ${b.retention}; ${data}`,
    monitoringText: (r) => `sites monitored: ${r.probedSites} of ${r.sites}; alerts: ${r.alerts.length}`,
  },
};

/** The service levels table: per unit its class, hours, availability target, backup and monitoring coverage. */
export function serviceLevelsTable(rows: readonly ServiceLevelRow[], style: CellStyle): Table {
  const t = SERVICE_LEVEL_TEXT[style.lang];
  return {
    id: "service-levels",
    caption: t.title,
    columns: [
      { label: t.unit, align: "left" },
      { label: t.serviceClass, align: "left" },
      { label: t.hours, align: "left" },
      { label: t.availability, align: "right" },
      { label: t.backup, align: "left" },
      { label: t.monitoring, align: "left" },
    ],
    rows: rows.map((r) => [
      r.shortName,
      r.serviceClass?.name ?? style.none,
      r.serviceClass ? t.hoursOf[r.serviceClass.hours] : style.none,
      r.serviceClass ? `${formatNumber(r.serviceClass.availability, style.lang, 2)}%` : style.none,
      r.backup ? t.backupText(r.backup, r.backup.data.map((d) => t.data[d] ?? d).join(", ")) : style.none,
      t.monitoringText(r),
    ]),
    foot: [],
    notes: [],
  };
}
