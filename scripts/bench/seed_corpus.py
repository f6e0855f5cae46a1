#!/usr/bin/env python3
"""Write the benchmark corpus straight into the bench SOURCE Dovecot's Maildirs.

No IMAP, no doveadm import: message files are created in Maildir++ layout
(<home>/<user>/Maildir, folders ".Sent", ".Projects.2024", ...) with flags in
the file names, S= (physical) and W= (RFC822/CRLF) sizes in the names, and the
INTERNALDATE as file mtime. Dovecot builds its indexes on first access (the
benchmark pre-indexes with doveadm before any timed run).

Deterministic (fixed random seed): the same corpus every run.

Sizes are log-normal (median ~10 KB, clamped to 2 KB .. 4 MB); messages over
~12 KB carry a base64 attachment of random (incompressible) bytes. One extra
message of ~50 MB goes into the first user's Archive.

Writes <out>/corpus.json: per user/folder message counts and RFC822 byte totals.
"""
import argparse
import base64
import json
import math
import os
import random
import shutil
import sys
import time

FOLDERS = [  # (Maildir++ directory, portable name, share of the user's mail)
    ("", "INBOX", 0.42),
    (".Sent", "Sent", 0.20),
    (".Archive", "Archive", 0.18),
    (".Projects", "Projects", 0.07),
    (".Projects.2024", "Projects/2024", 0.08),
    (".Drafts", "Drafts", 0.05),
]

WORDS = ("the quick brown fox jumps over lazy dog invoice meeting agenda project budget report "
         "quarter review draft please find attached regards thanks schedule customer order "
         "shipment delivery update status contract renewal proposal minutes action items").split()


def text_block(rng, n):
    out, size = [], 0
    line = []
    while size < n:
        w = rng.choice(WORDS)
        line.append(w)
        size += len(w) + 1
        if len(line) >= 12:
            out.append(" ".join(line))
            line = []
    if line:
        out.append(" ".join(line))
    return "\n".join(out) + "\n"


def message(rng, user, folder, n, target, when):
    mid = f"<bench.{user}.{folder.replace('/', '-')}.{n}@bench.tern.test>"
    peer = f"contact{rng.randrange(200)}@partner{rng.randrange(20)}.example"
    me = f"{user}@bench.example"
    frm, to = (me, peer) if folder in ("Sent", "Drafts") else (peer, me)
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when))
    subject = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 9))).capitalize()
    head = (f"Return-Path: <{frm}>\n"
            f"Received: from mx.partner.example (mx.partner.example [192.0.2.{rng.randrange(1, 254)}])\n"
            f"\tby mail.bench.example with ESMTPS id {rng.getrandbits(48):012x}; {date}\n"
            f"Message-ID: {mid}\nDate: {date}\nFrom: {frm}\nTo: {to}\nSubject: {subject}\n"
            f"X-Tern-Bench: {user}/{folder}/{n}\nMIME-Version: 1.0\n")
    body_text = min(target - len(head) - 200, 12 * 1024)
    if target <= 12 * 1024 + 1024:
        text = text_block(rng, max(body_text, 200))
        return (head + "Content-Type: text/plain; charset=us-ascii\n\n" + text).encode()
    boundary = f"=_bench_{rng.getrandbits(64):016x}"
    text = text_block(rng, max(body_text, 200))
    parts = [head + f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n',
             f"--{boundary}\nContent-Type: text/plain; charset=us-ascii\n\n{text}\n",
             f"--{boundary}\nContent-Type: application/octet-stream; name=\"file{n}.bin\"\n"
             f"Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"file{n}.bin\"\n\n"]
    prefix = "".join(parts).encode()
    tail = f"\n--{boundary}--\n".encode()
    remaining = max(target - len(prefix) - len(tail), 64)
    raw = rng.randbytes(remaining * 3 // 4 * 76 // 77)
    return prefix + base64.encodebytes(raw) + tail


def flags_for(rng, folder):
    f = set()
    if folder == "Drafts":
        f.add("D")
        if rng.random() < 0.3:
            f.add("S")
        return f
    if folder == "Sent" or rng.random() < 0.8:
        f.add("S")
    if rng.random() < 0.05:
        f.add("F")
    if rng.random() < 0.15:
        f.add("R")
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", required=True, help="the source instance's home directory")
    ap.add_argument("--out", required=True, help="where corpus.json goes")
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--messages", type=int, default=5000, help="total messages (besides the big one)")
    ap.add_argument("--median-kb", type=float, default=10.0)
    ap.add_argument("--sigma", type=float, default=1.4)
    ap.add_argument("--max-kb", type=int, default=4096)
    ap.add_argument("--big-mb", type=int, default=50, help="size of the one big message (0: none)")
    ap.add_argument("--uid", type=int, required=True)
    ap.add_argument("--gid", type=int, required=True)
    args = ap.parse_args()

    rng = random.Random(20240601)
    users = [f"bench{i:02d}" for i in range(1, args.users + 1)]
    # Uneven mailboxes: weights 0.5 .. 1.5.
    weights = [0.5 + rng.random() for _ in users]
    total_w = sum(weights)
    mu = math.log(args.median_kb * 1024)
    now = int(time.time())
    summary = {"users": {}, "messages": 0, "bytes": 0, "largest": 0}
    seq = 0
    for ui, user in enumerate(users):
        root = os.path.join(args.home, user, "Maildir")
        if os.path.exists(os.path.join(args.home, user)):
            shutil.rmtree(os.path.join(args.home, user))
        n_user = round(args.messages * weights[ui] / total_w)
        udoc = {}
        for fdir, fname, share in FOLDERS:
            d = os.path.join(root, fdir) if fdir else root
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(d, sub), exist_ok=True)
            if fdir:
                open(os.path.join(d, "maildirfolder"), "w").close()
            count = max(1, round(n_user * share))
            big = args.big_mb > 0 and ui == 0 and fname == "Archive"
            fbytes, fcount = 0, 0
            for n in range(count + (1 if big else 0)):
                if big and n == count:
                    target = args.big_mb * 1024 * 1024
                else:
                    target = int(min(max(rng.lognormvariate(mu, args.sigma), 2048), args.max_kb * 1024))
                when = now - rng.randrange(0, 5 * 365 * 86400)
                data = message(rng, user, fname, n, target, when)
                vsize = len(data) + data.count(b"\n")  # as served over IMAP (CRLF)
                fl = "".join(sorted(flags_for(rng, fname)))
                seq += 1
                base = f"{when}.M{seq}P1.bench,S={len(data)},W={vsize}:2,{fl}"
                path = os.path.join(d, "cur", base)
                with open(path, "wb") as f:
                    f.write(data)
                os.utime(path, (when, when))
                fbytes += vsize
                fcount += 1
                summary["largest"] = max(summary["largest"], vsize)
            udoc[fname] = {"messages": fcount, "bytes": fbytes}
            summary["messages"] += fcount
            summary["bytes"] += fbytes
        summary["users"][user] = udoc
        for dirpath, dirnames, filenames in os.walk(os.path.join(args.home, user)):
            os.chown(dirpath, args.uid, args.gid)
            for fn in filenames:
                os.chown(os.path.join(dirpath, fn), args.uid, args.gid)
    with open(os.path.join(args.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(f"corpus: {len(users)} users, {summary['messages']} messages, "
          f"{summary['bytes'] / 1e6:.1f} MB (RFC822 sizes), largest {summary['largest'] / 1e6:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
