#!/usr/bin/env bash
# Tern's Cyrus IMAP test server: Debian's cyrus-imapd, unpacked (never apt-installed: it
# conflicts with dovecot-imapd) into the test folder by unpack-servers.sh and run in a private
# mount namespace (lib/nsexec.sh) with its own configuration, data and users.
#
#   IMAP 127.0.0.1:44143 (STARTTLS), IMAPS 127.0.0.1:44993, certificate from the test CA.
#   Debian's namespace defaults: separator ".", personal folders under "INBOX.", other
#   users' under "user.". SASL PLAIN/LOGIN against a private sasldb.
#   Users c01..c16 (password <user>-pw-1); admin "cyrus" (imapd.conf admins:), who may log in
#   as any user with a PLAIN authorization identity.
#
# Usage: scripts/testenv/cyrus.sh start|stop|status|env|reset
# State in ${TERN_TESTENV_DIR:-/tmp/tern-testenv}/cyrus: root/ (the unpacked packages),
# conf/, lib/ (configdirectory), spool/, run/ (pids, sockets), log/cyrus.log (syslog),
# secrets/<user>.pw; facts for tests in ../cyrus.json. Needs the Dovecot pair's CA
# (dovecot.sh start first). Must run as root: master drops to the user ternmail.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME="cyrus.sh"
STATE="${TERN_TESTENV_DIR:-/tmp/tern-testenv}"
D="$STATE/cyrus"
ROOT="$D/root"
IMAP_PORT=44143
IMAPS_PORT=44993
USERS=()
for _n in $(seq 1 16); do USERS+=("$(printf "c%02d" "$_n")"); done
unset _n
ADMIN_USER="cyrus"
REALM="localhost"

. "$HERE/lib/packaged.sh"

password_of() { printf '%s-pw-1' "$1"; }

master_pid() { pid_from "$D/run/master.pid" master; }
sink_pid() { pid_from "$D/run/syslog.pid" python3; }
healthy() { master_pid >/dev/null && sink_pid >/dev/null && imap_greets "$IMAP_PORT" && port_open "$IMAPS_PORT"; }

prepare() {
    local d
    "$HERE/unpack-servers.sh" cyrus
    command -v saslpasswd2 >/dev/null || die "saslpasswd2 not installed (sasl2-bin); run scripts/install-deps.sh"
    for d in conf lib lib/db lib/log lib/msg lib/proc lib/ptclient lib/quota lib/socket lib/user \
             spool sieve run run/proc run/lock run/socket log tls secrets; do
        mkdir -p "$D/$d"
    done
    chown -R "$MAIL_UID:$MAIL_GID" "$D/lib" "$D/spool" "$D/sieve" "$D/run" "$D/tls"
    chmod 0700 "$D/secrets"
    install -m 0600 -o "$MAIL_UID" -g "$MAIL_GID" "$STATE/ca/server.key" "$D/tls/server.key"
    install -m 0644 "$STATE/ca/server.pem" "$D/tls/server.pem"
    cat >"$D/conf/imapd.conf" <<CONF
# Written by scripts/testenv/cyrus.sh. Debian's defaults (namespace, hashing) where they
# matter to clients; every path inside $D.
configdirectory: $D/lib
proc_path: $D/run/proc
mboxname_lockpath: $D/run/lock
defaultpartition: default
partition-default: $D/spool
sievedir: $D/sieve
lmtpsocket: $D/run/socket/lmtp
idlesocket: $D/run/socket/idle
notifysocket: $D/run/socket/notify
cyrus_user: ternmail
cyrus_group: ternmail
servername: $REALM
altnamespace: no
unixhierarchysep: no
hashimapspool: true
admins: $ADMIN_USER
allowanonymouslogin: no
allowplaintext: yes
autocreate_quota: 0
umask: 077
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $D/lib/sasldb2
sasl_mech_list: PLAIN LOGIN
tls_server_cert: $D/tls/server.pem
tls_server_key: $D/tls/server.key
tls_client_ca_file: $STATE/ca/ca.pem
syslog_prefix: tern-cyrus
CONF
    cat >"$D/conf/cyrus.conf" <<CONF
# Written by scripts/testenv/cyrus.sh.
START {
    recover cmd="ctl_cyrusdb -C $D/conf/imapd.conf -r"
}
SERVICES {
    imap  cmd="imapd -C $D/conf/imapd.conf -U 30" listen="127.0.0.1:$IMAP_PORT" prefork=0 maxchild=100
    imaps cmd="imapd -s -C $D/conf/imapd.conf -U 30" listen="127.0.0.1:$IMAPS_PORT" prefork=0 maxchild=100
}
EVENTS {
    checkpoint cmd="ctl_cyrusdb -C $D/conf/imapd.conf -c" period=30
}
CONF
}

