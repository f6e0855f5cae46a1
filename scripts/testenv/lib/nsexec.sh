#!/usr/bin/env bash
# Runs a server from an unpacked Debian package in a private mount namespace, so its
# compiled-in paths (/usr/lib/cyrus, /etc/courier, /run/courier, ...) resolve into the test
# folder while the host stays untouched. Start it as
#   unshare --mount --propagation private nsexec.sh PIDFILE [MOUNT ...] -- COMMAND [ARG ...]
# MOUNT is one of
#   overlay:DIR:LAYER   DIR shows LAYER's files above its own (read-only), e.g. /usr:ROOT/usr
#   bind:SOURCE:TARGET  SOURCE appears at TARGET; a missing TARGET is made by overlaying its
#                       parent with a layer holding an empty directory (or file) of that name
# Then it writes its pid to PIDFILE and execs COMMAND, which keeps that pid.
set -euo pipefail

pidfile="$1"
shift
layers="$(dirname "$pidfile")/.ns-layers"

die() { printf 'nsexec.sh: error: %s\n' "$*" >&2; exit 1; }

[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] \
    || die "not in a private mount namespace (start it with unshare --mount --propagation private)"

overlay() { # DIR LAYER
    [ -d "$1" ] && [ -d "$2" ] || die "overlay $1 with $2: both must be directories"
    mount -t overlay overlay -o "lowerdir=$2:$1" "$1"
}

bind() { # SOURCE TARGET
    local parent name layer
    if [ ! -e "$2" ]; then
        parent="$(dirname "$2")" name="$(basename "$2")"
        layer="$layers$parent"
        mkdir -p "$layer"
        if [ -d "$1" ]; then mkdir -p "$layer/$name"; else touch "$layer/$name"; fi
        overlay "$parent" "$layer"
    fi
    mount --bind "$1" "$2"
}

while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    IFS=: read -r kind a b <<<"$1"
    case "$kind" in
        overlay) overlay "$a" "$b" ;;
        bind) bind "$a" "$b" ;;
        *) die "unknown mount '$1'" ;;
    esac
    shift
done
[ "${1:-}" = "--" ] || die "missing -- COMMAND"
shift
echo "$$" >"$pidfile"
exec "$@"
