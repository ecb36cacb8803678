import { MAIL_ROOT, TENANT_FILES, type TenantFileName, TENANTS_DIR, VMAIL_ID } from "./files";

/**
 * Where the mail server keeps things. The platform uses PLATFORM_MAIL_LAYOUT; the real-daemon tests
 * render the very same files with a layout under a temporary directory and loopback ports.
 */
export interface MailLayout {
  /** Host name Postfix greets with (the MX host). */
  hostname: string;
  /** Directory of the assembled lookup tables (every tenant's files concatenated). */
  tablesDir: string;
  /** Root of the mailboxes: `<mailRoot>/<domain>/<local part>`. */
  mailRoot: string;
  /** Address the daemons listen on. */
  listen: string;
  /** IMAP (STARTTLS) port; IMAPS port, 0 for none. */
  imapPort: number;
  imapsPort: number;
  /** Dovecot LMTP port on 127.0.0.1 that Postfix delivers to; 0 for none (Debian's dovecot-lmtpd). */
  lmtpPort: number;
  /** TLS certificate and key files; unset only for the loopback tests. */
  tls?: { cert: string; key: string };
  /** Dovecot `auth_failure_delay`: "2 secs" against guessing, "0" in tests. */
  authFailureDelay: string;
  /** Dovecot `login_trusted_networks` (no auth penalty from there); unset in production, loopback in tests. */
  trustedNetworks?: string;
  /** Dovecot runtime, state and log places, and its instance name. */
  dovecot: { baseDir: string; stateDir: string; logPath?: string; instanceName: string };
  /** Postfix queue and data directories, and its log file (unset: syslog/stdout of the container). */
  postfix: { queueDir: string; dataDir: string; maillogFile?: string };
}

/** The layout inside the platform's mail server container. */
export function platformMailLayout(hostname: string): MailLayout {
  return {
    hostname,
    tablesDir: "/etc/muni/mail",
    mailRoot: MAIL_ROOT,
    listen: "*",
    imapPort: 143,
    imapsPort: 993,
    lmtpPort: 24,
    tls: { cert: "/etc/muni/tls/tls.crt", key: "/etc/muni/tls/tls.key" },
    authFailureDelay: "2 secs",
    dovecot: { baseDir: "/run/dovecot", stateDir: "/srv/mail/.dovecot-state", instanceName: "muni-mail" },
    postfix: {
      queueDir: "/srv/mail/.postfix-queue",
      dataDir: "/var/lib/postfix",
      maillogFile: "/dev/stdout",
    },
  };
}

/** Tables the platform assembles (every tenant's file of that name, concatenated); dkim.key stays per tenant. */
export const ASSEMBLED_TABLES = TENANT_FILES.filter((f) => f !== "dkim.key") as Exclude<
  TenantFileName,
  "dkim.key"
>[];

/** The assembled tables from every tenant's files, in unit-id order (what the platform's init step writes). */
export function assembleTables(
  tenants: ReadonlyArray<{ unitId: string; files: Readonly<Record<string, string>> }>,
): Record<string, string> {
  const sorted = [...tenants].sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  return Object.fromEntries(ASSEMBLED_TABLES.map((t) => [t, sorted.map((x) => x.files[t] ?? "").join("")]));
}

/** The init step of the mail server: the same concatenation as assembleTables, in POSIX sh. */
export function assembleScript(tablesDir: string, tenantsDir: string = TENANTS_DIR): string {
  return [
    "#!/bin/sh",
    "# muni: assemble the mail platform's tables from every tenant's Secret (generated, do not edit)",
    "set -eu",
    "export LC_ALL=C",
    `mkdir -p ${tablesDir}`,
    `for t in ${ASSEMBLED_TABLES.join(" ")}; do`,
    `  : > ${tablesDir}/$t.new`,
    `  for d in ${tenantsDir}/*/; do [ -f "$d$t" ] && cat "$d$t" >> ${tablesDir}/$t.new; done`,
    `  mv ${tablesDir}/$t.new ${tablesDir}/$t`,
    "done",
    `chmod 0644 ${tablesDir}/*`,
    "",
  ].join("\n");
}

