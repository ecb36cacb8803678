#!/usr/bin/env python3
"""muni print: the units' queues and print accounts (the tenant tree) applied to CUPS.

The tenant sync (tenant_sync.py) keeps <tenants>/<unit id>/{printers.conf,print-account}. Then:

  print_queues.py setup   before cupsd starts (init container): copies cupsd.conf and cups-files.conf
                          into place, writes printers.conf from every unit's part and the accounts
                          file (PAM pwdfile) from every unit's account line;
  print_queues.py live    the sync's hook, with cupsd running: rewrites the accounts file (PAM reads it
                          at each login) and applies the queues of the units whose part changed to the
                          RUNNING cupsd through lpadmin on its local socket (add or modify, and delete the
                          queues of units that left). cupsd is never restarted, so queued jobs stay.

Standard library only.
"""

import grp
import os
import re
import shutil
import subprocess
import sys

CONFIG = os.environ.get("MUNI_PRINT_CONFIG", "/etc/muni/config")
SERVER_ROOT = os.environ.get("MUNI_CUPS_SERVER_ROOT", "/etc/cups")
STATE = os.environ.get("MUNI_PRINT_STATE", "/run/muni/print")
TENANTS = os.path.join(STATE, "tenants")
ACCOUNTS = os.path.join(STATE, "accounts")
APPLIED = os.path.join(STATE, "applied")
SOCKET = os.environ.get("MUNI_CUPS_SOCKET", "/run/cups/cups.sock")
SPOOL = os.environ.get("MUNI_CUPS_SPOOL", "/var/spool/cups")
# cupsd checks a queue's AllowUser for some administrative operations (Resume-Printer): the central
# administrators' group (infra/4-builders/print/server-config.ts ADMIN_GROUP) is on every queue.
ADMIN_GROUP = os.environ.get("MUNI_PRINT_ADMIN_GROUP", "muni-print-admins")


def log(msg):
    print(f"print-queues: {msg}", file=sys.stderr, flush=True)


def units():
    if not os.path.isdir(TENANTS):
        return []
    return sorted(u for u in os.listdir(TENANTS) if not u.startswith("."))


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def write_atomic(path, text, mode):
    tmp = f"{path}.new"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


def write_accounts():
    lines = "".join(read(os.path.join(TENANTS, u, "print-account")) for u in units())
    write_atomic(ACCOUNTS, lines, 0o600)


def queues_of(text):
    """name -> {directive: value, AllowUser: [...]} from a printers.conf part (validated by the sync)."""
    out, cur = {}, None
    for line in text.split("\n"):
        m = re.match(r"^<Printer (\S+)>$", line)
        if m:
            cur = out.setdefault(m.group(1), {"AllowUser": []})
        elif line == "</Printer>":
            cur = None
        elif cur is not None and " " in line:
            key, value = line.split(" ", 1)
            if key == "AllowUser":
                cur["AllowUser"].append(value)
            else:
                cur[key] = value
    return out


def setup():
    # A fresh spool volume has no TempDir, which cupsd requires (root:lp 1770, as Debian's package makes it).
    tmp = os.path.join(SPOOL, "tmp")
    os.makedirs(tmp, exist_ok=True)
    os.chown(tmp, 0, grp.getgrnam("lp").gr_gid)
    os.chmod(tmp, 0o1770)
    for f in ("cupsd.conf", "cups-files.conf"):
        shutil.copyfile(os.path.join(CONFIG, f), os.path.join(SERVER_ROOT, f))
        os.chmod(os.path.join(SERVER_ROOT, f), 0o640)
    parts = "".join(read(os.path.join(TENANTS, u, "printers.conf")) for u in units())
    parts = parts.replace("</Printer>", f"AllowUser @{ADMIN_GROUP}\n</Printer>")
    write_atomic(os.path.join(SERVER_ROOT, "printers.conf"), parts, 0o600)
    write_accounts()
    remember()
    log(f"{len(units())} unit(s), {len(queues_of(parts))} queue(s) in printers.conf")


def remember():
    """Keeps a copy of each unit's applied part, so `live` touches only the units that changed."""
    shutil.rmtree(APPLIED, ignore_errors=True)
    os.makedirs(APPLIED)
    for u in units():
        shutil.copyfile(os.path.join(TENANTS, u, "printers.conf"), os.path.join(APPLIED, u))


def lpadmin(args):
    env = dict(os.environ, CUPS_SERVER=SOCKET)
    r = subprocess.run(["lpadmin", *args], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        log(f"lpadmin {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
    return r.returncode == 0


def live():
    write_accounts()
    now = set(units())
    before = set(os.listdir(APPLIED)) if os.path.isdir(APPLIED) else set()
    ok = True
    for u in sorted(before - now):
        for name in queues_of(read(os.path.join(APPLIED, u))):
            ok = lpadmin(["-x", name]) and ok
        log(f"unit {u}: queues removed")
    for u in sorted(now):
        part = read(os.path.join(TENANTS, u, "printers.conf"))
        old = read(os.path.join(APPLIED, u))
        if part == old:
            continue
        for name in set(queues_of(old)) - set(queues_of(part)):
            ok = lpadmin(["-x", name]) and ok
        for name, q in queues_of(part).items():
            args = ["-p", name, "-v", q.get("DeviceURI", ""), "-D", q.get("Info", ""), "-L", q.get("Location", "")]
            allow = ",".join([*q["AllowUser"], f"@{ADMIN_GROUP}"])
            args += ["-u", f"allow:{allow}", "-o", "printer-is-shared=true", "-E"]
            ok = lpadmin(args) and ok
        log(f"unit {u}: {len(queues_of(part))} queue(s) applied")
    if ok:
        remember()
    return 0 if ok else 1


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "setup":
        setup()
    elif mode == "live":
        sys.exit(live())
    else:
        sys.exit("usage: print_queues.py setup|live")
