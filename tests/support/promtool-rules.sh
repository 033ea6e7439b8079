#!/bin/sh
# Checks the rules `quorumdeck alerts rules` prints with Prometheus' own tool: they must
# load (promtool check rules) and pass the unit tests in tests/alerts (promtool test rules).
# Usage: promtool-rules.sh QUORUMDECK PROMTOOL TESTS_DIR
set -eu
quorumdeck=$1
promtool=$2
tests=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$quorumdeck" alerts rules >"$work/etcd-rules.yml"
"$promtool" check rules "$work/etcd-rules.yml"
cp "$tests"/*.test.yml "$work/"
cd "$work"
"$promtool" test rules ./*.test.yml
