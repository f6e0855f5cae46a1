#!/usr/bin/env bash
# A Gmail-like IMAP server for tests (see gmail/proxy.py): implicit TLS on 127.0.0.1:34993 in
# front of the destination Dovecot, with X-GM-EXT-1 labels over Gmail-shaped accounts.
#   scripts/testenv/gmail.sh start|stop|env|status
# State: ${TERN_TESTENV_DIR:-/tmp/tern-testenv}/gmail (pid file, connections.jsonl, proxy.log).
# Needs the Dovecot pair (dovecot.sh start) for the certificate and the upstream server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${TERN_TESTENV_DIR:-/tmp/tern-testenv}"
state="$root/gmail"
port="${TERN_GMAIL_PORT:-34993}"
upstream=24143
pidfile="$state/proxy.pid"

. "$here/lib/service.sh"

case "${1:-}" in
start)
    mkdir -p "$state"
    if service_running; then exit 0; fi
    [ -r "$root/ca/server.pem" ] || { echo "gmail.sh: start the Dovecot pair first (dovecot.sh start)" >&2; exit 1; }
    : > "$state/connections.jsonl"
    # The destination's master user (dovecot.sh) reads which folders hold which message.
    TERN_GMAIL_MASTER="admin:admin-pw-1" nohup python3 "$here/gmail/proxy.py" "$port" "$root/ca/server.pem" \
        "$root/ca/server.key" "$upstream" "$state/connections.jsonl" >"$state/proxy.log" 2>&1 &
    echo $! > "$pidfile"
    service_started "$port" "gmail emulation listening on 127.0.0.1:$port (connections in $state/connections.jsonl)" "$state/proxy.log"
    ;;
env)
    echo "export TERN_GMAIL_PORT=$port"
    echo "export TERN_GMAIL_LOG=$state/connections.jsonl"
    ;;
*)
    service_other "${1:-}"
    ;;
esac
