#!/usr/bin/env python3
"""muni tenant sync: the shared servers' tenants, read at run time from the Kubernetes API.

Each unit stack writes its tenant object into the platform namespace (mail: Secret `mail-tenant-<id>`
labelled `muni.lodz.pl/mail-tenant=<id>`; print: ConfigMap `print-queues-<id>` labelled
`muni.lodz.pl/print-tenant=<id>`). This program lists the labelled objects of ONE kind in its own
namespace, exactly as a pod does (https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, bearer
token, CA and namespace from /var/run/secrets/kubernetes.io/serviceaccount), 500 per page with
`continue`, and writes each tenant's data keys to <dir>/<unit id>/<key> (Secrets base64-decoded).

- The tree is replaced atomically: a new tree is written next to <dir>, then <dir> (a symlink) is
  switched to it with rename(2), so readers see the old tree or the new one, never a mix. A tree links
  each tenant to a directory of its files that is written once per version of that tenant, so a change
  rewrites only the tenants that changed.
- A tenant whose files do not validate (--validate mail|print) is SKIPPED with one log line naming the
  tenant, the file and the line; the other tenants keep working.
- An unreachable or failing API keeps the last good tree (a log line), never empties it.
- --then "<cmd>" runs (sh -c) after the tree changed, and after the first sync with --once.
- --once: one sync, exit 0 if it succeeded (init container); otherwise loop every --interval seconds.

Standard library only (python3 of Debian bookworm).
"""

import argparse
import base64
import binascii
import hashlib
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
UNIT_ID = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
KEY = re.compile(r"^[-._A-Za-z0-9]+$")
ADDR = r"[^\s:@]+@[a-z0-9]([-a-z0-9.]*[a-z0-9])?"

# Per kind: data key -> pattern every non-blank, non-comment line must match. Keys not listed are refused.
MAIL_LINES = {
    "users": re.compile(
        rf"^{ADDR}:\{{SHA512-CRYPT\}}\$6\$(rounds=\d+\$)?[./A-Za-z0-9]{{1,16}}\$[./A-Za-z0-9]{{86}}:\d+:\d+:[^:]*:[^:]*:[^:]*:\S*( \S+)*$"
    ),
    "vmailbox": re.compile(rf"^{ADDR} [a-z0-9][-a-z0-9.]*/[^\s/]+/$"),
    "virtual": re.compile(rf"^{ADDR} {ADDR}(, {ADDR})*$"),
    "domains": re.compile(r"^[a-z0-9][-a-z0-9.]*[a-z0-9] [a-z0-9][-a-z0-9]*$"),
    "opendkim-keytable": re.compile(r"^\S+ [a-z0-9][-a-z0-9.]*:[a-z0-9][-a-z0-9]*:/[-_./A-Za-z0-9]+$"),
    "opendkim-signingtable": re.compile(r"^\*@[a-z0-9][-a-z0-9.]*[a-z0-9] \S+$"),
}
PEM_KEY = re.compile(
    r"^-----BEGIN (RSA )?PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END (RSA )?PRIVATE KEY-----\n?$"
)
# print: only the directives muni writes into a printers.conf part (infra/4-builders/print/queues.ts).
PRINT_DIRECTIVE = re.compile(
    r"^(Info|Location|MakeModel) [^\r\n]*$"
    r"|^DeviceURI (ipps?|socket|lpd|https?)://[^\s]+$"
    r"|^State Idle$|^Accepting Yes$|^Shared (Yes|No)$"
    r"|^AllowUser print-(?P<unit>[a-z0-9]([-a-z0-9]*[a-z0-9])?)$"
)
PRINT_ACCOUNT = re.compile(r"^[a-z][-a-z0-9]*:\$6\$(rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}$")


def log(msg):
    print(f"tenant-sync: {msg}", file=sys.stderr, flush=True)


def content_lines(text):
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip() and not line.startswith("#"):
            yield n, line


def validate_mail(unit, files):
    for key, text in sorted(files.items()):
        if key == "dkim.key":
            if not PEM_KEY.match(text):
                return f"{key}: not a PEM private key"
            continue
        pattern = MAIL_LINES.get(key)
        if pattern is None:
            return f"{key}: not a mail tenant file"
        for n, line in content_lines(text):
            if not pattern.match(line):
                return f"{key}:{n}: {line[:200]!r}"
    return None


