#!/usr/bin/env bash
# Start-up: from launching the window to its first painted frame with live data, on a demo
# that already runs (starting etcd is the cluster's time, not the console's).
#
# The demo is started with `quorumdeck demo up` in a throw-away directory. Each launch gets
# a fresh configuration that names the demo's endpoints as the last cluster used, so the
# window connects at once, as it does for an operator who opens it again, and an empty
# XDG_DATA_HOME (no demo of its own to offer). The time is taken here just before the
# launch; the window writes when it painted the first snapshot in which a member answered
# (QUORUMDECK_TRACE_FIRST_FRAME). One warm-up launch (the page cache), then RUNS launches.
#
# Prints a `ROW` line for bench/run.sh and every launch's time.
#
#   bench/startup.sh [path/to/quorumdeck] [runs]
set -euo pipefail
qd=$(realpath "${1:-build/app/quorumdeck}")
runs=${2:-9}
work=$(mktemp -d)
cleanup() {
    "$qd" demo down --dir "$work/demo" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
"$qd" demo up --dir "$work/demo" >"$work/demo-up.log" 2>&1 \
    || { echo "demo up failed:" >&2; cat "$work/demo-up.log" >&2; exit 1; }
endpoints=$("$qd" demo status --dir "$work/demo" -w json | python3 -c '
import json, sys
print(", ".join(json.load(sys.stdin).get("endpoints") or []))')
[ -n "$endpoints" ] || { echo "the demo has no endpoints" >&2; exit 1; }

python3 - "$qd" "$work" "$endpoints" "$runs" <<'PY'
import os, selectors, shutil, statistics, subprocess, sys, time
qd, work, endpoints, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def launch(n):
    home = os.path.join(work, f"launch{n}")
    config = os.path.join(home, "config", "QuorumDeck")
    os.makedirs(config)
    os.makedirs(os.path.join(home, "data"))
    with open(os.path.join(config, "quorumdeck.conf"), "w") as f:
        f.write("[profile]\nlast\\endpoints=" + endpoints + "\n")
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(home, "config"), XDG_DATA_HOME=os.path.join(home, "data"),
               XDG_CACHE_HOME=os.path.join(home, "cache"), QT_QPA_PLATFORM="offscreen",
               QUORUMDECK_TRACE_FIRST_FRAME="1")
    started = time.time() * 1000
    window = subprocess.Popen([qd], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    frame = None
    deadline = time.monotonic() + 30
    said = b""
    watch = selectors.DefaultSelector()
    watch.register(window.stderr, selectors.EVENT_READ)
    try:
        while frame is None and time.monotonic() < deadline:
            if not watch.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            chunk = os.read(window.stderr.fileno(), 65536)
            if not chunk:
                break  # the window ended
            said += chunk
            for line in said.decode(errors="replace").split("\n")[:-1]:  # whole lines only
                if line.startswith("quorumdeck: first live frame at "):
                    frame = int(line.rsplit(" ", 1)[1])
    finally:
        window.terminate()
        try:
            window.wait(10)
        except subprocess.TimeoutExpired:
            window.kill()
            window.wait()
    shutil.rmtree(home, ignore_errors=True)
    if frame is None:
        sys.exit(f"launch {n}: the window painted no live frame within 30 s; it said:\n"
                 + said.decode(errors="replace"))
    return frame - started

launch(0)  # warm-up
times = sorted(launch(n) for n in range(1, runs + 1))
median = statistics.median(times)
print(f"launches (ms, sorted): {', '.join(f'{t:.0f}' for t in times)}")
print(f"ROW\tStart-up to the first frame with live data (3 members)\t< 1 s\t{median:.0f} ms "
      f"(median of {runs}; {times[0]:.0f}–{times[-1]:.0f})\t{'met' if median < 1000 else 'not met'}\t"
      f"bench/run.sh --only startup")
PY
