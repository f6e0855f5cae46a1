#!/usr/bin/env bash
# Tern's Courier-IMAP test server: Debian's courier-imap with courier-authlib (userdb),
# unpacked (never apt-installed: courier-imap conflicts with dovecot-imapd) into the test
# folder by unpack-servers.sh. Authlib's paths are compiled in (/etc/courier, /run/courier,
# /usr/lib/courier-authlib), so each daemon runs in a private mount namespace
# (lib/nsexec.sh) where those paths are bind mounts of this server's folder; the host's
# /etc, /run and /usr stay untouched.
#
#   IMAP 127.0.0.1:54143 (STARTTLS; LOGIN also allowed without TLS), IMAPS 127.0.0.1:54993,
#   certificate from the test CA. Maildir++: separator ".", folders under "INBOX.".
#   Users c01..c16 (password <user>-pw-1) and a plain account "admin": Courier has no
#   master/proxy login (it ignores a PLAIN authorization identity and logs in as the
#   authentication identity).
#
# Usage: scripts/testenv/courier.sh start|stop|status|env|reset
# State in ${TERN_TESTENV_DIR:-/tmp/tern-testenv}/courier: root/ (the unpacked packages),
# etc/ (seen as /etc/courier), run/ (/run/courier, pids), home/<user>/Maildir, log/,
# secrets/<user>.pw; facts for tests in ../courier.json. Needs the Dovecot pair's CA
# (dovecot.sh start first). Must run as root: imaplogin switches to the user ternmail.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME="courier.sh"
STATE="${TERN_TESTENV_DIR:-/tmp/tern-testenv}"
D="$STATE/courier"
ROOT="$D/root"
IMAP_PORT=54143
IMAPS_PORT=54993
USERS=()
for _n in $(seq 1 16); do USERS+=("$(printf "c%02d" "$_n")"); done
unset _n
ADMIN_USER="admin"
DAEMONS=(authdaemond imapd imapd-ssl)

. "$HERE/lib/packaged.sh"

password_of() { printf '%s-pw-1' "$1"; }

daemon_pid() {
    case "$1" in
        authdaemond) pid_from "$D/run/authdaemond.pid" authdaemond ;;
        *) pid_from "$D/run/$1.pid" couriertcpd ;;
    esac
}
healthy() {
    local d
    for d in "${DAEMONS[@]}"; do daemon_pid "$d" >/dev/null || return 1; done
    imap_greets "$IMAP_PORT" && port_open "$IMAPS_PORT"
}

# What each daemon's namespace sees: the packages' /usr and /etc above the host's, this
# server's etc/ and run/ at /etc/courier and /run/courier, and a passwd/group that add the
# "courier" user couriertls switches to (mapped to ternmail; the host gets no new user).
mounts() {
    echo "overlay:/usr:$ROOT/usr" "overlay:/etc:$ROOT/etc" \
        "bind:$D/ns/passwd:/etc/passwd" "bind:$D/ns/group:/etc/group" \
        "bind:$D/etc:/etc/courier" "bind:$D/run:/run/courier"
}

