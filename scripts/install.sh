#!/usr/bin/env bash
# Installs a release build of tern and its presets system-wide.
# Usage: ./scripts/install.sh [--prefix DIR]   (default /usr/local; run `swift build -c release` first)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=/usr/local
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        *) echo "usage: $0 [--prefix DIR]" >&2; exit 64 ;;
    esac
done
. ./scripts/swift-env.sh
bin="$(swift build -c release --show-bin-path)/tern"
if [ ! -x "$bin" ]; then
    echo "error: $bin not found; run 'swift build -c release' first" >&2
    exit 20
fi
install -d "$prefix/bin" "$prefix/share/tern"
install -m 0755 "$bin" "$prefix/bin/tern"
cp -R presets "$prefix/share/tern/"
echo "installed $prefix/bin/tern and $prefix/share/tern/presets"
