#!/usr/bin/env python3
"""muni mail passwords: a mailbox's user sets their own password (docs/mail-and-print.md, issue 14.5).

The unit stacks hand every mailbox a generated initial password; its hash travels in the tenant's
`users` table. A user replaces it here, and the change lives only on the mail server's data volume:

- `serve`: HTTPS (the mail server's certificate) on --port. GET / is a form; POST / with `user`,
  `current`, `new` checks `current` against Dovecot's own auth service (the same passdb chain IMAP and
  submission use, with the client's address so Dovecot's failure delay and penalty apply), hashes `new`
  (SHA512-CRYPT, openssl's 5000 rounds, read from stdin) and records `address<TAB>maildir<TAB>hash` in
  the STORE on the data volume, then writes the EFFECTIVE passwd-file Dovecot reads first.
- `effective`: writes the effective passwd-file from the store and the current `vmailbox` table: an entry
  counts only while the address still has the maildir it was set for, so a retired and re-created
  address (a new incarnation, a new maildir) starts again from its new initial password. The tenant
  sync's hook runs it after every tenant change.
- `reset ADDRESS`: a central administrator removes a user's own password (the generated initial one
  works again; replace it with `pulumi up --replace` of the RandomPassword).

Dovecot's passdb chain (renderDovecotConf): the effective file; the same file with `deny = yes` (a user
who set a password can no longer log in with the initial one); then the tenants' `users` table.
Standard library only (python3 of Debian bookworm) and `openssl passwd`.
"""

import argparse
import base64
import fcntl
import html
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The pod's paths (platformMailLayout in infra/4-builders/mail/server-config.ts; the pod test runs
# `reset` with these defaults inside the rendered container).
DEFAULTS = {
    "tables": "/etc/muni/mail",
    "store": "/srv/mail/.passwords/store",
    "out": "/etc/muni/passwords/passwords",
    "auth": "127.0.0.1:12345",
}
ADDRESS = re.compile(r"^[^\s:@]{1,64}@[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
MAILDIR = re.compile(r"^[a-z0-9][-a-z0-9.]*/[^\s/:]+$")
HASH = re.compile(r"^\$6\$(rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}$")
MIN_LENGTH, MAX_LENGTH = 12, 128
MAX_BODY = 4096
MAX_CLIENTS = 16


def log(msg):
    print(f"mail-passwords: {msg}", file=sys.stderr, flush=True)


def write_atomic(path, text, mode):
    tmp = f"{path}.new.{os.getpid()}.{threading.get_ident()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, text.encode())
        os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tmp, path)


