#!/usr/bin/env bash
# Build the browser test's site with the real pipeline: `kgdb run` (fetch, normalize, score,
# build) on the real upstream data served by the offline mirror (../shared/mirror), so what
# the browser test clicks through is what the scorer and the renderer really produce.
#
# Usage: scripts/browser_site.sh OUT [KGDB]   (KGDB defaults to target/debug/kgdb, which
# `cargo test --all-targets` builds). Per-host rate limits are raised (the mirror is on
# loopback); the data folder is temporary. With KGDB_KEEP_DATA=DIR the data folder is DIR
# instead and is kept (for `just site-fixture`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/browser_site.sh OUT [KGDB]}
kgdb=${2:-target/debug/kgdb}
if [ ! -x "$kgdb" ]; then
  echo "$kgdb is missing: build it first (cargo build)" >&2
  exit 2
fi
work=$(mktemp -d)
mirror_pid=
cleanup() {
  if [ -n "$mirror_pid" ]; then kill "$mirror_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
python3 ../shared/mirror/serve.py --port 0 > "$work/mirror.out" 2>"$work/mirror.err" &
mirror_pid=$!
for _ in $(seq 100); do grep -q listening "$work/mirror.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/mirror.out")
if [ -z "$url" ]; then
  echo "the mirror did not start:" >&2
  cat "$work/mirror.err" >&2
  exit 2
fi
# Raise every per-host rate limit (the mirror is on loopback).
sed -E 's/requests_per_second: [0-9.]+/requests_per_second: 1000/; s/concurrency: [0-9]+/concurrency: 8/' \
  sources.yaml > "$work/sources.yaml"
data=${KGDB_KEEP_DATA:-$work/data}
start=$(date +%s)
"$kgdb" -q -c "$work/sources.yaml" -d "$data" --mirror "$url" run -o "$out"
echo "browser site: $out built by $kgdb run on the mirror in $(( $(date +%s) - start )) s"
