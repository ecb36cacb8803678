import { chownSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  assembleScript,
  type MailLayout,
  renderDovecotConf,
  renderPostfixMainCf,
  TENANT_FILES,
  VMAIL_ID,
} from "../../infra/4-builders/mail";
import type { Registered } from "../helpers/pulumi";
import {
  accepts,
  type Daemon,
  freePort,
  imapLogin,
  must,
  requireBinaries,
  run,
  startDaemon,
  tempRoot,
  waitFor,
} from "./harness";
import { objectNamed, registeredBy } from "./program";

const UNITS = ["css", "mpu", "zzm"] as const;

describe("the Łódź mail tenants in real Dovecot and Postfix (Debian packages, 127.0.0.1)", () => {
  let registered: Registered[];
  let root: ReturnType<typeof tempRoot>;
  let layout: MailLayout;
  let dovecot: Daemon | undefined;
  let conf: string;
  /** address → generated initial password, from each unit's mail-initial-passwords Secret. */
  const passwords = new Map<string, string>();

  beforeAll(async () => {
    requireBinaries("dovecot", "doveadm", "doveconf", "postconf", "postmap", "postfix");
    // GIVEN what the program registers for stack lodz-prod (tenant Secrets in platform-mail, passwords in each unit)
    registered = await registeredBy("lodz-prod");
    root = tempRoot("mail");
    const T = root.dir;
    for (const u of UNITS) {
      const tenant = objectNamed<{ stringData: Record<string, string> }>(registered, `${u}-mail-tenant`);
      mkdirSync(join(T, "tenants", u), { recursive: true });
      for (const f of TENANT_FILES) writeFileSync(join(T, "tenants", u, f), tenant.stringData[f]!);
      const pw = objectNamed<{ stringData: Record<string, string> }>(
        registered,
        `${u}-mail-initial-passwords`,
      );
      for (const [a, p] of Object.entries(pw.stringData)) passwords.set(a, p);
    }
    const port = await freePort();
    layout = {
      hostname: "mail.lodz.pl",
      tablesDir: join(T, "tables"),
      mailRoot: join(T, "mail"),
      listen: "127.0.0.1",
      imapPort: port,
      imapsPort: 0,
      lmtpPort: 0,
      authFailureDelay: "0",
      trustedNetworks: "127.0.0.0/8",
      dovecot: {
        baseDir: join(T, "run"),
        stateDir: join(T, "state"),
        logPath: join(T, "dovecot.log"),
        instanceName: `muni-test-${process.pid}`,
      },
      postfix: { queueDir: join(T, "spool"), dataDir: join(T, "lib"), maillogFile: join(T, "postfix.log") },
    };
    // WHEN the platform's init step assembles the tables (the generated script, run by a real sh)
    writeFileSync(join(T, "assemble.sh"), assembleScript(layout.tablesDir, join(T, "tenants")));
    must("sh", [join(T, "assemble.sh")]);
    for (const d of ["run", "state", "mail", "spool", "lib", "etc"])
      mkdirSync(join(T, d), { recursive: true });
    chownSync(layout.mailRoot, VMAIL_ID, VMAIL_ID);
    must("chown", ["postfix:postfix", layout.postfix.dataDir]);
    conf = join(T, "dovecot.conf");
    writeFileSync(conf, renderDovecotConf(layout));
    writeFileSync(join(T, "etc", "main.cf"), renderPostfixMainCf(layout));
    writeFileSync(join(T, "etc", "master.cf"), must("cat", ["/etc/postfix/master.cf"]));
    // AND real Dovecot runs with the generated dovecot.conf
    dovecot = startDaemon("dovecot", ["-F", "-c", conf]);
    await waitFor(
      "dovecot",
      dovecot,
      async () => (await accepts(port)) && run("doveadm", ["-c", conf, "who"]).status !== 75,
    );
  }, 30000);

  afterAll(async () => {
    if (dovecot) {
      run("doveadm", ["-c", conf, "stop"]);
      await dovecot.stop();
    }
    root?.remove();
  });

  it("THEN doveconf accepts the generated configuration without warnings", () => {
    const r = run("doveconf", ["-c", conf, "-n"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("THEN every generated mailbox, postmaster included, authenticates with its generated password (doveadm auth test)", () => {
    const expected = [
      "postmaster@css.lodz.pl",
      "sekretariat@css.lodz.pl",
      "swiadczenia@css.lodz.pl",
      "katarzyna.lewandowska@css.lodz.pl",
      "postmaster@mpu.lodz.pl",
      "sekretariat@mpu.lodz.pl",
      "dyrektor@mpu.lodz.pl",
      "anna.wisniewska@mpu.lodz.pl",
      "piotr.zielinski@mpu.lodz.pl",
      "postmaster@zzm.lodz.pl",
      "sekretariat@zzm.lodz.pl",
      "tomasz.kaczmarek@zzm.lodz.pl",
      "interwencje@zzm.lodz.pl",
    ];
    expect([...passwords.keys()].sort()).toStrictEqual([...expected].sort());
    for (const [address, password] of passwords) {
      const ok = run("doveadm", ["-c", conf, "auth", "test", address, password]);
      expect([address, ok.status, ok.stdout.split("\n")[0]]).toStrictEqual([
        address,
        0,
        `passdb: ${address} auth succeeded`,
      ]);
    }
  });

  it("THEN a real IMAP LOGIN and SELECT INBOX succeed for every mailbox over 127.0.0.1", async () => {
    for (const [address, password] of passwords) {
      const r = await imapLogin(layout.imapPort, address, password);
      expect([address, r.login.slice(0, 5), r.select?.slice(0, 20)]).toStrictEqual([
        address,
        "a1 OK",
        "a2 OK [READ-WRITE] S",
      ]);
    }
  });

  it("THEN Dovecot's userdb gives each mailbox its manifest quota and its home under the mail root", () => {
    const user = (a: string) =>
      Object.fromEntries(
        must("doveadm", ["-c", conf, "user", a])
          .trim()
          .split("\n")
          .slice(1)
          .map((l) => l.split("\t") as [string, string]),
      );
    expect(user("sekretariat@mpu.lodz.pl")).toStrictEqual({
      uid: "5000",
      gid: "5000",
      home: join(layout.mailRoot, "mpu.lodz.pl", "sekretariat"),
      mail: "maildir:~/Maildir",
      quota_rule: `*:bytes=${10 * 2 ** 30}`,
    });
    expect(user("anna.wisniewska@mpu.lodz.pl").quota_rule).toBe(`*:bytes=${2 * 2 ** 30}`); // defaultQuota 2Gi
    expect(user("katarzyna.lewandowska@css.lodz.pl").quota_rule).toBe(`*:bytes=${2 * 2 ** 30}`);
    expect(user("postmaster@css.lodz.pl").quota_rule).toBe(`*:bytes=${1 * 2 ** 30}`); // css defaultQuota 1Gi
  });

  describe("Postfix with the generated main.cf and tables", () => {
    const cfg = () => join(root.dir, "etc");
    const q = (key: string, table: string) =>
      run("postmap", ["-c", cfg(), "-q", key, `texthash:${join(layout.tablesDir, table)}`]);

    it("THEN postfix check passes and postconf reads the virtual maps muni generated", () => {
      const check = run("postfix", ["-c", cfg(), "check"]);
      expect([check.status, check.stdout + check.stderr]).toStrictEqual([0, ""]);
      expect(
        must("postconf", [
          "-c",
          cfg(),
          "-h",
          "virtual_mailbox_domains",
          "virtual_alias_maps",
          "virtual_mailbox_maps",
        ])
          .trim()
          .split("\n"),
      ).toStrictEqual([
        `texthash:${layout.tablesDir}/domains`,
        `texthash:${layout.tablesDir}/virtual`,
        `texthash:${layout.tablesDir}/vmailbox`,
      ]);
    });

    it("THEN each tenant's domain is a virtual mailbox domain and unknown domains are not", () => {
      for (const u of UNITS) expect([u, q(`${u}.lodz.pl`, "domains").stdout.trim()]).toStrictEqual([u, u]);
      expect(q("uml.lodz.pl", "domains").status).toBe(1);
    });

    it("THEN Postfix routes every alias to its targets, and each local target ends in a real mailbox", () => {
      const routes: Record<string, string> = {
        "kancelaria@css.lodz.pl": "sekretariat@css.lodz.pl",
        "wnioski@css.lodz.pl": "swiadczenia@css.lodz.pl",
        "iod@css.lodz.pl": "iod@uml.lodz.pl",
        "kancelaria@mpu.lodz.pl": "sekretariat@mpu.lodz.pl",
        "iod@mpu.lodz.pl": "iod@uml.lodz.pl",
        "bip@mpu.lodz.pl": "sekretariat@mpu.lodz.pl, anna.wisniewska@mpu.lodz.pl",
        "kancelaria@zzm.lodz.pl": "sekretariat@zzm.lodz.pl",
        "zgloszenia@zzm.lodz.pl": "interwencje@zzm.lodz.pl, sekretariat@zzm.lodz.pl",
        "iod@zzm.lodz.pl": "iod@uml.lodz.pl",
      };
      for (const [alias, targets] of Object.entries(routes)) {
        const r = q(alias, "virtual");
        expect([alias, r.status, r.stdout.trim()]).toStrictEqual([alias, 0, targets]);
        for (const t of targets
          .split(", ")
          .filter((x) => x.endsWith(".lodz.pl") && !x.endsWith("@uml.lodz.pl"))) {
          const box = q(t, "vmailbox");
          expect([t, box.status, box.stdout.trim()]).toStrictEqual([
            t,
            0,
            `${t.split("@")[1]}/${t.split("@")[0]}/`,
          ]);
        }
      }
      expect(q("nikt@mpu.lodz.pl", "virtual").status).toBe(1);
      expect(q("nikt@mpu.lodz.pl", "vmailbox").status).toBe(1);
    });
  });

  // Last: after a failed attempt Dovecot's auth penalty slows every later login down.
  it("THEN a wrong password is refused, over IMAP and by doveadm", async () => {
    const password = passwords.get("sekretariat@mpu.lodz.pl")!;
    const wrong = await imapLogin(layout.imapPort, "sekretariat@mpu.lodz.pl", password.slice(1));
    expect(wrong).toStrictEqual({ login: "a1 NO [AUTHENTICATIONFAILED] Authentication failed." });
    const bad = run("doveadm", ["-c", conf, "auth", "test", "dyrektor@mpu.lodz.pl", `${password}x`]);
    expect([bad.status, bad.stdout.split("\n")[0]]).toStrictEqual([
      77,
      "passdb: dyrektor@mpu.lodz.pl auth failed",
    ]);
  });
});
