//! PubTator3: genes that text mining finds in articles matching a kidney query.
//!
//! Why: curated sources lag behind the literature; PubTator3 (NCBI) annotates every PubMed
//! abstract with normalized gene mentions, so "how many kidney-disease variant papers mention
//! this gene" is a cheap, broad literature signal (scored by publication count).
//!
//! Requests: the search API, `{api_url}/search/?text=<query>&page=N` (N from 1), one page
//! (10 articles) at a time, at the rate `http.hosts` allows for the host (NCBI asks for at
//! most 3 requests/s). Paging ends at `total_pages`, on an empty page, at `max_pages`, or —
//! in an *incremental* fetch (the source already has staged rows) — once
//! `known_pages_to_stop` consecutive whole pages hold only known PMIDs; an incremental fetch
//! then stages the union of the old rows (articles not seen again) and the new ones.
//!
//! Resume: after each page the page's download record (URL, sha256, stored path, validators)
//! is appended to the source's checkpoint (`checkpoints` table, one atomic statement; the
//! body itself is already stored content-addressed). A fetch that fails or is killed leaves
//! the previous staged rows untouched; the next fetch re-reads the checkpointed pages from
//! their stored copies (no request) and continues with the next page. The checkpoint is
//! known to be finished when its first page's download is in the `downloads` table (the
//! pipeline inserts a fetch's downloads and rows in one transaction). A changed query or API
//! URL starts over, and so does a checkpoint older than the source's `max_age_days`.
//! `--offline` neither reads nor writes the checkpoint.
//!
//! Parsing: each result's `text_hl` carries entity markup; a gene mention is a run of
//! `@GENE_<token>` tokens followed by `@@@<display>@@@`, e.g.
//! `@GENE_PKD1 @GENE_5310 @@@<m>PKD1</m>@@@`. Numeric tokens are NCBI Gene ids (a token may
//! hold several, joined by `;` or `,`), the others symbols (hyphens allowed: `HLA-B`). A
//! symbol is reported with an id only when the pairing is unambiguous (as many symbols as
//! ids); a mention without a numeric id is not staged. Other entity types are ignored.
//!
//! Staged: one row per (PMID, NCBI Gene id), de-duplicated per article by gene id.
//! `record_key` = `{pmid}/{ncbi_id}`; `reported_symbol` (PubTator's symbol token),
//! `reported_ncbi_id`. `details`: `pmid` (string), `title`, `journal`, `date`, `score`
//! (PubTator's relevance score), `mention` (display text of the first mention, `<m>` tags
//! removed), `mention_count` (mentions of this gene in `text_hl`). Missing or empty values
//! are `null`.
//! Articles with no gene markup stage nothing; their PMIDs are kept in the checkpoint so that
//! an incremental fetch still counts them as known.

use std::collections::{BTreeSet, HashMap, HashSet};

use futures_util::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
#[cfg(test)]
use serde_json::json;
use serde_saphyr::Spanned;

use super::view::{Cell, cut, date10, link, plural, pubmed_url, shown, styled, text};
use super::{
    Contribution, EvidenceSource, Fetched, GeneSection, Method, ParseProblem, ScoringSource,
    SectionContext, SourceError, Staged, StagedRow, StoredRecord, text_of,
};
use crate::config::{Config, Problem, RawCommon};
use crate::report::Event;
use crate::sources::session::Session;
use crate::store::DownloadRecord;

/// PMIDs shown on a gene page (newest first); the rest are in the gene's JSON.
pub const PMIDS_SHOWN: usize = 25;

crate::source_settings! {
    /// `sources.pubtator` in `sources.yaml`.
    pub struct Settings {
        /// API root, e.g. `https://www.ncbi.nlm.nih.gov/research/pubtator3-api`.
        pub api_url: Spanned<String>,
        pub query: Spanned<String>,
        /// Upper bound on pages per fetch (none: until the last page).
        pub max_pages: Option<Spanned<u64>>,
        /// An incremental fetch stops after this many consecutive pages with no new PMID.
        pub known_pages_to_stop: Spanned<u64>,
        /// The API's `sort` parameter; `date desc` lists new articles first, which the
        /// incremental stop relies on.
        pub sort: Option<String>,
    }
}

/// One (article, gene) pair: the `details` of a staged row. Missing or empty values are
/// `null`.
///
/// Read leniently (a field missing from an older stored record takes its default), written
/// in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Record {
    /// The PubMed id, as a string.
    pub pmid: String,
    pub title: Option<String>,
    pub journal: Option<String>,
    pub date: Option<String>,
    /// PubTator's relevance score.
    pub score: Option<f64>,
    /// Display text of the first mention, `<m>` tags removed.
    pub mention: Option<String>,
    /// Mentions of this gene in the article's highlighted text.
    pub mention_count: u32,
}

/// PubTator3 as configured: one search query.
pub struct PubTator {
    name: &'static str,
    settings: Settings,
}