def validate_print(unit, files):
    for key, text in sorted(files.items()):
        if key == "print-account":
            for n, line in content_lines(text):
                if not PRINT_ACCOUNT.match(line) or not line.startswith(f"print-{unit}:"):
                    return f"{key}:{n}: {line.split(':')[0][:100]!r} (expected print-{unit}:<SHA-512 crypt>)"
            continue
        if key != "printers.conf":
            return f"{key}: not a print tenant file"
        inside = False
        for n, line in content_lines(text):
            m = re.match(r"^<Printer ([-a-z0-9_]+)>$", line)
            if m and not inside:
                if not m.group(1).startswith(f"{unit}-"):
                    return f"{key}:{n}: queue {m.group(1)!r} is not named {unit}-<queue>"
                inside = True
            elif line == "</Printer>" and inside:
                inside = False
            else:
                d = PRINT_DIRECTIVE.match(line) if inside else None
                if not d or d.group("unit") not in (None, unit):
                    return f"{key}:{n}: {line[:200]!r}"
        if inside:
            return f"{key}: <Printer> not closed"
    return None


VALIDATORS = {"mail": validate_mail, "print": validate_print, "none": lambda unit, files: None}


def list_objects(kind, label, sa_dir, timeout):
    """Every object of `kind` with the label key in the pod's namespace, page by page."""
    host = os.environ["KUBERNETES_SERVICE_HOST"]
    port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
    if ":" in host:
        host = f"[{host}]"
    with open(os.path.join(sa_dir, "token")) as f:
        token = f.read().strip()
    with open(os.path.join(sa_dir, "namespace")) as f:
        namespace = f.read().strip()
    ctx = ssl.create_default_context(cafile=os.path.join(sa_dir, "ca.crt"))
    items, cont = [], ""
    while True:
        query = {"labelSelector": label, "limit": "500"}
        if cont:
            query["continue"] = cont
        url = f"https://{host}:{port}/api/v1/namespaces/{urllib.parse.quote(namespace)}/{kind}?{urllib.parse.urlencode(query)}"
        req = urllib.request.Request(
            url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
        )
        with urllib.request.urlopen(req, context=ctx, timeout=timeout) as r:
            body = json.load(r)
        items.extend(body.get("items") or [])
        cont = (body.get("metadata") or {}).get("continue") or ""
        if not cont:
            return items


def tenants_of(items, kind, label, validate):
    """unit id -> {key: text}; malformed tenants are logged and left out."""
    out = {}
    for obj in items:
        meta = obj.get("metadata") or {}
        name = meta.get("name", "?")
        unit = (meta.get("labels") or {}).get(label, "")
        if not UNIT_ID.match(unit):
            log(f"skipped {name}: label {label}={unit!r} is not a unit id")
            continue
        if unit in out:
            log(f"skipped {name}: tenant {unit} already taken by another object")
            continue
        files, bad = {}, None
        for key, value in sorted((obj.get("data") or {}).items()):
            if not KEY.match(key) or key in (".", ".."):
                bad = f"key {key!r} is not a file name"
                break
            try:
                files[key] = (
                    base64.b64decode(value, validate=True).decode("utf-8") if kind == "secrets" else value
                )
            except (binascii.Error, UnicodeDecodeError, TypeError):
                bad = f"{key}: not base64 of UTF-8 text"
                break
        bad = bad or VALIDATORS[validate](unit, files)
        if bad:
            log(f"skipped tenant {unit} ({name}): malformed {bad}")
            continue
        out[unit] = files
    return out


def digest(tenants):
    return hashlib.sha256(json.dumps(tenants, sort_keys=True).encode()).hexdigest()