# SASL secrets (added when missing, so a running server picks new users up) and password files.
write_users() {
    local u have
    have="$(sasldblistusers2 -f "$D/lib/sasldb2" 2>/dev/null || true)"
    for u in "$ADMIN_USER" "${USERS[@]}"; do
        if ! grep -q "^$u@$REALM:" <<<"$have"; then
            printf '%s' "$(password_of "$u")" | saslpasswd2 -f "$D/lib/sasldb2" -u "$REALM" -c -p "$u"
        fi
        (umask 077; printf '%s' "$(password_of "$u")" >"$D/secrets/$u.pw")
    done
    chown "$MAIL_UID:$MAIL_GID" "$D/lib/sasldb2"
    chmod 0600 "$D/lib/sasldb2"
}

# Each user's INBOX (user.<name>), created by the admin when missing.
create_mailboxes() {
    python3 - "$IMAP_PORT" "$ADMIN_USER" "$(password_of "$ADMIN_USER")" "${USERS[@]}" <<'PY'
import imaplib, sys
port, admin, password, users = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
imap = imaplib.IMAP4("127.0.0.1", port)
imap.login(admin, password)
status, listed = imap.list('""', "user.%")
have = {line.decode().rsplit(" ", 1)[-1].strip('"') for line in listed if line}
for user in users:
    if "user." + user not in have:
        status, detail = imap.create("user." + user)
        if status != "OK":
            sys.exit(f"cyrus.sh: cannot create user.{user}: {detail}")
imap.logout()
PY
}

write_outputs() {
    # admins: in imapd.conf; PLAIN with an authorization identity logs in as that user.
    write_facts cyrus "Cyrus IMAP" conf/imapd.conf log/cyrus.log true
}

start_server() {
    local p
    for p in "$IMAP_PORT" "$IMAPS_PORT"; do
        port_open "$p" && die "port 127.0.0.1:$p is already in use by another process (ss -ltnp 'sport = :$p')"
    done
    if ! sink_pid >/dev/null; then
        rm -f "$D/run/syslog.pid"
        setsid python3 "$HERE/lib/syslog-sink.py" "$D/run/log.sock" "$D/log/cyrus.log" "$D/run/syslog.pid" \
            </dev/null >>"$D/log/syslog-sink.out" 2>&1 9>&- 8>&- &
        wait_until 5 sink_pid >/dev/null || die "syslog sink did not start; see $D/log/syslog-sink.out"
    fi
    in_namespace "$D/run/master.pid" "$D/log/master.out" \
        "overlay:/usr:$ROOT/usr" "bind:$D/run/log.sock:/dev/log" -- \
        /usr/lib/cyrus/bin/master -C "$D/conf/imapd.conf" -M "$D/conf/cyrus.conf" -p "$D/run/master.pid" -D
    if ! wait_until 20 healthy; then
        tail -n 20 "$D/log/master.out" "$D/log/cyrus.log" >&2 || true
        die "Cyrus did not come up on 127.0.0.1:$IMAP_PORT/$IMAPS_PORT; see $D/log/cyrus.log"
    fi
}

stop_server() {
    local pids=() pid
    if pid="$(master_pid)"; then pids+=("$pid"); fi
    if pid="$(sink_pid)"; then pids+=("$pid"); fi
    [ "${#pids[@]}" -gt 0 ] || return 0
    stop_pids "${pids[@]}"
    wait_until 10 ports_free "$IMAP_PORT" "$IMAPS_PORT" \
        || die "port(s) $IMAP_PORT/$IMAPS_PORT on 127.0.0.1 still in use after stop (ss -ltnp)"
}

cmd_start() {
    local t0
    t0="$(date +%s.%N)"
    require_root
    require_ca
    with_lock
    ensure_mailuser
    if healthy; then
        write_users
        create_mailboxes
        write_outputs
        log "already running (master pid $(master_pid))"
        return 0
    fi
    master_pid >/dev/null && { log "running but not answering; restarting"; stop_server; }
    prepare
    write_users
    start_server
    create_mailboxes
    write_outputs
    log "started: Cyrus IMAP 127.0.0.1:$IMAP_PORT, IMAPS 127.0.0.1:$IMAPS_PORT ($(elapsed_since "$t0")s)"
}

cmd_stop() {
    require_root
    with_lock
    stop_server
    log "stopped"
}

cmd_status() {
    if healthy; then echo "cyrus: running (master pid $(master_pid))"; else echo "cyrus: not running"; return 1; fi
}

cmd_env() {
    printf 'export TERN_CYRUS_CONFIG=%q\n' "$STATE/cyrus.json"
    printf 'export TERN_CYRUS_PORT=%q\nexport TERN_CYRUS_TLS_PORT=%q\n' "$IMAP_PORT" "$IMAPS_PORT"
}

cmd_reset() {
    require_root
    (
        with_lock
        stop_server
        rm -rf "$D/conf" "$D/lib" "$D/spool" "$D/sieve" "$D/run" "$D/log" "$D/tls" "$D/secrets" "$STATE/cyrus.json"
    )
    cmd_start
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    reset) cmd_reset ;;
    *) echo "usage: $0 start|stop|status|env|reset" >&2; exit 2 ;;
esac
