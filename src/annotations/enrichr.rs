//! Enrichr gene-set libraries (GMT): GO Biological Process 2023 and KEGG 2021 Human.
//!
//! Why: the network page and the cluster tables test each cluster of the kidney network
//! for over-represented GO BP terms and KEGG pathways. The predecessor asked Enrichr's API
//! at run time; kgdb downloads the libraries once, like any other file, and keeps per gene
//! the terms it belongs to (so the symbols go through the normalizer like every annotation,
//! and the network build turns them back into HGNC gene sets).
//!
//! Format (Enrichr `geneSetLibrary?mode=text&libraryName=…`): one term per line, fields
//! separated by tabs: the term (GO: `Cilium Assembly (GO:0060271)`; KEGG: the pathway
//! name), an empty description, then the gene symbols (some libraries write
//! `SYMBOL,weight`; the weight is dropped); lines may end in a tab.
//!
//! Two registry lines use this module, one per library; each has its own part type (the
//! marker [`Library`] gives its JSON key). KEGG's licence forbids republishing the library:
//! its block sets `redistribute: false`, so its per-gene terms never leave kgdb and only the
//! cluster results (with links to kegg.jp) are shown.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::fetch::{self, Rows, Transfer};
use super::model::{Part, PartKind, PartType, part_of};
use super::view::*;
use super::{AnnotationSource, Body, CsvColumn, GeneSetInfo, PartContext};
use crate::config::{Config, Problem};
use crate::sources::session::Session;
use crate::sources::{ParseProblem, SourceError, Staged, StagedRow, text_of};

/// One term of a library with its gene symbols (in file order, duplicates removed).
#[derive(Debug, Clone, PartialEq)]
pub struct GmtTerm {
    pub line: u64,
    pub term: String,
    pub genes: Vec<String>,
}

/// Parse a GMT library.
pub fn parse(bytes: &[u8]) -> Result<Vec<GmtTerm>, ParseProblem> {
    let text = text_of(bytes, "Enrichr GMT library")?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let mut f = raw.split('\t');
        let term = f.next().unwrap_or_default().trim();
        if term.is_empty() {
            return Err(ParseProblem::at(line, "empty term name"));
        }
        if f.next().is_none() {
            return Err(ParseProblem::at(
                line,
                "not a GMT line (term, description, genes separated by tabs)",
            ));
        }
        let mut genes: Vec<String> = Vec::new();
        for g in f {
            let g = g.split(',').next().unwrap_or_default().trim();
            if !g.is_empty() && !genes.iter().any(|x| x == g) {
                genes.push(g.to_string());
            }
        }
        if genes.is_empty() {
            return Err(ParseProblem::at(
                line,
                format!("term `{term}` has no genes"),
            ));
        }
        out.push(GmtTerm {
            line,
            term: term.to_string(),
            genes,
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("GMT library has no terms"));
    }
    Ok(out)
}

/// A GO term as Enrichr writes it → (id, name): `Cilium Assembly (GO:0060271)` →
/// (`GO:0060271`, `Cilium Assembly`). A term without an id in brackets is its own id.
pub fn split_term(term: &str) -> (String, String) {
    if let Some(open) = term.rfind(" (")
        && let Some(id) = term[open + 2..].strip_suffix(')')
        && id.contains(':')
    {
        return (id.to_string(), term[..open].to_string());
    }
    (term.to_string(), term.to_string())
}

/// One row per gene symbol: the terms it belongs to, in file order.
pub fn stage<L: Library>(terms: &[GmtTerm]) -> Vec<StagedRow> {
    let mut by: BTreeMap<&str, (u64, Vec<String>)> = BTreeMap::new();
    for t in terms {
        for g in &t.genes {
            let e = by.entry(g.as_str()).or_insert((t.line, Vec::new()));
            e.1.push(t.term.clone());
        }
    }
    let mut rows = Rows::new();
    for (symbol, (line, terms)) in by {
        let part = GeneSetTerms::<L> {
            terms,
            library: PhantomData,
        };
        rows.push(
            symbol.to_string(),
            line,
            Some(symbol),
            None,
            None,
            None,
            &part,
        );
    }
    rows.rows()
}

// ---------------------------------------------------------------------------------------
// The two libraries.

/// What distinguishes the libraries: JSON key, enrichment key, heading, term links.
pub trait Library: Clone + std::fmt::Debug + PartialEq + Default + Send + Sync + 'static {
    /// The part's JSON key (also the enrichment tables' key).
    const KEY: &'static str;
    const HEADING: &'static str;
    /// The page of a term, from its id.
    fn term_url(id: &str) -> String;
    /// The network page's on-demand script of the library (file, variable).
    const SCRIPT: Option<(&'static str, &'static str)>;
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoBp;

