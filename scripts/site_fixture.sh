#!/usr/bin/env bash
# Regenerate tests/fixtures/site_data.json, the site unit tests' data: `kgdb run` on the
# offline mirror into a temporary data folder (scripts/browser_site.sh), then
# examples/site_fixture.rs loads the build's SiteData the way `kgdb build` does and keeps a
# handful of real genes (every source, method and annotation source stays). Used by
# `just site-fixture`; review the fixture and the insta snapshots afterwards
# (`cargo insta review`, or INSTA_UPDATE=always cargo test --lib site::).
set -euo pipefail
cd "$(dirname "$0")/.."
# One gene per tier: APOL1, NPHS1, PKD1 (comprehensive; PKD1 the heaviest page), THBD
# (multi-source), UPK3A (established; Disputed in ClinGen and GenCC), PKD1L1 (preliminary),
# MBL3P (minimal; a pseudogene no annotation covers), SLC14A1 (no evidence: its only
# curation says No Known Disease Relationship).
genes=(APOL1 NPHS1 PKD1 THBD UPK3A PKD1L1 MBL3P SLC14A1)
cargo build --quiet --bin kgdb --example site_fixture
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
KGDB_KEEP_DATA="$work/data" bash scripts/browser_site.sh "$work/site"
target/debug/examples/site_fixture sources.yaml "$work/data" tests/fixtures/site_data.json "${genes[@]}"
