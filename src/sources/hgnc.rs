//! HGNC: the approved human gene symbols every other source is normalized against.
//!
//! Requests: one TSV, the HGNC "complete set" (and optionally `withdrawn.txt`).
//! Parsing goes by header name, because the column set moves between releases (2023 spells
//! `rna_central_ids`, 2024 `rna_central_id`); only `hgnc_id`, `symbol` and `name` are required.

use std::collections::HashMap;

use futures_util::future::LocalBoxFuture;
use serde_saphyr::Spanned;

use super::{EvidenceSource, Fetched, ParseProblem, SourceError, text_of};
use crate::config::{Config, Problem, RawCommon};
use crate::sources::session::Session;
use crate::store::{Store, StoreError};

crate::source_settings! {
    /// `sources.hgnc` in `sources.yaml`.
    pub struct Settings {
        /// The HGNC complete set (TSV).
        pub url: Spanned<String>,
        /// HGNC's `withdrawn.txt` (optional): lets withdrawn IDs and symbols follow their merge.
        pub withdrawn_url: Option<Spanned<String>>,
    }
}

/// The reference gene set as configured. Not evidence: every other source is normalized
/// against it, so it is fetched first and kept in a table of its own.
pub struct Hgnc {
    name: &'static str,
    settings: Settings,
}

/// The registry's constructor: read and validate `sources.<name>`.
pub fn load(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.url, &format!("{k}.url"));
            if let Some(w) = &s.withdrawn_url {
                c.url(w, &format!("{k}.withdrawn_url"));
            }
        },
        |settings| Box::new(Hgnc { name, settings }),
    )
}

impl EvidenceSource for Hgnc {
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
        Box::pin(fetch(session, &self.settings))
    }

    fn stored_rows(&self, store: &Store) -> Result<i64, StoreError> {
        store.hgnc_count()
    }
}

/// Download the complete set (and the withdrawn list) and load them into the store, or
/// record the run as unchanged when the files answered 304.
async fn fetch(session: &mut Session<'_>, settings: &Settings) -> Result<Fetched, SourceError> {
    let source = session.source;
    let mut withdrawn = Vec::new();
    if let Some(wurl) = &settings.withdrawn_url {
        let wurl = wurl.value.as_str();
        let file = session.get(wurl).await?;
        withdrawn = parse_withdrawn(&file.bytes).map_err(|p| p.at_url(source, wurl))?;
    }
    let url = settings.url.value.as_str();
    let file = session.get(url).await?;
    let store = session.store;
    let started = session.started.clone();
    let run_id = session.run_id;
    if session.unchanged() {
        let version = store
            .last_good_download(source, url)?
            .and_then(|d| d.upstream_version);
        store.record_unchanged(
            run_id,
            source,
            &session.records,
            version.as_deref(),
            &started,
        )?;
        return Ok(Fetched::Stored {
            unchanged: true,
            rows: store.hgnc_count()? as u64,
            upstream_version: version,
        });
    }
    let genes = parse(&file.bytes).map_err(|p| p.at_url(source, url))?;
    let version = upstream_version(&genes);
    if let Some(v) = &version {
        session.set_version(file.download, v.clone());
    }
    store.load_hgnc(
        run_id,
        &session.records,
        &genes,
        &withdrawn,
        version.as_deref(),
        &started,
    )?;
    Ok(Fetched::Stored {
        unchanged: false,
        rows: genes.len() as u64,
        upstream_version: version,
    })
}

pub use crate::store::genes::{HgncGene, WithdrawnEntry, hgnc_num};

/// Accept `HGNC:9008`, `hgnc:9008` or `9008`; return the canonical `HGNC:9008`.
pub fn canonical_hgnc_id(raw: &str) -> Option<String> {
    let t = raw.trim();
    let digits = if t.len() > 5 && t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("HGNC:")) {
        &t[5..]
    } else {
        t
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("HGNC:{}", digits.trim_start_matches('0')))
        .filter(|s| s.len() > 5)
}

/// The upstream version of a complete set: the newest `date_modified`.
pub fn upstream_version(genes: &[HgncGene]) -> Option<String> {
    genes.iter().filter_map(|g| g.date_modified.clone()).max()
}

struct Columns {
    index: HashMap<String, usize>,
    count: usize,
}

