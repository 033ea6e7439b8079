#!/usr/bin/env bash
# Idle cost of the console beside a Prometheus server doing the same job, in one run.
#
# The window (offscreen) opens its own three-member demo under a throw-away
# XDG_DATA_HOME; a Prometheus started here on a free port, with a throw-away config and
# data directory, scrapes the same members every second and evaluates the console's own
# alert rules (`quorumdeck alerts rules`) every 5 s, as the console does. After a warm-up
# both processes' CPU time (all threads, user + system, from /proc/PID/stat) is read over
# the same minutes, and their resident memory sampled each second (VmRSS).
#
# Prints `ROW` lines for bench/run.sh, then the console's CPU by thread name (where the
# time goes) and the helper processes it started, if any.
#
#   bench/idle.sh [path/to/quorumdeck] [warm-up s] [measured s]
set -euo pipefail
qd=$(realpath "${1:-build/app/quorumdeck}")
warm=${2:-20}
span=${3:-60}
command -v prometheus >/dev/null || { echo "needs prometheus (apt-get install prometheus)" >&2; exit 1; }
work=$(mktemp -d)
console=""
prom=""
cleanup() {
    [ -n "$prom" ] && kill "$prom" 2>/dev/null && wait "$prom" 2>/dev/null || true
    # SIGTERM makes the window stop the demo it started.
    [ -n "$console" ] && kill "$console" 2>/dev/null && wait "$console" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
demo="$XDG_DATA_HOME/quorumdeck/demo"
QT_QPA_PLATFORM=offscreen "$qd" --demo >"$work/console.log" 2>&1 &
console=$!

# Wait (bounded) until the demo's three members answer.
endpoints=""
for _ in $(seq 120); do
    if endpoints=$("$qd" demo status --dir "$demo" -w json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
eps = d.get("endpoints") or []
print(",".join(eps) if len(eps) == 3 else "")' 2>/dev/null) && [ -n "$endpoints" ]; then
        break
    fi
    kill -0 "$console" 2>/dev/null || { echo "the console ended early:" >&2; cat "$work/console.log" >&2; exit 1; }
    sleep 0.5
done
[ -n "$endpoints" ] || { echo "the demo did not come up within 60 s" >&2; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$qd" alerts rules >"$work/rules.yml"
targets=$(python3 -c '
import sys, urllib.parse
print(", ".join("\x27%s\x27" % urllib.parse.urlsplit(u).netloc for u in sys.argv[1].split(",")))' "$endpoints")
scheme=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1].split(",")[0]).scheme)' "$endpoints")
cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 5s
rule_files:
  - $work/rules.yml
scrape_configs:
  - job_name: etcd
    scheme: $scheme
    static_configs:
      - targets: [$targets]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --web.listen-address="127.0.0.1:$port" --log.level=warn >"$work/prometheus.log" 2>&1 &
prom=$!

sleep "$warm" # the warm-up is a span of time, not a condition: both must settle

python3 - "$console" "$prom" "$span" <<'PY'
import collections, os, sys, time
console, prom, span = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
tick = os.sysconf("SC_CLK_TCK")

def cpu(pid):
    # utime + stime of every thread, in seconds (fields 14 and 15, after the command's ')').
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick

def threads(pid):
    out = collections.Counter()
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{t}/stat").read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        out[name] += (int(fields[11]) + int(fields[12])) / tick
    return out

def children(pid):
    kids = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                stat = open(f"/proc/{p}/stat").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append((int(p), stat[stat.index("(") + 1:stat.rindex(")")]))
    return kids

def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

# The console's own helpers (a peer-proxy helper, if any) count as the console; the demo's
# etcd members and HAProxy are the cluster under watch, as they are for Prometheus.
helpers = [p for p, name in children(console) if name.startswith("quorumdeck")]
procs = {"console": [console] + helpers, "prometheus": [prom]}
start = {k: sum(cpu(p) for p in v) for k, v in procs.items()}
start_threads = threads(console)
rss = {k: [] for k in procs}
t0 = time.monotonic()
while time.monotonic() - t0 < span:
    for k, v in procs.items():
        rss[k].append(sum(rss_mb(p) for p in v))
    time.sleep(1)
elapsed = time.monotonic() - t0
end = {k: sum(cpu(p) for p in v) for k, v in procs.items()}
end_threads = threads(console)
share = {k: 100 * (end[k] - start[k]) / elapsed for k in procs}
mean_rss = {k: sum(v) / len(v) for k, v in rss.items()}
peak_rss = {k: max(v) for k, v in rss.items()}
ratio = share["console"] / share["prometheus"] if share["prometheus"] > 0 else float("inf")
# The demo's simulated peer network runs on a thread of the window that launched it: the
# cluster's cost, not the watching's, but the process pays it and the verdict counts it.
proxies = 100 * (end_threads.get("peer proxies", 0) - start_threads.get("peer proxies", 0)) / elapsed
mem_ratio = mean_rss["console"] / mean_rss["prometheus"]
cmd = "bench/idle.sh"
print(f"ROW\tIdle CPU, console (3 members, 1 s)\t≤ Prometheus\t{share['console']:.2f} % of a core, "
      f"of which {proxies:.2f} % the demo's peer proxies (Prometheus {share['prometheus']:.2f} %: {ratio:.2f}×)\t"
      f"{'met' if ratio <= 1 else 'not met'}\t{cmd}")
print(f"ROW\tIdle memory, console\t≤ Prometheus\t{mean_rss['console']:.0f} MB mean, {peak_rss['console']:.0f} peak "
      f"(Prometheus {mean_rss['prometheus']:.0f} MB, {peak_rss['prometheus']:.0f} peak)\t"
      f"{'met' if mem_ratio <= 1 else 'not met'}\t{cmd}")
print(f"measured over {elapsed:.0f} s; console helpers: {len(helpers)}")
print("console CPU by thread (% of a core):")
for name, seconds in sorted(((n, end_threads[n] - start_threads.get(n, 0)) for n in end_threads),
                            key=lambda x: -x[1]):
    if seconds > 0:
        print(f"  {name:<24} {100 * seconds / elapsed:6.2f}")
PY
