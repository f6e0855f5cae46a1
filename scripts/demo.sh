#!/usr/bin/env bash
# Tern's main job, end to end, on this machine: installs what is missing, builds `tern`,
# starts the local servers (a source Dovecot with an `INBOX.` prefix and `.` separator, a
# destination Dovecot with `/`, an authoritative DNS server), then runs a whole migration
# project for the domain cutover.test:
#   probe both servers → init the project → import the inventory → scan the source →
#   plan waves, capacity and folder names → run the pilot and pre-stage waves with
#   verification → install the forwarder over ManageSieve → the pre-cutover checklist
#   (which still fails on the MX TTL: lowering it is the next step) → the client report.
# Re-running it starts the project afresh; the mail already copied is found, not duplicated.
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
step() { echo; echo "==> $*"; }

step "tern probe: the source server (implicit TLS, verified against the test CA)"
"$tern" probe --host localhost --port "$TERN_TEST_SOURCE_TLS_PORT" --tls implicit \
    --ca-file "$TERN_TEST_CA" --user alice --password-file "$secrets/alice.pw"

step "tern probe: the destination server (STARTTLS), logging in as alice through the master user"
"$tern" probe --host localhost --port "$TERN_TEST_DEST_PORT" --tls starttls \
    --ca-file "$TERN_TEST_CA" --user alice --admin-user admin --password-file "$secrets/admin.pw"

demo="$TERN_TEST_DIR/demo"
project="$demo/cutover"
rm -rf "$project"
mkdir -p "$demo"
step "tern init: a migration project for cutover.test in $project"
"$tern" init "$project" --from dovecot --to dovecot --domain cutover.test
cd "$project"

cat > "$demo/inventory.csv" <<'CSV'
type,address,targets,display_name,keep_copy,notes
mailbox,alice@cutover.test,,Alice Example,,
mailbox,bob@cutover.test,,Bob Example,,
alias,sales@cutover.test,alice@cutover.test,,,
group,team@cutover.test,alice@cutover.test;bob@cutover.test,Everyone,,
forwarder,bob@cutover.test,accountant@example.net,,yes,Bob's copies for the accountant
catchall,@cutover.test,alice@cutover.test,,,
CSV
step "tern inventory import: every mailbox and routing object, before any copy"
"$tern" inventory import "$demo/inventory.csv" --format csv

# The master login on both sides: one admin secret instead of every user's password.
source_side=(--host1 localhost --port1 "$TERN_TEST_SOURCE_TLS_PORT" --ca-file1 "$TERN_TEST_CA"
             --admin-user1 admin --password-file1 "$secrets/admin.pw")
dest_side=(--host2 localhost --port2 "$TERN_TEST_DEST_TLS_PORT" --ca-file2 "$TERN_TEST_CA"
           --admin-user2 admin --password-file2 "$secrets/admin.pw")

step "tern inventory scan: log in to every source mailbox and record its size, folders and largest message"
"$tern" inventory scan "${source_side[@]}" --login-as local-part
"$tern" inventory list

cutover_at="$(date -u -d '+3 days' +%Y-%m-%dT18:00:00Z)"
step "tern plan waves: bob is the pilot; pre-stage the rest before the cutover at $cutover_at"
"$tern" plan waves --pilot-address bob@cutover.test --cutover-at "$cutover_at"

step "tern plan capacity: does each mailbox fit the destination's quota and message size limit?"
"$tern" plan capacity "${dest_side[@]}" --login-as local-part

step "tern plan folders: every source folder's destination name, checked for collisions"
"$tern" plan folders "${dest_side[@]}" --login-as local-part

waves=("${source_side[@]}" --login-as1 local-part "${dest_side[@]}" --login-as2 local-part)
step "tern run wave pilot --verify"
"$tern" run wave pilot --verify "${waves[@]}"

step "tern run wave pre-stage --verify"
"$tern" run wave pre-stage --verify "${waves[@]}"

step "tern run wave pre-stage again: the nightly re-run copies only what is new (nothing)"
"$tern" run wave pre-stage "${waves[@]}"

step "tern routing export and apply: the forwarder becomes a Sieve script on the destination"
"$tern" routing export --format postfix --output reports/virtual
"$tern" routing apply "${dest_side[@]}" --sieve-port "$TERN_TEST_DEST_SIEVE_PORT" --login-name2 local-part

step "tern checklist: what is ready for the MX cutover, with evidence"
"$tern" checklist set final-delta "$cutover_at tern run wave final --verify"
"$tern" checklist set test-mailbox alice@cutover.test
"$tern" checklist set monitoring-owner "Dana (NOC), +1 555 0100"
if "$tern" checklist "${dest_side[@]}" --login-name2 local-part --sieve-port "$TERN_TEST_DEST_SIEVE_PORT" \
        --host1 localhost --port1 "$TERN_TEST_SOURCE_TLS_PORT" --ca-file1 "$TERN_TEST_CA" \
        --user1 alice --password-file1 "$secrets/alice.pw" \
        --server 127.0.0.1:15353 --nameserver ns1.cutover.test=127.0.0.1:15353 \
        --nameserver ns2.cutover.test=127.0.0.1:15354; then
    echo "(the checklist passes)"
else
    echo "(the checklist fails as expected before cutover: the MX TTL is still 3600 — lower it with tern dns plan/apply)"
fi

step "tern report: the migration's state for the client (also reports/report.html)"
"$tern" report --format md
"$tern" report --format html --output reports/report.html

echo
echo "Done. Project: $project (state.sqlite, logs/, reports/)."
echo "Stop the local servers with ./scripts/testenv/stop.sh"