def write_tree(target, tenants, mode):
    """Writes a new tree beside `target` and switches the `target` symlink to it atomically.

    The tree holds one symlink per tenant, to a directory of that tenant's files in the store beside it
    (`..<base>-units/<unit>.<digest of its files>`), written once and kept while a tree names it: a change
    of one tenant writes that tenant's files and 10,000 links, not every tenant's files again.
    """
    parent = os.path.dirname(os.path.abspath(target)) or "/"
    base = os.path.basename(target)
    store_name = f"..{base}-units"
    store = os.path.join(parent, store_name)
    os.makedirs(store, 0o755, exist_ok=True)
    new = os.path.join(parent, f"..{base}.{time.time_ns()}")
    os.mkdir(new, 0o755)
    keep = set()
    for unit, files in tenants.items():
        version = f"{unit}.{digest([mode, files])[:24]}"
        keep.add(version)
        tenant_dir = os.path.join(store, version)
        if not os.path.isdir(tenant_dir):
            tmp = f"{tenant_dir}.new"
            shutil.rmtree(tmp, ignore_errors=True)
            os.mkdir(tmp, 0o755)
            for key, text in files.items():
                fd = os.open(os.path.join(tmp, key), os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
            os.rename(tmp, tenant_dir)
        os.symlink(os.path.join("..", store_name, version), os.path.join(new, unit))
    old = os.path.realpath(target) if os.path.islink(target) else None
    if os.path.isdir(target) and not os.path.islink(target):
        # A plain directory (first run on an emptyDir mount point's child): move it aside.
        shutil.rmtree(target)
    link = os.path.join(parent, f"..{base}.link")
    if os.path.lexists(link):
        os.unlink(link)
    os.symlink(os.path.basename(new), link)
    os.rename(link, target)
    if old and old != os.path.realpath(target):
        shutil.rmtree(old, ignore_errors=True)
    # The tenants' versions no tree names any more (changed or gone tenants).
    for version in os.listdir(store):
        if version not in keep:
            shutil.rmtree(os.path.join(store, version), ignore_errors=True)


def current_digest(target):
    marker = os.path.join(target, "..digest") if os.path.isdir(target) else None
    try:
        with open(marker) as f:
            return f.read().strip()
    except (OSError, TypeError):
        return None


def sync(args, last):
    """One pass; returns the digest of the tree now in place (unchanged on failure)."""
    try:
        items = list_objects(args.kind, args.label, args.sa_dir, args.timeout)
    except (OSError, urllib.error.URLError, ValueError, KeyError) as e:
        log(f"API unreachable or failing ({e}); keeping the last good tree")
        return last, False
    tenants = tenants_of(items, args.kind, args.label, args.validate)
    d = digest(tenants)
    if d == last:
        return last, True
    write_tree(args.dir, tenants, int(args.mode, 8))
    with open(os.path.join(args.dir, "..digest"), "w") as f:
        f.write(d + "\n")
    log(f"{len(tenants)} tenant(s) in place: {', '.join(sorted(tenants))[:2000]}")
    if args.then:
        r = subprocess.run(["sh", "-c", args.then])
        if r.returncode != 0:
            log(f"hook exited {r.returncode}: {args.then}")
    return d, True


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kind", choices=["secrets", "configmaps"], required=True)
    p.add_argument("--label", required=True, help="label key; its value is the unit id")
    p.add_argument("--dir", required=True, help="tree of <unit id>/<key> files (a symlink muni switches)")
    p.add_argument("--validate", choices=sorted(VALIDATORS), default="none")
    p.add_argument("--then", default="", help="command run (sh -c) after the tree changed")
    p.add_argument("--once", action="store_true", help="sync once and exit (init container)")
    p.add_argument("--interval", type=float, default=15.0, help="seconds between syncs (default 15)")
    p.add_argument("--mode", default="0640", help="file mode of the tenant files (default 0640)")
    p.add_argument("--timeout", type=float, default=30.0, help="API request timeout in seconds")
    p.add_argument("--sa-dir", default=SA_DIR, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    # As a container's PID 1 the kernel delivers SIGTERM only to a handler: stop at once when the pod stops
    # (the tree is switched atomically, so stopping mid-sync leaves the last good tree).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    last = current_digest(args.dir)
    if args.once:
        last, ok = sync(args, None)
        return 0 if ok else 1
    while True:
        last, _ = sync(args, last)
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
