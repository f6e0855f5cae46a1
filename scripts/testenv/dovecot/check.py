#!/usr/bin/env python3
"""Smoke test of the Tern test Dovecot instances (read-only).

Usage: check.py [state_dir]   (default ${TERN_TESTENV_DIR:-/tmp/tern-testenv})
Run by `scripts/testenv/dovecot.sh check`. Prints what it checks and the
CAPABILITY lines; exits 1 on the first failed expectation. Only ever talks
to 127.0.0.1. Does not change any mailbox (SELECT is done read-only).
"""
import imaplib
import json
import os
import re
import socket
import ssl
import sys

STATE = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TERN_TESTENV_DIR", "/tmp/tern-testenv")
CFG = json.load(open(os.path.join(STATE, "dovecot.json")))
SEED = json.load(open(CFG["seedManifest"]))
CA = CFG["ca"]
HOST = "127.0.0.1"

failures = 0


def ok(cond, what):
    global failures
    print(("  ok   " if cond else "  FAIL ") + what)
    if not cond:
        failures += 1
        sys.exit(1)


def ctx():
    c = ssl.create_default_context(cafile=CA)
    c.check_hostname = True
    return c


def tls(port):
    return imaplib.IMAP4_SSL(HOST, port, ssl_context=ctx())


def caps(m):
    typ, data = m.capability()
    return data[0].decode()


