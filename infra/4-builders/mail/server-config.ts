import { MAIL_ROOT, TENANT_FILES, type TenantFileName, TENANTS_DIR, VMAIL_ID } from "./files";

/**
 * Where the mail server keeps things. The platform uses platformMailLayout; the real-daemon tests
 * render the very same files with a layout under a temporary directory and loopback ports.
 */
export interface MailLayout {
  /** Host name Postfix greets with (the MX host). */
  hostname: string;
  /** Directory of the assembled lookup tables (every tenant's files concatenated). */
  tablesDir: string;
  /** Root of the mailboxes: `<mailRoot>/<domain>/<local part>`. */
  mailRoot: string;
  /** Address the public services listen on (`*`: every address of the pod). */
  listen: string;
  /** SMTP port of the MX (25): mail for the tenants, no AUTH, no relaying. */
  smtpPort: number;
  /** Submission port (587): STARTTLS required, AUTH against Dovecot, OpenDKIM signs. */
  submissionPort: number;
  /**
   * Implicit-TLS submission port (465, RFC 8314 "submissions"): TLS from the first byte, then as the
   * submission port. Unset or 0: none.
   */
  submissionsPort?: number;
  /** IMAP port (143, STARTTLS) and IMAPS port (993; 0: none). */
  imapPort: number;
  imapsPort: number;
  /**
   * Ports on 127.0.0.1 the pod's containers talk over (they share its network namespace): Dovecot
   * LMTP (Postfix delivers there), Dovecot auth (Postfix's SASL), Dovecot quota-status (Postfix's
   * policy check at RCPT), OpenDKIM's milter.
   */
  internal: { lmtp: number; auth: number; quotaStatus: number; milter: number };
  /** TLS certificate and key files (submission and IMAP authenticate only over TLS). */
  tls: { cert: string; key: string };
  /** Dovecot `auth_failure_delay`: "2 secs" against guessing, "0" in tests. */
  authFailureDelay: string;
  /** Dovecot runtime, state and log places, and its instance name. */
  dovecot: { baseDir: string; stateDir: string; logPath?: string; instanceName: string };
  /** Postfix queue and data directories, and its log file (`/dev/stdout`: the container's log). */
  postfix: { queueDir: string; dataDir: string; maillogFile: string };
  /**
   * Passwords users set themselves (images/mail/mail_passwords.py): the effective passwd-file Dovecot asks
   * first (`table`), the store on the data volume it is made from (`store`), the script (`script`, where the
   * image installs it) and the HTTPS port of the self-service (`port`).
   */
  passwords: { table: string; store: string; script: string; port: number };
}

/** Where the images install images/mail/mail_passwords.py (images/mail/Dockerfile). */
export const MAIL_PASSWORDS_SCRIPT = "/usr/local/lib/muni/mail_passwords.py";
/** The HTTPS port of the password self-service. */
export const PASSWORD_PORT = 8443;

/** The layout inside the platform's mail server pod. */
export function platformMailLayout(hostname: string): MailLayout {
  return {
    hostname,
    tablesDir: "/etc/muni/mail",
    mailRoot: MAIL_ROOT,
    listen: "*",
    smtpPort: 25,
    submissionPort: 587,
    submissionsPort: 465,
    imapPort: 143,
    imapsPort: 993,
    internal: { lmtp: 24, auth: 12345, quotaStatus: 12340, milter: 8891 },
    tls: { cert: "/etc/muni/tls/tls.crt", key: "/etc/muni/tls/tls.key" },
    authFailureDelay: "2 secs",
    dovecot: { baseDir: "/run/dovecot", stateDir: "/srv/mail/.dovecot-state", instanceName: "muni-mail" },
    postfix: {
      queueDir: "/srv/mail/.postfix-queue",
      dataDir: "/var/lib/postfix",
      maillogFile: "/dev/stdout",
    },
    passwords: {
      table: "/etc/muni/passwords/passwords",
      store: `${MAIL_ROOT}/.passwords/store`,
      script: MAIL_PASSWORDS_SCRIPT,
      port: PASSWORD_PORT,
    },
  };
}

/** Tables the platform assembles (every tenant's file of that name, concatenated); dkim.key stays per tenant. */
export const ASSEMBLED_TABLES = TENANT_FILES.filter((f) => f !== "dkim.key") as Exclude<
  TenantFileName,
  "dkim.key"
