//! MGI mouse orthologs and their kidney/urinary phenotypes.
//!
//! Why: a mouse knockout with a renal/urinary phenotype is supporting evidence a curator
//! wants to see next to a candidate kidney gene.
//!
//! Files:
//! - [`parse_hmd`]: `HMD_HumanPhenotype.rpt`, one line per human–mouse ortholog pair:
//!   `Human Marker Symbol, Human Entrez Gene ID, Mouse Marker Symbol, MGI Marker Accession
//!   ID, High-level Mammalian Phenotype IDs` (comma/space separated). The 2024-12 and
//!   2026-05 releases have **no header** (and a trailing tab, i.e. an empty 6th field); some
//!   older releases start with a header line naming these columns. With a header, columns
//!   are found by name; without one, by position, and every line is checked for shape
//!   (numeric Entrez id, `MGI:` accession, `MP:` ids) so a different table is refused.
//! - [`parse_voc`]: `VOC_MammalianPhenotype.rpt`, header-less `MP id, term name,
//!   definition` (no hierarchy).
//! - [`parse_kidney_terms`]: the kgdb list of 661 MP ids (MP:0005367 "renal/urinary system
//!   phenotype" and its descendants), a JSON array of strings.
//! - [`kidney_phenotypes`] joins them: per human gene, its mouse orthologs and the MP terms
//!   (with names) that are in the kidney set.
//!
//! Note: HMD lists only *high-level* MP ids, so the kidney terms found this way are mostly
//! MP:0005367 itself; genotype-level terms need `MGI_PhenoGenoMP.rpt` (not held).
//!
//! Key: human Entrez Gene id (NCBI) plus human symbol; no HGNC id in the file.

use crate::sources::{ParseProblem, text_of};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One human–mouse ortholog pair with the mouse gene's high-level MP ids.
#[derive(Debug, Clone, PartialEq)]
pub struct HmdRow {
    pub line: u64,
    pub human_symbol: String,
    pub human_entrez: Option<u64>,
    pub mouse_symbol: String,
    /// `MGI:<n>` accession of the mouse gene.
    pub mgi_id: String,
    pub mp_ids: Vec<String>,
}

/// One Mammalian Phenotype term.
#[derive(Debug, Clone, PartialEq)]
pub struct MpTerm {
    pub id: String,
    pub name: String,
    pub definition: Option<String>,
}

/// Per human gene: mouse orthologs and their kidney/urinary MP terms.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneMouseKidney {
    pub human_symbol: String,
    pub human_entrez: Option<u64>,
    /// (mouse symbol, MGI id), in file order.
    pub orthologs: Vec<(String, String)>,
    /// Distinct MP ids over all orthologs.
    pub phenotype_count: usize,
    /// Kidney MP terms (id, name; name `None` if the id is not in the vocabulary), by id.
    pub kidney_terms: Vec<(String, Option<String>)>,
}

impl GeneMouseKidney {
    pub fn has_kidney_phenotype(&self) -> bool {
        !self.kidney_terms.is_empty()
    }
}

const HMD_NAMES: [&str; 5] = [
    "Human Marker Symbol",
    "Human Entrez Gene ID",
    "Mouse Marker Symbol",
    "MGI Marker Accession ID",
    "High-level Mammalian Phenotype ID",
];