prepare() {
    local d
    "$HERE/unpack-servers.sh" courier
    for d in etc run run/authdaemon home log ns secrets; do mkdir -p "$D/$d"; done
    chmod 0755 "$D" "$D/etc" "$D/run" "$D/home"
    chmod 0750 "$D/run/authdaemon"
    chmod 0700 "$D/secrets"
    { grep -v '^courier:' /etc/passwd
      echo "courier:x:$MAIL_UID:$MAIL_GID:Courier (Tern test namespace only):/nonexistent:/usr/sbin/nologin"
    } | write_if_changed "$D/ns/passwd" 0644 || true
    { grep -v '^courier:' /etc/group; echo "courier:x:$MAIL_GID:"; } | write_if_changed "$D/ns/group" 0644 || true
    write_if_changed "$D/etc/authdaemonrc" 0644 <<CONF || true
# Written by scripts/testenv/courier.sh.
authmodulelist="authuserdb"
authmodulelistorig="authuserdb"
daemons=3
authdaemonvar=/run/courier/authdaemon
DEBUG_LOGIN=0
DEFAULTOPTIONS=""
LOGGEROPTS=""
CONF
    # Debian's /etc/courier/imapd and imapd-ssl, with this server's addresses and ports.
    write_if_changed "$D/etc/imapd" 0644 <<CONF || true
# Written by scripts/testenv/courier.sh (Debian's values unless noted).
ADDRESS=127.0.0.1
PORT=$IMAP_PORT
MAXDAEMONS=40
MAXPERIP=40
TCPDOPTS="-nodnslookup -noidentlookup"
IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN NAMESPACE THREAD=ORDEREDSUBJECT THREAD=REFERENCES SORT QUOTA IDLE"
IMAP_KEYWORDS=1
IMAP_ACL=1
IMAP_PROXY=0
IMAP_PROXY_FOREIGN=0
IMAP_IDLE_TIMEOUT=60
IMAP_MAILBOX_SANITY_CHECK=1
IMAP_CAPABILITY_TLS="\$IMAP_CAPABILITY AUTH=PLAIN"
IMAP_DISABLETHREADSORT=0
IMAP_CHECK_ALL_FOLDERS=0
IMAP_OBSOLETE_CLIENT=0
IMAP_UMASK=022
IMAP_USELOCKS=1
IMAP_SHAREDINDEXFILE=/etc/courier/shared/index
IMAP_ENHANCEDIDLE=0
IMAP_TRASHFOLDERNAME=Trash
# Debian empties Trash after 7 days; tests keep what they put there.
IMAP_EMPTYTRASH=
IMAP_MOVE_EXPUNGE_TO_TRASH=0
SENDMAIL=/bin/false
HEADERFROM=X-IMAP-Sender
MAILDIRPATH=Maildir
CONF
    write_if_changed "$D/etc/imapd-ssl" 0644 <<CONF || true
# Written by scripts/testenv/courier.sh.
SSLPORT=$IMAPS_PORT
SSLADDRESS=127.0.0.1
IMAPDSTARTTLS=YES
IMAP_TLS_REQUIRED=0
COURIERTLS=/usr/bin/couriertls
TLS_CERTFILE=/etc/courier/imapd.pem
TLS_DHPARAMS=/etc/courier/dhparams.pem
TLS_VERIFYPEER=NONE
TLS_CACHEFILE=
MAILDIRPATH=Maildir
CONF
    cat "$STATE/ca/server.key" "$STATE/ca/server.pem" | write_if_changed "$D/etc/imapd.pem" 0600 || true
    chown "$MAIL_UID:$MAIL_GID" "$D/etc/imapd.pem"
    if [ ! -s "$D/etc/dhparams.pem" ]; then
        openssl genpkey -genparam -algorithm DH -pkeyopt dh_param:ffdhe2048 -out "$D/etc/dhparams.pem" 2>/dev/null
        chmod 0644 "$D/etc/dhparams.pem"
    fi
}

# userdb (a Maildir per user, SHA-512 crypt passwords) compiled with makeuserdb inside the
# namespace; authuserdb re-reads userdb.dat when it changes, so a running server sees new users.
write_users() {
    local u home line changed=""
    for u in "${USERS[@]}" "$ADMIN_USER"; do
        home="$D/home/$u"
        if [ ! -d "$home/Maildir/cur" ]; then
            mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp"
            chown -R "$MAIL_UID:$MAIL_GID" "$home"
            chmod -R go-rwx "$home/Maildir"
        fi
        (umask 077; printf '%s' "$(password_of "$u")" >"$D/secrets/$u.pw")
    done
    # Hashes are salted, so keep a user's line unless it is missing.
    touch "$D/etc/userdb"
    chmod 0600 "$D/etc/userdb"
    for u in "${USERS[@]}" "$ADMIN_USER"; do
        grep -q "^$u	" "$D/etc/userdb" && continue
        home="$D/home/$u"
        line="$(printf '%s\tuid=%s|gid=%s|home=%s|mail=%s/Maildir|systempw=%s' "$u" "$MAIL_UID" "$MAIL_GID" \
            "$home" "$home" "$(openssl passwd -6 "$(password_of "$u")")")"
        printf '%s\n' "$line" >>"$D/etc/userdb"
        changed=1
    done
    if [ -n "$changed" ] || [ ! -s "$D/etc/userdb.dat" ]; then
        # shellcheck disable=SC2046
        unshare --mount --propagation private "$NSEXEC" "$D/run/makeuserdb.pid" $(mounts) -- /usr/sbin/makeuserdb \
            || die "makeuserdb failed"
    fi
}

