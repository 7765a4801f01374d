//! The gene table's data (`data.js`) and the static JSON API (`api/*.json`,
//! `genes/HGNC_<n>.json`).
//!
//! `data.js` is one classic script, `window.KGDB = {…};`, so the table works from `file://`
//! (no fetch). It is compact: one array per gene, tiers and groups as integers, sources as
//! bit masks, the score as an integer in hundredths. Its layout (`cols`) is:
//! `[hgnc number, symbol, name, aliases "a|b", previous symbols "a|b", score×100, tier index,
//! group index, source count, classic count, present mask, supported mask]`, where bit i of
//! a mask is scoring source `src[i]` (present = measure > 0, supported = score > 0).
//! The optional annotation columns are in a second script, `ann.js` (columnar, see
//! [`annotation_columns`]), loaded only when the user switches a column on.
//! Two more scripts are loaded only when needed, so the keystroke path and the page's first
//! load do not pay for them: `ids.js` (see [`ids_js`]: the other identifiers of each gene, for
//! a search by NCBI Gene, Ensembl, UniProt or OMIM id and for pasted lists) and `export.js`
//! (see [`export_js`]: each gene's genes.csv row and reference transcript span, for taking
//! the current view away as CSV, TSV or BED).
//! Every `<` in them is written `\u003c`, so no upstream string can close a script element.

use serde_json::{Map, Value, json};

use crate::annotations::Part;
use crate::registry::Registry;

use super::downloads::Downloads;
use super::format::{gene_stem, hgnc_number};
use super::model::{Gene, SiteData};
use super::schema::{
    GeneDetail, GeneFile, GeneListing, GeneSummary, GenesIndex, ReleaseDoc, ReleaseFile,
    ReleaseSource, SCHEMA_VERSION, SourcesDoc, rounded,
};
use super::view::SiteView;
use super::{SiteError, Writer, to_json, to_json_compact};

/// JSON made safe to sit in a script: `<` (so `</script>` and `<!--` cannot appear) and the
/// line separators U+2028/U+2029 are escaped.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

pub(crate) fn masks(g: &Gene, site: &SiteView) -> (u32, u32) {
    let mut present = 0;
    let mut supported = 0;
    for (i, s) in site.scoring.iter().enumerate().take(31) {
        if let Some(b) = g.breakdown.iter().find(|b| b.source == s.name) {
            if b.measure > 0.0 || g.evidence.get(&s.name).is_some_and(|e| !e.is_empty()) {
                present |= 1 << i;
            }
            if b.supported {
                supported |= 1 << i;
            }
        }
    }
    (present, supported)
}

pub fn js(data: &SiteData, site: &SiteView) -> Result<String, SiteError> {
    let ser = |v: &Value| {
        serde_json::to_string(v).map_err(|source| SiteError::Serialize {
            what: "data.js".into(),
            source,
        })
    };
    let head = json!({
        "v": 1,
        "release": data.release,
        "built": data.build_time,
        "cols": ["hgnc", "symbol", "name", "aliases", "prev", "score100", "tier", "group",
                 "sources", "classic", "present", "supported"],
        "src": site.scoring.iter().map(|s| json!([s.name, s.title, s.short])).collect::<Vec<_>>(),
        "tiers": site.tiers.iter().map(|t| json!([t.name, t.label])).collect::<Vec<_>>(),
        "groups": site.groups.iter().map(|t| json!([t.name, t.label])).collect::<Vec<_>>(),
    });
    let head = ser(&head)?;
    // The rows are written here, one gene per line (diffs between releases stay readable),
    // each serialized on its own: a line break is only ever put between two rows, never
    // inside an upstream string.
    let Some(head) = head.strip_suffix('}') else {
        return Err(SiteError::Serialize {
            what: "data.js".into(),
            source: <serde_json::Error as serde::ser::Error>::custom("the header is not an object"),
        });
    };
    let mut s = String::with_capacity(head.len() + data.genes.len() * 120);
    s.push_str(head);
    s.push_str(",\"g\":[");
    for (i, g) in data.genes.iter().enumerate() {
        let (present, supported) = masks(g, site);
        let row = json!([
            hgnc_number(&g.summary.hgnc_id)?,
            g.summary.symbol,
            g.summary.name,
            g.summary.alias_symbols.join("|"),
            g.summary.prev_symbols.join("|"),
            (g.summary.percentage * 100.0).round() as i64,
            site.tier_index(&g.summary.tier),
            site.group_index(&g.summary.group),
            g.summary.source_count,
            g.summary.classic_count,
            present,
            supported,
        ]);
        s.push_str(if i == 0 { "\n" } else { ",\n" });
        s.push_str(&ser(&row)?);
    }
    s.push_str("]}");
    Ok(format!("window.KGDB={};\n", script_safe(&s)))
}

