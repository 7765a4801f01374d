#!/usr/bin/env python3
"""Recompute the network's cluster enrichment with scipy and statsmodels and compare.

Usage: check_enrichment.py SITE_DIR [--clusters N]

An implementation independent of kgdb's (src/network/enrich.rs): for the N largest
clusters and the cluster holding NPHP1 (at least 3 in all), and for each shipped library
(GO BP from network/genesets-go.js, HPO from network/genesets-hpo.js), it tests every term
sharing a gene with the cluster with scipy.stats.fisher_exact(alternative='greater') on
[[k, n-k], [K-k, N-n-K+k]] (background: the network's genes with at least one term of the
library), adjusts with statsmodels' multipletests(method='fdr_bh'), and checks each of the
cluster's listed terms (downloads/cluster_enrichment.tsv, every digit; the page's
network-data.js rounds to 4 significant digits) for k, n, K, N and p, FDR and odds ratio
(capped at 1000) to a relative 1e-9, and that the listed terms are the ones with the
smallest p. Exit 0 when all agree, 1 with the differences otherwise. Needs scipy and
statsmodels (.ci/run installs them in target/venv).
"""
import csv
import json
import math
import pathlib
import sys

from scipy.stats import fisher_exact
from statsmodels.stats.multitest import multipletests

TOL = 1e-9
OR_CAP = 1000.0


def load_js(path, var):
    text = pathlib.Path(path).read_text(encoding="utf-8")
    prefix = f"window.{var} = "
    if not text.startswith(prefix):
        raise SystemExit(f"{path}: does not start with {prefix!r}")
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


def close(a, b):
    return math.isclose(a, b, rel_tol=TOL, abs_tol=1e-300)


def split_label(label):
    """`Cilium Assembly (GO:0060271)` -> (`GO:0060271`, `Cilium Assembly`)."""
    if label.endswith(")") and " (" in label:
        name, _, rest = label.rpartition(" (")
        ident = rest[:-1]
        if ":" in ident:
            return ident, name
    return label, label


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    site = pathlib.Path(args[0])
    top = int(args[args.index("--clusters") + 1]) if "--clusters" in args else 3
    net = load_js(site / "network/network-data.js", "KGDB_NETWORK")
    libs = {
        "go_bp": load_js(site / "network/genesets-go.js", "KGDB_GENESETS_GO"),
        "hpo": load_js(site / "network/genesets-hpo.js", "KGDB_GENESETS_HPO"),
    }
    tables = {}
    with open(site / "downloads/cluster_enrichment.tsv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            row = {"id": r["term_id"], "k": int(r["k"]), "n": int(r["n"]), "K": int(r["K"]),
                   "N": int(r["N"]), "p": float(r["p_value"]), "fdr": float(r["fdr"]),
                   "odds_ratio": float(r["odds_ratio"])}
            tables.setdefault((int(r["cluster"]), r["library"]), []).append(row)
    hgnc = net["nodes"]["hgnc"]
    network = set(hgnc)
    chosen = list(range(min(top, len(net["clusters"]))))
    symbols = net["nodes"]["symbol"]
    if "NPHP1" in symbols:
        c = net["nodes"]["cluster"][symbols.index("NPHP1")]
        if c is not None and c not in chosen:
            chosen.append(c)
    if len(chosen) < 3:
        raise SystemExit(f"only {len(chosen)} clusters to check; at least 3 are needed")
    problems = []
    checked = 0
    for key, lib in libs.items():
        terms = []
        for label, members in lib["terms"]:
            ident, name = split_label(label)
            m = set(members) & network
            if m:
                terms.append((ident, name, m))
        annotated = set().union(*(m for _, _, m in terms)) if terms else set()
        big_n = len(annotated)
        for c in chosen:
            cluster = net["clusters"][c]
            genes = {hgnc[i] for i in cluster["nodes"]} & annotated
            n = len(genes)
            tested = []
            for ident, name, m in terms:
                k = len(m & genes)
                if k == 0:
                    continue
                big_k = len(m)
                table = [[k, n - k], [big_k - k, big_n - n - big_k + k]]
                odds, p = fisher_exact(table, alternative="greater")
                odds = OR_CAP if not math.isfinite(odds) else min(odds, OR_CAP)
                tested.append({"id": ident, "k": k, "n": n, "K": big_k, "N": big_n,
                               "p": p, "odds_ratio": odds})
            if tested:
                fdr = multipletests([t["p"] for t in tested], method="fdr_bh")[1]
                for t, q in zip(tested, fdr):
                    t["fdr"] = float(q)
            by_id = {t["id"]: t for t in tested}
            listed = tables.get((c, key), [])
            if [r["id"] for r in listed] != [r["id"] for r in cluster["enrichment"].get(key, [])]:
                problems.append(f"cluster {c} {key}: the page and the download list other terms")
            ps = sorted(t["p"] for t in tested)
            for row in listed:
                want = by_id.get(row["id"])
                where = f"cluster {c} {key} {row['id']}"
                if want is None:
                    problems.append(f"{where}: listed but shares no gene with the cluster here")
                    continue
                for f in ("k", "n", "K", "N"):
                    if row[f] != want[f]:
                        problems.append(f"{where}: {f} {row[f]} != {want[f]}")
                for f in ("p", "fdr", "odds_ratio"):
                    if not close(row[f], want[f]):
                        problems.append(f"{where}: {f} {row[f]!r} != scipy/statsmodels {want[f]!r}")
                checked += 1
            if len(listed) < min(10, len(tested)):
                problems.append(f"cluster {c} {key}: {len(listed)} terms listed of {len(tested)} tested")
            if listed and len(ps) > len(listed):
                cutoff = ps[len(listed) - 1]
                if any(r["p"] > cutoff * (1 + TOL) for r in listed):
                    problems.append(f"cluster {c} {key}: a listed term is not among the smallest p")
    if problems:
        print("\n".join(problems[:50]))
        print(f"{len(problems)} differences")
        return 1
    print(f"enrichment agrees with scipy/statsmodels to {TOL:g}: {checked} terms in "
          f"{len(chosen)} clusters ({', '.join(map(str, chosen))}), libraries {', '.join(libs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
