import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Helpers for tests that run the real Debian daemons on loopback: binaries must exist (a missing one
 * FAILS with the fix, it never skips), ports are high and free on 127.0.0.1, state lives in a temp dir.
 */
export function requireBinaries(...paths: string[]): void {
  const missing = paths.filter((p) => spawnSync("sh", ["-c", `command -v ${p}`]).status !== 0);
  if (missing.length)
    throw new Error(
      `missing ${missing.join(", ")}: the real-daemon tests need Debian's postfix, dovecot-core, dovecot-imapd, cups-daemon and cups-client; run .ci/install-system-packages (as root)`,
    );
  if (process.getuid?.() !== 0)
    throw new Error(
      "the real-daemon tests start Dovecot, Postfix and CUPS as root: run them as root (CI does)",
    );
}

/** A temp dir the daemons' unprivileged users can traverse (mkdtemp makes it 0700). */
export function tempRoot(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `muni-${prefix}-`));
  chmodSync(dir, 0o755);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A free TCP port on 127.0.0.1 in the high range, found by binding it once. */
export async function freePort(from = 20000 + (process.pid % 20000)): Promise<number> {
  for (let port = from; port < 65000; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("no free port on 127.0.0.1");
}

/** Runs a command; returns exit status and output without throwing. */
export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    env: opts.env ?? process.env,
    input: opts.input,
    timeout: 20000,
  });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Runs a command that must succeed; returns stdout. */
export function must(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string } = {},
): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** A daemon started in the foreground as a child; `stop` ends it (SIGTERM, then SIGKILL) and waits. */
export interface Daemon {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function startDaemon(cmd: string, args: string[]): Daemon {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls until `ready()` is true or the daemon exits; fails with its output after `ms`. */
export async function waitFor(
  what: string,
  d: Daemon,
  ready: () => boolean | Promise<boolean>,
  ms = 10000,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (d.child.exitCode !== null)
      throw new Error(`${what} exited (${d.child.exitCode}) before it was ready:\n${d.output()}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`${what} not ready after ${ms} ms:\n${d.output()}`);
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** One IMAP session on 127.0.0.1: LOGIN, SELECT INBOX, LOGOUT. Resolves to the tagged LOGIN and SELECT replies. */
export function imapLogin(
  port: number,
  user: string,
  pass: string,
): Promise<{ login: string; select?: string }> {
  const q = (s: string) => `"${s.replace(/(["\\])/g, "\\$1")}"`;
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`IMAP to ${port} timed out`));
    }, 10000);
    let buf = "";
    let login = "";
    sock.on("data", (d) => {
      buf += String(d);
      let i: number;
      while ((i = buf.indexOf("\r\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line.startsWith("* OK") && !login) sock.write(`a1 LOGIN ${q(user)} ${q(pass)}\r\n`);
        else if (line.startsWith("a1 ")) {
          login = line;
          if (line.startsWith("a1 OK")) sock.write("a2 SELECT INBOX\r\n");
          else done({ login });
        } else if (line.startsWith("a2 ")) done({ login, select: line });
      }
    });
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    function done(r: { login: string; select?: string }) {
      clearTimeout(timer);
      sock.end("a3 LOGOUT\r\n");
      resolve(r);
    }
  });
}

export { execFileSync };
