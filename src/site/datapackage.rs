//! `downloads/datapackage.json`: the downloads described as a Frictionless Data Package (v2),
//! so tools (frictionless, R's `frictionless`, pandas helpers, data catalogues) can load and
//! check them without reading the Downloads page.
//!
//! Why from the column dictionary: the fields, types and descriptions are the very
//! [`Column`]s that write the CSV files and the dictionary on downloads/index.html, so the
//! three cannot disagree. Keys: a gene is its `hgnc_id` (genes, annotations), an evidence row
//! is (`hgnc_id`, `source`), and both point to genes.

use serde_json::{Value, json};

use super::files::{Column, FileInfo};
use super::model::SiteData;

/// Data Package v2's profile.
pub const PROFILE: &str = "https://datapackage.org/profiles/2.0/datapackage.json";

fn field(c: &Column, binary: bool) -> Value {
    let mut f = json!({"name": c.name, "description": c.description});
    let o = f.as_object_mut().expect("an object");
    match c.kind {
        "number" => {
            o.insert("type".into(), json!("number"));
        }
        "integer" => {
            o.insert("type".into(), json!("integer"));
        }
        "boolean" => {
            o.insert("type".into(), json!("boolean"));
        }
        // A list column: `|`-separated in CSV/TSV, a list column in Parquet.
        "list" if binary => {
            o.insert("type".into(), json!("array"));
        }
        "list" => {
            o.insert("type".into(), json!("list"));
            o.insert("delimiter".into(), json!("|"));
            o.insert("itemType".into(), json!("string"));
        }
        _ => {
            o.insert("type".into(), json!("string"));
        }
    }
    f
}

/// The table schema of `table` (its fields, keys).
fn schema(table: &str, columns: &[Column], binary: bool) -> Value {
    let fields: Vec<Value> = columns.iter().map(|c| field(c, binary)).collect();
    let mut s = json!({"fields": fields, "missingValues": [""]});
    let o = s.as_object_mut().expect("an object");
    // Keys per table: what identifies a row, and which columns name a gene of genes.csv.
    let (primary, genes): (&[&str], &[&str]) = match table {
        "genes" => (&["hgnc_id"], &[]),
        "evidence" => (&["hgnc_id", "source"], &["hgnc_id"]),
        "network_edges" => (&["hgnc_id_a", "hgnc_id_b"], &["hgnc_id_a", "hgnc_id_b"]),
        "cluster_enrichment" => (&["cluster", "library", "term_id"], &[]),
        _ => (&["hgnc_id"], &["hgnc_id"]),
    };
    let has = |name: &&str| columns.iter().any(|c| c.name == *name);
    if !primary.is_empty() && primary.iter().all(has) {
        o.insert("primaryKey".into(), json!(primary));
    }
    let foreign: Vec<Value> = genes
        .iter()
        .filter(|f| has(f))
        .map(|f| json!({"fields": [f], "reference": {"resource": "genes", "fields": ["hgnc_id"]}}))
        .collect();
    if !foreign.is_empty() {
        o.insert("foreignKeys".into(), json!(foreign));
    }
    s
}

/// A resource's name: lower case letters, digits, `-`, `_`, `.` (the spec's pattern), unique.
fn resource_name(file: &str, table: Option<&str>) -> String {
    match (table, file.rsplit_once('.')) {
        // genes.csv is the `genes` resource (the foreign keys point to it).
        (Some(t), Some((_, "csv"))) => t.to_string(),
        (Some(t), Some((_, ext))) => format!("{t}-{ext}"),
        _ => file.trim_start_matches('.').to_lowercase().replace(
            |c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "-",
        ),
    }
}

/// The column dictionary of `table` (on its CSV file).
fn columns_of<'a>(files: &'a [FileInfo], table: &str) -> &'a [Column] {
    files
        .iter()
        .find(|f| f.table.as_deref() == Some(table) && !f.columns.is_empty())
        .map_or(&[][..], |f| f.columns.as_slice())
}

