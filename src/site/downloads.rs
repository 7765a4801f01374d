//! The downloads (`downloads/`): genes.json, genes.csv, genes.tsv (one row per gene),
//! evidence.csv (one row per gene and scoring source), annotations.csv, annotations.tsv (one
//! row per gene, the redistributable annotations), a typed copy of each CSV table per
//! [`TableEncoder`] given (genes/evidence/annotations.parquet), datapackage.json (the
//! Frictionless description of them all), manifest.json (provenance and every file's
//! checksum), .zenodo.json and CITATION.cff (how to cite the release) and SHA256SUMS (of the
//! other files, `sha256sum -c` format). The column dictionary shown on downloads/index.html
//! is built from the same column lists that write the files, so the two cannot drift apart.
//! Floats are rounded to 4 decimals (byte-identical rebuilds). Each file is written as soon
//! as it is made, so a build holds one download at a time.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::gene_annotations::GeneAnnotations;
use crate::registry::Registry;

pub use super::files::{Column, FileInfo};
use super::format::thousands;
use super::gene_annotations::shareable;
use super::model::{Gene, SiteData, SourceScore};
use super::schema::{Citation, GeneRow, GeneSummary, SCHEMA_VERSION, rounded};
use super::table::{Table, TableEncoder};
use super::view::SiteView;
use super::{SiteError, Writer, to_json};
pub use crate::sources::view::fnum;

/// The columns of genes.csv / genes.tsv (and the keys of genes.json rows).
pub fn gene_columns(site: &SiteView) -> Vec<Column> {
    let mut c = vec![
        Column::new(
            "hgnc_id",
            "text",
            "HGNC ID, e.g. HGNC:9008; the key of every gene",
        ),
        Column::new("symbol", "text", "Approved HGNC symbol"),
        Column::new("name", "text", "Approved HGNC name"),
        Column::new("location", "text", "Cytogenetic location"),
        Column::new("locus_group", "text", "HGNC locus group"),
        Column::new("locus_type", "text", "HGNC locus type"),
        Column::new("alias_symbols", "list", "Alias symbols, separated by |"),
        Column::new("prev_symbols", "list", "Previous symbols, separated by |"),
        Column::new("entrez_id", "text", "NCBI Gene ID"),
        Column::new("ensembl_gene_id", "text", "Ensembl gene ID (ENSG…)"),
        Column::new("omim_ids", "list", "OMIM gene entries, separated by |"),
        Column::new(
            "mane_select",
            "list",
            "MANE Select transcripts (Ensembl ENST…, RefSeq NM_…), separated by |",
        ),
        Column::new(
            "percentage",
            "number",
            "Harmonized score 0–100: 100 × (sum of the source scores) / N, N = number of scoring sources (see methods.html)",
        ),
        Column::new(
            "tier",
            "text",
            "Evidence tier (first matching rule on methods.html)",
        ),
        Column::new(
            "group",
            "text",
            "Evidence group (first matching rule on methods.html)",
        ),
        Column::new(
            "source_count",
            "integer",
            "Scoring sources with a positive score",
        ),
        Column::new(
            "classic_count",
            "integer",
            "Classic Kidney-Genetics evidence count, 0–5",
        ),
    ];
    for s in &site.scoring {
        let measure = if s.method == "classification" {
            format!(
                "{}: number of kidney curations or submissions (the score uses the best classification)",
                s.title
            )
        } else {
            format!("{}: the measure (count) behind the score", s.title)
        };
        c.push(Column::new(
            format!("{}_measure", s.name),
            "number",
            measure,
        ));
        c.push(Column::new(
            format!("{}_score", s.name),
            "number",
            format!("{}: the source score s in [0, 1]", s.title),
        ));
    }
    c
}

