#!/usr/bin/env bash
# Starts every local test server Tern's tests and demo use (idempotent): the Dovecot pair
# and, when present, the authoritative DNS servers, the HTTP sink and the admin-API stand-in
# (directory), the Gmail emulation (gmail), and Debian's Cyrus IMAP and Courier-IMAP (cyrus,
# courier; unpacked by scripts/install-deps.sh). All listen on 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/dovecot.sh" start
for service in dns httpsink directory gmail cyrus courier; do
    if [ -x "$here/$service.sh" ]; then
        "$here/$service.sh" start
    fi
done
