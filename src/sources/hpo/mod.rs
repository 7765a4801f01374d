//! HPO: genes of diseases that the Human Phenotype Ontology annotates with a kidney phenotype.
//!
//! Why: HPO's curated disease annotations link a disease to its phenotypes, and its
//! gene-disease table links diseases to genes, so "genes of kidney diseases" can be read
//! offline from three release files. The predecessor asked the HPO API once per kidney term
//! and counted kidney *terms* per gene (reference-behaviour §1.5, §10), with a syndromic
//! assessment that was always empty; kgdb stages *diseases* (SCORING.md: the measure is
//! the number of distinct kidney diseases of a gene) and computes everything from the files
//! of one release, whose version it records.
//!
//! Requests (`sources.hpo` in sources.yaml), each a GitHub "latest release" URL that redirects
//! to `…/releases/download/v<release>/<file>`:
//! - `obo_url`: `hp.obo`, parsed by [`obo`]: the `is_a` closure of `kidney_root_terms`
//!   (roots included) is the set of kidney terms; `alt_id`s and obsolete terms with
//!   `replaced_by` are mapped to their current term when annotations are read.
//! - `hpoa_url`: `phenotype.hpoa`. A disease whose id prefix is in `disease_prefixes`
//!   (OMIM, ORPHA) is a kidney disease when it has at least one phenotype annotation
//!   (aspect `P`) to a kidney term that is not qualified `NOT`.
//! - `genes_to_disease_url`: `genes_to_disease.txt`, the gene of each disease.
//!
//! The release (`2025-01-16`) is read from the final URL of each file, from the OBO header
//! `data-version` and the hpoa header `#version`; all that are present must agree, else the
//! fetch fails (the files of two releases are never mixed). It is recorded on each download
//! and as the source's upstream version (HPO's licence asks displays to state it).
//!
//! Staged: one row per (kidney disease, gene) of genes_to_disease, record key
//! `{disease_id}/{ncbi_gene_id}` (e.g. `OMIM:256300/4868`), reported NCBI Gene id and
//! symbol as HPO gives them. `details`:
//! - `disease_id` (`OMIM:256300`), `disease_name` (from phenotype.hpoa),
//! - `association_type` (`MENDELIAN`, `POLYGENIC`, `UNKNOWN`), `association_source` (where HPO
//!   took the gene-disease link from; may be null),
//! - `kidney_terms`: `[{id, name}]`, the disease's non-NOT kidney phenotypes (current ids,
//!   sorted by id),
//! - `hpo_version` (`2025-01-16`).

pub mod obo;
pub mod tables;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
#[cfg(test)]
use serde_json::json;
use serde_saphyr::Spanned;

use super::view::{
    Cell, ROWS_SHOWN, clean, curie_url, cut, join, label, link, plural, styled, text,
};
use super::{
    Contribution, EvidenceSource, Fetched, GeneSection, Method, ParseProblem, ScoringSource,
    SectionContext, SourceError, Staged, StagedRow, StoredRecord,
};
use crate::config::{Config, Problem, RawCommon, is_hpo_id};
use crate::sources::session::Session;
use obo::Ontology;
use tables::{Annotation, GeneDisease};

/// Kidney phenotypes shown per disease on a gene page.
pub const TERMS_SHOWN: usize = 12;

crate::source_settings! {
    /// `sources.hpo` in `sources.yaml`.
    pub struct Settings {
        pub obo_url: Spanned<String>,
        pub hpoa_url: Spanned<String>,
        pub genes_to_disease_url: Spanned<String>,
        /// A disease is a kidney disease when annotated to one of these terms or a descendant.
        pub kidney_root_terms: Spanned<Vec<String>>,
        /// Disease id prefixes kept (OMIM, ORPHA), without the colon.
        pub disease_prefixes: Spanned<Vec<String>>,
    }
}

/// A phenotype term: id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRef {
    pub id: String,
    pub name: String,
}

/// One (kidney disease, gene) pair: the `details` of a staged row (see the module docs).
///
/// Read leniently (a field missing from an older stored record takes its default), written
/// in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// `OMIM:256300`, `ORPHA:…`.
    pub disease_id: String,
    pub disease_name: Option<String>,
    /// `MENDELIAN`, `POLYGENIC`, `UNKNOWN`.
    pub association_type: Option<String>,
    /// Where HPO took the gene-disease link from; may be null.
    pub association_source: Option<String>,
    /// The disease's non-NOT kidney phenotypes (current ids, sorted by id).
    #[serde(default)]
    pub kidney_terms: Vec<TermRef>,
    pub hpo_version: Option<String>,
}

