#!/usr/bin/env bash
# Tern throughput benchmark: tern batch vs mbsync (isync) vs doveadm backup (imapc),
# IMAPS to IMAPS on this machine. Prints figures; it is not a test.
#
# Runs on its OWN pair of Dovecot instances (scripts/bench/dovecot-bench.sh: source
# 127.0.0.1:36993, destination 127.0.0.1:46993, state in ${TERN_BENCH_DIR:-/tmp/tern-bench},
# users bench01..bench10), never on the shared test servers, and stops them at the end.
#
# Steps: install what is missing, build tern (release), seed the source corpus directly as
# Maildir files, then, each against a freshly emptied destination:
#   tern batch (--parallel 4), the delta pass (tern batch again), tern batch with a no-op
#   Lua script, mbsync (4 channels at a time), doveadm backup -R via imapc (4 at a time).
# Prints one table and the targets, and writes $TERN_BENCH_DIR/results.{ndjson,md}.
#
# Usage: scripts/bench.sh [--messages N] [--big-mb N] [--repeat N] [--skip-build] [--keep]
#   --messages N   total messages besides the big one (default 5000)
#   --big-mb N     size of the one big message in bench01/Archive (default 50; 0 = none)
#   --repeat N     rounds: every tool runs once per round, interleaved; the table shows
#                  the best wall time and the median CPU time of each tool (default 3)
#   --skip-build   use the existing release build
#   --keep         leave the bench Dovecot instances running afterwards
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. "$ROOT/scripts/bench/dovecot-bench.sh"

MESSAGES=5000
BIG_MB=50
REPEAT=3
SKIP_BUILD=0
KEEP=0
PARALLEL=4
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --big-mb) BIG_MB="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done

say() { printf '\n==> %s\n' "$*"; }

