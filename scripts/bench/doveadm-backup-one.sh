#!/usr/bin/env bash
# One mailbox with doveadm backup through imapc: the destination Dovecot pulls
# the user's mail from the source over IMAPS (dsync, one-way, -R = from remote).
# Usage: doveadm-backup-one.sh USER   (env: DEST_CONF SRC_PORT CA SECRETS)
set -euo pipefail
u="$1"
exec doveadm -c "$DEST_CONF" \
  -o mail_fsync=never \
  -o imapc_host=127.0.0.1 -o imapc_port="$SRC_PORT" -o imapc_ssl=imaps -o imapc_ssl_verify=yes \
  -o ssl_client_ca_file="$CA" \
  -o imapc_user="$u" -o imapc_password="$(cat "$SECRETS/$u.pw")" \
  -o imapc_list_prefix=INBOX \
  -o imapc_features="rfc822.size fetch-headers" \
  -o mail_prefetch_count=20 \
  backup -R -u "$u" imapc:
