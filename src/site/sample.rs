//! Sample [`SiteData`] for tests, `cargo run --example render_sample` and the browser test:
//! a few real genes with plausible evidence, and a synthetic set of any size shaped like the
//! real one (to measure page weights without the store or the network).
//!
//! Identifiers of the hand-written genes (HGNC IDs, symbols, names, locations, Entrez,
//! Ensembl, OMIM, MANE Select) are HGNC's; the evidence records are *plausible illustrations*
//! in each source's shape (keys as documented on [`Gene::evidence`]), not copies of real
//! records, and the scores are computed from them by the rules of SCORING.md.

use std::collections::BTreeMap;

use crate::sources::StoredRecord;
use serde_json::{Value, json};

use super::model::{DownloadInfo, Gene, Methods, Rule, SiteData, SourceInfo, SourceScore};

mod annotations;
pub use annotations::{
    fill_coverage, for_gene as annotations_for, rules as annotation_rules,
    sources as annotation_sources,
};

/// The scoring sources in configuration order, with their titles.
pub const SCORING: [(&str, &str); 7] = [
    ("panelapp", "PanelApp (UK + Australia)"),
    ("literature", "Curated publications"),
    ("diagnostic_panels", "Diagnostic lab panels"),
    ("hpo", "Human Phenotype Ontology"),
    ("pubtator", "PubTator3 literature mining"),
    ("clingen", "ClinGen gene-disease validity"),
    ("gencc", "GenCC submissions"),
];

