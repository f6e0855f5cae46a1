#!/usr/bin/env python3
"""Prepare and change one big folder for scripts/bench/delta-pass.sh, over IMAPS.

  reset   delete the destination folders; on the source keep its first N messages and
          expunge the rest (an earlier run's changes), or re-create it with N messages (APPEND)
  change  APPEND one new message to the source folder and flip \\Flagged on two old ones
  drop    delete the folders on both servers
  probe   add one message, then time on the source (new session) what a full listing and a
          delta pass ask: STATUS, EXAMINE, UID SEARCH RETURN (ALL) ALL, UID FETCH CHANGEDSINCE,
          UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ); prints seconds and bytes

With --maildir (the source folder's Maildir++ directory, on a local server such as the
benchmark pair's) reset writes the N messages as files instead of APPENDing them: APPEND into a
Maildir folder slows down as the folder grows (about 7 messages/s past 60 000).

Loopback only; the servers' certificate is checked against the given CA as "localhost".
"""
import argparse
import imaplib
import os
import random
import ssl
import sys
import time


class LoopbackIMAP(imaplib.IMAP4_SSL):
    """Connects to 127.0.0.1 and verifies the certificate's name "localhost"."""

    def _create_socket(self, timeout):
        sock = imaplib.IMAP4._create_socket(self, timeout)
        return self.ssl_context.wrap_socket(sock, server_hostname="localhost")


def connect(port, user, password, ca):
    imap = LoopbackIMAP("127.0.0.1", port, ssl_context=ssl.create_default_context(cafile=ca), timeout=60)
    imap.login(user, password)
    return imap


def message(index, stamp):
    body = ("Line %d of the delta benchmark message.\r\n" % index) * 20
    return ("From: Sender <sender@bench.test>\r\nTo: Owner <owner@bench.test>\r\n"
            "Subject: delta bench %s\r\nMessage-ID: <delta-%s@bench.test>\r\n"
            "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\n%s" % (stamp, stamp, body)).encode()


def write_maildir(folder, count):
    """The same messages as APPEND would store, as Maildir files in cur/ (owner as the folder's)."""
    owner = os.stat(folder)
    when = 1704103200  # Mon, 1 Jan 2024 10:00:00 +0000
    for index in range(count):
        data = message(index, "m%d" % index).replace(b"\r\n", b"\n")
        name = "%d.M%dP1.delta,S=%d,W=%d:2,%s" % (when, index, len(data), len(data) + data.count(b"\n"),
                                                  "S" if index % 3 else "")
        path = os.path.join(folder, "cur", name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (when, when))
        os.chown(path, owner.st_uid, owner.st_gid)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["reset", "change", "drop", "probe"])
    parser.add_argument("--source-port", type=int, required=True)
    parser.add_argument("--destination-port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--source-folder", required=True, help="wire name on the source, e.g. INBOX.DeltaBench")
    parser.add_argument("--destination-folder", action="append", required=True,
                        help="deleted on the destination by reset and drop; repeat for several, children first")
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--maildir", help="the source folder's Maildir++ directory: write files, not APPEND")
    args = parser.parse_args()

    source = connect(args.source_port, args.user, args.password, args.ca)
    if args.action in ("reset", "drop"):
        destination = connect(args.destination_port, args.user, args.password, args.ca)
        for name in args.destination_folder:
            destination.delete(name)
        destination.logout()
    if args.action == "drop":
        source.delete(args.source_folder)
    elif args.action == "reset":
        typ, _ = source.select(args.source_folder)
        uids = source.uid("SEARCH", "ALL")[1][0].split() if typ == "OK" else []
        if len(uids) >= args.messages:
            extra = uids[args.messages:]
            if extra:
                source.uid("STORE", extra[0].decode() + ":*", "+FLAGS.SILENT", "(\\Deleted)")
                source.expunge()
            source.close()
            source.logout()
            return 0
        if typ == "OK":
            source.close()
        source.delete(args.source_folder)
        source.create(args.source_folder)
        if args.maildir:
            write_maildir(args.maildir, args.messages)
            source.select(args.source_folder, readonly=True)  # Dovecot indexes the new files now
            source.close()
        else:
            for index in range(args.messages):
                flags = "(\\Seen)" if index % 3 else "()"
                source.append(args.source_folder, flags, None, message(index, "m%d" % index))
    elif args.action == "change":
        source.append(args.source_folder, "()", None, message(0, "new-%d" % time.time_ns()))
        source.select(args.source_folder)
        typ, data = source.uid("SEARCH", "ALL")
        uids = data[0].split()
        for uid in random.sample(uids[:-1], 2):
            typ, flags = source.uid("FETCH", uid, "(FLAGS)")
            op = "-FLAGS" if b"\\Flagged" in flags[0] else "+FLAGS"
            source.uid("STORE", uid, op, "(\\Flagged)")
    elif args.action == "probe":
        source.append(args.source_folder, "()", None, message(0, "probe-%d" % time.time_ns()))
        source.logout()
        probe(connect(args.source_port, args.user, args.password, args.ca), args.source_folder)
        return 0
    source.logout()
    return 0


def probe(imap, folder):
    def timed(label, command, answer=None):
        start = time.perf_counter()
        typ, data = command()
        seconds = time.perf_counter() - start
        if answer:  # imaplib keeps ESEARCH aside
            data = imap.untagged_responses.pop(answer, [])
        size = sum(len(item) if isinstance(item, bytes) else sum(map(len, item)) for item in data if item)
        print("%-66s %6.3f s %10d bytes" % (label, seconds, size))
        return data

    imap.enable("CONDSTORE")
    status = timed("STATUS (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)",
                   lambda: imap.status(folder, "(MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)"))[0].decode()
    words = status[status.index("(") + 1:status.rindex(")")].split()
    values = dict(zip(words[::2], map(int, words[1::2])))
    timed("EXAMINE", lambda: imap.select(folder, readonly=True))
    timed("UID SEARCH RETURN (ALL) ALL", lambda: imap.uid("SEARCH", "RETURN", "(ALL)", "ALL"), answer="ESEARCH")
    since = max(1, values["HIGHESTMODSEQ"] - 1)  # before the message just added
    old = "1:%d" % (values["UIDNEXT"] - 2)
    timed("UID FETCH %s (UID FLAGS MODSEQ) (CHANGEDSINCE %d)" % (old, since),
          lambda: imap.uid("FETCH", old, "(UID FLAGS MODSEQ)", "(CHANGEDSINCE %d)" % since))
    timed("UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ)",
          lambda: imap.uid("FETCH", "1:*", "(UID FLAGS INTERNALDATE RFC822.SIZE MODSEQ)"))
    imap.logout()

if __name__ == "__main__":
    sys.exit(main())
