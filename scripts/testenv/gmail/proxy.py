#!/usr/bin/env python3
"""A Gmail-like IMAP server for Tern's tests, in front of the real destination Dovecot.

Gmail shows each label as a folder over one store. Here an account seeded with Gmail's folder
names ("[Gmail]/All Mail", "[Gmail]/Sent Mail", ..., or the "[Google Mail]/" locale prefix)
keeps one copy of a message in every folder that stands for one of its labels, and All Mail
holds every message but Spam and Trash. The proxy makes that look like Gmail:

- implicit TLS (the test CA's localhost certificate) on the listening port;
- CAPABILITY: adds X-GM-EXT-1, removes COMPRESS=DEFLATE (it rewrites the byte stream);
- LIST/LSUB: Gmail's special uses on the [Gmail]/ folders (\\All \\Sent \\Drafts \\Junk \\Trash
  \\Flagged \\Important); Dovecot's own auto-created Sent, Drafts, Trash, Junk, Archive hidden;
- FETCH X-GM-LABELS / X-GM-MSGID: stripped from the command sent to Dovecot and answered
  here. A message's labels are the folders that hold a message with its Message-ID (read
  through a second connection as the master user); X-GM-MSGID is derived from the Message-ID.

It logs one JSON line per connection (user, bytes each way, seconds) to the log file.
What it cannot show: Gmail's own UIDs and mod-sequences per label (Dovecot's are per
folder), label changes that move nothing on disk, Gmail's bandwidth limits (not enforced).

Usage: proxy.py PORT CERT KEY UPSTREAM_PORT LOG  (master user "name:password" in
TERN_GMAIL_MASTER)
"""
import asyncio
import base64
import hashlib
import json
import os
import re
import ssl
import sys
import time

PORT, CERT, KEY, UPSTREAM_PORT, LOG = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
MASTER_USER, MASTER_PASSWORD = os.environ["TERN_GMAIL_MASTER"].split(":", 1)
HIDDEN = {"sent", "drafts", "trash", "junk", "archive"}
USES = {"all mail": "\\All", "sent mail": "\\Sent", "drafts": "\\Drafts", "spam": "\\Junk", "bin": "\\Trash",
        "trash": "\\Trash", "starred": "\\Flagged", "important": "\\Important"}
SYSTEM_LABELS = {"\\Sent": "\\Sent", "\\Drafts": "\\Draft", "\\Junk": "\\Spam", "\\Trash": "\\Trash",
                 "\\Flagged": "\\Starred", "\\Important": "\\Important"}
SPECIAL_USE_ATTRS = re.compile(rb"\s*\\(All|Sent|Drafts|Junk|Trash|Flagged|Important|Archive)\b", re.I)
GMAIL_ITEMS = re.compile(rb"\s*X-GM-(LABELS|MSGID|THRID)\b", re.I)
LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")


def gmail_use(name):
    """Gmail's special use of a folder name like "[Gmail]/All Mail", or None."""
    for prefix in ("[gmail]/", "[google mail]/"):
        if name.lower().startswith(prefix):
            return USES.get(name[len(prefix):].lower())
    return None


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_astring(data, at):
    """(value, next index) of an atom, quoted string or literal in data at index at."""
    if data[at:at + 1] == b'"':
        out, i = bytearray(), at + 1
        while data[i:i + 1] != b'"':
            if data[i:i + 1] == b"\\":
                i += 1
            out += data[i:i + 1]
            i += 1
        return bytes(out), i + 1
    m = re.match(rb"\{(\d+)\+?\}\r\n", data[at:])
    if m:
        start = at + m.end()
        return data[start:start + int(m.group(1))], start + int(m.group(1))
    m = re.match(rb"[^\s()]+", data[at:])
    return m.group(0), at + m.end()


async def read_response(reader):
    """One IMAP line with any literals it carries, as bytes; b"" at end of stream."""
    data = await reader.readline()
    if not data:
        return b""
    while True:
        m = LITERAL.search(data)
        if not m:
            return data
        data += await reader.readexactly(int(m.group(1)))
        more = await reader.readline()
        if not more:
            return data
        data += more


class Side:
    """A second connection, as the master user, that reads which folders hold which message."""

    def __init__(self, user):
        self.user = user

    async def labels(self):
        """{folder: {uid: message-id}} and {message-id: [folders]} of the user's account now."""
        reader, writer = await asyncio.open_connection("127.0.0.1", UPSTREAM_PORT)
        await reader.readline()
        tag = 0

        async def run(command):
            nonlocal tag
            tag += 1
            writer.write(b"s%d %s\r\n" % (tag, command))
            await writer.drain()
            lines = []
            while True:
                line = await read_response(reader)
                if not line:
                    raise ConnectionError("side connection closed")
                if line.startswith(b"s%d " % tag):
                    return lines
                lines.append(line)

        login = f"{self.user}*{MASTER_USER}"
        await run(b"LOGIN " + quote(login).encode() + b" " + quote(MASTER_PASSWORD).encode())
        folders = []
        for line in await run(b'LIST "" "*"'):
            m = re.match(rb'\* LIST \(([^)]*)\) (?:"[^"]*"|NIL) ', line)
            if not m or b"\\noselect" in m.group(1).lower():
                continue
            name, _ = parse_astring(line, m.end())
            folders.append(name)
        by_folder, by_id = {}, {}
        for name in folders:
            if name.decode().lower() in HIDDEN:
                continue
            await run(b"EXAMINE " + quote(name.decode()).encode())
            uids = {}
            for line in await run(b"UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"):
                uid = re.search(rb"UID (\d+)", line)
                mid = re.search(rb"Message-ID:\s*(<[^>]*>)", line, re.I)
                if uid and mid:
                    uids[int(uid.group(1))] = mid.group(1)
                    by_id.setdefault(mid.group(1), []).append(name.decode())
            by_folder[name.decode()] = uids
        await run(b"LOGOUT")
        writer.close()
        return by_folder, by_id