/// HPO as configured: three release files, the kidney root terms.
pub struct Hpo {
    name: &'static str,
    settings: Settings,
}

/// The registry's constructor: read and validate `sources.<name>`.
pub fn load(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.obo_url, &format!("{k}.obo_url"));
            c.url(&s.hpoa_url, &format!("{k}.hpoa_url"));
            c.url(
                &s.genes_to_disease_url,
                &format!("{k}.genes_to_disease_url"),
            );
            c.non_empty_list(&s.kidney_root_terms, &format!("{k}.kidney_root_terms"));
            for t in &s.kidney_root_terms.value {
                if !is_hpo_id(t) {
                    c.push(
                        &s.kidney_root_terms,
                        format!("{k}.kidney_root_terms"),
                        format!("`{t}` is not an HPO term id (HP:0000000)"),
                    );
                }
            }
            c.non_empty_list(&s.disease_prefixes, &format!("{k}.disease_prefixes"));
            for p in &s.disease_prefixes.value {
                if p.contains(':') || p.contains(char::is_whitespace) {
                    c.push(
                        &s.disease_prefixes,
                        format!("{k}.disease_prefixes"),
                        format!(
                            "`{p}` is not a disease id prefix (e.g. OMIM, ORPHA, without the colon)"
                        ),
                    );
                }
            }
        },
        |settings| Box::new(Hpo { name, settings }),
    )
}

impl EvidenceSource for Hpo {
    fn name(&self) -> &str {
        self.name
    }

    fn common(&self) -> RawCommon<'_> {
        self.settings.common()
    }

    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Fetched, SourceError>> {
        Box::pin(async move { fetch(session, &self.settings).await.map(Fetched::Staged) })
    }

    fn selection(&self) -> Vec<String> {
        let s = &self.settings;
        vec![
            format!(
                "Diseases ({}) with at least one phenotype annotation, not qualified NOT, to {} or a descendant term.",
                s.disease_prefixes.value.join(", "),
                s.kidney_root_terms.value.join(", ")
            ),
            "Genes linked to those diseases in genes_to_disease.txt.".into(),
        ]
    }

    /// HPO's licence asks every display to state the release it uses.
    fn notice(&self, version: &str) -> Option<String> {
        Some(format!(
            "This service/product uses the Human Phenotype Ontology (version {version})"
        ))
    }

    fn scoring(&self) -> Option<&dyn ScoringSource> {
        Some(self)
    }
}

/// One row of the gene-page table (`templates/sources/hpo.html`).
#[derive(Serialize)]
struct Row {
    disease: Cell,
    association: Cell,
    phenotypes: Cell,
}

impl ScoringSource for Hpo {
    fn scoring_name(&self) -> &str {
        self.name
    }

    fn scoring_title(&self) -> String {
        self.settings.title.clone()
    }