/// `ids.js`: `window.KGDB_IDS = {v: 1, cols: [...], g: [[entrez, ensembl, uniprot, omim]…]}`,
/// one row per gene in `data.js` order, lists joined with `|`, `""` where HGNC gives none.
/// The gene table loads it when a query looks like one of these identifiers or is a list.
pub fn ids_js(data: &SiteData) -> Result<String, SiteError> {
    let rows: Vec<Value> = data
        .genes
        .iter()
        .map(|g| {
            json!([
                g.summary.entrez_id.as_deref().unwrap_or(""),
                g.summary.ensembl_gene_id.as_deref().unwrap_or(""),
                g.uniprot_ids.join("|"),
                g.summary.omim_ids.join("|"),
            ])
        })
        .collect();
    let v = json!({
        "v": 1,
        "release": data.release,
        "cols": ["entrez", "ensembl", "uniprot", "omim"],
        "g": rows,
    });
    let s = serde_json::to_string(&v).map_err(|source| SiteError::Serialize {
        what: "ids.js".into(),
        source,
    })?;
    Ok(format!("window.KGDB_IDS={};\n", script_safe(&s)))
}

/// `export.js`: what the gene table needs to write the current view as a file, loaded on
/// the first export: `window.KGDB_EXPORT = {v: 1, release, header: [genes.csv columns],
/// rows: [[genes.csv fields]…], span: {label, padding, g: [[chrom, start, end, strand] or
/// null…]}}`, rows and spans in `data.js` order. The fields are those genes.csv is written
/// from, so a downloaded view has exactly its columns and values; a span is the gene's
/// reference transcript on GRCh38 (1-based, inclusive) from the annotation that gives one,
/// `span` is `null` when none does.
pub fn export_js(
    data: &SiteData,
    site: &SiteView,
    registry: &Registry,
) -> Result<String, SiteError> {
    use super::gene_annotations::shareable;
    let header: Vec<String> = super::downloads::gene_columns(site)
        .into_iter()
        .map(|c| c.name)
        .collect();
    let rows: Vec<Vec<String>> = data
        .genes
        .iter()
        .map(|g| super::downloads::gene_fields(g, site))
        .collect();
    let spanning = registry.annotations().find(|a| {
        a.span_export().is_some()
            && data
                .annotation_sources
                .iter()
                .any(|s| s.name == a.name() && s.redistribute)
    });
    let span = spanning.and_then(|a| {
        let (label, padding) = a.span_export()?;
        let key = a.part().key;
        let version = data
            .annotation_sources
            .iter()
            .find(|s| s.name == a.name())
            .and_then(|s| s.upstream_version.clone());
        let g: Vec<Value> = data
            .genes
            .iter()
            .map(|g| {
                let shared = shareable(data, g);
                match shared.part(key).and_then(|p| a.transcript_span(p)) {
                    Some(s) => json!([s.chrom, s.start, s.end, s.strand.unwrap_or_default()]),
                    None => Value::Null,
                }
            })
            .collect();
        Some(json!({"label": label, "version": version, "padding": padding, "g": g}))
    });
    let v = json!({
        "v": 1,
        "release": data.release,
        "header": header,
        "rows": rows,
        "span": span,
    });
    let s = serde_json::to_string(&v).map_err(|source| SiteError::Serialize {
        what: "export.js".into(),
        source,
    })?;
    Ok(format!("window.KGDB_EXPORT={};\n", script_safe(&s)))
}

/// The optional columns this build can show (their source is configured and redistributable):
/// (key, header, tooltip).
pub fn optional_columns(
    data: &SiteData,
    site: &SiteView,
) -> Vec<(&'static str, &'static str, &'static str)> {
    site.optional_columns
        .iter()
        .filter(|(source, _)| {
            data.annotation_sources
                .iter()
                .any(|s| s.name == *source && s.redistribute)
        })
        .map(|(_, c)| (c.key, c.header, c.title))
        .collect()
}

