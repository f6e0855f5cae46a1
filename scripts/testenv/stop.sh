#!/usr/bin/env bash
# Stops every local test server started by start.sh.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/dovecot.sh" stop
for service in dns httpsink directory gmail cyrus courier; do
    if [ -x "$here/$service.sh" ]; then
        "$here/$service.sh" stop
    fi
done