write_outputs() {
    # A plain account: Courier ignores a PLAIN authorization identity.
    write_facts courier "Courier-IMAP" etc/imapd log/imapd.log false
}

# The command line Debian's /usr/lib/courier/imapd and imapd-ssl scripts build, without
# courierlogger (each daemon logs to log/<daemon>.log and keeps the pid it is started with).
start_daemon() {
    local name="$1" script
    case "$name" in
        authdaemond) set -- /usr/lib/courier/courier-authlib/authdaemond ;;
        imapd) script='set -a; . /etc/courier/imapd; . /etc/courier/imapd-ssl; IMAP_STARTTLS=$IMAPDSTARTTLS
exec /usr/sbin/couriertcpd -address=$ADDRESS -maxprocs=$MAXDAEMONS -maxperip=$MAXPERIP $TCPDOPTS $PORT \
    /usr/lib/courier/courier/imaplogin /usr/bin/imapd $MAILDIRPATH'
            set -- /usr/bin/env -i /bin/sh -c "$script" ;;
        imapd-ssl) script='set -a; . /etc/courier/imapd; . /etc/courier/imapd-ssl; IMAP_TLS=1
exec /usr/sbin/couriertcpd -address=$SSLADDRESS -maxprocs=$MAXDAEMONS -maxperip=$MAXPERIP $TCPDOPTS $SSLPORT \
    $COURIERTLS -server -tcpd -user=courier /usr/lib/courier/courier/imaplogin /usr/bin/imapd $MAILDIRPATH'
            set -- /usr/bin/env -i /bin/sh -c "$script" ;;
    esac
    # shellcheck disable=SC2046
    in_namespace "$D/run/$name.pid" "$D/log/$name.log" $(mounts) -- "$@"
}

start_server() {
    local p d
    for p in "$IMAP_PORT" "$IMAPS_PORT"; do
        port_open "$p" && die "port 127.0.0.1:$p is already in use by another process (ss -ltnp 'sport = :$p')"
    done
    rm -f "$D/run/authdaemon/socket"
    start_daemon authdaemond
    wait_until 10 test -S "$D/run/authdaemon/socket" \
        || { tail -n 20 "$D/log/authdaemond.log" >&2 || true; die "authdaemond did not come up"; }
    start_daemon imapd
    start_daemon imapd-ssl
    if ! wait_until 20 healthy; then
        for d in "${DAEMONS[@]}"; do tail -n 5 "$D/log/$d.log" >&2 || true; done
        die "Courier did not come up on 127.0.0.1:$IMAP_PORT/$IMAPS_PORT; see $D/log/"
    fi
}

stop_server() {
    local pids=() pid d
    for d in "${DAEMONS[@]}"; do
        if pid="$(daemon_pid "$d")"; then pids+=("$pid"); fi
    done
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
        write_outputs
        log "already running (authdaemond pid $(daemon_pid authdaemond))"
        return 0
    fi
    stop_server
    prepare
    write_users
    start_server
    write_outputs
    log "started: Courier-IMAP 127.0.0.1:$IMAP_PORT, IMAPS 127.0.0.1:$IMAPS_PORT ($(elapsed_since "$t0")s)"
}

cmd_stop() {
    require_root
    with_lock
    stop_server
    log "stopped"
}

cmd_status() {
    if healthy; then echo "courier: running (authdaemond pid $(daemon_pid authdaemond))"
    else echo "courier: not running"; return 1; fi
}

cmd_env() {
    printf 'export TERN_COURIER_CONFIG=%q\n' "$STATE/courier.json"
    printf 'export TERN_COURIER_PORT=%q\nexport TERN_COURIER_TLS_PORT=%q\n' "$IMAP_PORT" "$IMAPS_PORT"
}

cmd_reset() {
    require_root
    (
        with_lock
        stop_server
        rm -rf "$D/etc" "$D/run" "$D/home" "$D/log" "$D/ns" "$D/secrets" "$STATE/courier.json"
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
