"""`kgdb mcp` driven by a real MCP client: the official Python SDK (`mcp` from PyPI).

Usage: python tests/mcp/client_test.py KGDB DATA_DIR SITE_DIR

DATA_DIR and SITE_DIR are a data folder and the site `kgdb run` built from it on the
offline mirror (the README test command keeps both from scripts/browser_site.sh). Three
servers are started: over stdio on the data folder (every tool, real genes, bad input),
over Streamable HTTP (`--http 127.0.0.1:0`), and over stdio on the site folder alone
(`--site`), whose answers must equal the data folder's. Expected values are read from the
site's own published files, never typed in. Prints `N passed, M failed`; exits 1 on a failure.
"""

import asyncio
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

from mcp import Client, StdioServerParameters

KGDB, DATA, SITE = (Path(a).resolve() for a in sys.argv[1:4])
REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "sources.yaml"
TOOLS = {
    "capabilities", "resolve_gene", "search_genes", "get_gene", "get_gene_evidence",
    "get_gene_annotations", "database_stats", "list_sources", "release_citation",
    "get_interaction_partners",
}
BUDGET = {"minimal": 2500, "compact": 8000, "standard": 32000, "full": 200000}

genes_file = json.loads((SITE / "downloads/genes.json").read_text())["genes"]
GENES = {g["symbol"]: g for g in genes_file}
MANIFEST_BYTES = (SITE / "downloads/manifest.json").read_bytes()
MANIFEST = json.loads(MANIFEST_BYTES)
RELEASE = json.loads((SITE / "api/release.json").read_text())
PKD1_FILE = json.loads((SITE / "genes/HGNC_9008.json").read_text())["gene"]

passed, failed = 0, []


def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
    else:
        failed.append(f"{name}: {detail}")
        print(f"FAIL {name}: {detail}", file=sys.stderr)


def text_of(result):
    return "".join(getattr(c, "text", "") for c in result.content)


async def call(client, tool, args=None, mode=None):
    """Call a tool; returns (is_error, payload or error text), checking the budget."""
    args = dict(args or {})
    if mode:
        args["response_mode"] = mode
    result = await client.call_tool(tool, args)
    text = text_of(result)
    if result.is_error:
        return True, text
    budget = BUDGET[mode or "compact"]
    check(f"{tool} {args} within its budget", len(text) <= budget, f"{len(text)} > {budget}")
    payload = result.structured_content or json.loads(text)
    check(f"{tool} carries a citation", payload.get("citation", {}).get("release") == RELEASE["release"],
          str(payload.get("citation"))[:200])
    check(f"{tool} names its response mode", payload.get("response_mode") == (mode or "compact"))
    return False, payload


