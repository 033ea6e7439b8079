#!/usr/bin/env bash
# The man page and the shell completions name every command and option that the CLI's own
# help lists, so that a new flag cannot ship undocumented.
# Usage: help-covered.sh QUORUMDECK MAN_PAGE BASH_COMPLETION ZSH_COMPLETION
# MAN_PAGE may be gzipped.
set -euo pipefail
qd=$1 man=$2 bash_completion=$3 zsh_completion=$4
fail() { echo "help-covered: $*" >&2; exit 1; }

case $man in
    *.gz) man_source=$(zcat "$man") ;;
    *) man_source=$(cat "$man") ;;
esac
man_text=$(sed 's/\\-/-/g' <<< "$man_source")
help=$("$qd" --help)
commands=$(sed -n '/^Commands:/,/^MEMBER/p' <<< "$help" | grep -E '^  [a-z]' | awk '{print $1}' | sort -u)
options=$(grep -oE -- '--[a-z][a-z-]+' <<< "$help" | sort -u)
[ -n "$commands" ] || fail "found no commands in the help"
[ -n "$options" ] || fail "found no options in the help"

missing=()
for c in $commands; do
    grep -qw -- "$c" <<< "$man_text" || missing+=("the man page does not describe the command $c")
    for completion in "$bash_completion" "$zsh_completion"; do
        grep -qw -- "$c" "$completion" || missing+=("$(basename "$completion") does not offer the command $c")
    done
done
for o in $options; do
    grep -qF -- "$o" <<< "$man_text" || missing+=("the man page does not describe $o")
    for completion in "$bash_completion" "$zsh_completion"; do
        [ "$o" = "--version" ] || [ "$o" = "--demo" ] || grep -qF -- "$o" "$completion" \
            || missing+=("$(basename "$completion") does not offer $o")
    done
done
if [ ${#missing[@]} -gt 0 ]; then
    printf 'help-covered: %s\n' "${missing[@]}" >&2
    exit 1
fi
bash -n "$bash_completion" || fail "the bash completion does not parse"
zsh -n "$zsh_completion" || fail "the zsh completion does not parse"
echo "help-covered: $(wc -w <<< "$commands") commands and $(wc -w <<< "$options") options described and completed"
