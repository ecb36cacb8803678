/** Where the CUPS server keeps things; the platform and the real-daemon tests render the same files. */
export interface CupsLayout {
  serverRoot: string;
  requestRoot: string;
  cacheDir: string;
  stateDir: string;
  logDir: string;
  /** `Listen` address:port. */
  listen: string;
  /** Networks allowed to reach the server (`Allow from`). */
  allowFrom: string[];
}

export function platformCupsLayout(port: number): CupsLayout {
  return {
    serverRoot: "/etc/cups",
    requestRoot: "/var/spool/cups",
    cacheDir: "/var/cache/cups",
    stateDir: "/run/cups",
    logDir: "/var/log/cups",
    listen: `*:${port}`,
    allowFrom: ["all"],
  };
}

/** cups-files.conf: file locations (ServerBin and DataDir stay at the package's defaults). */
export function renderCupsFilesConf(l: CupsLayout): string {
  return `# muni print platform: CUPS files (generated, do not edit)
ServerRoot ${l.serverRoot}
RequestRoot ${l.requestRoot}
TempDir ${l.requestRoot}/tmp
CacheDir ${l.cacheDir}
StateDir ${l.stateDir}
AccessLog ${l.logDir}/access_log
ErrorLog ${l.logDir}/error_log
PageLog ${l.logDir}/page_log
Printcap ${l.stateDir}/printcap
SystemGroup root
User lp
Group lp
`;
}

/**
 * cupsd.conf: no browsing, no web interface, queues not shared; per-queue AllowUser (from each unit's
 * printers.conf part) decides who may print; administration only from the server itself.
 */
export function renderCupsdConf(l: CupsLayout): string {
  return `# muni print platform: CUPS scheduler (generated, do not edit)
LogLevel warn
Listen ${l.listen}
Browsing No
WebInterface No
DefaultShared No
DirtyCleanInterval 0
DefaultAuthType Basic
<Location />
  Order allow,deny
${l.allowFrom.map((a) => `  Allow from ${a}`).join("\n")}
</Location>
<Location /admin>
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
`;
}
