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
    require("fs").writeFileSync(
      "/tmp/m14-swaks.txt",
      sent.transcript +
        "\n----\n" +
        stack.postfixLog() +
        require("fs").readFileSync(stack.dir + "/dovecot.log", "utf8"),
    );
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
});
