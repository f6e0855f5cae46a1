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

. "$here/lib/service.sh"

case "${1:-}" in
start)
    mkdir -p "$state"
    chmod 700 "$state"
    if service_running; then exit 0; fi
    if [ ! -s "$state/token" ]; then
        (umask 077; python3 -c "import secrets; print('tern-dir-' + secrets.token_hex(20))" > "$state/token")
    fi
    : > "$state/requests.jsonl"
    nohup python3 "$here/directory/directory.py" "$port" "$state/token" "$state/requests.jsonl" \
        >"$state/directory.log" 2>&1 &
    echo $! > "$pidfile"
    service_started "$port" "directory API listening on 127.0.0.1:$port (token in $state/token)" "$state/directory.log"
    ;;
env)
    echo "export ROUTING_API_URL=http://127.0.0.1:$port/demo"
    echo "export ROUTING_API_TOKEN_FILE=$state/token"
    ;;
*)
    service_other "${1:-}"
    ;;
esac
