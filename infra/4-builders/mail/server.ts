import { posix } from "node:path";
import { TENANTS_DIR, VMAIL_ID } from "./files";
import { TENANT_LABEL } from "./builder";
import {
  assembleScript,
  type MailLayout,
  platformMailLayout,
  reloadWrapperScript,
  renderDovecotConf,
  renderOpendkimConf,
  renderPostfixMainCf,
  renderPostfixMasterCf,
} from "./server-config";
import type { Desired } from "../types";
import { mailHostOf, type StackSettings } from "../../1-model";
import { contentHash, platformLabels, platformNamespace, retainedClaim } from "../platform-objects";
import {
  TENANT_SYNC_ACCOUNT,
  type TenantSync,
  tenantSyncInitContainer,
  tenantSyncRbac,
  tenantSyncSidecar,
  tenantSyncTokenVolume,
} from "../tenant-sync";

const COMPONENT = "mail";
/** Where the pod mounts the mail-config ConfigMap. */
export const MAIL_CONFIG_DIR = "/etc/muni/config";
/** The emptyDir the tenant sync keeps its tree in (TENANTS_DIR is a symlink inside it). */
export const MAIL_TENANTS_VOLUME_PATH = "/run/muni";
/** The uid of the password self-service: not the mailbox owner, so it cannot read mail (group vmail: the store). */
export const PASSWORDS_UID = 5001;

/**
 * The ports of the mail Service, which the platform fence opens to enrolled units and the ingress: SMTP (25),
 * IMAP (143), the password self-service and the stack's `platform.mail.ports`.
 */
export function mailServicePorts(mail: Pick<StackSettings["platform"]["mail"], "ports">): number[] {
  const l = platformMailLayout("");
  return [...new Set([l.smtpPort, l.imapPort, l.passwords.port, ...mail.ports])].sort((a, b) => a - b);
}

/**
 * The password self-service container (images/mail/mail_passwords.py): HTTPS with the server's
 * certificate, checks the current password with Dovecot's auth, keeps users' own passwords on the data
 * volume and writes the passwd-file Dovecot asks first. Its own uid: it cannot read the mailboxes (0700 of
 * vmail); its group vmail lets the tenant sync's hook read the store.
 */