/// Parse `HMD_HumanPhenotype.rpt` (with or without a header line).
pub fn parse_hmd(bytes: &[u8]) -> Result<Vec<HmdRow>, ParseProblem> {
    let text = text_of(bytes, "MGI HMD_HumanPhenotype report")?;
    let mut cols: [usize; 5] = [0, 1, 2, 3, 4];
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').map(str::trim).collect();
        if out.is_empty() && fields[0].trim_start_matches('#') == HMD_NAMES[0] {
            for (k, name) in HMD_NAMES.iter().enumerate() {
                cols[k] = fields
                    .iter()
                    .position(|f| f.trim_start_matches('#').starts_with(name))
                    .ok_or_else(|| {
                        ParseProblem::at(line, format!("missing column `{name}` in header"))
                    })?;
            }
            continue;
        }
        let need = cols.iter().copied().max().unwrap_or(0) + 1;
        if fields.len() < need {
            return Err(ParseProblem::at(
                line,
                format!("{} fields, expected at least {need}", fields.len()),
            ));
        }
        let human_symbol = fields[cols[0]].to_string();
        if human_symbol.is_empty() {
            return Err(ParseProblem::at(line, "empty human symbol"));
        }
        let entrez = fields[cols[1]];
        let human_entrez = if entrez.is_empty() {
            None
        } else {
            Some(entrez.parse::<u64>().map_err(|_| {
                ParseProblem::at(line, format!("human Entrez id `{entrez}` is not a number"))
            })?)
        };
        let mgi_id = fields[cols[3]].to_string();
        if !mgi_id.starts_with("MGI:") {
            return Err(ParseProblem::at(
                line,
                format!("`{mgi_id}` is not an MGI: accession"),
            ));
        }
        let mut mp_ids = Vec::new();
        for id in fields[cols[4]].split([',', ' ']).filter(|s| !s.is_empty()) {
            if !id.starts_with("MP:") {
                return Err(ParseProblem::at(line, format!("`{id}` is not an MP: id")));
            }
            mp_ids.push(id.to_string());
        }
        out.push(HmdRow {
            line,
            human_symbol,
            human_entrez,
            mouse_symbol: fields[cols[2]].to_string(),
            mgi_id,
            mp_ids,
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("HMD report has no rows"));
    }
    Ok(out)
}

/// Parse `VOC_MammalianPhenotype.rpt` (`MP id`, name, definition; no header).
pub fn parse_voc(bytes: &[u8]) -> Result<Vec<MpTerm>, ParseProblem> {
    let text = text_of(bytes, "MGI VOC_MammalianPhenotype report")?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let mut f = raw.split('\t').map(str::trim);
        let id = f.next().unwrap_or_default();
        if !id.starts_with("MP:") {
            return Err(ParseProblem::at(line, format!("`{id}` is not an MP: id")));
        }
        let name = f.next().unwrap_or_default();
        if name.is_empty() {
            return Err(ParseProblem::at(line, format!("{id} has no name")));
        }
        let definition = f.next().filter(|d| !d.is_empty()).map(str::to_string);
        out.push(MpTerm {
            id: id.to_string(),
            name: name.to_string(),
            definition,
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("MP vocabulary has no terms"));
    }
    Ok(out)
}

/// Parse the kidney MP id list (JSON array of `MP:` strings).
pub fn parse_kidney_terms(bytes: &[u8]) -> Result<BTreeSet<String>, ParseProblem> {
    let text = text_of(bytes, "JSON array of MP ids")?;
    let ids: Vec<String> = serde_json::from_str(text).map_err(|e| {
        ParseProblem::at(e.line() as u64, format!("not a JSON array of strings: {e}"))
    })?;
    if ids.is_empty() {
        return Err(ParseProblem::whole("kidney MP list is empty"));
    }
    for (n, id) in ids.iter().enumerate() {
        if !id.starts_with("MP:") {
            return Err(ParseProblem::at(
                n as u64 + 1,
                format!("record {}: `{id}` is not an MP: id", n + 1),
            ));
        }
    }
    Ok(ids.into_iter().collect())
}

