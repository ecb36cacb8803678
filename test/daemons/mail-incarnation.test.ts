import { chownSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type DataHistory, EMPTY_HISTORY, mailTenant, type Unit } from "../../infra/1-model";
import { loadUnitFile } from "../../infra/2-manifest/units";
import {
  assembleScript,
  type MailLayout,
  renderDovecotConf,
  renderTenantFiles,
  TENANT_FILES,
  VMAIL_ID,
} from "../../infra/4-builders/mail";
import { secretsFromValues } from "../../infra/4-builders/secrets";
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

// Issue 13, point 7, in the real Debian Dovecot: mpu's mailbox dyrektor@mpu.lodz.pl holds mail, is retired,
// and the address is created again for someone else. The new mailbox must start empty; the old mail stays.

const ADDRESS = "dyrektor@mpu.lodz.pl";

/** mpu's tenant files with every generated value fixed (a password per account, a salt, a key). */
function tenantFiles(unit: Unit, history: DataHistory, mailRoot: string): Record<string, string> {
  const tenant = mailTenant(unit, history)!;
  const values: Record<string, string> = { [tenant.dkimKey.id]: "not-a-key" };
  for (const a of tenant.accounts) {
    values[a.password.id] = `Haslo${a.localPart.length}x`;
    values[a.salt.id] = "abcdefgh12345678";
  }
  return renderTenantFiles(tenant, secretsFromValues(values), "muni", undefined, mailRoot);
}

describe("a re-created address in real Dovecot starts with an empty mailbox (incarnations)", () => {
  let root: ReturnType<typeof tempRoot>;
  let layout: MailLayout;
  let conf: string;
  let dovecot: Daemon | undefined;
  let mpu: Unit;
  const T = () => root.dir;
  const install = (files: Record<string, string>) => {
    mkdirSync(join(T(), "tenants", "mpu"), { recursive: true });
    for (const f of TENANT_FILES) writeFileSync(join(T(), "tenants", "mpu", f), files[f]!);
    must("sh", [join(T(), "assemble.sh")]);
  };
  const messages = (address: string) =>
    must("doveadm", [
      "-c",
      conf,
      "-f",
      "flow",
      "mailbox",
      "status",
      "-u",
      address,
      "messages",
      "INBOX",
    ]).trim();
  /** The home Dovecot's userdb gives the address (`doveadm user` prints one `field<TAB>value` per line). */
  const home = (address: string) =>
    must("doveadm", ["-c", conf, "user", address])
      .split("\n")
      .find((l) => l.startsWith("home\t"))
      ?.slice("home\t".length);

  beforeAll(async () => {
    requireBinaries("dovecot", "doveadm");
    mpu = loadUnitFile(join(__dirname, "..", "..", "units", "mpu.yaml")).unit!.unit;
    root = tempRoot("mail-incarnation");
    const port = await freePort();
    layout = {
      hostname: "mail.lodz.pl",
      tablesDir: join(T(), "tables"),
      mailRoot: join(T(), "mail"),
      listen: "127.0.0.1",
      imapPort: port,
      imapsPort: 0,
      lmtpPort: 0,
      authFailureDelay: "0",
      trustedNetworks: "127.0.0.0/8",
      dovecot: {
        baseDir: join(T(), "run"),
        stateDir: join(T(), "state"),
        logPath: join(T(), "dovecot.log"),
        instanceName: `muni-incarnation-${process.pid}`,
      },
      postfix: { queueDir: join(T(), "spool"), dataDir: join(T(), "lib") },
    };
    writeFileSync(join(T(), "assemble.sh"), assembleScript(layout.tablesDir, join(T(), "tenants")));
    for (const d of ["run", "state", "mail"]) mkdirSync(join(T(), d), { recursive: true });
    chownSync(layout.mailRoot, VMAIL_ID, VMAIL_ID);
    conf = join(T(), "dovecot.conf");
    writeFileSync(conf, renderDovecotConf(layout));
    // GIVEN mpu's tenant as first provisioned (every mailbox in its first incarnation), mail in dyrektor's INBOX
    install(tenantFiles(mpu, EMPTY_HISTORY, layout.mailRoot));
    dovecot = startDaemon("dovecot", ["-F", "-c", conf]);
    await waitFor(
      "dovecot",
      dovecot,
      async () => (await accepts(port)) && run("doveadm", ["-c", conf, "who"]).status !== 75,
    );
    const mail = "From: rada@lodz.pl\nTo: dyrektor@mpu.lodz.pl\nSubject: Uchwala\n\nPoufne.\n";
    must("doveadm", ["-c", conf, "save", "-u", ADDRESS, "-m", "INBOX"], { input: mail });
  }, 30000);

  afterAll(async () => {
    if (dovecot) {
      run("doveadm", ["-c", conf, "stop"]);
      await dovecot.stop();
    }
    root?.remove();
  });

  it("THEN before the retirement the first director's mail is in the first incarnation's directory", () => {
    expect([home(ADDRESS), messages(ADDRESS)]).toStrictEqual([
      join(layout.mailRoot, "mpu.lodz.pl", "dyrektor"),
      "INBOX messages=1",
    ]);
  });

  it("WHEN the address is retired and created again (incarnation 2) THEN Dovecot gives it a new home with an empty INBOX, the old mail stays on the volume, and other mailboxes are untouched", async () => {
    // The ledger after `muni ledger --retire mpu/mailbox/dyrektor@mpu.lodz.pl` and the re-created mailbox.
    const history: DataHistory = {
      ...EMPTY_HISTORY,
      mailboxes: { [ADDRESS]: 2 },
      retired: [
        {
          kind: "mailbox",
          name: ADDRESS,
          on: "2027-02-15",
          kept: ["Maildir platform-mail/mpu.lodz.pl/dyrektor"],
          incarnation: 1,
        },
      ],
    };
    install(tenantFiles(mpu, history, layout.mailRoot));
    // Dovecot checks a passwd-file for changes at most once a second: let that second pass (the platform
    // itself assembles the tables when its pod starts, which a new incarnation makes it do).
    await new Promise((r) => setTimeout(r, 1100));
    expect([home(ADDRESS), messages(ADDRESS)]).toStrictEqual([
      join(layout.mailRoot, "mpu.lodz.pl", "dyrektor~2"),
      "INBOX messages=0",
    ]);
    const old = join(layout.mailRoot, "mpu.lodz.pl", "dyrektor", "Maildir");
    expect(readdirSync(join(old, "new")).length + readdirSync(join(old, "cur")).length).toBe(1);
    expect(home("sekretariat@mpu.lodz.pl")).toBe(join(layout.mailRoot, "mpu.lodz.pl", "sekretariat"));
  });
});
