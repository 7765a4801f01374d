//! The static site: HTML pages, a compact JS data file, a static JSON API and the downloads,
//! rendered from a [`model::SiteData`] by [`render`].
//!
//! Why a static site: clinicians, geneticists and curators need a fast, citable list that
//! works anywhere (a web server, an archive, a laptop over `file://`) and cannot go down; so
//! every page is a file, the gene table is one page with its data in a classic script
//! (`data.js`, `window.KGDB = …`, no fetch), and all downloads and the JSON API are files
//! with stable paths.
//!
//! Layout of the output folder:
//! - `index.html` (gene table), `data.js`, `table.js`, `site.css`, and loaded on demand:
//!   `ann.js` (the optional annotation columns), `ids.js` (identifiers for look-ups and pasted
//!   lists), `export.js` (genes.csv rows and transcript spans for the view's downloads);
//! - `genes/HGNC_<n>.html` and `genes/HGNC_<n>.json` per gene;
//! - `sources.html`, `methods.html`, `api.html`;
//! - `network.html` with `network.js` and `network.css` (the kidney protein network drawn on
//!   a canvas from `network/network-data.js`; pasted gene lists are clustered and tested for
//!   enrichment in the browser, with `network/genesets-*.js` loaded on demand);
//! - `downloads/` (genes.json, genes.csv, genes.tsv, evidence.csv, annotations.csv,
//!   annotations.tsv, the tables as Parquet when `kgdb build` passes the encoder,
//!   datapackage.json, manifest.json, .zenodo.json, CITATION.cff, SHA256SUMS, index.html
//!   with the column dictionary and the citation);
//! - `api/genes.json`, `api/sources.json`, `api/release.json`, and their schemas (and those
//!   of `genes/HGNC_<n>.json` and `downloads/genes.json`) under `api/schema/` ([`schema`]);
//! - with `site.base_url` only: `sitemap.xml`, `robots.txt`, `404.html` ([`public`]), and a
//!   canonical link on every page.
//!
//! Safety: templates are rendered with HTML auto-escaping, only `http(s)` URLs from upstream
//! become links, the JS data has every `<` escaped as `\u003c`, and every page carries a
//! Content-Security-Policy that allows no inline script or style. The build is atomic: it
//! renders into a temporary sibling folder and swaps it in only when everything succeeded.

mod charts;
mod citation;
mod datapackage;
mod downloads;
mod files;
mod format;
mod gene_annotations;
mod index_data;
pub mod model;
mod network;
mod pages;
mod public;
pub mod publish;
pub mod schema;
pub mod table;
#[cfg(test)]
mod tests;
mod view;

/// What `kgdb mcp` reuses of a build: the citation text and the checksum of a published file.
pub use downloads::sha256_hex;
pub use index_data::citation;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use minijinja::Environment;
use minijinja::value::{Serde, Value};

use model::SiteData;

use crate::registry::Registry;

/// What one [`render`] produced.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildReport {
    /// The site folder (the `out` given to [`render`]).
    pub out: PathBuf,
    pub genes: usize,
    /// Files written.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// index.html + site.css + table.js + data.js, each gzip-compressed (what a browser
    /// downloads for the gene table).
    pub index_gzip_bytes: u64,
    /// The largest gene page (path relative to `out`, bytes uncompressed).
    pub largest_gene_page: Option<(String, u64)>,
    /// Gene pages over [`GENE_PAGE_BUDGET`] bytes.
    pub gene_pages_over_budget: Vec<String>,
    pub elapsed_ms: u128,
}

/// A gene page should stay under this many bytes (issue 5).
pub const GENE_PAGE_BUDGET: u64 = 60 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("template {template}: {message}")]
    Template { template: String, message: String },
    #[error("gene {hgnc_id:?}: {problem}")]
    Gene { hgnc_id: String, problem: String },
    #[error("{0} exists and is not a kgdb site (no .kgdb-site marker); refusing to replace it")]
    NotASite(PathBuf),
    #[error("{what}: {source}")]
    Serialize {
        what: String,
        source: serde_json::Error,
    },
    #[error("{what}: {message}")]
    Csv { what: String, message: String },
}

