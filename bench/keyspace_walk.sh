#!/usr/bin/env bash
# `quorumdeck keyspace` over a demo cluster holding 100,000 keys laid out as Kubernetes lays
# out its objects (/registry/<resource>/<namespace>/<name>, values of 100 to 1,100 bytes):
# keys walked per second and the command's peak resident memory, median of 5 runs, with
# `etcdctl get --prefix --keys-only` over the same keys for scale.
#
#   bench/keyspace_walk.sh [path/to/quorumdeck] [keys] [runs]
set -euo pipefail
qd=${1:-build/app/quorumdeck}
keys=${2:-100000}
runs=${3:-5}
dir=$(mktemp -d)
trap '"$qd" demo down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
"$qd" demo up --dir "$dir" >/dev/null
eps=$("$qd" demo status --dir "$dir" -w json | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["endpoints"]))')
first=${eps%%,*}

# etcd takes at most 128 operations a transaction: one file of puts each.
python3 - "$keys" "$dir" <<'PY'
import sys
n, folder = int(sys.argv[1]), sys.argv[2]
resources = ["pods", "configmaps", "secrets", "events", "services", "leases"]
for batch, start in enumerate(range(0, n, 128)):
    with open(f"{folder}/txn.{batch:05d}", "w") as f:
        f.write("\n")  # no compares
        for i in range(start, min(n, start + 128)):
            f.write(f'put /registry/{resources[i % len(resources)]}/ns-{i % 20}/obj-{i} "{"v" * (100 + i % 1000)}"\n')
        f.write("\n\n")  # end of the success ops; no failure ops
PY
echo "loading $keys keys …" >&2
for f in "$dir"/txn.*; do
    ETCDCTL_API=3 etcdctl --endpoints "$first" txn <"$f" >/dev/null
done

# The same command over an empty prefix: what the process costs before any key.
/usr/bin/time -f "%e %M" -o "$dir/base" "$qd" keyspace --endpoints "$eps" --prefix /nothing-here >/dev/null 2>&1
ours=()
for run in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$dir/time.$run" "$qd" keyspace --endpoints "$eps" -w json >"$dir/out.$run" 2>/dev/null
    ours+=("$(cat "$dir/time.$run")")
    /usr/bin/time -f "%e %M" -o "$dir/ref.$run" env ETCDCTL_API=3 etcdctl --endpoints "$first" get "" --prefix --keys-only >/dev/null
done
python3 - "$dir" "$runs" "$keys" <<'PY'
import json, statistics, sys
folder, runs, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
walked = json.load(open(f"{folder}/out.1"))["keys"]
assert walked >= keys, f"walked {walked} keys, loaded {keys}"
secs = [float(open(f"{folder}/time.{r}").read().split()[0]) for r in range(1, runs + 1)]
rss = [int(open(f"{folder}/time.{r}").read().split()[1]) for r in range(1, runs + 1)]
ref = [float(open(f"{folder}/ref.{r}").read().split()[0]) for r in range(1, runs + 1)]
base = int(open(f"{folder}/base").read().split()[1])
print(f"quorumdeck keyspace: {walked} keys, median {statistics.median(secs):.2f} s "
      f"({walked / statistics.median(secs):,.0f} keys/s; runs {min(secs):.2f}-{max(secs):.2f} s), "
      f"peak RSS median {statistics.median(rss) / 1024:.1f} MiB (max {max(rss) / 1024:.1f} MiB; "
      f"{base / 1024:.1f} MiB walking no key)")
print(f"etcdctl get --prefix --keys-only (one response, no values): median {statistics.median(ref):.2f} s")
PY
