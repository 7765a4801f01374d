#!/usr/bin/env bash
# Build the full site from the offline mirror: scripts/build_mirror_site.sh BIN OUTDIR
#
# Starts the mirror (../shared/mirror/serve.py, no faults) on a free port, writes
# OUTDIR/sources.yaml (this repository's sources.yaml with every per-host rate limit raised,
# as scripts/bench_fetch.sh does; the mirror is on loopback), then runs
#   BIN -c OUTDIR/sources.yaml -d OUTDIR/data --mirror URL run -o OUTDIR/site
# and stops the mirror. OUTDIR must not exist yet or be empty (a fresh first release).
# Exit 0 only when the run returned 0 (every source fetched from the mirror); any other exit
# code is an error here, because a degraded mirror build is not a usable reference.
#
# Environment: TIME_LOG=FILE runs kgdb under `/usr/bin/time -v -o FILE` (wall, peak RSS);
# MIRROR_SERVER=PATH overrides the mirror's serve.py; ALLOW_DEGRADED=1 accepts exit 1.
# Used to record the reference site before a refactor; compare two builds with
# scripts/compare_site.py OLD/site NEW/site (`just compare-site`).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BIN OUTDIR" >&2
  exit 64
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "$1")
out=$2
serve=${MIRROR_SERVER:-$repo/../shared/mirror/serve.py}
[ -x "$bin" ] || { echo "error: $bin is not an executable" >&2; exit 64; }
[ -f "$serve" ] || { echo "error: mirror server $serve not found" >&2; exit 64; }
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "error: $out exists and is not empty (a reference build starts from no data)" >&2
  exit 64
fi
mkdir -p "$out"
out=$(realpath "$out")
# Only the flags below choose config, data and mirror.
unset KGDB_CONFIG KGDB_DATA_DIR KGDB_MIRROR

mirror_pid=
cleanup() {
  if [ -n "$mirror_pid" ]; then kill "$mirror_pid" 2>/dev/null || true; wait "$mirror_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$serve" --port 0 > "$out/mirror.out" 2> "$out/mirror.err" &
mirror_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$out/mirror.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out/mirror.out")
if [ -z "$url" ]; then
  echo "error: the mirror did not start:" >&2
  cat "$out/mirror.err" >&2
  exit 2
fi
echo "mirror: $url (pid $mirror_pid)"

# Raise every per-host rate limit (default_host and each host); fail if the shape changed.
sed -E 's/requests_per_second: [0-9.]+/requests_per_second: 1000/; s/concurrency: [0-9]+/concurrency: 8/' \
  "$repo/sources.yaml" > "$out/sources.yaml"
if grep -E 'requests_per_second: ' "$out/sources.yaml" | grep -vq 'requests_per_second: 1000'; then
  echo "error: a rate limit in $out/sources.yaml was not raised" >&2
  exit 2
fi

cmd=("$bin" -c "$out/sources.yaml" -d "$out/data" --mirror "$url" run -o "$out/site")
if [ -n "${TIME_LOG:-}" ]; then
  cmd=(/usr/bin/time -v -o "$TIME_LOG" "${cmd[@]}")
fi
echo "+ ${cmd[*]}"
set +e
"${cmd[@]}" > "$out/run.out" 2> "$out/run.err"
rc=$?
set -e
cat "$out/run.out"
if [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && [ "${ALLOW_DEGRADED:-0}" = 1 ]; }; then
  [ "$rc" -eq 0 ] || echo "WARNING: kgdb run exited 1 (degraded), accepted because ALLOW_DEGRADED=1" >&2
  echo "site: $out/site ($(find "$out/site" -type f | wc -l) files, $(du -sh "$out/site" | cut -f1))"
  exit 0
fi
echo "ERROR: kgdb run exited $rc (0 expected from the mirror without faults); stderr:" >&2
tail -n 40 "$out/run.err" >&2
exit 1