>[];

/** The regexp table, in the tables directory, that makes each address its own (only) owner for submission. */
export const SENDER_LOGIN_MAP = "sender-login.regexp";

/**
 * The assembled tables from every tenant's files (what the mail pod's hook, assembleScript, writes), in the
 * byte order of the paths `<unit id>/<table>` its glob expands to under LC_ALL=C: `css-2/` before `css/`.
 */
export function assembleTables(
  tenants: ReadonlyArray<{ unitId: string; files: Readonly<Record<string, string>> }>,
): Record<string, string> {
  const key = (unitId: string) => `${unitId}/`;
  const sorted = [...tenants].sort((a, b) => (key(a.unitId) < key(b.unitId) ? -1 : 1));
  return Object.fromEntries(ASSEMBLED_TABLES.map((t) => [t, sorted.map((x) => x.files[t] ?? "").join("")]));
}

/**
 * The tenant sync's hook: the same concatenation as assembleTables, in POSIX sh; then the passwords users
 * set are re-applied to the new tables (an address re-created with a new maildir starts from its initial
 * password again); last the generation, which makes Postfix and OpenDKIM reload.
 */
export function assembleScript(l: MailLayout, tenantsDir: string = TENANTS_DIR): string {
  const tablesDir = l.tablesDir;
  return [
    "#!/bin/sh",
    "# muni: assemble the mail platform's tables from every tenant's Secret (generated, do not edit)",
    "set -eu",
    "export LC_ALL=C",
    `mkdir -p ${tablesDir}`,
    "# one cat per table over every tenant's file (the glob sorts the paths bytewise under LC_ALL=C): 10,000 tenants",
    "# are 7 processes, not 70,000",
    `for t in ${ASSEMBLED_TABLES.join(" ")}; do`,
    `  set -- ${tenantsDir}/*/"$t"`,
    `  if [ -f "$1" ]; then cat "$@" > ${tablesDir}/$t.new; else : > ${tablesDir}/$t.new; fi`,
    `  mv ${tablesDir}/$t.new ${tablesDir}/$t`,
    "done",
    "# submission: a client sends only as the address it logged in with (smtpd_sender_login_maps: owner = address)",
    `printf '%s\\n' '/^(.+)$/ \${1}' > ${tablesDir}/${SENDER_LOGIN_MAP}`,
    `chmod 0644 ${tablesDir}/*`,
    "# the passwords users set, for the mailboxes that still have the maildir they were set for",
    `python3 ${l.passwords.script} effective --tables ${tablesDir} --store ${l.passwords.store} --out ${l.passwords.table}`,
    "# the daemons' wrappers reload when the generation changes",
    `cat ${tablesDir}/* | cksum > ${tablesDir}/.generation.new`,
    `mv ${tablesDir}/.generation.new ${tablesDir}/.generation`,
    "",
  ].join("\n");
}

/**
 * The wrapper each reloading daemon container runs: `with-reload.sh '<reload>' '<stop>' <daemon> <args...>`
 * starts the daemon, and whenever the tables' generation file changes runs `<reload>` (sh, with the
 * daemon's pid in $PID) in its own container. On SIGTERM it runs `<stop>`; it exits with the daemon.
 */
export function reloadWrapperScript(generationFile: string, pollSeconds = 2): string {
  return `#!/bin/sh
# muni: run a daemon, reload it when the assembled tables change (generated, do not edit)
set -u
reload="$1"
stop="$2"
shift 2
"$@" &
PID=$!
export PID
trap 'sh -c "$stop"' TERM INT
seen="$(cat ${generationFile} 2>/dev/null || true)"
while kill -0 "$PID" 2>/dev/null; do
  sleep ${pollSeconds} &
  wait $! || true
  now="$(cat ${generationFile} 2>/dev/null || true)"
  if [ "$now" != "$seen" ]; then
    seen="$now"
    echo "muni: tables changed (generation $now): $reload" >&2
    sh -c "$reload" || echo "muni: reload failed: $reload" >&2
  fi
done
wait "$PID"
`;
}