/// The columns of evidence.csv.
pub fn evidence_columns(site: &SiteView) -> Vec<Column> {
    let names: Vec<&str> = site.scoring.iter().map(|s| s.name.as_str()).collect();
    vec![
        Column::new("hgnc_id", "text", "HGNC ID"),
        Column::new("symbol", "text", "Approved HGNC symbol"),
        Column::new(
            "source",
            "text",
            format!("Scoring source ({})", names.join(", ")),
        ),
        Column::new("source_title", "text", "Human title of the source"),
        Column::new(
            "method",
            "text",
            "percentile (count sources) or classification (ClinGen, GenCC)",
        ),
        Column::new(
            "measure",
            "number",
            "Distinct panels, publications, labs, diseases or PMIDs; for classification sources the number of kidney curations",
        ),
        Column::new("n", "integer", "Genes with measure > 0 in this source"),
        Column::new(
            "rank",
            "number",
            "Average 1-based rank of the gene's tie group (percentile sources; empty otherwise)",
        ),
        Column::new(
            "classification",
            "text",
            "Best classification (classification sources)",
        ),
        Column::new("weight", "number", "Weight of that classification"),
        Column::new("score", "number", "The source score s in [0, 1]"),
        Column::new(
            "contribution",
            "number",
            "100 × s / N: this source's part of the percentage",
        ),
        Column::new("supported", "boolean", "true when s > 0"),
        Column::new(
            "contradicting",
            "boolean",
            "true when every kidney curation weighs 0 (Refuted, Disputed, No Known Disease Relationship)",
        ),
        Column::new(
            "classic",
            "boolean",
            "Meets the source's classic-count threshold (classic sources; empty otherwise)",
        ),
        Column::new(
            "records",
            "integer",
            "Evidence records of this gene in this source (on the gene page and in its JSON)",
        ),
    ]
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn score_of<'a>(g: &'a Gene, source: &str) -> Option<&'a SourceScore> {
    g.breakdown.iter().find(|b| b.source == source)
}

/// One gene as text fields, in [`gene_columns`] order.
pub(crate) fn gene_fields(g: &Gene, site: &SiteView) -> Vec<String> {
    let mut f = vec![
        g.summary.hgnc_id.clone(),
        g.summary.symbol.clone(),
        g.summary.name.clone(),
        opt(&g.summary.location),
        opt(&g.summary.locus_group),
        opt(&g.summary.locus_type),
        g.summary.alias_symbols.join("|"),
        g.summary.prev_symbols.join("|"),
        opt(&g.summary.entrez_id),
        opt(&g.summary.ensembl_gene_id),
        g.summary.omim_ids.join("|"),
        g.summary.mane_select.join("|"),
        fnum(g.summary.percentage),
        g.summary.tier.clone(),
        g.summary.group.clone(),
        g.summary.source_count.to_string(),
        g.summary.classic_count.to_string(),
    ];
    for s in &site.scoring {
        let b = score_of(g, &s.name);
        f.push(fnum(b.map_or(0.0, |b| b.measure)));
        f.push(fnum(b.map_or(0.0, |b| b.score)));
    }
    f
}

/// `downloads/genes.json`, written gene by gene: one gene's JSON tree at a time, never the
/// tree of the whole file (that took hundreds of MB for 20 MB of JSON). The bytes are those
/// of serializing [`GenesDownload`] at once: keys in sorted order, compact, a final newline.
fn genes_json(data: &SiteData, site: &SiteView, gcols: &[Column]) -> Result<Vec<u8>, SiteError> {
    let what = "downloads/genes.json";
    let ser = |v: &dyn erased::Json| -> Result<Vec<u8>, SiteError> {
        v.json().map_err(|source| SiteError::Serialize {
            what: what.to_string(),
            source,
        })
    };
    let columns: Vec<&str> = gcols.iter().map(|c| c.name.as_str()).collect();
    let mut out = Vec::with_capacity(data.genes.len() * 6 * 1024);
    out.extend_from_slice(b"{\"build_time\":");
    out.extend(ser(&data.build_time)?);
    out.extend_from_slice(b",\"columns\":");
    out.extend(ser(&columns)?);
    out.extend_from_slice(b",\"genes\":[");
    for (i, g) in data.genes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Through a Value, as before: its keys come out sorted.
        let row = serde_json::to_value(gene_row(data, g, site)).map_err(|source| {
            SiteError::Serialize {
                what: what.to_string(),
                source,
            }
        })?;
        out.extend(ser(&row)?);
    }
    out.extend_from_slice(b"],\"kgdb_version\":");
    out.extend(ser(&data.kgdb_version)?);
    out.extend_from_slice(b",\"release\":");
    out.extend(ser(&data.release)?);
    out.extend_from_slice(b",\"schema_version\":");
    out.extend(ser(&SCHEMA_VERSION)?);
    out.extend_from_slice(b"}\n");
    Ok(out)
}

/// Compact JSON of any serializable value, as `serde_json::to_vec` writes it.
mod erased {
    pub trait Json {
        fn json(&self) -> Result<Vec<u8>, serde_json::Error>;
    }

    impl<T: serde::Serialize + ?Sized> Json for T {
        fn json(&self) -> Result<Vec<u8>, serde_json::Error> {
            serde_json::to_vec(self)
        }
    }
}