/// The data package of `files` (the downloads written before it).
pub fn package(data: &SiteData, files: &[FileInfo]) -> Value {
    let resources: Vec<Value> = files
        .iter()
        .map(|f| {
            let ext = f.name.rsplit_once('.').map_or("", |(_, e)| e);
            let (format, mediatype) = match ext {
                "csv" => ("csv", "text/csv"),
                "tsv" => ("tsv", "text/tab-separated-values"),
                "parquet" => ("parquet", "application/vnd.apache.parquet"),
                "json" => ("json", "application/json"),
                _ => ("txt", "text/plain"),
            };
            let mut r = json!({
                "name": resource_name(&f.name, f.table.as_deref()),
                "path": f.name,
                "description": f.description,
                "format": format,
                "mediatype": mediatype,
                "bytes": f.bytes,
                "hash": format!("sha256:{}", f.sha256),
            });
            let o = r.as_object_mut().expect("an object");
            if let Some(table) = &f.table {
                let binary = ext == "parquet";
                // Parquet copies are `file` resources: frictionless reads Parquet through
                // pandas, which turns list columns into arrays it rejects and nullable
                // integers into floats; their size and hash are still checked, and their
                // schema says what they hold (tests/python/check_site.py checks the types).
                o.insert("type".into(), json!(if binary { "file" } else { "table" }));
                o.insert(
                    "schema".into(),
                    schema(table, columns_of(files, table), binary),
                );
                if !binary {
                    o.insert("encoding".into(), json!("utf-8"));
                }
                if ext == "tsv" {
                    o.insert(
                        "dialect".into(),
                        json!({"delimiter": "\t", "quoteChar": "\u{1}", "header": true}),
                    );
                }
            }
            r
        })
        .collect();
    let licenses: Vec<Value> = data
        .sources
        .iter()
        .map(|s| (&s.title, &s.licence, &s.homepage))
        .chain(
            data.annotation_sources
                .iter()
                .filter(|a| a.redistribute)
                .map(|a| (&a.title, &a.licence, &a.homepage)),
        )
        .map(|(title, licence, homepage)| {
            let path = homepage
                .clone()
                .unwrap_or_else(|| super::citation::REPOSITORY.into());
            json!({"title": format!("{title}: {licence}"), "path": path})
        })
        .collect();
    let sources: Vec<Value> = data
        .sources
        .iter()
        .map(|s| (&s.title, &s.homepage, &s.upstream_version))
        .chain(
            data.annotation_sources
                .iter()
                .filter(|a| a.redistribute)
                .map(|a| (&a.title, &a.homepage, &a.upstream_version)),
        )
        .map(|(title, homepage, version)| {
            let mut s = json!({"title": title});
            if let Some(h) = homepage {
                s["path"] = json!(h);
            }
            if let Some(v) = version {
                s["version"] = json!(v);
            }
            s
        })
        .collect();
    json!({
        "$schema": PROFILE,
        "name": "kgdb",
        "title": format!("Kidney-Genetics Database, release {}", data.release),
        "description": "Genes linked to kidney disease: identifiers, harmonized evidence score, tier and group (genes), each scoring source's part of the score (evidence) and the redistributable annotations (annotations, not part of the score). Each table as CSV, TSV and Parquet; genes.json holds all of it per gene. Each source keeps its own licence (licenses).",
        "version": data.release,
        "created": data.build_time,
        "homepage": super::citation::REPOSITORY,
        "keywords": ["kidney disease", "genes", "gene curation", "nephrology"],
        "contributors": [{"title": super::citation::AUTHOR, "roles": ["author"]}],
        "licenses": licenses,
        "sources": sources,
        "resources": resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_follow_the_spec_pattern() {
        assert_eq!(resource_name("genes.csv", Some("genes")), "genes");
        assert_eq!(resource_name("genes.tsv", Some("genes")), "genes-tsv");
        assert_eq!(
            resource_name("evidence.parquet", Some("evidence")),
            "evidence-parquet"
        );
        assert_eq!(resource_name("SHA256SUMS", None), "sha256sums");
        assert_eq!(resource_name(".zenodo.json", None), "zenodo.json");
    }

    #[test]
    fn evidence_is_keyed_by_gene_and_source_and_points_to_genes() {
        let c = Column {
            name: "hgnc_id".into(),
            kind: "text",
            description: "HGNC ID".into(),
        };
        let source = Column {
            name: "source".into(),
            kind: "text",
            description: "Source".into(),
        };
        let s = schema("evidence", &[c.clone(), source], false);
        assert_eq!(s["primaryKey"], json!(["hgnc_id", "source"]));
        assert_eq!(s["foreignKeys"][0]["reference"]["resource"], "genes");
        let g = schema("genes", &[c], false);
        assert!(g.get("foreignKeys").is_none());
    }

    #[test]
    fn network_tables_get_their_own_keys_never_a_missing_field() {
        let col = |n: &str| Column {
            name: n.into(),
            kind: "text",
            description: String::new(),
        };
        let edges = schema(
            "network_edges",
            &[col("hgnc_id_a"), col("hgnc_id_b")],
            false,
        );
        assert_eq!(edges["primaryKey"], json!(["hgnc_id_a", "hgnc_id_b"]));
        assert_eq!(edges["foreignKeys"][1]["fields"], json!(["hgnc_id_b"]));
        let terms = ["cluster", "library", "term_id"].map(col);
        let enrichment = schema("cluster_enrichment", &terms, false);
        assert_eq!(
            enrichment["primaryKey"],
            json!(["cluster", "library", "term_id"])
        );
        assert!(enrichment.get("foreignKeys").is_none());
        // A key whose field is missing is left out (frictionless rejects it).
        let bare = schema("network_edges", &[col("symbol_a")], false);
        assert!(bare.get("primaryKey").is_none() && bare.get("foreignKeys").is_none());
    }
}
