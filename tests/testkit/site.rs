//! Synthetic [`SiteData`] of any size, shaped like the real set, for the page-weight test
//! (`tests/it/site.rs`, 5,000 genes) and `cargo run --example render_synthetic` (e.g. 20,000
//! genes: page weights and build time without the store or the network).
//!
//! Why here and not in `src/`: it is test data, not part of the library. Dev-only targets
//! include it with `#[path = "…/tests/testkit/site.rs"] mod …;`.
//!
//! Nothing is scored by hand: the genes' identities, evidence records (each source's shape,
//! keys as the real records have them) and annotations come from a fixed-seed generator; the
//! measures implied by the records go through the real scorer ([`kgdb::score::score`]) with
//! the settings of `sources.yaml`; the sources, methods and annotation sources are those of
//! the real-pipeline fixture `tests/fixtures/site_data.json` (`just site-fixture`).

use std::collections::BTreeMap;

use kgdb::annotations::clinvar::ClinVar;
use kgdb::annotations::descartes::{CellType, FetalKidney};
use kgdb::annotations::gnomad::Constraint;
use kgdb::annotations::gtex::Expression;
use kgdb::annotations::hpo_phenotypes::{GroupCall, HpoPhenotypes, Syndromic};
use kgdb::annotations::mane::ManeSelect;
use kgdb::annotations::mgi::{Mouse, Ortholog};
use kgdb::annotations::model::Term;
use kgdb::gene_annotations::GeneAnnotations;
use kgdb::registry::Registry;
use kgdb::score::{EvidenceRow, GeneScore, Method, ScoringSettings, round4, score};
use kgdb::site::model::{Gene, SiteData, SourceScore};
use serde_json::{Value, json};

/// The real-pipeline fixture: a few real genes with every source, method and annotation
/// source, as `kgdb build` loads them (regenerate with `just site-fixture`).
pub fn fixture() -> SiteData {
    serde_json::from_str(include_str!("../fixtures/site_data.json"))
        .expect("tests/fixtures/site_data.json is a SiteData (regenerate: just site-fixture)")
}