/**
 * dovecot.conf: passwd-file accounts with SHA512-CRYPT, per-mailbox quota (over quota, LMTP and the
 * quota-status policy Postfix asks at RCPT both answer 552 5.2.2), IMAP, LMTP, and the auth service
 * Postfix's submission authenticates against.
 */
export function renderDovecotConf(l: MailLayout): string {
  const loopback = (name: string, port: number) =>
    `  inet_listener ${name} {\n    address = 127.0.0.1\n    port = ${port}\n  }\n`;
  return `# muni mail platform: Dovecot (generated, do not edit)
base_dir = ${l.dovecot.baseDir}
state_dir = ${l.dovecot.stateDir}
instance_name = ${l.dovecot.instanceName}
${l.dovecot.logPath ? `log_path = ${l.dovecot.logPath}\n` : ""}protocols = imap lmtp
listen = ${l.listen}
ssl = required
ssl_cert = <${l.tls.cert}
ssl_key = <${l.tls.key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = ${l.authFailureDelay}
auth_username_format = %Lu
mail_location = maildir:~/Maildir
first_valid_uid = ${VMAIL_ID}
last_valid_uid = ${VMAIL_ID}
mail_plugins = $mail_plugins quota
lmtp_rcpt_check_quota = yes
protocol imap {
  mail_plugins = $mail_plugins imap_quota
}
plugin {
  quota = count:User quota
  quota_vsizes = yes
  quota_grace = 10%%
  quota_status_success = DUNNO
  quota_status_nouser = DUNNO
  quota_status_overquota = "552 5.2.2 Mailbox is full"
}
# 1. the password the user set (images/mail/mail_passwords.py); 2. a user who set one is refused with any
# other (deny: the initial password stops working); 3. the generated initial password from the tenant tables.
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%Lu ${l.passwords.table}
}
passdb {
  driver = passwd-file
  args = username_format=%Lu ${l.passwords.table}
  deny = yes
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
    port = ${l.imapPort}
  }
  inet_listener imaps {
    port = ${l.imapsPort}
${l.imapsPort ? "    ssl = yes\n" : ""}  }
}
service lmtp {
${loopback("lmtp", l.internal.lmtp)}}
service auth {
${loopback("postfix", l.internal.auth)}}
service quota-status {
  executable = quota-status -p postfix
  client_limit = 1
${loopback("postfix", l.internal.quotaStatus)}}
`;
}

/**
 * Postfix main.cf: virtual domains, mailboxes and aliases from the assembled texthash tables, delivery
 * over LMTP to Dovecot, the quota check at RCPT, no relaying but for authenticated senders.
 */
export function renderPostfixMainCf(l: MailLayout): string {
  const t = (f: string) => `texthash:${l.tablesDir}/${f}`;
  return `# muni mail platform: Postfix (generated, do not edit)
compatibility_level = 3.6
myhostname = ${l.hostname}
mydestination =
alias_maps =
alias_database =
mynetworks =
inet_interfaces = ${l.listen === "*" ? "all" : l.listen}
inet_protocols = ipv4
queue_directory = ${l.postfix.queueDir}
data_directory = ${l.postfix.dataDir}
maillog_file_prefixes = /dev/stdout, ${l.postfix.maillogFile.replace(/\/[^/]*$/, "")}
maillog_file = ${l.postfix.maillogFile}
virtual_mailbox_domains = ${t("domains")}
virtual_mailbox_maps = ${t("vmailbox")}
virtual_alias_maps = ${t("virtual")}
virtual_transport = lmtp:inet:127.0.0.1:${l.internal.lmtp}
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = check_policy_service inet:127.0.0.1:${l.internal.quotaStatus}, permit_sasl_authenticated, reject_unauth_destination
smtpd_sender_login_maps = regexp:${l.tablesDir}/${SENDER_LOGIN_MAP}
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:${l.internal.auth}
smtpd_sasl_auth_enable = no
smtpd_tls_cert_file = ${l.tls.cert}
smtpd_tls_key_file = ${l.tls.key}
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
milter_default_action = tempfail
`;
}

/**
 * Postfix master.cf: the MX on smtpPort (no AUTH, no signing), submission on submissionPort (STARTTLS
 * required, AUTH against Dovecot, only authenticated clients, OpenDKIM signs) and, when set, the same
 * submission with implicit TLS on submissionsPort (RFC 8314: `smtpd_tls_wrappermode`), and Postfix's own
 * services. Nothing is chrooted: the container is the confinement.
 */
