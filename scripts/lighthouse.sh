#!/usr/bin/env bash
# Lighthouse (mobile preset) on the index and a gene page of a built site, served with gzip by
# scripts/serve_site.py; 5 runs each, medians of the four category scores.
# Usage: scripts/lighthouse.sh SITE_DIR [GENE_PAGE]   (needs `npm install lighthouse` in
# $LH_DIR, default /tmp/lh, and Debian's chromium).
set -euo pipefail
site=${1:?site dir}
gene=${2:-genes/HGNC_9008.html}
lh=${LH_DIR:-/tmp/lh}/node_modules/.bin/lighthouse
out=$(mktemp -d)
python3 "$(dirname "$0")/serve_site.py" "$site" --port 0 > "$out/serve.out" &
srv=$!
trap 'kill $srv 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q serving "$out/serve.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^serving //p' "$out/serve.out")
for page in index.html "$gene"; do
  for i in 1 2 3 4 5; do
    CHROME_PATH=/usr/bin/chromium "$lh" "$base$page" --quiet --output=json --output-path="$out/$(echo "$page" | tr '/.' '__')-$i.json" \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      --only-categories=performance,accessibility,best-practices,seo >/dev/null 2>&1 || echo "run $i of $page failed" >&2
  done
done
python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
pages = sorted({os.path.basename(f).rsplit("-", 1)[0] for f in glob.glob(out + "/*.json")})
for p in pages:
    runs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{p}-*.json"))]
    cats = ["performance", "accessibility", "best-practices", "seo"]
    med = {c: statistics.median(r["categories"][c]["score"] * 100 for r in runs) for c in cats}
    lcp = statistics.median(r["audits"]["largest-contentful-paint"]["numericValue"] for r in runs)
    tbt = statistics.median(r["audits"]["total-blocking-time"]["numericValue"] for r in runs)
    print(f"{p}: {len(runs)} runs, medians: " + ", ".join(f"{c} {med[c]:.0f}" for c in cats)
          + f"; LCP {lcp/1000:.2f} s, TBT {tbt:.0f} ms")
    for r in runs[:1]:
        for c in cats:
            for ref in r["categories"][c]["auditRefs"]:
                a = r["audits"][ref["id"]]
                if ref.get("weight", 0) > 0 and a.get("score") is not None and a["score"] < 0.9:
                    print(f"   {c}: {a['id']}: {a.get('title')} ({a['score']})")
PY
