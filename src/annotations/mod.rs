//! Gene annotations: facts shown next to a gene that do not count as evidence.
//!
//! Why: a curator judging a kidney gene wants its constraint, its ClinVar load, where it is
//! expressed, whether the mouse ortholog has a kidney phenotype and its MANE Select
//! transcript. None of these feed the score (SCORING.md); they are displayed "in their own
//! words" with the upstream version.
//!
//! Each annotation is one module behind [`AnnotationSource`]: its settings and their
//! validation, its requests, its typed *part* (the serde struct stored as a staged row's
//! `details` and shown under its JSON key in a gene's
//! [`crate::gene_annotations::GeneAnnotations`]), its Methods text, its `kgdb gene` line, its download and gene-table columns and its gene-page section (a
//! template partial `templates/annotations/<name>.html`). The registry lists them
//! ([`crate::registry::ANNOTATIONS`]); the rest of kgdb sees annotations only through this
//! trait (`docs/adding-a-source.md`, "Annotations").
//!
//! The parsers are pure (bytes in, rows out; no I/O, no HTTP). Each documents the file it
//! reads, the identifiers it reports (HGNC id when the file has one, else symbol / NCBI Gene
//! / Ensembl id) and the meaning of every field. Columns are found by header NAME; the two
//! header-less MGI reports are checked field by field instead (see [`mgi`]). Missing values
//! (`NA`, `-`, empty) become `None`.

pub mod clinvar;
pub mod descartes;
pub mod enrichr;
pub mod expression;
pub mod fetch;
pub mod gnomad;
pub mod gtex;
pub mod hpo_phenotypes;
pub mod mane;
pub mod mgi;
pub mod model;
pub mod string_ppi;
pub mod view;

use std::any::Any;

use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::config::{Checker, Config, Problem, RawCommon};
use crate::sources::session::Session;
use crate::sources::{ParseProblem, SourceError, Staged};

pub use model::{Part, PartKind, PartType, part_of};
pub use view::{Body, CsvColumn, PartContext, TableColumn, TableValues};

/// One annotation source. Object-safe, so the registry is a plain list; each implementation
/// holds its validated settings.
pub trait AnnotationSource: Send + Sync {
    /// The key of its block under `annotations:` in `sources.yaml` (and its name in the
    /// store and on the site).
    fn name(&self) -> &'static str;
    /// Title, homepage, licence, citation, maximum age.
    fn common(&self) -> RawCommon<'_>;
    /// False when the licence forbids redistribution: the site links to the gene's page
    /// upstream instead of showing values, and downloads leave it out.
    fn redistribute(&self) -> bool;
    /// The configured upstream page of a gene (`{symbol}`, `{hgnc_id}`, `{entrez_id}`,
    /// `{ensembl_gene_id}` are replaced).
    fn gene_link(&self) -> Option<&str>;
    /// The upstream page of a gene when none is configured.
    fn default_gene_link(&self) -> Option<&'static str> {
        None
    }
    /// What its part is: the JSON key in a gene's `annotations` and how to read it.
    fn part(&self) -> PartKind;
    /// The gene-page heading (`Constraint (gnomAD)`).
    fn heading(&self) -> &'static str;
    /// Fetal tissue: the heading says so.
    fn fetal(&self) -> bool {
        false
    }
    /// Lines for Methods: the rule behind its values, from the settings in force.
    fn methods_text(&self) -> Vec<String>;
    /// Download its files and stage one row per gene (a companion, staged by its source
    /// from that source's files, has no fetch of its own).
    fn fetch<'a>(
        &'a self,
        session: &'a mut Session<'_>,
    ) -> LocalBoxFuture<'a, Result<Staged, SourceError>> {
        let name = self.name();
        let _ = session;
        Box::pin(async move {
            Err(SourceError::unusable(
                name,
                "staged by the source it is a companion of, not fetched on its own",
            ))
        })
    }
    /// For a companion: the interface its source stages it through (the source defines the
    /// type and downcasts, see [`crate::sources::hpo::Companion`]).
    fn companion(&self) -> Option<&dyn Any> {
        None
    }
    /// Its line in `kgdb gene` (after the name column), if it has one.
    fn gene_line(&self, _part: &dyn Part) -> Option<String> {
        None
    }
    /// Its columns in annotations.csv / annotations.tsv, in order.
    fn csv_columns(&self) -> Vec<CsvColumn> {
        Vec::new()
    }
    /// Its optional columns of the gene table.
    fn table_columns(&self) -> Vec<TableColumn> {
        Vec::new()
    }
    /// The values of [`AnnotationSource::table_columns`] for every gene (its part or
    /// `None`, in gene order), with the lookup tables they index into.
    fn table_values(&self, _parts: &[Option<&dyn Part>]) -> TableValues {
        TableValues::default()
    }
    /// Its gene-page section (the values its partial lays out) from the gene's part.
    fn section(&self, part: &dyn Part, cx: &PartContext<'_>) -> Body;
    /// The gene-page partial: (template name, template source), embedded in the binary.
    fn partial(&self) -> (&'static str, &'static str);
    /// The GRCh38 span of the gene's reference transcript, when this annotation gives one
    /// (the gene table's BED export of the current view).
    fn transcript_span(&self, _part: &dyn Part) -> Option<GenomicSpan> {
        None
    }
    /// What [`AnnotationSource::transcript_span`] gives, named for a BED file's header (e.g.
    /// `MANE Select v1.5 transcript spans`), and the configured padding in bases on each side.
    fn span_export(&self) -> Option<(&'static str, u64)> {
        None
    }

    // ----- The build-time network ([`crate::network`]) reads annotations through these.

    /// An interaction annotation: the settings of the network built from it.
    fn network_settings(&self) -> Option<crate::network::Settings> {
        None
    }
    /// An interaction annotation: the gene's protein (its name in the file) and its
    /// partners (their names, with the combined score when the file has one).
    fn interactions<'a>(&self, _part: &'a dyn Part) -> Option<Interactions<'a>> {
        None
    }
    /// An interaction annotation: the part the gene page and downloads show once the gene's
    /// place in the network is known (`None`: not in the kidney network).
    fn with_network(
        &self,
        _part: &dyn Part,
        _ppi: Option<&crate::network::GenePpi>,
    ) -> Option<Box<dyn Part>> {
        None
    }
    /// A gene-set library: what it is, for the cluster enrichment tables.
    fn gene_sets(&self) -> Option<GeneSetInfo> {
        None
    }
    /// A gene-set library: the gene's terms as (id, name).
    fn gene_terms(&self, _part: &dyn Part) -> Vec<(String, String)> {
        Vec::new()
    }
    /// The classes a network node is coloured by (clinical group, onset group, syndromic).
    fn node_classes(&self, _part: &dyn Part) -> Option<NodeClasses> {
        None
    }
}

