#!/usr/bin/env bash
# The unchanged nightly on the offline mirror with the default rate limits:
#   scripts/bench_nightly.sh BIN OUTDIR
# 1. scripts/build_mirror_site.sh BIN OUTDIR: a first full run (rate limits raised), a
#    first release in OUTDIR/site, data in OUTDIR/data;
# 2. the mirror again, and `BIN -c sources.yaml -d OUTDIR/data --mirror URL run -o
#    OUTDIR/site` with this repository's sources.yaml (default rate limits): the configuration
#    changed, so this run normalizes, scores and compares, and must cut no release;
# 3. the same command N times more (RUNS, default 3) under `/usr/bin/time -v`: the unchanged
#    nightly that is measured (wall, peak RSS), each followed by a check that no file under
#    the site or the data folder changed but the run log (and the lock file).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 BIN OUTDIR" >&2
  exit 64
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "$1")
out=$2
runs=${RUNS:-3}
bash "$repo/scripts/build_mirror_site.sh" "$bin" "$out" > /dev/null
out=$(realpath "$out")
unset KGDB_CONFIG KGDB_DATA_DIR KGDB_MIRROR

mirror_pid=
cleanup() {
  if [ -n "$mirror_pid" ]; then kill "$mirror_pid" 2>/dev/null || true; wait "$mirror_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
python3 "$repo/../shared/mirror/serve.py" --port 0 > "$out/mirror2.out" 2> "$out/mirror2.err" &
mirror_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$out/mirror2.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out/mirror2.out")
cmd=("$bin" -q -c "$repo/sources.yaml" -d "$out/data" --mirror "$url" run -o "$out/site")
echo "+ ${cmd[*]}"
"${cmd[@]}" | tail -n 1
listing() {
  find "$out/site" "$out/data" -type f ! -name runs.jsonl ! -name kgdb.lock -printf '%p %T@ %s\n' | sort
}
for i in $(seq "$runs"); do
  before=$(listing)
  /usr/bin/time -v -o "$out/time-$i.txt" "${cmd[@]}" | tail -n 1
  if [ "$(listing)" != "$before" ]; then
    echo "ERROR: run $i changed files under the site or the data folder" >&2
    diff <(echo "$before") <(listing) | head -n 20 >&2
    exit 1
  fi
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$out/time-$i.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time-$i.txt")
  echo "unchanged run $i: wall $wall, peak RSS $((rss / 1024)) MB; no file changed but the run log"
done
