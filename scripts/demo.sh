#!/usr/bin/env bash
# Tern's main job, end to end, on this machine: installs what is missing, builds `tern`,
# starts the two local Dovecot servers (source with an `INBOX.` prefix and `.` separator,
# destination with `/`), probes both as a migration pilot does, migrates alice's mailbox
# with verification, then runs the delta pass a cutover would (nothing new: nothing copied).
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

state="$TERN_TEST_DIR/demo-state.sqlite"
logs="$TERN_TEST_DIR/demo-logs"
sides=(--host1 localhost --port1 "$TERN_TEST_SOURCE_TLS_PORT" --ca-file1 "$TERN_TEST_CA"
       --user1 alice --password-file1 "$secrets/alice.pw"
       --host2 localhost --port2 "$TERN_TEST_DEST_TLS_PORT" --ca-file2 "$TERN_TEST_CA"
       --user2 alice --password-file2 "$secrets/alice.pw"
       --state "$state" --log-dir "$logs")

echo
echo "==> tern sync --verify: alice's mailbox, source → destination (state in $state, logs in $logs)"
"$tern" sync "${sides[@]}" --verify

echo
echo "==> tern sync again: the delta pass before cutover (only new mail and flag changes move)"
"$tern" sync "${sides[@]}"

echo
echo "Done. Per-mailbox log: $(ls "$logs"/*.log | head -1)"
echo "Stop the local servers with ./scripts/testenv/stop.sh"