export function renderPostfixMasterCf(l: MailLayout): string {
  // service, type, private, wakeup, maxproc, command: as Debian's master.cf, but chroot n everywhere.
  const row = ([name, type, priv, wakeup, maxproc, command]: readonly string[]) =>
    `${name!.padEnd(10)} ${type!.padEnd(10)} ${priv!.padEnd(7)} -       n       ${wakeup!.padEnd(7)} ${maxproc!.padEnd(7)} ${command}`;
  const submission = (name: string, tls: string[]) => [
    `syslog_name=postfix/${name}`,
    ...tls,
    "smtpd_sasl_auth_enable=yes",
    "smtpd_client_restrictions=permit_sasl_authenticated,reject",
    "smtpd_relay_restrictions=permit_sasl_authenticated,reject",
    // A mailbox sends only as itself: another unit's address (which OpenDKIM would sign) is refused.
    "smtpd_sender_restrictions=reject_sender_login_mismatch",
    `smtpd_milters=inet:127.0.0.1:${l.internal.milter}`,
  ];
  return [
    "# muni mail platform: Postfix master.cf (generated, do not edit)",
    row([String(l.smtpPort), "inet", "n", "-", "-", "smtpd"]),
    row([String(l.submissionPort), "inet", "n", "-", "-", "smtpd"]),
    ...submission("submission", ["smtpd_tls_security_level=encrypt"]).map((o) => `  -o ${o}`),
    ...(l.submissionsPort
      ? [
          row([String(l.submissionsPort), "inet", "n", "-", "-", "smtpd"]),
          ...submission("submissions", ["smtpd_tls_wrappermode=yes"]).map((o) => `  -o ${o}`),
        ]
      : []),
    ...(
      [
        ["pickup", "unix", "n", "60", "1", "pickup"],
        ["cleanup", "unix", "n", "-", "0", "cleanup"],
        ["qmgr", "unix", "n", "300", "1", "qmgr"],
        ["tlsmgr", "unix", "-", "1000?", "1", "tlsmgr"],
        ["rewrite", "unix", "-", "-", "-", "trivial-rewrite"],
        ["bounce", "unix", "-", "-", "0", "bounce"],
        ["defer", "unix", "-", "-", "0", "bounce"],
        ["trace", "unix", "-", "-", "0", "bounce"],
        ["verify", "unix", "-", "-", "1", "verify"],
        ["flush", "unix", "n", "1000?", "0", "flush"],
        ["proxymap", "unix", "-", "-", "-", "proxymap"],
        ["proxywrite", "unix", "-", "-", "1", "proxymap"],
        ["smtp", "unix", "-", "-", "-", "smtp"],
        ["relay", "unix", "-", "-", "-", "smtp"],
        ["showq", "unix", "n", "-", "-", "showq"],
        ["error", "unix", "-", "-", "-", "error"],
        ["retry", "unix", "-", "-", "-", "error"],
        ["discard", "unix", "-", "-", "-", "discard"],
        ["lmtp", "unix", "-", "-", "-", "lmtp"],
        ["anvil", "unix", "-", "-", "1", "anvil"],
        ["scache", "unix", "-", "-", "1", "scache"],
        ["postlog", "unix-dgram", "n", "-", "1", "postlogd"],
      ] as const
    ).map(row),
    "",
  ].join("\n");
}

/**
 * OpenDKIM: signs mail from every tenant domain with the tenant's key, as a milter on 127.0.0.1.
 * RequireSafeKeys is off: the keys sit in the pod's tenant emptyDir, which Kubernetes creates
 * world-writable (0777, OpenDKIM then calls every key in it unsafe); the key files themselves are 0600
 * of the mailbox owner, and only the pod's containers see that volume.
 */
export function renderOpendkimConf(l: MailLayout): string {
  return `# muni mail platform: OpenDKIM (generated, do not edit)
Syslog no
RequireSafeKeys false
Mode s
Canonicalization relaxed/simple
KeyTable ${l.tablesDir}/opendkim-keytable
SigningTable refile:${l.tablesDir}/opendkim-signingtable
Socket inet:${l.internal.milter}@127.0.0.1
`;
}
