#!/usr/bin/env bash
# Local stand-in for a provider's admin API (aliases, groups, forwarders) for routing tests.
#   scripts/testenv/directory.sh start|stop|env|status
# State: ${TERN_TESTENV_DIR:-/tmp/tern-testenv}/directory (pid file, token (0600), requests.jsonl,
# directory.log). The token is made once and kept, so a restart keeps working for running tests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${TERN_TESTENV_DIR:-/tmp/tern-testenv}/directory"
port="${TERN_DIRECTORY_PORT:-18081}"
pidfile="$state/directory.pid"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
start)
    mkdir -p "$state"
    chmod 700 "$state"
    if running; then exit 0; fi
    if [ ! -s "$state/token" ]; then
        (umask 077; python3 -c "import secrets; print('tern-dir-' + secrets.token_hex(20))" > "$state/token")
    fi
    : > "$state/requests.jsonl"
    nohup python3 "$here/directory/directory.py" "$port" "$state/token" "$state/requests.jsonl" \
        >"$state/directory.log" 2>&1 &
    echo $! > "$pidfile"
    for _ in $(seq 1 50); do
        if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; then
            echo "directory API listening on 127.0.0.1:$port (token in $state/token)"
            exit 0
        fi
        sleep 0.1
    done
    echo "directory API did not start; see $state/directory.log" >&2
    exit 1
    ;;
stop)
    if running; then kill "$(cat "$pidfile")"; fi
    rm -f "$pidfile"
    ;;
status)
    if running; then echo "running (pid $(cat "$pidfile"))"; else echo "stopped"; exit 1; fi
    ;;
env)
    echo "export ROUTING_API_URL=http://127.0.0.1:$port/demo"
    echo "export ROUTING_API_TOKEN_FILE=$state/token"
    ;;
*)
    echo "usage: $0 start|stop|status|env" >&2
    exit 64
    ;;
esac
