import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

export function startDaemon(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Daemon {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: env ?? process.env });
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
/**
 * Polls `probe` every `everyMs` until it gives a value (anything but undefined or false) and returns it;
 * after `ms`, fails naming `what`, with `detail()` (the daemons' or the pod's logs).
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  detail: () => string,
  { ms = 45000, everyMs = 250 }: { ms?: number; everyMs?: number } = {},
): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not after ${ms} ms\n${detail()}`);
}

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

/**
 * A real IPP Everywhere printer: Debian's ippeveprinter (cups-ipp-utils) on `port`, keeping every job's
 * file in `spool`. It needs DNS-SD, so the test runs a private D-Bus system bus and avahi-daemon for it,
 * publishing on `iface` only (a test veth), never on the machine's own network.
 */
export async function startIppEvePrinter(
  dir: string,
  iface: string,
  port: number,
  spool: string,
  formats = "application/pdf,application/octet-stream,text/plain,image/pwg-raster",
): Promise<{ printer: Daemon; stop: () => Promise<void> }> {
  requireBinaries("ippeveprinter", "ipptool", "dbus-daemon", "avahi-daemon");
  const bus = join(dir, "system_bus_socket");
  writeFileSync(
    join(dir, "bus.conf"),
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=${bus}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_type="method_call"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>
`,
  );
  writeFileSync(
    join(dir, "avahi.conf"),
    `[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=${iface}\nenable-dbus=yes\ndisallow-other-stacks=no\n[wide-area]\nenable-wide-area=no\n[publish]\npublish-hinfo=no\npublish-workstation=no\n`,
  );
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${bus}` };
  const dbus = startDaemon("dbus-daemon", [
    "--config-file",
    join(dir, "bus.conf"),
    "--nofork",
    "--nopidfile",
  ]);
  await waitFor("dbus-daemon", dbus, () => existsSync(bus));
  const avahi = startDaemon(
    "avahi-daemon",
    ["-f", join(dir, "avahi.conf"), "--no-chroot", "--no-drop-root", "--no-rlimits"],
    env,
  );
  let printer: Daemon | undefined;
  const stop = async () => {
    await printer?.stop();
    await avahi.stop();
    await dbus.stop();
  };
  try {
    // ippeveprinter aborts when Avahi is not yet on the bus: wait for its name to answer.
    const avahiCall = [
      `--bus=unix:path=${bus}`,
      "--print-reply",
      "--dest=org.freedesktop.Avahi",
      "/",
      "org.freedesktop.Avahi.Server.GetVersionString",
    ];
    await waitFor("avahi-daemon", avahi, () => run("dbus-send", avahiCall).status === 0);
    const p = startDaemon(
      "ippeveprinter",
      ["-p", String(port), "-d", spool, "-k", "-f", formats, "Muni Test Printer"],
      env,
    );
    printer = p;
    const attrs = ["-T", "2", `ipp://127.0.0.1:${port}/ipp/print`, "get-printer-attributes.test"];
    await waitFor("ippeveprinter", p, () => run("ipptool", attrs).status === 0);
    return { printer: p, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
