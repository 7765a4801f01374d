//! The tools on the real-pipeline fixture (`tests/fixtures/site_data.json`: eight real genes,
//! PKD1 with 878 PubTator records among them), resolved over the fixture's own genes.

use serde_json::Value;

use super::budget::{ResponseMode, chars};
use super::model::{Origin, ReadModel};
use super::tools::{self, *};
use crate::normalize::Normalizer;
use crate::site::model::SiteData;
use crate::store::genes::HgncGene;

fn model() -> ReadModel {
    let data: SiteData =
        serde_json::from_str(include_str!("../../tests/fixtures/site_data.json")).unwrap();
    let hgnc = data
        .genes
        .iter()
        .map(|g| HgncGene {
            hgnc_id: g.summary.hgnc_id.clone(),
            symbol: g.summary.symbol.clone(),
            name: g.summary.name.clone(),
            locus_group: g.summary.locus_group.clone(),
            locus_type: g.summary.locus_type.clone(),
            status: Some("Approved".into()),
            location: g.summary.location.clone(),
            alias_symbols: g.summary.alias_symbols.clone(),
            prev_symbols: g.summary.prev_symbols.clone(),
            entrez_id: g.summary.entrez_id.clone(),
            ensembl_gene_id: g.summary.ensembl_gene_id.clone(),
            omim_ids: g.summary.omim_ids.clone(),
            mane_select: g.summary.mane_select.clone(),
            uniprot_ids: Vec::new(),
            date_modified: None,
        })
        .collect();
    ReadModel::from_site_data(
        Origin::DataFolder("data".into()),
        data,
        Normalizer::new(hgnc, Vec::new()),
    )
}

fn gene(q: &str, mode: ResponseMode) -> Result<Value, ToolError> {
    get_gene(
        &model(),
        &GeneParams {
            gene: q.into(),
            response_mode: mode,
        },
    )
}

#[test]
fn get_gene_explains_pkd1_by_any_identifier() {
    for q in ["PKD1", "pkd1", "HGNC:9008", "5310", "TRPP1"] {
        let v = gene(q, ResponseMode::Compact).unwrap();
        assert_eq!(v["gene"]["symbol"], "PKD1", "{q}");
        assert_eq!(v["score"]["percentage"], 93.3049);
        assert_eq!(v["score"]["tier"], "comprehensive_support");
        assert_eq!(v["score"]["classic_count"], 5);
        assert_eq!(v["evidence_records"]["pubtator"], 878);
        assert_eq!(v["breakdown"].as_array().unwrap().len(), 7);
        assert_eq!(v["citation"]["release"], "2026.06.21");
        assert_eq!(v["response_mode"], "compact");
    }
    let v = gene("TRPP1", ResponseMode::Minimal).unwrap();
    assert_eq!(v["matched_by"], "alias_symbol");
}

#[test]
fn an_unknown_gene_is_an_error_that_says_what_to_give() {
    let e = gene("NOTAGENE42", ResponseMode::Compact).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("no gene matches `NOTAGENE42`"), "{msg}");
    assert!(msg.contains("HGNC:9008"), "{msg}");
    assert!(matches!(
        gene("  ", ResponseMode::Compact),
        Err(ToolError::BadInput { .. })
    ));
}

#[test]
fn pkd1_evidence_is_cut_to_each_budget_with_a_note() {
    let m = model();
    for mode in ResponseMode::ALL {
        let v = get_gene_evidence(
            &m,
            &EvidenceParams {
                gene: "PKD1".into(),
                source: None,
                response_mode: mode,
            },
        )
        .unwrap();
        assert!(chars(&v) <= mode.budget(), "{mode:?}: {}", chars(&v));
        assert_eq!(v["record_counts"]["pubtator"], 878);
        if mode == ResponseMode::Full {
            // PKD1's records all fit the full budget.
            assert!(v.get("truncated").is_none());
            assert_eq!(v["evidence"]["pubtator"].as_array().unwrap().len(), 878);
            continue;
        }
        let lists = v["truncated"]["lists"].as_array().unwrap();
        let cut = lists
            .iter()
            .find(|c| c["path"] == "/evidence/pubtator")
            .unwrap();
        assert_eq!(cut["total"], 878);
        assert_eq!(
            cut["shown"].as_u64().unwrap() as usize,
            v["evidence"]["pubtator"].as_array().unwrap().len()
        );
    }
    let one = get_gene_evidence(
        &m,
        &EvidenceParams {
            gene: "PKD1".into(),
            source: Some("clingen".into()),
            response_mode: ResponseMode::Compact,
        },
    )
    .unwrap();
    assert_eq!(one["evidence"]["clingen"].as_array().unwrap().len(), 2);
    assert!(one.get("truncated").is_none());
    let e = get_gene_evidence(
        &m,
        &EvidenceParams {
            gene: "PKD1".into(),
            source: Some("nosuch".into()),
            response_mode: ResponseMode::Compact,
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown evidence source `nosuch`"), "{e}");
    assert!(e.contains("clingen"), "{e}");
}

#[test]
fn search_filters_sorts_and_refuses_bad_ranges() {
    let m = model();
    let v = search_genes(
        &m,
        &SearchParams {
            tier: Some("comprehensive_support".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let symbols: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["symbol"].as_str().unwrap())
        .collect();
    assert_eq!(symbols, ["PKD1", "NPHS1", "APOL1"]);
    let v = search_genes(
        &m,
        &SearchParams {
            query: Some("polycystin".into()),
            sources: Some(vec!["pubtator".into()]),
            min_score: Some(10.0),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(v["total"], 2, "{v}");
    let bad = |p: SearchParams| search_genes(&m, &p).unwrap_err().to_string();
    assert!(
        bad(SearchParams {
            min_score: Some(50.0),
            max_score: Some(10.0),
            ..Default::default()
        })
        .contains("min_score 50 is above max_score 10")
    );
    assert!(
        bad(SearchParams {
            max_score: Some(120.0),
            ..Default::default()
        })
        .contains("outside 0-100")
    );
    assert!(
        bad(SearchParams {
            tier: Some("legendary".into()),
            ..Default::default()
        })
        .contains("unknown tier `legendary`")
    );
    assert!(
        bad(SearchParams {
            page: Some(0),
            ..Default::default()
        })
        .contains("pages count from 1")
    );
}

#[test]
fn stats_sources_and_citation_come_from_the_model() {
    let m = model();
    let s = database_stats(&m, ResponseMode::Standard);
    assert_eq!(s["genes"], 8);
    let tiers: u64 = s["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["genes"].as_u64().unwrap())
        .sum();
    assert_eq!(tiers, 8);
    let l = list_sources(&m, ResponseMode::Compact);
    assert_eq!(l["evidence_sources"][0]["name"], "hgnc");
    let c = release_citation(&m, ResponseMode::Compact);
    assert_eq!(c["release"], "2026.06.21");
    assert_eq!(c["title"], "Kidney-Genetics Database");
    assert!(
        c["bibtex"]
            .as_str()
            .unwrap()
            .starts_with("@misc{kgdb_2026_06_21,")
    );
    assert!(c["manifest_note"].is_string());
    let cap = tools::capabilities(&m, ResponseMode::Compact);
    assert_eq!(cap["tools"].as_array().unwrap().len(), TOOLS.len());
    assert_eq!(
        cap["search_genes"]["filters"]["tier"][0],
        "comprehensive_support"
    );
}
