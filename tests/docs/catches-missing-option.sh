#!/usr/bin/env bash
# Removes every mention of one option the help lists from a copy of the man page and
# expects help-covered.sh to name it and fail.
# Usage: catches-missing-option.sh HELP_COVERED QUORUMDECK MAN_PAGE BASH_COMPLETION ZSH_COMPLETION
set -euo pipefail
check=$1 qd=$2 man=$3 bash_completion=$4 zsh_completion=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
option=--pki
# The help in a variable: `qd --help | grep -q` under pipefail fails whenever grep stops
# reading before the help is written out.
help=$("$qd" --help)
grep -qF -- "$option" <<< "$help" || { echo "the help no longer lists $option; pick another option" >&2; exit 1; }
sed 's/\\-\\-pki/\\-\\-removed/g' "$man" > "$work/quorumdeck.1"
if "$check" "$qd" "$work/quorumdeck.1" "$bash_completion" "$zsh_completion" 2> "$work/err"; then
    echo "help-covered.sh accepted a man page without $option" >&2
    exit 1
fi
grep -qF "the man page does not describe $option" "$work/err" || { cat "$work/err" >&2; exit 1; }
echo "help-covered.sh refused a man page without $option"
