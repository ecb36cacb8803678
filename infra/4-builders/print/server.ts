import type { StackSettings } from "../../1-model";
import { contentHash, platformLabels, platformNamespace, retainedClaim } from "../platform-objects";
import {
  type TenantSync,
  tenantSyncInitContainer,
  tenantSyncRbac,
  tenantSyncSidecar,
  tenantSyncTokenVolume,
} from "../tenant-sync";
import type { Desired } from "../types";
import { PRINT_TENANT_LABEL } from "./builder";
import {
  NSSWITCH_CONF,
  platformCupsLayout,
  renderAdminGroup,
  renderAdminPasswd,
  renderCupsdConf,
  renderCupsFilesConf,
  renderPamCups,
} from "./server-config";

const COMPONENT = "print";
/** The print pod's shared state (emptyDir): the tenant tree, the accounts file, the applied parts. */
export const PRINT_STATE_DIR = "/run/muni/print";
/** Where the images install images/print/print_queues.py. */
export const PRINT_QUEUES_SCRIPT = "/usr/local/lib/muni/print_queues.py";
/** The central administrators' password file (Secret `cups-administrators`, key `passwd`). */
export const ADMINS_DIR = "/etc/muni/admins";
/** Secret the central administrators keep: `passwd` with `<user>:<SHA-512 crypt>` lines. */
export const ADMINS_SECRET = "cups-administrators";

/** The print server's tenant sync: the units' `print-queues-<id>` ConfigMaps, applied live. */
export function printTenantSync(settings: StackSettings): TenantSync {
  return {
    component: COMPONENT,
    namespace: settings.platform.print.namespace,
    resource: "configmaps",
    label: PRINT_TENANT_LABEL,
    dir: `${PRINT_STATE_DIR}/tenants`,
    validate: "print",
    image: settings.platform.print.image,
    then: `python3 ${PRINT_QUEUES_SCRIPT} live`,
    volumeMounts: [
      { name: "state", mountPath: PRINT_STATE_DIR },
      { name: "cups-run", mountPath: "/run/cups" },
    ],
    // Root: lpadmin administers cupsd over its local socket as uid 0 (SystemGroup root, peer credentials).
    securityContext: { runAsUser: 0, runAsGroup: 0, allowPrivilegeEscalation: false },
  };
}

/**
 * The shared CUPS server: namespace, configuration, the tenant sync's identity, a retained spool volume,
 * the StatefulSet and its Service. It takes no units: the tenant sync reads each unit's queues and print
 * account from the labelled ConfigMaps at run time (init container, then a sidecar that applies changes
 * to the running cupsd), so the pod template changes only when the server's own configuration does.
 * TLS: the Secret `platform.print.tlsSecret` (kubernetes.io/tls, for the server's host name) — made by
 * the city's CA or cert-manager. Administrators: `platform.print.administrators`, whose passwords are in
 * the Secret `cups-administrators` (key `passwd`) they keep.
 */
