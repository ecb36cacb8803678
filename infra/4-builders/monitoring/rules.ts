import {
  backupClassOf,
  cronMaxGapMs,
  type Identity,
  LABEL,
  serviceClassOf,
  type StackSettings,
} from "../../1-model";
import { platformScheduleName, scheduleName } from "../backup/schedules";
import { platformLabels } from "../platform-objects";
import type { BuildContext, Desired, K8sObject } from "../types";

/** One alerting rule, as in a Prometheus rule file. */
export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** One rule group, as in a Prometheus rule file. */
export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** Where the docs explain each alert and what to do. */
export const RUNBOOK = "docs/backup-and-monitoring.md#alerts";

/** A Prometheus duration (`1d12h`, `5m`) of whole seconds. */
export function promDuration(ms: number): string {
  let s = Math.max(1, Math.round(ms / 1000));
  const parts: string[] = [];
  for (const [unit, n] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
  }
  return parts.join("");
}

/** A PromQL string literal. */
const q = (v: string): string => JSON.stringify(v);

const identities = (ids: readonly Identity[]): string =>
  ids.map((i) => `${i.kind}:${i.name}`).join(", ") || "(none)";

/**
 * The backup alerts of one Schedule: the last backup failed, none succeeded for 1.5 times the longest
 * gap between two runs of the schedule, or none ever did.
 */
export function backupAlerts(
  prefix: string,
  schedule: string,
  cron: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): AlertRule[] {
  const gap = cronMaxGapMs(cron);
  const stale = promDuration(gap * 1.5);
  const sel = `{schedule=${q(schedule)}}`;
  return [
    {
      alert: `${prefix}BackupFailed`,
      expr: `increase(velero_backup_failure_total${sel}[${promDuration(gap)}]) > 0`,
      for: "0s",
      labels: { ...labels, severity: "warning" },
      annotations: {
        ...annotations,
        summary: `Velero backup of schedule ${schedule} failed`,
        description: `A backup of ${schedule} failed since its previous run; see velero backup describe.`,
      },
    },
    {
      alert: `${prefix}BackupStale`,
      expr: `time() - max by (schedule) (velero_backup_last_successful_timestamp${sel}) > ${Math.round((gap * 1.5) / 1000)}`,
      for: "15m",
      labels: { ...labels, severity: "critical" },
      annotations: {
        ...annotations,
        summary: `No successful backup of ${schedule} for over ${stale}`,
        description: `The newest successful backup of ${schedule} is older than 1.5 times its schedule's longest gap.`,
      },
    },
    {
      alert: `${prefix}BackupMissing`,
      expr: `absent(velero_backup_last_successful_timestamp${sel})`,
      for: stale,
      labels: { ...labels, severity: "critical" },
      annotations: {
        ...annotations,
        summary: `Schedule ${schedule} has never completed a backup`,
        description: `Velero reports no successful backup of ${schedule} at all for ${stale}.`,
      },
    },
  ];
}

/** The PrometheusRule object of rule groups. */
export function prometheusRule(
  m: NonNullable<StackSettings["monitoring"]>,
  name: string,
  labels: Record<string, string>,
  groups: RuleGroup[],
): K8sObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name,
      namespace: m.namespace,
      labels: { ...(m.labels as Record<string, string>), ...labels },
    },
    spec: { groups },
  };
}

/**
 * The unit's alert rules: its sites down (for the service class's siteDownAfter), not probed at all, or
 * their certificates near expiry; its backup failed, stale or missing. Every alert carries the labels
 * Alertmanager routes by (`muni_route: unit`, `unit`, `cost_centre`, `service_class`, `hours`, `severity`)
 * and names the unit's operations leads and the central administrators. Empty when nothing is monitored.
 */