/// A span on GRCh38: a UCSC-style chromosome name (`chr1`…`chr22`, `chrX`, `chrY`, `chrM`),
/// 1-based inclusive start and end as NCBI files give them, and the strand (`+`/`-`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GenomicSpan {
    pub chrom: String,
    pub start: u64,
    pub end: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strand: Option<String>,
}

/// A GRCh38 RefSeq chromosome accession -> its UCSC name: `NC_000001.11` -> `chr1`,
/// `NC_000023.11` -> `chrX`, `NC_000024.10` -> `chrY`, `NC_012920.1` -> `chrM`; anything
/// else (scaffolds, patches, other assemblies' versions are not checked) -> `None`.
pub fn ucsc_chrom(accession: &str) -> Option<String> {
    let number = accession.split('.').next()?;
    if number == "NC_012920" {
        return Some("chrM".into());
    }
    let digits = number.strip_prefix("NC_")?;
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match digits.parse::<u32>().ok()? {
        n @ 1..=22 => Some(format!("chr{n}")),
        23 => Some("chrX".into()),
        24 => Some("chrY".into()),
        _ => None,
    }
}

/// A gene's interactions as an interaction annotation stores them.
#[derive(Debug, Clone, PartialEq)]
pub struct Interactions<'a> {
    /// The gene's protein name in the file (its partners are named the same way).
    pub name: &'a str,
    pub partners: Vec<(&'a str, Option<u16>)>,
}

/// A gene-set library used for enrichment.
#[derive(Debug, Clone)]
pub struct GeneSetInfo {
    /// `hpo`, `go_bp`, `kegg`: the key of the cluster tables.
    pub key: &'static str,
    /// The library's name (`GO_Biological_Process_2023`).
    pub library: String,
    /// False when its licence forbids shipping the library (KEGG): results only.
    pub shippable: bool,
    /// The page of a term, from its id.
    pub term_url: Option<fn(&str) -> String>,
    /// The on-demand script of the network page holding the library (file under
    /// `network/`, global variable), if it may be shipped.
    pub script: Option<(&'static str, &'static str)>,
}

/// What a network node is coloured by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeClasses {
    pub clinical_group: Option<String>,
    pub onset_group: Option<String>,
    pub syndromic: Option<String>,
}