impl Library for GoBp {
    const KEY: &'static str = "go_bp";
    const HEADING: &'static str = "GO biological processes (Enrichr GO_Biological_Process_2023)";
    const SCRIPT: Option<(&'static str, &'static str)> =
        Some(("genesets-go.js", "KGDB_GENESETS_GO"));
    fn term_url(id: &str) -> String {
        format!("https://amigo.geneontology.org/amigo/term/{id}")
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kegg;

impl Library for Kegg {
    const KEY: &'static str = "kegg";
    const HEADING: &'static str = "KEGG pathways (Enrichr KEGG_2021_Human)";
    /// Never shipped (licence).
    const SCRIPT: Option<(&'static str, &'static str)> = None;
    fn term_url(id: &str) -> String {
        let q: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
        format!("https://www.kegg.jp/kegg-bin/search_pathway_text?map=hsa&keyword={q}&mode=1")
    }
}

/// A gene's terms in one library.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct GeneSetTerms<L: Library> {
    /// Terms as the library writes them.
    pub terms: Vec<String>,
    #[serde(skip)]
    pub library: PhantomData<L>,
}

impl<L: Library> PartType for GeneSetTerms<L> {
    const KEY: &'static str = L::KEY;
}

crate::annotation_settings! {
    pub struct Settings {
        pub url: Spanned<String>,
    }
}

/// Builds the GO BP library from its block.
pub fn load(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    load_as::<GoBp>(name, config)
}

/// Builds the KEGG library from its block.
pub fn load_kegg(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    load_as::<Kegg>(name, config)
}

fn load_as<L: Library>(
    name: &'static str,
    config: &Config,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.url, &format!("{k}.url"));
            if library_name(&s.url.value).is_none() {
                c.push(
                    &s.url,
                    format!("{k}.url"),
                    "must name the library (`libraryName=…`)",
                );
            }
        },
        |settings| {
            Box::new(Enrichr::<L> {
                name,
                settings,
                library: PhantomData,
            })
        },
    )
}

pub struct Enrichr<L: Library> {
    name: &'static str,
    settings: Settings,
    library: PhantomData<L>,
}

