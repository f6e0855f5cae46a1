#!/usr/bin/env bash
# Tern local IMAP test servers: two Dovecot instances on 127.0.0.1.
#
#   source       IMAP 127.0.0.1:14143 (STARTTLS), IMAPS 127.0.0.1:14993,
#                LMTP 127.0.0.1:14024. Maildir++, separator ".", prefix
#                "INBOX." (cPanel/Courier style). Plaintext auth refused
#                without TLS. Seeded with test mail on first start.
#                Port 14143 is served by dovecot/loopback-shim.py, which
#                forwards to Dovecot's haproxy listener on 127.0.0.1:14144
#                (see source.conf.in for why).
#   destination  IMAP 127.0.0.1:24143, IMAPS 127.0.0.1:24993,
#                LMTP 127.0.0.1:24024 (+ Sieve), ManageSieve 127.0.0.1:24190.
#                Maildir LAYOUT=fs, separator "/", no prefix, COMPRESS=DEFLATE.
#                Starts empty.
#
# Usage: scripts/testenv/dovecot.sh start|stop|status|env|reset|check
#   (check: read-only smoke test of both servers, see dovecot/check.py)
#
# State lives in ${TERN_TESTENV_DIR:-/tmp/tern-testenv}: ca/ (throwaway CA
# and localhost certificate, kept across resets), source/, destination/
# (config, run dir, logs in log/dovecot.log, homes with Maildirs),
# secrets/<user>.pw, dovecot.json (connection facts for tests) and
# dovecot.env (the "env" output). Must run as root: Dovecot drops
# privileges itself (mail is owned by the system user "ternmail").
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TPL="$HERE/dovecot"
STATE="${TERN_TESTENV_DIR:-/tmp/tern-testenv}"
MAILUSER="ternmail"
USERS=(alice bob carol dave)
# Throwaway accounts, one per test that needs to own a mailbox (tests run in parallel, so
# two tests never share one): u01-u20 mostly sync, u21-u40 scripts and projects, u41-u48
# spare, u49-u56 the Cyrus/Courier interoperability suite and the 20 MB cuts, u57-u72 faults and
# interoperability symptoms. Same password scheme.
# `grep -rn '"u41' Tests` before taking one.
for _n in $(seq -w 1 72); do USERS+=("u$_n"); done
unset _n
MASTER_USER="admin"
MASTER_PASSWORD="admin-pw-1"

SOURCE_IMAP_PORT=14143
SOURCE_IMAP_BACKEND_PORT=14144   # Dovecot haproxy listener behind loopback-shim.py
SOURCE_IMAPS_PORT=14993
SOURCE_LMTP_PORT=14024
DEST_IMAP_PORT=24143
DEST_IMAPS_PORT=24993
DEST_LMTP_PORT=24024
DEST_SIEVE_PORT=24190

log() { printf 'dovecot.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

password_of() { printf '%s-pw-1' "$1"; }

ports_of() {
  case "$1" in
    source) echo "$SOURCE_IMAP_PORT $SOURCE_IMAP_BACKEND_PORT $SOURCE_IMAPS_PORT $SOURCE_LMTP_PORT" ;;
    destination) echo "$DEST_IMAP_PORT $DEST_IMAPS_PORT $DEST_LMTP_PORT $DEST_SIEVE_PORT" ;;
  esac
}

# ---------------------------------------------------------------- checks

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (Dovecot needs it to drop privileges)"
  command -v dovecot >/dev/null || die "dovecot not installed; run scripts/install-deps.sh"
  command -v doveadm >/dev/null || die "doveadm not installed; run scripts/install-deps.sh"
  command -v openssl >/dev/null || die "openssl not installed; run scripts/install-deps.sh"
  command -v python3 >/dev/null || die "python3 not installed; run scripts/install-deps.sh"
}

