#!/usr/bin/env bash
# Keeps each C library (and GRDB) behind its one importing module, as docs/architecture.md says.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
check() { # module-name allowed-source-dir
    local hits
    hits=$(grep -rlE "^\s*(@_implementationOnly\s+)?import\s+$1\b" Sources Tests | grep -v "^Sources/$2/" || true)
    if [ -n "$hits" ]; then
        echo "error: $1 may only be imported by Sources/$2, but is imported by:" >&2
        echo "$hits" >&2
        status=1
    fi
}
check COpenSSL TernTLS
check CLua TernScript
check CZlib TernIMAP
check GRDB TernState
exit $status
