import { readFileSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import { run } from "./harness";

/** Where a client connects: host and port, optionally from inside a network namespace (`ip netns exec`). */
export interface Endpoint {
  host: string;
  port: number;
  netns?: string;
}

/** What swaks reports: exit status (0 delivered to the server, 23 MAIL, 24 RCPT, 25 DATA, 28 AUTH refused). */
export interface SmtpResult {
  status: number;
  /** Every reply line of the server (`<-` and `<~` lines without the arrow). */
  replies: string[];
  transcript: string;
}

/**
 * One SMTP transaction with swaks (Debian's swaks), as a mail client or another MTA does it.
 * `auth` logs in with AUTH PLAIN after STARTTLS; `tls` makes STARTTLS mandatory; `implicitTls` speaks
 * TLS from the first byte instead (RFC 8314 submissions, port 465).
 */
export function sendMail(
  at: Endpoint,
  m: {
    from: string;
    to: string;
    subject: string;
    body: string;
    tls?: boolean;
    implicitTls?: boolean;
    auth?: { user: string; password: string };
  },
): SmtpResult {
  const args = [
    "--server",
    at.host,
    "--port",
    String(at.port),
    "--helo",
    "client.test.lodz.pl",
    "--from",
    m.from,
    "--to",
    m.to,
    "--header",
    `Subject: ${m.subject}`,
    "--body",
    m.body,
    "--timeout",
    "15",
    ...(m.implicitTls ? ["--tls-on-connect"] : m.tls || m.auth ? ["--tls"] : []),
    ...(m.auth ? ["--auth", "PLAIN", "--auth-user", m.auth.user, "--auth-password", m.auth.password] : []),
  ];
  const r = at.netns ? run("ip", ["netns", "exec", at.netns, "swaks", ...args]) : run("swaks", args);
  const transcript = r.stdout + r.stderr;
  const replies = transcript
    .split("\n")
    .filter((l) => /^\s*<[-~*]{1,2}\s/.test(l))
    .map((l) => l.replace(/^\s*<[-~*]{1,2}\s+/, ""));
  return { status: r.status, replies, transcript };
}

/**
 * An IMAP session: STARTTLS (trusting `caFile`), LOGIN, SELECT INBOX, FETCH of every message's full text,
 * LOGOUT. Resolves to the tagged LOGIN reply and the messages (empty when LOGIN failed).
 */
export function imapFetchAll(
  at: Endpoint,
  user: string,
  password: string,
  caFile: string,
  timeoutMs = 15000,
): Promise<{ login: string; messages: string[] }> {
  const q = (s: string) => `"${s.replace(/(["\\])/g, "\\$1")}"`;
  return new Promise((resolve, reject) => {
    const plain = createConnection({ host: at.host, port: at.port });
    let sock: Socket | TLSSocket = plain;
    let buf = Buffer.alloc(0);
    let step = "greeting";
    let login = "";
    const messages: string[] = [];
    const timer = setTimeout(
      () => fail(new Error(`IMAP to ${at.host}:${at.port} timed out at ${step}`)),
      timeoutMs,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      sock.destroy();
      reject(e);
    };
    const done = () => {
      clearTimeout(timer);
      sock.end("z LOGOUT\r\n");
      resolve({ login, messages });
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const i = buf.indexOf("\r\n");
        if (i < 0) return;
        const line = buf.subarray(0, i).toString("utf8");
        const literal = /\{(\d+)\}$/.exec(line);
        if (literal) {
          const n = Number(literal[1]);
          if (buf.length < i + 2 + n) return;
          messages.push(buf.subarray(i + 2, i + 2 + n).toString("utf8"));
          buf = buf.subarray(i + 2 + n);
          continue;
        }
        buf = buf.subarray(i + 2);
        handle(line);
      }
    };
    const handle = (line: string) => {
      if (step === "greeting" && line.startsWith("* OK")) {
        step = "starttls";
        sock.write("s STARTTLS\r\n");
      } else if (step === "starttls" && line.startsWith("s ")) {
        if (!line.startsWith("s OK")) return fail(new Error(`STARTTLS refused: ${line}`));
        plain.removeAllListeners("data");
        sock = tlsConnect({ socket: plain, ca: readFileSync(caFile), host: at.host }, () => {
          step = "login";
          sock.write(`a LOGIN ${q(user)} ${q(password)}\r\n`);
        });
        sock.on("data", onData);
        sock.on("error", fail);
      } else if (step === "login" && line.startsWith("a ")) {
        login = line;
        if (!line.startsWith("a OK")) return done();
        step = "select";
        sock.write("b SELECT INBOX\r\n");
      } else if (step === "select" && line.startsWith("b ")) {
        step = "fetch";
        sock.write("c FETCH 1:* BODY.PEEK[]\r\n");
      } else if (step === "fetch" && line.startsWith("c ")) {
        done();
      }
    };
    plain.on("data", onData);
    plain.on("error", fail);
  });
}
