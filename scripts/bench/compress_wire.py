#!/usr/bin/env python3
"""What COMPRESS=DEFLATE (RFC 4978) saves on the wire, measured on the local test servers.

    scripts/bench/compress_wire.py TERN_BINARY [--user u32] [--messages 400]

1. Writes the benchmark corpus for one mailbox (scripts/bench/seed_corpus.py: text parts,
   log-normal sizes, base64 attachments of random bytes) to a temporary folder and appends it
   over IMAPS to a `Wire-…` folder tree of USER on the test *source* (which offers no COMPRESS).
2. Runs `tern sync` of that tree twice into USER on the test *destination* (which offers
   COMPRESS=DEFLATE), each into its own `--subfolder2` and with its own state: once as is
   (compression on), once with `--no-compress2`. The destination link goes through a loopback
   proxy here that counts the bytes each way; TLS passes through, so the counts are what the
   network carries.
3. Prints bytes each way, tern's CPU seconds (rusage) and wall time per run, then deletes every
   folder it made on both servers.

Needs the test servers (scripts/testenv/dovecot.sh start) and only touches USER's `Wire-…`
folders. Figures are in docs/benchmarks.md.
"""
import argparse
import imaplib
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

ENV_DIR = os.environ.get("TERN_TESTENV_DIR", "/tmp/tern-testenv")
HERE = os.path.dirname(os.path.abspath(__file__))


class CountingProxy:
    """Forwards 127.0.0.1:<port> to 127.0.0.1:<target> and counts bytes per direction."""

    def __init__(self, target):
        self.target = target
        self.counts = {"up": 0, "down": 0}
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            client, _ = self.listener.accept()
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self.pump, args=(client, upstream, "up"), daemon=True).start()
            threading.Thread(target=self.pump, args=(upstream, client, "down"), daemon=True).start()

    def pump(self, src, dst, key):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
                with self.lock:
                    self.counts[key] += len(data)
        except OSError:
            pass
        finally:
            for sock, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
                try:
                    sock.shutdown(how)
                except OSError:
                    pass

    def snapshot(self):
        with self.lock:
            return dict(self.counts)


def imap(env, side, user):
    context = ssl.create_default_context(cafile=env["ca"])
    connection = imaplib.IMAP4_SSL("localhost", env[side]["tlsPort"], ssl_context=context)
    connection.login(user, env["users"][user])
    return connection


def delete_tree(connection, pattern):
    status, lines = connection.list('""', pattern)
    names = []
    for line in lines or []:
        if not line:
            continue
        match = re.match(rb'\(.*?\) (?:"(?:[^"\\]|\\.)*"|NIL) (.*)$', line)
        if match:
            names.append(match.group(1).decode())
    for name in sorted(names, key=len, reverse=True):
        connection.delete(name)


def seed(env, user, corpus_home, tree):
    """Appends the corpus's Maildir files to <tree>.<folder> on the source, flags and dates kept."""
    connection = imap(env, "source", user)
    maildir = os.path.join(corpus_home, "bench01", "Maildir")
    count = 0
    total = 0
    for entry in sorted(os.listdir(maildir)) + [""]:
        folder_dir = os.path.join(maildir, entry)
        if entry and not entry.startswith("."):
            continue
        name = "INBOX." + tree + (entry if entry else ".INBOX")
        connection.create(name)
        for file_name in sorted(os.listdir(os.path.join(folder_dir, "cur"))):
            path = os.path.join(folder_dir, "cur", file_name)
            data = open(path, "rb").read().replace(b"\n", b"\r\n")
            letters = file_name.rsplit(":2,", 1)[1]
            flags = " ".join({"S": "\\Seen", "F": "\\Flagged", "R": "\\Answered", "D": "\\Draft"}[c]
                             for c in letters)
            when = imaplib.Time2Internaldate(os.stat(path).st_mtime)
            status, _ = connection.append(name, f"({flags})", when, data)
            assert status == "OK", (name, status)
            count += 1
            total += len(data)
    connection.logout()
    return count, total


def run_sync(tern, env, user, tree, proxy, work, mode):
    passwords = os.path.join(work, "pw")
    with open(passwords, "w") as out:
        out.write(env["users"][user])
    os.chmod(passwords, 0o600)
    arguments = [
        tern, "sync",
        "--host1", "127.0.0.1", "--port1", str(env["source"]["tlsPort"]), "--ca-file1", env["ca"],
        "--tls-server-name1", "localhost", "--user1", user, "--password-file1", passwords,
        "--host2", "127.0.0.1", "--port2", str(proxy.port), "--ca-file2", env["ca"],
        "--tls-server-name2", "localhost", "--user2", user, "--password-file2", passwords,
        "--include", f"^{tree}(/|$)", "--subfolder2", f"{tree}-{mode}",
        "--state", os.path.join(work, f"state-{mode}.sqlite"), "--log-dir", os.path.join(work, f"logs-{mode}"),
        "--json",
    ]
    if mode == "off":
        arguments.append("--no-compress2")
    before = proxy.snapshot()
    start = time.monotonic()
    with open(os.path.join(work, f"{mode}.out"), "wb") as out, open(os.path.join(work, f"{mode}.err"), "wb") as err:
        process = subprocess.Popen(arguments, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    time.sleep(0.5)  # the proxy's last bytes
    after = proxy.snapshot()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"tern sync ({mode}) failed:\n" + open(os.path.join(work, f"{mode}.err")).read())
    summary = json.loads(open(os.path.join(work, f"{mode}.out")).read().strip().splitlines()[-1])
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "up": after["up"] - before["up"],
            "down": after["down"] - before["down"], "summary": summary}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tern")
    parser.add_argument("--user", default="u32")
    parser.add_argument("--messages", type=int, default=400)
    args = parser.parse_args()
    env = json.load(open(os.path.join(ENV_DIR, "dovecot.json")))
    tree = f"Wire-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="tern-wire-") as work:
        subprocess.run([sys.executable, os.path.join(HERE, "seed_corpus.py"), "--home", os.path.join(work, "home"),
                        "--out", work, "--users", "1", "--messages", str(args.messages), "--big-mb", "0",
                        "--uid", str(os.getuid()), "--gid", str(os.getgid())], check=True)
        try:
            count, total = seed(env, args.user, os.path.join(work, "home"), tree)
            print(f"seeded {count} messages, {total / 1e6:.1f} MB into {args.user}'s source folder {tree}")
            proxy = CountingProxy(env["destination"]["tlsPort"])
            for mode in ("on", "off"):
                result = run_sync(args.tern, env, args.user, tree, proxy, work, mode)
                totals = result["summary"].get("totals", result["summary"])
                print(f"compression {mode:3s}: wall {result['wall']:6.2f} s, tern CPU {result['cpu']:5.2f} s; destination link "
                      f"client→server {result['up'] / 1e6:7.2f} MB, server→client {result['down'] / 1e6:6.2f} MB; "
                      f"copied {totals.get('copied', '?')}")
        finally:
            source = imap(env, "source", args.user)
            delete_tree(source, f"INBOX.{tree}*")
            source.logout()
            destination = imap(env, "destination", args.user)
            delete_tree(destination, f"{tree}-*")
            destination.logout()


if __name__ == "__main__":
    main()