def label_of(folder):
    """The X-GM-LABELS entry for a folder holding the message; None for All Mail."""
    if folder.upper() == "INBOX":
        return "\\Inbox"
    use = gmail_use(folder)
    if use == "\\All":
        return None
    if use:
        return SYSTEM_LABELS[use]
    return folder


class Session:
    def __init__(self, client_reader, client_writer):
        self.cr, self.cw = client_reader, client_writer
        self.user = None
        self.selected = None
        self.pending_select = {}
        self.label_tags = set()
        self.index = None
        self.up = self.down = 0

    async def run(self):
        started = time.time()
        self.ur, self.uw = await asyncio.open_connection("127.0.0.1", UPSTREAM_PORT)
        try:
            await asyncio.gather(self.client_to_server(), self.server_to_client())
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            for writer in (self.uw, self.cw):
                try:
                    writer.close()
                except Exception:
                    pass
            with open(LOG, "a") as log:
                log.write(json.dumps({"user": self.user, "bytes_to_client": self.down, "bytes_from_client": self.up,
                                      "seconds": round(time.time() - started, 3), "closed": time.time()}) + "\n")

    def learn_user(self, command):
        m = re.match(rb"\S+ LOGIN ", command, re.I)
        if m:
            user, _ = parse_astring(command, m.end())
            self.user = user.decode()
            return
        m = re.match(rb"\S+ AUTHENTICATE PLAIN (\S+)", command, re.I)
        if m:
            try:
                parts = base64.b64decode(m.group(1)).split(b"\0")
                self.user = (parts[0] or parts[1]).decode()
            except Exception:
                pass

    async def client_to_server(self):
        while True:
            command = await read_response(self.cr)
            if not command:
                self.uw.close()
                return
            self.up += len(command)
            self.learn_user(command)
            tag = command.split(b" ", 1)[0]
            m = re.match(rb"\S+ (SELECT|EXAMINE) ", command, re.I)
            if m:
                name, _ = parse_astring(command, m.end())
                self.pending_select[tag] = name.decode()
            if re.match(rb"\S+ (UID )?FETCH ", command, re.I) and GMAIL_ITEMS.search(command):
                command = GMAIL_ITEMS.sub(b"", command)
                self.label_tags.add(tag)
                self.index = None
            self.uw.write(command)
            await self.uw.drain()
            # A continuation request answers a non-synchronising client; AUTHENTICATE lines follow.

    def rewrite_capabilities(self, line):
        def fix(m):
            words = [w for w in m.group(0).split(b" ") if w.upper() not in (b"COMPRESS=DEFLATE", b"STARTTLS")]
            return b" ".join(words) + b" X-GM-EXT-1"
        return re.sub(rb"CAPABILITY IMAP4rev1[^\]\r\n]*", fix, line, flags=re.I)

    def rewrite_list(self, line):
        m = re.match(rb"(\* (?:LIST|LSUB) \()([^)]*)(\) (?:\"[^\"]*\"|NIL) )", line, re.I)
        if not m:
            return line
        name, _ = parse_astring(line, m.end())
        decoded = name.decode()
        if decoded.lower() in HIDDEN:
            return None
        attributes = SPECIAL_USE_ATTRS.sub(b"", m.group(2)).strip()
        use = gmail_use(decoded)
        if use:
            attributes = (attributes + b" " + use.encode()).strip()
        return m.group(1) + attributes + line[m.end(2):]

    async def labels_for(self, uid):
        if self.index is None:
            self.index = await Side(self.user).labels()
        by_folder, by_id = self.index
        mid = by_folder.get(self.selected, {}).get(uid)
        if mid is None:
            return [], 0
        labels = sorted({label for label in map(label_of, by_id.get(mid, [])) if label},
                        key=lambda label: (not label.startswith("\\"), label))
        msgid = int.from_bytes(hashlib.sha1(mid).digest()[:8], "big") >> 1
        return labels, msgid

    async def server_to_client(self):
        while True:
            line = await read_response(self.ur)
            if not line:
                self.cw.close()
                return
            line = self.rewrite_capabilities(line)
            if line[:7].upper() in (b"* LIST ", b"* LSUB "):
                line = self.rewrite_list(line)
                if line is None:
                    continue
            tag = line.split(b" ", 1)[0]
            if tag in self.pending_select:
                name = self.pending_select.pop(tag)
                if line.split(b" ")[1].upper() == b"OK":
                    self.selected = name
            if tag in self.label_tags:
                self.label_tags.discard(tag)
            elif self.label_tags and re.match(rb"\* \d+ FETCH \(", line) and line.endswith(b")\r\n"):
                first = line.split(b"\r\n", 1)[0]
                uid = re.search(rb"\bUID (\d+)", first)
                if uid:
                    labels, msgid = await self.labels_for(int(uid.group(1)))
                    items = " ".join(quote(label) if not label.startswith("\\") else label for label in labels)
                    line = line[:-3] + f" X-GM-MSGID {msgid} X-GM-LABELS ({items}))\r\n".encode()
            self.down += len(line)
            self.cw.write(line)
            await self.cw.drain()


async def main():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)

    async def serve(reader, writer):
        await Session(reader, writer).run()

    server = await asyncio.start_server(serve, "127.0.0.1", int(PORT), ssl=context)
    async with server:
        await server.serve_forever()


asyncio.run(main())