/// Builds an annotation from its `sources.yaml` block, or says everything wrong with it.
pub type Load =
    fn(name: &'static str, config: &Config) -> Result<Box<dyn AnnotationSource>, Vec<Problem>>;

/// A registry entry: how to build an annotation from its `sources.yaml` block.
pub struct Entry {
    /// The `annotations.<name>` key.
    pub name: &'static str,
    pub load: Load,
    /// What it stores for a gene (its JSON key and part type), known without loading it.
    pub part: PartKind,
    /// The evidence source that stages it from its own files (no fetch of its own).
    pub companion_of: Option<&'static str>,
}

/// Read an annotation's settings block (`annotations.<name>`), or the problem that it is
/// missing.
pub fn settings<T: DeserializeOwned>(config: &Config, name: &str) -> Result<T, Vec<Problem>> {
    match config.block::<T>(&["annotations", name]) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(vec![Problem {
            line: None,
            key: format!("annotations.{name}"),
            message: "missing: every registered annotation needs its block".into(),
        }]),
        Err(p) => Err(vec![p]),
    }
}

/// What every annotation's settings can check of themselves: the common keys (implemented
/// by [`annotation_settings!`]).
pub trait CommonChecks {
    fn check_common(&self, c: &mut Checker, key: &str);
}

/// An annotation's `load`: read its block (`annotations.NAME`), run the common checks
/// ([`check_common`]) and the module's own (`check`, given the block's key, e.g. its URLs and
/// ranges), report every problem at once, and `build` the source from the settings.
pub fn load_block<S: DeserializeOwned + CommonChecks>(
    name: &'static str,
    config: &Config,
    check: impl FnOnce(&S, &mut Checker, &str),
    build: impl FnOnce(S) -> Box<dyn AnnotationSource>,
) -> Result<Box<dyn AnnotationSource>, Vec<Problem>> {
    let settings: S = settings(config, name)?;
    let key = format!("annotations.{name}");
    let mut c = Checker::new();
    settings.check_common(&mut c, &key);
    check(&settings, &mut c, &key);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(build(settings))
}

/// The checks every annotation's block gets: the common keys, `gene_link`, and that a
/// link-only annotation has a link to show.
pub fn check_common(
    c: &mut Checker,
    key: &str,
    common: RawCommon<'_>,
    redistribute: bool,
    gene_link: Option<&serde_saphyr::Spanned<String>>,
) {
    c.common(common, key);
    if let Some(link) = gene_link {
        c.gene_link(link, &format!("{key}.gene_link"));
    }
    if !redistribute && gene_link.is_none() {
        c.problem(
            format!("{key}.gene_link"),
            "an annotation that may not be redistributed needs a gene_link to show instead",
        );
    }
}

/// Declares an annotation's settings: the common source keys plus whether its licence allows
/// redistribution and the upstream page of a gene, and the [`AnnotationSource`] accessors
/// for them.
#[macro_export]
macro_rules! annotation_settings {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $crate::source_settings! {
            $(#[$m])*
            pub struct $name {
                /// False when the licence forbids redistribution: the site links to
                /// `gene_link` instead of showing values, and downloads leave it out.
                #[serde(default = "crate::config::yes")]
                pub redistribute: bool,
                /// The upstream page of a gene; `{symbol}`, `{hgnc_id}`, `{entrez_id}` and
                /// `{ensembl_gene_id}` are replaced.
                pub gene_link: Option<serde_saphyr::Spanned<String>>,
                $($(#[$fm])* pub $f: $t,)*
            }
        }
        impl $crate::annotations::CommonChecks for $name {
            /// The checks every annotation block gets ([`check_common`]).
            fn check_common(&self, c: &mut $crate::config::Checker, key: &str) {
                $crate::annotations::check_common(
                    c,
                    key,
                    self.common(),
                    self.redistribute,
                    self.gene_link.as_ref(),
                );
            }
        }
    };
}

/// The [`AnnotationSource`] accessors of a module whose struct holds `name` and `settings`
/// (declared with [`annotation_settings!`]).
#[macro_export]
macro_rules! annotation_accessors {
    () => {
        fn name(&self) -> &'static str {
            self.name
        }
        fn common(&self) -> $crate::config::RawCommon<'_> {
            self.settings.common()
        }
        fn redistribute(&self) -> bool {
            self.settings.redistribute
        }
        fn gene_link(&self) -> Option<&str> {
            self.settings.gene_link.as_ref().map(|l| l.value.as_str())
        }
    };
}