/// A row of genes.json: the same keys as the CSV columns (lists as arrays, numbers as
/// numbers), plus `sources` with each source's part of the score and `annotations`.
pub fn gene_row<'a>(data: &'a SiteData, g: &'a Gene, site: &SiteView) -> GeneRow<'a> {
    GeneRow {
        gene: GeneSummary::of(g),
        sources: site
            .scoring
            .iter()
            .filter_map(|s| score_of(g, &s.name).map(|b| (s.name.clone(), rounded(b))))
            .collect(),
        annotations: shareable(data, g),
    }
}

fn evidence_fields(g: &Gene, b: &SourceScore) -> Vec<String> {
    let ob = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    vec![
        g.summary.hgnc_id.clone(),
        g.summary.symbol.clone(),
        b.source.clone(),
        b.title.clone(),
        b.method.clone(),
        fnum(b.measure),
        b.n.to_string(),
        b.rank.map(fnum).unwrap_or_default(),
        opt(&b.classification),
        b.weight.map(fnum).unwrap_or_default(),
        fnum(b.score),
        fnum(b.contribution),
        b.supported.to_string(),
        b.contradicting.to_string(),
        ob(b.classic),
        g.evidence.get(&b.source).map_or(0, Vec::len).to_string(),
    ]
}

pub(super) fn delimited(
    what: &str,
    delimiter: u8,
    header: &[Column],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Vec<u8>, SiteError> {
    let tsv = delimiter == b'\t';
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .quote_style(if tsv {
            csv::QuoteStyle::Never
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new());
    let err = |e: csv::Error| SiteError::Csv {
        what: what.to_string(),
        message: e.to_string(),
    };
    // TSV has no quoting: tabs and line breaks inside a value become spaces.
    let clean = |f: String| {
        if tsv {
            f.replace(['\t', '\n', '\r'], " ")
        } else {
            f
        }
    };
    w.write_record(header.iter().map(|c| c.name.as_str()))
        .map_err(err)?;
    for r in rows {
        w.write_record(r.into_iter().map(clean)).map_err(err)?;
    }
    w.into_inner().map_err(|e| SiteError::Csv {
        what: what.to_string(),
        message: e.to_string(),
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The download files written one by one: each file's bytes are dropped once written, so
/// a build holds one file at a time (besides the data), however many formats there are.
struct Emitter<'w> {
    w: &'w mut Writer,
    files: Vec<FileInfo>,
    sums: String,
}

impl Emitter<'_> {
    fn emit(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        description: String,
        table: Option<&str>,
        columns: Vec<Column>,
    ) -> Result<(), SiteError> {
        let sha = sha256_hex(&bytes);
        self.sums.push_str(&format!("{sha}  {name}\n"));
        self.w.write(&format!("downloads/{name}"), &bytes)?;
        self.files.push(FileInfo {
            name: name.to_string(),
            path: format!("downloads/{name}"),
            bytes: bytes.len() as u64,
            size: human_size(bytes.len() as u64),
            sha256: sha,
            description,
            table: table.map(str::to_string),
            columns,
        });
        Ok(())
    }
}

/// A typed copy of a table, encoded by every encoder given (Parquet).
fn encode_all(
    e: &mut Emitter<'_>,
    encoders: &[&dyn TableEncoder],
    stem: &str,
    columns: &[Column],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<(), SiteError> {
    if encoders.is_empty() {
        return Ok(());
    }
    let table = Table::from_fields(stem, columns, rows).map_err(|message| SiteError::Csv {
        what: format!("downloads/{stem}"),
        message,
    })?;
    for enc in encoders {
        let name = format!("{stem}.{}", enc.extension());
        let bytes = enc.encode(&table).map_err(|message| SiteError::Csv {
            what: format!("downloads/{name}"),
            message,
        })?;
        let description = format!(
            "The same as {stem}.csv, {} with typed columns (numbers, integers, booleans; lists as list columns of strings; empty cells as nulls)",
            enc.extension().to_uppercase().replace("PARQUET", "Parquet")
        );
        e.emit(&name, bytes, description, Some(stem), Vec::new())?;
    }
    Ok(())
}

/// A download file made elsewhere (the network's files): name, bytes, description, columns.
pub type File = (&'static str, Vec<u8>, String, Vec<Column>);

/// Writes every download file and returns what was written (SHA256SUMS last). `encoders`
/// add a typed copy of genes.csv, evidence.csv and annotations.csv each (Parquet); `extra`
/// (the network's files) go before the data package, which describes them too.
pub fn write(
    data: &SiteData,
    site: &SiteView,
    registry: &Registry,
    encoders: &[&dyn TableEncoder],
    extra: Vec<File>,
    w: &mut Writer,
) -> Result<Downloads, SiteError> {
    let gcols = gene_columns(site);
    let ecols = evidence_columns(site);
    let mut e = Emitter {
        w,
        files: Vec::new(),
        sums: String::new(),
    };
    e.emit("genes.json", genes_json(data, site, &gcols)?, "Every gene: identifiers, score, tier, group, counts, each source's part of the score (keys as the genes.csv columns; lists as arrays) and its annotations (object `annotations`, not part of the score; link-only sources left out)".into(), None, Vec::new())?;
    let gene_rows = || data.genes.iter().map(|g| gene_fields(g, site));
    e.emit(
        "genes.csv",
        delimited("downloads/genes.csv", b',', &gcols, gene_rows())?,
        format!(
            "One row per gene ({} genes), comma-separated, RFC 4180 quoting",
            thousands(data.genes.len() as u64)
        ),
        Some("genes"),
        gcols.clone(),
    )?;
    e.emit(
        "genes.tsv",
        delimited("downloads/genes.tsv", b'\t', &gcols, gene_rows())?,
        "The same as genes.csv, tab-separated, no quoting (tabs and line breaks in values become spaces)".into(),
        Some("genes"),
        Vec::new(),
    )?;
    let evidence_rows = || {
        data.genes
            .iter()
            .flat_map(|g| g.breakdown.iter().map(move |b| evidence_fields(g, b)))
    };
    e.emit(
        "evidence.csv",
        delimited("downloads/evidence.csv", b',', &ecols, evidence_rows())?,
        "One row per gene and scoring source: how each source contributes to the score".into(),
        Some("evidence"),
        ecols.clone(),
    )?;
    let acols = annotation_columns(data, registry);
    let shared: Vec<_> = data.genes.iter().map(|g| shareable(data, g)).collect();
    let annotation_rows = || {
        data.genes
            .iter()
            .zip(&shared)
            .map(|(g, a)| annotation_fields(g, a, &acols))
    };
    let acolumns: Vec<Column> = acols.iter().map(|(c, _)| c.clone()).collect();
    e.emit(
        "annotations.csv",
        delimited("downloads/annotations.csv", b',', &acolumns, annotation_rows())?,
        "One row per gene: its annotations (not part of the score), flat; empty cells where a source has nothing for the gene. Sources whose licence forbids redistribution have no columns".into(),
        Some("annotations"),
        acolumns.clone(),
    )?;
    e.emit(
        "annotations.tsv",
        delimited(
            "downloads/annotations.tsv",
            b'\t',
            &acolumns,
            annotation_rows(),
        )?,
        "The same as annotations.csv, tab-separated, no quoting".into(),
        Some("annotations"),
        Vec::new(),
    )?;
    // The network's tables (described in the data package like the others).
    for (name, bytes, description, columns) in extra {
        let table = name.strip_suffix(".tsv");
        e.emit(name, bytes, description, table, columns)?;
    }
    // The typed copies, one table at a time.
    encode_all(&mut e, encoders, "genes", &gcols, gene_rows())?;
    encode_all(&mut e, encoders, "evidence", &ecols, evidence_rows())?;
    encode_all(
        &mut e,
        encoders,
        "annotations",
        &acolumns,
        annotation_rows(),
    )?;
    drop(shared);
    // The data package: every file above described (fields, types, keys, licences).
    let package = super::datapackage::package(data, &e.files);
    e.emit(
        "datapackage.json",
        to_json("downloads/datapackage.json", &package)?,
        "Frictionless Data Package (v2): every download with its fields, types, descriptions, primary and foreign keys, checksums, licences and sources".into(),
        None,
        Vec::new(),
    )?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        kgdb_version: &data.kgdb_version,
        build_time: &data.build_time,
        release: &data.release,
        genes: data.genes.len(),
        sources: &data.sources,
        annotation_sources: &data.annotation_sources,
        curation: serde_json::json!({
            "file": data.curation.file, "sha256": data.curation.sha256,
            "in_force": data.curation.in_force, "stale": data.curation.stale.len(),
        }),
        files: e
            .files
            .iter()
            .map(|f| ManifestFile {
                name: f.name.clone(),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
            })
            .collect(),
    };
    e.emit(
        "manifest.json",
        to_json("downloads/manifest.json", &manifest)?,
        "Provenance: kgdb version, build time, release; per source and annotation source its upstream URLs, retrieval times, ETag/Last-Modified, sha256, upstream version, row or coverage counts, licence and citation; the curation file's name and sha256 and its decisions in force per kind; the size and SHA-256 of every file above".into(),
        None,
        Vec::new(),
    )?;
    // How to cite the release (pinned by the manifest's checksum), and the metadata files a
    // maintainer deposits for a DOI.
    let manifest_sha = e.files.last().map(|f| f.sha256.clone()).unwrap_or_default();
    let citation = super::citation::citation(data, site, &manifest_sha);
    e.emit(
        ".zenodo.json",
        to_json(
            "downloads/.zenodo.json",
            &super::citation::zenodo(data, &citation),
        )?,
        "Zenodo deposit metadata of this release (upload this folder with it to mint a DOI)".into(),
        None,
        Vec::new(),
    )?;
    e.emit(
        "CITATION.cff",
        super::citation::cff(&citation).into_bytes(),
        "How to cite this release, in the Citation File Format".into(),
        None,
        Vec::new(),
    )?;
    let Emitter { w, mut files, sums } = e;
    w.write("downloads/SHA256SUMS", sums.as_bytes())?;
    files.push(FileInfo {
        name: "SHA256SUMS".into(),
        path: "downloads/SHA256SUMS".into(),
        bytes: sums.len() as u64,
        size: human_size(sums.len() as u64),
        sha256: sha256_hex(sums.as_bytes()),
        description: "SHA-256 of the files above; check with `sha256sum -c SHA256SUMS` in this folder".into(),
        table: None,
        columns: Vec::new(),
    });
    Ok(Downloads { files, citation })
}

/// What [`write`] wrote, and the citation of the release.
pub struct Downloads {
    pub files: Vec<FileInfo>,
    pub citation: Citation,
}

/// `downloads/manifest.json`.
#[derive(Serialize)]
struct Manifest<'a> {
    schema_version: &'static str,
    kgdb_version: &'a str,
    build_time: &'a str,
    release: &'a str,
    genes: usize,
    sources: &'a [super::model::SourceInfo],
    annotation_sources: &'a [super::model::AnnotationInfo],
    /// The curation file's name and sha256, its decisions in force per kind, stale ones.
    curation: serde_json::Value,
    /// Every download file before the manifest, with its size and SHA-256.
    files: Vec<ManifestFile>,
}

#[derive(Serialize)]
struct ManifestFile {
    name: String,
    bytes: u64,
    sha256: String,
}

pub fn human_size(b: u64) -> String {
    if b < 1024 {
        format!("{b} B")
    } else if b < 1024 * 1024 {
        format!("{:.1} KB", b as f64 / 1024.0)
    } else {
        format!("{:.1} MB", b as f64 / 1024.0 / 1024.0)
    }
}

// ---------------------------------------------------------------------------------------
// annotations.csv / annotations.tsv

/// A column's value: the annotation's part under `key`, read by the annotation's own column.
#[derive(Clone, Copy)]
struct Get {
    key: &'static str,
    value: fn(&dyn crate::annotations::Part) -> String,
}

/// The columns of annotations.csv for this build: hgnc_id, symbol, then the columns of every
/// configured annotation source whose licence allows redistribution.
fn annotation_columns(data: &SiteData, registry: &Registry) -> Vec<(Column, Option<Get>)> {
    let mut c = vec![
        (Column::new("hgnc_id", "text", "HGNC ID"), None),
        (Column::new("symbol", "text", "Approved HGNC symbol"), None),
    ];
    for a in registry.annotations() {
        let Some(info) = data
            .annotation_sources
            .iter()
            .find(|s| s.name == a.name() && s.redistribute)
        else {
            continue;
        };
        let key = a.part().key;
        for column in a.csv_columns() {
            c.push((
                Column::new(
                    column.name,
                    column.kind,
                    format!("{} ({})", column.description, info.title),
                ),
                Some(Get {
                    key,
                    value: column.value,
                }),
            ));
        }
    }
    c
}

fn annotation_fields(g: &Gene, a: &GeneAnnotations, cols: &[(Column, Option<Get>)]) -> Vec<String> {
    let mut f = vec![g.summary.hgnc_id.clone(), g.summary.symbol.clone()];
    for (_, get) in &cols[2..] {
        f.push(
            get.and_then(|get| a.part(get.key).map(get.value))
                .unwrap_or_default(),
        );
    }
    f
}