/// The file that marks a folder as a kgdb site, so [`render`] never replaces anything else.
pub const MARKER: &str = ".kgdb-site";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Renders the whole site of one release into `out`, atomically, on its own (no release
/// archive: tests, examples): everything is written into a temporary sibling folder
/// (`.<name>.tmp-…`) which replaces `out` only when every step succeeded, with this
/// release's downloads also under `releases/<release>/`. A failed build leaves the previous
/// site untouched and removes its temporary folder. `out` may be missing or empty; an
/// existing non-empty folder must be a previous kgdb site (it has the [`MARKER`] file).
/// `kgdb build` renders with [`render_into_dir`] into the release archive and publishes
/// with [`publish::publish`] instead.
pub fn render(data: &SiteData, registry: &Registry, out: &Path) -> Result<BuildReport, SiteError> {
    render_with(data, registry, &[], out)
}

/// [`render`], with a typed copy of genes.csv, evidence.csv and annotations.csv written by
/// each of `encoders` (`kgdb build` passes the Parquet encoder, `crate::parquet`).
pub fn render_with(
    data: &SiteData,
    registry: &Registry,
    encoders: &[&dyn table::TableEncoder],
    out: &Path,
) -> Result<BuildReport, SiteError> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| SiteError::Io {
            path: out.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the output must be a named folder",
            ),
        })?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    publish::check_output(out)?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let mut report = render_into_dir(data, registry, encoders, tmp.path())?;
    report.out = out.to_path_buf();
    copy_tree(
        &tmp.path().join("downloads"),
        &tmp.path().join("releases").join(&data.release),
    )?;
    fs::write(
        tmp.path().join(MARKER),
        format!("kgdb {} release {}\n", data.kgdb_version, data.release),
    )
    .map_err(io(tmp.path()))?;
    let staged = tmp.keep();
    if out.exists() {
        publish::swap_dirs(out, &parent, &name, &staged)?;
    } else if let Err(e) = fs::rename(&staged, out) {
        let _ = fs::remove_dir_all(&staged);
        return Err(io(out)(e));
    }
    Ok(report)
}

/// Renders every page, data file, download and API file of `data` into the folder `dir`
/// (no marker, no `releases/`; [`publish`] adds those from the release archive).
pub fn render_into_dir(
    data: &SiteData,
    registry: &Registry,
    encoders: &[&dyn table::TableEncoder],
    dir: &Path,
) -> Result<BuildReport, SiteError> {
    let started = Instant::now();
    let mut w = Writer::new(dir.to_path_buf());
    let stats = render_into(data, registry, encoders, &mut w)?;
    Ok(BuildReport {
        out: dir.to_path_buf(),
        genes: data.genes.len(),
        files: w.files,
        bytes: w.bytes,
        index_gzip_bytes: stats.index_gzip_bytes,
        largest_gene_page: stats.largest_gene_page,
        gene_pages_over_budget: stats.over_budget,
        elapsed_ms: started.elapsed().as_millis(),
    })
}

/// Writes files below a root folder and counts them.
pub(crate) struct Writer {
    root: PathBuf,
    files: usize,
    bytes: u64,
}

impl Writer {
    fn new(root: PathBuf) -> Self {
        Writer {
            root,
            files: 0,
            bytes: 0,
        }
    }

    pub(crate) fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), SiteError> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let mut f = fs::File::create(&path).map_err(io(&path))?;
        f.write_all(bytes).map_err(io(&path))?;
        self.files += 1;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

/// Copy a folder recursively (hard links where the file system allows).
fn copy_tree(from: &Path, to: &Path) -> Result<(), SiteError> {
    fs::create_dir_all(to).map_err(io(to))?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io(&src))?.is_dir() {
            copy_tree(&src, &dst)?;
        } else if fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst).map_err(io(&src))?;
        }
    }
    Ok(())
}

/// What one rendering thread wrote: each page's stem and HTML size, in gene order.
struct GenePages {
    sizes: Vec<(String, u64)>,
    files: usize,
    bytes: u64,
}

struct Stats {
    index_gzip_bytes: u64,
    largest_gene_page: Option<(String, u64)>,
    over_budget: Vec<String>,
}

/// The embedded templates, CSS and JS (the binary needs no files beside it).
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("gene.html", include_str!("../../templates/gene.html")),
    (
        "sources/_section.html",
        include_str!("../../templates/sources/_section.html"),
    ),
    (
        "annotations/_section.html",
        include_str!("../../templates/annotations/_section.html"),
    ),
    (
        "annotations/_unknown.html",
        include_str!("../../templates/annotations/_unknown.html"),
    ),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("methods.html", include_str!("../../templates/methods.html")),
    (
        "downloads.html",
        include_str!("../../templates/downloads.html"),
    ),
    ("api.html", include_str!("../../templates/api.html")),
    ("network.html", include_str!("../../templates/network.html")),
    ("changes.html", include_str!("../../templates/changes.html")),
    ("404.html", include_str!("../../templates/404.html")),
];
const CSS: &str = include_str!("../../templates/site.css");
const TABLE_JS: &str = include_str!("../../templates/table.js");
const NETWORK_JS: &str = include_str!("../../templates/network.js");
const NETWORK_CSS: &str = include_str!("../../templates/network.css");
const FAVICON: &str = include_str!("../../templates/favicon.svg");

