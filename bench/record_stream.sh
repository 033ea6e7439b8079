#!/usr/bin/env bash
# Records a real metrics stream for the series-store benchmark: a local three-member demo
# cluster under light write load (a put every 200 ms), every member's /metrics scraped
# once a second for MINUTES minutes (default 10). Writes one file: for each scrape a line
# "# scrape <instance> <unix ms> <bytes>" followed by the payload, as received.
#
#   bench/record_stream.sh build/app/quorumdeck build-bench/stream.txt [MINUTES]
#
# Needs curl and etcdctl (Debian: curl, etcd-client).
set -euo pipefail

binary=${1:?usage: record_stream.sh QUORUMDECK_BINARY OUT [MINUTES]}
out=${2:?usage: record_stream.sh QUORUMDECK_BINARY OUT [MINUTES]}
minutes=${3:-10}
dir=$(mktemp -d)
trap '"$binary" demo down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

"$binary" demo up --dir "$dir" >/dev/null
endpoints=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["endpoints"]))' "$dir/cluster.json")
first=${endpoints%% *}

# Light write load, in the background for the whole recording.
(
    i=0
    while true; do
        ETCDCTL_API=3 etcdctl --endpoints "$first" put "load/$((i % 100))" "value-$i" >/dev/null 2>&1 || true
        i=$((i + 1))
        sleep 0.2
    done
) &
load=$!
trap 'kill $load 2>/dev/null || true; "$binary" demo down --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT

: >"$out"
end=$(($(date +%s) + minutes * 60))
payload=$(mktemp)
while [ "$(date +%s)" -lt "$end" ]; do
    tick=$(date +%s%3N)
    for e in $endpoints; do
        instance=${e#http://}
        t=$(date +%s%3N)
        if curl -s --max-time 1 -o "$payload" "$e/metrics"; then
            printf '# scrape %s %s %s\n' "$instance" "$t" "$(stat -c %s "$payload")" >>"$out"
            cat "$payload" >>"$out"
        fi
    done
    # Next scrape one second after this one started.
    now=$(date +%s%3N)
    sleep "$(awk -v d=$((tick + 1000 - now)) 'BEGIN { printf "%.3f", (d > 0 ? d : 0) / 1000 }')"
done
rm -f "$payload"
echo "recorded $(grep -c '^# scrape ' "$out") scrapes into $out"