/// The registry's constructor: read and validate `sources.<name>`.
pub fn load(name: &'static str, config: &Config) -> Result<Box<dyn EvidenceSource>, Vec<Problem>> {
    super::load_block(
        name,
        config,
        |s: &Settings, c, k| {
            c.url(&s.api_url, &format!("{k}.api_url"));
            if s.query.value.trim().is_empty() {
                c.push(&s.query, format!("{k}.query"), "must not be empty");
            }
            if let Some(m) = &s.max_pages {
                c.positive_u64(m, &format!("{k}.max_pages"));
            }
            c.positive_u64(&s.known_pages_to_stop, &format!("{k}.known_pages_to_stop"));
        },
        |settings| Box::new(PubTator { name, settings }),
    )
}

impl EvidenceSource for PubTator {
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
        vec![
            format!("PubTator3 search: {}", self.settings.query.value),
            "Genes annotated in each article (title and abstract highlights).".into(),
        ]
    }

    fn scoring(&self) -> Option<&dyn ScoringSource> {
        Some(self)
    }
}

/// One row of the gene-page table (`templates/sources/pubtator.html`).
#[derive(Serialize)]
struct Row {
    pmid: Cell,
    title: Cell,
    journal: Cell,
    date: Cell,
}

impl ScoringSource for PubTator {
    fn scoring_name(&self) -> &str {
        self.name
    }

    fn scoring_title(&self) -> String {
        self.settings.title.clone()
    }

    fn short_label(&self) -> &'static str {
        "PT"
    }

    fn method(&self) -> Method {
        Method::Percentile
    }

    fn measure_text(&self) -> &'static str {
        "distinct PubMed articles (PMIDs) matching the kidney query that mention the gene"
    }

    /// Each article counts once.
    fn contribution(
        &self,
        _record_key: &str,
        details: &Value,
    ) -> Result<Contribution, serde_json::Error> {
        let r: Record = super::record(details)?;
        Ok(Contribution {
            key: Some(r.pmid),
            classification: None,
        })
    }

    fn partial(&self) -> (&'static str, &'static str) {
        (
            "sources/pubtator.html",
            include_str!("../../templates/sources/pubtator.html"),
        )
    }

    fn gene_section(
        &self,
        records: &[StoredRecord],
        cx: &SectionContext<'_>,
    ) -> Result<GeneSection, serde_json::Error> {
        let mut recs = records
            .iter()
            .map(StoredRecord::parse::<Record>)
            .collect::<Result<Vec<_>, _>>()?;
        // Newest first, then the highest PMID.
        recs.sort_by(|a, b| {
            let key = |r: &Record| (shown(&r.date), r.pmid.trim().parse::<u64>().unwrap_or(0));
            key(b).cmp(&key(a))
        });
        let rows: Vec<Row> = recs
            .iter()
            .map(|r| {
                let pmid = r.pmid.trim().to_string();
                Row {
                    pmid: vec![link(pmid.clone(), pubmed_url(&pmid))],
                    title: vec![text(shown(&r.title))],
                    journal: vec![text(shown(&r.journal))],
                    date: vec![styled(date10(super::view::clean(&r.date)), "nowrap")],
                }
            })
            .collect();
        let (rows, more) = cut(
            rows,
            PMIDS_SHOWN,
            &format!("{}.json", cx.stem),
            ", newest first",
        );
        Ok(GeneSection {
            summary: format!(
                "{} mentioning {}",
                plural(records.len(), "article", "articles"),
                cx.symbol
            ),
            notes: Vec::new(),
            rows: serde_json::to_value(rows)?,
            more,
        })
    }
}

/// One gene mention found in `text_hl` (one per NCBI id of the mention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneMention {
    pub symbol: Option<String>,
    pub ncbi_id: String,
    /// The display text, `<m>` highlight tags removed.
    pub text: String,
}

/// A gene of one article, de-duplicated by NCBI id.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleGene {
    pub symbol: Option<String>,
    pub ncbi_id: String,
    pub mention: String,
    pub mention_count: u32,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub pmid: u64,
    pub title: Option<String>,
    pub journal: Option<String>,
    pub date: Option<String>,
    pub score: Option<f64>,
    pub genes: Vec<ArticleGene>,
}

/// One page of the search API.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub current: Option<u64>,
    pub total_pages: u64,
    pub count: Option<u64>,
    pub articles: Vec<Article>,
}

const GENE_TAG: &str = "@GENE_";
const DISPLAY: &str = "@@@";

