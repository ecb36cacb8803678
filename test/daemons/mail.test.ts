import { join } from "node:path";
import type { MailLayout } from "../../infra/4-builders/mail";
import type { Registered } from "../helpers/pulumi";
import { must, run } from "./harness";
import { imapFetchAll } from "./mail-client";
import { type MailStack, startMailStack } from "./mail-stack";
import { MAIL_UNITS, registeredPasswords, registeredTenants } from "./mail-tenants";
import { registeredBy } from "./program";

const UNITS = MAIL_UNITS;

describe("the Łódź mail tenants in real Dovecot and Postfix (Debian packages, 127.0.0.1)", () => {
  let registered: Registered[];
  let stack: MailStack;
  let layout: MailLayout;
  let conf: string;
  /** address → generated initial password, from each unit's mail-initial-passwords Secret. */
  let passwords: Map<string, string>;
  const imap = () => ({ host: "127.0.0.1", port: layout.imapPort });

  beforeAll(async () => {
    // GIVEN what the program registers for stack lodz-prod (tenant Secrets in platform-mail, passwords in each unit)
    registered = await registeredBy("lodz-prod");
    passwords = registeredPasswords(registered);
    // WHEN the platform's generated script assembles the tables and Dovecot, OpenDKIM and Postfix run
    // with the generated configuration
    stack = await startMailStack(registeredTenants(registered), "mail");
    layout = stack.layout;
    conf = stack.dovecotConf;
  }, 60000);

  afterAll(async () => {
    await stack?.stop();
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

  it("THEN a real IMAP login (STARTTLS) succeeds for every mailbox and finds an empty INBOX", async () => {
    for (const [address, password] of passwords) {
      const r = await imapFetchAll(imap(), address, password, stack.cert);
      expect([address, r.login.slice(0, 5), r.messages]).toStrictEqual([address, "a OK ", []]);
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
    const cfg = () => stack.postfixDir;
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
    const wrong = await imapFetchAll(imap(), "sekretariat@mpu.lodz.pl", password.slice(1), stack.cert);
    expect(wrong).toStrictEqual({
      login: "a NO [AUTHENTICATIONFAILED] Authentication failed.",
      messages: [],
    });
    const bad = run("doveadm", ["-c", conf, "auth", "test", "dyrektor@mpu.lodz.pl", `${password}x`]);
    expect([bad.status, bad.stdout.split("\n")[0]]).toStrictEqual([
      77,
      "passdb: dyrektor@mpu.lodz.pl auth failed",
    ]);
  });
});
