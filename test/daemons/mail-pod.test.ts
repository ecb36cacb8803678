import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { dkimVerify } from "mailauth/lib/dkim/verify";
import { loadProject } from "../../infra/3-rules";
import { mailDnsRecords } from "../../infra/4-builders/mail";
import type { Registered } from "../helpers/pulumi";
import { until } from "./harness";
import { imapFetchAll, sendMail } from "./mail-client";
import { type MailPod, startMailPod, tenantSecret } from "./mail-pod";
import { registeredDnsRecords, registeredPasswords, resolverOf, smallQuotaTenant } from "./mail-tenants";
import { registeredBy, ROOT } from "./program";

const NETNS = 41;
const SMALL_PASSWORD = "Kwota1Haslo2Testowe3";
const settings = loadProject(ROOT, "lodz-prod").stack!.settings;

describe("the mail StatefulSet as rendered, run here (issue 14.4, 14.6): a remote client, tenants from the API", () => {
  let registered: Registered[];
  let m: MailPod;
  let passwords: Map<string, string>;
  const small = smallQuotaTenant(SMALL_PASSWORD, settings.platform.mail.dkimSelector);
  const at = (port: number) => m.at(port);
  const logs = () => m.logs();
  const inbox = (user: string, password: string, marker: string) =>
    until(
      `${user} receives ${marker}`,
      async () =>
        (await imapFetchAll(at(143), user, password, m.cert)).messages.find((x) => x.includes(marker)),
      logs,
    );

  beforeAll(async () => {
    // GIVEN the program's objects for lodz-prod: the mail StatefulSet and ConfigMap, the units' tenant Secrets
    registered = await registeredBy("lodz-prod");
    passwords = registeredPasswords(registered);
    // WHEN the rendered pod runs (the tenant sync's init container, then every container as specified) with
    // a stand-in Kubernetes API serving the tenant Secrets and the server's certificate (mail-tls); it is ready
    m = await startMailPod(registered, NETNS, "mail-pod");
  }, 120000);

  afterAll(async () => {
    await m?.stop();
  });

  it("THEN a remote client submits from a mailbox of one unit to a mailbox of another (587, STARTTLS, AUTH); the recipient fetches it over IMAP, DKIM-signed, and the signature verifies against muni dns's TXT record", async () => {
    const sent = sendMail(at(587), {
      from: "dyrektor@mpu.lodz.pl",
      to: "interwencje@zzm.lodz.pl",
      subject: "Zgloszenie",
      body: "Prosba o interwencje. znacznik-pod-mpu-zzm",
      auth: { user: "dyrektor@mpu.lodz.pl", password: passwords.get("dyrektor@mpu.lodz.pl")! },
    });
    expect([sent.status, sent.replies.at(-2)?.slice(0, 24)]).toStrictEqual([0, "250 2.0.0 Ok: queued as "]);
    const message = await inbox(
      "interwencje@zzm.lodz.pl",
      passwords.get("interwencje@zzm.lodz.pl")!,
      "znacznik-pod-mpu-zzm",
    );
    const verified = await dkimVerify(Buffer.from(message), {
      resolver: resolverOf(registeredDnsRecords(registered)),
    });
    expect(verified.results.map((r) => [r.status.result, r.signingDomain])).toStrictEqual([
      ["pass", "mpu.lodz.pl"],
    ]);
    expect(m.pod.logs("postfix")).toMatch(
      /to=<interwencje@zzm\.lodz\.pl>, relay=127\.0\.0\.1\[127\.0\.0\.1\]:24, .*status=sent \(250 2\.0\.0 <interwencje@zzm\.lodz\.pl> \S+ Saved\)/,
    );
  }, 60000);

  it("THEN a remote client submits over implicit TLS on 465 (RFC 8314) with AUTH, as on 587; without AUTH it may not relay, and a client speaking plain SMTP there gets no greeting", async () => {
    const sent = sendMail(at(465), {
      from: "sekretariat@css.lodz.pl",
      to: "dyrektor@mpu.lodz.pl",
      subject: "Przez 465",
      body: "znacznik-pod-465",
      implicitTls: true,
      auth: { user: "sekretariat@css.lodz.pl", password: passwords.get("sekretariat@css.lodz.pl")! },
    });
    // TLS came first: swaks reports the handshake before the server's greeting
    const handshake = sent.transcript.indexOf("=== TLS started");
    const greeting = sent.transcript.indexOf("<~  220 ");
    expect([sent.status, handshake >= 0, handshake < greeting]).toStrictEqual([0, true, true]);
    expect(sent.replies.at(-2)?.slice(0, 24)).toBe("250 2.0.0 Ok: queued as ");
    const message = await inbox(
      "dyrektor@mpu.lodz.pl",
      passwords.get("dyrektor@mpu.lodz.pl")!,
      "znacznik-pod-465",
    );
    const verified = await dkimVerify(Buffer.from(message), {
      resolver: resolverOf(registeredDnsRecords(registered)),
    });
    expect(verified.results.map((r) => [r.status.result, r.signingDomain])).toStrictEqual([
      ["pass", "css.lodz.pl"],
    ]);
    const anonymous = sendMail(at(465), {
      from: "a@css.lodz.pl",
      to: "ktos@example.com",
      subject: "r",
      body: "r",
      implicitTls: true,
    });
    expect([anonymous.status, anonymous.replies.at(-2)]).toStrictEqual([
      24,
      `554 5.7.1 <unknown[${m.net.hostAddress}]>: Client host rejected: Access denied`,
    ]);
    // a plain-text client: no greeting; its EHLO is not a TLS handshake, and the server hangs up
    const plain = await new Promise<{ received: string; closed: boolean }>((resolve) => {
      const s = createConnection(at(465), () => s.write("EHLO client.test.lodz.pl\r\n"));
      let received = "";
      s.on("data", (d) => (received += d.toString("latin1")));
      s.on("error", () => undefined);
      const timer = setTimeout(() => (s.destroy(), resolve({ received, closed: false })), 5000);
      s.on("close", () => (clearTimeout(timer), resolve({ received, closed: true })));
    });
    expect([/^220/.test(plain.received), plain.closed]).toStrictEqual([false, true]);
  }, 60000);

  it("THEN the mail image's HEALTHCHECK passes in the container that runs its CMD, and fails where that daemon does not run", async () => {
    const dockerfile = readFileSync(join(ROOT, "images", "mail", "Dockerfile"), "utf8");
    const check = JSON.parse(/^HEALTHCHECK .*? CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]!) as string[];
    const runs = m.sts.spec.template.spec.containers.find(
      (c) => JSON.stringify(c.command) === JSON.stringify(cmd),
    )!.name;
    const here = await m.pod.exec(runs, check);
    const elsewhere = await m.pod.exec("postfix", check);
    expect([runs, here.status, elsewhere.status === 0]).toStrictEqual(["dovecot", 0, false]);
    expect(here.stdout).toMatch(/^name: imap-login$/m);
  });

  it("THEN a remote client may not relay: refused on the MX (25) and on submission without AUTH", () => {
    const relay = sendMail(at(25), {
      from: "spam@example.org",
      to: "ktos@example.com",
      subject: "r",
      body: "r",
    });
    expect([relay.status, relay.replies.at(-2)]).toStrictEqual([
      24,
      "554 5.7.1 <ktos@example.com>: Relay access denied",
    ]);
    const anonymous = sendMail(at(587), {
      from: "a@mpu.lodz.pl",
      to: "ktos@example.com",
      subject: "r",
      body: "r",
      tls: true,
    });
    expect([anonymous.status, anonymous.replies.at(-2)]).toStrictEqual([
      24,
      `554 5.7.1 <unknown[${m.net.hostAddress}]>: Client host rejected: Access denied`,
    ]);
  });

  it("WHEN a new tenant's Secret appears in the API THEN the running server takes it without a restart (Postfix reloaded) and it receives mail, within its quota (552 5.2.2 beyond)", async () => {
    const pids = m.pod.containers.map((c) => [c.name, c.pid()]);
    m.api.objects.push(tenantSecret(small.unitId, small.files));
    await until(
      "postfix reloads",
      async () => (/reload -- version/.test(m.pod.logs("postfix")) ? true : undefined),
      logs,
    );
    const sent = await until(
      "mail to the new tenant is accepted",
      async () => {
        const r = sendMail(at(25), {
          from: "urzad@example.org",
          to: "mala@kwota.lodz.pl",
          subject: "Witamy",
          body: `znacznik-nowy\n${"x".repeat(36000)}`,
        });
        return r.status === 0 ? r : undefined;
      },
      logs,
    );
    expect(sent.replies.at(-2)?.slice(0, 24)).toBe("250 2.0.0 Ok: queued as ");
    await inbox("mala@kwota.lodz.pl", SMALL_PASSWORD, "znacznik-nowy");
    const big = sendMail(at(25), {
      from: "urzad@example.org",
      to: "mala@kwota.lodz.pl",
      subject: "Duzy",
      body: "x".repeat(60000),
    });
    expect(big.status).toBe(0);
    await until(
      "LMTP refuses over quota",
      async () =>
        /said: 552 5\.2\.2 <mala@kwota\.lodz\.pl> Quota exceeded/.test(m.pod.logs("postfix"))
          ? true
          : undefined,
      logs,
    );
    // AND the new tenant's mail is signed with its key once OpenDKIM reloaded
    const out = sendMail(at(587), {
      from: "mala@kwota.lodz.pl",
      to: "sekretariat@css.lodz.pl",
      subject: "Podpis",
      body: "znacznik-nowy-podpis",
      auth: { user: "mala@kwota.lodz.pl", password: SMALL_PASSWORD },
    });
    expect(out.status).toBe(0);
    const signed = await inbox(
      "sekretariat@css.lodz.pl",
      passwords.get("sekretariat@css.lodz.pl")!,
      "znacznik-nowy-podpis",
    );
    const records = mailDnsRecords(small.tenant, settings, small.dkimPublicKey);
    const verified = await dkimVerify(Buffer.from(signed), { resolver: resolverOf(records) });
    expect(verified.results.map((r) => [r.status.result, r.signingDomain])).toStrictEqual([
      ["pass", "kwota.lodz.pl"],
    ]);
    // no container was restarted
    expect(m.pod.containers.map((c) => [c.name, c.pid(), c.child.exitCode])).toStrictEqual(
      pids.map(([n, p]) => [n, p, null]),
    );
  }, 120000);

  it("WHEN a tenant Secret has a malformed line THEN it is skipped with a log line naming it, and the other tenants keep working", async () => {
    const bad = { ...small.files, users: `${small.files.users}to nie jest wiersz passwd-file\n` };
    m.api.objects.push(tenantSecret("zepsuta", { ...bad, domains: "zepsuta.lodz.pl zepsuta\n" }));
    await until(
      "the sync names the bad tenant",
      async () =>
        /skipped tenant zepsuta \(mail-tenant-zepsuta\): malformed/.test(m.pod.logs("tenant-sync"))
          ? true
          : undefined,
      logs,
    );
    const sent = sendMail(at(587), {
      from: "sekretariat@css.lodz.pl",
      to: "piotr.zielinski@mpu.lodz.pl",
      subject: "Dalej dziala",
      body: "znacznik-po-zepsutej",
      auth: { user: "sekretariat@css.lodz.pl", password: passwords.get("sekretariat@css.lodz.pl")! },
    });
    expect(sent.status).toBe(0);
    await inbox(
      "piotr.zielinski@mpu.lodz.pl",
      passwords.get("piotr.zielinski@mpu.lodz.pl")!,
      "znacznik-po-zepsutej",
    );
    const refused = sendMail(at(25), {
      from: "urzad@example.org",
      to: "mala@zepsuta.lodz.pl",
      subject: "x",
      body: "x",
    });
    expect([refused.status, refused.replies.at(-2)]).toStrictEqual([
      24,
      "554 5.7.1 <mala@zepsuta.lodz.pl>: Relay access denied",
    ]);
  }, 90000);

  it("WHEN the pod stops THEN every process of its containers ends, Postfix's master too (it leaves the container's process group; it ends with the container's PID namespace), and the logs are complete", async () => {
    const pidNs = (pid: number | string) => {
      try {
        return readlinkSync(`/proc/${pid}/ns/pid`);
      } catch {
        return undefined; // gone, or not ours to read
      }
    };
    const inPod = (namespaces: Set<string>) =>
      readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p) && namespaces.has(pidNs(p) ?? ""))
        .map((p) => {
          const status = readFileSync(`/proc/${p}/status`, "utf8");
          return `${p} ${/^Name:\s*(.*)$/m.exec(status)?.[1]} ${/^State:\s*(.*)$/m.exec(status)?.[1]}`;
        });
    const namespaces = new Set(m.pod.containers.map((c) => pidNs(c.pid()!)!));
    expect([namespaces.size, inPod(namespaces).some((p) => / master S/.test(p))]).toStrictEqual([
      m.pod.containers.length,
      true,
    ]);
    await m.pod.stop();
    // (a process the kernel is still tearing down may show for a moment, without a command line)
    for (let i = 0; i < 40 && inPod(namespaces).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(inPod(namespaces)).toStrictEqual([]);
    // AND SIGTERM reached the postfix container's PID 1 (its wrapper stops Postfix), logged to the end
    expect(m.pod.logs("postfix")).toMatch(/postfix-script\[\d+\]: stopping the Postfix mail system\n/);
  }, 30000);
});