check_state_path() {
  case "$STATE" in
    /*) ;;
    *) die "TERN_TESTENV_DIR must be an absolute path (got '$STATE')" ;;
  esac
  # Dovecot's unix sockets live under <state>/<instance>/run/...; the
  # longest is ~40 chars below the state dir, sun_path allows 107.
  [ "${#STATE}" -le 60 ] || die "TERN_TESTENV_DIR too long (${#STATE} chars, max 60): unix socket paths would not fit"
  # The mail user (ternmail) and Dovecot's auth user (dovecot) must be able
  # to traverse every parent directory (e.g. not under /root, mode 0700).
  local d="$STATE"
  while [ "$d" != "/" ]; do
    d="$(dirname "$d")"
    if [ -e "$d" ] && [ -z "$(find "$d" -maxdepth 0 -perm -o+x 2>/dev/null)" ]; then
      die "$d is not world-traversable (o+x); Dovecot's unprivileged users could not reach $STATE. Use another TERN_TESTENV_DIR"
    fi
  done
}

# Is something accepting TCP connections on 127.0.0.1:$1 ?
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Does 127.0.0.1:$1 greet like an IMAP server?
imap_greets() {
  local line=""
  {
    exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
    IFS= read -r -t 5 line <&3 || true
    printf 'a LOGOUT\r\n' >&3 || true
    exec 3<&- 3>&-
  } 2>/dev/null
  case "$line" in "* OK"*) return 0 ;; *) return 1 ;; esac
}

# Print the master pid of instance $1 if it is running from our config.
instance_pid() {
  local inst="$STATE/$1" pid
  [ -r "$inst/run/master.pid" ] || return 1
  pid="$(tr -dc '0-9' <"$inst/run/master.pid")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dovecot" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$inst/dovecot.conf" || return 1
  echo "$pid"
}

# Print the pid of the source's loopback-shim.py if it is running.
shim_pid() {
  local f="$STATE/source/shim.pid" pid
  [ -r "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "loopback-shim.py" || return 1
  echo "$pid"
}

instance_healthy() {
  local name="$1" imap imaps
  instance_pid "$name" >/dev/null || return 1
  if [ "$name" = source ]; then
    shim_pid >/dev/null || return 1
  fi
  if [ "$name" = source ]; then imap=$SOURCE_IMAP_PORT imaps=$SOURCE_IMAPS_PORT
  else imap=$DEST_IMAP_PORT imaps=$DEST_IMAPS_PORT; fi
  imap_greets "$imap" && port_open "$imaps"
}

# ---------------------------------------------------------------- setup

ensure_mailuser() {
  if ! getent passwd "$MAILUSER" >/dev/null; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin --comment "Tern test mail storage" "$MAILUSER"
  fi
  MAIL_UID="$(id -u "$MAILUSER")"
  MAIL_GID="$(id -g "$MAILUSER")"
  getent passwd dovenull >/dev/null || die "user dovenull missing (dovecot-core creates it)"
  getent passwd dovecot >/dev/null || die "user dovecot missing (dovecot-core creates it)"
}

# Throwaway CA + localhost server certificate; generated once, reused.
ensure_ca() {
  local ca="$STATE/ca"
  mkdir -p "$ca"
  chmod 0755 "$ca"
  if [ -s "$ca/ca.pem" ] && [ -s "$ca/ca.key" ] && [ -s "$ca/server.pem" ] && [ -s "$ca/server.key" ] \
     && openssl verify -CAfile "$ca/ca.pem" "$ca/server.pem" >/dev/null 2>&1 \
     && openssl x509 -checkend 86400 -noout -in "$ca/server.pem" >/dev/null 2>&1; then
    return 0
  fi
  log "generating test CA and localhost certificate in $ca"
  local tmp; tmp="$(mktemp -d "$ca/.gen.XXXXXX")"
  (
    set -e
    cd "$tmp"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
    openssl req -x509 -new -key ca.key -sha256 -days 3650 \
      -subj "/O=Tern test/CN=Tern Test CA (throwaway)" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -addext "subjectKeyIdentifier=hash" \
      -out ca.pem
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key 2>/dev/null
    openssl req -new -key server.key -subj "/O=Tern test/CN=localhost" -out server.csr
    cat >server.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer
EXT
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
      -days 825 -sha256 -extfile server.ext -out server.pem 2>/dev/null
    openssl verify -CAfile ca.pem server.pem >/dev/null
  )
  install -m 0644 "$tmp/ca.pem" "$ca/ca.pem"
  install -m 0600 "$tmp/ca.key" "$ca/ca.key"
  install -m 0644 "$tmp/server.pem" "$ca/server.pem"
  install -m 0600 "$tmp/server.key" "$ca/server.key"
  rm -rf "$tmp"
}

render() { # template output name
  local ssl_dh=""
  [ -r /usr/share/dovecot/dh.pem ] && ssl_dh="ssl_dh = </usr/share/dovecot/dh.pem"
  sed -e "s|@INST@|$STATE/$3|g" \
      -e "s|@NAME@|$3|g" \
      -e "s|@CADIR@|$STATE/ca|g" \
      -e "s|@UID@|$MAIL_UID|g" \
      -e "s|@GID@|$MAIL_GID|g" \
      -e "s|@MAILUSER@|$MAILUSER|g" \
      -e "s|@SSL_DH@|$ssl_dh|g" \
      -e "s|@SIEVE_PORT@|$DEST_SIEVE_PORT|g" \
      -e "s|@IMAP_PORT@|$IMAP_PORT|g" \
      -e "s|@IMAP_BACKEND_PORT@|$SOURCE_IMAP_BACKEND_PORT|g" \
      -e "s|@IMAPS_PORT@|$IMAPS_PORT|g" \
      -e "s|@LMTP_PORT@|$LMTP_PORT|g" \
      -e "s|@CAPTURE_LOG@|$STATE/$3/sent-mail.log|g" \
      "$1" >"$2.tmp"
  mv "$2.tmp" "$2"
}

prepare_instance() {
  local name="$1" inst="$STATE/$1" u dgid
  case "$name" in
    source) IMAP_PORT=$SOURCE_IMAP_PORT IMAPS_PORT=$SOURCE_IMAPS_PORT LMTP_PORT=$SOURCE_LMTP_PORT ;;
    destination) IMAP_PORT=$DEST_IMAP_PORT IMAPS_PORT=$DEST_IMAPS_PORT LMTP_PORT=$DEST_LMTP_PORT ;;
  esac
  dgid="$(id -g dovecot)"
  mkdir -p "$inst" "$inst/log" "$inst/state" "$inst/bin" "$inst/home"
  chmod 0755 "$inst" "$inst/log" "$inst/bin"
  chmod 0750 "$inst/state"
  chown "$MAIL_UID:$MAIL_GID" "$inst/home"
  chmod 0755 "$inst/home"

  render "$TPL/common.conf.in" "$inst/common.conf" "$name"
  render "$TPL/$name.conf.in" "$inst/dovecot.conf" "$name"
  render "$TPL/capture-sendmail.sh" "$inst/bin/capture-sendmail" "$name"
  chmod 0755 "$inst/bin/capture-sendmail"
  touch "$inst/sent-mail.log"
  chown "$MAIL_UID:$MAIL_GID" "$inst/sent-mail.log"
  chmod 0644 "$inst/sent-mail.log"

  write_passwd_files "$name"
}

# passwd-files are read by the auth process (user dovecot). Dovecot's
# passwd-file driver re-reads a file whose mtime changed, so a running
# instance picks up new users without a reload; files are only replaced
# when their content changes.
write_passwd_files() {
  local inst="$STATE/$1" u f dgid
  dgid="$(id -g dovecot)"
  : >"$inst/users.tmp"
  for u in "${USERS[@]}"; do
    printf '%s:{PLAIN}%s::::::\n' "$u" "$(password_of "$u")" >>"$inst/users.tmp"
  done
  printf '%s:{PLAIN}%s::::::\n' "$MASTER_USER" "$MASTER_PASSWORD" >"$inst/master-users.tmp"
  for f in users master-users; do
    if [ -e "$inst/$f" ] && cmp -s "$inst/$f.tmp" "$inst/$f"; then
      rm -f "$inst/$f.tmp"
      continue
    fi
    chown "root:$dgid" "$inst/$f.tmp"
    chmod 0640 "$inst/$f.tmp"
    mv "$inst/$f.tmp" "$inst/$f"
  done
}

start_instance() {
  local name="$1" inst="$STATE/$1" p i
  if instance_healthy "$name"; then
    return 0
  fi
  if instance_pid "$name" >/dev/null; then
    log "$name: running but not answering; restarting"
    stop_instances "$name"
  fi
  for p in $(ports_of "$name"); do
    if port_open "$p"; then
      die "$name: port 127.0.0.1:$p is already in use by another process (ss -ltnp 'sport = :$p')"
    fi
  done
  prepare_instance "$name"
  if ! doveconf -c "$inst/dovecot.conf" -n >"$inst/log/doveconf.txt" 2>&1; then
    cat "$inst/log/doveconf.txt" >&2
    die "$name: invalid configuration"
  fi
  # Detach stdio: the master keeps stderr open forever, which would hang a
  # caller reading our output through a pipe (e.g. Swift's Process).
  if ! dovecot -c "$inst/dovecot.conf" </dev/null >>"$inst/log/startup.log" 2>&1 9>&-; then
    tail -n 20 "$inst/log/startup.log" >&2 || true
    die "$name: dovecot failed to start; see $inst/log/startup.log and $inst/log/dovecot.log"
  fi
  if [ "$name" = source ]; then
    start_shim
  fi
  for i in $(seq 1 100); do
    if instance_healthy "$name"; then return 0; fi
    sleep 0.05
  done
  tail -n 20 "$inst/log/dovecot.log" >&2 || true
  die "$name: did not come up; see $inst/log/dovecot.log"
}

start_shim() {
  local inst="$STATE/source" i
  rm -f "$inst/shim.pid"
  setsid python3 "$TPL/loopback-shim.py" --listen "$SOURCE_IMAP_PORT" \
    --backend "$SOURCE_IMAP_BACKEND_PORT" --pidfile "$inst/shim.pid" \
    --logfile "$inst/log/dovecot.log" </dev/null >>"$inst/log/shim.out" 2>&1 9>&- &
  for i in $(seq 1 100); do
    shim_pid >/dev/null && port_open "$SOURCE_IMAP_PORT" && return 0
    sleep 0.05
  done
  cat "$inst/log/shim.out" >&2 || true
  die "source: loopback-shim.py did not come up on 127.0.0.1:$SOURCE_IMAP_PORT"
}

# Send TERM to the given pids, wait for them to exit (KILL after 10 s).
stop_pids() {
  local pid i alive
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 1 200); do
    alive=""
    for pid in "$@"; do [ -d "/proc/$pid" ] && alive="$alive $pid"; done
    [ -z "$alive" ] && return 0
    sleep 0.05
  done
  log "pids$alive did not exit on TERM; killing"
  for pid in $alive; do kill -KILL "$pid" 2>/dev/null || true; done
}

# Stop the given instances (in parallel) and wait until their ports are free.
stop_instances() {
  local name pid pids=() i p busy
  for name in "$@"; do
    if [ "$name" = source ] && pid="$(shim_pid)"; then pids+=("$pid"); fi
    if pid="$(instance_pid "$name")"; then pids+=("$pid"); fi
  done
  # Nothing of ours running: leave ports alone (they may be another state
  # dir's instances, which this invocation must not wait for or touch).
  [ "${#pids[@]}" -gt 0 ] || return 0
  stop_pids "${pids[@]}"
  for i in $(seq 1 100); do
    busy=""
    for name in "$@"; do
      for p in $(ports_of "$name"); do
        if port_open "$p"; then busy="$busy $p"; fi
      done
    done
    [ -z "$busy" ] && return 0
    sleep 0.05
  done
  die "port(s)$busy on 127.0.0.1 still in use after stop (ss -ltnp)"
}

# ---------------------------------------------------------------- outputs

write_outputs() {
  local sec="$STATE/secrets" u
  mkdir -p "$sec"
  chmod 0700 "$sec"
  for u in "${USERS[@]}"; do
    (umask 077; printf '%s' "$(password_of "$u")" >"$sec/$u.pw")
  done
  (umask 077; printf '%s' "$MASTER_PASSWORD" >"$sec/$MASTER_USER.pw")
  chmod 0600 "$sec"/*.pw

  python3 - "$STATE" "$MASTER_USER" "$MASTER_PASSWORD" "${USERS[@]}" <<PY
import json, os, sys
state, master_user, master_pw, users = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def inst(name, port, tls, lmtp, sep, prefix, extra):
    d = {"host": "127.0.0.1", "port": port, "tlsPort": tls, "lmtpPort": lmtp,
         "separator": sep, "prefix": prefix,
         "dir": os.path.join(state, name),
         "conf": os.path.join(state, name, "dovecot.conf"),
         "log": os.path.join(state, name, "log", "dovecot.log"),
         "sentMailLog": os.path.join(state, name, "sent-mail.log")}
    d.update(extra)
    return d
doc = {
    "ca": os.path.join(state, "ca", "ca.pem"),
    "tlsServerName": "localhost",
    "dir": state,
    "source": inst("source", $SOURCE_IMAP_PORT, $SOURCE_IMAPS_PORT, $SOURCE_LMTP_PORT, ".", "INBOX.",
                   {"plaintextAuthWithoutTLS": False, "compress": False}),
    "destination": inst("destination", $DEST_IMAP_PORT, $DEST_IMAPS_PORT, $DEST_LMTP_PORT, "/", "",
                        {"plaintextAuthWithoutTLS": True, "compress": True,
                         "manageSievePort": $DEST_SIEVE_PORT}),
    "seedManifest": os.path.join(state, "source", "seed.json"),
    "users": {u: u + "-pw-1" for u in users},
    "passwordFiles": {u: os.path.join(state, "secrets", u + ".pw") for u in users},
    "master": {"user": master_user, "password": master_pw, "separator": "*",
               "passwordFile": os.path.join(state, "secrets", master_user + ".pw")},
}
tmp = os.path.join(state, "dovecot.json.tmp")
with open(tmp, "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
os.chmod(tmp, 0o644)
os.replace(tmp, os.path.join(state, "dovecot.json"))
PY
  env_lines >"$STATE/dovecot.env.tmp"
  mv "$STATE/dovecot.env.tmp" "$STATE/dovecot.env"
}

env_lines() {
  local q
  q() { printf "export %s=%q\n" "$1" "$2"; }
  q TERN_TEST_DIR "$STATE"
  q TERN_TEST_CONFIG "$STATE/dovecot.json"
  q TERN_TEST_CA "$STATE/ca/ca.pem"
  q TERN_TEST_HOST 127.0.0.1
  q TERN_TEST_TLS_SERVER_NAME localhost
  q TERN_TEST_SOURCE_PORT "$SOURCE_IMAP_PORT"
  q TERN_TEST_SOURCE_TLS_PORT "$SOURCE_IMAPS_PORT"
  q TERN_TEST_SOURCE_LMTP_PORT "$SOURCE_LMTP_PORT"
  q TERN_TEST_DEST_PORT "$DEST_IMAP_PORT"
  q TERN_TEST_DEST_TLS_PORT "$DEST_IMAPS_PORT"
  q TERN_TEST_DEST_LMTP_PORT "$DEST_LMTP_PORT"
  q TERN_TEST_DEST_SIEVE_PORT "$DEST_SIEVE_PORT"
  q TERN_TEST_SECRETS_DIR "$STATE/secrets"
  q TERN_TEST_MASTER_USER "$MASTER_USER"
  q TERN_TEST_MASTER_PASSWORD_FILE "$STATE/secrets/$MASTER_USER.pw"
}

# ---------------------------------------------------------------- commands

with_lock() {
  mkdir -p "$STATE"
  chmod 0755 "$STATE"
  exec 9>"$STATE/.dovecot.lock"
  flock -w 60 9 || die "could not lock $STATE/.dovecot.lock"
}

cmd_start() {
  local t0 t1 name
  t0="$(date +%s.%N)"
  require_root
  check_state_path
  with_lock
  if instance_healthy source && instance_healthy destination && [ -e "$STATE/source/.seeded" ]; then
    # Instances started by an older copy of this script lack newer users.
    write_passwd_files source
    write_passwd_files destination
    if [ ! -s "$STATE/dovecot.json" ] || ! grep -q "\"${USERS[-1]}\"" "$STATE/dovecot.json"; then
      ensure_mailuser
      write_outputs
    fi
    log "already running (source pid $(instance_pid source), destination pid $(instance_pid destination))"
    return 0
  fi
  ensure_mailuser
  ensure_ca
  for name in source destination; do
    start_instance "$name"
  done
  if [ ! -e "$STATE/source/.seeded" ]; then
    python3 "$TPL/seed.py" --state "$STATE" --uid "$MAIL_UID" --gid "$MAIL_GID"
    date -u +%FT%TZ >"$STATE/source/.seeded"
  fi
  write_outputs
  t1="$(date +%s.%N)"
  log "started: source 127.0.0.1:$SOURCE_IMAP_PORT/$SOURCE_IMAPS_PORT, destination 127.0.0.1:$DEST_IMAP_PORT/$DEST_IMAPS_PORT ($(awk "BEGIN{printf \"%.1f\", $t1-$t0}")s); eval \"\$($0 env)\" for variables"
}

cmd_stop() {
  require_root
  with_lock
  stop_instances source destination
  log "stopped"
}

cmd_status() {
  local rc=0 name pid
  for name in source destination; do
    if pid="$(instance_pid "$name")" && instance_healthy "$name"; then
      echo "$name: running (pid $pid)"
    else
      echo "$name: not running"
      rc=1
    fi
  done
  return $rc
}

cmd_env() {
  env_lines
}

cmd_reset() {
  require_root
  check_state_path
  (
    with_lock
    stop_instances source destination
    rm -rf "$STATE/source" "$STATE/destination" "$STATE/secrets" \
      "$STATE/dovecot.json" "$STATE/dovecot.env" "$STATE/seed-tmp"
  )
  cmd_start
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  reset) cmd_reset ;;
  check) python3 "$TPL/check.py" "$STATE" ;;
  *) echo "usage: $0 start|stop|status|env|reset|check" >&2; exit 2 ;;
esac
