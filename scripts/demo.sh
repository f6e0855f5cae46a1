#!/usr/bin/env bash
# Tern's main job, end to end, on this machine: installs what is missing, builds `tern`,
# starts the two local Dovecot servers (source with an `INBOX.` prefix and `.` separator,
# destination with `/`), and probes both the way a migration pilot does — verified TLS,
# login, folders, special-use mapping, counts, sizes, quota and warnings.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
. ./scripts/swift-env.sh
./scripts/testenv/start.sh
echo "==> building tern"
swift build --product tern 2>&1 | grep -E "error|warning|Compiling tern|Build complete" || true
tern="$(swift build --show-bin-path)/tern"
eval "$(./scripts/testenv/dovecot.sh env)"
secrets="$TERN_TEST_DIR/secrets"

echo
echo "==> tern probe: the source server (implicit TLS on 993-style port, verified against the test CA)"
"$tern" probe --host localhost --port "$TERN_TEST_SOURCE_TLS_PORT" --tls implicit \
    --ca-file "$TERN_TEST_CA" --user alice --password-file "$secrets/alice.pw"

echo
echo "==> tern probe: the destination server (STARTTLS), logging in as alice through the master user"
"$tern" probe --host localhost --port "$TERN_TEST_DEST_PORT" --tls starttls \
    --ca-file "$TERN_TEST_CA" --user alice --admin-user admin --password-file "$secrets/admin.pw"
