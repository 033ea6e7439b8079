#!/usr/bin/env bash
# Every figure of docs/benchmarks.md's table, measured in one run on this machine.
#
# Builds a Release tree with the benchmarks (build-bench, unless --build names another
# Release tree), runs each part, prints the table and writes it into docs/benchmarks.md
# between its markers, with the date, the machine and the commit. Each part's whole output
# is kept under docs/benchmarks/raw/ beside it, so that every figure can be traced.
#
#   bench/run.sh [--build DIR] [--only PART[,PART...]] [--no-write]
#
# Parts: parser, cli, idle, startup. Needs installer/install-deps.sh --bench.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
only=""
write=true
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$(realpath "$2"); shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-write) write=false; shift ;;
    *) echo "bench/run.sh: unknown option $1 (it takes --build DIR, --only PARTS and --no-write)" >&2; exit 2 ;;
    esac
done
all=(parser cli idle startup)
parts=("${all[@]}")
if [ -n "$only" ]; then
    IFS=, read -r -a parts <<<"$only"
    for p in "${parts[@]}"; do
        [[ " ${all[*]} " == *" $p "* ]] || { echo "bench/run.sh: no part named $p (parts: ${all[*]})" >&2; exit 2; }
    done
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DQUORUMDECK_BENCHMARKS=ON \
        -DQUORUMDECK_TESTS=OFF >/dev/null
fi
grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt" \
    || { echo "bench/run.sh: $build is not a Release build; figures come from Release builds only" >&2; exit 2; }
grep -q '^QUORUMDECK_BENCHMARKS:BOOL=ON$' "$build/CMakeCache.txt" \
    || { echo "bench/run.sh: $build was configured without -DQUORUMDECK_BENCHMARKS=ON" >&2; exit 2; }
echo "building $build ..." >&2
cmake --build "$build" >/dev/null
qd="$build/app/quorumdeck"

raw="$root/docs/benchmarks/raw"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run_part() {
    case "$1" in
    parser)
        # Median of 9 repetitions, each after half a second of warm-up.
        "$build/bench/bench_promtext" --benchmark_min_warmup_time=0.5 --benchmark_repetitions=9 \
            --benchmark_format=json >"$out/parser.json"
        python3 - "$out/parser.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
median = next(b for b in runs if b.get("aggregate_name") == "median")
# An inverted rate counter is written in seconds a sample.
each = sorted(b["ns_per_sample"] * 1e9 for b in runs if b.get("run_type") == "iteration")
print(f"repetitions (ns a sample): {', '.join(f'{x:.1f}' for x in each)}")
ns = median["ns_per_sample"] * 1e9
print(f"ROW\tParser, etcd 3.4.23 payload ({int(median['samples'])} samples)\t≤ 30 ns a sample\t{ns:.1f} ns "
      f"(median of {len(each)}; {each[0]:.1f}–{each[-1]:.1f})\t{'met' if ns <= 30 else 'not met'}\tbench/run.sh --only parser")
PY
        ;;
    cli) "$root/bench/cli.sh" "$qd" ;;
    idle) "$root/bench/idle.sh" "$qd" ;;
    startup) "$root/bench/startup.sh" "$qd" ;;
    esac
}

for p in "${parts[@]}"; do
    echo "running $p ..." >&2
    run_part "$p" | tee "$out/$p.txt" >&2
done

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
when="$(date -u +%Y-%m-%d), $commit"
machine="$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(. /etc/os-release && echo "$PRETTY_NAME")"
rows="$out/rows.tsv"
for p in "${parts[@]}"; do
    grep $'^ROW\t' "$out/$p.txt" | cut -f2- | sed "s|\$|\t$when|" >>"$rows" || true
done
echo
echo "| figure | target | measured | | run | reproduce |"
echo "|---|---|---|---|---|---|"
while IFS=$'\t' read -r figure target measured verdict cmd run; do
    echo "| $figure | $target | $measured | $verdict | $run | \`$cmd\` |"
done <"$rows"
echo "($machine)"
$write || exit 0

mkdir -p "$raw"
for p in "${parts[@]}"; do cp "$out/$p.txt" "$raw/$p.txt"; done
# The table between the markers keeps the rows of parts not run this time; a row measured
# now replaces the one of the same figure.
python3 - "$root/docs/benchmarks.md" "$rows" "$machine" <<'PY'
import sys
doc, rows_file, machine = sys.argv[1:4]
text = open(doc).read()
begin, end = "<!-- bench/run.sh: begin -->", "<!-- bench/run.sh: end -->"
if begin not in text or end not in text:
    sys.exit(f"{doc} lacks the markers {begin} and {end}")
head, rest = text.split(begin, 1)
old, tail = rest.split(end, 1)
rows = {}
for line in old.splitlines():
    if line.startswith("| ") and not line.startswith("| figure |"):
        rows[line[2:].split(" | ", 1)[0]] = line
for line in open(rows_file):
    figure, target, measured, verdict, cmd, run = line.rstrip("\n").split("\t")
    rows[figure] = f"| {figure} | {target} | {measured} | {verdict} | {run} | `{cmd}` |"
table = ["", "| figure | target | measured | | run | reproduce |", "|---|---|---|---|---|---|", *rows.values(), "",
         f"Machine of the last run: {machine}.", ""]
open(doc, "w").write(head + begin + "\n".join(table) + end + tail)
PY
echo "written to docs/benchmarks.md and docs/benchmarks/raw/" >&2
