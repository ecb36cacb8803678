import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  assembleScript,
  type MailLayout,
  renderDovecotConf,
  renderOpendkimConf,
  renderPostfixMainCf,
  renderPostfixMasterCf,
  TENANT_FILES,
  TENANTS_DIR,
  VMAIL_ID,
} from "../../infra/4-builders/mail";
import {
  accepts,
  type Daemon,
  freePort,
  must,
  requireBinaries,
  run,
  startDaemon,
  tempRoot,
  waitFor,
} from "./harness";

/** One tenant's files as its Secret carries them (`stringData`). */
export interface TenantFiles {
  unitId: string;
  files: Readonly<Record<string, string>>;
}

/** The whole mail platform (Dovecot, Postfix, OpenDKIM) running on 127.0.0.1 from muni's renderers. */
export interface MailStack {
  layout: MailLayout;
  dir: string;
  /** dovecot.conf, for doveadm -c. */
  dovecotConf: string;
  /** Postfix's config directory (main.cf, master.cf). */
  postfixDir: string;
  /** The certificate the daemons present (a CA of its own; clients trust it for the test). */
  cert: string;
  postfixLog: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the mail platform's daemons as the pod runs them, with the generated dovecot.conf, main.cf,
 * master.cf and opendkim.conf under a temp dir and free loopback ports. The tenants' files are laid out
 * as the tenant sync writes them and assembled by the generated script. OpenDKIM runs in a private mount
 * namespace where the tenant tree sits at TENANTS_DIR, the path the tenants' key tables name, as the
 * mailbox owner (as in the pod).
 */
export async function startMailStack(tenants: readonly TenantFiles[], name: string): Promise<MailStack> {
  requireBinaries(
    "dovecot",
    "doveadm",
    "doveconf",
    "postconf",
    "postfix",
    "opendkim",
    "swaks",
    "openssl",
    "unshare",
  );
  const root = tempRoot(name);
  const T = root.dir;
  const daemons: Daemon[] = [];
  const asVmail = [`--reuid=${VMAIL_ID}`, `--regid=${VMAIL_ID}`, "--clear-groups"];
  const port0 = await freePort();
  const ports: number[] = [];
  for (let i = 0; ports.length < 7; i++) {
    const p = await freePort(port0 + i * 7 + ports.length);
    if (!ports.includes(p)) ports.push(p);
  }
  const [smtp, submission, imap, lmtp, auth, quotaStatus, milter] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const layout: MailLayout = {
    hostname: "mail.lodz.pl",
    tablesDir: join(T, "tables"),
    mailRoot: join(T, "mail"),
    listen: "127.0.0.1",
    smtpPort: smtp,
    submissionPort: submission,
    imapPort: imap,
    imapsPort: 0,
    internal: { lmtp, auth, quotaStatus, milter },
    tls: { cert: join(T, "tls", "tls.crt"), key: join(T, "tls", "tls.key") },
    authFailureDelay: "0",
    dovecot: {
      baseDir: join(T, "run"),
      stateDir: join(T, "state"),
      logPath: join(T, "dovecot.log"),
      instanceName: `muni-${name}-${process.pid}`,
    },
    postfix: { queueDir: join(T, "spool"), dataDir: join(T, "lib"), maillogFile: join(T, "postfix.log") },
    passwords: {
      table: join(T, "passwords", "passwords"),
      store: join(T, "mail", ".passwords", "store"),
      script: join(__dirname, "..", "..", "images", "mail", "mail_passwords.py"),
      port: 0,
    },
  };
  for (const d of ["run", "state", "mail", "spool", "lib", "etc", "tls", "passwords"])
    mkdirSync(join(T, d), { recursive: true });
  // The tenant tree as the pod's tenant sync writes it: files 0600 of the mailbox owner, the user the
  // sync, its hook (assemble.sh) and OpenDKIM run as.
  for (const t of tenants) {
    mkdirSync(join(T, "tenants", t.unitId), { recursive: true });
    for (const f of TENANT_FILES) {
      const path = join(T, "tenants", t.unitId, f);
      writeFileSync(path, t.files[f]!);
      chmodSync(path, 0o600);
    }
  }
  mkdirSync(layout.tablesDir);
  must("chown", [
    "-R",
    `${VMAIL_ID}:${VMAIL_ID}`,
    join(T, "tenants"),
    layout.tablesDir,
    join(T, "passwords"),
  ]);
  writeFileSync(join(T, "assemble.sh"), assembleScript(layout, join(T, "tenants")));
  must("setpriv", [...asVmail, "sh", join(T, "assemble.sh")]);
  must("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=mail.lodz.pl",
    "-addext",
    "subjectAltName=DNS:mail.lodz.pl,IP:127.0.0.1",
    "-keyout",
    layout.tls.key,
    "-out",
    layout.tls.cert,
  ]);
  chownSync(layout.mailRoot, VMAIL_ID, VMAIL_ID);
  must("chown", ["postfix:postfix", layout.postfix.dataDir]);
  const dovecotConf = join(T, "dovecot.conf");
  writeFileSync(dovecotConf, renderDovecotConf(layout));
  const postfixDir = join(T, "etc");
  writeFileSync(join(postfixDir, "main.cf"), renderPostfixMainCf(layout));
  writeFileSync(join(postfixDir, "master.cf"), renderPostfixMasterCf(layout));
  writeFileSync(join(T, "opendkim.conf"), renderOpendkimConf(layout));
  writeFileSync(layout.postfix.maillogFile, "");

  const stop = async () => {
    run("doveadm", ["-c", dovecotConf, "stop"]);
    run("postfix", ["-c", postfixDir, "stop"]);
    for (const d of daemons.reverse()) await d.stop();
    root.remove();
  };
  try {
    const dovecot = startDaemon("dovecot", ["-F", "-c", dovecotConf]);
    daemons.push(dovecot);
    await waitFor("dovecot", dovecot, async () => (await accepts(imap)) && (await accepts(lmtp)));
    const opendkim = startDaemon("unshare", [
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      `mkdir -p ${TENANTS_DIR} && mount --bind ${join(T, "tenants")} ${TENANTS_DIR} && exec setpriv ${asVmail.join(" ")} opendkim -f -x ${join(T, "opendkim.conf")}`,
    ]);
    daemons.push(opendkim);
    await waitFor("opendkim", opendkim, () => accepts(milter));
    must("postfix", ["-c", postfixDir, "check"]);
    const postfix = startDaemon("postfix", ["-c", postfixDir, "start-fg"]);
    daemons.push(postfix);
    await waitFor(
      "postfix",
      postfix,
      async () => (await accepts(smtp)) && (await accepts(submission)),
      20000,
    );
  } catch (e) {
    const log = (f: string) => {
      try {
        return readFileSync(join(T, f), "utf8");
      } catch {
        return "";
      }
    };
    const detail = `${log("dovecot.log")}${log("postfix.log")}`;
    await stop();
    throw new Error(`${(e as Error).message}\n${detail}`);
  }
  return {
    layout,
    dir: T,
    dovecotConf,
    postfixDir,
    cert: layout.tls.cert,
    postfixLog: () => readFileSync(layout.postfix.maillogFile, "utf8"),
    stop,
  };
}