def main():
    src, dst = CFG["source"], CFG["destination"]
    pw = CFG["users"]
    mu, mpw = CFG["master"]["user"], CFG["master"]["password"]

    print("TLS certificate chain (CA %s, name localhost)" % CA)
    for name, inst in (("source", src), ("destination", dst)):
        with socket.create_connection((HOST, inst["tlsPort"]), timeout=5) as s:
            with ctx().wrap_socket(s, server_hostname="localhost") as t:
                ok(t.version() in ("TLSv1.2", "TLSv1.3"),
                   f"{name} :{inst['tlsPort']} implicit TLS verifies ({t.version()})")
        m = imaplib.IMAP4(HOST, inst["port"], timeout=5)
        m.starttls(ssl_context=ctx())
        ok(True, f"{name} :{inst['port']} STARTTLS verifies")
        m.logout()

    print("Plaintext authentication without TLS")
    m = imaplib.IMAP4(HOST, src["port"], timeout=5)
    greeting = m.welcome.decode()
    print("   source greeting:", greeting)
    ok("LOGINDISABLED" in greeting, "source advertises LOGINDISABLED before STARTTLS")
    try:
        m.login("alice", pw["alice"])
        ok(False, "source refuses LOGIN without TLS")
    except imaplib.IMAP4.error as e:
        ok("PRIVACYREQUIRED" in str(e) or "disallowed" in str(e).lower(),
           f"source refuses LOGIN without TLS ({e})")
    try:
        m.authenticate("PLAIN", lambda _: f"\0alice\0{pw['alice']}".encode())
        ok(False, "source refuses AUTHENTICATE PLAIN without TLS")
    except imaplib.IMAP4.error as e:
        ok(True, f"source refuses AUTHENTICATE PLAIN without TLS ({e})")
    m.shutdown()
    m = imaplib.IMAP4(HOST, dst["port"], timeout=5)
    print("   destination greeting:", m.welcome.decode())
    m.login("alice", pw["alice"])
    ok(True, "destination accepts LOGIN without TLS (client must refuse by itself)")
    m.logout()

    print("CAPABILITY after LOGIN")
    want = ["IMAP4rev1", "LITERAL+", "ID", "ENABLE", "IDLE", "UIDPLUS", "MULTIAPPEND",
            "CONDSTORE", "QRESYNC", "SPECIAL-USE", "LIST-STATUS", "QUOTA", "NAMESPACE",
            "LIST-EXTENDED", "MOVE", "ESEARCH", "SORT", "UNSELECT"]
    for name, inst in (("source", src), ("destination", dst)):
        m = tls(inst["tlsPort"])
        pre = caps(m)
        print(f"   {name} pre-auth : {pre}")
        m.login("alice", pw["alice"])
        c = caps(m)
        print(f"   {name} post-auth: {c}")
        have = c.split()
        missing = [w for w in want if w not in have]
        ok(not missing, f"{name} has {' '.join(want)}" + (f" (missing {missing})" if missing else ""))
        if name == "destination":
            ok("COMPRESS=DEFLATE" in have, "destination has COMPRESS=DEFLATE")
        else:
            ok("COMPRESS=DEFLATE" not in have, "source has no COMPRESS=DEFLATE")
        typ, data = m.namespace()
        print(f"   {name} NAMESPACE: {data[0].decode()}")
        typ, data = m.getquotaroot("INBOX")
        flat = [d.decode() for part in data for d in (part if isinstance(part, list) else [part])]
        print(f"   {name} GETQUOTAROOT INBOX: {flat}")
        ok(typ == "OK" and any("STORAGE" in d for d in flat), f"{name} GETQUOTAROOT answers")
        m.logout()

    print('LIST "" "*"')
    for name, inst in (("source", src), ("destination", dst)):
        m = tls(inst["tlsPort"])
        m.login("alice", pw["alice"])
        typ, data = m.list('""', "*")
        lines = [d.decode() for d in data]
        for line in lines:
            print(f"   {name}: {line}")
        sent = [l for l in lines if "\\Sent" in l]
        exp = 'INBOX.Sent' if name == "source" else 'Sent'
        ok(len(sent) == 1 and sent[0].endswith(f' {exp}') and f'"{inst["separator"]}"' in sent[0],
           f"{name}: \\Sent is {exp}, separator {inst['separator']!r}")
        m.logout()

    print("Seed content (STATUS, flags, INTERNALDATE) on the source")
    for user, info in SEED["source"].items():
        m = tls(src["tlsPort"])
        m.login(user, pw[user])
        for mbox, count in info["mailboxes"].items():
            typ, data = m.status(mbox_q(mbox), "(MESSAGES)")
            n = int(re.search(rb"MESSAGES (\d+)", data[0]).group(1))
            ok(n == count, f"{user} {mbox}: {n} messages")
        if not info["mailboxes"]:
            typ, data = m.status("INBOX", "(MESSAGES)")
            ok(b"MESSAGES 0" in data[0], f"{user} INBOX: empty")
        by_box = {}
        for msg in info["messages"]:
            by_box.setdefault(msg["mailbox"], []).append(msg)
        for mbox, msgs in by_box.items():
            m.select(mbox_q(mbox), readonly=True)
            typ, data = m.uid("FETCH", "1:*", "(UID FLAGS INTERNALDATE RFC822.SIZE)")
            got = {}
            for d in data:
                d = d.decode() if isinstance(d, bytes) else d[0].decode()
                uid = int(re.search(r"UID (\d+)", d).group(1))
                flags = re.search(r"FLAGS \(([^)]*)\)", d).group(1).split()
                idate = re.search(r'INTERNALDATE "([^"]+)"', d).group(1)
                size = int(re.search(r"RFC822.SIZE (\d+)", d).group(1))
                got[uid] = (sorted(f for f in flags if f != "\\Recent"), idate, size)
            for msg in msgs:
                g = got.get(msg["uid"])
                exp_date = imap_date(msg["internalDate"])
                good = (g is not None and g[0] == sorted(msg["flags"]) and g[1] == exp_date
                        and g[2] == msg["size"])
                if not good:
                    ok(False, f"{msg['seedId']} uid {msg['uid']}: got {g}, want "
                              f"{(sorted(msg['flags']), exp_date, msg['size'])}")
            ok(True, f"{user} {mbox}: flags, INTERNALDATE and sizes of {len(msgs)} messages match")
        m.logout()
    m = tls(dst["tlsPort"])
    m.login("alice", pw["alice"])
    typ, data = m.status("INBOX", "(MESSAGES)")
    ok(b"MESSAGES 0" in data[0], "destination alice INBOX is empty")
    m.logout()

    print("Master user and SASL PLAIN with authzid")
    for name, inst in (("source", src), ("destination", dst)):
        exp = SEED["source"]["alice"]["mailboxes"]["INBOX"] if name == "source" else 0
        m = tls(inst["tlsPort"])
        m.login(f"alice{CFG['master']['separator']}{mu}", mpw)
        typ, data = m.status("INBOX", "(MESSAGES)")
        ok(f"MESSAGES {exp}".encode() in data[0], f"{name}: LOGIN alice*{mu} is alice ({data[0].decode()})")
        m.logout()
        m = tls(inst["tlsPort"])
        m.authenticate("PLAIN", lambda _: f"alice\0{mu}\0{mpw}".encode())
        typ, data = m.status("INBOX", "(MESSAGES)")
        ok(f"MESSAGES {exp}".encode() in data[0],
           f"{name}: AUTHENTICATE PLAIN authzid=alice authcid={mu} is alice")
        m.logout()
        m = tls(inst["tlsPort"])
        try:
            m.login("alice", "wrong")
            ok(False, f"{name}: wrong password refused")
        except imaplib.IMAP4.error:
            ok(True, f"{name}: wrong password refused")
        m.shutdown()
        m = tls(inst["tlsPort"])
        try:
            m.login(mu, mpw)
            ok(False, f"{name}: master user alone cannot log in")
        except imaplib.IMAP4.error:
            ok(True, f"{name}: master user alone cannot log in")
        m.shutdown()

    print("ManageSieve on destination")
    with socket.create_connection((HOST, dst["manageSievePort"]), timeout=5) as s:
        banner = s.recv(4096).decode(errors="replace")
        ok('"IMPLEMENTATION"' in banner, f"ManageSieve :{dst['manageSievePort']} answers")

    print("LMTP")
    for name, inst in (("source", src), ("destination", dst)):
        with socket.create_connection((HOST, inst["lmtpPort"]), timeout=5) as s:
            banner = s.recv(4096).decode(errors="replace")
            ok(banner.startswith("220"), f"{name} LMTP :{inst['lmtpPort']} answers")
            s.sendall(b"QUIT\r\n")

    print("all checks passed")


def mbox_q(name):
    """Quote a mailbox name for imaplib, encoding non-ASCII as modified UTF-7."""
    out, buf = [], []

    def flush():
        if buf:
            import base64
            b = base64.b64encode("".join(buf).encode("utf-16-be")).decode()
            out.append("&" + b.rstrip("=").replace("/", ",") + "-")
            buf.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            buf.append(ch)
    flush()
    return '"' + "".join(out) + '"'


def imap_date(iso):
    """Dovecot shows INTERNALDATE in the server's local zone (the machine's)."""
    from datetime import datetime, timezone
    d = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).astimezone()
    return d.strftime("%d-%b-%Y %H:%M:%S %z")


if __name__ == "__main__":
    main()