function passwordsContainer(layout: MailLayout, image: string) {
  return {
    name: "passwords",
    image,
    command: [
      "python3",
      layout.passwords.script,
      "serve",
      "--port",
      String(layout.passwords.port),
      "--tables",
      layout.tablesDir,
      "--store",
      layout.passwords.store,
      "--out",
      layout.passwords.table,
      "--auth",
      `127.0.0.1:${layout.internal.auth}`,
      "--cert",
      layout.tls.cert,
      "--key",
      layout.tls.key,
    ],
    ports: [{ name: "passwords", containerPort: layout.passwords.port, protocol: "TCP" }],
    ...tcpProbes(layout.passwords.port, layout.passwords.port),
    securityContext: {
      runAsUser: PASSWORDS_UID,
      runAsGroup: VMAIL_ID,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts: [
      { name: "tables", mountPath: layout.tablesDir, readOnly: true },
      { name: "passwords", mountPath: posix.dirname(layout.passwords.table) },
      { name: "data", mountPath: layout.mailRoot },
      { name: "tls", mountPath: posix.dirname(layout.tls.cert), readOnly: true },
    ],
  };
}

/**
 * A daemon container's probes: ready while `ready` accepts TCP, restarted when `live` stops accepting
 * (after a start-up grace). A TCP probe opens and closes a connection: the daemon logs it as a client that
 * left without a command.
 */
function tcpProbes(ready: number, live: number) {
  return {
    readinessProbe: { tcpSocket: { port: ready }, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: {
      tcpSocket: { port: live },
      initialDelaySeconds: 30,
      periodSeconds: 20,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
  };
}

/**
 * The shared mail server: its namespace, configuration (rendered by the same functions the real-daemon
 * tests load), a retained volume for every tenant's mailboxes, the StatefulSet and its Service.
 * The tenants are NOT part of it: a tenant sync (init container + sidecar, see ../tenant-sync.ts) reads
 * the labelled `mail-tenant-<id>` Secrets at run time, the hook assembles the tables and bumps their
 * generation, and a wrapper in the Postfix and OpenDKIM containers reloads them (`postfix reload`,
 * OpenDKIM's SIGUSR1; Dovecot re-reads its passwd-file by itself). So the pod template is the same with
 * 0 or 10,000 tenants, and onboarding a unit never rolls the pod.
 */
export function buildMailServer(settings: StackSettings): Desired[] {
  const m = settings.platform.mail;
  const ns = m.namespace;
  const layout = platformMailLayout(mailHostOf(settings));
  const labels = platformLabels(COMPONENT);
  const podLabels = { ...labels, ...(m.podLabels as Record<string, string>) };
  const generation = `${layout.tablesDir}/.generation`;
  const config = {
    "dovecot.conf": renderDovecotConf(layout),
    "main.cf": renderPostfixMainCf(layout),
    "master.cf": renderPostfixMasterCf(layout),
    "opendkim.conf": renderOpendkimConf(layout),
    "assemble.sh": assembleScript(layout, TENANTS_DIR),
    "with-reload.sh": reloadWrapperScript(generation),
  };
  // Rolls the pod only when the server's own configuration changes.
  const hash = contentHash({ config });
  const mount = (name: string, mountPath: string, extra: Record<string, unknown> = {}) => ({
    name,
    mountPath,
    ...extra,
  });
  const image = m.image;
  const ports = mailServicePorts(m);
  /** The sync, its hook and OpenDKIM run as the mailbox owner, the only user the tenant files are for. */
  const vmail = {
    runAsUser: VMAIL_ID,
    runAsGroup: VMAIL_ID,
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
  };
  const sync: TenantSync = {
    component: COMPONENT,
    namespace: ns,
    resource: "secrets",
    label: TENANT_LABEL,
    dir: TENANTS_DIR,
    validate: "mail",
    image,
    then: `sh ${MAIL_CONFIG_DIR}/assemble.sh`,
    volumeMounts: [
      mount("tenants", MAIL_TENANTS_VOLUME_PATH),
      mount("tables", layout.tablesDir),
      mount("config", MAIL_CONFIG_DIR, { readOnly: true }),
      // the hook re-applies the passwords users set: it reads their store and writes the effective file
      mount("passwords", posix.dirname(layout.passwords.table)),
      mount("data", layout.mailRoot, { readOnly: true }),
    ],
    securityContext: vmail,
    fileMode: "0600",
  };
  return [
    platformNamespace("mail-namespace", ns, COMPONENT),
    ...tenantSyncRbac("mail", sync),
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
              serviceAccountName: TENANT_SYNC_ACCOUNT,
              automountServiceAccountToken: false,
              // The mailboxes, the tenant tree and the tables belong to the mailbox owner's group.
              securityContext: { fsGroup: VMAIL_ID },
              initContainers: [tenantSyncInitContainer(sync)],
              containers: [
                tenantSyncSidecar(sync),
                {
                  // Dovecot's master starts as root (it binds 143/993 and runs each login as its user);
                  // it re-reads the passwd-file when the hook replaces it.
                  name: "dovecot",
                  image,
                  command: ["dovecot", "-F", "-c", `${MAIL_CONFIG_DIR}/dovecot.conf`],
                  ports: [143, 993].map((containerPort) => ({ containerPort, protocol: "TCP" })),
                  ...tcpProbes(layout.imapPort, layout.imapPort),
                  volumeMounts: [
                    mount("config", MAIL_CONFIG_DIR, { readOnly: true }),
                    mount("tables", layout.tablesDir, { readOnly: true }),
                    mount("passwords", posix.dirname(layout.passwords.table), { readOnly: true }),
                    mount("data", layout.mailRoot),
                    mount("tls", "/etc/muni/tls", { readOnly: true }),
                    mount("dovecot-run", layout.dovecot.baseDir),
                  ],
                },
                {
                  // Postfix's master starts as root (it binds 25/465/587 and runs its daemons as postfix).
                  name: "postfix",
                  image,
                  // The queue lives on the mail volume (mail in flight survives a restart); Postfix
                  // creates its subdirectories but not the queue directory itself.
                  command: [
                    "sh",
                    "-c",
                    `mkdir -p ${layout.postfix.queueDir} && chown postfix: ${layout.postfix.dataDir} && exec sh ${MAIL_CONFIG_DIR}/with-reload.sh 'postfix reload' 'postfix stop' postfix start-fg`,
                  ],
                  ports: [layout.smtpPort, layout.submissionsPort, layout.submissionPort]
                    .filter((port): port is number => !!port)
                    .map((containerPort) => ({ containerPort, protocol: "TCP" })),
                  // The master opens every listener of master.cf at once: the MX answering means it
                  // is up, and submission stops answering when it is stuck.
                  ...tcpProbes(layout.smtpPort, layout.submissionPort),
                  volumeMounts: [
                    mount("config", "/etc/postfix/main.cf", { subPath: "main.cf", readOnly: true }),
                    mount("config", "/etc/postfix/master.cf", { subPath: "master.cf", readOnly: true }),
                    mount("config", MAIL_CONFIG_DIR, { readOnly: true }),
                    mount("tables", layout.tablesDir, { readOnly: true }),
                    mount("data", layout.mailRoot),
                    mount("tls", "/etc/muni/tls", { readOnly: true }),
                    mount("postfix-data", layout.postfix.dataDir),
                  ],
                },
                {
                  name: "opendkim",
                  image,
                  command: [
                    "sh",
                    `${MAIL_CONFIG_DIR}/with-reload.sh`,
                    'kill -USR1 "$PID"',
                    'kill -TERM "$PID"',
                    "opendkim",
                    "-f",
                    "-x",
                    `${MAIL_CONFIG_DIR}/opendkim.conf`,
                  ],
                  securityContext: vmail,
                  volumeMounts: [
                    mount("config", MAIL_CONFIG_DIR, { readOnly: true }),
                    mount("tables", layout.tablesDir, { readOnly: true }),
                    mount("tenants", MAIL_TENANTS_VOLUME_PATH, { readOnly: true }),
                  ],
                },
                passwordsContainer(layout, image),
              ],
              volumes: [
                { name: "config", configMap: { name: "mail-config" } },
                { name: "tables", emptyDir: {} },
                { name: "passwords", emptyDir: {} },
                { name: "tenants", emptyDir: {} },
                { name: "dovecot-run", emptyDir: {} },
                { name: "postfix-data", emptyDir: {} },
                { name: "data", persistentVolumeClaim: { claimName: "mail-data" } },
                { name: "tls", secret: { secretName: "mail-tls" } },
                tenantSyncTokenVolume(),
              ],
            },
          },
        },
      },
    },
  ];
}
