import { TENANT_FILES, TENANTS_DIR } from "./files";
import { mailHostOf } from "../../1-model";
import {
  assembleScript,
  platformMailLayout,
  renderDovecotConf,
  renderOpendkimConf,
  renderPostfixMainCf,
  renderPostfixMasterCf,
} from "./server-config";
import type { Desired } from "../types";
import { mailTenant, type StackSettings, tenantSecretName, type Unit } from "../../1-model";
import { contentHash, platformLabels, platformNamespace, retainedClaim } from "../platform-objects";

const COMPONENT = "mail";

/**
 * The shared mail server: its namespace, configuration (rendered by the same functions the real-daemon
 * tests load), a retained volume for every tenant's mailboxes, the StatefulSet (Postfix, Dovecot,
 * OpenDKIM; an init step assembles the tables from every tenant Secret) and its Service.
 * `units` are the provisioned units; those enrolled in mail are the tenants.
 */
export function buildMailServer(settings: StackSettings, units: readonly Unit[]): Desired[] {
  const m = settings.platform.mail;
  const ns = m.namespace;
  const layout = platformMailLayout(mailHostOf(settings));
  const tenants = units.map(mailTenant).filter((t) => t !== undefined);
  const labels = platformLabels(COMPONENT);
  const podLabels = { ...labels, ...(m.podLabels as Record<string, string>) };
  const config = {
    "dovecot.conf": renderDovecotConf(layout),
    "main.cf": renderPostfixMainCf(layout),
    "master.cf": renderPostfixMasterCf(layout),
    "opendkim.conf": renderOpendkimConf(layout),
    "assemble.sh": assembleScript(layout.tablesDir, TENANTS_DIR),
  };
  // Rolls the pod when the configuration or the tenants' accounts and aliases change (never from secrets).
  const hash = contentHash({
    config,
    tenants: tenants.map((t) => ({
      d: t.domain,
      a: t.accounts.map((a) => [a.address, a.quotaBytes]),
      x: t.aliases,
    })),
  });
  const mount = (name: string, mountPath: string, extra: Record<string, unknown> = {}) => ({
    name,
    mountPath,
    ...extra,
  });
  const image = m.image;
  const ports = [...new Set([25, 143, ...m.ports])].sort((a, b) => a - b);
  return [
    platformNamespace("mail-namespace", ns, COMPONENT),
    {
      key: "mail-config",
      service: "platform",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "mail-config", namespace: ns, labels },
        data: config,
      },
    },
    retainedClaim("mail-data", "mail-data", ns, COMPONENT, m.storage),
    {
      key: "mail-service",
      service: "platform",
      object: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "mail", namespace: ns, labels },
        spec: {
          selector: podLabels,
          ports: ports.map((port) => ({ name: `tcp-${port}`, port, targetPort: port, protocol: "TCP" })),
        },
      },
    },
    {
      key: "mail-statefulset",
      service: "platform",
      object: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "mail", namespace: ns, labels },
        spec: {
          serviceName: "mail",
          replicas: 1,
          selector: { matchLabels: podLabels },
          template: {
            metadata: { labels: podLabels, annotations: { "muni.lodz.pl/config-hash": hash } },
            spec: {
              initContainers: [
                {
                  name: "assemble",
                  image,
                  command: ["sh", "/etc/muni/config/assemble.sh"],
                  volumeMounts: [
                    mount("tenants", TENANTS_DIR, { readOnly: true }),
                    mount("config", "/etc/muni/config", { readOnly: true }),
                    mount("tables", layout.tablesDir),
                  ],
                },
              ],
              containers: [
                {
                  name: "dovecot",
                  image,
                  command: ["dovecot", "-F", "-c", "/etc/muni/config/dovecot.conf"],
                  ports: [143, 993, 24].map((containerPort) => ({ containerPort, protocol: "TCP" })),
                  volumeMounts: [
                    mount("config", "/etc/muni/config", { readOnly: true }),
                    mount("tables", layout.tablesDir, { readOnly: true }),
                    mount("data", layout.mailRoot),
                    mount("tls", "/etc/muni/tls", { readOnly: true }),
                  ],
                },
                {
                  name: "postfix",
                  image,
                  command: ["postfix", "start-fg"],
                  ports: [25, 465, 587].map((containerPort) => ({ containerPort, protocol: "TCP" })),
                  volumeMounts: [
                    mount("config", "/etc/postfix/main.cf", { subPath: "main.cf", readOnly: true }),
                    mount("tables", layout.tablesDir, { readOnly: true }),
                    mount("data", layout.mailRoot),
                    mount("tls", "/etc/muni/tls", { readOnly: true }),
                  ],
                },
                {
                  name: "opendkim",
                  image,
                  command: ["opendkim", "-f", "-x", "/etc/muni/config/opendkim.conf"],
                  volumeMounts: [
                    mount("config", "/etc/muni/config", { readOnly: true }),
                    mount("tables", layout.tablesDir, { readOnly: true }),
                    mount("tenants", TENANTS_DIR, { readOnly: true }),
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: "mail-config" } },
                { name: "tables", emptyDir: {} },
                { name: "data", persistentVolumeClaim: { claimName: "mail-data" } },
                { name: "tls", secret: { secretName: "mail-tls", optional: true } },
                {
                  name: "tenants",
                  projected: {
                    defaultMode: 0o440,
                    // optional: a tenant registered after the server must not keep the pod from starting.
                    sources: tenants.map((t) => ({
                      secret: {
                        name: tenantSecretName(t.unitId),
                        optional: true,
                        items: TENANT_FILES.map((f) => ({ key: f, path: `${t.unitId}/${f}` })),
                      },
                    })),
                  },
                },
              ],
            },
          },
        },
      },
    },
  ];
}