/// Per human gene (symbol + Entrez id, sorted by symbol): its mouse orthologs and the MP
/// terms of those orthologs that are in `kidney`, named from `voc`.
pub fn kidney_phenotypes(
    hmd: &[HmdRow],
    voc: &[MpTerm],
    kidney: &BTreeSet<String>,
) -> Vec<GeneMouseKidney> {
    let names: HashMap<&str, &str> = voc
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    // (human symbol, Entrez) -> (orthologs, distinct MP ids)
    type Orthologs<'a> = (Vec<(String, String)>, BTreeSet<&'a str>);
    let mut by_gene: BTreeMap<(&str, Option<u64>), Orthologs> = BTreeMap::new();
    for r in hmd {
        let entry = by_gene
            .entry((r.human_symbol.as_str(), r.human_entrez))
            .or_default();
        let pair = (r.mouse_symbol.clone(), r.mgi_id.clone());
        if !entry.0.contains(&pair) {
            entry.0.push(pair);
        }
        entry.1.extend(r.mp_ids.iter().map(String::as_str));
    }
    by_gene
        .into_iter()
        .map(|((symbol, entrez), (orthologs, mps))| GeneMouseKidney {
            human_symbol: symbol.to_string(),
            human_entrez: entrez,
            orthologs,
            phenotype_count: mps.len(),
            kidney_terms: mps
                .iter()
                .filter(|id| kidney.contains(**id))
                .map(|id| (id.to_string(), names.get(id).map(|n| n.to_string())))
                .collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The annotation: settings, requests, typed part, presentation.

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::fetch::{self, Rows, Transfer};
use super::model::{Part, PartKind, PartType, Term, part_of};
use super::view::*;
use super::{AnnotationSource, Body, CsvColumn, PartContext};
use crate::config::{Config, Problem};
use crate::sources::session::Session;
use crate::sources::{SourceError, Staged, StagedRow};

/// A mouse ortholog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ortholog {
    pub symbol: String,
    pub mgi_id: String,
}

/// `mgi`: mouse orthologs and their kidney/urinary phenotypes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mouse {
    pub orthologs: Vec<Ortholog>,
    /// Distinct MP terms of the orthologs.
    pub phenotype_count: usize,
    /// The ones in the kidney/urinary set (under MP:0005367), with names.
    pub kidney_phenotypes: Vec<Term>,
}

impl Mouse {
    pub fn has_kidney_phenotype(&self) -> bool {
        !self.kidney_phenotypes.is_empty()
    }
}

impl PartType for Mouse {
    const KEY: &'static str = "mouse";
}

crate::annotation_settings! {
    pub struct Settings {
        /// `HMD_HumanPhenotype.rpt`: human-mouse orthologs with the mouse MP terms.
        pub orthologs_url: Spanned<String>,
        /// `VOC_MammalianPhenotype.rpt`: MP term names.
        pub vocabulary_url: Spanned<String>,
        /// JSON list of the MP ids under MP:0005367 (renal/urinary system phenotype).
        pub kidney_terms_url: Spanned<String>,
    }
}

pub fn load(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.orthologs_url, &format!("{k}.orthologs_url"));
            c.url(&s.vocabulary_url, &format!("{k}.vocabulary_url"));
            c.url(&s.kidney_terms_url, &format!("{k}.kidney_terms_url"));
        },
        |settings| Box::new(Mgi { name, settings }),
    )
}

pub struct Mgi {
    name: &'static str,
    settings: Settings,
}

/// The release the transfer tells (when the content states none).
fn version(t: &Transfer<'_>) -> Option<String> {
    t.last_modified
        .and_then(fetch::http_date_to_iso)
        .map(|d| format!("as of {d}"))
}