def read_vmailbox(tables):
    """address -> maildir (without the trailing slash) of every mailbox the tenants have now."""
    out = {}
    try:
        with open(os.path.join(tables, "vmailbox"), encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and not line.startswith("#"):
                    out[parts[0]] = parts[1].rstrip("/")
    except FileNotFoundError:
        pass
    return out


def read_store(store):
    """address -> (maildir, hash); a line that does not parse is reported and ignored."""
    out = {}
    try:
        with open(store, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and ADDRESS.match(parts[0]) and MAILDIR.match(parts[1]) and HASH.match(parts[2]):
                    out[parts[0]] = (parts[1], parts[2])
                elif line.strip():
                    log(f"{store}:{n}: ignored a line that is not address<TAB>maildir<TAB>sha512-crypt")
    except FileNotFoundError:
        pass
    return out


class Locked:
    """An exclusive lock beside the effective file: one writer of the store and that file at a time.

    It sits in the pod's shared tables volume, which both writers (the tenant sync's hook as vmail, this
    service as its own user) can write; flock needs only a read-only descriptor, so the file is 0644.
    """

    def __init__(self, out):
        self.path = os.path.join(os.path.dirname(out), ".lock")

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def write_effective(tables, store, out):
    """The passwd-file Dovecot asks first: the store's entries whose address still has their maildir."""
    mailboxes = read_vmailbox(tables)
    entries = read_store(store)
    lines = [
        f"{addr}:{{SHA512-CRYPT}}{hsh}\n"
        for addr, (maildir, hsh) in sorted(entries.items())
        if mailboxes.get(addr) == maildir
    ]
    # Dovecot re-reads a passwd-file when its mtime (in seconds) or size changed, looking at most once a
    # second: each version gets a second of its own, so two versions of one size are never confused.
    try:
        previous = os.stat(out).st_mtime
    except FileNotFoundError:
        previous = None
    now = time.time()
    if previous is not None and int(previous) <= now < int(previous) + 1:
        time.sleep(int(previous) + 1 - now + 0.01)
    write_atomic(out, "# muni: passwords users set (mail_passwords.py; do not edit)\n" + "".join(lines), 0o644)
    return len(lines)


def until_in_effect(out):
    """Waits until Dovecot's next look at the effective file sees it (the second after its mtime)."""
    wait = int(os.stat(out).st_mtime) + 1 - time.time() + 0.05
    if 0 < wait < 2:
        time.sleep(wait)


def set_entry(args, address, maildir, hsh):
    """Records (or with hsh None removes) a user's own password, then rewrites the effective file."""
    with Locked(args.out):
        os.makedirs(os.path.dirname(args.store), mode=0o2750, exist_ok=True)
        entries = read_store(args.store)
        if hsh is None:
            entries.pop(address, None)
        else:
            entries[address] = (maildir, hsh)
        text = "".join(f"{a}\t{m}\t{h}\n" for a, (m, h) in sorted(entries.items()))
        write_atomic(args.store, text, 0o640)
        write_effective(args.tables, args.store, args.out)


def dovecot_auth(auth, user, password, client_ip):
    """Asks Dovecot's auth service (PLAIN): the canonical user name if the password is right, else None."""
    host, port = auth.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as s:
        f = s.makefile("rwb")
        f.write(f"VERSION\t1\t2\nCPID\t{os.getpid()}\n".encode())
        f.flush()
        while True:
            line = f.readline()
            if not line:
                raise OSError("Dovecot auth closed the connection during the handshake")
            if line.startswith(b"DONE"):
                break
        resp = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
        f.write(f"AUTH\t1\tPLAIN\tservice=muni-passwords\tsecured\trip={client_ip}\tresp={resp}\n".encode())
        f.flush()
        fields = f.readline().decode().rstrip("\n").split("\t")
    if fields[:2] == ["OK", "1"]:
        named = [x[5:] for x in fields[2:] if x.startswith("user=")]
        return named[0] if named else user
    if fields[:2] == ["FAIL", "1"]:
        if "temp" in fields[2:]:
            raise OSError("Dovecot auth failed temporarily")
        return None
    raise OSError(f"unexpected Dovecot auth reply: {fields[0]}")


def hash_password(password):
    r = subprocess.run(
        ["openssl", "passwd", "-6", "-stdin"], input=password.encode() + b"\n", capture_output=True, check=True
    )
    hsh = r.stdout.decode().strip()
    if not HASH.match(hsh):
        raise OSError("openssl passwd -6 gave no SHA512-CRYPT hash")
    return hsh


def policy_error(user, current, new):
    """Why the new password is refused, or None."""
    if not MIN_LENGTH <= len(new) <= MAX_LENGTH:
        return f"the new password must have {MIN_LENGTH} to {MAX_LENGTH} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in new):
        return "the new password must not contain control characters"
    if new == current:
        return "the new password must differ from the current one"
    if user.split("@")[0].lower() in new.lower():
        return "the new password must not contain the mailbox name"
    return None


FORM = """<!doctype html>
<html lang="pl"><head><meta charset="utf-8"><title>Zmiana hasła poczty / Change mail password</title></head>
<body><h1>Zmiana hasła poczty <small>(change your mail password)</small></h1>
<form method="post" action="/">
<p><label>Adres (address) <input name="user" type="email" autocomplete="username" required></label></p>
<p><label>Obecne hasło (current password) <input name="current" type="password" autocomplete="current-password" required></label></p>
<p><label>Nowe hasło, 12–128 znaków (new password) <input name="new" type="password" autocomplete="new-password" minlength="12" maxlength="128" required></label></p>
<p><button>Zmień hasło (change)</button></p></form></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "muni-mail-passwords"
    sys_version = ""
    timeout = 30
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        log(f"{self.client_address[0]} {fmt % a}")

    def reply(self, status, text, page=None):
        body = (page or f"<!doctype html><meta charset=utf-8><p>{html.escape(text)}</p>\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Strict-Transport-Security", "max-age=31536000")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def do_GET(self):
        if self.path != "/":
            return self.reply(404, "not found")
        self.reply(200, "", FORM)

    def do_POST(self):
        if self.path != "/":
            return self.reply(404, "not found")
        if not self.server.slots.acquire(blocking=False):
            return self.reply(503, "busy, try again in a minute")
        try:
            self.change()
        finally:
            self.server.slots.release()

    def change(self):
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self.reply(411, "Content-Length required")
        if not 0 < length <= MAX_BODY:
            return self.reply(413, f"the form must be 1 to {MAX_BODY} bytes")
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return self.reply(415, "send the form as application/x-www-form-urlencoded")
        try:
            form = urllib.parse.parse_qs(
                self.rfile.read(length).decode("utf-8"), strict_parsing=True, max_num_fields=8
            )
        except ValueError:
            return self.reply(400, "the form must be UTF-8 with the fields user, current and new")
        fields = {k: v[0] for k, v in form.items() if len(v) == 1}
        if sorted(fields) != ["current", "new", "user"]:
            return self.reply(400, "the form needs exactly the fields user, current and new, once each")
        user = fields["user"].strip().lower()
        if not ADDRESS.match(user):
            return self.reply(400, "user must be the full mail address")
        refused = policy_error(user, fields["current"], fields["new"])
        if refused:
            return self.reply(400, refused)
        args = self.server.args
        try:
            who = dovecot_auth(args.auth, user, fields["current"], self.client_address[0])
        except (OSError, ValueError) as e:
            log(f"auth service: {e}")
            return self.reply(503, "the mail server cannot check passwords now, try again later")
        if who is None:
            log(f"{self.client_address[0]} refused: wrong current password for {user}")
            return self.reply(401, "wrong address or current password")
        maildir = read_vmailbox(args.tables).get(who)
        if maildir is None:
            return self.reply(409, f"{who} has no mailbox here")
        try:
            set_entry(args, who, maildir, hash_password(fields["new"]))
        except (OSError, subprocess.CalledProcessError) as e:
            log(f"could not record the password of {who}: {e}")
            return self.reply(503, "the password could not be saved, try again later")
        until_in_effect(args.out)
        log(f"{self.client_address[0]} changed the password of {who}")
        self.reply(200, f"the password of {who} is changed; use it in your mail programs now")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, args):
        super().__init__(("", args.port), Handler)
        self.args = args
        self.slots = threading.BoundedSemaphore(MAX_CLIENTS)
        self.stamp = None
        self.context = None

    def tls(self):
        """The TLS context, reloaded when the certificate Secret changes (cert-manager renews it)."""
        stamp = tuple(os.stat(p).st_mtime_ns for p in (self.args.cert, self.args.key))
        if stamp != self.stamp:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(self.args.cert, self.args.key)
            self.context, self.stamp = ctx, stamp
        return self.context

    def get_request(self):
        sock, addr = self.socket.accept()
        sock.settimeout(Handler.timeout)
        # The handshake runs in the request's thread (first read), so a slow client holds only its own.
        return self.tls().wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr


def main(argv=None):
    p = argparse.ArgumentParser(prog="mail_passwords.py", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("serve", "effective", "reset"):
        s = sub.add_parser(name)
        s.add_argument("--tables", default=DEFAULTS["tables"], help="the assembled tables (vmailbox)")
        s.add_argument("--store", default=DEFAULTS["store"], help="users' own passwords, on the data volume")
        s.add_argument("--out", default=DEFAULTS["out"], help="the effective passwd-file Dovecot reads first")
        if name == "serve":
            s.add_argument("--port", type=int, default=8443)
            s.add_argument("--auth", default=DEFAULTS["auth"], help="Dovecot's auth client listener host:port")
            s.add_argument("--cert", required=True)
            s.add_argument("--key", required=True)
        if name == "reset":
            s.add_argument("address")
    args = p.parse_args(argv)
    os.umask(0o027)
    # As a container's PID 1 the kernel delivers SIGTERM only to a handler: stop at once when the pod stops.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.command == "effective":
        with Locked(args.out):
            n = write_effective(args.tables, args.store, args.out)
        log(f"{n} own password(s) in effect")
    elif args.command == "reset":
        address = args.address.strip().lower()
        if address not in read_store(args.store):
            print(f"{address} has not set an own password; nothing to reset", file=sys.stderr)
            return 1
        set_entry(args, address, None, None)
        until_in_effect(args.out)
        log(f"reset: {address} logs in with the generated initial password again")
    else:
        with Locked(args.out):
            write_effective(args.tables, args.store, args.out)
        server = Server(args)
        server.tls()
        log(f"listening on :{args.port} (HTTPS)")
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