    fn short_label(&self) -> &'static str {
        "HPO"
    }

    fn method(&self) -> Method {
        Method::Percentile
    }

    fn measure_text(&self) -> &'static str {
        "distinct diseases (OMIM, ORPHA) of the gene with at least one kidney phenotype (NOT-qualified annotations excluded)"
    }

    /// Each disease counts once.
    fn contribution(
        &self,
        _record_key: &str,
        details: &Value,
    ) -> Result<Contribution, serde_json::Error> {
        let r: Record = super::record(details)?;
        Ok(Contribution {
            key: Some(r.disease_id),
            classification: None,
        })
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "sources/hpo.html",
            include_str!("../../../templates/sources/hpo.html"),
        )
    }

    fn gene_section(
        &self,
        records: &[StoredRecord],
        cx: &SectionContext<'_>,
    ) -> Result<GeneSection, serde_json::Error> {
        let mut notes = Vec::new();
        if let Some(v) = cx.upstream_version.and_then(|v| self.notice(v)) {
            notes.push(format!("{v}."));
        }
        let mut rows = Vec::with_capacity(records.len());
        for details in records {
            let r: Record = details.parse()?;
            let id = r.disease_id.trim().to_string();
            let mut disease = vec![link(id.clone(), curie_url(&id))];
            if let Some(n) = clean(&r.disease_name) {
                disease.push(text(format!(" {n}")));
            }
            let terms: Vec<(String, String)> = r
                .kidney_terms
                .iter()
                .map(|t| (t.id.trim().to_string(), t.name.trim().to_string()))
                .collect();
            let mut phenotypes = join(
                terms
                    .iter()
                    .take(TERMS_SHOWN)
                    .map(|(id, name)| {
                        link(
                            if name.is_empty() {
                                id.clone()
                            } else {
                                name.clone()
                            },
                            curie_url(id),
                        )
                    })
                    .collect(),
                "; ",
            );
            if terms.len() > TERMS_SHOWN {
                phenotypes.push(styled(
                    format!(" (+{} more)", terms.len() - TERMS_SHOWN),
                    "muted",
                ));
            }
            rows.push(Row {
                disease,
                association: vec![text(
                    clean(&r.association_type)
                        .map(|a| label(&a.to_lowercase()))
                        .unwrap_or_default(),
                )],
                phenotypes,
            });
        }
        let (rows, more) = cut(rows, ROWS_SHOWN, &format!("{}.json", cx.stem), "");
        Ok(GeneSection {
            summary: plural(
                records.len(),
                "disease with kidney phenotypes",
                "diseases with kidney phenotypes",
            ),
            notes,
            rows: serde_json::to_value(rows)?,
            more,
        })
    }
}

/// A disease with at least one (non-NOT) kidney phenotype.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KidneyDisease<'a> {
    pub name: &'a str,
    /// Indices into [`Ontology::terms`] of its kidney phenotypes.
    pub terms: BTreeSet<usize>,
}

/// The kidney diseases of one release, with counts for the log.
#[derive(Debug, Clone, Default)]
pub struct Selection<'a> {
    pub diseases: BTreeMap<&'a str, KidneyDisease<'a>>,
    /// Number of kidney terms (descendants of the roots, roots included).
    pub kidney_terms: usize,
    /// Annotations whose HPO id was an alt_id or an obsolete term with a replacement.
    pub remapped: usize,
    /// Annotations whose HPO id is unknown to the ontology (or obsolete without replacement).
    pub unknown: usize,
    /// Diseases whose only kidney annotations are NOT-qualified (not selected).
    pub negated_only: usize,
}

/// Select the kidney diseases from the annotations.
pub fn select_kidney_diseases<'a>(
    ontology: &Ontology,
    annotations: &[Annotation<'a>],
    roots: &[String],
    prefixes: &[String],
) -> Result<Selection<'a>, String> {
    let kidney = ontology.descendants(roots)?;
    let mut sel = Selection {
        kidney_terms: kidney.len(),
        ..Default::default()
    };
    let mut negated: HashSet<&str> = HashSet::new();
    for a in annotations {
        if a.aspect != "P" {
            continue;
        }
        let prefix = a.disease_id.split_once(':').map_or("", |(p, _)| p);
        if !prefixes.iter().any(|p| p == prefix) {
            continue;
        }
        let Some(t) = ontology.resolve(a.hpo_id) else {
            sel.unknown += 1;
            continue;
        };
        if ontology.terms[t].id != a.hpo_id {
            sel.remapped += 1;
        }
        if !kidney.contains(t) {
            continue;
        }
        if a.negated {
            negated.insert(a.disease_id);
            continue;
        }
        sel.diseases
            .entry(a.disease_id)
            .or_insert_with(|| KidneyDisease {
                name: a.disease_name,
                terms: BTreeSet::new(),
            })
            .terms
            .insert(t);
    }
    sel.negated_only = negated
        .iter()
        .filter(|d| !sel.diseases.contains_key(*d))
        .count();
    Ok(sel)
}