/// Find the gene mentions in a `text_hl` string. Never fails: text that is not complete
/// gene markup is skipped.
pub fn extract_genes(text_hl: &str) -> Vec<GeneMention> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(off) = text_hl[pos..].find(GENE_TAG) {
        let start = pos + off;
        let mut cur = start;
        let mut tokens: Vec<&str> = Vec::new();
        let display = loop {
            let rest = &text_hl[cur..];
            if let Some(r) = rest.strip_prefix(GENE_TAG) {
                let end = r.find(char::is_whitespace).unwrap_or(r.len());
                tokens.push(&r[..end]);
                cur += GENE_TAG.len() + end;
                let after = &text_hl[cur..];
                let ws = after.len() - after.trim_start().len();
                if ws == 0 {
                    break None;
                }
                cur += ws;
            } else if let Some(r) = rest.strip_prefix(DISPLAY) {
                break r.find(DISPLAY).map(|e| {
                    cur += 2 * DISPLAY.len() + e;
                    &r[..e]
                });
            } else {
                break None;
            }
        };
        // An incomplete run cannot become complete from a later token of the same run.
        pos = cur.max(start + GENE_TAG.len());
        if let Some(display) = display {
            mentions_of(&tokens, display, &mut out);
        }
    }
    out
}

fn mentions_of(tokens: &[&str], display: &str, out: &mut Vec<GeneMention>) {
    let mut symbols: Vec<&str> = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for t in tokens.iter().filter(|t| !t.is_empty()) {
        let parts: Vec<&str> = t.split([';', ',']).collect();
        if parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            for p in parts {
                if !ids.contains(&p) {
                    ids.push(p);
                }
            }
        } else {
            symbols.push(t);
        }
    }
    let text = display
        .replace("<m>", "")
        .replace("</m>", "")
        .trim()
        .to_string();
    let paired = symbols.len() == ids.len();
    for (i, id) in ids.iter().enumerate() {
        out.push(GeneMention {
            symbol: paired.then(|| symbols[i].to_string()),
            ncbi_id: (*id).to_string(),
            text: text.clone(),
        });
    }
}

/// The genes of one article's `text_hl`, de-duplicated by NCBI id (first mention wins; a
/// later mention supplies the symbol if the first had none).
pub fn article_genes(text_hl: &str) -> Vec<ArticleGene> {
    let mut genes: Vec<ArticleGene> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for m in extract_genes(text_hl) {
        match index.get(&m.ncbi_id) {
            Some(&i) => {
                let g = &mut genes[i];
                g.mention_count += 1;
                if g.symbol.is_none() {
                    g.symbol = m.symbol;
                }
            }
            None => {
                index.insert(m.ncbi_id.clone(), genes.len());
                genes.push(ArticleGene {
                    symbol: m.symbol,
                    ncbi_id: m.ncbi_id,
                    mention: m.text,
                    mention_count: 1,
                });
            }
        }
    }
    genes
}

fn non_negative(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0)
            .map(|f| f as u64)
    })
}

fn opt_string(r: &Value, key: &str, n: u64) -> Result<Option<String>, ParseProblem> {
    match r.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok((!s.trim().is_empty()).then(|| s.clone())),
        Some(other) => Err(ParseProblem::at(
            n,
            format!("result {n}: `{key}` is not a string: {other}"),
        )),
    }
}

fn pmid_of(r: &Value, n: u64) -> Result<u64, ParseProblem> {
    let bad = |what: &Value| ParseProblem::at(n, format!("result {n}: bad `pmid` {what}"));
    match r.get("pmid") {
        Some(Value::Number(_)) => r["pmid"]
            .as_u64()
            .filter(|p| *p > 0)
            .ok_or_else(|| bad(&r["pmid"])),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| bad(&r["pmid"])),
        Some(other) => Err(bad(other)),
        None => match r.get("_id") {
            Some(Value::String(s)) => s
                .split('|')
                .next()
                .and_then(|p| p.trim().parse().ok())
                .filter(|p| *p > 0)
                .ok_or_else(|| bad(&r["_id"])),
            _ => Err(ParseProblem::at(n, format!("result {n}: no `pmid`"))),
        },
    }
}