async def every_tool(client, origin):
    """The checks of every tool; returns answers compared across origins."""
    tools = (await client.list_tools()).tools
    names = {t.name for t in tools}
    check(f"{origin}: the nine tools are listed", names == TOOLS, str(sorted(names)))
    for t in tools:
        schema = t.input_schema if hasattr(t, "input_schema") else t.inputSchema
        check(f"{origin}: {t.name} has an object input schema", schema.get("type") == "object", str(schema))
        check(f"{origin}: {t.name} has a description", len(t.description or "") > 40)
        check(f"{origin}: {t.name} takes a response_mode", "response_mode" in schema.get("properties", {}))

    err, cap = await call(client, "capabilities")
    check(f"{origin}: capabilities counts the genes", cap["genes"] == len(GENES), str(cap.get("genes")))
    check(f"{origin}: capabilities lists the tiers", "comprehensive_support" in cap["search_genes"]["filters"]["tier"])
    check(f"{origin}: capabilities states the budgets", cap["limits"]["response_modes"] == BUDGET)

    pkd1 = GENES["PKD1"]
    for query, how in [("PKD1", "symbol"), ("pkd1", "symbol"), ("HGNC:9008", "hgnc_id"),
                       ("5310", "entrez"), ("ENSG00000008710", "ensembl")]:
        err, r = await call(client, "resolve_gene", {"query": query})
        check(f"{origin}: resolve_gene {query}", not err and r["status"] == "found"
              and r["gene"]["hgnc_id"] == "HGNC:9008" and r["matched_by"] == how, str(r)[:300])
    err, r = await call(client, "resolve_gene", {"query": "TRPP2"})
    check(f"{origin}: an alias resolves (TRPP2 -> PKD2)", not err and r["gene"]["symbol"] == "PKD2"
          and r["matched_by"] in ("alias_symbol", "prev_symbol"), str(r)[:300])
    err, r = await call(client, "resolve_gene", {"query": "VATB"})
    cands = {c["symbol"] for c in r.get("candidates", [])} if not err else set()
    check(f"{origin}: an ambiguous alias lists its candidates (VATB)",
          not err and r["status"] == "ambiguous" and {"ATP6V1B1", "ATP6V1B2"} <= cands, str(r)[:400])
    err, msg = await call(client, "resolve_gene", {"query": "NOTAGENE42"})
    check(f"{origin}: an unknown name is a tool error", err and "no gene matches `NOTAGENE42`" in msg, msg)

    err, pkd1_answer = await call(client, "get_gene", {"gene": "PKD1"})
    g = pkd1_answer
    check(f"{origin}: get_gene PKD1 score as published", not err and g["score"]["percentage"] == pkd1["percentage"]
          and g["score"]["tier"] == pkd1["tier"] and g["score"]["group"] == pkd1["group"]
          and g["score"]["classic_count"] == pkd1["classic_count"], str(g)[:400])
    published = {s: round(v["contribution"], 4) for s, v in pkd1["sources"].items()}
    got = {b["source"]: round(b["contribution"], 4) for b in g["breakdown"]}
    check(f"{origin}: get_gene PKD1 per-source contributions as published", got == published, f"{got} != {published}")
    counts = {s: len(v) for s, v in PKD1_FILE["evidence"].items()}
    check(f"{origin}: get_gene PKD1 counts its evidence records", g["evidence_records"] == counts,
          f"{g.get('evidence_records')} != {counts}")
    err, g_min = await call(client, "get_gene", {"gene": "PKD1"}, "minimal")
    check(f"{origin}: minimal get_gene keeps only supporting sources",
          not err and all(b["supported"] or b.get("contradicting") for b in g_min["breakdown"]))
    err, msg = await call(client, "get_gene", {"gene": "VATB"})
    check(f"{origin}: get_gene on an ambiguous alias is an error naming the candidates",
          err and "ambiguous" in msg and "ATP6V1B1" in msg, msg)

    err, e = await call(client, "get_gene_evidence", {"gene": "PKD1", "source": "clingen"})
    check(f"{origin}: get_gene_evidence PKD1 clingen", not err and e["record_counts"] == {"clingen": counts["clingen"]}
          and len(e["evidence"]["clingen"]) == counts["clingen"], str(e)[:300])
    check(f"{origin}: ClinGen records as published",
          not err and {r.get("classification") for r in e["evidence"]["clingen"]}
          == {r.get("classification") for r in PKD1_FILE["evidence"]["clingen"]})
    err, e = await call(client, "get_gene_evidence", {"gene": "PKD1"})
    cut = {c["path"]: c for c in e.get("truncated", {}).get("lists", [])}
    check(f"{origin}: PKD1's PubTator records are cut to the compact budget with a note",
          not err and "/evidence/pubtator" in cut and cut["/evidence/pubtator"]["total"] == counts["pubtator"]
          and len(e["evidence"]["pubtator"]) == cut["/evidence/pubtator"]["shown"] < counts["pubtator"], str(cut))
    err, e_full = await call(client, "get_gene_evidence", {"gene": "PKD1", "source": "pubtator"}, "full")
    check(f"{origin}: full mode shows more PubTator records than compact",
          not err and len(e_full["evidence"]["pubtator"]) > len(e["evidence"]["pubtator"]))
    err, msg = await call(client, "get_gene_evidence", {"gene": "PKD1", "source": "nosuch"})
    check(f"{origin}: an unknown source is a tool error listing the known ones",
          err and "unknown evidence source `nosuch`" in msg and "clingen" in msg, msg)

    err, a = await call(client, "get_gene_annotations", {"gene": "PKD1", "annotation": "clinvar"})
    check(f"{origin}: get_gene_annotations PKD1 clinvar as published",
          not err and a["annotations"] == {"clinvar": PKD1_FILE["annotations"]["clinvar"]}, str(a)[:300])
    err, msg = await call(client, "get_gene_annotations", {"gene": "PKD1", "annotation": "horoscope"})
    check(f"{origin}: an unknown annotation is a tool error", err and "unknown annotation" in msg, msg)

    # The landmark of the network issue: NPHP1's partners among the scored genes, its cluster.
    nphp1 = GENES["NPHP1"]["annotations"]["string"]["network"]
    err, ip = await call(client, "get_interaction_partners", {"gene": "NPHP1"})
    check(f"{origin}: get_interaction_partners NPHP1 as published",
          not err and ip["degree"] == nphp1["degree"] and ip["cluster"] == nphp1["cluster"]
          and [q["symbol"] for q in ip["partners"]] == [q["symbol"] for q in nphp1["partners"]]
          and {"NPHP4", "RPGRIP1L"} <= {q["symbol"] for q in ip["partners"]}
          and ip["cluster_page"] == f"network.html#cluster={nphp1['cluster']}", str(ip)[:400])
    err, msg = await call(client, "get_interaction_partners", {"gene": "NPHP1", "limit": 0})
    check(f"{origin}: a bad partner limit is a tool error", err and "bad limit" in msg, msg)

    top = [g for g in genes_file if g["tier"] == "comprehensive_support" and "clingen" in g["sources"]
           and g["sources"]["clingen"]["supported"]]
    err, s = await call(client, "search_genes", {"tier": "comprehensive_support", "sources": ["clingen"],
                                                 "page_size": 500}, "full")
    check(f"{origin}: search_genes by tier and source", not err and s["total"] == len(top)
          and {r["hgnc_id"] for r in s["results"]} == {g["hgnc_id"] for g in top}, str(s)[:300])
    pct = [r["percentage"] for r in s["results"]]
    check(f"{origin}: search_genes sorts by score", pct == sorted(pct, reverse=True))
    err, s = await call(client, "search_genes", {"query": "polycystin", "min_score": 50})
    check(f"{origin}: search_genes by name and score", not err and {"PKD1", "PKD2"} <= {r["symbol"] for r in s["results"]}
          and all(r["percentage"] >= 50 for r in s["results"]), str(s)[:300])
    err, msg = await call(client, "search_genes", {"min_score": 50, "max_score": 10})
    check(f"{origin}: a bad score range is a tool error", err and "min_score 50 is above max_score 10" in msg, msg)
    err, msg = await call(client, "search_genes", {"tier": "legendary"})
    check(f"{origin}: an unknown tier is a tool error", err and "unknown tier `legendary`" in msg, msg)
    err, msg = await call(client, "search_genes", {"sources": ["nosuch"]})
    check(f"{origin}: an unknown source filter is a tool error", err and "unknown evidence source" in msg, msg)

    err, st = await call(client, "database_stats", mode="standard")
    tiers = {}
    for g in genes_file:
        tiers[g["tier"]] = tiers.get(g["tier"], 0) + 1
    check(f"{origin}: database_stats counts genes per tier", not err and st["genes"] == len(GENES)
          and {t["name"]: t["genes"] for t in st["tiers"]} == tiers, str(st.get("tiers")))
    both = sum(1 for g in genes_file if g["sources"].get("clingen", {}).get("supported")
               and g["sources"].get("gencc", {}).get("supported"))
    ov = [o["genes"] for o in st["source_overlaps"] if set(o["sources"]) == {"clingen", "gencc"}]
    check(f"{origin}: database_stats overlap ClinGen x GenCC", ov == [both], f"{ov} != {both}")

    mby = {s["name"]: s for s in MANIFEST["sources"]}
    err, src = await call(client, "list_sources")
    by = {s["name"]: s for s in src["evidence_sources"]}
    check(f"{origin}: list_sources names every source with its version, rows, status", not err
          and set(by) == set(mby)
          and all(by[n]["upstream_version"] == mby[n]["upstream_version"] and by[n]["rows"] == mby[n]["rows"]
                  and by[n]["status"] == mby[n]["status"] for n in by), str(src)[:300])
    check(f"{origin}: list_sources gives URLs and the retrieval time",
          by["hgnc"]["urls"] == [d["url"] for d in mby["hgnc"]["downloads"]]
          and by["hgnc"]["retrieved"] == mby["hgnc"]["downloads"][0]["fetched_at"], str(by.get("hgnc")))
    cut = {c["path"]: c for c in src.get("truncated", {}).get("lists", [])}
    pub = [i for i, s in enumerate(src["evidence_sources"]) if s["name"] == "pubtator"][0]
    check(f"{origin}: list_sources cuts PubTator's page URLs to the budget and says so",
          cut.get(f"/evidence_sources/{pub}/urls", {}).get("total") == len(mby["pubtator"]["downloads"]), str(cut))
    err, full = await call(client, "list_sources", mode="full")
    fby = {s["name"]: s for s in full["evidence_sources"]}
    shas = [f["sha256"] for f in fby["pubtator"]["files"]]
    check(f"{origin}: full list_sources gives the files with their checksums, in order",
          not err and len(shas) > len(by["pubtator"]["urls"])
          and shas == [d["sha256"] for d in mby["pubtator"]["downloads"]][: len(shas)]
          and [f["sha256"] for f in fby["hgnc"]["files"]] == [d["sha256"] for d in mby["hgnc"]["downloads"]],
          f"{len(shas)} files")

    err, cit = await call(client, "release_citation")
    check(f"{origin}: release_citation", not err and cit["release"] == RELEASE["release"]
          and cit["citation_text"] == RELEASE["citation"] and cit["title"] == "Kidney-Genetics Database"
          and "@misc{" in cit["bibtex"], str(cit)[:400])
    return {"pkd1": pkd1_answer["score"], "breakdown": pkd1_answer["breakdown"], "citation": cit}