/** dovecot.conf: passwd-file accounts with SHA512-CRYPT, per-mailbox quota, IMAP and LMTP. */
export function renderDovecotConf(l: MailLayout): string {
  const protocols = l.lmtpPort ? "imap lmtp" : "imap";
  return `# muni mail platform: Dovecot (generated, do not edit)
base_dir = ${l.dovecot.baseDir}
state_dir = ${l.dovecot.stateDir}
instance_name = ${l.dovecot.instanceName}
${l.dovecot.logPath ? `log_path = ${l.dovecot.logPath}\n` : ""}protocols = ${protocols}
listen = ${l.listen}
${l.tls ? `ssl = required\nssl_cert = <${l.tls.cert}\nssl_key = <${l.tls.key}\nssl_min_protocol = TLSv1.2\ndisable_plaintext_auth = yes` : "ssl = no\ndisable_plaintext_auth = no"}
auth_mechanisms = plain login
auth_failure_delay = ${l.authFailureDelay}
${l.trustedNetworks ? `login_trusted_networks = ${l.trustedNetworks}\n` : ""}auth_username_format = %Lu
mail_location = maildir:~/Maildir
first_valid_uid = ${VMAIL_ID}
last_valid_uid = ${VMAIL_ID}
mail_plugins = $mail_plugins quota
protocol imap {
  mail_plugins = $mail_plugins imap_quota
}
plugin {
  quota = count:User quota
  quota_vsizes = yes
  quota_status_success = DUNNO
  quota_status_overquota = "552 5.2.2 Mailbox is full"
}
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%Lu ${l.tablesDir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu ${l.tablesDir}/users
  default_fields = home=${l.mailRoot}/%Ld/%Ln
}
service imap-login {
  inet_listener imap {
    address = ${l.listen}
    port = ${l.imapPort}
  }
  inet_listener imaps {
    port = ${l.imapsPort}
${l.imapsPort ? "    ssl = yes\n" : ""}  }
}
${
  l.lmtpPort
    ? `service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${l.lmtpPort}
  }
}
`
    : ""
}`;
}

/** Postfix main.cf: virtual domains, mailboxes and aliases from the assembled texthash tables. */
export function renderPostfixMainCf(l: MailLayout): string {
  const t = (f: string) => `texthash:${l.tablesDir}/${f}`;
  return `# muni mail platform: Postfix (generated, do not edit)
compatibility_level = 3.6
myhostname = ${l.hostname}
mydestination =
inet_interfaces = ${l.listen === "*" ? "all" : l.listen === "127.0.0.1" ? "loopback-only" : l.listen}
queue_directory = ${l.postfix.queueDir}
data_directory = ${l.postfix.dataDir}
${l.postfix.maillogFile ? `maillog_file_prefixes = /dev/stdout, ${l.postfix.maillogFile.replace(/\/[^/]*$/, "")}\nmaillog_file = ${l.postfix.maillogFile}\n` : ""}virtual_mailbox_domains = ${t("domains")}
virtual_mailbox_maps = ${t("vmailbox")}
virtual_alias_maps = ${t("virtual")}
virtual_mailbox_base = ${l.mailRoot}
virtual_uid_maps = static:${VMAIL_ID}
virtual_gid_maps = static:${VMAIL_ID}
virtual_transport = ${l.lmtpPort ? `lmtp:inet:127.0.0.1:${l.lmtpPort}` : "virtual"}
smtpd_recipient_restrictions = reject_unauth_destination
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
${l.tls ? `smtpd_tls_cert_file = ${l.tls.cert}\nsmtpd_tls_key_file = ${l.tls.key}\nsmtpd_tls_security_level = may\n` : ""}milter_default_action = accept
`;
}
