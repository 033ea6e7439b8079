#!/usr/bin/env bash
# Whole-process comparison: `quorumdeck status -w json` beside the etcdctl pair that gives
# the same information (`endpoint status --cluster -w json` + `member list -w json`),
# against a live local three-member demo cluster on free ports.
#
#   bench/cli_vs_etcdctl.sh [path/to/quorumdeck]
set -euo pipefail
qd=${1:-build/app/quorumdeck}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
dir=$(mktemp -d)
trap '"$qd" demo down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$qd" demo up --dir "$dir" >/dev/null
eps=$("$qd" demo status --dir "$dir" -w json | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["endpoints"]))')
hyperfine -N --warmup 10 --runs 200 --export-json "$dir/result.json" \
    "$qd status -w json --endpoints $eps" \
    "sh -c 'etcdctl --endpoints $eps endpoint status --cluster -w json >/dev/null && etcdctl --endpoints $eps member list -w json >/dev/null'"
python3 - "$dir/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
qd, pair = r[0]["median"] * 1000, r[1]["median"] * 1000
print(f"median: quorumdeck {qd:.1f} ms, etcdctl pair {pair:.1f} ms, ratio {qd / pair:.2f}")
PY