fn settings() -> ScoringSettings {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sources.yaml");
    Registry::load(path.as_ref())
        .expect("sources.yaml is valid")
        .scoring_settings()
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

/// The `evidence` rows the records imply, as normalization would write them: distinct
/// panels rated green or amber, publications, labs, diseases, PMIDs; for ClinGen and GenCC
/// the number of curations and the best classification.
fn evidence_rows(
    hgnc_id: &str,
    evidence: &BTreeMap<String, Vec<Value>>,
    settings: &ScoringSettings,
) -> Vec<EvidenceRow> {
    evidence
        .iter()
        .filter_map(|(source, records)| {
            let (measure, classification) = match source.as_str() {
                "panelapp" => (
                    records
                        .iter()
                        .filter(|r| r["counted"] == json!(true))
                        .count(),
                    None,
                ),
                "clingen" | "gencc" => {
                    let best = settings
                        .best_classification(
                            records.iter().filter_map(|r| r["classification"].as_str()),
                        )
                        .expect("synthetic classifications are configured");
                    (records.len(), best.map(String::from))
                }
                _ => (records.len(), None),
            };
            (measure > 0).then(|| EvidenceRow {
                hgnc_id: hgnc_id.to_string(),
                source: source.clone(),
                measure: measure as f64,
                classification,
            })
        })
        .collect()
}

/// A gene's breakdown as `kgdb build` lays it out: every considered source in order, those
/// without evidence with measure 0 (titles from the fixture's breakdown).
fn breakdown(
    g: Option<&GeneScore>,
    settings: &ScoringSettings,
    titles: &BTreeMap<String, String>,
    n_of: &BTreeMap<String, u32>,
) -> Vec<SourceScore> {
    settings
        .considered_sources()
        .into_iter()
        .map(|source| {
            let method = match settings.method(source) {
                Method::Percentile => "percentile",
                Method::Classification => "classification",
            };
            let title = titles
                .get(source)
                .cloned()
                .unwrap_or_else(|| source.to_string());
            match g.and_then(|g| g.sources.iter().find(|s| s.source == source)) {
                Some(s) => SourceScore {
                    source: source.to_string(),
                    title,
                    method: method.into(),
                    measure: s.measure,
                    n: u64::from(s.n),
                    rank: s.rank,
                    classification: s.classification.clone(),
                    weight: s.weight,
                    score: round4(s.s),
                    contribution: round4(s.contribution),
                    supported: s.supported,
                    contradicting: s.contradicting,
                    classic: s.classic,
                },
                None => SourceScore {
                    source: source.to_string(),
                    title,
                    method: method.into(),
                    measure: 0.0,
                    n: u64::from(n_of.get(source).copied().unwrap_or(0)),
                    rank: None,
                    classification: None,
                    weight: None,
                    score: 0.0,
                    contribution: 0.0,
                    supported: false,
                    contradicting: false,
                    classic: settings
                        .classic_thresholds
                        .contains_key(source)
                        .then_some(false),
                },
            }
        })
        .collect()
}

/// `n` synthetic genes shaped like the real set: most have a few PubTator PMIDs only, a few
/// hundred have curated evidence, and the first ones are as heavy as the heaviest real genes
/// (PKD1: ~900 PMIDs, a dozen panels, several GenCC submissions and HPO diseases). Names,
/// symbols and aliases vary like HGNC's, so the compressed size of the data is realistic.
pub fn synthetic(n: usize) -> SiteData {
    let template = fixture();
    let settings = settings();
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
    let mut rows = Vec::new();
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
        let identity = json!({
            "hgnc_id": format!("HGNC:{num}"),
            "symbol": symbol.clone(),
            "name": name.join(" "),
            "location": format!(
                "{}{}{}.{}",
                1 + rng.below(22),
                if rng.below(2) == 0 { "p" } else { "q" },
                1 + rng.below(3),
                1 + rng.below(35)
            ),
            "locus_group": "protein-coding gene",
            "locus_type": "gene with protein product",
            "alias_symbols": aliases,
            "prev_symbols": prev,
            "entrez_id": (1000 + num * 3).to_string(),
            "ensembl_gene_id": format!("ENSG{:011}", 100_000 + num * 13),
            "omim_ids": if rng.below(3) == 0 {
                vec![(600_000 + num).to_string()]
            } else {
                vec![]
            },
            "mane_select": [
                format!("ENST{:011}", 200_000 + num),
                format!("NM_{:06}", 1_000 + num),
            ],
        });
        let mut evidence: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        // Heaviness: the first 5 genes are the heaviest; ~8% curated; the rest PubTator only.
        let heavy = i < 5;
        let curated = heavy || rng.below(100) < 8;
        let annotations = synthetic_annotations(&mut arng, i, curated, &symbol, num);
        let hgnc = format!("HGNC:{num}");
        let ncbi = (1000 + num * 3).to_string();
        let pmids = if heavy {
            900
        } else if curated {
            5 + rng.below(120)
        } else {
            1 + rng.below(6)
        };
        evidence.insert(
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
            evidence.insert(
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
            evidence.insert(
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
                evidence.insert(
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
            evidence.insert(
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
            evidence.insert(
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
            evidence.insert(
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
        evidence.retain(|_, v| !v.is_empty());
        rows.extend(evidence_rows(&hgnc, &evidence, &settings));
        genes.push((identity, evidence, annotations));
    }
    let scores = score(&rows, &settings).expect("synthetic evidence scores");
    let by_id: BTreeMap<&str, &GeneScore> =
        scores.iter().map(|g| (g.hgnc_id.as_str(), g)).collect();
    let mut n_of: BTreeMap<String, u32> = BTreeMap::new();
    for g in &scores {
        for s in &g.sources {
            n_of.entry(s.source.clone()).or_insert(s.n);
        }
    }
    let titles: BTreeMap<String, String> = template
        .genes
        .iter()
        .flat_map(|g| &g.breakdown)
        .map(|b| (b.source.clone(), b.title.clone()))
        .collect();
    let genes: Vec<Gene> = genes
        .into_iter()
        .map(|(identity, evidence, annotations)| {
            let mut v = identity;
            v["evidence"] = json!(evidence);
            v["annotations"] = json!(annotations);
            let id = v["hgnc_id"].as_str().unwrap_or_default().to_string();
            let g = by_id.get(id.as_str()).copied();
            v["breakdown"] = json!(breakdown(g, &settings, &titles, &n_of));
            v["percentage"] = json!(g.map_or(0.0, |g| round4(g.percentage)));
            v["tier"] = json!(g.map_or(settings.default_tier.as_str(), |g| g.tier.as_str()));
            v["group"] = json!(g.map_or(settings.default_group.as_str(), |g| g.group.as_str()));
            v["source_count"] = json!(g.map_or(0, |g| g.source_count));
            v["classic_count"] = json!(g.map_or(0, |g| g.classic_count));
            serde_json::from_value(v).expect("a synthetic gene is a Gene")
        })
        .collect();
    let mut annotation_sources = template.annotation_sources;
    let pc = genes.len() as u64;
    for a in &mut annotation_sources {
        a.scored_genes = pc;
        a.scored_protein_coding = pc;
        let covered = genes.iter().filter(|g| g.annotations.has(&a.name)).count() as u64;
        a.covered_genes = covered;
        a.covered_protein_coding = covered;
    }
    SiteData {
        kgdb_version: template.kgdb_version,
        build_time: template.build_time,
        release: template.release,
        genes,
        sources: template.sources,
        methods: template.methods,
        changes: Vec::new(),
        annotation_sources,
        curation: Default::default(),
        network: None,
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

fn terms(v: &[(&str, &str)]) -> Vec<Term> {
    v.iter()
        .map(|(id, name)| Term {
            id: id.to_string(),
            name: name.to_string(),
        })
        .collect()
}

fn call(shares: &[(&str, f64)], primary: Option<&str>) -> GroupCall {
    GroupCall {
        shares: shares.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        primary: primary.map(String::from),
    }
}

/// The four syndromic indicator systems with their shares, the score and the call.
fn syndromic(growth: f64, skeletal: f64, neurologic: f64, head_neck: f64, score: f64) -> Syndromic {
    Syndromic {
        shares: [
            ("growth", growth),
            ("skeletal", skeletal),
            ("neurologic", neurologic),
            ("head_neck", head_neck),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect(),
        score,
        is_syndromic: score >= 0.3,
    }
}

/// The six clinical groups, all present (shares of the groups not matched are 0).
fn clinical(nonzero: &[(&str, f64)], primary: Option<&str>) -> GroupCall {
    let mut shares: Vec<(&str, f64)> = [
        "complement",
        "cakut",
        "glomerulopathy",
        "cyst_cilio",
        "tubulopathy",
        "nephrolithiasis",
    ]
    .iter()
    .map(|g| (*g, 0.0))
    .collect();
    for (g, v) in nonzero {
        if let Some(s) = shares.iter_mut().find(|s| s.0 == *g) {
            s.1 = *v;
        }
    }
    call(&shares, primary)
}

fn onset(nonzero: &[(&str, f64)], primary: Option<&str>) -> GroupCall {
    let mut shares: Vec<(&str, f64)> = ["adult", "pediatric", "congenital"]
        .iter()
        .map(|g| (*g, 0.0))
        .collect();
    for (g, v) in nonzero {
        if let Some(s) = shares.iter_mut().find(|s| s.0 == *g) {
            s.1 = *v;
        }
    }
    call(&shares, primary)
}

fn descartes(cells: &[(&str, f64, f64)]) -> FetalKidney {
    FetalKidney {
        cell_types: cells
            .iter()
            .map(|(c, tpm, frac)| CellType {
                cell_type: c.to_string(),
                tpm: Some(*tpm),
                fraction_expressing: Some(*frac),
            })
            .collect(),
    }
}

const RENAL_URINARY: (&str, &str) = ("MP:0005367", "renal/urinary system phenotype");

/// Annotations for synthetic gene `i` (of `protein_coding` genes): shaped like the real
/// coverage (constraint, ClinVar, expression, MANE for about 95 %; mouse orthologs 80 %;
/// HPO for about a quarter, more for curated genes; Descartes 85 %), with value
/// distributions like the real files'. The heaviest genes get as many phenotypes as the most
/// annotated real gene (LMNA: 520 in HPO 2025-01-16).
fn synthetic_annotations(
    rng: &mut Rng,
    i: usize,
    curated: bool,
    symbol: &str,
    num: u64,
) -> GeneAnnotations {
    let mut a = GeneAnnotations::default();
    let pct = |rng: &mut Rng, p: u64| rng.below(100) < p;
    let f = |rng: &mut Rng, scale: f64| rng.below(100_000) as f64 / 100_000.0 * scale;
    if pct(rng, 95) {
        let obs = rng.below(80);
        let exp = 5.0 + f(rng, 150.0);
        let oe = obs as f64 / exp;
        a.insert(Constraint {
            // pLI is bimodal upstream: most genes near 0, a quarter near 1.
            pli: Some(
                (match rng.below(100) {
                    0..55 => f(rng, 0.01),
                    55..80 => 0.9 + f(rng, 0.1),
                    _ => f(rng, 1.0),
                } * 10_000.0)
                    .round()
                    / 10_000.0,
            ),
            loeuf: Some(((oe + 0.2) * 1000.0).round() / 1000.0),
            oe_lof: Some((oe * 100_000.0).round() / 100_000.0),
            oe_lof_lower: Some(((oe * 0.6) * 1000.0).round() / 1000.0),
            loeuf_computed: true,
            obs_lof: Some(obs),
            exp_lof: Some((exp * 100.0).round() / 100.0),
            lof_z: Some(((f(rng, 12.0) - 3.0) * 10_000.0).round() / 10_000.0),
            mis_z: Some(((f(rng, 8.0) - 3.0) * 10_000.0).round() / 10_000.0),
            syn_z: Some(((f(rng, 6.0) - 3.0) * 10_000.0).round() / 10_000.0),
            transcript: None,
        });
    }
    if pct(rng, 96) {
        let alleles = rng.below(2500);
        a.insert(ClinVar {
            total_submissions: Some(alleles + rng.below(800)),
            total_alleles: Some(alleles),
            // Most genes have no P/LP allele; the rest a long tail (up to ~1,000).
            pathogenic_alleles: if pct(rng, 40) {
                Some(f(rng, 7.0).exp().floor() as u64)
            } else {
                None
            },
            uncertain_alleles: Some(rng.below(alleles.max(1))),
            conflicting_alleles: Some(rng.below(60)),
            gene_mim_number: Some((600_000 + num).to_string()),
        });
    }
    if pct(rng, 96) {
        // Skewed like real nTPM: mostly single digits, a few in the thousands.
        let k = ((f(rng, 9.0) - 2.3).exp() * 10.0).round() / 10.0;
        a.insert(Expression {
            kidney_ntpm: Some(k),
            kidney_rank: Some(1 + rng.below(29) as usize),
            tissue_count: 29,
            top_tissue: Some(
                ["kidney", "liver", "testis", "brain median", "pancreas"][rng.below(5) as usize]
                    .into(),
            ),
            top_ntpm: Some(k + (f(rng, 200.0) * 10.0).round() / 10.0),
        });
    }
    if pct(rng, 85) {
        a.insert(descartes(&[
            ("metanephric", (f(rng, 200.0) * 100.0).round() / 100.0, 0.05),
            ("stromal", (f(rng, 100.0) * 100.0).round() / 100.0, 0.02),
        ]));
    }
    if pct(rng, 80) {
        let kidney = pct(rng, if curated { 60 } else { 12 });
        let mut mouse_symbol = symbol.to_lowercase();
        if let Some(c) = mouse_symbol.get(..1) {
            mouse_symbol = format!("{}{}", c.to_uppercase(), &mouse_symbol[1..]);
        }
        a.insert(Mouse {
            orthologs: vec![Ortholog {
                symbol: mouse_symbol,
                mgi_id: format!("MGI:{}", 1_000_000 + num),
            }],
            phenotype_count: rng.below(28) as usize,
            kidney_phenotypes: if kidney {
                terms(&[RENAL_URINARY])
            } else {
                Vec::new()
            },
        });
    }
    if pct(rng, 96) {
        a.insert(ManeSelect {
            refseq_transcript: format!("NM_{:06}.{}", 1_000 + num, 1 + rng.below(5)),
            refseq_protein: Some(format!("NP_{:06}.{}", 1_000 + num, 1 + rng.below(5))),
            ensembl_transcript: format!("ENST{:011}.{}", 200_000 + num, 1 + rng.below(12)),
            ensembl_protein: Some(format!("ENSP{:011}.{}", 200_000 + num, 1 + rng.below(12))),
            plus_clinical: Vec::new(),
            grch38: None,
        });
    }
    let heavy = i < 5;
    if heavy || pct(rng, if curated { 70 } else { 20 }) {
        let n = if heavy {
            500
        } else {
            3 + rng.below(60) as usize
        };
        let phen: Vec<Term> = (0..n)
            .map(|k| Term {
                id: format!("HP:{:07}", 100 + k * 37 + rng.below(30) as usize),
                name: format!(
                    "Abnormality of the {} {}",
                    ["kidney", "ear", "skeleton", "brain", "heart", "eye"][rng.below(6) as usize],
                    k
                ),
            })
            .collect();
        let kidney: Vec<Term> = phen.iter().step_by(3).cloned().collect();
        let groups = [
            "complement",
            "cakut",
            "glomerulopathy",
            "cyst_cilio",
            "tubulopathy",
            "nephrolithiasis",
        ];
        let g = groups[rng.below(6) as usize];
        let o = ["adult", "pediatric", "congenital"][rng.below(3) as usize];
        let share = |rng: &mut Rng| (f(rng, 0.3) * 10_000.0).round() / 10_000.0;
        let (gr, sk, ne, hn) = (share(rng), share(rng), share(rng), share(rng));
        let score = ((gr + sk + ne + hn) * 0.8 * 10_000.0).round() / 10_000.0;
        a.insert(HpoPhenotypes {
            diseases: (0..1 + rng.below(if heavy { 12 } else { 3 }))
                .map(|k| Term {
                    id: format!("OMIM:{}", 600_000 + num * 10 + k),
                    name: format!("{symbol} related disorder type {k}"),
                })
                .collect(),
            kidney_phenotypes: kidney,
            phenotypes: phen,
            clinical_group: clinical(&[(g, 1.0)], Some(g)),
            onset_group: onset(&[(o, 1.0)], Some(o)),
            syndromic: syndromic(gr, sk, ne, hn, score.min(1.0)),
        });
    }
    a
}
