#!/usr/bin/env bash
# Runs all of Tern's tests: installs what is missing (Debian packages), starts the local
# test servers (Dovecot pair, DNS), builds, and runs the unit and integration tests.
# Usage: ./scripts/test.sh [extra `swift test` arguments, e.g. --filter TernIMAPTests]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
. ./scripts/swift-env.sh
./scripts/check-imports.sh --self-test >/dev/null
./scripts/check-imports.sh
./scripts/testenv/start.sh
swift build --build-tests 2>&1 | tee /tmp/tern-build.log | grep -E "warning:|error:" && {
    echo "error: the build has warnings or errors (see above); Tern builds warning-free." >&2
    exit 1
}
swift test --skip-build "$@"