/// `…geneSetLibrary?mode=text&libraryName=KEGG_2021_Human` → `KEGG_2021_Human`.
pub fn library_name(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    u.query_pairs()
        .find(|(k, _)| k == "libraryName")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

fn version(t: &Transfer<'_>) -> Option<String> {
    library_name(t.url).or_else(|| library_name(t.final_url))
}

fn parse_files<L: Library>(
    source: &str,
    bodies: &[(String, Vec<u8>)],
) -> Result<(Vec<StagedRow>, Option<String>), SourceError> {
    let (url, text) = fetch::file(source, bodies, 0)?;
    let terms = parse(&text).map_err(fetch::at(source, url))?;
    Ok((stage::<L>(&terms), None))
}

impl<L: Library> AnnotationSource for Enrichr<L> {
    crate::annotation_accessors!();

    fn part(&self) -> PartKind {
        PartKind::of::<GeneSetTerms<L>>()
    }

    fn heading(&self) -> &'static str {
        L::HEADING
    }

    fn methods_text(&self) -> Vec<String> {
        vec![format!(
            "The Enrichr library {} (GMT download), inverted to the terms of each gene. \
             Used for the enrichment of the kidney network's clusters{}.",
            library_name(&self.settings.url.value).unwrap_or_default(),
            if self.settings.redistribute {
                ""
            } else {
                "; its licence forbids republishing the library, so only the cluster results \
                 are shown, with links to the pathway pages"
            }
        )]
    }

    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Staged, SourceError>> {
        let urls = vec![self.settings.url.value.clone()];
        Box::pin(fetch::fetch(session, urls, version, parse_files::<L>))
    }

    fn gene_sets(&self) -> Option<GeneSetInfo> {
        Some(GeneSetInfo {
            key: L::KEY,
            library: library_name(&self.settings.url.value).unwrap_or_default(),
            shippable: self.settings.redistribute,
            term_url: Some(L::term_url),
            script: L::SCRIPT,
        })
    }

    fn gene_terms(&self, part: &dyn Part) -> Vec<(String, String)> {
        part_of::<GeneSetTerms<L>>(part)
            .map(|p| p.terms.iter().map(|t| split_term(t)).collect())
            .unwrap_or_default()
    }

    fn gene_line(&self, part: &dyn Part) -> Option<String> {
        let p = part_of::<GeneSetTerms<L>>(part)?;
        Some(format!("{:<10} {} terms", L::KEY, p.terms.len()))
    }

    fn csv_columns(&self) -> Vec<CsvColumn> {
        vec![CsvColumn {
            name: L::KEY,
            kind: "list",
            description: "Terms of the gene in the library, separated by |",
            value: |p| of(part_of::<GeneSetTerms<L>>(p), |t| t.terms.join("|")),
        }]
    }

    fn section(&self, part: &dyn Part, cx: &PartContext<'_>) -> Body {
        let mut b = Body::default();
        let Some(p) = part_of::<GeneSetTerms<L>>(part) else {
            return b;
        };
        const SHOWN: usize = 40;
        b.lists.push(TermList {
            label: format!("{} terms", p.terms.len()),
            collapsed: p.terms.len() > 10,
            items: p
                .terms
                .iter()
                .take(SHOWN)
                .map(|t| {
                    let (id, name) = split_term(t);
                    term_cell(&id, &name, Some(L::term_url(&id)))
                })
                .collect(),
            more: more_text(SHOWN.min(p.terms.len()), p.terms.len(), cx.json),
        });
        b
    }

    fn partial(&self) -> (&'static str, &'static str) {
        if L::KEY == Kegg::KEY {
            (
                "annotations/enrichr_kegg.html",
                include_str!("../../templates/annotations/enrichr_kegg.html"),
            )
        } else {
            (
                "annotations/enrichr_go_bp.html",
                include_str!("../../templates/annotations/enrichr_go_bp.html"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotations::test_support::real;
    use proptest::prelude::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/enrichr/go_bp_small.gmt");

    #[test]
    fn fixture_and_term_ids() {
        let t = parse(FIXTURE.as_bytes()).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].term, "Cilium Assembly (GO:0060271)");
        assert_eq!(t[0].genes, ["TMEM67", "RPGRIP1L", "CEP290"]);
        assert_eq!(
            split_term(&t[0].term),
            ("GO:0060271".to_string(), "Cilium Assembly".to_string())
        );
        assert_eq!(
            split_term("ABC transporters"),
            (
                "ABC transporters".to_string(),
                "ABC transporters".to_string()
            )
        );
        let rows = stage::<GoBp>(&t);
        let cep290 = rows
            .iter()
            .find(|r| r.reported_symbol.as_deref() == Some("CEP290"))
            .unwrap();
        let p: GeneSetTerms<GoBp> = serde_json::from_str(cep290.details.json()).unwrap();
        assert_eq!(p.terms.len(), 2);
        assert_eq!(rows.len(), 8);
        assert_eq!(
            library_name("https://maayanlab.cloud/Enrichr/geneSetLibrary?mode=text&libraryName=KEGG_2021_Human").as_deref(),
            Some("KEGG_2021_Human")
        );
    }

    #[test]
    fn real_libraries() {
        let go = parse(&real("../enrichr/GO_Biological_Process_2023.gmt.gz")).unwrap();
        assert_eq!(go.len(), 5_407);
        let cilium = go
            .iter()
            .find(|t| t.term == "Cilium Assembly (GO:0060271)")
            .unwrap();
        assert!(cilium.genes.iter().any(|g| g == "TMEM67"));
        let kegg = parse(&real("../enrichr/KEGG_2021_Human.gmt.gz")).unwrap();
        assert_eq!(kegg.len(), 320);
        assert_eq!(kegg[0].term, "ABC transporters");
        assert!(kegg[0].genes.iter().any(|g| g == "CFTR"));
    }

    #[test]
    fn errors() {
        assert!(parse(b"").is_err());
        assert!(parse(b"only a name\n").unwrap_err().message.contains("GMT"));
        assert!(
            parse(b"term\t\t\t\n")
                .unwrap_err()
                .message
                .contains("no genes")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn written_libraries_read_back(lib in proptest::collection::vec(("[A-Za-z][A-Za-z ]{0,12}", proptest::collection::vec("[A-Z][A-Z0-9]{0,6}", 1..8)), 1..10)) {
            let text: String = lib.iter().map(|(t, g)| format!("{t}\t\t{}\t\n", g.join("\t"))).collect();
            let parsed = parse(text.as_bytes()).unwrap();
            prop_assert_eq!(parsed.len(), lib.len());
            for (p, (t, g)) in parsed.iter().zip(&lib) {
                prop_assert_eq!(&p.term, t.trim());
                let mut want: Vec<&String> = Vec::new();
                for x in g { if !want.contains(&x) { want.push(x); } }
                prop_assert_eq!(p.genes.iter().collect::<Vec<_>>(), want);
            }
        }
    }
}