/// One staged row per (kidney disease, gene) pair; a pair listed twice is staged once.
pub fn stage_rows(
    ontology: &Ontology,
    selection: &Selection<'_>,
    genes: &[GeneDisease<'_>],
    hpo_version: &str,
) -> Vec<StagedRow> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for g in genes {
        let Some(d) = selection.diseases.get(g.disease_id) else {
            continue;
        };
        let record_key = format!("{}/{}", g.disease_id, g.ncbi_id);
        if !seen.insert(record_key.clone()) {
            continue;
        }
        let mut terms: Vec<&obo::Term> = d.terms.iter().map(|&i| &ontology.terms[i]).collect();
        terms.sort_by(|a, b| a.id.cmp(&b.id));
        let kidney_terms: Vec<TermRef> = terms
            .iter()
            .map(|t| TermRef {
                id: t.id.clone(),
                name: t.name.clone(),
            })
            .collect();
        rows.push(StagedRow {
            record_key,
            reported_symbol: Some(g.symbol.to_string()),
            reported_hgnc_id: None,
            reported_ncbi_id: Some(g.ncbi_id.to_string()),
            reported_ensembl_id: None,
            details: super::details(&Record {
                disease_id: g.disease_id.to_string(),
                disease_name: Some(d.name.to_string()),
                association_type: Some(g.association_type.to_string()),
                association_source: g.source.map(str::to_string),
                kidney_terms,
                hpo_version: Some(hpo_version.to_string()),
            }),
        });
    }
    rows
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The release named in a URL path: the last segment of the form `vYYYY-MM-DD` or
/// `YYYY-MM-DD` (`…/releases/download/v2025-01-16/hp.obo` -> `2025-01-16`).
pub fn release_of_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.split('/')
        .rev()
        .map(|s| s.strip_prefix('v').unwrap_or(s))
        .find(|s| is_date(s))
        .map(str::to_string)
}

/// The release named by a header value: `hp/releases/2025-01-16` or `2025-01-16` ->
/// `2025-01-16`; a value without a date is kept as written.
pub fn release_of_header(value: &str) -> String {
    release_of_url(value).unwrap_or_else(|| value.trim().to_string())
}

/// All stated releases must agree; returns the release. `claims` are (where, release).
pub fn agree_on_release(claims: &[(String, Option<String>)]) -> Result<String, String> {
    let stated: Vec<(&String, &String)> = claims
        .iter()
        .filter_map(|(w, v)| v.as_ref().map(|v| (w, v)))
        .collect();
    let Some((_, first)) = stated.first() else {
        return Err(
            "no HPO release found (neither in the download URLs nor in the file headers)".into(),
        );
    };
    if stated.iter().any(|(_, v)| v != first) {
        let list: Vec<String> = stated.iter().map(|(w, v)| format!("{w}: {v}")).collect();
        return Err(format!(
            "the HPO files come from different releases ({}); not mixing them",
            list.join(", ")
        ));
    }
    Ok((*first).clone())
}