fn parse_files(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError> {
    let (hmd_url, hmd_text) = fetch::file(source, bodies, 0)?;
    let (voc_url, voc_text) = fetch::file(source, bodies, 1)?;
    let (kid_url, kid_text) = fetch::file(source, bodies, 2)?;
    let hmd = parse_hmd(&hmd_text).map_err(fetch::at(source, hmd_url))?;
    let voc = parse_voc(&voc_text).map_err(fetch::at(source, voc_url))?;
    let kidney = parse_kidney_terms(&kid_text).map_err(fetch::at(source, kid_url))?;
    Ok((stage(&kidney_phenotypes(&hmd, &voc, &kidney)), None))
}

fn mp_url(id: &str) -> Option<String> {
    id.strip_prefix("MP:")
        .filter(|n| digits(n))
        .map(|_| format!("https://www.informatics.jax.org/vocab/mp_ontology/{id}"))
}

fn mgi_url(id: &str) -> Option<String> {
    id.strip_prefix("MGI:")
        .filter(|n| digits(n))
        .map(|_| format!("https://www.informatics.jax.org/marker/{id}"))
}

impl AnnotationSource for Mgi {
    crate::annotation_accessors!();

    fn part(&self) -> PartKind {
        PartKind::of::<Mouse>()
    }

    fn heading(&self) -> &'static str {
        "Mouse models (MGI)"
    }

    fn methods_text(&self) -> Vec<String> {
        [
            "Mouse orthologs from MGI's HMD_HumanPhenotype.rpt with the MP terms MGI lists for \
             them; an ortholog has a kidney phenotype when one of those terms is in the \
             661-term set under MP:0005367 (renal/urinary system phenotype). Term names from \
             VOC_MammalianPhenotype.rpt.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Staged, SourceError>> {
        let urls = vec![
            self.settings.orthologs_url.value.clone(),
            self.settings.vocabulary_url.value.clone(),
            self.settings.kidney_terms_url.value.clone(),
        ];
        Box::pin(fetch::fetch(session, urls, version, parse_files))
    }

    fn gene_line(&self, part: &dyn Part) -> Option<String> {
        let m = part_of::<Mouse>(part)?;
        let orthologs: Vec<String> = m
            .orthologs
            .iter()
            .map(|o| format!("{} {}", o.symbol, o.mgi_id))
            .collect();
        Some(format!(
            "MGI        {}; kidney phenotypes {} of {}",
            orthologs.join(", "),
            m.kidney_phenotypes.len(),
            m.phenotype_count
        ))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        vec![
            CsvColumn {
                name: "mgi_orthologs",
                kind: "list",
                description: "Mouse ortholog symbols, separated by |",
                value: |p| {
                    of(part_of::<Mouse>(p), |m| {
                        m.orthologs
                            .iter()
                            .map(|o| o.symbol.as_str())
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                },
            },
            CsvColumn {
                name: "mgi_ids",
                kind: "list",
                description: "Their MGI IDs, separated by |",
                value: |p| {
                    of(part_of::<Mouse>(p), |m| {
                        m.orthologs
                            .iter()
                            .map(|o| o.mgi_id.as_str())
                            .collect::<Vec<_>>()
                            .join("|")
                    })
                },
            },
            CsvColumn {
                name: "mgi_phenotype_count",
                kind: "integer",
                description: "Distinct MP terms of the orthologs",
                value: |p| of(part_of::<Mouse>(p), |m| m.phenotype_count.to_string()),
            },
            CsvColumn {
                name: "mgi_kidney_phenotype",
                kind: "boolean",
                description: "true when an ortholog has a phenotype under MP:0005367 (renal/urinary system phenotype)",
                value: |p| {
                    of(part_of::<Mouse>(p), |m| {
                        m.has_kidney_phenotype().to_string()
                    })
                },
            },
            CsvColumn {
                name: "mgi_kidney_phenotypes",
                kind: "list",
                description: "Those kidney/urinary MP IDs, separated by |",
                value: |p| of(part_of::<Mouse>(p), |m| ids(&m.kidney_phenotypes)),
            },
        ]
    }

    fn table_columns(&self) -> Vec<super::TableColumn> {
        vec![super::TableColumn {
            key: "mouse",
            header: "Mouse kidney",
            title: "A mouse ortholog has a kidney/urinary phenotype (MGI; not part of the score)",
            order: 50,
        }]
    }

    /// `mouse` = 1/0 (an ortholog has a kidney/urinary phenotype).
    fn table_values(&self, parts: &[Option<&dyn Part>]) -> super::TableValues {
        let of = |f: fn(&Mouse) -> serde_json::Value| -> Vec<serde_json::Value> {
            parts
                .iter()
                .map(|p| {
                    p.and_then(part_of::<Mouse>)
                        .map_or(serde_json::Value::Null, f)
                })
                .collect()
        };
        super::TableValues {
            columns: vec![of(|m| {
                serde_json::json!(u8::from(m.has_kidney_phenotype()))
            })],
            lookups: Vec::new(),
        }
    }

    fn section(&self, part: &dyn Part, cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(m) = part_of::<Mouse>(part) else {
            return b;
        };
        b.facts.push(fact(
            if m.orthologs.len() == 1 {
                "Mouse ortholog"
            } else {
                "Mouse orthologs"
            },
            join(
                m.orthologs
                    .iter()
                    .map(|o| link(format!("{} ({})", o.symbol, o.mgi_id), mgi_url(&o.mgi_id)))
                    .collect(),
                ", ",
            ),
        ));
        let k = m.kidney_phenotypes.len();
        b.facts.push(fact(
            "Kidney/urinary phenotype",
            vec![
                styled(if k > 0 { "yes" } else { "no" }, "strong"),
                text(format!(
                    ": {k} of {} phenotypes",
                    thousands(m.phenotype_count as u64)
                )),
            ],
        ));
        if k > 0 {
            b.lists.push(TermList {
                label: "Kidney/urinary phenotypes (MP)".into(),
                collapsed: false,
                items: m
                    .kidney_phenotypes
                    .iter()
                    .take(KIDNEY_SHOWN)
                    .map(|t| term_cell(&t.id, &t.name, mp_url(&t.id)))
                    .collect(),
                more: more_text(KIDNEY_SHOWN, k, cx.json),
            });
        }
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "annotations/mgi.html",
            include_str!("../../templates/annotations/mgi.html"),
        )
    }
}

/// MGI: one row per human gene of the orthology report (key: Entrez id, else symbol).
pub fn stage(genes: &[GeneMouseKidney]) -> Vec<StagedRow> {
    let mut out = Rows::new();
    for (i, g) in genes.iter().enumerate() {
        let part = Mouse {
            orthologs: g
                .orthologs
                .iter()
                .map(|(symbol, mgi_id)| Ortholog {
                    symbol: symbol.clone(),
                    mgi_id: mgi_id.clone(),
                })
                .collect(),
            phenotype_count: g.phenotype_count,
            kidney_phenotypes: g
                .kidney_terms
                .iter()
                .map(|(id, name)| super::model::Term {
                    id: id.clone(),
                    name: name.clone().unwrap_or_default(),
                })
                .collect(),
        };
        let key = g
            .human_entrez
            .map(|n| n.to_string())
            .unwrap_or_else(|| g.human_symbol.clone());
        out.push(
            key,
            i as u64 + 1,
            Some(&g.human_symbol),
            None,
            g.human_entrez,
            None,
            &part,
        );
    }
    out.rows()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::test_support::real;
    use proptest::prelude::*;

    const HMD_2026: &str = "mgi/HMD_HumanPhenotype.2026-05.rpt.gz";
    const HMD_2024: &str = "mgi/HMD_HumanPhenotype.2024-12.rpt.gz";

    #[test]
    fn hmd_both_releases() {
        let new = parse_hmd(&real(HMD_2026)).unwrap();
        let old = parse_hmd(&real(HMD_2024)).unwrap();
        // PROVENANCE.md: 28,880 rows (14,741 with an MP id; MP:0005367 in 2,052 rows)
        // and 29,597 rows for 2024-12.
        assert_eq!(new.len(), 28_880);
        assert_eq!(old.len(), 29_597);
        assert_eq!(new.iter().filter(|r| !r.mp_ids.is_empty()).count(), 14_741);
        assert_eq!(
            new.iter()
                .filter(|r| r.mp_ids.iter().any(|m| m == "MP:0005367"))
                .count(),
            2_052
        );
        // First lines: A1BG 1 A1bg MGI:2152878 (no MP) / A1CF 29974 A1cf MGI:1917115 MP:0005367, ...
        assert_eq!(new[0].human_symbol, "A1BG");
        assert!(new[0].mp_ids.is_empty());
        assert_eq!(new[1].mp_ids[0], "MP:0005367");
        assert_eq!(new[1].mp_ids.len(), 10);
        // PKD1 5310 Pkd1 MGI:97603 with 22 high-level MP ids, same in both releases.
        for rows in [&new, &old] {
            let pkd1 = rows.iter().find(|r| r.human_symbol == "PKD1").unwrap();
            assert_eq!(pkd1.human_entrez, Some(5310));
            assert_eq!(pkd1.mouse_symbol, "Pkd1");
            assert_eq!(pkd1.mgi_id, "MGI:97603");
            assert_eq!(pkd1.mp_ids.len(), 22);
        }
    }

    #[test]
    fn hmd_with_header_line_is_read_by_name() {
        let with_header = "Human Marker Symbol\tHuman Entrez Gene ID\tMouse Marker Symbol\t\
                           MGI Marker Accession ID\tHigh-level Mammalian Phenotype ID (space-delimited)\n\
                           PKD1\t5310\tPkd1\tMGI:97603\tMP:0005367 MP:0010768\n";
        let rows = parse_hmd(with_header.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].mp_ids, ["MP:0005367", "MP:0010768"]);
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn voc_and_kidney_list() {
        let voc = parse_voc(&real("mgi/VOC_MammalianPhenotype.2026-05.rpt.gz")).unwrap();
        // PROVENANCE.md: 15,175 terms, 454 names start with "obsolete".
        assert_eq!(voc.len(), 15_175);
        assert_eq!(
            voc.iter()
                .filter(|t| t.name.starts_with("obsolete"))
                .count(),
            454
        );
        assert_eq!(voc[0].id, "MP:0000001");
        assert_eq!(voc[0].name, "mammalian phenotype");
        let kidney =
            parse_kidney_terms(&real("mgi/mpo_kidney_terms.kgdb-2026-03-15.json")).unwrap();
        // 661 ids including the root MP:0005367; all in VOC 2026-05, none obsolete.
        assert_eq!(kidney.len(), 661);
        assert!(kidney.contains("MP:0005367"));
        let names: HashMap<&str, &str> = voc
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect();
        assert!(kidney.iter().all(|id| {
            names
                .get(id.as_str())
                .is_some_and(|n| !n.starts_with("obsolete"))
        }));
    }

    #[test]
    fn pkd1_mouse_kidney_phenotype() {
        let hmd = parse_hmd(&real(HMD_2026)).unwrap();
        let voc = parse_voc(&real("mgi/VOC_MammalianPhenotype.2026-05.rpt.gz")).unwrap();
        let kidney =
            parse_kidney_terms(&real("mgi/mpo_kidney_terms.kgdb-2026-03-15.json")).unwrap();
        let genes = kidney_phenotypes(&hmd, &voc, &kidney);
        let pkd1 = genes.iter().find(|g| g.human_symbol == "PKD1").unwrap();
        assert_eq!(pkd1.human_entrez, Some(5310));
        assert_eq!(
            pkd1.orthologs,
            [("Pkd1".to_string(), "MGI:97603".to_string())]
        );
        assert_eq!(pkd1.phenotype_count, 22);
        assert!(pkd1.has_kidney_phenotype());
        assert_eq!(
            pkd1.kidney_terms,
            [(
                "MP:0005367".to_string(),
                Some("renal/urinary system phenotype".to_string())
            )]
        );
        // A1BG's ortholog has no MP ids at all.
        let a1bg = genes.iter().find(|g| g.human_symbol == "A1BG").unwrap();
        assert!(!a1bg.has_kidney_phenotype());
        let with_kidney = genes.iter().filter(|g| g.has_kidney_phenotype()).count();
        eprintln!(
            "human genes: {}, with kidney MP: {with_kidney}",
            genes.len()
        );
        // Measured: 19,366 human genes, 2,040 with a kidney MP term (PROVENANCE.md: 2,040).
        assert_eq!(genes.len(), 19_366);
        assert_eq!(with_kidney, 2_040);
    }

    #[test]
    fn errors() {
        // VOC given where HMD is expected: the 4th field is not an MGI accession.
        let e = parse_hmd(&real("mgi/VOC_MammalianPhenotype.2026-05.rpt.gz")).unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse_hmd(b"PKD1\tfive\tPkd1\tMGI:97603\t\n").unwrap_err();
        assert!(e.message.contains("Entrez"), "{e:?}");
        let e = parse_hmd(b"PKD1\t5310\tPkd1\n").unwrap_err();
        assert!(e.message.contains("fields"), "{e:?}");
        let e = parse_hmd(b"Human Marker Symbol\tHuman Entrez Gene ID\nPKD1\t5310\n").unwrap_err();
        assert!(e.message.contains("Mouse Marker Symbol"), "{e:?}");
        assert!(parse_hmd(b"<html>").unwrap_err().message.contains("HTML"));
        assert!(parse_voc(b"").unwrap_err().message.contains("empty"));
        assert!(parse_voc(b"HP:0000001\tAll\n").is_err());
        assert!(parse_kidney_terms(b"{\"ids\": []}").is_err());
        assert!(parse_kidney_terms(b"[]").is_err());
        assert!(parse_kidney_terms(b"[\"HP:0000077\"]").is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse_hmd(&bytes);
            let _ = parse_voc(&bytes);
            let _ = parse_kidney_terms(&bytes);
        }
    }
}
