# Maintainer recipes. `just --list` shows them.

# Run the whole test suite (what CI runs).
test:
    bash .ci/run

# Regenerate the site unit tests' fixture (tests/fixtures/site_data.json) with the real
# pipeline on the mirror; then re-accept and read the snapshots (cargo insta review).
site-fixture:
    bash scripts/site_fixture.sh

# Build the browser test's site with the real pipeline on the mirror (debug binary).
browser-site OUT="target/browser-site":
    cargo build --bin kgdb
    bash scripts/browser_site.sh {{OUT}}

# Render N synthetic genes (page weights, build time at full size): just synthetic-site out 20000
synthetic-site OUT="target/synthetic-site" N="5000":
    cargo run --release --example render_synthetic -- {{OUT}} {{N}}

# HGNC load + normalization benchmark (release build); figures go to docs/benchmarks.md.
bench:
    cargo bench --bench hgnc_normalize

# Write the man page to target/man/kgdb.1 (read it with `man -l target/man/kgdb.1`).
man:
    mkdir -p target/man
    cargo run --quiet --bin kgdb -- man > target/man/kgdb.1

# Start the offline upstream mirror on a free port (prints its URL).
mirror:
    python3 ../shared/mirror/serve.py --port 0

# Fetch every implemented source (pass MIRROR=http://127.0.0.1:PORT to use the mirror).
fetch MIRROR="":
    cargo run --release -- {{ if MIRROR != "" { "--mirror " + MIRROR } else { "" } }} fetch

lint:
    python3 ../shared/tools/modcycles.py src
    cargo fmt --all -- --check
    cargo clippy --all-targets -- -D warnings

# Fetch all sources from the mirror (rate limits raised), then an unchanged re-fetch.
bench-fetch:
    bash scripts/bench_fetch.sh

# What gene annotations add to a run (release build); figures go to docs/benchmarks.md.
bench-annotations:
    bash scripts/bench_annotations.sh

# Serve the built site locally with gzip (like a static host): just serve [site]
serve SITE="site":
    python3 scripts/serve_site.py {{SITE}}

# The nightly job (fetch, normalize, score, build); see README for the cron line.
nightly:
    cargo run --release -- run -o site

# Compare two site trees, ignoring only release name, build/retrieval times, kgdb version and
# the checksums/sizes they change (rules at the top of the script): just compare-site OLD NEW
compare-site OLD NEW:
    python3 scripts/compare_site.py {{OLD}} {{NEW}}
