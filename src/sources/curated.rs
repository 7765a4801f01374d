//! Curated gene lists, the shared reader of the two curated sources: key publications
//! ([`super::literature`]) and commercial diagnostic panels ([`super::diagnostic_panels`]).
//! Each of those modules owns its record type and page; this one reads the files.
//!
//! These are the two sources a person maintains rather than an API: lists extracted from
//! publications and scraped from labs' public panel pages. They arrive as files, from the URLs
//! in sources.yaml (the defaults point at the published Kidney-Genetics seed lists) or from
//! local paths, so a curator can add a lab or a paper by dropping in a file.
//!
//! Requests: every entry of `files` (`base_url` + name, a URL, or a local path relative to
//! the config file). Formats: JSON in the shape of the Kidney-Genetics seed files (an object
//! with a `genes` array plus publication or lab fields, or a bare array of genes), or CSV/TSV
//! with a symbol column (`symbol`, `gene_symbol`, `gene`, `approved_symbol`, `reported_as`).
//!
//! Staged, one row per (publication or lab, gene):
//! - record_key `{list_id}/{reported symbol or HGNC id}`;
//! - reported symbol = what the list printed (`reported_as`, else `symbol`), reported HGNC id
//!   = the list's `hgnc_id` when given;
//! - details: `list_id`, `list_name`, `kind` (`publication` | `lab`), `panels` (sub-panels
//!   naming the gene), `symbol`, `reported_as`, `url`, and for publications `pmid`, `title`,
//!   `journal`, `publication_date`, `doi`; for labs `lab`, `scraped_at`.
//!   Scoring counts distinct publications and distinct labs (never sub-panels).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use serde_saphyr::Spanned;

use super::{ParseProblem, SourceError, Staged, StagedRow, StoredRecord, text_of};
use crate::config::Checker;
use crate::sources::session::Session;

crate::source_settings! {
    /// The settings block of a curated source.
    pub struct Settings {
        /// Files are `base_url` + name; without it each entry is a URL or a local path.
        pub base_url: Option<Spanned<String>>,
        pub files: Spanned<Vec<String>>,
    }
}

impl Settings {
    /// Every problem of the block `sources.<name>`.
    pub fn check(&self, c: &mut Checker, k: &str) {
        if self.files.value.is_empty() {
            c.push(
                &self.files,
                format!("{k}.files"),
                "must list at least one file",
            );
        }
        if let Some(b) = &self.base_url {
            c.url(b, &format!("{k}.base_url"));
            if !b.value.ends_with('/') {
                c.push(b, format!("{k}.base_url"), "must end with `/`");
            }
        }
    }
}

/// Publication or lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Publication,
    Lab,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Publication => "publication",
            Kind::Lab => "lab",
        }
    }
}

/// Where a configured entry comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Url(String),
    Path(PathBuf),
}

/// Resolve a `files` entry against `base_url` and the config file's folder.
pub fn locate(entry: &str, base_url: Option<&str>, config_dir: &Path) -> Location {
    if entry.starts_with("https://") || entry.starts_with("http://") {
        return Location::Url(entry.to_string());
    }
    if let Some(p) = entry.strip_prefix("file://") {
        return Location::Path(PathBuf::from(p));
    }
    match base_url {
        Some(b) if b.starts_with("http") => Location::Url(format!("{b}{entry}")),
        Some(b) => Location::Path(config_dir.join(b.trim_start_matches("file://")).join(entry)),
        None => Location::Path(config_dir.join(entry)),
    }
}

/// The file name without extension: the list id when the file does not name itself.
fn stem(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    let base = base.split('?').next().unwrap_or(base);
    base.split('.').next().unwrap_or(base).to_string()
}

const SYMBOL_COLUMNS: [&str; 6] = [
    "reported_as",
    "symbol",
    "gene_symbol",
    "gene",
    "approved_symbol",
    "hgnc_symbol",
];

