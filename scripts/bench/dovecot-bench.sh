#!/usr/bin/env bash
# Benchmark Dovecot pair, separate from the shared test servers.
#
#   source       IMAPS 127.0.0.1:36993 (IMAP 36143 unused by the benchmark),
#                Maildir++, separator ".", prefix "INBOX." (cPanel-like)
#   destination  IMAPS 127.0.0.1:46993 (IMAP 46143), Maildir LAYOUT=fs,
#                separator "/", no prefix
#
# The configuration is rendered read-only from the test servers' templates in
# scripts/testenv/dovecot/ (so the benchmark servers behave like the test
# servers), with other ports and state under ${TERN_BENCH_DIR:-/tmp/tern-bench}.
# The TLS certificate is the test CA's (${TERN_TESTENV_DIR:-/tmp/tern-testenv}/ca),
# reused, never regenerated here; run scripts/testenv/dovecot.sh start once if
# it is missing. The shared test servers and their users are never touched.
#
# Users bench01..bench10, password <user>-pw-1.
#
# Usage: scripts/bench/dovecot-bench.sh start|stop|status|empty-destination|conf source|destination
set -euo pipefail

BENCH_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TPL="$BENCH_HERE/../testenv/dovecot"
BENCH_DIR="${TERN_BENCH_DIR:-/tmp/tern-bench}"
CADIR="${TERN_TESTENV_DIR:-/tmp/tern-testenv}/ca"
MAILUSER="ternmail"
BENCH_USERS=(bench01 bench02 bench03 bench04 bench05 bench06 bench07 bench08 bench09 bench10)

SRC_IMAP_PORT=36143
SRC_IMAP_BACKEND_PORT=36144   # haproxy listener of the template; nothing forwards to it
SRC_IMAPS_PORT=36993
SRC_LMTP_PORT=36024
DST_IMAP_PORT=46143
DST_IMAPS_PORT=46993
DST_LMTP_PORT=46024
DST_SIEVE_PORT=46190

blog() { printf 'dovecot-bench: %s\n' "$*" >&2; }
bdie() { blog "error: $*"; exit 1; }

bench_ports() {
  case "$1" in
    source) echo "$SRC_IMAP_BACKEND_PORT $SRC_IMAPS_PORT $SRC_LMTP_PORT" ;;
    destination) echo "$DST_IMAP_PORT $DST_IMAPS_PORT $DST_LMTP_PORT $DST_SIEVE_PORT" ;;
  esac
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bench_pid() {
  local inst="$BENCH_DIR/$1" pid
  [ -r "$inst/run/master.pid" ] || return 1
  pid="$(tr -dc '0-9' <"$inst/run/master.pid")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dovecot" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$inst/dovecot.conf" || return 1
  echo "$pid"
}

bench_render() { # template output instance-name
  local imap imaps lmtp ssl_dh=""
  [ -r /usr/share/dovecot/dh.pem ] && ssl_dh="ssl_dh = </usr/share/dovecot/dh.pem"
  case "$3" in
    source) imap=$SRC_IMAP_PORT imaps=$SRC_IMAPS_PORT lmtp=$SRC_LMTP_PORT ;;
    destination) imap=$DST_IMAP_PORT imaps=$DST_IMAPS_PORT lmtp=$DST_LMTP_PORT ;;
  esac
  sed -e "s|@INST@|$BENCH_DIR/$3|g" \
      -e "s|@NAME@|bench-$3|g" \
      -e "s|@CADIR@|$CADIR|g" \
      -e "s|@UID@|$MAIL_UID|g" \
      -e "s|@GID@|$MAIL_GID|g" \
      -e "s|@MAILUSER@|$MAILUSER|g" \
      -e "s|@SSL_DH@|$ssl_dh|g" \
      -e "s|@SIEVE_PORT@|$DST_SIEVE_PORT|g" \
      -e "s|@IMAP_PORT@|$imap|g" \
      -e "s|@IMAP_BACKEND_PORT@|$SRC_IMAP_BACKEND_PORT|g" \
      -e "s|@IMAPS_PORT@|$imaps|g" \
      -e "s|@LMTP_PORT@|$lmtp|g" \
      -e "s|@CAPTURE_LOG@|$BENCH_DIR/$3/sent-mail.log|g" \
      "$1" >"$2.tmp"
  mv "$2.tmp" "$2"
}

