import { LABEL, siteBaseName, type StackSettings } from "../../1-model";
import { platformLabels } from "../platform-objects";
import type { BuildContext, Desired, K8sObject } from "../types";

/** What a probe checks, as the `check` label of its series: a site's HTTP answer, its certificate, a platform port. */
export type ProbeCheck = "http" | "tls" | "port";

type Monitoring = NonNullable<StackSettings["monitoring"]>;

/** A Prometheus Operator Probe through the stack's blackbox exporter, with the labels its series carry. */
export function probe(
  m: Monitoring,
  name: string,
  labels: Record<string, string>,
  module: string,
  targets: string[],
  seriesLabels: Record<string, string>,
): K8sObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "Probe",
    metadata: {
      name,
      namespace: m.namespace,
      labels: { ...(m.labels as Record<string, string>), ...labels },
    },
    spec: {
      interval: m.interval,
      module,
      prober: { url: m.proberUrl },
      targets: { staticConfig: { static: targets, labels: seriesLabels } },
    },
  };
}

/** Name of a site's Probe: `<unit id>-<site>-<check>`. */
export function siteProbeName(unitId: string, hostname: string, check: "http" | "tls"): string {
  return `${unitId}-${siteBaseName(hostname)}-${check}`;
}

/**
 * Per site of the unit two Probes in the monitoring namespace: its HTTPS answer (the stack's HTTP module,
 * 2xx expected) and its certificate (the TLS module on port 443, for probe_ssl_earliest_cert_expiry). Their
 * series carry `unit`, `site` and `check`, which the unit's alerts select. Nothing without monitoring settings.
 */
export function buildSiteProbes(ctx: BuildContext): Desired[] {
  const m = ctx.settings.monitoring;
  if (!m) return [];
  const labels = { ...ctx.labels, [LABEL.costCentre]: ctx.unit.costCentre };
  return (ctx.unit.services.web?.sites ?? []).flatMap((site) => {
    const base = siteBaseName(site.hostname);
    const series = (check: ProbeCheck) => ({ unit: ctx.unit.id, site: site.hostname, check });
    return [
      {
        key: `monitor-${base}-http`,
        service: "baseline" as const,
        object: probe(
          m,
          siteProbeName(ctx.unit.id, site.hostname, "http"),
          labels,
          m.modules.http,
          [`https://${site.hostname}/`],
          series("http"),
        ),
      },
      {
        key: `monitor-${base}-tls`,
        service: "baseline" as const,
        object: probe(
          m,
          siteProbeName(ctx.unit.id, site.hostname, "tls"),
          labels,
          m.modules.tls,
          [`${site.hostname}:443`],
          series("tls"),
        ),
      },
    ];
  });
}

/** The platform components whose ports are probed: the shared mail and print servers. */
export const PROBED_PLATFORM = ["mail", "print"] as const;

/**
 * One Probe per shared server (mail, print) the platform renders: a TCP connect to every port of its
 * Service (neither exposes Prometheus metrics, so there is no ServiceMonitor). Series carry `service` and
 * `check: port`.
 */
export function buildPlatformProbes(settings: StackSettings, platform: readonly Desired[]): Desired[] {
  const m = settings.monitoring;
  if (!m) return [];
  return PROBED_PLATFORM.flatMap((component) => {
    const ns = settings.platform[component].namespace;
    const targets = platform
      .map((d) => d.object)
      .filter((o) => o.kind === "Service" && o.apiVersion === "v1" && o.metadata.namespace === ns)
      .flatMap((o) => {
        const ports = ((o.spec as { ports?: Array<{ port: number }> }).ports ?? []).map((p) => p.port);
        return ports.map((p) => `${o.metadata.name}.${ns}.svc:${p}`);
      });
    if (!targets.length) return [];
    return [
      {
        key: `monitor-${component}-ports`,
        service: "platform" as const,
        object: probe(
          m,
          `platform-${component}-ports`,
          platformLabels("monitoring"),
          m.modules.tcp,
          targets,
          { service: component, check: "port" },
        ),
      },
    ];
  });
}
