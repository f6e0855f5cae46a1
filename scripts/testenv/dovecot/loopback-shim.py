#!/usr/bin/env python3
"""TCP forwarder that makes a loopback IMAP client look "not local" to Dovecot.

Why: Dovecot treats a connection whose remote IP equals its local IP (any
client on 127.0.0.1 talking to 127.0.0.1) as secured, so
`disable_plaintext_auth = yes` / `ssl = required` never refuse LOGIN over
loopback. The Tern tests need the source server to refuse plaintext LOGIN
before STARTTLS, exactly like a real remote server would.

How: this shim listens on the public plain-IMAP port (127.0.0.1:14143) and
forwards every connection byte-for-byte to a Dovecot inet_listener with
`haproxy = yes` on another loopback port, prefixed with a PROXY protocol v1
header. The header carries the client's real address and port, but names
the local (server) address as 127.0.0.2, so remote != local and Dovecot
applies its normal rules: LOGINDISABLED until STARTTLS. The 127.0.0.2
address is only a label inside the header; nothing connects to it.
STARTTLS passes through untouched (the TLS session is end to end with
Dovecot), so certificate checks are unaffected.

Usage: loopback-shim.py --listen 14143 --backend 14144 --pidfile F --logfile F
"""
import argparse
import asyncio
import os
import signal
import sys
import time

HOST = "127.0.0.1"
CLAIMED_LOCAL_IP = "127.0.0.2"


def log(logfile, msg):
    if logfile:
        with open(logfile, "a") as f:
            f.write(time.strftime("%b %d %H:%M:%S ") + "loopback-shim: " + msg + "\n")


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            pass


async def handle(client_reader, client_writer, args):
    peer = client_writer.get_extra_info("peername") or (HOST, 0)
    try:
        backend_reader, backend_writer = await asyncio.open_connection(HOST, args.backend)
    except OSError as e:
        log(args.logfile, f"backend 127.0.0.1:{args.backend} unreachable: {e}")
        client_writer.close()
        return
    header = f"PROXY TCP4 {peer[0]} {CLAIMED_LOCAL_IP} {peer[1]} {args.listen}\r\n"
    backend_writer.write(header.encode("ascii"))
    try:
        await asyncio.gather(pipe(client_reader, backend_writer),
                             pipe(backend_reader, client_writer))
    finally:
        for w in (client_writer, backend_writer):
            try:
                w.close()
            except Exception:
                pass


async def main(args):
    server = await asyncio.start_server(lambda r, w: handle(r, w, args),
                                        HOST, args.listen, reuse_address=True,
                                        backlog=128)
    if args.pidfile:
        tmp = args.pidfile + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{os.getpid()}\n")
        os.replace(tmp, args.pidfile)
    log(args.logfile, f"listening on {HOST}:{args.listen} -> {HOST}:{args.backend} (haproxy)")
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with server:
        await stop
    log(args.logfile, "stopping")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--listen", type=int, required=True)
    p.add_argument("--backend", type=int, required=True)
    p.add_argument("--pidfile")
    p.add_argument("--logfile")
    a = p.parse_args()
    try:
        asyncio.run(main(a))
    except OSError as e:
        log(a.logfile, f"cannot listen on {HOST}:{a.listen}: {e}")
        print(f"loopback-shim: cannot listen on {HOST}:{a.listen}: {e}", file=sys.stderr)
        sys.exit(1)
