#!/usr/bin/env python3
"""Seed the Tern test SOURCE Dovecot with deterministic test mail.

Called by scripts/testenv/dovecot.sh on first start (and after reset), while
the source instance runs (doveadm needs its auth socket).

How: messages are written into a throwaway Maildir (LAYOUT=fs) with flags
in the file names, keywords in dovecot-keywords and INTERNALDATE as file
mtime; then one `doveadm import` per user copies it into the real mailbox
under the "INBOX." prefix (Sent -> INBOX.Sent, Projects/2024 ->
INBOX.Projects.2024), preserving flags, keywords and received dates, and
subscribing the folders. Finally the UIDs are read back and a manifest is
written to <state>/source/seed.json so tests can assert on exact content.

Every message carries an `X-Tern-Seed-ID: <user>/<folder>/<n>` header.
"""
import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

DOMAIN = "example.test"
SEED_MID = "seed.tern.test"

# (name in the source's personal namespace without "INBOX.", path parts)
def mutf7(name):
    """IMAP modified UTF-7 (RFC 3501 5.1.3), as Dovecot stores folder names."""
    out, buf = [], []

    def flush():
        if buf:
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
    return "".join(out)


def dt(s, tz_minutes=0):
    """'2021-03-04 05:06:07' in UTC -> aware datetime; header shown in tz."""
    d = datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    return d, timezone(timedelta(minutes=tz_minutes))


def rfc2822(d, tz):
    return d.astimezone(tz).strftime("%a, %d %b %Y %H:%M:%S %z")


class Msg:
    def __init__(self, user, folder, n, subject, date, *, frm=None, to=None,
                 flags="", keywords=(), mid="auto", body=None, tz=0,
                 extra_headers=(), raw_body=None, content_type=None):
        self.user, self.folder, self.n = user, folder, n
        self.seed_id = f"{user}/{folder}/{n}"
        self.subject = subject
        self.internaldate, self.tz = dt(date, tz)
        self.flags = flags            # Maildir letters: D F R S (sorted later)
        self.keywords = list(keywords)
        if mid == "auto":
            slug = folder.lower().replace("/", "-").encode("ascii", "ignore").decode() or "x"
            mid = f"<{user}-{slug}-{n}@{SEED_MID}>"
        self.message_id = mid
        self.frm = frm or f"Sender {n} <sender{n}@{DOMAIN}>"
        self.to = to or f"{user.capitalize()} <{user}@{DOMAIN}>"
        self.body = body if body is not None else (
            f"Hello {user},\n\nThis is seed message {n} in {folder}.\n\n-- \nTern test seed\n")
        self.extra_headers = list(extra_headers)
        self.raw_body = raw_body
        self.content_type = content_type

    def render(self):
        # Date header: a few minutes before INTERNALDATE, in the sender's zone.
        h = [
            f"Return-Path: <{self.frm.split('<')[-1].rstrip('>')}>",
            f"From: {self.frm}",
            f"To: {self.to}",
            f"Subject: {self.subject}",
            f"Date: {rfc2822(self.internaldate - timedelta(minutes=3), self.tz)}",
        ]
        if self.message_id:
            h.append(f"Message-ID: {self.message_id}")
        h.append("MIME-Version: 1.0")
        h.extend(self.extra_headers)
        h.append(f"X-Tern-Seed-ID: {self.seed_id}")
        if self.raw_body is not None:
            h.append(f"Content-Type: {self.content_type}")
            return ("\n".join(h) + "\n\n").encode("utf-8") + self.raw_body
        h.append(self.content_type or "Content-Type: text/plain; charset=us-ascii")
        return ("\n".join(h) + "\n\n" + self.body).encode("utf-8")


