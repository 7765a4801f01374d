//! The kidney protein network through the mirror: the STRING and Enrichr files fetched and
//! staged, and (on the full run of `run.rs`, one full run for both) the network's landmark,
//! its counts, the gene pages, the downloads and a second build that reproduces it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

use crate::support::*;

#[test]
fn string_and_enrichr_files_are_fetched_and_staged() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::with_config(&fast_config());
    let out = w.kgdb(&[
        "--mirror",
        &m.url,
        "fetch",
        "string_ppi",
        "enrichr_go_bp",
        "enrichr_kegg",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    for line in [
        // 8,706 linked proteins in the mirror's copy (PROVENANCE.md), no score column.
        "string_ppi: ok, 8706 rows: 12.0 (no combined_score column: links ≥ 900)",
        "enrichr_go_bp: ok, 14698 rows: GO_Biological_Process_2023",
        "enrichr_kegg: ok, 8078 rows: KEGG_2021_Human",
    ] {
        assert!(err.contains(line), "missing `{line}` in\n{err}");
    }
    // The real links file's URL, each file once.
    for f in [
        "/protein.physical.links.v12.0/9606.protein.physical.links.v12.0.txt.gz",
        "/protein.info.v12.0/9606.protein.info.v12.0.txt.gz",
        "libraryName=GO_Biological_Process_2023",
        "libraryName=KEGG_2021_Human",
    ] {
        assert_eq!(m.requests_to(f).len(), 1, "{f}");
    }
}

fn js(path: &Path, var: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let body = text
        .strip_prefix(&format!("window.{var} = "))
        .unwrap_or_else(|| panic!("{path:?} does not set window.{var}"));
    serde_json::from_str(body.trim_end().trim_end_matches(';')).expect("JSON")
}

/// The network of a full mirror run: landmark, counts, gene pages, downloads.
pub fn check_kidney_network(site: &Path) {
    let net = js(&site.join("network/network-data.js"), "KGDB_NETWORK");
    assert_eq!(net["schema"], 1);
    assert_eq!(net["string"]["scores_present"], false);
    assert_eq!(net["string"]["threshold_in_force"], 900);
    assert_eq!(net["string"]["min_score_configured"], 400);
    assert_eq!(net["edge_scores"], Value::Null);
    let nodes = &net["nodes"];
    let symbols: Vec<&str> = nodes["symbol"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let hgnc: Vec<u64> = nodes["hgnc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_u64().unwrap())
        .collect();
    let edges: Vec<usize> = net["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    for key in [
        "x",
        "y",
        "score",
        "tier",
        "cluster",
        "degree",
        "clinical_group",
    ] {
        assert_eq!(nodes[key].as_array().unwrap().len(), symbols.len(), "{key}");
    }
    assert!(edges.chunks(2).all(|p| p[0] < p[1]));

    // Counts. Through the normalizer (approved, previous symbols, aliases) 1,933 genes and
    // 4,841 links; the 1,914 / 4,785 of issue 13 are the pairs whose STRING names are the
    // genes' approved symbols (the other 19 genes map through a previous symbol, e.g.
    // ARNTL -> BMAL1).
    assert_eq!(symbols.len(), 1_933);
    assert_eq!(edges.len() / 2, 4_841);
    let genes_json: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("downloads/genes.json")).unwrap())
            .unwrap();
    let string_name: HashMap<u64, String> = genes_json["genes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| {
            let h = g["hgnc_id"].as_str()?.strip_prefix("HGNC:")?.parse().ok()?;
            let name = g["annotations"]["string"]["name"].as_str()?;
            (name == g["symbol"].as_str()?).then(|| (h, name.to_string()))
        })
        .collect();
    let approved: Vec<(usize, usize)> = edges
        .chunks(2)
        .map(|p| (p[0], p[1]))
        .filter(|&(a, b)| string_name.contains_key(&hgnc[a]) && string_name.contains_key(&hgnc[b]))
        .collect();
    let approved_nodes: BTreeSet<usize> = approved.iter().flat_map(|&(a, b)| [a, b]).collect();
    assert_eq!((approved_nodes.len(), approved.len()), (1_914, 4_785));
    // KEGG is link-only: never in genes.json.
    assert!(
        genes_json["genes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["annotations"].get("kegg").is_none())
    );

    // Landmark: the nephronophthisis / Joubert ciliary genes share a cluster whose three
    // most enriched GO BP terms include a cilium term.
    let cluster_of = |s: &str| {
        let i = symbols
            .iter()
            .position(|x| *x == s)
            .unwrap_or_else(|| panic!("{s}"));
        nodes["cluster"][i]
            .as_u64()
            .unwrap_or_else(|| panic!("{s} in no cluster"))
    };
    let c = cluster_of("NPHP1");
    for s in ["NPHP4", "RPGRIP1L", "TMEM67", "CEP290"] {
        assert_eq!(cluster_of(s), c, "{s}");
    }
    let cluster = &net["clusters"][c as usize];
    let go: Vec<&str> = cluster["enrichment"]["go_bp"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        go.iter().any(|n| n.to_lowercase().contains("cilium")),
        "{go:?}"
    );
    for lib in ["hpo", "go_bp", "kegg"] {
        let rows = cluster["enrichment"][lib].as_array().unwrap();
        assert!(!rows.is_empty() || lib == "kegg", "{lib}");
        for r in rows {
            let p = r["p"].as_f64().unwrap();
            let q = r["fdr"].as_f64().unwrap();
            assert!(p > 0.0 && p <= q && q <= 1.0, "{r}");
            assert!(r["k"].as_u64() <= r["n"].as_u64() && r["K"].as_u64() <= r["N"].as_u64());
        }
    }

    // The gene page of NPHP1: its partners and cluster.
    let page = std::fs::read_to_string(site.join("genes/HGNC_7905.html")).unwrap();
    assert!(page.contains("Protein interactions (STRING)"));
    assert!(page.contains(&format!("href=\"../network.html#cluster={c}\"")));
    assert!(page.contains("<a href=\"HGNC_19104.html\">NPHP4</a>"));
    let json = std::fs::read_to_string(site.join("genes/HGNC_7905.json")).unwrap();
    assert!(json.contains("\"ppi_score\""), "NPHP1 JSON lacks ppi_score");
    assert!(
        !json.contains("\"links\""),
        "the raw partner list is not shown"
    );

    // Methods says what was in force.
    let methods = std::fs::read_to_string(site.join("methods.html")).unwrap();
    assert!(methods.contains("Score threshold in force: 900"), "methods");
    assert!(methods.contains("Leiden"), "methods");

    // Downloads: listed with checksums; the Cytoscape file as Cytoscape reads it; KEGG's
    // library nowhere.
    let sums = std::fs::read_to_string(site.join("downloads/SHA256SUMS")).unwrap();
    for f in [
        "network_edges.tsv",
        "network_clusters.tsv",
        "cluster_enrichment.tsv",
        "network.cyjs",
    ] {
        assert!(sums.contains(&format!("  {f}\n")), "{f} not in SHA256SUMS");
    }
    let cy: Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("downloads/network.cyjs")).unwrap(),
    )
    .unwrap();
    let cy_nodes = cy["elements"]["nodes"].as_array().unwrap();
    assert_eq!(cy_nodes.len(), 1_933);
    assert_eq!(cy["elements"]["edges"].as_array().unwrap().len(), 4_841);
    assert!(
        cy_nodes[0]["data"]["id"]
            .as_str()
            .unwrap()
            .starts_with("HGNC:")
    );
    assert!(cy_nodes[0]["position"]["x"].is_number());
    let ids: BTreeSet<&str> = cy_nodes
        .iter()
        .map(|n| n["data"]["id"].as_str().unwrap())
        .collect();
    assert!(cy["elements"]["edges"].as_array().unwrap().iter().all(|e| {
        ids.contains(e["data"]["source"].as_str().unwrap())
            && ids.contains(e["data"]["target"].as_str().unwrap())
    }));
    let edges_tsv = std::fs::read_to_string(site.join("downloads/network_edges.tsv")).unwrap();
    assert_eq!(edges_tsv.lines().count(), 4_841 + 1);
    let enrichment =
        std::fs::read_to_string(site.join("downloads/cluster_enrichment.tsv")).unwrap();
    let mut libs: BTreeMap<&str, usize> = BTreeMap::new();
    for l in enrichment.lines().skip(1) {
        *libs.entry(l.split('\t').nth(1).unwrap()).or_default() += 1;
    }
    assert_eq!(
        libs.keys().copied().collect::<Vec<_>>(),
        ["go_bp", "hpo", "kegg"]
    );
    assert!(site.join("network/genesets-go.js").is_file());
    assert!(site.join("network/genesets-hpo.js").is_file());
    assert!(!site.join("network/genesets-kegg.js").exists());
    for entry in std::fs::read_dir(site.join("downloads")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_lowercase();
        assert!(!name.contains("kegg"), "{name} in downloads");
    }
}

/// network-data.js without its release name (a second build must reproduce the rest).
pub fn network_data_without_release(site: &Path) -> Value {
    let mut v = js(&site.join("network/network-data.js"), "KGDB_NETWORK");
    v["release"] = Value::Null;
    v
}
