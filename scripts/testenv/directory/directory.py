#!/usr/bin/env python3
"""A stand-in for a mail provider's admin API, for `tern routing apply`/`verify` tests and the
presets/examples/routing-http-api.lua template. Standard library only; listens on 127.0.0.1
only; keeps every object in memory (a restart forgets them).

    POST   /TENANT/KIND            JSON {"address": ..., "targets": [...], ...}
                                   201 {"created": OBJ}; 409 {"error": "exists", "existing": OBJ}
                                   when the address is taken (compared without case); 400 for bad JSON
    GET    /TENANT/KIND            200 {"items": [OBJ, ...]} sorted by address
    DELETE /TENANT/KIND/ADDRESS    204, or 404

KIND is aliases, groups or forwarders; TENANT is any one path segment, so each test keeps its
own objects. Every request needs "Authorization: Bearer TOKEN" with the token read from the
file given at start: 401 otherwise. Each request is logged as a JSON line (method, path,
status, whether it was authorized, the posted object) -- never the Authorization header.

Usage: directory.py PORT TOKEN_FILE LOG_FILE
"""
import hmac
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

PORT = int(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as token_file:
    TOKEN = token_file.read().strip()
LOG = sys.argv[3]
KINDS = ("aliases", "groups", "forwarders")

lock = threading.Lock()
directory = {}  # (tenant, kind) -> {lower-case address: object}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, payload=None):
        body = b"" if payload is None else json.dumps(payload, sort_keys=True).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return status

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urlsplit(self.path).path
        parts = [unquote(part) for part in path.split("/")[1:]]
        given = self.headers.get("Authorization") or ""
        authorized = hmac.compare_digest(given.encode(), ("Bearer " + TOKEN).encode())
        posted = None
        if not authorized:
            status = self.answer(401, {"error": "a valid bearer token is required"})
        elif len(parts) < 2 or parts[1] not in KINDS or not parts[0]:
            status = self.answer(404, {"error": "no such collection; use /TENANT/" + "|".join(KINDS)})
        else:
            status, posted = self.route(parts, body)
        record = {"method": self.command, "path": path, "status": status, "authorized": authorized,
                  "object": posted, "time": time.time()}
        with lock, open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(record, sort_keys=True) + "\n")

    def route(self, parts, body):
        key = (parts[0], parts[1])
        with lock:
            objects = directory.setdefault(key, {})
            if self.command == "GET" and len(parts) == 2:
                items = [objects[address] for address in sorted(objects)]
                return self.answer(200, {"items": items}), None
            if self.command == "POST" and len(parts) == 2:
                try:
                    posted = json.loads(body.decode("utf-8"))
                    address = posted["address"]
                    if not isinstance(address, str) or "@" not in address:
                        raise ValueError("address")
                except (ValueError, KeyError, TypeError):
                    return self.answer(400, {"error": "expected a JSON object with an address"}), None
                existing = objects.get(address.lower())
                if existing is not None:
                    return self.answer(409, {"error": "exists", "existing": existing}), posted
                objects[address.lower()] = posted
                return self.answer(201, {"created": posted}), posted
            if self.command == "DELETE" and len(parts) == 3:
                if objects.pop(parts[2].lower(), None) is None:
                    return self.answer(404, {"error": "no such object"}), None
                return self.answer(204), None
        return self.answer(405, {"error": "method not allowed here"}), None

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


if __name__ == "__main__":
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