impl Columns {
    fn of(header: &str) -> Columns {
        let names: Vec<&str> = header.split('\t').map(|h| h.trim()).collect();
        Columns {
            count: names.len(),
            index: names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_ascii_lowercase(), i))
                .collect(),
        }
    }

    fn require(&self, name: &str) -> Result<usize, ParseProblem> {
        self.index
            .get(name)
            .copied()
            .ok_or_else(|| ParseProblem::at(1, format!("missing column `{name}` in the header")))
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

fn cell(fields: &[&str], i: Option<usize>) -> Option<String> {
    let v = fields.get(i?)?.trim().trim_matches('"').trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn list(fields: &[&str], i: Option<usize>) -> Vec<String> {
    cell(fields, i)
        .map(|v| {
            v.split('|')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Parse the HGNC complete set (or `non_alt_loci_set`) TSV.
pub fn parse(bytes: &[u8]) -> Result<Vec<HgncGene>, ParseProblem> {
    let text = text_of(bytes, "the HGNC TSV")?;
    let mut lines = text.split('\n');
    let header = lines.next().unwrap_or_default().trim_end_matches('\r');
    let cols = Columns::of(header);
    let id_i = cols.require("hgnc_id")?;
    let sym_i = cols.require("symbol")?;
    let name_i = cols.require("name")?;
    let c = |n: &str| cols.get(n);
    let (lg, lt, st, loc) = (
        c("locus_group"),
        c("locus_type"),
        c("status"),
        c("location"),
    );
    let (al, pr, en, ens) = (
        c("alias_symbol"),
        c("prev_symbol"),
        c("entrez_id"),
        c("ensembl_gene_id"),
    );
    let (om, mane_col, uni, dm) = (
        c("omim_id"),
        c("mane_select"),
        c("uniprot_ids"),
        c("date_modified"),
    );

    let mut genes = Vec::with_capacity(45_000);
    for (i, raw) in lines.enumerate() {
        let line_no = i as u64 + 2;
        let line = raw.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != cols.count {
            return Err(ParseProblem::at(
                line_no,
                format!(
                    "expected {} tab-separated fields as in the header, found {} (truncated or malformed row)",
                    cols.count,
                    fields.len()
                ),
            ));
        }
        let raw_id = cell(&fields, Some(id_i)).unwrap_or_default();
        let hgnc_id = canonical_hgnc_id(&raw_id)
            .filter(|_| raw_id.starts_with("HGNC:"))
            .ok_or_else(|| {
                ParseProblem::at(
                    line_no,
                    format!("`hgnc_id` is `{raw_id}`, expected HGNC:<number>"),
                )
            })?;
        let symbol = cell(&fields, Some(sym_i))
            .ok_or_else(|| ParseProblem::at(line_no, "empty `symbol`"))?;
        genes.push(HgncGene {
            hgnc_id,
            symbol,
            name: cell(&fields, Some(name_i)).unwrap_or_default(),
            locus_group: cell(&fields, lg),
            locus_type: cell(&fields, lt),
            status: cell(&fields, st),
            location: cell(&fields, loc),
            alias_symbols: list(&fields, al),
            prev_symbols: list(&fields, pr),
            entrez_id: cell(&fields, en),
            ensembl_gene_id: cell(&fields, ens),
            omim_ids: list(&fields, om),
            mane_select: list(&fields, mane_col),
            uniprot_ids: list(&fields, uni),
            date_modified: cell(&fields, dm),
        });
    }
    if genes.is_empty() {
        return Err(ParseProblem::whole("no gene rows after the header"));
    }
    Ok(genes)
}

/// Parse HGNC's `withdrawn.txt`
/// (`HGNC_ID  STATUS  WITHDRAWN_SYMBOL  MERGED_INTO_REPORT(S)`, reports `HGNC:n|SYMBOL|STATUS`
/// separated by commas).
pub fn parse_withdrawn(bytes: &[u8]) -> Result<Vec<WithdrawnEntry>, ParseProblem> {
    let text = text_of(bytes, "HGNC withdrawn.txt")?;
    let mut lines = text.split('\n');
    let header = lines.next().unwrap_or_default().trim_end_matches('\r');
    let cols = Columns::of(header);
    let id_i = cols.require("hgnc_id")?;
    let st_i = cols.require("status")?;
    let sym_i = cols.require("withdrawn_symbol")?;
    let merged_i = cols
        .index
        .iter()
        .find(|(k, _)| k.starts_with("merged_into_report"))
        .map(|(_, v)| *v);
    let mut out = Vec::new();
    for (i, raw) in lines.enumerate() {
        let line_no = i as u64 + 2;
        let line = raw.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let id = cell(&fields, Some(id_i))
            .and_then(|v| canonical_hgnc_id(&v))
            .ok_or_else(|| ParseProblem::at(line_no, "missing or malformed HGNC_ID"))?;
        let merged_into = cell(&fields, merged_i)
            .map(|v| {
                v.split(',')
                    .filter_map(|rep| rep.trim().split('|').next())
                    .filter_map(canonical_hgnc_id)
                    .collect()
            })
            .unwrap_or_default();
        out.push(WithdrawnEntry {
            hgnc_id: id,
            symbol: cell(&fields, Some(sym_i)).unwrap_or_default(),
            status: cell(&fields, Some(st_i)).unwrap_or_default(),
            merged_into,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Header and two rows written from the real HGNC complete set (2024-10-18): A1BG and PKD1,
    // with the columns trimmed to the ones kgdb reads.
    const SMALL: &str = "hgnc_id\tsymbol\tname\tlocus_group\tlocation\talias_symbol\tprev_symbol\tentrez_id\tensembl_gene_id\tomim_id\tmane_select\tdate_modified\n\
HGNC:5\tA1BG\talpha-1-B glycoprotein\tprotein-coding gene\t19q13.43\t\t\t1\tENSG00000121410\t138670\t\"ENST00000263100.8|NM_130786.4\"\t2023-01-20\n\
HGNC:9008\tPKD1\tpolycystin 1, transient receptor potential channel interacting\tprotein-coding gene\t16p13.3\t\"PBP|Pc-1|TRPP1\"\t\t5310\tENSG00000008710\t601313\t\"ENST00000262304.9|NM_001009944.3\"\t2024-07-04\n";

    #[test]
    fn parses_by_header_name_with_quoted_lists() {
        let genes = parse(SMALL.as_bytes()).unwrap();
        assert_eq!(genes.len(), 2);
        let pkd1 = &genes[1];
        assert_eq!(pkd1.hgnc_id, "HGNC:9008");
        assert_eq!(pkd1.alias_symbols, ["PBP", "Pc-1", "TRPP1"]);
        assert_eq!(pkd1.mane_select, ["ENST00000262304.9", "NM_001009944.3"]);
        assert_eq!(pkd1.entrez_id.as_deref(), Some("5310"));
        assert!(pkd1.prev_symbols.is_empty());
        assert_eq!(upstream_version(&genes).as_deref(), Some("2024-07-04"));
    }

    #[test]
    fn rejects_missing_column_truncated_row_html_and_empty() {
        let no_symbol = SMALL.replacen("\tsymbol\t", "\tsymbool\t", 1);
        let e = parse(no_symbol.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("`symbol`"), "{e}");

        let cut = &SMALL[..SMALL.len() - 40];
        let e = parse(cut.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");

        let e = parse(b"<!DOCTYPE html><html>Service unavailable</html>").unwrap_err();
        assert!(e.message.contains("HTML"), "{e}");

        let e = parse(b"").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");

        let bad_id = SMALL.replacen("HGNC:5\t", "5\t", 1);
        let e = parse(bad_id.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn withdrawn_follows_merge_report() {
        // The real row quoted in HGNC's withdrawn.txt documentation (PROVENANCE.md).
        let text = "HGNC_ID\tSTATUS\tWITHDRAWN_SYMBOL\tMERGED_INTO_REPORT(S) (i.e HGNC_ID|SYMBOL|STATUS)\n\
HGNC:6\tMerged/Split\tA1S9T\tHGNC:12469|UBA1|Approved\n";
        let w = parse_withdrawn(text.as_bytes()).unwrap();
        assert_eq!(w[0].hgnc_id, "HGNC:6");
        assert_eq!(w[0].merged_into, ["HGNC:12469"]);
    }

    #[test]
    fn canonical_ids() {
        assert_eq!(canonical_hgnc_id("HGNC:9008").as_deref(), Some("HGNC:9008"));
        assert_eq!(canonical_hgnc_id("hgnc:9008").as_deref(), Some("HGNC:9008"));
        assert_eq!(canonical_hgnc_id("9008").as_deref(), Some("HGNC:9008"));
        assert_eq!(canonical_hgnc_id("HGNC:"), None);
        assert_eq!(canonical_hgnc_id("PKD1"), None);
    }
}