bench_setup_common() {
  [ "$(id -u)" -eq 0 ] || bdie "must run as root"
  command -v dovecot >/dev/null && command -v doveadm >/dev/null || bdie "dovecot not installed (scripts/install-deps.sh)"
  case "$BENCH_DIR" in /*) ;; *) bdie "TERN_BENCH_DIR must be absolute" ;; esac
  [ "${#BENCH_DIR}" -le 60 ] || bdie "TERN_BENCH_DIR too long (unix socket paths)"
  [ -s "$CADIR/ca.pem" ] && [ -s "$CADIR/server.pem" ] && [ -s "$CADIR/server.key" ] \
    || bdie "test CA missing in $CADIR; run scripts/testenv/dovecot.sh start once (it creates it)"
  if ! getent passwd "$MAILUSER" >/dev/null; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin --comment "Tern test mail storage" "$MAILUSER"
  fi
  MAIL_UID="$(id -u "$MAILUSER")"
  MAIL_GID="$(id -g "$MAILUSER")"
  mkdir -p "$BENCH_DIR"
  chmod 0755 "$BENCH_DIR"
}

bench_prepare() {
  local name="$1" inst="$BENCH_DIR/$1" u dgid
  dgid="$(id -g dovecot)"
  mkdir -p "$inst/log" "$inst/state" "$inst/bin" "$inst/home"
  chmod 0755 "$inst" "$inst/log" "$inst/bin"
  chmod 0750 "$inst/state"
  chown "$MAIL_UID:$MAIL_GID" "$inst/home"
  chmod 0755 "$inst/home"
  bench_render "$TPL/common.conf.in" "$inst/common.conf" "$name"
  bench_render "$TPL/$name.conf.in" "$inst/dovecot.conf" "$name"
  bench_render "$TPL/capture-sendmail.sh" "$inst/bin/capture-sendmail" "$name"
  chmod 0755 "$inst/bin/capture-sendmail"
  : >"$inst/users.tmp"
  for u in "${BENCH_USERS[@]}"; do
    printf '%s:{PLAIN}%s-pw-1::::::\n' "$u" "$u" >>"$inst/users.tmp"
  done
  printf 'admin:{PLAIN}admin-pw-1::::::\n' >"$inst/master-users.tmp"
  for f in users master-users; do
    chown "root:$dgid" "$inst/$f.tmp"
    chmod 0640 "$inst/$f.tmp"
    mv "$inst/$f.tmp" "$inst/$f"
  done
}

bench_start_one() {
  local name="$1" inst="$BENCH_DIR/$1" p i imaps
  if bench_pid "$name" >/dev/null; then return 0; fi
  for p in $(bench_ports "$name"); do
    port_open "$p" && bdie "$name: 127.0.0.1:$p already in use (ss -ltnp 'sport = :$p')"
  done
  bench_prepare "$name"
  doveconf -c "$inst/dovecot.conf" -n >"$inst/log/doveconf.txt" 2>&1 \
    || { cat "$inst/log/doveconf.txt" >&2; bdie "$name: invalid configuration"; }
  dovecot -c "$inst/dovecot.conf" </dev/null >>"$inst/log/startup.log" 2>&1 9>&- \
    || { tail -n 20 "$inst/log/startup.log" >&2; bdie "$name: dovecot failed to start"; }
  [ "$name" = source ] && imaps=$SRC_IMAPS_PORT || imaps=$DST_IMAPS_PORT
  for i in $(seq 1 200); do
    bench_pid "$name" >/dev/null && port_open "$imaps" && return 0
    sleep 0.05
  done
  tail -n 20 "$inst/log/dovecot.log" >&2 || true
  bdie "$name: did not come up"
}

bench_stop_one() {
  local name="$1" pid i
  pid="$(bench_pid "$name")" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 200); do
    [ -d "/proc/$pid" ] || break
    sleep 0.05
  done
  [ -d "/proc/$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    local busy=""
    for p in $(bench_ports "$name"); do port_open "$p" && busy=1; done
    [ -z "$busy" ] && return 0
    sleep 0.05
  done
  bdie "$name: ports still busy after stop"
}

# Stop the destination, delete every bench user's mail there, start it again.
bench_empty_destination() {
  bench_stop_one destination
  rm -rf "$BENCH_DIR/destination/home"
  bench_start_one destination
}

bench_conf() { echo "$BENCH_DIR/$1/dovecot.conf"; }

bench_main() {
  case "${1:-}" in
    start) bench_setup_common; bench_start_one source; bench_start_one destination ;;
    stop) bench_setup_common; bench_stop_one source; bench_stop_one destination ;;
    status)
      local n rc=0
      for n in source destination; do
        if p="$(bench_pid "$n")"; then echo "$n: running (pid $p)"; else echo "$n: not running"; rc=1; fi
      done
      return $rc ;;
    empty-destination) bench_setup_common; bench_empty_destination ;;
    conf) bench_conf "${2:?source|destination}" ;;
    *) echo "usage: $0 start|stop|status|empty-destination|conf source|destination" >&2; return 2 ;;
  esac
}

# Sourced by bench.sh for the functions; run directly for the commands.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  bench_main "$@"
fi