/// Fetch and stage this source.
pub async fn fetch(session: &mut Session<'_>, settings: &Settings) -> Result<Staged, SourceError> {
    let source = session.source.to_string();
    let parse_error = |url: &str, problem: ParseProblem| problem.at_url(&source, url);
    let obo_url = settings.obo_url.value.as_str();
    let hpoa_url = settings.hpoa_url.value.as_str();
    let g2d_url = settings.genes_to_disease_url.value.as_str();
    let obo_file = session.get(obo_url).await?;
    let hpoa_file = session.get(hpoa_url).await?;
    let g2d_file = session.get(g2d_url).await?;
    // The same files, kgdb and configuration as the last good run: the rows (and the
    // companions') would come out the same, so keep them without parsing (the ontology is
    // the bulk of an unchanged night's memory).
    if session.same_as_last_good() {
        let (_, good) = session.store.source_status(&source)?;
        return Ok(Staged {
            upstream_version: good.and_then(|g| g.upstream_version),
            keep_stored: true,
            ..Default::default()
        });
    }

    let started = std::time::Instant::now();
    let ontology = obo::parse(&obo_file.bytes).map_err(|p| parse_error(obo_url, p))?;
    let hpoa = tables::parse_hpoa(&hpoa_file.bytes).map_err(|p| parse_error(hpoa_url, p))?;
    let genes =
        tables::parse_genes_to_disease(&g2d_file.bytes).map_err(|p| parse_error(g2d_url, p))?;

    let version = agree_on_release(&[
        (
            format!("final URL {}", obo_file.final_url),
            release_of_url(&obo_file.final_url),
        ),
        (
            format!("final URL {}", hpoa_file.final_url),
            release_of_url(&hpoa_file.final_url),
        ),
        (
            format!("final URL {}", g2d_file.final_url),
            release_of_url(&g2d_file.final_url),
        ),
        (
            "hp.obo data-version".into(),
            ontology.data_version.as_deref().map(release_of_header),
        ),
        (
            "phenotype.hpoa #version".into(),
            hpoa.version.map(release_of_header),
        ),
    ])
    .map_err(|e| SourceError::unusable(&source, e))?;
    for f in [&obo_file, &hpoa_file, &g2d_file] {
        session.set_version(f.download, version.clone());
    }

    let selection = select_kidney_diseases(
        &ontology,
        &hpoa.annotations,
        &settings.kidney_root_terms.value,
        &settings.disease_prefixes.value,
    )
    .map_err(|e| SourceError::unusable(&source, format!("kidney_root_terms: {e} ({obo_url})")))?;
    let rows = stage_rows(&ontology, &selection, &genes, &version);
    tracing::info!(
        kidney_terms = selection.kidney_terms,
        kidney_diseases = selection.diseases.len(),
        negated_only = selection.negated_only,
        remapped = selection.remapped,
        unknown_terms = selection.unknown,
        rows = rows.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "hpo: release {version}"
    );
    if rows.is_empty() {
        return Err(SourceError::unusable(
            &source,
            format!(
                "no gene of a kidney disease found in release {version} \
                 ({} kidney terms, {} kidney diseases)",
                selection.kidney_terms,
                selection.diseases.len()
            ),
        ));
    }
    // The annotations staged from the same parsed files (read once): the registry's
    // companions of this source.
    let files = Files {
        ontology: &ontology,
        hpoa: &hpoa,
        genes: &genes,
        obo_url,
    };
    let companions = session
        .companions
        .iter()
        .map(|&(name, handed)| {
            let rows = match handed.and_then(|c| c.downcast_ref::<Companion>()) {
                Some(c) => (c.0)(&files),
                None => Err(SourceError::unusable(
                    name,
                    format!("declared a companion of {source} but takes no HPO files"),
                )),
            };
            let rows = rows.map(|rows| rows.into_iter().map(|r| (g2d_file.download, r)).collect());
            (name, rows)
        })
        .collect();
    Ok(Staged {
        rows: rows.into_iter().map(|r| (g2d_file.download, r)).collect(),
        upstream_version: Some(version),
        companions,
        keep_stored: false,
    })
}

/// The parsed release files an annotation staged from them reads (a companion of this
/// source: `companion_of` in [`crate::registry::ANNOTATIONS`]).
pub struct Files<'a> {
    pub ontology: &'a obo::Ontology,
    pub hpoa: &'a tables::Hpoa<'a>,
    pub genes: &'a [tables::GeneDisease<'a>],
    /// The ontology's URL, for messages.
    pub obo_url: &'a str,
}

