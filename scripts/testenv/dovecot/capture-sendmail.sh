#!/bin/sh
# Stand-in for sendmail(8) used by the Tern test Dovecot instances: Sieve
# redirects, vacation replies and rejects never leave the machine; each
# message is appended to a log file (mbox-like) that tests can inspect.
# Called as: capture-sendmail [-i] [-f sender] [--] recipient...
# The log path is baked in when dovecot.sh installs this script.
LOG="${TERN_CAPTURE_LOG:-@CAPTURE_LOG@}"
{
  printf 'From tern-capture %s\n' "$(date -u '+%a %b %e %H:%M:%S %Y')"
  printf 'X-Tern-Sendmail-Args: %s\n' "$*"
  cat
  printf '\n'
} >>"$LOG"
exit 0