export function buildPrintServer(settings: StackSettings): Desired[] {
  const p = settings.platform.print;
  const ns = p.namespace;
  const port = p.ports[0] ?? 631;
  const serverName = p.hostname ?? `cups.${ns}.svc`;
  const layout = platformCupsLayout(port, serverName, p.administrators);
  const labels = platformLabels(COMPONENT);
  const podLabels = { ...labels, ...(p.podLabels as Record<string, string>) };
  const config = {
    "cupsd.conf": renderCupsdConf(layout),
    "cups-files.conf": renderCupsFilesConf(layout),
    "pam-cups": renderPamCups(`${ADMINS_DIR}/passwd`, `${PRINT_STATE_DIR}/accounts`),
    "nsswitch.conf": NSSWITCH_CONF,
    "extrausers-group": renderAdminGroup(layout),
    "extrausers-passwd": renderAdminPasswd(layout),
  };
  const sync = printTenantSync(settings);
  const root = { runAsUser: 0, runAsGroup: 0 };
  return [
    platformNamespace("print-namespace", ns, COMPONENT),
    {
      key: "print-config",
      service: "platform",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cups-config", namespace: ns, labels },
        data: config,
      },
    },
    ...tenantSyncRbac("print", sync),
    retainedClaim("print-data", "cups-data", ns, COMPONENT, p.storage),
    {
      key: "print-service",
      service: "platform",
      object: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "cups", namespace: ns, labels },
        spec: { selector: podLabels, ports: [{ name: "ipp", port, targetPort: port, protocol: "TCP" }] },
      },
    },
    {
      key: "print-statefulset",
      service: "platform",
      object: {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "cups", namespace: ns, labels },
        spec: {
          serviceName: "cups",
          replicas: 1,
          selector: { matchLabels: podLabels },
          template: {
            metadata: {
              labels: podLabels,
              annotations: { "muni.lodz.pl/config-hash": contentHash({ config }) },
            },
            spec: {
              serviceAccountName: "tenant-sync",
              automountServiceAccountToken: false,
              initContainers: [
                tenantSyncInitContainer(sync),
                {
                  name: "setup",
                  image: p.image,
                  command: ["python3", PRINT_QUEUES_SCRIPT, "setup"],
                  securityContext: { ...root, allowPrivilegeEscalation: false },
                  volumeMounts: [
                    { name: "config", mountPath: "/etc/muni/config", readOnly: true },
                    { name: "server-root", mountPath: layout.serverRoot },
                    { name: "data", mountPath: layout.requestRoot },
                    { name: "state", mountPath: PRINT_STATE_DIR },
                  ],
                },
              ],
              containers: [
                {
                  name: "cupsd",
                  image: p.image,
                  // Root: cupsd binds the IPP port and reads the TLS key and PAM files, then runs
                  // filters and backends as User lp.
                  command: [
                    "cupsd",
                    "-f",
                    "-c",
                    `${layout.serverRoot}/cupsd.conf`,
                    "-s",
                    `${layout.serverRoot}/cups-files.conf`,
                  ],
                  securityContext: root,
                  ports: [{ name: "ipp", containerPort: port, protocol: "TCP" }],
                  livenessProbe: { tcpSocket: { port }, periodSeconds: 30 },
                  readinessProbe: { tcpSocket: { port }, periodSeconds: 10 },
                  volumeMounts: [
                    { name: "server-root", mountPath: layout.serverRoot },
                    { name: "data", mountPath: layout.requestRoot },
                    { name: "cache", mountPath: layout.cacheDir },
                    { name: "cups-run", mountPath: layout.stateDir },
                    { name: "state", mountPath: PRINT_STATE_DIR, readOnly: true },
                    { name: "config", mountPath: "/etc/pam.d/cups", subPath: "pam-cups", readOnly: true },
                    {
                      name: "config",
                      mountPath: "/etc/nsswitch.conf",
                      subPath: "nsswitch.conf",
                      readOnly: true,
                    },
                    { name: "admin-group", mountPath: "/var/lib/extrausers", readOnly: true },
                    { name: "tls", mountPath: layout.keychain, readOnly: true },
                    { name: "administrators", mountPath: ADMINS_DIR, readOnly: true },
                  ],
                },
                tenantSyncSidecar(sync),
              ],
              volumes: [
                { name: "config", configMap: { name: "cups-config" } },
                {
                  name: "admin-group",
                  configMap: {
                    name: "cups-config",
                    items: [
                      { key: "extrausers-group", path: "group" },
                      { key: "extrausers-passwd", path: "passwd" },
                    ],
                  },
                },
                { name: "server-root", emptyDir: {} },
                { name: "data", persistentVolumeClaim: { claimName: "cups-data" } },
                { name: "cache", emptyDir: {} },
                { name: "cups-run", emptyDir: {} },
                { name: "state", emptyDir: {} },
                {
                  name: "tls",
                  secret: {
                    secretName: p.tlsSecret,
                    defaultMode: 0o400,
                    items: [
                      { key: "tls.crt", path: `${serverName}.crt` },
                      { key: "tls.key", path: `${serverName}.key` },
                    ],
                  },
                },
                {
                  name: "administrators",
                  secret: {
                    secretName: ADMINS_SECRET,
                    optional: true,
                    defaultMode: 0o400,
                    items: [{ key: "passwd", path: "passwd" }],
                  },
                },
                tenantSyncTokenVolume(),
              ],
            },
          },
        },
      },
    },
  ];
}
