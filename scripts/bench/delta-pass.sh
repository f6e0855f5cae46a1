#!/usr/bin/env bash
# The delta pass on one changed folder: how long `tern sync` takes on a folder of N messages
# after 1 new message and 2 flag changes, for one or more tern binaries (e.g. before/after).
#
#   scripts/bench/dovecot-bench.sh start        # the benchmark Dovecot pair (root; not the test servers)
#   scripts/bench/delta-pass.sh [--messages N] [--repeat R] NAME=TERN_BINARY [NAME=TERN_BINARY ...]
#
# The source folder DeltaBench of user bench01 holds exactly N messages (extra ones expunged;
# written as Maildir files the first time). Each binary copies it in full into its own
# destination folder (`--subfolder2 delta-NAME`) with its own state. Then R rounds: 1 new message
# and \Flagged flipped on 2 old ones, then every binary's delta pass on that same change, in
# rotating order (so load drift hits all alike). Measured per pass: wall seconds and tern's
# user+system CPU (/usr/bin/time), and the folder's own seconds from tern's folder_done event
# (without connecting, logging in and listing folders). Prints medians and every run. The
# folders are deleted on both servers at the end.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_DIR="${TERN_BENCH_DIR:-/tmp/tern-bench}"
CA="${TERN_TESTENV_DIR:-/tmp/tern-testenv}/ca/ca.pem"
BUSER=bench01
SRC_PORT=36993
DST_PORT=46993
MESSAGES=3000
REPEAT=5

while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --) shift; break ;;
    -*) echo "unknown option $1" >&2; exit 64 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { sed -n 2,15p "$0" >&2; exit 64; }

NAMES=()
BINS=()
for spec in "$@"; do
  NAMES+=("${spec%%=*}")
  BINS+=("${spec#*=}")
  [ -x "${spec#*=}" ] || { echo "not executable: ${spec#*=}" >&2; exit 64; }
done
COUNT=${#NAMES[@]}

WORK="$BENCH_DIR/delta"
mkdir -p "$WORK"
PW="$WORK/$BUSER.pw"
(umask 077; printf '%s-pw-1' "$BUSER" >"$PW")

# The benchmark source's Maildir++ folder: seeded as files (fast), not by APPEND.
MAILDIR="$BENCH_DIR/source/home/$BUSER/Maildir/.DeltaBench"
[ -d "$BENCH_DIR/source/home/$BUSER/Maildir" ] && MAILDIR_OK=1 || MAILDIR_OK=
DESTINATIONS=()
for name in "${NAMES[@]}"; do
  DESTINATIONS+=(--destination-folder "delta-$name/DeltaBench" --destination-folder "delta-$name")
done
folder() {
  python3 "$HERE/delta_folder.py" "$1" --source-port "$SRC_PORT" --destination-port "$DST_PORT" \
    --user "$BUSER" --password "$BUSER-pw-1" --ca "$CA" --source-folder INBOX.DeltaBench \
    "${DESTINATIONS[@]}" --messages "$MESSAGES" ${MAILDIR_OK:+--maildir "$MAILDIR"}
}

run() {  # index log [time-file]: one `tern sync` of DeltaBench into the binary's own folder
  local name="${NAMES[$1]}" bin="${BINS[$1]}"
  local args=(sync --host1 127.0.0.1 --port1 "$SRC_PORT" --tls1 implicit --ca-file1 "$CA" --tls-server-name1 localhost
    --user1 "$BUSER" --password-file1 "$PW"
    --host2 127.0.0.1 --port2 "$DST_PORT" --tls2 implicit --ca-file2 "$CA" --tls-server-name2 localhost
    --user2 "$BUSER" --password-file2 "$PW"
    --include '^DeltaBench$' --subfolder2 "delta-$name" --state "$WORK/$name.sqlite" --json)
  if [ $# -gt 2 ]; then
    /usr/bin/time -f '%e %U %S' -o "$3" "$bin" "${args[@]}" >"$2" 2>&1 || { cat "$2" >&2; exit 1; }
  else
    "$bin" "${args[@]}" >"$2" 2>&1 || { cat "$2" >&2; exit 1; }
  fi
}

folder_seconds() {  # the folder_done event's own timing for DeltaBench
  python3 -c 'import json, sys
for line in open(sys.argv[1]):
    event = json.loads(line) if line.startswith("{") else {}
    if event.get("kind") == "folder_done" and event.get("folder") == "DeltaBench":
        print("%.3f" % event["seconds"])' "$1"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

folder reset
declare -A FULL WALLS FOLDERS CPUS
for i in $(seq 0 $((COUNT - 1))); do
  name="${NAMES[$i]}"
  rm -f "$WORK/$name.sqlite" "$WORK/$name.sqlite-wal" "$WORK/$name.sqlite-shm"
  start=$(date +%s.%N)
  run "$i" "$WORK/$name-full.log"
  FULL[$name]=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.2f", $1 - $2 }')
done
for round in $(seq 1 "$REPEAT"); do
  folder change
  for k in $(seq 0 $((COUNT - 1))); do
    i=$(( (k + round) % COUNT ))
    name="${NAMES[$i]}"
    log="$WORK/$name-delta-$round.log"
    run "$i" "$log" "$WORK/$name-time"
    read -r wall user sys <"$WORK/$name-time"
    WALLS[$name]+="$wall "
    FOLDERS[$name]+="$(folder_seconds "$log") "
    CPUS[$name]+="$(echo "$user $sys" | awk '{ printf "%.2f", $1 + $2 }') "
    grep -q '"copied":1,.*"flagsUpdated":2,' "$log" \
      || echo "warning: $name round $round did not copy 1 message and update 2 flags" >&2
  done
done

printf '| binary | messages | full copy s | delta wall s, median (all) | DeltaBench folder s, median (all) | delta client CPU s, median |\n'
printf '|---|---:|---:|---|---|---:|\n'
for name in "${NAMES[@]}"; do
  printf '| %s | %s | %s | %s (%s) | %s (%s) | %s |\n' "$name" "$MESSAGES" "${FULL[$name]}" \
    "$(tr ' ' '\n' <<<"${WALLS[$name]}" | grep . | median)" "$(echo ${WALLS[$name]} | tr ' ' ',')" \
    "$(tr ' ' '\n' <<<"${FOLDERS[$name]}" | grep . | median)" "$(echo ${FOLDERS[$name]} | tr ' ' ',')" \
    "$(tr ' ' '\n' <<<"${CPUS[$name]}" | grep . | median)"
done
[ -n "${KEEP:-}" ] || folder drop
rm -f "$PW"