/// Parse one page of `GET {api_url}/search/?text=…&page=N`.
pub fn parse_page(bytes: &[u8]) -> Result<SearchPage, ParseProblem> {
    let text = text_of(bytes, "PubTator3 search JSON")?;
    let v: Value = serde_json::from_str(text)
        .map_err(|e| ParseProblem::at(e.line() as u64, format!("not valid JSON: {e}")))?;
    let Value::Object(top) = &v else {
        return Err(ParseProblem::whole("expected a JSON object with `results`"));
    };
    let results = match top.get("results") {
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(ParseProblem::whole(format!(
                "`results` is not an array: {}",
                short(other)
            )));
        }
        None => return Err(ParseProblem::whole("missing `results`")),
    };
    let total_pages = match top.get("total_pages") {
        Some(t) => non_negative(t).ok_or_else(|| {
            ParseProblem::whole(format!("`total_pages` is not a count: {}", short(t)))
        })?,
        None => return Err(ParseProblem::whole("missing `total_pages`")),
    };
    let count_of = |key: &str| -> Result<Option<u64>, ParseProblem> {
        match top.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(c) => non_negative(c).map(Some).ok_or_else(|| {
                ParseProblem::whole(format!("`{key}` is not a count: {}", short(c)))
            }),
        }
    };
    let current = count_of("current")?;
    let count = count_of("count")?;
    let mut articles = Vec::with_capacity(results.len());
    for (i, r) in results.iter().enumerate() {
        let n = i as u64 + 1;
        if !r.is_object() {
            return Err(ParseProblem::at(n, format!("result {n} is not an object")));
        }
        let pmid = pmid_of(r, n)?;
        let text_hl = opt_string(r, "text_hl", n)?.unwrap_or_default();
        let score = match r.get("score") {
            None | Some(Value::Null) => None,
            Some(s) => Some(s.as_f64().ok_or_else(|| {
                ParseProblem::at(n, format!("result {n}: `score` is not a number: {s}"))
            })?),
        };
        articles.push(Article {
            pmid,
            title: opt_string(r, "title", n)?,
            journal: opt_string(r, "journal", n)?,
            date: opt_string(r, "date", n)?,
            score,
            genes: article_genes(&text_hl),
        });
    }
    Ok(SearchPage {
        current,
        total_pages,
        count,
        articles,
    })
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// The staged rows of one article.
pub fn rows_of(a: &Article) -> Vec<StagedRow> {
    a.genes
        .iter()
        .map(|g| StagedRow {
            record_key: format!("{}/{}", a.pmid, g.ncbi_id),
            reported_symbol: g.symbol.clone(),
            reported_hgnc_id: None,
            reported_ncbi_id: Some(g.ncbi_id.clone()),
            reported_ensembl_id: None,
            details: super::details(&Record {
                pmid: a.pmid.to_string(),
                title: a.title.clone(),
                journal: a.journal.clone(),
                date: a.date.clone(),
                score: a.score,
                mention: (!g.mention.is_empty()).then(|| g.mention.clone()),
                mention_count: g.mention_count,
            }),
        })
        .collect()
}

/// The upstream URL of one search page (the query with whitespace collapsed, form-encoded).
/// With a `sort` (e.g. `date desc`: newest first, which the incremental stop relies on) the
/// parameter is added after the page.
pub fn search_url(api_url: &str, query: &str, sort: Option<&str>, page: u64) -> String {
    let enc = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    let q = enc(&collapse(query));
    let sort = sort
        .map(|s| format!("&sort={}", enc(s.trim())))
        .unwrap_or_default();
    format!(
        "{}/search/?text={q}&page={page}{sort}",
        api_url.trim_end_matches('/')
    )
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The PMID of a staged row (`{pmid}/{ncbi_id}`).
fn pmid_of_key(key: &str) -> Option<u64> {
    key.split('/').next()?.parse().ok()
}

/// The resumable state kept in the `checkpoints` table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
struct Checkpoint {
    api_url: String,
    query: String,
    /// Pages of the fetch not yet committed, in order from page 1.
    pages: Vec<PageRecord>,
    /// PMIDs without gene markup seen by committed fetches.
    #[serde(default)]
    pmids_without_genes: BTreeSet<u64>,
}

/// A page's download record, enough to re-read its stored copy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct PageRecord {
    page: u64,
    url: String,
    final_url: String,
    http_status: u16,
    etag: Option<String>,
    last_modified: Option<String>,
    sha256: String,
    bytes: u64,
    stored_path: String,
    fetched_at: String,
    not_modified: bool,
    /// PMIDs of this page without gene markup.
    #[serde(default)]
    without_genes: Vec<u64>,
}

impl PageRecord {
    fn of(page: u64, d: &DownloadRecord, without_genes: Vec<u64>) -> PageRecord {
        PageRecord {
            page,
            url: d.url.clone(),
            final_url: d.final_url.clone(),
            http_status: d.http_status,
            etag: d.etag.clone(),
            last_modified: d.last_modified.clone(),
            sha256: d.sha256.clone(),
            bytes: d.bytes,
            stored_path: d.stored_path.clone(),
            fetched_at: d.fetched_at.clone(),
            not_modified: d.not_modified,
            without_genes,
        }
    }

    fn record(&self, source: &str) -> DownloadRecord {
        DownloadRecord {
            id: 0,
            source: source.to_string(),
            url: self.url.clone(),
            final_url: self.final_url.clone(),
            http_status: self.http_status,
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
            sha256: self.sha256.clone(),
            bytes: self.bytes,
            stored_path: self.stored_path.clone(),
            fetched_at: self.fetched_at.clone(),
            not_modified: self.not_modified,
            upstream_version: None,
        }
    }
}

fn info(session: &Session<'_>, message: &str) {
    session.reporter.event(Event::Info { message });
}

/// Whether an RFC 3339 time is more than `days` days ago (unreadable: treated as old).
fn older_than(rfc3339: &str, days: u64) -> bool {
    let fmt = time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(rfc3339, &fmt) {
        Ok(t) => time::OffsetDateTime::now_utc() - t > time::Duration::days(days as i64),
        Err(_) => true,
    }
}

