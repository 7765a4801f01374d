#!/usr/bin/env bash
# Build the browser test's site with the real pipeline: `kgdb run` (fetch, normalize, score,
# build) on the real upstream data served by the offline mirror (../shared/mirror), so what
# the browser test clicks through is what the scorer and the renderer really produce.
#
# Usage: scripts/browser_site.sh OUT [KGDB]   (KGDB defaults to target/debug/kgdb, which
# `cargo test --all-targets` builds). The run itself is scripts/build_mirror_site.sh (mirror
# on loopback, rate limits raised, a fresh data folder); the site is then moved to OUT. With
# KGDB_KEEP_DATA=DIR the data folder is moved to DIR and kept (for `just site-fixture`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/browser_site.sh OUT [KGDB]}
kgdb=${2:-target/debug/kgdb}
if [ ! -x "$kgdb" ]; then
  echo "$kgdb is missing: build it first (cargo build)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
bash scripts/build_mirror_site.sh "$kgdb" "$work/build" > "$work/build.log"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$work/build/site" "$out"
if [ -n "${KGDB_KEEP_DATA:-}" ]; then
  rm -rf "$KGDB_KEEP_DATA"
  mkdir -p "$(dirname "$KGDB_KEEP_DATA")"
  mv "$work/build/data" "$KGDB_KEEP_DATA"
fi
echo "browser site: $out built by $kgdb run on the mirror in $(( $(date +%s) - start )) s"