export function unitRuleGroups(ctx: BuildContext): RuleGroup[] {
  const { unit, settings } = ctx;
  const m = settings.monitoring;
  if (!m) return [];
  const sc = serviceClassOf(unit, settings);
  const labels: Record<string, string> = {
    muni_route: "unit",
    unit: unit.id,
    cost_centre: unit.costCentre,
    ...(sc ? { service_class: sc.name, hours: sc.cls.hours } : { hours: "business" }),
  };
  const annotations = {
    operations_leads: identities(unit.roles.operationsLeads),
    central_administrators: `${settings.centralAdministrators.kind}:${settings.centralAdministrators.name}`,
    runbook: RUNBOOK,
  };
  const rules: AlertRule[] = [];
  if (unit.services.web?.sites.length) {
    const u = q(unit.id);
    const downSeverity = sc?.cls.hours === "always" ? "critical" : "warning";
    const days = m.tlsExpiryDays;
    rules.push(
      {
        alert: "MuniSiteDown",
        expr: `max by (unit, site) (probe_success{unit=${u}, check="http"}) == 0`,
        for: sc?.cls.siteDownAfter ?? "5m",
        labels: { ...labels, severity: downSeverity },
        annotations: {
          ...annotations,
          summary: `Site {{ $labels.site }} of ${unit.id} does not answer with HTTP 2xx`,
          description: `The blackbox probe of https://{{ $labels.site }}/ has failed for ${sc?.cls.siteDownAfter ?? "5m"}.`,
        },
      },
      {
        alert: "MuniSiteNotProbed",
        expr: `absent(probe_success{unit=${u}, check="http"})`,
        for: "15m",
        labels: { ...labels, severity: "warning" },
        annotations: {
          ...annotations,
          summary: `No probe results for the sites of ${unit.id}`,
          description: "Prometheus has no probe_success series of the unit's sites: is the Probe selected?",
        },
      },
      {
        alert: "MuniSiteCertificateExpiring",
        expr: `min by (unit, site) (probe_ssl_earliest_cert_expiry{unit=${u}, check="tls"}) - time() < ${days} * 86400`,
        for: "1h",
        labels: { ...labels, severity: "warning" },
        annotations: {
          ...annotations,
          summary: `The certificate of {{ $labels.site }} expires in under ${days} days`,
          description: "cert-manager renews 30 days ahead: check the Certificate and its ACME challenge.",
        },
      },
    );
  }
  const bc = backupClassOf(unit, settings);
  if (settings.backup && bc)
    rules.push(...backupAlerts("MuniUnit", scheduleName(unit.id), bc.cls.schedule, labels, annotations));
  return rules.length ? [{ name: `muni-unit-${unit.id}`, rules }] : [];
}

/** The unit's PrometheusRule in the monitoring namespace, `<unit id>-alerts`. */
export function buildUnitRules(ctx: BuildContext): Desired[] {
  const m = ctx.settings.monitoring;
  const groups = unitRuleGroups(ctx);
  if (!m || !groups.length) return [];
  const labels = { ...ctx.labels, [LABEL.costCentre]: ctx.unit.costCentre };
  return [
    {
      key: "monitor-alerts",
      service: "baseline",
      object: prometheusRule(m, `${ctx.unit.id}-alerts`, labels, groups),
    },
  ];
}

/** The platform's alert rules: a mail or print port not answering; the platform's backups. Central administrators only. */
export function platformRuleGroups(settings: StackSettings): RuleGroup[] {
  if (!settings.monitoring) return [];
  const labels = { muni_route: "platform", hours: "always" };
  const annotations = {
    central_administrators: `${settings.centralAdministrators.kind}:${settings.centralAdministrators.name}`,
    runbook: RUNBOOK,
  };
  const rules: AlertRule[] = [
    {
      alert: "MuniPlatformPortDown",
      expr: `max by (service, instance) (probe_success{check="port"}) == 0`,
      for: "5m",
      labels: { ...labels, severity: "critical" },
      annotations: {
        ...annotations,
        summary:
          "The shared {{ $labels.service }} server does not accept connections on {{ $labels.instance }}",
        description: "Every unit's mail or printing depends on it.",
      },
    },
  ];
  const b = settings.backup;
  if (b)
    for (const c of ["mail", "print"] as const)
      rules.push(
        ...backupAlerts(
          `MuniPlatform${c === "mail" ? "Mail" : "Print"}`,
          platformScheduleName(c),
          b.platform.schedule,
          labels,
          annotations,
        ),
      );
  return [{ name: "muni-platform", rules }];
}

/** The platform's PrometheusRule, `platform-alerts`. */
export function buildPlatformRules(settings: StackSettings): Desired[] {
  const m = settings.monitoring;
  if (!m) return [];
  return [
    {
      key: "monitor-alerts",
      service: "platform",
      object: prometheusRule(
        m,
        "platform-alerts",
        platformLabels("monitoring"),
        platformRuleGroups(settings),
      ),
    },
  ];
}
