#!/usr/bin/env python3
"""A local HTTP sink for Tern's hook tests: records every request as one JSON line and answers
with JSON. Standard library only. Listens on 127.0.0.1 only.

Each record: {"method", "path", "query", "headers" (lower-cased names), "body" (text), "time"}.
Answers 201 for POST paths ending in /tickets.json, /comment or /incident (like the ticketing APIs
they stand in for), 200 otherwise; GET /status/NNN answers NNN; GET /slow sleeps 5 s;
GET /chunked answers with a chunked body.
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LOG = sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        record = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
            "time": time.time(),
        }
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(record, sort_keys=True) + "\n")
        status = 200
        if url.path.startswith("/status/"):
            status = int(url.path.split("/")[2])
        elif self.command == "POST" and url.path.endswith(("/tickets.json", "/comment", "/incident")):
            status = 201
        if url.path == "/slow":
            time.sleep(5)
        answer = json.dumps({"ok": status < 400, "received": len(body), "path": url.path}).encode()
        if url.path == "/chunked":
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(answer), 7):
                piece = answer[start:start + 7]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


if __name__ == "__main__":
    port = int(sys.argv[1])
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
