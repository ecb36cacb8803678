/** Where the CUPS server keeps things; the platform pod and the real-daemon tests render the same files. */
export interface CupsLayout {
  serverRoot: string;
  requestRoot: string;
  cacheDir: string;
  stateDir: string;
  /** `Listen` address:port (besides the local socket `<stateDir>/cups.sock`). */
  listen: string;
  /** Host name clients use; names the TLS certificate `<keychain>/<serverName>.crt|.key`. */
  serverName: string;
  /** Directory with the TLS certificate and key (the Secret's items). */
  keychain: string;
  /** User names of the central administrators (HTTP Basic, PAM); cupsd always lets root (local socket) in. */
  administrators: readonly string[];
}

/** The platform pod's layout. */
export function platformCupsLayout(
  port: number,
  serverName: string,
  administrators: readonly string[],
): CupsLayout {
  return {
    serverRoot: "/etc/cups",
    requestRoot: "/var/spool/cups",
    cacheDir: "/var/cache/cups",
    stateDir: "/run/cups",
    listen: `*:${port}`,
    serverName,
    keychain: "/etc/muni/tls",
    administrators,
  };
}

/**
 * cups-files.conf: file locations, logs to stderr (the container's log), the TLS keychain from a Secret
 * (never a self-signed certificate), root as the system group (root on the local socket administers).
 */
export function renderCupsFilesConf(l: CupsLayout): string {
  return `# muni print platform: CUPS files (generated, do not edit)
ServerRoot ${l.serverRoot}
RequestRoot ${l.requestRoot}
TempDir ${l.requestRoot}/tmp
CacheDir ${l.cacheDir}
StateDir ${l.stateDir}
ServerKeychain ${l.keychain}
CreateSelfSignedCerts no
AccessLog stderr
ErrorLog stderr
PageLog stderr
Printcap ${l.stateDir}/printcap
FileDevice No
SystemGroup root
User lp
Group lp
`;
}

/** The group of the central administrators, from libnss-extrausers' group file (renderAdminGroup). */
export const ADMIN_GROUP = "muni-print-admins";

/** /var/lib/extrausers/group: the administrators' group, so cupsd's `@group` check finds them by name. */
export function renderAdminGroup(l: Pick<CupsLayout, "administrators">): string {
  return `${ADMIN_GROUP}:x:4990:${l.administrators.join(",")}\n`;
}

/**
 * /var/lib/extrausers/passwd: an entry per administrator (no login, no password: PAM checks theirs),
 * because cupsd's authorization looks the authenticated user up before matching names and groups.
 */
export function renderAdminPasswd(l: Pick<CupsLayout, "administrators">): string {
  return l.administrators
    .map((a, i) => `${a}:x:${4991 + i}:4990:muni print administrator:/nonexistent:/usr/sbin/nologin\n`)
    .join("");
}

/** /etc/nsswitch.conf of the cupsd container: the image's files, then libnss-extrausers. */
export const NSSWITCH_CONF = `# muni print platform (generated, do not edit)
passwd: files extrausers
group: files extrausers
shadow: files
hosts: files dns
`;

/** IPP operations anyone may make: reading queues and (privacy-limited) jobs. */
export const READ_OPERATIONS = [
  "Get-Printer-Attributes",
  "Get-Printer-Supported-Values",
  "Get-Jobs",
  "Get-Job-Attributes",
  "CUPS-Get-Printers",
  "CUPS-Get-Classes",
  "CUPS-Get-Default",
] as const;

/** IPP operations that submit a job: an authenticated user (AllowUser on the queue decides whose). */
export const SUBMIT_OPERATIONS = ["Create-Job", "Print-Job", "Print-URI", "Validate-Job"] as const;

/** Adding documents to a job just created: its owner. */
export const DOCUMENT_OPERATIONS = ["Send-Document", "Send-URI", "Close-Job"] as const;

/** Operations CUPS would otherwise derive from a template: named so they fall under the administrators. */
export const ADMIN_ONLY_OPERATIONS = ["Cancel-Jobs", "Cancel-My-Jobs", "CUPS-Get-Document"] as const;

/**
 * cupsd.conf. Queues are shared (remote clients submit) and the server neither browses nor serves its
 * web interface. Every IPP operation on every path (/admin, /printers/<q>, /classes, /jobs) is governed
 * by the default policy: reading is open; submitting needs an authenticated user (HTTP Basic over TLS,
 * `DefaultEncryption Required`), and each queue's AllowUser admits only its unit's print account;
 * a job's documents may be added by its owner; EVERY other operation (any that changes a queue, a class,
 * a job or the server: pause, resume, delete, purge, cancel, move, hold, set attributes, add/modify,
 * subscriptions...) needs a central administrator (`Require user @SYSTEM @muni-print-admins`: root on the local socket, and the administrators). The /admin
 * resources (configuration, logs) need the same.
 */
export function renderCupsdConf(l: CupsLayout): string {
  // @SYSTEM (SystemGroup root): root on the local socket, the tenant sync's lpadmin. The central
  // administrators by group: cupsd 2.4 looks every authenticated user up in passwd before matching, so
  // they get entries and a group from libnss-extrausers (renderAdminPasswd, renderAdminGroup).
  const admins = `@SYSTEM @${ADMIN_GROUP}`;
  const adminLocation = (path: string) => `<Location ${path}>
  AuthType Basic
  Encryption Required
  Require user ${admins}
  Order allow,deny
  Allow from all
</Location>`;
  return `# muni print platform: CUPS scheduler (generated, do not edit)
LogLevel warn
Listen ${l.listen}
Listen ${l.stateDir}/cups.sock
ServerName ${l.serverName}
ServerAlias *
Browsing No
WebInterface No
DefaultShared Yes
DirtyCleanInterval 0
DefaultAuthType Basic
DefaultEncryption Required
<Location />
  Order allow,deny
  Allow from all
</Location>
${adminLocation("/admin")}
${adminLocation("/admin/conf")}
${adminLocation("/admin/log")}
<Policy default>
  JobPrivateAccess @OWNER ${admins}
  JobPrivateValues default
  SubscriptionPrivateAccess @OWNER ${admins}
  SubscriptionPrivateValues default
  <Limit ${READ_OPERATIONS.join(" ")}>
    Order deny,allow
  </Limit>
  <Limit ${SUBMIT_OPERATIONS.join(" ")}>
    AuthType Basic
    Require valid-user
    Order deny,allow
  </Limit>
  <Limit ${DOCUMENT_OPERATIONS.join(" ")}>
    AuthType Basic
    Require user @OWNER
    Order deny,allow
  </Limit>
  <Limit ${ADMIN_ONLY_OPERATIONS.join(" ")}>
    AuthType Basic
    Require user ${admins}
    Order deny,allow
  </Limit>
  <Limit All>
    AuthType Basic
    Require user ${admins}
    Order deny,allow
  </Limit>
</Policy>
`;
}

/**
 * /etc/pam.d/cups: HTTP Basic passwords are checked against the central administrators' file (a Secret
 * they keep, `<user>:<SHA-512 crypt>` lines) and then the units' print accounts the tenant sync
 * assembles (libpam-pwdfile).
 */
export function renderPamCups(adminsFile: string, accountsFile: string): string {
  return `# muni print platform: PAM for cupsd's HTTP Basic (generated, do not edit)
auth sufficient pam_pwdfile.so pwdfile=${adminsFile}
auth required pam_pwdfile.so pwdfile=${accountsFile}
account required pam_permit.so
`;
}
