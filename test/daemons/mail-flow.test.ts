import { dkimVerify } from "mailauth/lib/dkim/verify";
import type { Registered } from "../helpers/pulumi";
import { imapFetchAll, sendMail } from "./mail-client";
import { type MailStack, startMailStack } from "./mail-stack";
import {
  registeredDnsRecords,
  registeredPasswords,
  registeredTenants,
  resolverOf,
  smallQuotaTenant,
} from "./mail-tenants";
import { run } from "./harness";
import { registeredBy, settingsOf } from "./program";

const SMALL_PASSWORD = "Kwota1Haslo2Testowe3";

/** Polls the mailbox over IMAP until a message whose text contains `marker` is there. */
async function fetchWhen(stack: MailStack, user: string, password: string, marker: string): Promise<string> {
  const at = { host: "127.0.0.1", port: stack.layout.imapPort };
  for (let i = 0; i < 100; i++) {
    const r = await imapFetchAll(at, user, password, stack.cert);
    const hit = r.messages.find((m) => m.includes(marker));
    if (hit) return hit;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no message with ${marker} for ${user}; postfix log:\n${stack.postfixLog()}`);
}

/** Polls Postfix's log until a line matches. */
async function logLine(stack: MailStack, re: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const hit = stack
      .postfixLog()
      .split("\n")
      .find((l) => re.test(l));
    if (hit) return hit;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`no log line ${re}:\n${stack.postfixLog()}`);
}

describe("mail through the real daemons: submission, OpenDKIM, LMTP to Dovecot, quota, IMAP (Debian packages, 127.0.0.1)", () => {
  let registered: Registered[];
  let stack: MailStack;
  let passwords: Map<string, string>;
  const smtp = () => ({ host: "127.0.0.1", port: stack.layout.smtpPort });
  const submission = () => ({ host: "127.0.0.1", port: stack.layout.submissionPort });

  beforeAll(async () => {
    // GIVEN the tenants the program registers for lodz-prod, and one more rendered with a 64 KiB quota
    registered = await registeredBy("lodz-prod");
    passwords = registeredPasswords(registered);
    const selector = (settingsOf("lodz-prod") as { platform: { mail: { dkimSelector: string } } }).platform
      .mail.dkimSelector;
    // WHEN Dovecot, OpenDKIM and Postfix run with the configuration muni generates
    stack = await startMailStack(
      [...registeredTenants(registered), smallQuotaTenant(SMALL_PASSWORD, selector)],
      "mailflow",
    );
  }, 60000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("THEN a mailbox of one unit submits (587, STARTTLS, AUTH) to a mailbox of another; it is DKIM-signed, delivered over LMTP and fetched over IMAP, and the signature verifies against the TXT record muni dns publishes", async () => {
    const sent = sendMail(submission(), {
      from: "sekretariat@mpu.lodz.pl",
      to: "sekretariat@zzm.lodz.pl",
      subject: "Uzgodnienie planu",
      body: "Prosimy o uzgodnienie projektu planu. znacznik-mpu-zzm",
      auth: { user: "sekretariat@mpu.lodz.pl", password: passwords.get("sekretariat@mpu.lodz.pl")! },
    });
    expect([
      sent.status,
      sent.replies.some((r) => r.startsWith("235 2.7.0 Authentication successful")),
    ]).toStrictEqual([0, true]);
    expect(sent.replies.at(-2)).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]+$/);
    const message = await fetchWhen(
      stack,
      "sekretariat@zzm.lodz.pl",
      passwords.get("sekretariat@zzm.lodz.pl")!,
      "znacznik-mpu-zzm",
    );
    const delivered = await logLine(stack, /to=<sekretariat@zzm\.lodz\.pl>.*status=sent/);
    expect(delivered).toMatch(
      /relay=127\.0\.0\.1\[127\.0\.0\.1\]:\d+, .*status=sent \(250 2\.0\.0 <sekretariat@zzm\.lodz\.pl> \S+ Saved\)/,
    );
    const verified = await dkimVerify(Buffer.from(message), {
      resolver: resolverOf(registeredDnsRecords(registered)),
    });
    expect(verified.results.map((r) => [r.status.result, r.signingDomain, r.selector])).toStrictEqual([
      ["pass", "mpu.lodz.pl", "muni"],
    ]);
  }, 30000);

  it("THEN a mailbox may send only as itself: logged in as one unit's mailbox, another unit's address, another mailbox of its own unit and an outside address are refused as sender (553 5.7.1), before OpenDKIM could sign them", () => {
    const login = { user: "sekretariat@mpu.lodz.pl", password: passwords.get("sekretariat@mpu.lodz.pl")! };
    for (const from of ["sekretariat@zzm.lodz.pl", "dyrektor@mpu.lodz.pl", "prezydent@uml.lodz.pl"]) {
      const r = sendMail(submission(), {
        from,
        to: "sekretariat@css.lodz.pl",
        subject: "x",
        body: "x",
        auth: login,
      });
      expect([from, r.status, r.replies.find((l) => l.startsWith("553"))]).toStrictEqual([
        from,
        24,
        `553 5.7.1 <${from}>: Sender address rejected: not owned by user sekretariat@mpu.lodz.pl`,
      ]);
    }
  });

  it("THEN relaying is refused to unauthenticated clients: on the MX (25) at RCPT, and on submission (587) without AUTH", () => {
    const relay = sendMail(smtp(), {
      from: "spam@example.org",
      to: "ktos@example.com",
      subject: "relay",
      body: "relay test",
    });
    expect([relay.status, relay.replies.at(-2)]).toStrictEqual([
      24,
      "554 5.7.1 <ktos@example.com>: Relay access denied",
    ]);
    const anonymous = sendMail(submission(), {
      from: "sekretariat@mpu.lodz.pl",
      to: "ktos@example.com",
      subject: "relay",
      body: "relay test",
      tls: true,
    });
    expect([anonymous.status, anonymous.replies.at(-2)]).toStrictEqual([
      24,
      "554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: Access denied",
    ]);
  });

  it("THEN submission refuses a wrong password (535) and offers no AUTH before STARTTLS", () => {
    const wrong = sendMail(submission(), {
      from: "sekretariat@mpu.lodz.pl",
      to: "sekretariat@zzm.lodz.pl",
      subject: "x",
      body: "x",
      auth: { user: "sekretariat@mpu.lodz.pl", password: "zgadywane-haslo" },
    });
    expect([wrong.status, wrong.replies.at(-2)]).toStrictEqual([
      28,
      "535 5.7.8 Error: authentication failed: (reason unavailable)",
    ]);
    const r = run("swaks", [
      "--server",
      "127.0.0.1",
      "--port",
      String(stack.layout.submissionPort),
      "--quit-after",
      "EHLO",
    ]);
    expect(r.stdout).not.toMatch(/AUTH/);
    expect(r.stdout).toMatch(/250-STARTTLS/);
  });

  it("THEN mail from outside reaches a tenant's mailbox through the MX (25) and alias, unsigned (only submission signs)", async () => {
    const sent = sendMail(smtp(), {
      from: "urzad@example.org",
      to: "kancelaria@css.lodz.pl",
      subject: "Pismo",
      body: "Pismo z zewnatrz. znacznik-mx-css",
    });
    expect([sent.status, sent.replies.at(-2)?.slice(0, 24)]).toStrictEqual([0, "250 2.0.0 Ok: queued as "]);
    const message = await fetchWhen(
      stack,
      "sekretariat@css.lodz.pl",
      passwords.get("sekretariat@css.lodz.pl")!,
      "znacznik-mx-css",
    );
    expect(message).not.toMatch(/^DKIM-Signature:/im);
  }, 30000);

  it("THEN a mailbox over its quota refuses mail with 552 5.2.2: from Dovecot's LMTP (Postfix bounces and logs it) and, once full, at RCPT", async () => {
    const to = "mala@kwota.lodz.pl";
    const mx = (marker: string, size: number) =>
      sendMail(smtp(), {
        from: "urzad@example.org",
        to,
        subject: marker,
        body: `${marker}\n${"x".repeat(size)}`,
      });
    // 36 KB of 64 KiB: delivered
    expect(mx("znacznik-kwota-1", 36000).status).toBe(0);
    await fetchWhen(stack, to, SMALL_PASSWORD, "znacznik-kwota-1");
    // 60 KB more: beyond quota and grace; Postfix accepts it, Dovecot's LMTP refuses it, Postfix bounces it
    expect(mx("znacznik-kwota-2", 60000).status).toBe(0);
    const bounced = await logLine(stack, /to=<mala@kwota\.lodz\.pl>.*status=bounced/);
    expect(bounced).toMatch(
      /said: 552 5\.2\.2 <mala@kwota\.lodz\.pl> Quota exceeded \(mailbox for user is full\)/,
    );
    // 30 KB more: over quota but within the 10% grace, delivered; the mailbox is now full
    expect(mx("znacznik-kwota-3", 30000).status).toBe(0);
    await fetchWhen(stack, to, SMALL_PASSWORD, "znacznik-kwota-3");
    // anything more: refused at RCPT by Postfix, which asked Dovecot's quota-status
    const full = mx("znacznik-kwota-4", 10);
    expect([full.status, full.replies.at(-2)]).toStrictEqual([
      24,
      `552 5.2.2 <${to}>: Recipient address rejected: Mailbox is full`,
    ]);
    const box = await imapFetchAll(
      { host: "127.0.0.1", port: stack.layout.imapPort },
      to,
      SMALL_PASSWORD,
      stack.cert,
    );
    expect(box.messages.map((m) => /Subject: (\S+)/.exec(m)?.[1])).toStrictEqual([
      "znacznik-kwota-1",
      "znacznik-kwota-3",
    ]);
  }, 60000);
});