/// What a companion of this source hands it (through
/// [`crate::annotations::AnnotationSource::companion`]): how to stage its rows from the
/// parsed files.
#[allow(clippy::type_complexity)]
pub struct Companion(
    pub Box<dyn Fn(&Files<'_>) -> Result<Vec<super::StagedRow>, SourceError> + Send + Sync>,
);

#[cfg(test)]
mod tests {
    use super::*;

    fn real(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../shared/data/raw/hpo/{name}.gz",
            env!("CARGO_MANIFEST_DIR")
        );
        crate::fetch::read_maybe_gzip(std::path::Path::new(&path)).unwrap()
    }

    fn prefixes() -> Vec<String> {
        vec!["OMIM".into(), "ORPHA".into()]
    }

    #[test]
    fn real_release_stages_kidney_diseases() {
        let (obo, hpoa, g2d) = (
            real("hp.obo"),
            real("phenotype.hpoa"),
            real("genes_to_disease.txt"),
        );
        let started = std::time::Instant::now();
        let ontology = obo::parse(&obo).unwrap();
        let h = tables::parse_hpoa(&hpoa).unwrap();
        let genes = tables::parse_genes_to_disease(&g2d).unwrap();
        let sel = select_kidney_diseases(
            &ontology,
            &h.annotations,
            &["HP:0010935".into()],
            &prefixes(),
        )
        .unwrap();
        let rows = stage_rows(&ontology, &sel, &genes, "2025-01-16");
        eprintln!("parse + select + stage: {:?}", started.elapsed());

        assert_eq!(sel.kidney_terms, 593);
        // 1,038 OMIM + 916 ORPHA diseases; the 4 DECIPHER ones are not in disease_prefixes.
        assert_eq!(sel.diseases.len(), 1_954);
        assert_eq!(sel.remapped, 0, "this release annotates only current ids");
        assert_eq!(sel.unknown, 0);
        // Kidney annotations only NOT-qualified: ORPHA:488437, ORPHA:79147, ORPHA:440437.
        assert_eq!(sel.negated_only, 3);
        assert!(!sel.diseases.contains_key("ORPHA:79147"));
        assert!(!sel.diseases.contains_key("ORPHA:488437"));
        assert_eq!(rows.len(), 2_300);
        let keys: HashSet<&str> = rows.iter().map(|r| r.record_key.as_str()).collect();
        assert_eq!(keys.len(), rows.len(), "record keys are unique");
        let genes_staged: HashSet<_> = rows.iter().map(|r| &r.reported_ncbi_id).collect();
        assert_eq!(genes_staged.len(), 1_481);

        let nphs1 = rows
            .iter()
            .find(|r| r.record_key == "OMIM:256300/4868")
            .unwrap();
        assert_eq!(nphs1.reported_symbol.as_deref(), Some("NPHS1"));
        assert_eq!(nphs1.reported_ncbi_id.as_deref(), Some("4868"));
        let d = &nphs1.details.value();
        assert_eq!(d["disease_name"], "Nephrotic syndrome, type 1");
        assert_eq!(d["association_type"], "MENDELIAN");
        assert_eq!(d["hpo_version"], "2025-01-16");
        assert!(
            d["association_source"]
                .as_str()
                .unwrap()
                .ends_with("mim2gene_medgen")
        );
        let terms = d["kidney_terms"].as_array().unwrap();
        assert_eq!(
            terms[0],
            json!({"id": "HP:0000083", "name": "Renal insufficiency"})
        );
        assert!(
            terms
                .iter()
                .any(|t| t["id"] == "HP:0000100" && t["name"] == "Nephrotic syndrome")
        );
        let ids: Vec<&str> = terms.iter().map(|t| t["id"].as_str().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted: {ids:?}");

        let pkd1: Vec<String> = rows
            .iter()
            .filter(|r| r.reported_symbol.as_deref() == Some("PKD1"))
            .map(|r| {
                r.details.value()["disease_name"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert!(
            pkd1.contains(&"Autosomal dominant polycystic kidney disease".to_string()),
            "{pkd1:?}"
        );
        assert!(
            rows.iter().any(|r| r.record_key == "ORPHA:730/5310"
                && r.details.value()["kidney_terms"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["id"] == "HP:0000107" && t["name"] == "Renal cyst")),
            "ADPKD is annotated with Renal cyst"
        );
    }

    // Made-up annotations on a small ontology (real ids and names, made-up alt_id and
    // obsolete term), shaped like real hpoa rows: a kidney disease, a NOT-only one, one via an alt_id, one via an obsolete term.
    const OBO: &str = "format-version: 1.2\ndata-version: hp/releases/2025-01-16\n\
[Term]\nid: HP:0000001\nname: All\n\
[Term]\nid: HP:0000077\nname: Abnormality of the kidney\nalt_id: HP:0004742\nis_a: HP:0000001\n\
[Term]\nid: HP:0000107\nname: Renal cyst\nis_a: HP:0000077\n\
[Term]\nid: HP:0001250\nname: Seizure\nis_a: HP:0000001\n\
[Term]\nid: HP:9999998\nname: obsolete kidney thing\nis_obsolete: true\nreplaced_by: HP:0000107\n";

    fn ann<'a>(d: &'a str, hpo: &'a str, negated: bool, aspect: &'a str) -> Annotation<'a> {
        Annotation {
            disease_id: d,
            disease_name: "name of disease",
            negated,
            hpo_id: hpo,
            aspect,
        }
    }

    #[test]
    fn not_only_alt_ids_obsolete_terms_and_prefixes() {
        let o = obo::parse(OBO.as_bytes()).unwrap();
        let anns = [
            ann("OMIM:1", "HP:0000107", false, "P"),
            ann("OMIM:1", "HP:0001250", false, "P"),
            ann("OMIM:2", "HP:0000107", true, "P"), // NOT only
            ann("OMIM:2", "HP:0001250", false, "P"),
            ann("ORPHA:3", "HP:0004742", false, "P"), // alt_id of HP:0000077
            ann("ORPHA:4", "HP:9999998", false, "P"), // obsolete -> HP:0000107
            ann("DECIPHER:5", "HP:0000107", false, "P"), // prefix not selected
            ann("OMIM:6", "HP:0000107", false, "I"),  // not a phenotype annotation
            ann("OMIM:7", "HP:0000107", true, "P"),   // NOT and a positive one
            ann("OMIM:7", "HP:0000077", false, "P"),
            ann("OMIM:8", "HP:1234567", false, "P"), // unknown id
        ];
        let sel = select_kidney_diseases(&o, &anns, &["HP:0000077".into()], &prefixes()).unwrap();
        let ids: Vec<&str> = sel.diseases.keys().copied().collect();
        assert_eq!(ids, ["OMIM:1", "OMIM:7", "ORPHA:3", "ORPHA:4"]);
        assert_eq!(sel.kidney_terms, 2);
        assert_eq!(sel.negated_only, 1);
        assert_eq!(sel.remapped, 2);
        assert_eq!(sel.unknown, 1);
        let t = |d: &str| -> Vec<&str> {
            sel.diseases[d]
                .terms
                .iter()
                .map(|&i| o.terms[i].id.as_str())
                .collect()
        };
        assert_eq!(t("ORPHA:3"), ["HP:0000077"]);
        assert_eq!(t("ORPHA:4"), ["HP:0000107"]);
        assert_eq!(t("OMIM:7"), ["HP:0000077"], "the NOT term is not listed");

        let genes = [
            GeneDisease {
                ncbi_id: "4868",
                symbol: "NPHS1",
                association_type: "MENDELIAN",
                disease_id: "OMIM:1",
                source: None,
            },
            GeneDisease {
                ncbi_id: "4868",
                symbol: "NPHS1",
                association_type: "MENDELIAN",
                disease_id: "OMIM:1",
                source: None,
            },
            GeneDisease {
                ncbi_id: "5310",
                symbol: "PKD1",
                association_type: "UNKNOWN",
                disease_id: "OMIM:2",
                source: None,
            },
        ];
        let rows = stage_rows(&o, &sel, &genes, "2025-01-16");
        assert_eq!(
            rows.len(),
            1,
            "NOT-only disease dropped, duplicate pair once"
        );
        assert_eq!(rows[0].record_key, "OMIM:1/4868");
        assert_eq!(
            rows[0].details.value()["kidney_terms"],
            json!([{"id": "HP:0000107", "name": "Renal cyst"}])
        );
        assert!(rows[0].details.value()["association_source"].is_null());

        let e = select_kidney_diseases(&o, &anns, &["HP:0000999".into()], &prefixes()).unwrap_err();
        assert!(e.contains("HP:0000999"), "{e}");
    }

    #[test]
    fn releases_from_urls_and_headers() {
        assert_eq!(
            release_of_url(
                "https://github.com/obophenotype/human-phenotype-ontology/releases/download/v2025-01-16/hp.obo"
            )
            .as_deref(),
            Some("2025-01-16")
        );
        assert_eq!(
            release_of_url(
                "https://github.com/obophenotype/human-phenotype-ontology/releases/latest/download/hp.obo"
            ),
            None
        );
        assert_eq!(release_of_header("hp/releases/2025-01-16"), "2025-01-16");
        assert_eq!(release_of_header("2025-01-16"), "2025-01-16");
        assert_eq!(release_of_header(" v1.2 "), "v1.2");

        let claims = |obo: Option<&str>| {
            vec![
                ("url".to_string(), Some("2025-01-16".to_string())),
                ("latest url".to_string(), None),
                ("obo".to_string(), obo.map(str::to_string)),
            ]
        };
        assert_eq!(
            agree_on_release(&claims(Some("2025-01-16"))).unwrap(),
            "2025-01-16"
        );
        let e = agree_on_release(&claims(Some("2024-12-12"))).unwrap_err();
        assert!(
            e.contains("obo: 2024-12-12") && e.contains("url: 2025-01-16"),
            "{e}"
        );
        assert!(agree_on_release(&[("x".into(), None)]).is_err());
    }
}
