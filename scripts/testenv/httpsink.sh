#!/usr/bin/env bash
# Local HTTP sink for hook tests: records each request as a JSON line.
#   scripts/testenv/httpsink.sh start|stop|env|status
# State: ${TERN_TESTENV_DIR:-/tmp/tern-testenv}/httpsink (pid file, requests.jsonl, sink.log).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${TERN_TESTENV_DIR:-/tmp/tern-testenv}/httpsink"
port="${TERN_HTTPSINK_PORT:-18080}"
pidfile="$state/sink.pid"

. "$here/lib/service.sh"

case "${1:-}" in
start)
    mkdir -p "$state"
    if service_running; then exit 0; fi
    : > "$state/requests.jsonl"
    nohup python3 "$here/httpsink/sink.py" "$port" "$state/requests.jsonl" >"$state/sink.log" 2>&1 &
    echo $! > "$pidfile"
    service_started "$port" "httpsink listening on 127.0.0.1:$port (requests in $state/requests.jsonl)" "$state/sink.log"
    ;;
env)
    echo "export TERN_HTTPSINK_URL=http://127.0.0.1:$port"
    echo "export TERN_HTTPSINK_LOG=$state/requests.jsonl"
    ;;
*)
    service_other "${1:-}"
    ;;
esac
