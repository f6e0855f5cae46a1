#!/usr/bin/env bash
# Stops every local test server started by start.sh.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/dovecot.sh" stop
if [ -x "$here/dns.sh" ]; then
    "$here/dns.sh" stop
fi
