#!/usr/bin/env bash
# Checks that `tern` survives exiting while a connection's I/O thread is still inside OpenSSL
# (Tern issue 11: SIGSEGV "Bad pointer dereference at 0x18" in pthread_rwlock_rdlock).
# exitrace.c, preloaded, delays SSL_shutdown and uses OpenSSL at the very end of exit(); it
# reports whether every TLS shutdown had finished before exit began. Needs gcc, libssl-dev and
# the test servers (scripts/testenv/start.sh).
# Usage: scripts/exit-race/check.sh [TERN_BINARY] [RUNS] [ACCOUNT]   (defaults: .build/debug/tern 50 u46)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tern="${1:-$here/../../.build/debug/tern}"
runs="${2:-50}"
account="${3:-u46}"
eval "$("$here/../testenv/dovecot.sh" env)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -shared -fPIC -o "$work/exitrace.so" "$here/exitrace.c" -ldl -lcrypto
declare -A codes=()
for _ in $(seq 1 "$runs"); do
    status=0
    LD_PRELOAD="$work/exitrace.so" "$tern" probe --host localhost --port "$TERN_TEST_DEST_TLS_PORT" \
        --ca-file "$TERN_TEST_CA" --user "$account" --password-file "$TERN_TEST_SECRETS_DIR/$account.pw" \
        --no-compress --json >/dev/null 2>>"$work/stderr" || status=$?
    codes[$status]=$(( ${codes[$status]:-0} + 1 ))
done
for code in "${!codes[@]}"; do echo "exit $code: ${codes[$code]} of $runs"; done
grep -h '^exitrace:' "$work/stderr" | sort | uniq -c
[ "${codes[0]:-0}" -eq "$runs" ]