/// The template environment: HTML auto-escaping for `.html` templates (minijinja's default
/// callback), strict undefined variables so a typo fails the build instead of printing "".
pub(crate) fn environment(registry: &Registry) -> Result<Environment<'static>, SiteError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // Escape & < > " ' in strings (what HTML needs); minijinja's default also escapes `/`,
    // which turns every URL into `https:&#x2f;&#x2f;…` and bloats the pages.
    env.set_formatter(|out, state, value| {
        if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
            && !value.is_safe()
            && let Some(s) = value.as_str()
        {
            return Ok(out.write_str(&charts::esc(s))?);
        }
        minijinja::escape_formatter(out, state, value)
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(name, &e))?;
    }
    // Each scoring source's gene-page partial, named by the registry.
    for name in registry.scoring_names() {
        if let Some(s) = registry.scoring(name) {
            let (name, source) = s.partial();
            env.add_template(name, source)
                .map_err(|e| template_error(name, &e))?;
        }
    }
    // Each annotation's gene-page partial, likewise.
    for a in registry.annotations() {
        let (name, source) = a.partial();
        env.add_template(name, source)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

fn template_error(name: &str, e: &minijinja::Error) -> SiteError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(&format!(": {s}"));
        source = s.source();
    }
    SiteError::Template {
        template: name.to_string(),
        message,
    }
}

pub(crate) fn render_template(
    env: &Environment<'static>,
    name: &str,
    ctx: &impl serde::Serialize,
) -> Result<String, SiteError> {
    let t = env
        .get_template(name)
        .map_err(|e| template_error(name, &e))?;
    t.render(Value::from(Serde(ctx)))
        .map_err(|e| template_error(name, &e))
}

/// Pretty JSON (small files people read: manifest, sources, release).
pub(crate) fn to_json(what: &str, v: &impl serde::Serialize) -> Result<Vec<u8>, SiteError> {
    let mut s = serde_json::to_vec_pretty(v).map_err(|source| SiteError::Serialize {
        what: what.to_string(),
        source,
    })?;
    s.push(b'\n');
    Ok(s)
}

/// Compact JSON (the large files: every gene, the gene index, one gene with all records).
pub(crate) fn to_json_compact(what: &str, v: &impl serde::Serialize) -> Result<Vec<u8>, SiteError> {
    let mut s = serde_json::to_vec(v).map_err(|source| SiteError::Serialize {
        what: what.to_string(),
        source,
    })?;
    s.push(b'\n');
    Ok(s)
}

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = e.write_all(bytes);
    e.finish().map(|v| v.len() as u64).unwrap_or(0)
}