/// Load the checkpoint for this query: a committed, stale or foreign one is reset.
fn load_checkpoint(
    session: &Session<'_>,
    api_url: &str,
    query: &str,
    max_age_days: u64,
) -> Result<Checkpoint, SourceError> {
    let store = session.store;
    let source = session.source;
    let saved = store
        .checkpoint(source)?
        .and_then(|v| serde_json::from_value::<Checkpoint>(v).ok());
    let mut cp = match saved {
        Some(cp) if cp.api_url == api_url && cp.query == query => cp,
        _ => Checkpoint {
            api_url: api_url.to_string(),
            query: query.to_string(),
            ..Default::default()
        },
    };
    if let Some(first) = cp.pages.first()
        && store.download_recorded(&first.record(source))?
    {
        let done = std::mem::take(&mut cp.pages);
        cp.pmids_without_genes
            .extend(done.into_iter().flat_map(|p| p.without_genes));
    }
    if let Some(first) = cp.pages.first()
        && older_than(&first.fetched_at, max_age_days)
    {
        info(
            session,
            &format!(
                "{source}: not resuming the fetch interrupted on {} (older than max_age_days)",
                first.fetched_at
            ),
        );
        cp.pages.clear();
    }
    Ok(cp)
}

/// Fetch and stage this source.
pub async fn fetch(session: &mut Session<'_>, settings: &Settings) -> Result<Staged, SourceError> {
    let source = session.source;
    let store = session.store;
    let api_url = settings.api_url.value.trim_end_matches('/').to_string();
    let query = collapse(&settings.query.value);
    let max_pages = settings.max_pages.as_ref().map(|m| m.value);
    let stop_after = settings.known_pages_to_stop.value.max(1);
    let offline = session.offline();

    let previous = store.staged_rows(source)?;
    let incremental = !previous.is_empty();
    let mut cp = load_checkpoint(session, &api_url, &query, settings.max_age_days.value)?;
    let mut known: HashSet<u64> = previous
        .iter()
        .filter_map(|(_, r)| pmid_of_key(&r.record_key))
        .collect();
    known.extend(cp.pmids_without_genes.iter().copied());
    let mut replay = if offline {
        Vec::new()
    } else {
        std::mem::take(&mut cp.pages)
    };
    if !replay.is_empty() {
        info(
            session,
            &format!(
                "{source}: resuming an interrupted fetch: pages 1-{} from stored copies",
                replay.len()
            ),
        );
    }
    replay.reverse(); // pop() yields page 1 first

    let mut rows: Vec<(usize, StagedRow)> = Vec::new();
    let mut keys: HashSet<String> = HashSet::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut streak = 0u64;
    let mut total_pages: Option<u64> = None;
    let mut page = 1u64;
    let mut stopped_known = false;
    let mut pages_read = 0u64;
    loop {
        if max_pages.is_some_and(|m| page > m) || total_pages.is_some_and(|t| page > t) {
            break;
        }
        let url = search_url(&api_url, &query, settings.sort.as_deref(), page);
        // Bytes of this page: the stored copy of a checkpointed page, else a request.
        let mut got: Option<(usize, Vec<u8>, bool)> = None;
        if let Some(p) = replay.pop() {
            let rec = p.record(source);
            match (p.page == page && p.url == url)
                .then(|| crate::fetch::load_stored(session.data_dir, &rec))
            {
                Some(Ok(bytes)) => {
                    session.records.push(rec);
                    cp.pages.push(p);
                    got = Some((session.records.len() - 1, bytes, true));
                }
                // Unusable: fetch this page and every later one again.
                _ => replay.clear(),
            }
        }
        let (download, bytes, replayed) = match got {
            Some(g) => g,
            None => {
                if offline && page > 1 && store.last_good_download(source, &url)?.is_none() {
                    break; // offline: the stored pages end here
                }
                let file = session.get(&url).await?;
                (file.download, file.bytes, false)
            }
        };
        let parsed = parse_page(&bytes).map_err(|problem| problem.at_url(source, &url))?;
        if let Some(c) = parsed.current
            && c != page
        {
            return Err(SourceError::unusable(
                source,
                format!("{url}: answered page {c} instead of {page}"),
            ));
        }
        // Not checkpointed: an empty first answer must be asked again next time.
        if page == 1 && parsed.articles.is_empty() {
            return Err(SourceError::unusable(
                source,
                format!("the query matched no articles ({url}); previous rows kept"),
            ));
        }
        if !replayed && !offline {
            let without: Vec<u64> = parsed
                .articles
                .iter()
                .filter(|a| a.genes.is_empty())
                .map(|a| a.pmid)
                .collect();
            cp.pages
                .push(PageRecord::of(page, &session.records[download], without));
            let state = serde_json::to_value(&cp).map_err(|e| {
                SourceError::unusable(source, format!("cannot record the checkpoint: {e}"))
            })?;
            store.save_checkpoint(source, &state)?;
        }
        pages_read += 1;
        total_pages = Some(parsed.total_pages);
        if parsed.articles.is_empty() {
            break;
        }
        let all_known = parsed.articles.iter().all(|a| known.contains(&a.pmid));
        for a in &parsed.articles {
            seen.insert(a.pmid);
            for r in rows_of(a) {
                if keys.insert(r.record_key.clone()) {
                    rows.push((download, r));
                }
            }
        }
        if incremental {
            streak = if all_known { streak + 1 } else { 0 };
            if streak >= stop_after {
                stopped_known = true;
                break;
            }
        }
        page += 1;
    }
    let new_rows = rows.len();
    if incremental {
        // Keep the old rows of articles this fetch did not see again.
        let mut linked: HashMap<i64, usize> = HashMap::new();
        for (did, r) in previous {
            if pmid_of_key(&r.record_key).is_some_and(|p| seen.contains(&p))
                || keys.contains(&r.record_key)
            {
                continue;
            }
            let idx = match did {
                Some(id) => match linked.get(&id) {
                    Some(i) => *i,
                    None => {
                        let i = match store.download_by_id(id)? {
                            Some(d) => {
                                session.records.push(d);
                                session.records.len() - 1
                            }
                            None => usize::MAX,
                        };
                        linked.insert(id, i);
                        i
                    }
                },
                None => usize::MAX,
            };
            rows.push((idx, r));
        }
    }
    info(
        session,
        &format!(
            "{source}: {pages_read} page(s){}, {} articles, {new_rows} PMID-gene pairs read, {} staged",
            if stopped_known {
                format!(" (stopped after {stop_after} known pages)")
            } else {
                String::new()
            },
            seen.len(),
            rows.len()
        ),
    );
    // PubTator has no release: the version says how many articles the staged rows cover.
    let articles = rows
        .iter()
        .filter_map(|(_, r)| pmid_of_key(&r.record_key))
        .collect::<std::collections::HashSet<_>>()
        .len();
    Ok(Staged {
        rows,
        upstream_version: Some(format!("{articles} articles with genes")),
        companions: Vec::new(),
        keep_stored: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIDNEY: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/reconstructed/pubtator3/search/kidney"
    );
    const BRCA1: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/raw/pubtator/search_text-BRCA1_page-1.json"
    );
    const EMPTY: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/raw/pubtator/search_text-nonexistent_page-1.json"
    );

    fn kidney_page(n: u64) -> SearchPage {
        let bytes = std::fs::read(format!("{KIDNEY}/page-{n}.json")).unwrap();
        parse_page(&bytes).unwrap()
    }

    #[test]
    fn kidney_page_1_has_pkd1_in_pmid_38275584() {
        let p = kidney_page(1);
        assert_eq!(p.current, Some(1));
        assert_eq!(p.total_pages, 486);
        assert_eq!(p.count, Some(4860));
        assert_eq!(p.articles.len(), 10);
        let a = p.articles.iter().find(|a| a.pmid == 38275584).unwrap();
        let ids: Vec<_> = a.genes.iter().map(|g| g.ncbi_id.as_str()).collect();
        assert_eq!(ids, ["51726", "5310", "5311"]); // DNAJB11, PKD1, PKD2
        let rows = rows_of(a);
        let pkd1 = &rows[1];
        assert_eq!(pkd1.record_key, "38275584/5310");
        assert_eq!(pkd1.reported_symbol.as_deref(), Some("PKD1"));
        assert_eq!(pkd1.reported_ncbi_id.as_deref(), Some("5310"));
        assert_eq!(pkd1.details.value()["pmid"], "38275584");
        assert_eq!(pkd1.details.value()["mention"], "PKD1");
        assert_eq!(pkd1.details.value()["mention_count"], 1);
        assert_eq!(pkd1.details.value()["score"], 1.0);
        // The reconstruction left titles empty: stored as null, not "".
        assert_eq!(pkd1.details.value()["title"], Value::Null);
        // Page 1 holds 24 PMID-gene pairs.
        assert_eq!(p.articles.iter().map(|a| a.genes.len()).sum::<usize>(), 24);
    }

    #[test]
    fn all_486_kidney_pages_give_10933_pairs_of_4860_pmids() {
        let mut pairs = 0;
        let mut pmids = HashSet::new();
        let mut pkd1 = 0;
        for n in 1..=486 {
            let p = kidney_page(n);
            assert_eq!(p.current, Some(n));
            for a in &p.articles {
                pmids.insert(a.pmid);
                pairs += a.genes.len();
                pkd1 += a.genes.iter().filter(|g| g.ncbi_id == "5310").count();
                assert!(a.genes.iter().all(|g| g.symbol.is_some()));
            }
        }
        assert_eq!(pairs, 10_933);
        assert_eq!(pmids.len(), 4_860);
        assert_eq!(pkd1, 878);
    }

    #[test]
    fn hyphenated_symbols_are_read() {
        // Page 153 has HLA-B (NCBI 3106): a `@GENE_(\w+)` pattern would miss it.
        let p = kidney_page(153);
        let g = p
            .articles
            .iter()
            .flat_map(|a| &a.genes)
            .find(|g| g.ncbi_id == "3106")
            .unwrap();
        assert_eq!(g.symbol.as_deref(), Some("HLA-B"));
    }

    #[test]
    fn real_brca1_page_dedups_by_gene_and_reads_metadata() {
        let p = parse_page(&std::fs::read(BRCA1).unwrap()).unwrap();
        assert_eq!(p.total_pages, 6111);
        assert_eq!(p.count, Some(61105));
        assert_eq!(p.articles.len(), 10);
        let a = &p.articles[0];
        assert_eq!(a.pmid, 34083286);
        assert_eq!(a.journal.as_deref(), Some("Anticancer Res"));
        assert_eq!(a.date.as_deref(), Some("2021-06-01T00:00:00Z"));
        assert_eq!(a.score, Some(253.3446));
        // BRCA1 twice in the title -> one gene, two mentions.
        assert_eq!(
            a.genes,
            [ArticleGene {
                symbol: Some("BRCA1".into()),
                ncbi_id: "672".into(),
                mention: "BRCA1".into(),
                mention_count: 2,
            }]
        );
        // 33606355: BRCA1 and RACK1 (10399), three and two mentions.
        let b = p.articles.iter().find(|a| a.pmid == 33606355).unwrap();
        let got: Vec<_> = b
            .genes
            .iter()
            .map(|g| (g.ncbi_id.as_str(), g.mention_count))
            .collect();
        assert_eq!(got, [("672", 3), ("10399", 2)]);
        // Mouse `Brca1` is normalized by PubTator to the human gene; display kept.
        let c = p.articles.iter().find(|a| a.pmid == 38359745).unwrap();
        assert_eq!(c.genes[0].mention, "Brca1");
        // 34454564 has only a Disease annotation and a bare <m>BRCA1</m>: no gene.
        let d = p.articles.iter().find(|a| a.pmid == 34454564).unwrap();
        assert!(d.genes.is_empty());
        let rows: usize = p.articles.iter().map(|a| rows_of(a).len()).sum();
        assert_eq!(rows, 9);
    }

    #[test]
    fn real_empty_answer_parses_to_no_articles() {
        let p = parse_page(&std::fs::read(EMPTY).unwrap()).unwrap();
        assert_eq!(p.total_pages, 0);
        assert_eq!(p.count, Some(0));
        assert!(p.articles.is_empty());
    }

    #[test]
    fn multiple_ids_and_symbols() {
        // Several ids in one token, synonyms before the ids, unpaired symbols.
        let m = extract_genes("x @GENE_BRCA1 @GENE_BRCA2 @GENE_672 @GENE_675 @@@BRCA1/2@@@ y");
        let got: Vec<_> = m
            .iter()
            .map(|g| (g.symbol.as_deref(), g.ncbi_id.as_str(), g.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("BRCA1"), "672", "BRCA1/2"),
                (Some("BRCA2"), "675", "BRCA1/2")
            ]
        );
        let m = extract_genes("@GENE_BRCA1 @GENE_672;675 @@@<m>BRCA1</m>/2@@@");
        let got: Vec<_> = m
            .iter()
            .map(|g| (g.symbol.as_deref(), g.ncbi_id.as_str()))
            .collect();
        assert_eq!(got, [(None, "672"), (None, "675")]);
        let m = extract_genes("@GENE_672,675 @@@x@@@");
        assert_eq!(m.len(), 2);
        // Only a symbol: no id, nothing staged.
        assert!(extract_genes("@GENE_PKD1 @@@PKD1@@@").is_empty());
        // Other entities and unterminated markup are ignored.
        assert!(extract_genes("@DISEASE_Neoplasms @DISEASE_MESH:D009369 @@@cancers@@@").is_empty());
        assert!(extract_genes("@GENE_PKD1 @GENE_5310 @@@PKD1").is_empty());
        assert!(extract_genes("@GENE_PKD1 @GENE_5310 PKD1@@@").is_empty());
        // A broken run followed by a good mention.
        let m = extract_genes("@GENE_X @GENE_1 oops @GENE_PKD2 @GENE_5311 @@@PKD2@@@");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].ncbi_id, "5311");
        // Adjacent to punctuation, as in real titles (`@@@BRCA1@@@-BRCT`).
        let m = article_genes(
            "@GENE_BRCA1 @GENE_672 @@@<m>BRCA1</m>@@@-BRCT and @GENE_BRCA1 @GENE_672 @@@BRCA1@@@.",
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].mention_count, 2);
    }

    #[test]
    fn search_url_encodes_the_query() {
        let u = search_url(
            "https://www.ncbi.nlm.nih.gov/research/pubtator3-api/",
            "(\"kidney disease\"  OR\n \"renal disease\")",
            None,
            3,
        );
        assert_eq!(
            u,
            "https://www.ncbi.nlm.nih.gov/research/pubtator3-api/search/?text=%28%22kidney+disease%22+OR+%22renal+disease%22%29&page=3"
        );
        let u = search_url("https://x/api", "a b", Some("date desc"), 2);
        assert_eq!(u, "https://x/api/search/?text=a+b&page=2&sort=date+desc");
    }

    #[test]
    fn malformed_pages_are_rejected_with_where() {
        let e = parse_page(b"").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = parse_page(b"<!DOCTYPE html><html>busy</html>").unwrap_err();
        assert!(e.message.contains("HTML"), "{e}");
        let e = parse_page(b"{\"results\": [], ").unwrap_err();
        assert!(e.message.contains("not valid JSON"), "{e}");
        let e = parse_page(br#"{"total_pages": 1}"#).unwrap_err();
        assert_eq!(e.message, "missing `results`");
        let e = parse_page(br#"{"results": []}"#).unwrap_err();
        assert_eq!(e.message, "missing `total_pages`");
        let e = parse_page(br#"{"results": {}, "total_pages": 1}"#).unwrap_err();
        assert!(e.message.contains("not an array"), "{e}");
        let e = parse_page(br#"{"results": [], "total_pages": "many"}"#).unwrap_err();
        assert!(e.message.contains("not a count"), "{e}");
        let e = parse_page(
            br#"{"results": [{"pmid": 1, "text_hl": ""}, {"title": "x"}], "total_pages": 1}"#,
        )
        .unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("no `pmid`"), "{e}");
        let e = parse_page(br#"{"results": [{"pmid": "abc"}], "total_pages": 1}"#).unwrap_err();
        assert!(e.message.contains("bad `pmid`"), "{e}");
        let e = parse_page(br#"{"results": [{"pmid": 5, "text_hl": 7}], "total_pages": 1}"#)
            .unwrap_err();
        assert!(e.message.contains("`text_hl` is not a string"), "{e}");
        let e = parse_page(br#"{"results": [{"pmid": 5, "score": "high"}], "total_pages": 1}"#)
            .unwrap_err();
        assert!(e.message.contains("`score` is not a number"), "{e}");
        // `_id` stands in for a missing `pmid`.
        let p = parse_page(br#"{"results": [{"_id": "123", "text_hl": "@GENE_A @GENE_9 @@@A@@@"}], "total_pages": 1}"#)
            .unwrap();
        assert_eq!(p.articles[0].pmid, 123);
        assert_eq!(rows_of(&p.articles[0])[0].record_key, "123/9");
    }

    #[test]
    fn checkpoint_state_round_trips_through_json() {
        let cp = Checkpoint {
            api_url: "a".into(),
            query: "q".into(),
            pages: vec![PageRecord {
                page: 1,
                url: "u".into(),
                final_url: "u".into(),
                http_status: 200,
                etag: Some("\"e\"".into()),
                last_modified: None,
                sha256: "s".into(),
                bytes: 3,
                stored_path: "raw/pubtator/s.gz".into(),
                fetched_at: "t".into(),
                not_modified: false,
                without_genes: vec![7],
            }],
            pmids_without_genes: [1, 2].into(),
        };
        let v = serde_json::to_value(&cp).unwrap();
        assert_eq!(serde_json::from_value::<Checkpoint>(v).unwrap(), cp);
        let rec = cp.pages[0].record("pubtator");
        assert_eq!(PageRecord::of(1, &rec, vec![7]), cp.pages[0]);
    }

    #[test]
    fn checkpoint_age() {
        assert!(older_than("2020-01-01T00:00:00Z", 14));
        assert!(older_than("not a time", 14));
        assert!(!older_than(&crate::store::now_utc(), 14));
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn extractor_never_panics(s in "\\PC*") {
                let _ = article_genes(&s);
            }

            #[test]
            fn markup_like_strings_never_panic_and_ids_are_digits(
                parts in proptest::collection::vec(
                    prop_oneof![
                        Just("@GENE_".to_string()),
                        Just("@@@".to_string()),
                        Just(" ".to_string()),
                        Just(";".to_string()),
                        "[0-9]{1,4}",
                        "[A-Za-z-]{1,5}",
                        "\\PC{0,3}",
                    ],
                    0..40,
                )
            ) {
                let s = parts.concat();
                for g in extract_genes(&s) {
                    prop_assert!(!g.ncbi_id.is_empty());
                    prop_assert!(g.ncbi_id.bytes().all(|b| b.is_ascii_digit()));
                }
            }

            #[test]
            fn arbitrary_bytes_never_panic_the_page_parser(b in proptest::collection::vec(any::<u8>(), 0..512)) {
                let _ = parse_page(&b);
            }

            #[test]
            fn json_like_pages_never_panic(hl in "\\PC{0,80}", pmid in any::<i64>()) {
                let page = json!({"results": [{"pmid": pmid, "text_hl": hl}], "total_pages": 1});
                let _ = parse_page(page.to_string().as_bytes());
            }
        }
    }
}