/// The rules of sources.yaml's `scoring` section (the defaults).
pub fn methods() -> Methods {
    let weights = [
        ("definitive", 1.0),
        ("strong", 0.8),
        ("moderate", 0.6),
        ("supportive", 0.5),
        ("limited", 0.3),
        ("animal model only", 0.1),
        ("disputed", 0.0),
        ("disputed evidence", 0.0),
        ("refuted", 0.0),
        ("refuted evidence", 0.0),
        ("no known disease relationship", 0.0),
    ];
    let rule = |name: &str, min_sources: u64, min_percentage: f64| Rule {
        name: name.to_string(),
        min_sources,
        min_percentage,
    };
    let mut selection = BTreeMap::new();
    let sel = |lines: &[&str]| lines.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    selection.insert(
        "panelapp_uk".to_string(),
        sel(&[
            "Panels whose name contains one of: renal, kidney, nephro, CAKUT, Alport, cystic",
            "Panel names containing adrenal are excluded",
        ]),
    );
    selection.insert(
        "panelapp_au".to_string(),
        sel(&["Panels whose name contains one of: renal, kidney, nephro, CAKUT, Alport"]),
    );
    selection.insert(
        "clingen".to_string(),
        sel(&[
            "Curations by the Kidney Cystic and Ciliopathy Disorders, Glomerulopathy, Tubulopathy and Complement-Mediated Kidney Diseases expert panels",
            "Or a disease label containing one of: kidney, renal, nephro, glomerul (not adrenal)",
        ]),
    );
    selection.insert(
        "gencc".to_string(),
        sel(&["Submissions whose disease contains one of: kidney, renal, nephro, glomerul, Alport, polycystic"]),
    );
    selection.insert(
        "hpo".to_string(),
        sel(&["OMIM and ORPHA diseases with a phenotype under Abnormality of the urinary system (HP:0000079), NOT-qualified annotations excluded"]),
    );
    selection.insert(
        "pubtator".to_string(),
        sel(&["Articles matching: (kidney OR renal) AND (variant OR mutation) AND disease"]),
    );
    Methods {
        scoring_sources: SCORING.iter().map(|(n, _)| n.to_string()).collect(),
        classification_weights: weights.iter().map(|(k, w)| (k.to_string(), *w)).collect(),
        classic_thresholds: [
            ("panelapp", 1),
            ("literature", 2),
            ("diagnostic_panels", 2),
            ("hpo", 1),
            ("pubtator", 3),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect(),
        tiers: vec![
            rule("comprehensive_support", 4, 50.0),
            rule("multi_source_support", 3, 35.0),
            rule("established_support", 2, 20.0),
            rule("preliminary_evidence", 0, 10.0),
            rule("minimal_evidence", 1, 0.0),
        ],
        groups: vec![
            rule("well_supported", 2, 20.0),
            rule("emerging_evidence", 1, 0.0),
        ],
        selection,
        annotation_rules: annotations::rules(),
    }
}

/// The measure of a gene in one source, before ranking.
#[derive(Debug, Clone)]
pub enum Measure {
    /// A count source: the count.
    Count(f64),
    /// A classification source: the kidney curations' classifications.
    Classes(Vec<String>),
}

/// Scores genes the way SCORING.md says, so the sample's numbers are consistent: mid-rank
/// percentiles for counts, best classification weight otherwise, then percentage, tier,
/// group and classic count. `measures[g][s]` is gene g's measure in SCORING source s.
pub fn score(genes: &mut [Gene], measures: &[Vec<Measure>], methods: &Methods) {
    let n_src = SCORING.len();
    // Per count source: sorted measures of the genes with measure > 0.
    let mut sorted: Vec<Vec<f64>> = vec![Vec::new(); n_src];
    for m in measures {
        for (s, x) in m.iter().enumerate() {
            match x {
                Measure::Count(c) if *c > 0.0 => sorted[s].push(*c),
                Measure::Classes(c) if !c.is_empty() => sorted[s].push(1.0),
                _ => {}
            }
        }
    }
    for v in &mut sorted {
        v.sort_by(f64::total_cmp);
    }
    let weight = |c: &str| {
        methods
            .classification_weights
            .get(&c.to_lowercase())
            .copied()
            .unwrap_or(0.0)
    };
    for (gene, m) in genes.iter_mut().zip(measures) {
        let mut breakdown = Vec::new();
        for (s, (name, title)) in SCORING.iter().enumerate() {
            let n = sorted[s].len() as u64;
            let threshold = methods.classic_thresholds.get(*name).copied();
            let sc = match &m[s] {
                Measure::Count(c) => {
                    let c = *c;
                    let (rank, score) = if c > 0.0 {
                        let v = &sorted[s];
                        let first = v.partition_point(|x| *x < c) + 1;
                        let last = v.partition_point(|x| *x <= c);
                        let rank = (first + last) as f64 / 2.0;
                        (Some(rank), rank / n as f64)
                    } else {
                        (None, 0.0)
                    };
                    SourceScore {
                        source: name.to_string(),
                        title: title.to_string(),
                        method: "percentile".into(),
                        measure: c,
                        n,
                        rank,
                        classification: None,
                        weight: None,
                        score,
                        contribution: 100.0 * score / n_src as f64,
                        supported: score > 0.0,
                        contradicting: false,
                        classic: threshold.map(|t| c >= t as f64),
                    }
                }
                Measure::Classes(classes) => {
                    let best = classes
                        .iter()
                        .max_by(|a, b| weight(a).total_cmp(&weight(b)))
                        .cloned();
                    let w = best.as_deref().map(weight);
                    let score = w.unwrap_or(0.0);
                    SourceScore {
                        source: name.to_string(),
                        title: title.to_string(),
                        method: "classification".into(),
                        measure: classes.len() as f64,
                        n,
                        rank: None,
                        classification: best,
                        weight: w,
                        score,
                        contribution: 100.0 * score / n_src as f64,
                        supported: score > 0.0,
                        contradicting: !classes.is_empty() && score == 0.0,
                        classic: None,
                    }
                }
            };
            breakdown.push(sc);
        }
        let percentage: f64 = breakdown.iter().map(|b| b.contribution).sum();
        let percentage = (percentage * 10_000.0).round() / 10_000.0;
        let count = breakdown.iter().filter(|b| b.score > 0.0).count() as u64;
        let pick = |rules: &[Rule], last: &str| {
            rules
                .iter()
                .find(|r| {
                    count >= r.min_sources
                        && percentage >= r.min_percentage
                        && (r.min_percentage > 0.0 || percentage > 0.0)
                })
                .map(|r| r.name.clone())
                .unwrap_or_else(|| last.to_string())
        };
        gene.tier = pick(&methods.tiers, "no_evidence");
        gene.group = pick(&methods.groups, "insufficient");
        gene.percentage = percentage;
        gene.source_count = count as u32;
        gene.classic_count = breakdown.iter().filter(|b| b.classic == Some(true)).count() as u32;
        gene.breakdown = breakdown;
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[allow(clippy::too_many_arguments)]
fn identity(
    hgnc: &str,
    symbol: &str,
    name: &str,
    location: &str,
    aliases: &[&str],
    prev: &[&str],
    entrez: &str,
    ensembl: &str,
    omim: &[&str],
    mane: &[&str],
) -> Gene {
    Gene {
        hgnc_id: hgnc.into(),
        symbol: symbol.into(),
        name: name.into(),
        location: Some(location.into()),
        locus_group: Some("protein-coding gene".into()),
        locus_type: Some("gene with protein product".into()),
        alias_symbols: strings(aliases),
        prev_symbols: strings(prev),
        entrez_id: Some(entrez.into()),
        ensembl_gene_id: Some(ensembl.into()),
        omim_ids: strings(omim),
        mane_select: strings(mane),
        percentage: 0.0,
        tier: String::new(),
        group: String::new(),
        source_count: 0,
        classic_count: 0,
        breakdown: Vec::new(),
        evidence: BTreeMap::new(),
        annotations: Default::default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn panel(
    region: &str,
    id: u32,
    name: &str,
    version: &str,
    symbol: &str,
    hgnc: &str,
    rating: &str,
    moi: &str,
    phenotypes: &[&str],
) -> Value {
    let host = if region == "UK" {
        "https://panelapp.genomicsengland.co.uk"
    } else {
        "https://panelapp-aus.org"
    };
    json!({
        "record_key": format!("{region}/{id}/{hgnc}"),
        "staged_source": if region == "UK" { "panelapp_uk" } else { "panelapp_au" },
        "region": region, "panel_id": id, "panel_name": name, "panel_version": version,
        "panel_version_created": "2024-05-03T10:12:44Z",
        "panel_url": format!("{host}/panels/{id}/"),
        "url": format!("{host}/panels/{id}/gene/{symbol}/"),
        "rating": rating, "counted": rating != "red",
        "confidence_level": match rating { "green" => "3", "amber" => "2", _ => "1" },
        "mode_of_inheritance": moi, "phenotypes": phenotypes,
        "publications": ["7663515"], "evidence": ["Expert Review Green"], "tags": [],
        "gene_symbol": symbol,
    })
}

#[allow(clippy::too_many_arguments)]
fn clingen(
    symbol: &str,
    hgnc: &str,
    disease: &str,
    mondo: &str,
    moi: &str,
    class: &str,
    date: &str,
    panel: &str,
    assertion: &str,
) -> Value {
    json!({
        "record_key": format!("CGGV:assertion_{assertion}"), "staged_source": "clingen",
        "gene_symbol": symbol, "hgnc_id": hgnc, "disease_label": disease, "mondo_id": mondo,
        "moi": moi, "sop": "SOP8", "classification": class, "classification_date": date,
        "expert_panel": panel,
        "report_url": format!("https://search.clinicalgenome.org/kb/gene-validity/CGGV:assertion_{assertion}-2023-01-01T000000.000Z"),
    })
}

#[allow(clippy::too_many_arguments)]
fn gencc(
    hgnc: &str,
    submitter: &str,
    class: &str,
    disease: &str,
    mondo: &str,
    moi: &str,
    date: &str,
    pmids: &[&str],
) -> Value {
    json!({
        "record_key": format!("GENCC_{}-{}-{}", submitter.len(), hgnc.replace(':', "_"), mondo.replace(':', "_")),
        "staged_source": "gencc",
        "submitter": submitter, "classification": class, "disease_title": disease,
        "disease_curie": mondo, "disease_original_title": disease,
        "disease_original_curie": mondo, "moi": moi, "date": date,
        "report_url": "https://search.thegencc.org/", "pmids": pmids,
    })
}

fn hpo(disease_id: &str, name: &str, terms: &[(&str, &str)], ncbi: &str) -> Value {
    json!({
        "record_key": format!("{disease_id}/{ncbi}"), "staged_source": "hpo",
        "disease_id": disease_id, "disease_name": name, "association_type": "MENDELIAN",
        "kidney_terms": terms.iter().map(|(id, n)| json!({"id": id, "name": n})).collect::<Vec<_>>(),
        "hpo_version": "2025-01-16",
    })
}

fn pubtator(pmid: u32, ncbi: &str, title: &str, journal: &str, date: &str, mention: &str) -> Value {
    json!({
        "record_key": format!("{pmid}/{ncbi}"), "staged_source": "pubtator",
        "pmid": pmid.to_string(), "title": title, "journal": journal, "date": date,
        "score": 250.5, "mention": mention,
    })
}

#[allow(clippy::too_many_arguments)]
fn publication(
    list: &str,
    name: &str,
    pmid: &str,
    title: &str,
    journal: &str,
    date: &str,
    doi: &str,
    symbol: &str,
) -> Value {
    json!({
        "record_key": format!("{list}/{symbol}"), "staged_source": "literature",
        "list_id": list, "list_name": name, "pmid": pmid, "title": title, "journal": journal,
        "publication_date": date, "doi": doi,
        "url": format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/"), "reported_as": symbol,
    })
}

fn lab(list: &str, lab: &str, url: &str, panels: &[&str], symbol: &str) -> Value {
    json!({
        "record_key": format!("{list}/{symbol}"), "staged_source": "diagnostic_panels",
        "list_id": list, "lab": lab, "url": url, "panels": panels,
        "scraped_at": "2025-08-24", "reported_as": symbol,
    })
}

fn evidence(pairs: Vec<(&str, Vec<Value>)>) -> BTreeMap<String, Vec<StoredRecord>> {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            (
                k.to_string(),
                v.iter().map(StoredRecord::from_value).collect(),
            )
        })
        .collect()
}

/// The measures implied by a gene's evidence records (distinct panels rated green/amber,
/// publications, labs, diseases, PMIDs; classifications).
pub fn measures_of(gene: &Gene) -> Vec<Measure> {
    let ev = |s: &str| -> Vec<Value> {
        gene.evidence
            .get(s)
            .map(|v| v.iter().filter_map(|r| r.parse().ok()).collect())
            .unwrap_or_default()
    };
    SCORING
        .iter()
        .map(|(s, _)| match *s {
            "panelapp" => Measure::Count(
                ev(s)
                    .iter()
                    .filter(|r| r["counted"].as_bool() == Some(true))
                    .count() as f64,
            ),
            "clingen" | "gencc" => Measure::Classes(
                ev(s)
                    .iter()
                    .filter_map(|r| r["classification"].as_str().map(String::from))
                    .collect(),
            ),
            _ => Measure::Count(ev(s).len() as f64),
        })
        .collect()
}

/// Six real genes with plausible evidence in every source's shape: PKD1, COL4A5, NPHS1
/// (strong kidney genes), UMOD, APOL1 (a risk gene whose only curation disputes it) and
/// PKD1L1 (text mining only).
pub fn genes() -> Vec<Gene> {
    let mut pkd1 = identity(
        "HGNC:9008",
        "PKD1",
        "polycystin 1, transient receptor potential channel interacting",
        "16p13.3",
        &["PBP", "Pc-1", "TRPP1"],
        &[],
        "5310",
        "ENSG00000008710",
        &["601313"],
        &["ENST00000262304", "NM_001009944"],
    );
    let cyst_terms = [
        ("HP:0000107", "Renal cyst"),
        ("HP:0000113", "Polycystic kidney dysplasia"),
        ("HP:0003774", "Stage 5 chronic kidney disease"),
    ];
    let mut pkd1_pubs: Vec<Value> = (0..40)
        .map(|i| {
            pubtator(
                39_000_000 - i * 7_919,
                "5310",
                &format!("PKD1 variants in a cohort of autosomal dominant polycystic kidney disease families (study {i})"),
                "Kidney Int",
                &format!("{}-{:02}-15", 2024 - (i / 12), 12 - (i % 12)),
                "PKD1",
            )
        })
        .collect();
    pkd1_pubs.reverse(); // stored oldest first: the page must sort newest first itself
    pkd1.evidence = evidence(vec![
        (
            "panelapp",
            vec![
                panel(
                    "UK",
                    283,
                    "Cystic renal disease",
                    "5.3",
                    "PKD1",
                    "HGNC:9008",
                    "green",
                    "MONOALLELIC, autosomal or pseudoautosomal, imprinted status unknown",
                    &["Polycystic kidney disease 1, OMIM:173900"],
                ),
                panel(
                    "UK",
                    234,
                    "Proteinuric renal disease",
                    "4.12",
                    "PKD1",
                    "HGNC:9008",
                    "amber",
                    "MONOALLELIC, autosomal or pseudoautosomal, imprinted status unknown",
                    &[],
                ),
                panel(
                    "AU",
                    194,
                    "Renal Ciliopathies and Nephronophthisis",
                    "1.41",
                    "PKD1",
                    "HGNC:9008",
                    "green",
                    "MONOALLELIC, autosomal or pseudoautosomal",
                    &["Polycystic kidney disease 1, MIM# 173900"],
                ),
                panel(
                    "AU",
                    202,
                    "Congenital anomalies of the kidney and urinary tract (CAKUT)",
                    "0.98",
                    "PKD1",
                    "HGNC:9008",
                    "red",
                    "",
                    &[],
                ),
            ],
        ),
        (
            "literature",
            vec![
                publication(
                    "pub_2019_groopman",
                    "Groopman 2019 (exome sequencing in CKD)",
                    "30586318",
                    "Diagnostic Utility of Exome Sequencing for Kidney Disease",
                    "N Engl J Med",
                    "2019-01-10",
                    "10.1056/NEJMoa1806891",
                    "PKD1",
                ),
                publication(
                    "pub_2021_mann",
                    "Mann 2021 (genetic testing in CKD)",
                    "31383708",
                    "Whole-Exome Sequencing Enables a Precision Medicine Approach for Kidney Transplant Recipients",
                    "J Am Soc Nephrol",
                    "2019-10-01",
                    "10.1681/ASN.2018121232",
                    "PKD1",
                ),
            ],
        ),
        (
            "diagnostic_panels",
            vec![
                lab(
                    "blueprint_genetics",
                    "Blueprint Genetics",
                    "https://blueprintgenetics.com/tests/panels/nephrology/",
                    &[
                        "Polycystic Kidney Disease Panel",
                        "Nephrology Comprehensive",
                    ],
                    "PKD1",
                ),
                lab(
                    "invitae",
                    "Invitae",
                    "https://www.invitae.com/",
                    &["Invitae Polycystic Kidney Disease Panel"],
                    "PKD1",
                ),
                lab(
                    "natera",
                    "Natera",
                    "https://www.natera.com/organ-health/renasight-genetic-testing/",
                    &["Renasight"],
                    "PKD1",
                ),
            ],
        ),
        (
            "hpo",
            vec![hpo(
                "OMIM:173900",
                "Polycystic kidney disease 1",
                &cyst_terms,
                "5310",
            )],
        ),
        ("pubtator", pkd1_pubs),
        (
            "clingen",
            vec![clingen(
                "PKD1",
                "HGNC:9008",
                "autosomal dominant polycystic kidney disease",
                "MONDO:0004691",
                "AD",
                "Definitive",
                "2018-06-21",
                "Kidney Cystic and Ciliopathy Disorders",
                "3a2b1c0d-0001",
            )],
        ),
        (
            "gencc",
            vec![
                gencc(
                    "HGNC:9008",
                    "ClinGen",
                    "Definitive",
                    "autosomal dominant polycystic kidney disease",
                    "MONDO:0004691",
                    "Autosomal dominant",
                    "2018-06-21",
                    &[],
                ),
                gencc(
                    "HGNC:9008",
                    "Genomics England PanelApp",
                    "Definitive",
                    "polycystic kidney disease 1",
                    "MONDO:0008262",
                    "Autosomal dominant",
                    "2021-03-01",
                    &["7663515"],
                ),
                gencc(
                    "HGNC:9008",
                    "Orphanet",
                    "Supportive",
                    "Autosomal dominant polycystic kidney disease",
                    "MONDO:0004691",
                    "Autosomal dominant",
                    "2020-11-20",
                    &[],
                ),
            ],
        ),
    ]);

    let mut col4a5 = identity(
        "HGNC:2207",
        "COL4A5",
        "collagen type IV alpha 5 chain",
        "Xq22.3",
        &["ATS", "ASLN"],
        &[],
        "1287",
        "ENSG00000188153",
        &["303630"],
        &["ENST00000328300", "NM_033380"],
    );
    col4a5.evidence = evidence(vec![
        (
            "panelapp",
            vec![
                panel(
                    "UK",
                    234,
                    "Proteinuric renal disease",
                    "4.12",
                    "COL4A5",
                    "HGNC:2207",
                    "green",
                    "X-LINKED: hemizygous mutation in males, monoallelic mutations in females may cause disease (may be less severe, later onset than males)",
                    &["Alport syndrome, OMIM:301050"],
                ),
                panel(
                    "UK",
                    482,
                    "Haematuria",
                    "2.3",
                    "COL4A5",
                    "HGNC:2207",
                    "green",
                    "X-LINKED",
                    &["Alport syndrome 1, X-linked"],
                ),
                panel(
                    "AU",
                    3149,
                    "Haematuria and Alport syndrome",
                    "1.12",
                    "COL4A5",
                    "HGNC:2207",
                    "green",
                    "X-LINKED",
                    &[],
                ),
            ],
        ),
        (
            "literature",
            vec![publication(
                "pub_2019_groopman",
                "Groopman 2019 (exome sequencing in CKD)",
                "30586318",
                "Diagnostic Utility of Exome Sequencing for Kidney Disease",
                "N Engl J Med",
                "2019-01-10",
                "10.1056/NEJMoa1806891",
                "COL4A5",
            )],
        ),
        (
            "diagnostic_panels",
            vec![
                lab(
                    "blueprint_genetics",
                    "Blueprint Genetics",
                    "https://blueprintgenetics.com/tests/panels/nephrology/",
                    &["Alport Syndrome Panel"],
                    "COL4A5",
                ),
                lab(
                    "natera",
                    "Natera",
                    "https://www.natera.com/organ-health/renasight-genetic-testing/",
                    &["Renasight"],
                    "COL4A5",
                ),
            ],
        ),
        (
            "hpo",
            vec![hpo(
                "OMIM:301050",
                "Alport syndrome 1, X-linked",
                &[
                    ("HP:0000790", "Hematuria"),
                    ("HP:0000093", "Proteinuria"),
                    ("HP:0000097", "Focal segmental glomerulosclerosis"),
                ],
                "1287",
            )],
        ),
        (
            "pubtator",
            (0..6)
                .map(|i| {
                    pubtator(
                        38_100_000 + i * 1_001,
                        "1287",
                        "COL4A5 variants in Alport syndrome and thin basement membrane nephropathy",
                        "Pediatr Nephrol",
                        &format!("2023-0{}-01", i + 1),
                        "COL4A5",
                    )
                })
                .collect(),
        ),
        (
            "clingen",
            vec![clingen(
                "COL4A5",
                "HGNC:2207",
                "X-linked Alport syndrome",
                "MONDO:0010520",
                "XL",
                "Definitive",
                "2020-09-30",
                "Glomerulopathy",
                "6b5c-0002",
            )],
        ),
        (
            "gencc",
            vec![gencc(
                "HGNC:2207",
                "Ambry Genetics",
                "Definitive",
                "X-linked Alport syndrome",
                "MONDO:0010520",
                "X-linked",
                "2019-05-07",
                &[],
            )],
        ),
    ]);

    let mut nphs1 = identity(
        "HGNC:7908",
        "NPHS1",
        "NPHS1 adhesion molecule, nephrin",
        "19q13.12",
        &["CNF", "NPHN"],
        &[],
        "4868",
        "ENSG00000161270",
        &["602716"],
        &["ENST00000378910", "NM_004646"],
    );
    nphs1.evidence = evidence(vec![
        (
            "panelapp",
            vec![panel(
                "UK",
                234,
                "Proteinuric renal disease",
                "4.12",
                "NPHS1",
                "HGNC:7908",
                "green",
                "BIALLELIC, autosomal or pseudoautosomal",
                &["Nephrotic syndrome, type 1, OMIM:256300"],
            )],
        ),
        (
            "literature",
            vec![
                publication(
                    "pub_2019_groopman",
                    "Groopman 2019 (exome sequencing in CKD)",
                    "30586318",
                    "Diagnostic Utility of Exome Sequencing for Kidney Disease",
                    "N Engl J Med",
                    "2019-01-10",
                    "10.1056/NEJMoa1806891",
                    "NPHS1",
                ),
                publication(
                    "pub_2015_sadowski",
                    "Sadowski 2015 (SRNS)",
                    "25349199",
                    "A single-gene cause in 29.5% of cases of steroid-resistant nephrotic syndrome",
                    "J Am Soc Nephrol",
                    "2015-06-01",
                    "10.1681/ASN.2014050487",
                    "NPHS1",
                ),
            ],
        ),
        (
            "diagnostic_panels",
            vec![
                lab(
                    "blueprint_genetics",
                    "Blueprint Genetics",
                    "https://blueprintgenetics.com/tests/panels/nephrology/",
                    &["Nephrotic Syndrome Panel"],
                    "NPHS1",
                ),
                lab(
                    "invitae",
                    "Invitae",
                    "https://www.invitae.com/",
                    &["Invitae Steroid-Resistant Nephrotic Syndrome Panel"],
                    "NPHS1",
                ),
            ],
        ),
        (
            "hpo",
            vec![
                hpo(
                    "OMIM:256300",
                    "Nephrotic syndrome, type 1",
                    &[
                        ("HP:0000100", "Nephrotic syndrome"),
                        ("HP:0000093", "Proteinuria"),
                    ],
                    "4868",
                ),
                hpo(
                    "ORPHA:839",
                    "Congenital nephrotic syndrome, Finnish type",
                    &[("HP:0000100", "Nephrotic syndrome")],
                    "4868",
                ),
            ],
        ),
        (
            "pubtator",
            (0..3)
                .map(|i| {
                    pubtator(
                        37_000_000 + i * 17,
                        "4868",
                        "Nephrin variants in congenital nephrotic syndrome",
                        "Kidney Int Rep",
                        "2022-11-03",
                        "NPHS1",
                    )
                })
                .collect(),
        ),
        (
            "clingen",
            vec![clingen(
                "NPHS1",
                "HGNC:7908",
                "nephrotic syndrome, type 1",
                "MONDO:0009732",
                "AR",
                "Definitive",
                "2021-02-11",
                "Glomerulopathy",
                "9f8e-0003",
            )],
        ),
        (
            "gencc",
            vec![gencc(
                "HGNC:7908",
                "Genomics England PanelApp",
                "Strong",
                "Finnish congenital nephrotic syndrome",
                "MONDO:0009732",
                "Autosomal recessive",
                "2021-03-01",
                &[],
            )],
        ),
    ]);

    let mut apol1 = identity(
        "HGNC:618",
        "APOL1",
        "apolipoprotein L1",
        "22q12.3",
        &["APOL", "APO-L"],
        &[],
        "8542",
        "ENSG00000100342",
        &["603743"],
        &["ENST00000319136", "NM_003661"],
    );
    apol1.evidence = evidence(vec![
        (
            "pubtator",
            (0..2)
                .map(|i| {
                    pubtator(
                        36_500_000 + i * 3,
                        "8542",
                        "APOL1 risk variants and kidney failure",
                        "J Am Soc Nephrol",
                        "2021-07-01",
                        "APOL1",
                    )
                })
                .collect(),
        ),
        (
            "gencc",
            vec![gencc(
                "HGNC:618",
                "Orphanet",
                "Disputed Evidence",
                "focal segmental glomerulosclerosis 4",
                "MONDO:0013294",
                "Autosomal recessive",
                "2020-11-20",
                &[],
            )],
        ),
    ]);

    let mut umod = identity(
        "HGNC:12559",
        "UMOD",
        "uromodulin",
        "16p12.3",
        &["THP", "FJHN", "HNFJ", "ADMCKD2"],
        &["MCKD2"],
        "7369",
        "ENSG00000169344",
        &["191845"],
        &["ENST00000302509", "NM_003361"],
    );
    umod.evidence = evidence(vec![
        (
            "panelapp",
            vec![panel(
                "UK",
                283,
                "Cystic renal disease",
                "5.3",
                "UMOD",
                "HGNC:12559",
                "green",
                "MONOALLELIC, autosomal or pseudoautosomal",
                &["Tubulointerstitial kidney disease, autosomal dominant, 1"],
            )],
        ),
        (
            "hpo",
            vec![hpo(
                "OMIM:162000",
                "Tubulointerstitial kidney disease, autosomal dominant, 1",
                &[
                    ("HP:0000112", "Nephropathy"),
                    (
                        "HP:0003259",
                        "Elevated circulating creatinine concentration",
                    ),
                ],
                "7369",
            )],
        ),
        (
            "clingen",
            vec![clingen(
                "UMOD",
                "HGNC:12559",
                "autosomal dominant tubulointerstitial kidney disease",
                "MONDO:0800437",
                "AD",
                "Definitive",
                "2019-04-12",
                "Tubulopathy",
                "1d2e-0004",
            )],
        ),
    ]);

    // PKD1L1 (heterotaxy rather than kidney disease): text mining only. Its symbol starts
    // with "PKD1", so a search for PKD1 must list PKD1 (exact) before it in any sort order.
    let mut pkd1l1 = identity(
        "HGNC:18053",
        "PKD1L1",
        "polycystin 1 like 1, transient receptor potential channel interacting",
        "7p12.3",
        &["PRO19563", "TRPP1L1"],
        &[],
        "168507",
        "ENSG00000158683",
        &["609721"],
        &["ENST00000289672", "NM_138295"],
    );
    pkd1l1.evidence = evidence(vec![(
        "pubtator",
        (0..3)
            .map(|i| {
                pubtator(
                    35_100_000 + i * 11,
                    "168507",
                    "PKD1L1 variants in laterality defects with renal cysts",
                    "Hum Mol Genet",
                    "2022-02-01",
                    "PKD1L1",
                )
            })
            .collect(),
    )]);

    let mut genes = vec![apol1, col4a5, nphs1, pkd1, pkd1l1, umod];
    genes.sort_by_key(|g| hgnc_number(&g.hgnc_id));
    let measures: Vec<_> = genes.iter().map(measures_of).collect();
    score(&mut genes, &measures, &methods());
    for g in &mut genes {
        g.annotations = annotations::for_gene(&g.symbol);
    }
    genes
}

fn hgnc_number(id: &str) -> u64 {
    id.trim_start_matches("HGNC:").parse().unwrap_or(u64::MAX)
}

fn download(url: &str, version: &str, bytes: u64) -> DownloadInfo {
    DownloadInfo {
        url: url.into(),
        final_url: url.into(),
        fetched_at: "2026-06-21T02:10:00Z".into(),
        etag: Some("\"5f2a-61c0\"".into()),
        last_modified: Some("Sat, 20 Jun 2026 22:00:00 GMT".into()),
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        bytes,
        upstream_version: Some(version.into()),
    }
}

#[allow(clippy::too_many_arguments)]
fn source(
    name: &str,
    title: &str,
    homepage: &str,
    licence: &str,
    citation: &str,
    version: &str,
    rows: u64,
    genes: u64,
    downloads: Vec<DownloadInfo>,
) -> SourceInfo {
    SourceInfo {
        name: name.into(),
        title: title.into(),
        homepage: Some(homepage.into()),
        licence: licence.into(),
        citation: citation.into(),
        status: "ok".into(),
        stale: false,
        last_success: Some("2026-06-21T02:10:00Z".into()),
        upstream_version: Some(version.into()),
        rows,
        genes,
        last_error: None,
        downloads,
    }
}

/// The configured sources as sources.yaml has them; PubTator's last fetch failed (stale).
pub fn sources() -> Vec<SourceInfo> {
    let mut pubtator = source(
        "pubtator",
        "PubTator3 literature mining",
        "https://www.ncbi.nlm.nih.gov/research/pubtator3/",
        "NCBI public domain (US government work); cite PubTator3",
        "Wei CH et al. PubTator 3.0: an AI-powered literature resource for unlocking biomedical knowledge. Nucleic Acids Res 2024;52:W540-W546",
        "48210 articles",
        61_550,
        4_210,
        vec![download(
            "https://www.ncbi.nlm.nih.gov/research/pubtator3-api/search/?text=kidney&page=1",
            "48210 articles",
            48_113,
        )],
    );
    pubtator.status = "failed".into();
    pubtator.stale = true;
    pubtator.last_success = Some("2026-04-02T02:14:09Z".into());
    pubtator.last_error = Some("HTTP 503 from www.ncbi.nlm.nih.gov after 5 attempts".into());
    vec![
        source(
            "hgnc",
            "HGNC complete set",
            "https://www.genenames.org/",
            "No restrictions are imposed on access to, or use of, the data provided by the HGNC",
            "HUGO Gene Nomenclature Committee at the European Bioinformatics Institute (www.genenames.org)",
            "2026-06-19",
            43_882,
            43_882,
            vec![download(
                "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt",
                "2026-06-19",
                16_803_112,
            )],
        ),
        source(
            "panelapp_uk",
            "PanelApp (Genomics England)",
            "https://panelapp.genomicsengland.co.uk/",
            "Genomics England PanelApp terms of use",
            "Martin AR et al. PanelApp crowdsources expert knowledge to establish consensus diagnostic gene panels. Nat Genet 2019;51:1560-1565",
            "14 panels, newest 2026-05-03",
            2_411,
            1_024,
            vec![
                download(
                    "https://panelapp.genomicsengland.co.uk/api/v1/panels/283/",
                    "5.3",
                    911_204,
                ),
                download(
                    "https://panelapp.genomicsengland.co.uk/api/v1/panels/234/",
                    "4.12",
                    1_201_771,
                ),
            ],
        ),
        source(
            "panelapp_au",
            "PanelApp Australia",
            "https://panelapp-aus.org/",
            "PanelApp Australia terms of use",
            "PanelApp Australia, Australian Genomics (panelapp-aus.org)",
            "11 panels, newest 2026-06-01",
            1_902,
            880,
            vec![download(
                "https://panelapp-aus.org/api/v1/panels/194/",
                "1.41",
                402_117,
            )],
        ),
        source(
            "clingen",
            "ClinGen gene-disease validity",
            "https://search.clinicalgenome.org/kb/gene-validity",
            "CC0 1.0 (ClinGen data)",
            "Strande NT et al. Evaluating the clinical validity of gene-disease associations. Am J Hum Genet 2017;100:895-906",
            "2026-06-21",
            402,
            371,
            vec![download(
                "https://search.clinicalgenome.org/kb/gene-validity/download",
                "2026-06-21",
                1_408_332,
            )],
        ),
        source(
            "gencc",
            "GenCC submissions",
            "https://thegencc.org/",
            "CC0 1.0",
            "DiStefano MT et al. The Gene Curation Coalition: a global effort to harmonize gene-disease evidence resources. Genet Med 2022;24:1732-1742",
            "2026-06-18",
            3_120,
            1_180,
            vec![download(
                "https://search.thegencc.org/download/action/submissions-export-tsv",
                "2026-06-18",
                29_881_020,
            )],
        ),
        source(
            "hpo",
            "Human Phenotype Ontology",
            "https://hpo.jax.org/",
            "HPO licence: free use with acknowledgement; displayed files must state their version",
            "Gargano MA et al. The Human Phenotype Ontology in 2024: phenotypes around the world. Nucleic Acids Res 2024;52:D1333-D1346",
            "2025-01-16",
            5_760,
            1_690,
            vec![
                download(
                    "https://github.com/obophenotype/human-phenotype-ontology/releases/download/v2025-01-16/hp.obo",
                    "2025-01-16",
                    9_870_001,
                ),
                download(
                    "https://github.com/obophenotype/human-phenotype-ontology/releases/download/v2025-01-16/phenotype.hpoa",
                    "2025-01-16",
                    31_001_882,
                ),
            ],
        ),
        pubtator,
        source(
            "literature",
            "Curated publications",
            "https://github.com/berntpopp/kidney-genetics-db",
            "MIT (kidney-genetics-db seed data); gene lists from the cited publications",
            "Gene lists curated from key publications by the Kidney-Genetics project",
            "2025-08-24",
            1_911,
            702,
            vec![download(
                "https://raw.githubusercontent.com/berntpopp/kidney-genetics-db/main/seeds/pub_2019_groopman.json",
                "2025-08-24",
                21_554,
            )],
        ),
        source(
            "diagnostic_panels",
            "Diagnostic lab panels",
            "https://github.com/berntpopp/kidney-genetics-db",
            "MIT (kidney-genetics-db seed data); panel contents from the labs' public pages",
            "Gene lists scraped from commercial diagnostic kidney panels by the Kidney-Genetics project (2025-08-24)",
            "2025-08-24",
            4_410,
            1_301,
            vec![download(
                "https://raw.githubusercontent.com/berntpopp/kidney-genetics-db/main/seeds/natera.json",
                "2025-08-24",
                60_201,
            )],
        ),
    ]
}

/// The hand-written sample: six real genes, nine sources, the default rules.
pub fn site_data() -> SiteData {
    let genes = genes();
    SiteData {
        kgdb_version: "0.1.0".into(),
        build_time: "2026-06-21T03:00:00Z".into(),
        release: "2026.06.21".into(),
        annotation_sources: annotations::sources(&genes),
        genes,
        sources: sources(),
        methods: methods(),
        changes: changes(),
    }
}

/// An illustrative change log: the sample release compared with an invented previous one.
fn changes() -> Vec<crate::changes::ReleaseChanges> {
    use crate::changes::{GeneChange, ReleaseChanges};
    let change =
        |id: &str, sym: &str, tb: Option<&str>, ta: Option<&str>, cb, ca, gained: &[&str]| {
            GeneChange {
                hgnc_id: id.into(),
                symbol: sym.into(),
                tier_before: tb.map(Into::into),
                tier_after: ta.map(Into::into),
                classic_before: cb,
                classic_after: ca,
                sources_gained: gained.iter().map(|s| s.to_string()).collect(),
                sources_lost: vec![],
            }
        };
    vec![
        ReleaseChanges {
            release: "2026.06.21".into(),
            built_at: "2026-06-21T03:00:00Z".into(),
            previous: Some("2026.06.20".into()),
            genes: 6,
            added: vec![change(
                "HGNC:7908",
                "NPHS1",
                None,
                Some("comprehensive_support"),
                None,
                Some(5),
                &["clingen"],
            )],
            removed: vec![],
            changed: vec![change(
                "HGNC:12453",
                "UMOD",
                Some("multi_source_support"),
                Some("comprehensive_support"),
                Some(4),
                Some(5),
                &["hpo"],
            )],
        },
        ReleaseChanges {
            release: "2026.06.20".into(),
            built_at: "2026-06-20T03:00:00Z".into(),
            previous: None,
            genes: 5,
            added: vec![],
            removed: vec![],
            changed: vec![],
        },
    ]
}

/// A small deterministic PRNG (xorshift64*), so the synthetic set needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len() as u64) as usize]
    }
}

/// `n` synthetic genes shaped like the real set: most have a few PubTator PMIDs only, a few
/// hundred have curated evidence, and the first ones are as heavy as the heaviest real genes
/// (PKD1: ~900 PMIDs, a dozen panels, several GenCC submissions and HPO diseases). Names,
/// symbols and aliases vary like HGNC's, so the compressed size of the data is realistic.
pub fn synthetic(n: usize) -> SiteData {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Annotations draw from their own generator, so the evidence is the same as without them.
    let mut arng = Rng(0x2545_F491_4F6C_DD1D);
    let words = [
        "solute",
        "carrier",
        "family",
        "member",
        "collagen",
        "type",
        "alpha",
        "chain",
        "transient",
        "receptor",
        "potential",
        "cation",
        "channel",
        "subfamily",
        "zinc",
        "finger",
        "protein",
        "kinase",
        "domain",
        "containing",
        "coiled-coil",
        "ankyrin",
        "repeat",
        "transmembrane",
        "tetratricopeptide",
        "WD",
        "intraflagellar",
        "transport",
        "nephronophthisis",
        "ciliary",
        "adhesion",
        "molecule",
        "complement",
        "factor",
        "mitochondrial",
        "ribosomal",
        "subunit",
        "dehydrogenase",
        "glycoprotein",
        "regulator",
        "binding",
        "associated",
        "homeobox",
        "transcription",
        "polycystin",
        "laminin",
        "integrin",
        "beta",
        "gamma",
        "sodium",
        "potassium",
        "chloride",
        "voltage-gated",
        "ATPase",
        "phosphatase",
        "synthase",
        "oxidase",
        "like",
        "interacting",
        "nuclear",
    ];
    let letters = b"ABCDEFGHIKLMNPRSTWZ";
    let classes = [
        "Definitive",
        "Strong",
        "Moderate",
        "Limited",
        "Supportive",
        "Disputed Evidence",
    ];
    let submitters = [
        "ClinGen",
        "Genomics England PanelApp",
        "Orphanet",
        "Ambry Genetics",
        "Invitae",
        "Illumina",
        "Labcorp Genetics (formerly Invitae)",
        "Myriad Women's Health",
    ];
    let labs = [
        "Blueprint Genetics",
        "Invitae",
        "Natera",
        "CeGaT",
        "Centogene",
        "MGZ Munich",
        "Prevention Genetics",
        "Fulgent Genetics",
        "GeneDx",
        "MVZ Medicover",
    ];
    let mut genes = Vec::with_capacity(n);
    for i in 0..n {
        let num = 1 + i as u64 * 7 + rng.below(7);
        let sym_len = 3 + rng.below(4) as usize;
        let mut symbol: String = (0..sym_len)
            .map(|_| letters[rng.below(letters.len() as u64) as usize] as char)
            .collect();
        symbol.push_str(&(1 + rng.below(30)).to_string());
        let name_len = 2 + rng.below(6) as usize;
        let mut name: Vec<String> = (0..name_len)
            .map(|_| rng.pick(&words).to_string())
            .collect();
        name.push((1 + rng.below(20)).to_string());
        let aliases: Vec<String> = (0..rng.below(4))
            .map(|k| format!("{}{}", &symbol[..3], k + rng.below(99)))
            .collect();
        let prev: Vec<String> = (0..rng.below(3) / 2)
            .map(|_| format!("C{}orf{}", 1 + rng.below(22), rng.below(200)))
            .collect();
        let mut ev: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut gene = Gene {
            hgnc_id: format!("HGNC:{num}"),
            symbol: symbol.clone(),
            name: name.join(" "),
            location: Some(format!(
                "{}{}{}.{}",
                1 + rng.below(22),
                if rng.below(2) == 0 { "p" } else { "q" },
                1 + rng.below(3),
                1 + rng.below(35)
            )),
            locus_group: Some("protein-coding gene".into()),
            locus_type: Some("gene with protein product".into()),
            alias_symbols: aliases,
            prev_symbols: prev,
            entrez_id: Some((1000 + num * 3).to_string()),
            ensembl_gene_id: Some(format!("ENSG{:011}", 100_000 + num * 13)),
            omim_ids: if rng.below(3) == 0 {
                vec![(600_000 + num).to_string()]
            } else {
                vec![]
            },
            mane_select: vec![
                format!("ENST{:011}", 200_000 + num),
                format!("NM_{:06}", 1_000 + num),
            ],
            percentage: 0.0,
            tier: String::new(),
            group: String::new(),
            source_count: 0,
            classic_count: 0,
            breakdown: Vec::new(),
            evidence: BTreeMap::new(),
            annotations: Default::default(),
        };
        // Heaviness: the first 5 genes are the heaviest; ~8% curated; the rest PubTator only.
        let heavy = i < 5;
        let curated = heavy || rng.below(100) < 8;
        gene.annotations = annotations::synthetic(&mut arng, i, curated, &symbol, num);
        let hgnc = gene.hgnc_id.clone();
        let ncbi = gene.entrez_id.clone().unwrap_or_default();
        let pmids = if heavy {
            900
        } else if curated {
            5 + rng.below(120)
        } else {
            1 + rng.below(6)
        };
        ev.insert(
            "pubtator".into(),
            (0..pmids)
                .map(|k| {
                    let title = (0..8 + rng.below(10))
                        .map(|_| rng.pick(&words))
                        .collect::<Vec<_>>()
                        .join(" ");
                    pubtator(
                        30_000_000 + (rng.below(9_000_000) as u32),
                        &ncbi,
                        &format!("{symbol} {title} ({k})"),
                        rng.pick(&[
                            "Kidney Int",
                            "J Am Soc Nephrol",
                            "Nephrol Dial Transplant",
                            "Pediatr Nephrol",
                            "Am J Kidney Dis",
                        ]),
                        &format!(
                            "{}-{:02}-{:02}",
                            2000 + rng.below(26),
                            1 + rng.below(12),
                            1 + rng.below(28)
                        ),
                        &symbol,
                    )
                })
                .collect(),
        );
        if curated {
            let panels = if heavy { 14 } else { rng.below(6) };
            ev.insert(
                "panelapp".into(),
                (0..panels)
                    .map(|k| {
                        let region = if k % 2 == 0 { "UK" } else { "AU" };
                        let rating = ["green", "amber", "red"][rng.below(3) as usize];
                        panel(
                            region,
                            100 + k as u32 * 13,
                            &format!("{} {} renal disease", rng.pick(&words), rng.pick(&words)),
                            "3.14",
                            &symbol,
                            &hgnc,
                            rating,
                            "BIALLELIC, autosomal or pseudoautosomal",
                            &[&format!(
                                "{} nephropathy {k}, OMIM:6{num:05}",
                                rng.pick(&words)
                            )],
                        )
                    })
                    .collect(),
            );
            let subs = if heavy { 12 } else { rng.below(4) };
            ev.insert(
                "gencc".into(),
                (0..subs)
                    .map(|k| {
                        gencc(
                            &hgnc,
                            submitters[k as usize % submitters.len()],
                            rng.pick(&classes),
                            &format!("{} kidney disease {}", rng.pick(&words), k),
                            &format!("MONDO:{:07}", 8_000 + rng.below(9_000)),
                            "Autosomal recessive",
                            "2022-04-01",
                            &["12345678", "23456789"],
                        )
                    })
                    .collect(),
            );
            if heavy || rng.below(3) == 0 {
                ev.insert(
                    "clingen".into(),
                    vec![clingen(
                        &symbol,
                        &hgnc,
                        &format!("{} related kidney disease", rng.pick(&words)),
                        "MONDO:0004691",
                        "AD",
                        rng.pick(&classes[..5]),
                        "2021-01-01",
                        "Glomerulopathy",
                        &format!("{num:x}-synth"),
                    )],
                );
            }
            let diseases = if heavy { 8 } else { rng.below(3) };
            ev.insert(
                "hpo".into(),
                (0..diseases)
                    .map(|k| {
                        let terms: Vec<(String, String)> =
                            (0..if heavy { 20 } else { 1 + rng.below(6) })
                                .map(|_| {
                                    (
                                        format!("HP:{:07}", 79 + rng.below(9_000)),
                                        format!("{} of the kidney", rng.pick(&words)),
                                    )
                                })
                                .collect();
                        let t: Vec<(&str, &str)> = terms
                            .iter()
                            .map(|(a, b)| (a.as_str(), b.as_str()))
                            .collect();
                        hpo(
                            &format!("OMIM:{}", 600_000 + num * 10 + k),
                            &format!("{} syndrome type {k}", rng.pick(&words)),
                            &t,
                            &ncbi,
                        )
                    })
                    .collect(),
            );
            let pubs = if heavy { 6 } else { rng.below(3) };
            ev.insert(
                "literature".into(),
                (0..pubs)
                    .map(|k| {
                        publication(
                            &format!("pub_{k}"),
                            &format!("Publication list {k}"),
                            &(25_000_000 + k * 11).to_string(),
                            "Genetic causes of chronic kidney disease in a large cohort",
                            "Kidney Int",
                            "2020-01-01",
                            "10.1016/j.kint.2020.01.001",
                            &symbol,
                        )
                    })
                    .collect(),
            );
            let labs_n = if heavy { 10 } else { rng.below(5) };
            ev.insert(
                "diagnostic_panels".into(),
                (0..labs_n)
                    .map(|k| {
                        lab(
                            &format!("lab_{k}"),
                            labs[k as usize % labs.len()],
                            "https://example.org/kidney-panel",
                            &[
                                "Comprehensive kidney disease panel",
                                "Nephrotic syndrome panel",
                            ],
                            &symbol,
                        )
                    })
                    .collect(),
            );
        }
        gene.evidence = evidence(ev.iter().map(|(k, v)| (k.as_str(), v.clone())).collect());
        genes.push(gene);
    }
    let measures: Vec<_> = genes.iter().map(measures_of).collect();
    let methods = methods();
    score(&mut genes, &measures, &methods);
    SiteData {
        kgdb_version: "0.1.0".into(),
        build_time: "2026-06-21T03:00:00Z".into(),
        release: "2026.06.21".into(),
        annotation_sources: annotations::sources(&genes),
        genes,
        sources: sources(),
        methods,
        changes: Vec::new(),
    }
}