/// The Methods lines that hold for every annotation.
pub fn common_methods_text() -> Vec<String> {
    [
        "Every annotation file is normalised to HGNC ids like the evidence (HGNC id, then \
         symbol, NCBI Gene or Ensembl id, previous symbol, alias). When several rows of one \
         file resolve to the same gene, the row whose own identifiers agree most with HGNC \
         wins (HGNC id, approved symbol, NCBI Gene id, Ensembl id).",
        "Annotations never change a gene's score.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Serialize a part as the `details` of a staged row.
pub fn details<T: serde::Serialize>(part: &T) -> crate::sources::StoredRecord {
    crate::sources::details(part)
}

/// A delimited table read into memory: header names and data rows with their 1-based line.
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
    /// Line number of the header (for error messages).
    pub header_line: u64,
}

impl Table {
    /// Index of the column called `name`, or a problem naming the missing column.
    pub fn col(&self, name: &str) -> Result<usize, ParseProblem> {
        self.find(name).ok_or_else(|| {
            ParseProblem::at(
                self.header_line,
                format!("missing column `{name}` in header"),
            )
        })
    }

    /// Index of the column called `name`, if any.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Read a comma-separated file with quoted fields (R `write.csv` style); first record = header.
    pub fn csv(text: &str) -> Result<Table, ParseProblem> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut header: Option<(u64, Vec<String>)> = None;
        let mut rows = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let fallback = i as u64 + 1;
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(fallback);
                ParseProblem::at(line, format!("malformed CSV: {e}"))
            })?;
            let line = rec.position().map(|p| p.line()).unwrap_or(fallback);
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let fields: Vec<String> = rec.iter().map(|f| f.trim().to_string()).collect();
            match &header {
                None => header = Some((line, fields)),
                Some((_, h)) => {
                    if fields.len() != h.len() {
                        return Err(ParseProblem::at(
                            line,
                            format!("{} fields, the header has {}", fields.len(), h.len()),
                        ));
                    }
                    rows.push((line, fields));
                }
            }
        }
        let (header_line, header) = header.ok_or_else(|| ParseProblem::whole("no header line"))?;
        Ok(Table {
            header,
            rows,
            header_line,
        })
    }

    /// Read a tab-separated file. Lines starting with `#` before the header are skipped,
    /// except that a `#`-prefixed line whose first field is `first_header_field` IS the
    /// header (ClinVar and MANE write `#Symbol ...` / `#NCBI_GeneID ...`).
    pub fn tsv(text: &str, first_header_field: &str) -> Result<Table, ParseProblem> {
        let mut header: Option<(u64, Vec<String>)> = None;
        let mut rows = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i as u64 + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.trim().is_empty() {
                continue;
            }
            match &header {
                None => {
                    let candidate = raw.trim_start_matches('#');
                    let fields: Vec<String> = candidate
                        .split('\t')
                        .map(|f| f.trim().to_string())
                        .collect();
                    if fields.first().map(String::as_str) == Some(first_header_field) {
                        header = Some((line, fields));
                    } else if !raw.starts_with('#') {
                        return Err(ParseProblem::at(
                            line,
                            format!(
                                "expected a header starting with `{first_header_field}`, found `{}`",
                                raw.chars().take(60).collect::<String>()
                            ),
                        ));
                    }
                }
                Some((_, h)) => {
                    let fields: Vec<String> =
                        raw.split('\t').map(|f| f.trim().to_string()).collect();
                    if fields.len() != h.len() {
                        return Err(ParseProblem::at(
                            line,
                            format!("{} fields, the header has {}", fields.len(), h.len()),
                        ));
                    }
                    rows.push((line, fields));
                }
            }
        }
        let (header_line, header) = header.ok_or_else(|| {
            ParseProblem::whole(format!(
                "no header line starting with `{first_header_field}`"
            ))
        })?;
        Ok(Table {
            header,
            rows,
            header_line,
        })
    }
}

/// True for the spellings upstream files use for "no value".
pub(crate) fn is_missing(s: &str) -> bool {
    matches!(s, "" | "NA" | "-" | "NaN" | "nan" | "null")
}

/// A float field; missing values are `None`, anything else unparsable is a problem.
pub(crate) fn num(s: &str, line: u64, column: &str) -> Result<Option<f64>, ParseProblem> {
    if is_missing(s) {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(ParseProblem::at(
            line,
            format!("column `{column}`: `{s}` is not a number"),
        )),
    }
}

/// A non-negative integer field (counts, NCBI Gene ids); missing values are `None`.
pub(crate) fn count(s: &str, line: u64, column: &str) -> Result<Option<u64>, ParseProblem> {
    if is_missing(s) {
        return Ok(None);
    }
    s.parse::<u64>().map(Some).map_err(|_| {
        ParseProblem::at(
            line,
            format!("column `{column}`: `{s}` is not a whole number"),
        )
    })
}

/// A text field; missing values are `None`.
pub(crate) fn opt_text(s: &str) -> Option<String> {
    if is_missing(s) {
        None
    } else {
        Some(s.to_string())
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    /// Bytes of a real file under /work/shared/data/raw/annotations (gunzipped).
    pub fn real(rel: &str) -> Vec<u8> {
        let path = format!(
            "{}/../shared/data/raw/annotations/{rel}",
            env!("CARGO_MANIFEST_DIR")
        );
        crate::fetch::read_maybe_gzip(std::path::Path::new(&path))
            .unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }
}