fn nonempty(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => {
            let t = s.trim();
            let blank = t.is_empty()
                || ["NA", "N/A", "NULL", "NONE", "UNKNOWN"]
                    .iter()
                    .any(|x| t.eq_ignore_ascii_case(x));
            (!blank).then(|| t.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn panels_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(|x| nonempty(Some(x))).collect(),
        Some(Value::String(s)) => s
            .split([',', ';', '|'])
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// Parse one curated list. `name` is the file name (for the list id and the format).
pub fn parse(bytes: &[u8], name: &str, kind: Kind) -> Result<Vec<StagedRow>, ParseProblem> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt") {
        let delim = if lower.ends_with(".csv") { b',' } else { b'\t' };
        parse_table(bytes, name, kind, delim)
    } else {
        parse_json(bytes, name, kind)
    }
}

fn parse_json(bytes: &[u8], name: &str, kind: Kind) -> Result<Vec<StagedRow>, ParseProblem> {
    let text = text_of(bytes, "a JSON gene list")?;
    let doc: Value = serde_json::from_str(text)
        .map_err(|e| ParseProblem::at(e.line() as u64, format!("invalid JSON: {e}")))?;
    let empty = Map::new();
    let (top, genes) = match &doc {
        Value::Array(a) => (&empty, a),
        Value::Object(o) => match o.get("genes") {
            Some(Value::Array(a)) => (o, a),
            Some(_) => return Err(ParseProblem::whole("`genes` is not an array")),
            None => return Err(ParseProblem::whole("no `genes` array in the JSON object")),
        },
        _ => {
            return Err(ParseProblem::whole(
                "expected a JSON object with `genes`, or an array",
            ));
        }
    };
    let list_id = match kind {
        Kind::Publication => nonempty(top.get("pmid")).or_else(|| nonempty(top.get("id"))),
        Kind::Lab => nonempty(top.get("provider_id")).or_else(|| nonempty(top.get("id"))),
    }
    .unwrap_or_else(|| stem(name));
    let list_name = match kind {
        Kind::Publication => nonempty(top.get("title")),
        Kind::Lab => nonempty(top.get("provider_name")),
    }
    .unwrap_or_else(|| list_id.clone());
    let mut base = json!({
        "list_id": list_id,
        "list_name": list_name,
        "kind": kind.as_str(),
        "url": nonempty(top.get("url")).or_else(|| nonempty(top.get("main_url"))),
    });
    let extra: &[&str] = match kind {
        Kind::Publication => &["pmid", "journal", "publication_date", "doi"],
        Kind::Lab => &["scraped_at"],
    };
    for k in extra {
        base[*k] = json!(nonempty(top.get(*k)));
    }
    if kind == Kind::Publication {
        base["title"] = json!(nonempty(top.get("title")));
    } else {
        base["lab"] = json!(list_name);
    }
    let mut rows = Vec::with_capacity(genes.len());
    let mut seen = BTreeSet::new();
    for (i, g) in genes.iter().enumerate() {
        let record = i as u64 + 1;
        let Value::Object(g) = g else {
            return Err(ParseProblem::at(record, "gene entry is not an object"));
        };
        let reported = SYMBOL_COLUMNS.iter().find_map(|k| nonempty(g.get(*k)));
        let hgnc_id = nonempty(g.get("hgnc_id"));
        let Some(key) = reported.clone().or_else(|| hgnc_id.clone()) else {
            return Err(ParseProblem::at(
                record,
                "gene entry has neither a symbol (symbol, reported_as, gene…) nor an hgnc_id",
            ));
        };
        let mut details = base.clone();
        details["symbol"] = json!(nonempty(g.get("symbol")));
        details["reported_as"] = json!(nonempty(g.get("reported_as")));
        let mut panels = panels_of(g.get("panels"));
        panels.extend(nonempty(g.get("panel_name")));
        details["panels"] = json!(panels);
        let record_key = format!("{list_id}/{key}");
        if !seen.insert(record_key.clone()) {
            continue; // the same gene listed twice in one list counts once
        }
        rows.push(StagedRow {
            record_key,
            reported_symbol: reported,
            reported_hgnc_id: hgnc_id,
            reported_ncbi_id: None,
            reported_ensembl_id: None,
            details: StoredRecord::from_value(&details),
        });
    }
    if rows.is_empty() {
        return Err(ParseProblem::whole("the gene list is empty"));
    }
    Ok(rows)
}

fn parse_table(
    bytes: &[u8],
    name: &str,
    kind: Kind,
    delim: u8,
) -> Result<Vec<StagedRow>, ParseProblem> {
    let text = text_of(bytes, "a CSV/TSV gene list")?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| ParseProblem::at(1, format!("unreadable header: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| h == n))
    };
    let sym_i = col(&SYMBOL_COLUMNS);
    let hgnc_i = col(&["hgnc_id"]);
    if sym_i.is_none() && hgnc_i.is_none() {
        return Err(ParseProblem::at(
            1,
            format!(
                "no symbol column (one of {}) or hgnc_id in the header",
                SYMBOL_COLUMNS.join(", ")
            ),
        ));
    }
    let list_i = col(match kind {
        Kind::Publication => &["pmid", "publication"],
        Kind::Lab => &["lab", "provider", "provider_name"],
    });
    let panel_i = col(&["panels", "panel", "panel_name"]);
    let mut rows = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| ParseProblem::at(line, format!("malformed row: {e}")))?;
        let get = |i: Option<usize>| {
            nonempty(
                i.and_then(|i| rec.get(i))
                    .map(|s| Value::String(s.to_string()))
                    .as_ref(),
            )
        };
        let reported = get(sym_i);
        let hgnc_id = get(hgnc_i);
        let Some(key) = reported.clone().or_else(|| hgnc_id.clone()) else {
            continue; // blank line in a spreadsheet export
        };
        let list_id = get(list_i).unwrap_or_else(|| stem(name));
        let mut details = json!({
            "list_id": list_id,
            "list_name": list_id,
            "kind": kind.as_str(),
            "url": null,
            "symbol": null,
            "reported_as": reported,
            "panels": panels_of(get(panel_i).map(Value::String).as_ref()),
        });
        match kind {
            Kind::Publication => details["pmid"] = json!(list_id),
            Kind::Lab => details["lab"] = json!(list_id),
        }
        let record_key = format!("{list_id}/{key}");
        if seen.insert(record_key.clone()) {
            rows.push(StagedRow {
                record_key,
                reported_symbol: reported,
                reported_hgnc_id: hgnc_id,
                reported_ncbi_id: None,
                reported_ensembl_id: None,
                details: StoredRecord::from_value(&details),
            });
        }
    }
    if rows.is_empty() {
        return Err(ParseProblem::whole("the gene list is empty"));
    }
    Ok(rows)
}

