#!/bin/sh
# Runs a command inside a private D-Bus session with a throw-away, unlocked keyring (the
# Secret Service of gnome-keyring), so that keychain tests touch no user's keyring.
# Usage: dbus-run-session -- with-keyring.sh COMMAND [ARGS...]
set -eu
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
printf 'throw-away' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 &
"$@"
