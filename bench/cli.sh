#!/usr/bin/env bash
# Whole-process comparison: `quorumdeck status -w json` beside the etcdctl pair that gives
# the same information (`endpoint status --cluster -w json` + `member list -w json`),
# against a live local three-member demo cluster on free ports.
#
# The machine's speed drifts from minute to minute, so the two are measured in alternating
# rounds (5 rounds of 40 runs each, the order swapped every round) and the ratio is taken
# round by round: both sides of a ratio see the same minutes.
#
#   bench/cli_vs_etcdctl.sh [path/to/quorumdeck] [rounds]
set -euo pipefail
qd=${1:-build/app/quorumdeck}
rounds=${2:-5}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
dir=$(mktemp -d)
trap '"$qd" demo down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$qd" demo up --dir "$dir" >/dev/null
eps=$("$qd" demo status --dir "$dir" -w json | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["endpoints"]))')
ours="$qd status -w json --endpoints $eps"
pair="sh -c 'etcdctl --endpoints $eps endpoint status --cluster -w json >/dev/null && etcdctl --endpoints $eps member list -w json >/dev/null'"
for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then first=$ours second=$pair; else first=$pair second=$ours; fi
    hyperfine -N --style none --warmup 5 --runs 40 --export-json "$dir/round$round.json" "$first" "$second" >/dev/null
done
python3 - "$dir" "$rounds" "$qd" <<'PY'
import json, statistics, sys
folder, rounds, qd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ours, pair, ratios = [], [], []
for r in range(1, rounds + 1):
    results = json.load(open(f"{folder}/round{r}.json"))["results"]
    q = next(x for x in results if x["command"].startswith(qd))["median"] * 1000
    p = next(x for x in results if not x["command"].startswith(qd))["median"] * 1000
    ours.append(q); pair.append(p); ratios.append(q / p)
    print(f"round {r}: quorumdeck {q:.1f} ms, etcdctl pair {p:.1f} ms, ratio {q / p:.2f}")
print(f"median of {rounds} rounds: quorumdeck {statistics.median(ours):.1f} ms, "
      f"etcdctl pair {statistics.median(pair):.1f} ms, ratio {statistics.median(ratios):.2f} "
      f"(rounds {min(ratios):.2f} - {max(ratios):.2f})")
PY
