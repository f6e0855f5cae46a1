#!/usr/bin/env bash
# Fetches Debian's Cyrus IMAP and Courier-IMAP server packages and unpacks them into the test
# folder (${TERN_TESTENV_DIR:-/tmp/tern-testenv}/<server>/root). They are never installed with
# apt: cyrus-imapd, courier-imap and dovecot-imapd each provide imap-server and conflict, so
# installing one would remove Dovecot. Their libraries are ordinary packages, installed by
# scripts/install-deps.sh. Idempotent and quick once done (a stamp file per server).
#   scripts/testenv/unpack-servers.sh [cyrus] [courier]     (default: both)
set -euo pipefail

STATE="${TERN_TESTENV_DIR:-/tmp/tern-testenv}"
CYRUS_PACKAGES=(cyrus-common cyrus-imapd)
COURIER_PACKAGES=(courier-base courier-authlib courier-authdaemon courier-authlib-userdb courier-imap)

log() { printf 'unpack-servers: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "needs apt-get and dpkg-deb (Debian)"

updated=""
download() { # PACKAGE... into $STATE/debs
    local debs="$STATE/debs"
    mkdir -p "$debs"
    # root downloads here itself (the _apt sandbox user cannot write to this folder).
    if ! (cd "$debs" && apt-get -q -o APT::Sandbox::User=root download "$@" >/dev/null); then
        [ -z "$updated" ] || die "apt-get download $* failed"
        log "apt-get download failed; running apt-get update once"
        apt-get -q -o DPkg::Lock::Timeout=300 update >/dev/null
        updated=1
        (cd "$debs" && apt-get -q -o APT::Sandbox::User=root download "$@" >/dev/null) \
            || die "apt-get download $* failed"
    fi
}

unpack() { # NAME PACKAGE...
    local name="$1" root="$STATE/$1/root" stamp p deb missing=() debs=()
    shift
    stamp="$root/.tern-unpacked"
    if [ -f "$stamp" ] && [ -s "$root/.tern-versions" ] && [ "$(cat "$stamp")" = "$*" ]; then
        return 0
    fi
    for p in "$@"; do
        deb="$(ls "$STATE/debs/${p}_"*.deb 2>/dev/null | sort -V | tail -n 1 || true)"
        [ -n "$deb" ] || missing+=("$p")
    done
    [ "${#missing[@]}" -eq 0 ] || download "${missing[@]}"
    for p in "$@"; do
        deb="$(ls "$STATE/debs/${p}_"*.deb 2>/dev/null | sort -V | tail -n 1 || true)"
        [ -n "$deb" ] || die "no package file for $p in $STATE/debs"
        debs+=("$deb")
    done
    rm -rf "$root.tmp"
    mkdir -p "$root.tmp"
    for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$root.tmp"; done
    rm -rf "$root"
    mv "$root.tmp" "$root"
    chmod 0755 "$STATE/$name" "$root"
    for deb in "${debs[@]}"; do basename "$deb" .deb; done >"$root/.tern-versions"
    printf '%s' "$*" >"$stamp"
    log "$name: unpacked $(for deb in "${debs[@]}"; do basename "$deb" .deb; done | tr '\n' ' ')into $root"
}

mkdir -p "$STATE"
chmod 0755 "$STATE"
[ "$#" -gt 0 ] || set -- cyrus courier
for server in "$@"; do
    case "$server" in
        cyrus) unpack cyrus "${CYRUS_PACKAGES[@]}" ;;
        courier) unpack courier "${COURIER_PACKAGES[@]}" ;;
        *) die "unknown server '$server' (cyrus, courier)" ;;
    esac
done
