# Shared by cyrus.sh and courier.sh (servers run from unpacked Debian packages in a private
# mount namespace, see nsexec.sh): pids, ports, greetings, the mail user. Source it after
# setting NAME (log prefix) and STATE.

log() { printf '%s: %s\n' "$NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }

HERE_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NSEXEC="$HERE_LIB/nsexec.sh"

require_root() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (the server drops privileges itself)"
    command -v unshare >/dev/null || die "unshare not found (util-linux)"
    command -v python3 >/dev/null || die "python3 not installed; run scripts/install-deps.sh"
    command -v openssl >/dev/null || die "openssl not installed; run scripts/install-deps.sh"
}

# The certificate comes from dovecot.sh (started first by start.sh).
require_ca() {
    [ -s "$STATE/ca/server.pem" ] && [ -s "$STATE/ca/server.key" ] && [ -s "$STATE/ca/ca.pem" ] \
        || die "no test CA in $STATE/ca; start the Dovecot pair first (scripts/testenv/dovecot.sh start)"
}

# The system user owning the test mail (the same one dovecot.sh uses).
ensure_mailuser() {
    if ! getent passwd ternmail >/dev/null; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --comment "Tern test mail storage" ternmail
    fi
    MAIL_UID="$(id -u ternmail)"
    MAIL_GID="$(id -g ternmail)"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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

# pid_from FILE COMM: the pid in FILE if that process runs and is named COMM.
pid_from() {
    local pid
    [ -r "$1" ] || return 1
    pid="$(tr -dc '0-9' <"$1")"
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
    echo "$pid"
}

# in_namespace PIDFILE LOGFILE MOUNT... -- COMMAND...: starts COMMAND detached in its own
# mount namespace; its pid lands in PIDFILE.
in_namespace() {
    local pidfile="$1" logfile="$2"
    shift 2
    rm -f "$pidfile"
    setsid unshare --mount --propagation private "$NSEXEC" "$pidfile" "$@" \
        </dev/null >>"$logfile" 2>&1 8>&- 9>&- &
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s.
wait_until() {
    local limit="$1" i
    shift
    for i in $(seq 1 "$((limit * 10))"); do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# Send TERM to the given pids, wait for them to exit (KILL after 10 s).
stop_pids() {
    local pid i alive
    [ "$#" -gt 0 ] || return 0
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for i in $(seq 1 100); do
        alive=""
        for pid in "$@"; do [ -d "/proc/$pid" ] && alive="$alive $pid"; done
        [ -z "$alive" ] && return 0
        sleep 0.1
    done
    log "pids$alive did not exit on TERM; killing"
    for pid in $alive; do kill -KILL "$pid" 2>/dev/null || true; done
}

ports_free() { local p; for p in "$@"; do port_open "$p" && return 1; done; return 0; }

with_lock() {
    mkdir -p "$STATE"
    exec 8>"$STATE/.${NAME%.sh}.lock"
    flock -w 60 8 || die "could not lock $STATE/.${NAME%.sh}.lock"
}

# write_if_changed FILE MODE: stdin replaces FILE only when it differs (keeps the mtime).
write_if_changed() {
    local tmp="$1.tmp"
    cat >"$tmp"
    if [ -e "$1" ] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; return 1; fi
    chmod "$2" "$tmp"
    mv "$tmp" "$1"
}

elapsed_since() { awk "BEGIN{printf \"%.1f\", $(date +%s.%N)-$1}"; }

# write_facts KIND SOFTWARE CONF LOG AUTHZID: writes $STATE/KIND.json, the facts the Swift tests
# read (TestEnvironment.packaged): ports, CA, namespace, users and passwords, the admin. CONF and
# LOG are relative to the server's folder; AUTHZID is "true" when the admin may act for a user
# with a PLAIN authorization identity. Uses IMAP_PORT, IMAPS_PORT, ADMIN_USER and USERS.
write_facts() {
    python3 - "$STATE" "$1" "$2" "$3" "$4" "$5" "$IMAP_PORT" "$IMAPS_PORT" "$ADMIN_USER" "${USERS[@]}" <<'PY'
import json, os, sys
state, kind, software, conf, log, authzid = sys.argv[1:7]
port, tls_port, admin, users = int(sys.argv[7]), int(sys.argv[8]), sys.argv[9], sys.argv[10:]
d = os.path.join(state, kind)
versions = open(os.path.join(d, "root", ".tern-versions")).read().split()
doc = {
    "software": software + ", Debian packages " + " ".join(versions),
    "host": "127.0.0.1", "port": port, "tlsPort": tls_port,
    "ca": os.path.join(state, "ca", "ca.pem"), "tlsServerName": "localhost",
    "separator": ".", "prefix": "INBOX.",
    "plaintextAuthWithoutTLS": True,
    "dir": d, "conf": os.path.join(d, conf), "log": os.path.join(d, log),
    "users": {u: u + "-pw-1" for u in users},
    "passwordFiles": {u: os.path.join(d, "secrets", u + ".pw") for u in users},
    "admin": {"user": admin, "password": admin + "-pw-1", "authorizationIdentity": authzid == "true",
              "passwordFile": os.path.join(d, "secrets", admin + ".pw")},
}
tmp = os.path.join(state, kind + ".json.tmp")
with open(tmp, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
os.chmod(tmp, 0o644)
os.replace(tmp, os.path.join(state, kind + ".json"))
PY
}