/// Fetch and stage every configured list; `typed` turns each row's details into the
/// source's record type (and back), so what is stored has the record's shape.
pub async fn fetch(
    session: &mut Session<'_>,
    settings: &Settings,
    kind: Kind,
    typed: fn(&StoredRecord) -> Result<StoredRecord, serde_json::Error>,
) -> Result<Staged, SourceError> {
    let config_dir = session
        .config
        .file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let base = settings.base_url.as_ref().map(|b| b.value.as_str());
    let mut staged = Staged::default();
    let mut newest: Option<String> = None;
    let mut keys = BTreeSet::new();
    let mut lists: BTreeSet<String> = BTreeSet::new();
    for entry in &settings.files.value {
        let (file, url) = match locate(entry, base, &config_dir) {
            Location::Url(u) => (session.get(&u).await?, u),
            Location::Path(p) => (session.read_local(&p)?, format!("file://{}", p.display())),
        };
        let rows = parse(&file.bytes, entry, kind)
            .map_err(|problem| problem.at_url(session.source, &url))?;
        for mut r in rows {
            r.details = typed(&r.details).map_err(|e| {
                ParseProblem::whole(format!("record {}: {e}", r.record_key))
                    .at_url(session.source, &url)
            })?;
            let fields = r.details.value();
            let date = fields["scraped_at"]
                .as_str()
                .or(fields["publication_date"].as_str())
                .map(|d| d.chars().take(10).collect::<String>());
            if date > newest {
                newest = date;
            }
            if !keys.insert(r.record_key.clone()) {
                return Err(SourceError::unusable(
                    session.source,
                    format!(
                        "{url}: list `{}` appears in two files; each publication or lab must come from one file",
                        fields["list_id"].as_str().unwrap_or_default()
                    ),
                ));
            }
            if let Some(list) = fields["list_id"].as_str() {
                lists.insert(list.to_string());
            }
            staged.rows.push((file.download, r));
        }
    }
    staged.upstream_version = Some(match newest {
        Some(d) => format!("{} {}s, newest {d}", lists.len(), kind.as_str()),
        None => format!("{} {}s", lists.len(), kind.as_str()),
    });
    Ok(staged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real(path: &str) -> Vec<u8> {
        let p = format!(
            "{}/../shared/data/raw/curated/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn real_publication_list() {
        // PMID 26862157 (Al-Hamed et al. 2016): 91 gene rows with 91 distinct printed names
        // (89 distinct genes once normalized): one staged row per printed name.
        let rows = parse(
            &real("literature/literature_pmid_26862157.json"),
            "literature_pmid_26862157.json",
            Kind::Publication,
        )
        .unwrap();
        assert_eq!(rows.len(), 91);
        let ace = &rows[0];
        assert_eq!(ace.record_key, "26862157/ACE");
        assert_eq!(ace.reported_hgnc_id.as_deref(), Some("HGNC:2707"));
        assert_eq!(ace.details.value()["pmid"], "26862157");
        assert_eq!(ace.details.value()["kind"], "publication");
        assert!(
            ace.details.value()["title"]
                .as_str()
                .unwrap()
                .starts_with("Genetic spectrum of Saudi Arabian")
        );
    }

    #[test]
    fn real_lab_list_keeps_sub_panels_per_gene() {
        let rows = parse(
            &real("diagnostic_panels/blueprint_genetics.json"),
            "blueprint_genetics.json",
            Kind::Lab,
        )
        .unwrap();
        assert_eq!(rows.len(), 370);
        let cep290 = rows
            .iter()
            .find(|r| r.reported_symbol.as_deref() == Some("CEP290"))
            .unwrap();
        assert_eq!(cep290.record_key, "blueprint_genetics/CEP290");
        assert_eq!(cep290.details.value()["lab"], "Blueprint Genetics");
        assert_eq!(
            cep290.details.value()["panels"].as_array().unwrap().len(),
            8
        );
    }

    #[test]
    fn reported_as_is_what_the_lab_printed() {
        // MGZ printed the disease abbreviation AGS (Alagille syndrome) where the scraper
        // mapped JAG1 (HGNC:6188): we stage what was printed plus the id, and normalization
        // uses the id first (reference-behaviour.md §8.1).
        let rows = parse(
            &real("diagnostic_panels/mgz_muenchen.json"),
            "mgz_muenchen.json",
            Kind::Lab,
        )
        .unwrap();
        let ags = rows
            .iter()
            .find(|r| r.reported_symbol.as_deref() == Some("AGS"))
            .unwrap();
        assert_eq!(ags.reported_hgnc_id.as_deref(), Some("HGNC:6188"));
        assert_eq!(ags.details.value()["symbol"], "JAG1");
    }

    #[test]
    fn csv_and_tsv_with_a_symbol_column() {
        // A small list written for this test (real symbols).
        let csv = "Gene,Panel\nPKD1,Cystic\nPKD2,\"Cystic, PKD\"\n,\n";
        let rows = parse(csv.as_bytes(), "mylab.csv", Kind::Lab).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].record_key, "mylab/PKD2");
        assert_eq!(rows[1].details.value()["panels"], json!(["Cystic", "PKD"]));
        let tsv = "pmid\tsymbol\thgnc_id\n12345\tNPHS1\tHGNC:7908\n";
        let rows = parse(tsv.as_bytes(), "x.tsv", Kind::Publication).unwrap();
        assert_eq!(rows[0].record_key, "12345/NPHS1");
        assert_eq!(rows[0].reported_hgnc_id.as_deref(), Some("HGNC:7908"));
    }

    #[test]
    fn bad_input_is_named() {
        let e = parse(b"name,panel\nx,y\n", "a.csv", Kind::Lab).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("no symbol column"), "{e}");
        let e = parse(
            b"{\"genes\": [{\"symbol\": \"PKD1\"},\n 42]}",
            "a.json",
            Kind::Lab,
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2), "record 2: {e}");
        let e = parse(b"<html>404</html>", "a.json", Kind::Lab).unwrap_err();
        assert!(e.message.contains("HTML"), "{e}");
        let e = parse(b"{\"genes\": [", "a.json", Kind::Lab).unwrap_err();
        assert!(e.message.contains("invalid JSON"), "{e}");
        let e = parse(b"", "a.json", Kind::Lab).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = parse(b"{\"genes\": []}", "a.json", Kind::Lab).unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }

    #[test]
    fn locations() {
        let dir = Path::new("/cfg");
        assert_eq!(
            locate("a.json", Some("https://h/x/"), dir),
            Location::Url("https://h/x/a.json".into())
        );
        assert_eq!(
            locate("https://h/b.json", Some("https://h/x/"), dir),
            Location::Url("https://h/b.json".into())
        );
        assert_eq!(
            locate("lists/a.csv", None, dir),
            Location::Path("/cfg/lists/a.csv".into())
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = parse(&bytes, "x.json", Kind::Lab);
            let _ = parse(&bytes, "x.csv", Kind::Lab);
            let _ = parse(&bytes, "x.tsv", Kind::Publication);
        }
    }
}