/// The data of the optional columns of the gene table (hidden until the user switches them on), one
/// array per column in gene order (columnar: similar values sit together and compress
/// well), only for annotation sources whose licence allows redistribution. `None` when no
/// column is available.
///
/// `{cols: [key…], v: [[value per gene]…]}` plus the lookup tables some columns index into
/// (e.g. `cg: [[name, label]…]`), with `null` where the gene has no value and the values as
/// integers (each annotation documents its columns' values in its `table_values`).
pub fn annotation_columns(data: &SiteData, registry: &Registry) -> Option<Value> {
    use super::gene_annotations::shareable;
    let shared: Vec<_> = data.genes.iter().map(|g| shareable(data, g)).collect();
    let mut cols: Vec<(u8, &'static str, Value)> = Vec::new();
    let mut lookups = Map::new();
    for a in registry.annotations() {
        let allowed = data
            .annotation_sources
            .iter()
            .any(|s| s.name == a.name() && s.redistribute);
        let declared = a.table_columns();
        if !allowed || declared.is_empty() {
            continue;
        }
        let key = a.part().key;
        let parts: Vec<Option<&dyn Part>> = shared.iter().map(|g| g.part(key)).collect();
        let values = a.table_values(&parts);
        for (c, v) in declared.iter().zip(values.columns) {
            cols.push((c.order, c.key, Value::Array(v)));
        }
        for (k, v) in values.lookups {
            lookups.insert(k.to_string(), v);
        }
    }
    if cols.is_empty() {
        return None;
    }
    cols.sort_by_key(|(order, _, _)| *order);
    let mut out = lookups;
    out.insert(
        "cols".into(),
        Value::Array(cols.iter().map(|(_, k, _)| json!(k)).collect()),
    );
    out.insert(
        "v".into(),
        Value::Array(cols.into_iter().map(|(_, _, v)| v).collect()),
    );
    Some(Value::Object(out))
}

/// `ann.js`: the optional columns' data, `window.KGDB_ANN = {…};` (see
/// [`annotation_columns`]); table.js loads it only when a column is switched on, so the gene
/// table's default weight does not grow. `None` when no column is available.
pub fn ann_js(data: &SiteData, registry: &Registry) -> Result<Option<String>, SiteError> {
    let Some(v) = annotation_columns(data, registry) else {
        return Ok(None);
    };
    let s = serde_json::to_string(&v).map_err(|source| SiteError::Serialize {
        what: "ann.js".into(),
        source,
    })?;
    Ok(Some(format!("window.KGDB_ANN={};\n", script_safe(&s))))
}

/// genes/HGNC_<n>.json: everything the gene page shows (and every evidence record, also
/// those the page leaves out for size), as [`GeneFile`].
pub fn gene_json(data: &SiteData, g: &Gene, stem: &str) -> Result<Vec<u8>, SiteError> {
    let file = GeneFile {
        schema_version: SCHEMA_VERSION,
        kgdb_version: &data.kgdb_version,
        release: &data.release,
        build_time: &data.build_time,
        page: format!("{stem}.html"),
        gene: GeneDetail {
            gene: GeneSummary::of(g),
            uniprot_ids: &g.uniprot_ids,
            breakdown: g.breakdown.iter().map(rounded).collect(),
            evidence: &g.evidence,
            annotations: super::gene_annotations::shareable(data, g),
        },
    };
    to_json_compact(&format!("genes/{stem}.json"), &file)
}

/// api/genes.json, api/sources.json, api/release.json (see [`super::schema`] for their
/// shapes), and the schemas of every published JSON document under api/schema/.
pub fn api(
    data: &SiteData,
    site: &SiteView,
    downloads: &Downloads,
    w: &mut Writer,
) -> Result<(), SiteError> {
    let mut genes = Vec::with_capacity(data.genes.len());
    for g in &data.genes {
        let stem = gene_stem(&g.summary.hgnc_id)?;
        // A listing: each gene's score parts and annotations are in its own JSON.
        genes.push(GeneListing {
            gene: GeneSummary::of(g),
            page: format!("genes/{stem}.html"),
            json: format!("genes/{stem}.json"),
        });
    }
    let index = GenesIndex {
        schema_version: SCHEMA_VERSION,
        kgdb_version: &data.kgdb_version,
        release: &data.release,
        genes,
    };
    w.write(
        "api/genes.json",
        &to_json_compact("api/genes.json", &index)?,
    )?;
    drop(index);
    let sources = SourcesDoc {
        schema_version: SCHEMA_VERSION,
        kgdb_version: &data.kgdb_version,
        release: &data.release,
        sources: &data.sources,
    };
    w.write("api/sources.json", &to_json("api/sources.json", &sources)?)?;
    let release = ReleaseDoc {
        schema_version: SCHEMA_VERSION,
        kgdb_version: &data.kgdb_version,
        release: &data.release,
        build_time: &data.build_time,
        genes: data.genes.len(),
        citation: downloads.citation.text.clone(),
        cite: downloads.citation.clone(),
        hpo_notice: site.notices.first().cloned(),
        sources: data
            .sources
            .iter()
            .map(|s| ReleaseSource {
                name: s.name.clone(),
                title: s.title.clone(),
                upstream_version: s.upstream_version.clone(),
                licence: s.licence.clone(),
                citation: s.citation.clone(),
                stale: s.stale,
            })
            .collect(),
        files: downloads
            .files
            .iter()
            .map(|f| ReleaseFile {
                path: f.path.clone(),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
            })
            .collect(),
    };
    w.write("api/release.json", &to_json("api/release.json", &release)?)?;
    for (path, _, schema) in super::schema::schemas() {
        w.write(path, &to_json(path, &schema)?)?;
    }
    Ok(())
}

/// The short citation line of gathered build data, before its downloads (and so its
/// manifest checksum) exist: what `kgdb mcp` shows over a data folder. A built release's
/// full citation is `api/release.json`'s `citation` / `cite` ([`super::citation`]).
pub fn citation(data: &SiteData) -> String {
    format!(
        "Kidney-Genetics Database (kgdb {}), release {}, built {}. https://github.com/kidney-genetics/kgdb",
        data.kgdb_version, data.release, data.build_time
    )
}
