#!/usr/bin/env bash
# Install the Debian 12 packages Tern's build, tests and local test servers
# need. Idempotent: a fast no-op when everything is installed (checked with
# dpkg-query); otherwise `apt-get update` once, then install what is missing.
#
# Run as root. Swift itself is not installed here (expected at /opt/swift or
# elsewhere on PATH).
#
# System services: the packaged dovecot and knot daemons must NOT run (our
# test instances are started by scripts/testenv/*.sh with their own configs,
# and a system dovecot would hold ports 143/993). During installation service
# starts are blocked with a temporary policy-rc.d (only if none exists), and
# afterwards any running system-wide dovecot/knotd is stopped, and on systemd
# machines the units are disabled. Test instances (started with a config
# outside /etc) are never touched.
set -euo pipefail

PACKAGES=(
  dovecot-imapd dovecot-lmtpd dovecot-managesieved dovecot-sieve
  liblua5.4-dev libssl-dev zlib1g-dev libsqlite3-dev
  knot knot-dnsutils isync
  openssl pkg-config ca-certificates python3 procps iproute2
  # Libraries of Debian's Cyrus IMAP and Courier-IMAP test servers (the Depends of
  # cyrus-common/cyrus-imapd and courier-*/courier-imap that the daemons we run link, from
  # `apt-cache depends`), and saslpasswd2. The server packages themselves conflict with
  # dovecot-imapd: scripts/testenv/unpack-servers.sh unpacks them into the test folder.
  libical3 libxapian30 libpcre3 libsasl2-modules sasl2-bin
  libltdl7 libcourier-unicode4 libgamin0 libidn12 libgdbm6 util-linux
)

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
command -v dpkg-query >/dev/null && command -v apt-get >/dev/null \
  || die "needs a Debian-based system (dpkg-query/apt-get not found)"

missing_packages() {
  local p status
  for p in "${PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)"
    case "$status" in
      "ii "*) ;;
      *) echo "$p" ;;
    esac
  done
}

POLICY=/usr/sbin/policy-rc.d
OUR_POLICY=""
cleanup() {
  if [ -n "$OUR_POLICY" ] && [ -f "$POLICY" ] && grep -q 'tern install-deps' "$POLICY" 2>/dev/null; then
    rm -f "$POLICY"
  fi
}
trap cleanup EXIT

install_missing() {
  local missing=("$@")
  log "installing: ${missing[*]}"
  if [ ! -e "$POLICY" ]; then
    # Keep invoke-rc.d / deb-systemd-invoke from starting the packaged
    # daemons during postinst (exit 101 = action forbidden).
    printf '#!/bin/sh\n# tern install-deps: temporary, deny service starts\nexit 101\n' >"$POLICY"
    chmod 0755 "$POLICY"
    OUR_POLICY=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update
  apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
  cleanup
  OUR_POLICY=""
}

# Print pids of running processes named $1 whose config is the system one
# (no -c/--config argument, or one under /etc).
system_daemon_pids() {
  local name="$1" d pid args candidates
  if command -v pgrep >/dev/null; then
    candidates="$(pgrep -x "$name" || true)"
  else
    candidates="$(for d in /proc/[0-9]*; do
      [ "$(cat "$d/comm" 2>/dev/null)" = "$name" ] && echo "${d#/proc/}"; done)"
  fi
  for pid in $candidates; do
    d="/proc/$pid"
    args="$(tr '\0' '\n' <"$d/cmdline" 2>/dev/null)" || continue
    # Only master processes: dovecot children have a different comm
    # (imap, auth, ...), and knotd is a single process.
    if printf '%s\n' "$args" | grep -qxE -- '-c|--config|--confdb|-C'; then
      if printf '%s\n' "$args" | grep -A1 -xE -- '-c|--config|--confdb|-C' | tail -n 1 | grep -q '^/etc/'; then
        echo "$pid"
      fi
    else
      echo "$pid"
    fi
  done
}

stop_system_daemons() {
  local unit pids pid i
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    for unit in dovecot.service dovecot.socket knot.service; do
      if systemctl list-unit-files "$unit" >/dev/null 2>&1; then
        systemctl disable --now "$unit" >/dev/null 2>&1 || true
      fi
    done
  fi
  for name in dovecot knotd; do
    pids="$(system_daemon_pids "$name")"
    [ -n "$pids" ] || continue
    log "stopping system-wide $name (pid $(echo $pids))"
    if command -v service >/dev/null; then
      case "$name" in
        dovecot) service dovecot stop >/dev/null 2>&1 || true ;;
        knotd) service knot stop >/dev/null 2>&1 || true ;;
      esac
    fi
    for i in $(seq 1 50); do
      pids="$(system_daemon_pids "$name")"
      [ -n "$pids" ] || break
      [ "$i" -eq 10 ] && for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
      sleep 0.1
    done
    for pid in $(system_daemon_pids "$name"); do
      log "killing system-wide $name pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
    done
  done
}

mapfile -t MISSING < <(missing_packages)
if [ "${#MISSING[@]}" -gt 0 ]; then
  install_missing "${MISSING[@]}"
  mapfile -t MISSING < <(missing_packages)
  [ "${#MISSING[@]}" -eq 0 ] || die "still missing after install: ${MISSING[*]}"
  log "all ${#PACKAGES[@]} packages installed"
fi
stop_system_daemons
"$(dirname "$0")/testenv/unpack-servers.sh"

if ! command -v swift >/dev/null && [ -x /opt/swift/usr/bin/swift ]; then
  log "note: Swift is at /opt/swift/usr/bin (not on PATH); export PATH=/opt/swift/usr/bin:\$PATH"
fi
exit 0