async def over_stdio(args, origin):
    params = StdioServerParameters(command=str(KGDB), args=args)
    async with Client(params) as client:
        return await every_tool(client, origin)


async def over_http():
    proc = subprocess.Popen([str(KGDB), "-c", str(CONFIG), "-d", str(DATA), "mcp", "--http", "127.0.0.1:0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for _ in range(50):
            line = proc.stderr.readline()
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                url = m.group(1)
                break
        check("http: the server says where it listens", url is not None)
        if url is None:
            return
        async with Client(url) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            check("http: the nine tools are listed", names == TOOLS, str(sorted(names)))
            err, g = await call(client, "get_gene", {"gene": "HGNC:9008"})
            check("http: get_gene PKD1", not err and g["gene"]["symbol"] == "PKD1"
                  and g["score"]["percentage"] == GENES["PKD1"]["percentage"], str(g)[:300])
            err, msg = await call(client, "get_gene", {"gene": "NOTAGENE42"})
            check("http: an unknown gene is a tool error", err and "no gene matches" in msg, msg)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def main():
    data = await over_stdio(["-c", str(CONFIG), "-d", str(DATA), "mcp"], "data")
    site = await over_stdio(["mcp", "--site", str(SITE)], "site")
    check("site and data folder give the same PKD1 score", site["pkd1"] == data["pkd1"], f"{site['pkd1']} != {data['pkd1']}")
    check("site and data folder give the same breakdown",
          sorted(site["breakdown"], key=lambda b: b["source"]) == sorted(data["breakdown"], key=lambda b: b["source"]))
    check("site: release_citation gives the manifest's checksum",
          site["citation"]["manifest_sha256"] == hashlib.sha256(MANIFEST_BYTES).hexdigest(),
          str(site["citation"].get("manifest_sha256")))
    await over_http()


if __name__ == "__main__":
    before = hashlib.sha256((DATA / "kgdb.sqlite").read_bytes()).hexdigest()
    asyncio.run(main())
    # The server never writes: three sessions leave the database as it was.
    after = hashlib.sha256((DATA / "kgdb.sqlite").read_bytes()).hexdigest()
    check("kgdb mcp leaves the database unchanged", before == after, f"{before} -> {after}")
    print(f"{passed} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)
