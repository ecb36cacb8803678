import { backupClassOf, serviceClassOf, type StackSettings, type Unit } from "../1-model";
import { backup, type Desired, type K8sObject } from "../4-builders";

/** A unit's backup as the plan shows it. */
export interface PlannedBackup {
  /** The backup class (stack backup.classes). */
  class: string;
  /** `namespace/name` of the Velero Schedule. */
  schedule: string;
  cron: string;
  /** Velero ttl of each backup. */
  retention: string;
  data: string[];
  /** `namespace/name` of the platform Schedule that takes the unit's mail (on the shared mail volume), when the class takes mail. */
  mailIn?: string;
  /** The one command that restores the unit side by side (docs/backup-and-monitoring.md). */
  restore: string;
}

/** What protects a unit: its service class, backup, probes and alerts (absent when the stack sets none of them). */
export interface Protection {
  serviceClass?: { name: string; hours: "business" | "always"; availability: number };
  backup?: PlannedBackup;
  /** `target (module)` of every Probe of the unit. */
  probes: string[];
  /** Alert names of the unit's PrometheusRule. */
  alerts: string[];
}

interface ScheduleSpec {
  schedule: string;
  template: { ttl: string };
}
interface ProbeSpec {
  module: string;
  targets: { staticConfig: { static: string[] } };
}
interface RuleSpec {
  groups: Array<{ rules: Array<{ alert?: string }> }>;
}

const of = (objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** Probe targets with their module, and the alert names, of rendered objects. */
export function probesAndAlerts(objects: readonly K8sObject[]): Pick<Protection, "probes" | "alerts"> {
  return {
    probes: of(objects, "Probe").flatMap((o) => {
      const s = o.spec as ProbeSpec;
      return s.targets.staticConfig.static.map((t) => `${t} (${s.module})`);
    }),
    alerts: of(objects, "PrometheusRule").flatMap((o) =>
      (o.spec as RuleSpec).groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : []))),
    ),
  };
}

/** The protection of a provisioned unit, read from its rendered objects; undefined when it has none. */
export function protectionOf(
  unit: Unit,
  settings: StackSettings,
  desired: readonly Desired[],
): Protection | undefined {
  const objects = desired.map((d) => d.object);
  const sc = serviceClassOf(unit, settings);
  const bc = backupClassOf(unit, settings);
  const [schedule] = of(objects, "Schedule");
  const restore = backup.restoreCommand(unit, settings);
  const out: Protection = {
    ...(sc
      ? { serviceClass: { name: sc.name, hours: sc.cls.hours, availability: sc.cls.availability } }
      : {}),
    ...(schedule && bc && restore
      ? {
          backup: {
            class: bc.name,
            schedule: `${schedule.metadata.namespace}/${schedule.metadata.name}`,
            cron: (schedule.spec as ScheduleSpec).schedule,
            retention: (schedule.spec as ScheduleSpec).template.ttl,
            data: [...bc.cls.data],
            ...(bc.cls.data.includes("mail")
              ? { mailIn: `${schedule.metadata.namespace}/${backup.platformScheduleName("mail")}` }
              : {}),
            restore,
          },
        }
      : {}),
    ...probesAndAlerts(objects),
  };
  return out.serviceClass || out.backup || out.probes.length || out.alerts.length ? out : undefined;
}

/** The plan's lines about a unit's protection, indented under the unit. */
export function protectionLines(p: Protection | undefined): string[] {
  if (!p) return [];
  const out: string[] = [];
  const sc = p.serviceClass;
  if (sc)
    out.push(
      `  service class: ${sc.name} (${sc.hours === "always" ? "24/7" : "business hours"}, availability ${sc.availability}%)`,
    );
  if (p.backup) {
    const b = p.backup;
    const mail = b.mailIn ? `; mail on the shared mail volume, in Schedule ${b.mailIn}` : "";
    out.push(
      `  backup: class ${b.class}, Schedule ${b.schedule} "${b.cron}", kept ${b.retention}: ${b.data.filter((d) => d !== "mail").join(", ")}${mail}`,
      `  restore: ${b.restore}`,
    );
  } else out.push("  backup: none (no backup class)");
  if (p.probes.length) out.push(`  probes: ${p.probes.join(", ")}`);
  if (p.alerts.length) out.push(`  alerts: ${p.alerts.join(", ")}`);
  return out;
}

/** The platform's backups (`namespace/name "cron", kept ttl: namespaces`), probes and alerts as the plan shows them. */
export interface PlatformProtection {
  backups: string[];
  probes: string[];
  alerts: string[];
}

/** The platform's protection, read from its rendered objects; undefined when it has none. */
export function platformProtectionOf(objects: readonly K8sObject[]): PlatformProtection | undefined {
  const backups = of(objects, "Schedule").map((o) => {
    const s = o.spec as ScheduleSpec & { template: { includedNamespaces: string[] } };
    return `${o.metadata.namespace}/${o.metadata.name} "${s.schedule}", kept ${s.template.ttl}: ${s.template.includedNamespaces.join(", ")}`;
  });
  const out = { backups, ...probesAndAlerts(objects) };
  return backups.length || out.probes.length || out.alerts.length ? out : undefined;
}

/** The plan's lines about the platform's protection. */
export function platformProtectionLines(p: PlatformProtection | undefined): string[] {
  if (!p) return [];
  return [
    ...p.backups.map((b) => `  backup: Schedule ${b}`),
    ...(p.probes.length ? [`  probes: ${p.probes.join(", ")}`] : []),
    ...(p.alerts.length ? [`  alerts: ${p.alerts.join(", ")}`] : []),
  ];
}