# ------------------------------------------------------------------ 1. install and build
say "installing what is missing"
"$ROOT/scripts/install-deps.sh"          # dovecot, isync (mbsync), python3, ... (idempotent)
need=()
[ -x /usr/bin/time ] || need+=(time)
command -v mbsync >/dev/null || need+=(isync)
if [ "${#need[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi
. "$ROOT/scripts/swift-env.sh"
if [ "$SKIP_BUILD" -eq 0 ]; then
  say "building tern (release)"
  swift build -c release --product tern 2>&1 | grep -E "error|warning:|[Cc]omplete" || true
fi
TERN="$(swift build -c release --show-bin-path)/tern"
BUILT_FROM="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
DIRTY="$(git -C "$ROOT" status --porcelain Sources Package.swift 2>/dev/null | wc -l)"
[ "$DIRTY" -gt 0 ] && BUILT_FROM="$BUILT_FROM + $DIRTY uncommitted source files"
[ "$SKIP_BUILD" -eq 1 ] && BUILT_FROM="$BUILT_FROM (tree at run time; --skip-build: binary not rebuilt)"
[ -x "$TERN" ] || { echo "bench.sh: no release build at $TERN" >&2; exit 1; }

# ------------------------------------------------------------------ 2. servers and corpus
bench_setup_common
B="$BENCH_DIR"
CA="$CADIR/ca.pem"
SRC_CONF="$B/source/dovecot.conf"
DST_CONF="$B/destination/dovecot.conf"
LOGS="$B/logs"
SECRETS="$B/secrets"
RESULTS="$B/results.ndjson"
rm -rf "$LOGS" "$B/tern" "$B/mbsync"
mkdir -p "$LOGS" "$SECRETS" "$B/tern" "$B/mbsync"
chmod 0700 "$SECRETS" "$B/tern" "$B/mbsync"
: >"$RESULTS"

cleanup() {
  if [ "$KEEP" -eq 0 ]; then
    bench_stop_one source || true
    bench_stop_one destination || true
    echo "bench.sh: bench Dovecot instances stopped" >&2
  fi
}
trap cleanup EXIT

for u in "${BENCH_USERS[@]}"; do (umask 077; printf '%s-pw-1' "$u" >"$SECRETS/$u.pw"); done

say "seeding the source corpus (Maildir files, no IMAP)"
stamp="messages=$MESSAGES big=$BIG_MB v1"
if [ "$(cat "$B/source/.corpus" 2>/dev/null)" != "$stamp" ] || [ ! -s "$B/corpus.json" ]; then
  bench_stop_one source
  rm -rf "$B/source/home"
  mkdir -p "$B/source/home"
  chown "$MAIL_UID:$MAIL_GID" "$B/source/home"
  python3 "$ROOT/scripts/bench/seed_corpus.py" --home "$B/source/home" --out "$B" \
    --messages "$MESSAGES" --big-mb "$BIG_MB" --uid "$MAIL_UID" --gid "$MAIL_GID"
  echo "$stamp" >"$B/source/.corpus"
else
  echo "corpus already in place ($stamp)"
fi
bench_start_one source
bench_start_one destination

# Build the source's indexes and cache the fields every tool asks for, and pull the files
# into the page cache, so that no tool pays a first-touch cost the others do not.
for u in "${BENCH_USERS[@]}"; do
  doveadm -c "$SRC_CONF" index -u "$u" 'INBOX*'
  doveadm -c "$SRC_CONF" fetch -u "$u" 'uid flags date.received size.virtual hdr' ALL >/dev/null
done
find "$B/source/home" -type f -exec cat {} + >/dev/null

read -r CORPUS_MSGS CORPUS_BYTES CORPUS_LARGEST < <(python3 -c '
import json, sys; d = json.load(open(sys.argv[1])); print(d["messages"], d["bytes"], d["largest"])' "$B/corpus.json")
src_totals() {
  local u
  for u in "${BENCH_USERS[@]}"; do
    doveadm -c "$SRC_CONF" -f tab mailbox status -u "$u" 'messages vsize' INBOX 'INBOX.*' | tail -n +2
  done | awk -F'\t' '{m+=$2; b+=$3} END {printf "%d %d\n", m, b}'
}
dst_totals() {
  local u
  for u in "${BENCH_USERS[@]}"; do
    doveadm -c "$DST_CONF" -f tab mailbox status -u "$u" 'messages vsize' '*' 2>/dev/null | tail -n +2
  done | awk -F'\t' '{m+=$2; b+=$3} END {printf "%d %d\n", m+0, b+0}'
}
read -r SRC_MSGS SRC_BYTES < <(src_totals)
echo
echo "corpus: ${#BENCH_USERS[@]} users, $SRC_MSGS messages, $(awk "BEGIN{printf \"%.1f\", $SRC_BYTES/1e6}") MB" \
     "(RFC822 sizes; largest message $(awk "BEGIN{printf \"%.1f\", $CORPUS_LARGEST/1e6}") MB)"
python3 - "$B/corpus.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for u, folders in d["users"].items():
    m = sum(f["messages"] for f in folders.values()); b = sum(f["bytes"] for f in folders.values())
    print(f"  {u}: {m:5d} messages {b/1e6:7.1f} MB in {len(folders)} folders")
PY
[ "$SRC_MSGS" -eq "$CORPUS_MSGS" ] || echo "warning: source shows $SRC_MSGS messages, corpus.json says $CORPUS_MSGS" >&2

# ------------------------------------------------------------------ 3. the runs
# CPU seconds used so far by a Dovecot instance: the master, its live children, and (through
# the master's cutime/cstime) every child it has reaped, e.g. finished imap processes.
server_cpu_ticks() { # instance
  local total=0 pid p t name="$1"
  {
    pid="$(bench_pid "$name")" || { echo 0; return; }
    for p in "$pid" $(pgrep -P "$pid" || true); do
      t="$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12+$13+$14+$15}')" || t=0
      total=$((total + ${t:-0}))
    done
  }
  echo "$total"
}
TICKS="$(getconf CLK_TCK)"

# run_timed NAME CMD...: wall time (date), peak RSS of the largest process in the tree
# (/usr/bin/time -v: Maximum resident set size), the client's CPU (user+sys of the tree),
# both Dovecot instances' CPU, the exit code and what landed on the destination; one JSON
# line to results.ndjson. The machine's 1-minute load average before the run is kept too:
# other work on the machine slows every tool, which is why CPU seconds are reported.
run_timed() {
  local name="$1"; shift
  local t0 t1 rc=0 rss dm db load s0 s1 d0 d1 ucpu scpu dcpu
  sync
  load="$(cut -d' ' -f1 /proc/loadavg)"
  s0="$(server_cpu_ticks source)"
  d0="$(server_cpu_ticks destination)"
  t0="$(date +%s.%N)"
  /usr/bin/time -v -o "$LOGS/$name.time" "$@" >"$LOGS/$name.out" 2>"$LOGS/$name.err" || rc=$?
  t1="$(date +%s.%N)"
  sleep 0.5   # let the servers reap their imap processes
  s1="$(server_cpu_ticks source)"
  d1="$(server_cpu_ticks destination)"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$LOGS/$name.time")"
  ucpu="$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$LOGS/$name.time")"
  scpu="$(awk "BEGIN{printf \"%.2f\", ($s1-$s0)/$TICKS}")"
  dcpu="$(awk "BEGIN{printf \"%.2f\", ($d1-$d0)/$TICKS}")"
  read -r dm db < <(dst_totals)
  printf '{"run":"%s","wall":%s,"rss_kb":%s,"rc":%d,"dest_messages":%d,"dest_bytes":%d,"load1":%s,"client_cpu":%s,"source_cpu":%s,"dest_cpu":%s}\n' \
    "$name" "$(awk "BEGIN{printf \"%.3f\", $t1-$t0}")" "${rss:-0}" "$rc" "$dm" "$db" "$load" "$ucpu" "$scpu" "$dcpu" >>"$RESULTS"
  printf '  %-13s %7.2f s  exit %d  peak RSS %6.1f MB  CPU s: client %5.2f, source %5.2f, destination %5.2f  destination: %d msgs, %.1f MB  (load %s)\n' \
    "$name" "$(awk "BEGIN{print $t1-$t0}")" "$rc" "$(awk "BEGIN{print ${rss:-0}/1024}")" "$ucpu" "$scpu" "$dcpu" "$dm" "$(awk "BEGIN{print $db/1e6}")" "$load"
}

# tern batch input: header form, passwords in the file (0600, deleted at the end).
CSV="$B/tern/users.csv"
(umask 077
 echo "source_user,source_password,dest_user,dest_password"
 for u in "${BENCH_USERS[@]}"; do echo "$u,$u-pw-1,$u,$u-pw-1"; done) >"$CSV"

tern_batch() { # state-file log-dir [extra args]
  local state="$1" logdir="$2"; shift 2
  "$TERN" batch "$CSV" \
    --host1 127.0.0.1 --port1 "$SRC_IMAPS_PORT" --tls1 implicit --ca-file1 "$CA" \
    --host2 127.0.0.1 --port2 "$DST_IMAPS_PORT" --tls2 implicit --ca-file2 "$CA" \
    --parallel "$PARALLEL" --state "$state" --log-dir "$logdir" --json "$@"
}
export -f tern_batch
export TERN CSV CA SRC_IMAPS_PORT DST_IMAPS_PORT PARALLEL

# mbsync: one IMAP->IMAP channel per user (far = source, near = destination), pulled.
RC="$B/mbsync/mbsyncrc"
(umask 077; : >"$RC")
for u in "${BENCH_USERS[@]}"; do
  cat >>"$RC" <<EOF
IMAPAccount src-$u
Host localhost
Port $SRC_IMAPS_PORT
User $u
PassCmd "cat $SECRETS/$u.pw"
SSLType IMAPS
CertificateFile $CA

IMAPStore src-$u
Account src-$u
Path INBOX.

IMAPAccount dst-$u
Host localhost
Port $DST_IMAPS_PORT
User $u
PassCmd "cat $SECRETS/$u.pw"
SSLType IMAPS
CertificateFile $CA

IMAPStore dst-$u
Account dst-$u

Channel $u
Far :src-$u:
Near :dst-$u:
Patterns *
Create Near
Sync Pull
Expunge None
CopyArrivalDate yes
SyncState $B/mbsync/state/$u/

EOF
done
export RC DEST_CONF="$DST_CONF" SRC_PORT="$SRC_IMAPS_PORT" CA SECRETS

say "runs (each against a freshly emptied destination; $PARALLEL mailboxes at a time; $REPEAT rounds, interleaved)"
for i in $(seq 1 "$REPEAT"); do
  bench_empty_destination
  rm -f "$B/tern/state-$i.sqlite"*
  run_timed "tern-$i" bash -c 'tern_batch "$0" "$1"' "$B/tern/state-$i.sqlite" "$B/tern/logs-$i"
  if [ "$i" -eq 1 ]; then
    # The delta pass: same command, same state, nothing new on the source.
    run_timed "tern-delta" bash -c 'tern_batch "$0" "$1"' "$B/tern/state-1.sqlite" "$B/tern/logs-delta"
  fi

  bench_empty_destination
  rm -f "$B/tern/state-lua-$i.sqlite"*
  run_timed "tern-lua-$i" bash -c 'tern_batch "$0" "$1" --script "$2"' \
    "$B/tern/state-lua-$i.sqlite" "$B/tern/logs-lua-$i" "$ROOT/scripts/bench/noop-filter.lua"

  bench_empty_destination
  rm -rf "$B/mbsync/state"
  for u in "${BENCH_USERS[@]}"; do mkdir -p "$B/mbsync/state/$u"; done
  run_timed "mbsync-$i" bash -c 'printf "%s\n" "$@" | xargs -P "$0" -n 1 mbsync -q -c "$RC"' \
    "$PARALLEL" "${BENCH_USERS[@]}"

  # doveadm backup -R through imapc: the destination Dovecot pulls from the source.
  bench_empty_destination
  run_timed "doveadm-$i" bash -c 'printf "%s\n" "${@:2}" | xargs -P "$0" -n 1 "$1"' \
    "$PARALLEL" "$ROOT/scripts/bench/doveadm-backup-one.sh" "${BENCH_USERS[@]}"
done

# Where tern+Lua spends its CPU: one more run under perf, and the share of samples whose call
# chain is inside Lua (liblua or the TernScript bridge). Wall-time and CPU-time differences
# between runs are too noisy on a shared machine for a few-percent question; this is not.
if command -v perf >/dev/null; then
  bench_empty_destination
  rm -f "$B/tern/state-lua-perf.sqlite"* "$B/tern/lua.perf"
  if perf record -q -F 1999 -g -o "$B/tern/lua.perf" -- bash -c 'tern_batch "$0" "$1" --script "$2"' \
       "$B/tern/state-lua-perf.sqlite" "$B/tern/logs-lua-perf" "$ROOT/scripts/bench/noop-filter.lua" \
       >"$LOGS/lua-perf.out" 2>"$LOGS/lua-perf.err"; then
    read -r samples lua_samples share < <(perf script -i "$B/tern/lua.perf" 2>/dev/null \
      | python3 "$ROOT/scripts/bench/lua_share.py")
    printf '{"run":"lua-profile","samples":%d,"lua_samples":%d,"share":%s}\n' "$samples" "$lua_samples" "$share" >>"$RESULTS"
    echo "  lua-profile   $lua_samples of $samples tern CPU samples inside Lua (share $share)"
  else
    echo "  lua-profile   perf record failed (see $LOGS/lua-perf.err)"
  fi
fi

rm -f "$CSV"

# ------------------------------------------------------------------ 4. the table
say "results"
python3 "$ROOT/scripts/bench/report.py" --results "$RESULTS" --messages "$SRC_MSGS" --bytes "$SRC_BYTES" \
  --largest "$CORPUS_LARGEST" --users "${#BENCH_USERS[@]}" --parallel "$PARALLEL" --markdown "$B/results.md" \
  --built-from "$BUILT_FROM"