def big_attachment_message(user, folder, n, date):
    rnd = random.Random(20240607)
    payload = rnd.randbytes(760 * 1024)
    b64 = base64.encodebytes(payload)  # 76-char lines
    boundary = "tern-seed-boundary-1MB"
    body = (
        f"--{boundary}\n"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        "Quarterly report attached (about 1 MB, random bytes).\n\n"
        f"--{boundary}\n"
        "Content-Type: application/octet-stream; name=\"report-q2.bin\"\n"
        "Content-Disposition: attachment; filename=\"report-q2.bin\"\n"
        "Content-Transfer-Encoding: base64\n\n"
    ).encode() + b64 + f"\n--{boundary}--\n".encode()
    return Msg(user, folder, n, "Quarterly report (large attachment)", date,
               frm=f"Finance <finance@{DOMAIN}>", flags="S",
               raw_body=body,
               content_type=f"multipart/mixed; boundary=\"{boundary}\"")


def corpus():
    """All seed messages. Folder names are as seen under the source prefix
    "INBOX." with "/" as hierarchy separator here ("Projects/2024")."""
    m = []
    A = "alice"
    # ---- alice INBOX: 20 messages
    inbox_dates = [
        "2019-02-11 08:15:00", "2019-07-23 17:42:10", "2020-01-05 09:00:00",
        "2020-03-14 15:09:26", "2020-08-30 22:01:44", "2021-01-01 00:00:01",
        "2021-04-18 11:11:11", "2021-09-09 09:09:09", "2022-02-22 14:22:22",
        "2022-06-30 23:59:59", "2022-12-24 18:30:00", "2023-03-01 07:45:00",
        "2023-05-17 12:34:56", "2023-10-31 20:00:00", "2024-01-15 10:20:30",
    ]
    inbox_flags = {1: "S", 2: "RS", 3: "FS", 4: "S", 5: "RS", 6: "S", 7: "FS",
                   8: "S", 9: "S", 10: "S"}          # 11-15 unseen
    inbox_kw = {4: ["$Label1"], 7: ["$Label1"]}
    tzs = [0, 60, -300, 120, 330, -480, 0, 60, -240, 540, 0, 60, -300, 120, 0]
    for i, d in enumerate(inbox_dates, start=1):
        m.append(Msg(A, "INBOX", i, f"Seed INBOX message {i}", d,
                     flags=inbox_flags.get(i, ""), keywords=inbox_kw.get(i, ()),
                     tz=tzs[i - 1]))
    m.append(Msg(A, "INBOX", 16, "Message without Message-ID", "2024-02-02 02:02:02",
                 mid=None, flags="S",
                 body="This message has no Message-ID header on purpose.\n"))
    for k in (17, 18):
        m.append(Msg(A, "INBOX", k, "Duplicate Message-ID", "2024-03-03 03:03:03",
                     mid=f"<duplicate@{SEED_MID}>", flags="S" if k == 17 else "",
                     body=f"Two messages share this Message-ID; this is copy {k - 16} of 2.\n"))
    m.append(Msg(A, "INBOX", 19, "Grüße aus Köln – Résumé für Zoë ✓", "2024-04-04 04:04:04",
                 frm=f"Jörg Müller <joerg@{DOMAIN}>", tz=60,
                 content_type="Content-Type: text/plain; charset=utf-8\n"
                              "Content-Transfer-Encoding: 8bit",
                 body="Raw 8-bit UTF-8 subject and body: Grüße, naïve café, 日本語, ✓.\n"))
    m.append(big_attachment_message(A, "INBOX", 20, "2024-05-05 05:05:05"))

    # ---- alice other folders
    for i, d in enumerate(["2023-01-10 10:00:00", "2023-02-11 11:00:00", "2023-03-12 12:00:00",
                           "2023-04-13 13:00:00", "2024-06-14 14:00:00"], start=1):
        m.append(Msg(A, "Sent", i, f"Sent message {i}", d, frm=f"Alice <alice@{DOMAIN}>",
                     to=f"Recipient {i} <rcpt{i}@{DOMAIN}>", flags="S"))
    m.append(Msg(A, "Drafts", 1, "Draft: unfinished proposal", "2024-07-01 09:30:00",
                 frm=f"Alice <alice@{DOMAIN}>", to=f"Bob <bob@{DOMAIN}>", flags="DS"))
    m.append(Msg(A, "Drafts", 2, "Draft: empty recipient", "2024-07-02 16:45:00",
                 frm=f"Alice <alice@{DOMAIN}>", to="", flags="D"))
    for i, d in enumerate(["2019-01-01 12:00:00", "2019-06-15 12:00:00", "2020-12-31 23:00:00"], start=1):
        m.append(Msg(A, "Archive", i, f"Archived message {i}", d, flags="S"))
    for i, d in enumerate(["2023-06-01 08:00:00", "2023-06-02 08:00:00",
                           "2023-06-03 08:00:00", "2023-06-04 08:00:00"], start=1):
        m.append(Msg(A, "Projects", i, f"Project note {i}", d,
                     flags={1: "S", 2: "FS", 3: "", 4: "RS"}[i],
                     keywords=["$Label1"] if i == 3 else ()))
    for i, d in enumerate(["2024-01-02 10:00:00", "2024-02-03 10:00:00",
                           "2024-03-04 10:00:00", "2024-04-05 10:00:00"], start=1):
        m.append(Msg(A, "Projects/2024", i, f"Project 2024 update {i}", d,
                     flags={1: "S", 2: "S", 3: "F", 4: ""}[i]))
    for i, d in enumerate(["2022-11-11 11:11:00", "2022-11-12 11:12:00"], start=1):
        m.append(Msg(A, "Entwürfe", i, f"Entwurf {i}: Angebot für Müller GmbH", d, flags="S",
                     content_type="Content-Type: text/plain; charset=utf-8\n"
                                  "Content-Transfer-Encoding: 8bit",
                     body="Sehr geehrte Damen und Herren, anbei der Entwurf.\n"))
    for i, d in enumerate(["2021-05-05 15:00:00", "2021-05-06 15:30:00"], start=1):
        m.append(Msg(A, "Réunions", i, f"Compte rendu de réunion {i}", d,
                     flags="S" if i == 1 else "",
                     content_type="Content-Type: text/plain; charset=utf-8\n"
                                  "Content-Transfer-Encoding: 8bit",
                     body="Ordre du jour : café, budget, prochaines étapes.\n"))

    # ---- bob INBOX: 5 messages
    for i, d in enumerate(["2022-01-01 10:00:00", "2022-02-02 10:00:00", "2022-03-03 10:00:00",
                           "2022-04-04 10:00:00", "2022-05-05 10:00:00"], start=1):
        m.append(Msg("bob", "INBOX", i, f"Bob's message {i}", d,
                     flags={1: "S", 2: "S", 3: "FS", 4: "", 5: ""}[i],
                     keywords=["$Label1"] if i == 5 else ()))
    return m