fn render_into(
    data: &SiteData,
    registry: &Registry,
    encoders: &[&dyn table::TableEncoder],
    w: &mut Writer,
) -> Result<Stats, SiteError> {
    let env = environment(registry)?;
    let site = view::SiteView::new(data, registry);

    // The gene table: its page, data, script and style.
    let js_data = index_data::js(data, &site)?;
    let index = render_template(&env, "index.html", &pages::index(&site, data)?)?;
    w.write("site.css", CSS.as_bytes())?;
    w.write("favicon.svg", FAVICON.as_bytes())?;
    w.write("table.js", TABLE_JS.as_bytes())?;
    w.write("data.js", js_data.as_bytes())?;
    // The optional annotation columns: loaded by table.js only when one is switched on.
    if let Some(ann) = index_data::ann_js(data, registry)? {
        w.write("ann.js", ann.as_bytes())?;
    }
    // Loaded by table.js on demand too: identifiers for look-ups and lists, and the rows
    // and spans of a view's export.
    w.write("ids.js", index_data::ids_js(data)?.as_bytes())?;
    w.write(
        "export.js",
        index_data::export_js(data, &site, registry)?.as_bytes(),
    )?;
    w.write("index.html", index.as_bytes())?;
    // The network page's data (the page itself: templates/network.html).
    network::write_scripts(data, w)?;
    let index_gzip_bytes = gzip_len(index.as_bytes())
        + gzip_len(CSS.as_bytes())
        + gzip_len(TABLE_JS.as_bytes())
        + gzip_len(js_data.as_bytes());

    // Sources, methods.
    w.write(
        "sources.html",
        render_template(&env, "sources.html", &pages::sources(&site, data))?.as_bytes(),
    )?;
    w.write(
        "methods.html",
        render_template(&env, "methods.html", &pages::methods(&site, data))?.as_bytes(),
    )?;

    // The network page: its script and style (the data, `network/network-data.js`, and the
    // gene-set libraries it loads on demand are written with the network).
    w.write(
        "network.html",
        render_template(
            &env,
            "network.html",
            &pages::network(
                &site,
                data,
                index_data::annotation_columns(data, registry).as_ref(),
            ),
        )?
        .as_bytes(),
    )?;
    w.write("network.js", NETWORK_JS.as_bytes())?;
    w.write("network.css", NETWORK_CSS.as_bytes())?;

    // Downloads, then the API that lists their checksums, then its documentation.
    let downloads = downloads::write(
        data,
        &site,
        registry,
        encoders,
        network::downloads(data)?,
        w,
    )?;
    w.write(
        "downloads/index.html",
        render_template(
            &env,
            "downloads.html",
            &pages::downloads(&site, data, &downloads),
        )?
        .as_bytes(),
    )?;
    index_data::api(data, &site, &downloads, w)?;
    w.write(
        "api.html",
        render_template(&env, "api.html", &pages::api(&site, data, &downloads))?.as_bytes(),
    )?;

    // The change log: every release's additions, removals and tier changes.
    let changes = serde_json::to_vec_pretty(&data.changes).map_err(|e| SiteError::Serialize {
        what: "changes.json".into(),
        source: e,
    })?;
    w.write("changes.json", &changes)?;
    w.write(
        "changes.html",
        render_template(
            &env,
            "changes.html",
            &pages::changes(&site, data, &downloads.citation),
        )?
        .as_bytes(),
    )?;

    // One page and one JSON per gene, rendered on every core (the bulk of a build), then
    // written in HGNC order.
    let mut seen = std::collections::HashSet::new();
    for gene in &data.genes {
        let stem = format::gene_stem(&gene.summary.hgnc_id)?;
        if !seen.insert(stem) {
            return Err(SiteError::Gene {
                hgnc_id: gene.summary.hgnc_id.clone(),
                problem: "listed twice (one page per HGNC ID)".into(),
            });
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = data.genes.len().div_ceil(threads).max(1);
    // Each thread writes its pages as it renders them (holding every page until the end
    // would double the build's memory); the sizes come back for the report.
    fs::create_dir_all(w.root.join("genes")).map_err(io(&w.root))?;
    let rendered: Vec<Result<GenePages, SiteError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = data
            .genes
            .chunks(chunk)
            .map(|genes| {
                let (env, site) = (&env, &site);
                let mut out = Writer::new(w.root.clone());
                scope.spawn(move || {
                    let mut sizes = Vec::with_capacity(genes.len());
                    for gene in genes {
                        let stem = format::gene_stem(&gene.summary.hgnc_id)?;
                        let view = pages::gene(site, data, registry, gene)?;
                        let html = render_template(env, "gene.html", &view)?;
                        out.write(&format!("genes/{stem}.html"), html.as_bytes())?;
                        out.write(
                            &format!("genes/{stem}.json"),
                            &index_data::gene_json(data, gene, &stem)?,
                        )?;
                        sizes.push((stem, html.len() as u64));
                    }
                    Ok(GenePages {
                        sizes,
                        files: out.files,
                        bytes: out.bytes,
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(SiteError::Gene {
                        hgnc_id: String::new(),
                        problem: "a page renderer panicked".into(),
                    })
                })
            })
            .collect()
    });
    let mut largest: Option<(String, u64)> = None;
    let mut over_budget = Vec::new();
    for part in rendered {
        let part = part?;
        w.files += part.files;
        w.bytes += part.bytes;
        for (stem, len) in part.sizes {
            let path = format!("genes/{stem}.html");
            if len > GENE_PAGE_BUDGET {
                over_budget.push(path.clone());
            }
            if largest.as_ref().is_none_or(|(_, l)| len > *l) {
                largest = Some((path, len));
            }
        }
    }
    // Published at a known address: the files a public host needs.
    if let Some(base_url) = &site.base_url {
        let fixed = [
            "index.html",
            "sources.html",
            "methods.html",
            "network.html",
            "changes.html",
            "downloads/index.html",
            "api.html",
        ];
        let genes = data
            .genes
            .iter()
            .map(|g| {
                Ok(format!(
                    "genes/{}.html",
                    format::gene_stem(&g.summary.hgnc_id)?
                ))
            })
            .collect::<Result<Vec<_>, SiteError>>()?;
        let pages = fixed.into_iter().chain(genes.iter().map(String::as_str));
        w.write("sitemap.xml", public::sitemap(base_url, pages).as_bytes())?;
        w.write("robots.txt", public::robots(base_url).as_bytes())?;
        let not_found = public::not_found(&site, base_url);
        w.write(
            "404.html",
            render_template(&env, "404.html", &not_found)?.as_bytes(),
        )?;
    }
    Ok(Stats {
        index_gzip_bytes,
        largest_gene_page: largest,
        over_budget,
    })
}
