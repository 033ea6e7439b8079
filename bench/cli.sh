#!/usr/bin/env bash
# Whole-process comparison: `quorumdeck status -w json` beside the etcdctl pair that gives
# the same information (`endpoint status --cluster -w json` + `member list -w json`),
# against a live local three-member demo cluster on free ports.
#
# Each of the three commands is timed as a process of its own, without a shell around it
# (hyperfine -N); the pair's time is the sum of its two medians. The machine's speed drifts
# from minute to minute, so they are measured in alternating rounds (the order reversed
# every round, a warm-up before each) and the ratio is taken round by round: both sides of
# a ratio see the same minutes.
#
# Prints each round, then a `ROW` line for bench/run.sh.
#
#   bench/cli.sh [path/to/quorumdeck] [rounds] [runs per round]
set -euo pipefail
qd=$(realpath "${1:-build/app/quorumdeck}")
rounds=${2:-5}
runs=${3:-40}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
command -v etcdctl >/dev/null || { echo "needs etcdctl (apt-get install etcd-client)" >&2; exit 1; }
dir=$(mktemp -d)
export XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config"
trap '"$qd" demo down --dir "$dir/demo" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$qd" demo up --dir "$dir/demo" >/dev/null
eps=$("$qd" demo status --dir "$dir/demo" -w json | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["endpoints"]))')
ours="$qd status -w json --endpoints $eps"
status="etcdctl --endpoints $eps endpoint status --cluster -w json"
members="etcdctl --endpoints $eps member list -w json"
for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order=("$ours" "$status" "$members"); else order=("$members" "$status" "$ours"); fi
    hyperfine -N --style none --warmup 5 --runs "$runs" --output=null --export-json "$dir/round$round.json" \
        "${order[@]}" >/dev/null
done
python3 - "$dir" "$rounds" "$qd" "$runs" <<'PY'
import json, statistics, sys
folder, rounds, qd, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ours, pair, ratios = [], [], []
for r in range(1, rounds + 1):
    results = json.load(open(f"{folder}/round{r}.json"))["results"]
    median = lambda pred: next(x for x in results if pred(x["command"]))["median"] * 1000
    q = median(lambda c: c.startswith(qd))
    p = median(lambda c: " endpoint status " in c) + median(lambda c: " member list " in c)
    ours.append(q); pair.append(p); ratios.append(q / p)
    print(f"round {r}: quorumdeck {q:.1f} ms, etcdctl pair {p:.1f} ms, ratio {q / p:.2f}")
m = statistics.median(ratios)
print(f"ROW\tCLI: `quorumdeck status` ÷ etcdctl pair\t≤ 0.5\t{m:.2f} ({statistics.median(ours):.1f} ms against "
      f"{statistics.median(pair):.1f} ms; rounds {min(ratios):.2f}–{max(ratios):.2f}, {rounds}×{runs} runs)\t"
      f"{'met' if m <= 0.5 else 'not met'}\tbench/cli.sh")
PY
