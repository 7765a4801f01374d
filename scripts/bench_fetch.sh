#!/usr/bin/env bash
# Fetch every source from the offline mirror with rate limits raised, then an unchanged
# re-fetch; prints wall time, peak RSS and what the re-fetch transferred (from the mirror's
# request log). Used by `just bench-fetch`; figures go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $mirror_pid 2>/dev/null || true; rm -rf "$work"' EXIT
python3 ../shared/mirror/serve.py --port 0 --log "$work/mirror.jsonl" > "$work/mirror.out" 2>/dev/null &
mirror_pid=$!
for _ in $(seq 50); do grep -q listening "$work/mirror.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/mirror.out")
# Raise every per-host rate limit (the mirror is on loopback).
sed -E 's/requests_per_second: [0-9.]+/requests_per_second: 1000/; s/concurrency: [0-9]+/concurrency: 8/' sources.yaml > "$work/sources.yaml"
run() {
  /usr/bin/time -f "%e s wall, %M KB peak RSS" target/release/kgdb -q -c "$work/sources.yaml" -d "$work/data" --mirror "$url" fetch 2>&1 | tail -1
}
echo "first fetch (all sources):   $(run)"
first=$(wc -l < "$work/mirror.jsonl")
echo "unchanged re-fetch:          $(run)"
python3 - "$work/mirror.jsonl" "$first" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
first = int(sys.argv[2])
again = [json.loads(l) for l in lines[first:]]
bodies = [r for r in again if r["status"] == 200 and r["bytes"] > 0]
print(f"re-fetch: {len(again)} requests, {sum(1 for r in again if r['status'] == 304)} answered 304, "
      f"{len(bodies)} with a body ({sum(r['bytes'] for r in bodies)} bytes): "
      + ", ".join(sorted({r['path'].split('?')[0] for r in bodies})))
PY
target/release/kgdb -c "$work/sources.yaml" -d "$work/data" status