FLAG_NAMES = {"D": "\\Draft", "F": "\\Flagged", "R": "\\Answered", "S": "\\Seen"}


def write_seed_maildir(root, msgs):
    """Write msgs of one user into root (Maildir LAYOUT=fs, INBOX at root)."""
    by_folder = {}
    for msg in msgs:
        by_folder.setdefault(msg.folder, []).append(msg)
    for folder, fmsgs in by_folder.items():
        d = root if folder == "INBOX" else os.path.join(root, *[mutf7(p) for p in folder.split("/")])
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
        kws = []
        for msg in fmsgs:
            for k in msg.keywords:
                if k not in kws:
                    kws.append(k)
        if kws:
            with open(os.path.join(d, "dovecot-keywords"), "w") as f:
                for i, k in enumerate(kws):
                    f.write(f"{i} {k}\n")
        for msg in fmsgs:
            letters = "".join(sorted(msg.flags)) + "".join(
                sorted(chr(ord("a") + kws.index(k)) for k in msg.keywords))
            # Base name sorts in seed order, so UIDs come out 1..n in order.
            name = f"{1500000000 + msg.n}.M{msg.n:04d}.tern-seed:2,{letters}"
            p = os.path.join(d, "cur", name)
            with open(p, "wb") as f:
                f.write(msg.render())
            t = msg.internaldate.timestamp()
            os.utime(p, (t, t))


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write(f"seed.py: command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
        sys.exit(1)
    return r.stdout


def chown_tree(path, uid, gid):
    for dirpath, dirnames, filenames in os.walk(path):
        os.chown(dirpath, uid, gid)
        for n in filenames:
            os.chown(os.path.join(dirpath, n), uid, gid)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--uid", type=int, required=True)
    ap.add_argument("--gid", type=int, required=True)
    a = ap.parse_args()
    t0 = time.time()
    conf = os.path.join(a.state, "source", "dovecot.conf")
    tmp = os.path.join(a.state, "seed-tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    os.chmod(tmp, 0o755)

    msgs = corpus()
    users = []
    for msg in msgs:
        if msg.user not in users:
            users.append(msg.user)
    for user in users:
        root = os.path.join(tmp, user, "Maildir")
        write_seed_maildir(root, [x for x in msgs if x.user == user])
    chown_tree(tmp, a.uid, a.gid)

    manifest = {"source": {}, "destination": {}}
    summary = []
    for user in users:
        src = f"maildir:{os.path.join(tmp, user, 'Maildir')}:LAYOUT=fs"
        run(["doveadm", "-c", conf, "import", "-u", user, "-s", src, "INBOX", "all"])
        # Read back UIDs per seed id, and the counts per mailbox.
        out = run(["doveadm", "-c", conf, "-f", "tab", "fetch", "-u", user,
                   "mailbox uid hdr.x-tern-seed-id", "all"])
        uids = {}
        for line in out.splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) >= 3:
                uids[parts[2].strip()] = (parts[0], int(parts[1]))
        # Note: with the "INBOX." prefix doveadm's mask "*" matches nothing.
        status = run(["doveadm", "-c", conf, "-f", "tab", "mailbox", "status", "-u", user,
                      "messages", "INBOX", "INBOX.*"])
        folders = {}
        for line in status.splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) == 2:
                folders[parts[0]] = int(parts[1])
        umsgs = []
        for msg in (x for x in msgs if x.user == user):
            mbox, uid = uids.get(msg.seed_id, (None, None))
            if mbox is None:
                sys.stderr.write(f"seed.py: {msg.seed_id} missing after import\n")
                sys.exit(1)
            raw = msg.render()
            umsgs.append({
                "seedId": msg.seed_id,
                "mailbox": mbox,
                "uid": uid,
                "messageId": msg.message_id,
                "subject": msg.subject,
                "flags": sorted(FLAG_NAMES[c] for c in msg.flags) + msg.keywords,
                "internalDate": msg.internaldate.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "size": len(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")),
            })
        manifest["source"][user] = {"mailboxes": folders, "messages": umsgs}
        summary.append(f"{user}: " + ", ".join(f"{k}={v}" for k, v in folders.items()))
    shutil.rmtree(tmp, ignore_errors=True)

    for user in ("carol", "dave"):
        manifest["source"].setdefault(user, {"mailboxes": {}, "messages": []})
    path = os.path.join(a.state, "source", "seed.json")
    with open(path + ".tmp", "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(path + ".tmp", path)
    os.chmod(path, 0o644)
    total = sum(len(v["messages"]) for v in manifest["source"].values())
    print(f"seeded source with {total} messages in {time.time() - t0:.2f}s "
          f"(carol, dave and the destination start empty; manifest {path})")
    for s in summary:
        print("  " + s)


if __name__ == "__main__":
    main()
