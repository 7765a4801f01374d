#!/usr/bin/env bash
# What the annotations add to a run (release build, offline mirror, rate limits raised):
# evidence sources are fetched, normalized, scored and built first WITHOUT annotation rows;
# then the six annotation files are fetched (cold), and normalize and build run again. The
# annotation cost = annotation fetch + HPO classes (from the hpo source's log) + the extra
# normalize and build time. Also checks that no annotation file is requested twice.
# Used by `just bench-annotations`; figures go to docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $mirror_pid 2>/dev/null || true; rm -rf "$work"' EXIT
python3 ../shared/mirror/serve.py --port 0 --log "$work/mirror.jsonl" > "$work/mirror.out" 2>/dev/null &
mirror_pid=$!
for _ in $(seq 50); do grep -q listening "$work/mirror.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/mirror.out")
sed -E 's/requests_per_second: [0-9.]+/requests_per_second: 1000/; s/concurrency: [0-9]+/concurrency: 8/' sources.yaml > "$work/sources.yaml"
kgdb() { target/release/kgdb -q -c "$work/sources.yaml" -d "$work/data" --mirror "$url" "$@"; }
timed() { /usr/bin/time -f "%e s wall, %M KB peak RSS" target/release/kgdb -q -c "$work/sources.yaml" -d "$work/data" --mirror "$url" "$@" 2>&1 >/dev/null | tail -1; }
secs() { sed -E 's/ s wall.*//' <<<"$1"; }

kgdb fetch hgnc panelapp_uk panelapp_au clingen gencc pubtator literature diagnostic_panels >/dev/null 2>&1
KGDB_LOG=info kgdb fetch hpo > /dev/null 2> "$work/hpo.log"
# Without annotation rows (hpo_phenotypes is staged with hpo: set it aside for the baseline).
sqlite3 "$work/data/kgdb.sqlite" "CREATE TABLE keep AS SELECT * FROM staged WHERE source = 'hpo_phenotypes'; DELETE FROM staged WHERE source = 'hpo_phenotypes';"
# Builds go to a RAM file system when there is one (/dev/shm): on ext4 the time to create
# 7,000 files varies by a second with the state of the inode allocator; the faster of two.
out=$work; [ -w /dev/shm ] && out=$(mktemp -d /dev/shm/kgdb-bench.XXXX) && trap 'kill $mirror_pid 2>/dev/null || true; rm -rf "$work" "$out"' EXIT
best() { local a b; a=$(timed "$@"); b=$(timed "$@"); if [ "$(secs "$a" | tr -d .)" -le "$(secs "$b" | tr -d .)" ]; then echo "$a"; else echo "$b"; fi; }
n0=$(timed normalize); s0=$(timed score); b0=$(best build -o "$out/site0")
sqlite3 "$work/data/kgdb.sqlite" "INSERT INTO staged SELECT * FROM keep; DROP TABLE keep;"
f=$(timed fetch gnomad clinvar gtex descartes mgi mane)
n1=$(timed normalize); s1=$(timed score); b1=$(best build -o "$out/site1")
classes_ms=$(sed 's/\x1b\[[0-9;]*m//g' "$work/hpo.log" | grep 'hpo_phenotypes: classified' | grep -o 'elapsed_ms=[0-9]*' | head -1 | cut -d= -f2)
echo "annotation fetch (6 sources, cold): $f"
echo "HPO classes (inside fetch hpo):     ${classes_ms:-?} ms"
echo "normalize without / with:           $n0 / $n1"
echo "score without / with:               $s0 / $s1"
echo "build without / with:               $b0 / $b1"
python3 - "$(secs "$f")" "${classes_ms:-0}" "$(secs "$n0")" "$(secs "$n1")" "$(secs "$s0")" "$(secs "$s1")" "$(secs "$b0")" "$(secs "$b1")" <<'PY'
import sys
f, c, n0, n1, s0, s1, b0, b1 = map(float, sys.argv[1:])
d = lambda a, b: max(b - a, 0)
total = f + c / 1000 + d(n0, n1) + d(s0, s1) + d(b0, b1)
print(f"annotations add {total:.2f} s to a run (fetch {f:.2f} + classes {c/1000:.2f} + normalize "
      f"{d(n0, n1):.2f} + score {d(s0, s1):.2f} + build {d(b0, b1):.2f})")
PY
python3 - "$work/mirror.jsonl" <<'PY'
import collections, json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
files = ("gnomad_constraints", "gene_specific_summary", "rna_tissue_gtex", "descartes_fetal",
         "HMD_HumanPhenotype", "VOC_Mammalian", "mpo_kidney_terms", "MANE.GRCh38", "/v2025-01-16/")
counts = collections.Counter(r["path"] for r in reqs if any(f in r["path"] for f in files))
twice = {p: n for p, n in counts.items() if n > 1}
print(f"annotation files requested: {len(counts)}, requested more than once: {twice or 'none'}")
PY
target/release/kgdb -c "$work/sources.yaml" -d "$work/data" status | sed -n '/annotation coverage/,$p'
