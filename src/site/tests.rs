//! Tests of the renderer on the real-pipeline fixture (`tests/fixtures/site_data.json`: a few
//! real genes as `kgdb build` loads them after a run on the mirror; `just site-fixture`), on
//! hostile upstream strings (the fixture, edited), and on a failing build (atomicity). The
//! page weights at full size are checked in `tests/it/site.rs` (synthetic 5,000 genes).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::format::{gene_stem, http_url, num, thousands};
use super::model::{Gene, SiteData};
use super::{GENE_PAGE_BUDGET, MARKER, SiteError};
use crate::annotations::descartes::{CellType, FetalKidney};
use crate::registry::Registry;
use crate::sources::view::curie_url;

/// The real-pipeline fixture: a few real genes with every source, method and annotation
/// source, as `kgdb build` loads them from a run on the mirror (`just site-fixture`).
fn fixture() -> SiteData {
    serde_json::from_str(include_str!("../../tests/fixtures/site_data.json"))
        .expect("tests/fixtures/site_data.json is a SiteData (regenerate: just site-fixture)")
}

/// Edit a gene's evidence records through their JSON form (the shape the site shows).
fn edit_evidence(g: &mut Gene, edit: impl FnOnce(&mut Value)) {
    let mut v = serde_json::to_value(&g.evidence).unwrap();
    edit(&mut v);
    g.evidence = serde_json::from_value(v).expect("edited evidence keeps its shape");
}

/// The registry of the shipped `sources.yaml` (the partials and rules the site uses).
fn registry() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        Registry::load(concat!(env!("CARGO_MANIFEST_DIR"), "/sources.yaml").as_ref())
            .expect("sources.yaml is valid")
    })
}

/// [`render`] with the shipped registry.
fn render(data: &SiteData, out: &std::path::Path) -> Result<super::BuildReport, SiteError> {
    super::render(data, registry(), out)
}

fn render_to(data: &SiteData) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    render(data, &out).unwrap();
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file below `dir`, as paths relative to it, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut v = Vec::new();
    walk(dir, dir, &mut v);
    v.sort();
    v
}

fn data_js(out: &Path) -> Value {
    let s = read(out, "data.js");
    let body = s
        .strip_prefix("window.KGDB=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("data.js is window.KGDB=…;");
    serde_json::from_str(body).unwrap()
}

// ---------------------------------------------------------------------------------------
// Helpers

#[test]
fn helpers_format_and_guard_links() {
    assert_eq!(num(3.0, 2), "3");
    assert_eq!(num(0.875, 4), "0.875");
    assert_eq!(num(88.6857, 1), "88.7");
    assert_eq!(thousands(43882), "43,882");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_000_000), "1,000,000");
    assert_eq!(
        http_url("https://panelapp-aus.org/panels/194/"),
        Some("https://panelapp-aus.org/panels/194/".into())
    );
    assert_eq!(http_url("javascript:alert(1)"), None);
    assert_eq!(http_url("JaVaScRiPt:alert(1)"), None);
    assert_eq!(http_url("data:text/html,<script>"), None);
    assert_eq!(http_url("https://x.org/a b"), None);
    assert_eq!(
        curie_url("OMIM:173900").as_deref(),
        Some("https://omim.org/entry/173900")
    );
    assert_eq!(
        curie_url("ORPHA:839").as_deref(),
        Some("https://www.orpha.net/en/disease/detail/839")
    );
    assert_eq!(
        curie_url("HP:0000107").as_deref(),
        Some("https://hpo.jax.org/browse/term/HP:0000107")
    );
    assert_eq!(
        curie_url("MONDO:0004691").as_deref(),
        Some("https://monarchinitiative.org/MONDO:0004691")
    );
    assert_eq!(curie_url("OMIM:17\"3900"), None);
    assert_eq!(gene_stem("HGNC:9008").unwrap(), "HGNC_9008");
    assert!(gene_stem("HGNC:90/../08").is_err());
    assert!(gene_stem("9008").is_err());
}

#[test]
fn fixture_is_scored_consistently() {
    let d = fixture();
    let by = |s: &str| d.genes.iter().find(|g| g.summary.symbol == s).unwrap();
    assert_eq!(by("PKD1").summary.tier, "comprehensive_support");
    assert_eq!(by("PKD1").summary.classic_count, 5);
    // UPK3A: ClinGen "Disputed" and GenCC "Disputed Evidence" contradict, support nothing.
    let upk3a = by("UPK3A");
    for source in ["clingen", "gencc"] {
        let b = upk3a.breakdown.iter().find(|b| b.source == source).unwrap();
        assert!(b.contradicting && !b.supported, "{source}");
    }
    assert_eq!(by("SLC14A1").summary.tier, "no_evidence");
    for g in &d.genes {
        let sum: f64 = g.breakdown.iter().map(|b| b.contribution).sum();
        assert!(
            (sum - g.summary.percentage).abs() < 1e-3,
            "{}",
            g.summary.symbol
        );
        assert_eq!(g.breakdown.len(), 7);
    }
    // Sorted by HGNC number, as the model promises.
    let nums: Vec<u64> = d
        .genes
        .iter()
        .map(|g| g.summary.hgnc_id[5..].parse().unwrap())
        .collect();
    assert!(nums.windows(2).all(|w| w[0] < w[1]));
}

// ---------------------------------------------------------------------------------------
// The fixture site

#[test]
fn fixture_site_has_every_page_download_and_api_file() {
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = render(&data, &out).unwrap();
    let all = files(&out);
    // This release's downloads are also kept under releases/<release>/.
    for f in all
        .iter()
        .filter(|f| f.starts_with("downloads/") && !f.ends_with(".html"))
    {
        let kept = f.replacen("downloads/", &format!("releases/{}/", data.release), 1);
        assert!(all.contains(&kept), "missing {kept}");
    }
    let got: Vec<String> = all
        .into_iter()
        .filter(|f| !f.starts_with("releases/"))
        .collect();
    for f in [
        MARKER,
        "index.html",
        "changes.html",
        "changes.json",
        "data.js",
        "table.js",
        "site.css",
        "sources.html",
        "methods.html",
        "api.html",
        "downloads/index.html",
        "downloads/genes.json",
        "downloads/genes.csv",
        "downloads/genes.tsv",
        "downloads/evidence.csv",
        "downloads/manifest.json",
        "downloads/SHA256SUMS",
        "api/genes.json",
        "api/sources.json",
        "api/release.json",
    ] {
        assert!(got.contains(&f.to_string()), "missing {f}");
    }
    for g in &data.genes {
        let stem = gene_stem(&g.summary.hgnc_id).unwrap();
        assert!(got.contains(&format!("genes/{stem}.html")));
        assert!(got.contains(&format!("genes/{stem}.json")));
    }
    // Every file rendered, and the marker.
    assert_eq!(report.files + 1, got.len());
    assert_eq!(report.genes, 8);
    let (largest, bytes) = report.largest_gene_page.unwrap();
    // NPHS1: 14 publications and 75 PMIDs all shown (PKD1 shows 25 of its 878).
    assert_eq!(largest, "genes/HGNC_7908.html");
    assert!(bytes < GENE_PAGE_BUDGET);
    // No temporary folder is left beside the site.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
}

#[test]
fn rendering_is_deterministic() {
    let data = fixture();
    let (_a, out_a) = render_to(&data);
    let (_b, out_b) = render_to(&data);
    let fa = files(&out_a);
    assert_eq!(fa, files(&out_b));
    for f in fa {
        assert_eq!(
            fs::read(out_a.join(&f)).unwrap(),
            fs::read(out_b.join(&f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn gene_page_shows_identity_breakdown_and_each_source_in_its_own_words() {
    let (_d, out) = render_to(&fixture());
    let p = read(&out, "genes/HGNC_9008.html");
    // Identity with links.
    for s in [
        "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:9008",
        "https://www.ncbi.nlm.nih.gov/gene/5310",
        "https://www.ensembl.org/id/ENSG00000008710",
        "https://omim.org/entry/601313",
        "https://www.ensembl.org/id/ENST00000262304",
        "https://www.ncbi.nlm.nih.gov/nuccore/NM_001009944",
        "polycystin 1, transient receptor potential channel interacting",
        "16p13.3",
        "PBP, Pc-1, TRPP1",
    ] {
        assert!(p.contains(s), "PKD1 page lacks {s}");
    }
    // Breakdown: one row per scoring source with an inline SVG bar.
    let table = p
        .split("class=\"breakdown\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(table.matches("<svg class=\"bar\"").count(), 7);
    assert!(table.contains("Definitive (1)"));
    assert!(table.contains("✓ yes (≥ 3)")); // PubTator classic threshold
    // PanelApp: ratings as text, links to the gene on the panel (PKD1: green everywhere).
    assert!(p.contains("https://panelapp.genomicsengland.co.uk/panels/283/gene/PKD1/"));
    assert!(p.contains("https://panelapp-aus.org/panels/275/gene/PKD1/"));
    assert!(p.contains("● Green") && !p.contains("(not counted)"));
    assert!(p.contains("v5.3") && p.contains("v8.58"));
    // APOL1: amber and red too; red is shown but not counted.
    let apol1 = read(&out, "genes/HGNC_618.html");
    assert!(apol1.contains("◐ Amber") && apol1.contains("○ Red"));
    assert!(apol1.contains("(not counted)"));
    // ClinGen: classification, disease, MONDO, date, report.
    assert!(p.contains("autosomal dominant polycystic kidney disease"));
    assert!(p.contains("https://monarchinitiative.org/MONDO:0004691"));
    assert!(p.contains("2021-02-26") && p.contains("2023-01-11"));
    assert!(p.contains("autosomal recessive polycystic kidney disease"));
    assert!(p.contains("ClinGen report"));
    // GenCC: submitter and classification.
    let gencc = p
        .split("id=\"src-gencc\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(gencc.contains("ClinGen") && gencc.contains("Definitive"));
    // HPO: disease link and kidney phenotype links, with the licence notice.
    assert!(p.contains("https://omim.org/entry/173900"));
    assert!(p.contains("https://hpo.jax.org/browse/term/HP:0000107\">Renal cyst</a>"));
    assert!(
        p.contains("This service/product uses the Human Phenotype Ontology (version 2025-01-16)")
    );
    // PubTator: 878 PMIDs, the newest 25 shown, newest first, the rest in the JSON.
    assert_eq!(
        p.matches("https://pubmed.ncbi.nlm.nih.gov/").count() - pubmed_links_outside_pubtator(&p),
        25
    );
    assert!(p.contains("Showing 25 of 878, newest first; every record is in HGNC_9008.json."));
    let first = p.find("https://pubmed.ncbi.nlm.nih.gov/38275584/").unwrap();
    let older = p.find("https://pubmed.ncbi.nlm.nih.gov/38266501/").unwrap();
    assert!(first < older);
    assert!(!p.contains("https://pubmed.ncbi.nlm.nih.gov/10200981/")); // an old one: JSON only
    // Literature and labs.
    assert!(p.contains("https://pubmed.ncbi.nlm.nih.gov/26862157/"));
    assert!(p.contains("Blueprint Genetics") && p.contains("MGZ München"));
    // The JSON has every record.
    let j: Value = serde_json::from_str(&read(&out, "genes/HGNC_9008.json")).unwrap();
    assert_eq!(
        j["gene"]["evidence"]["pubtator"].as_array().unwrap().len(),
        878
    );
    assert_eq!(j["gene"]["symbol"], "PKD1");
    assert_eq!(j["page"], "HGNC_9008.html");
}

/// PubMed links on the PKD1 page that are not PubTator rows (literature PMIDs, GenCC PMIDs).
fn pubmed_links_outside_pubtator(page: &str) -> usize {
    let pubtator = page
        .split("id=\"src-pubtator\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    page.matches("https://pubmed.ncbi.nlm.nih.gov/").count()
        - pubtator.matches("https://pubmed.ncbi.nlm.nih.gov/").count()
}

#[test]
fn contradicting_evidence_is_shown_as_such() {
    let (_d, out) = render_to(&fixture());
    // UPK3A: ClinGen "Disputed" and GenCC "Disputed Evidence".
    let p = read(&out, "genes/HGNC_12580.html");
    assert!(p.contains(
        "⚠ Contradicting evidence</strong> in ClinGen gene-disease validity, GenCC submissions"
    ));
    assert!(p.contains("<span class=\"contra\">⚠ Disputed</span> (contradicting)"));
    assert!(p.contains("<span class=\"contra\">⚠ Disputed Evidence</span> (contradicting)"));
    assert!(p.contains("<span class=\"status contradicting\">⚠ Contradicting</span>"));
    assert!(p.contains("class=\"evidence contradicting\""));
    // A gene without contradicting evidence says nothing of the kind.
    assert!(!read(&out, "genes/HGNC_9008.html").contains("Contradicting evidence"));
}

#[test]
fn every_page_has_a_strict_csp_and_no_inline_script_or_style() {
    let (_d, out) = render_to(&fixture());
    let html: Vec<String> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    // index, sources, methods, network, api, changes, downloads (+ its copy under releases/)
    // + 8 genes
    assert_eq!(html.len(), 8 + 8);
    let inline_handler = regex_like_on_attr();
    for f in html {
        let p = read(&out, &f);
        assert!(
            p.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self';"),
            "{f}: CSP"
        );
        assert_eq!(
            p.matches("<script").count(),
            p.matches("<script src=").count(),
            "{f}: inline script"
        );
        assert!(!p.contains(" style="), "{f}: inline style");
        assert!(!p.contains("<style"), "{f}: style element");
        assert!(!inline_handler(&p), "{f}: inline event handler");
        assert!(
            !p.contains("http://") || !p.contains("src=\"http"),
            "{f}: remote resource"
        );
        assert!(
            !p.contains("src=\"https://") && !p.contains("href=\"https://fonts"),
            "{f}: remote resource"
        );
        assert!(p.contains("<html lang=\"en\">"));
    }
}

#[test]
fn the_network_page_is_linked_from_every_page_and_loads_only_site_files() {
    let (_d, out) = render_to(&fixture());
    let page = read(&out, "network.html");
    assert!(page.contains("<script src=\"network/network-data.js\" defer></script>"));
    assert!(page.contains("<script src=\"network.js\" defer></script>"));
    assert!(page.contains("<link rel=\"stylesheet\" href=\"network.css\">"));
    assert!(page.contains("<a href=\"network.html\" aria-current=\"page\">Network</a>"));
    // The nav link, from the root and from a gene page.
    assert!(read(&out, "index.html").contains("<a href=\"network.html\">Network</a>"));
    let gene = files(&out)
        .into_iter()
        .find(|f| f.starts_with("genes/") && f.ends_with(".html"))
        .expect("a gene page");
    assert!(read(&out, &gene).contains("<a href=\"../network.html\">Network</a>"));
    // The script and style are the templates', copied as they are.
    assert_eq!(read(&out, "network.js"), NETWORK_JS_SRC);
    assert!(read(&out, "network.css").contains(".net-canvas"));
    // The script reaches no other host: it names no URL (term links come from the data and
    // must be https), and it loads the data, the gene names and the gene sets by relative
    // paths.
    assert!(!NETWORK_JS_SRC.contains("https://") && !NETWORK_JS_SRC.contains("http://"));
    assert!(!NETWORK_JS_SRC.contains("fetch(") && !NETWORK_JS_SRC.contains("XMLHttpRequest"));
    assert!(!NETWORK_JS_SRC.contains("eval(") && !NETWORK_JS_SRC.contains("innerHTML"));
    assert!(NETWORK_JS_SRC.contains("s.src = 'data.js';"));
    // Without a network (the fixture has none) the page says so and lists no library.
    assert!(page.contains("This build has no protein network"));
    assert!(page.contains("data-libraries=\"[]\""));
    // The gene table links its filter to the network page.
    assert!(read(&out, "index.html").contains("<a id=\"to-network\" href=\"network.html\">"));
}

const NETWORK_JS_SRC: &str = include_str!("../../templates/network.js");

/// True when an attribute like ` onclick=` appears in a tag.
fn regex_like_on_attr() -> impl Fn(&str) -> bool {
    |s: &str| {
        s.split('<').skip(1).any(|tag| {
            let tag = tag.split('>').next().unwrap_or("");
            tag.split_whitespace().skip(1).any(|a| {
                let a = a.to_ascii_lowercase();
                a.starts_with("on") && a.contains('=')
            })
        })
    }
}

#[test]
fn index_page_controls_are_labelled_and_headers_scoped() {
    let (_d, out) = render_to(&fixture());
    let p = read(&out, "index.html");
    // Every control with an id has a <label for>.
    for id in ["q", "srcmode", "group", "cc", "min", "max", "size"] {
        assert!(p.contains(&format!("id=\"{id}\"")), "control {id}");
        assert!(
            p.contains(&format!("<label for=\"{id}\"")),
            "label for {id}"
        );
    }
    // Checkboxes are inside their labels (the five configured tiers, "No evidence" as
    // SLC14A1 has none, the seven scoring sources); header cells have scope.
    assert_eq!(
        p.matches("<label class=\"check\"><input type=\"checkbox\" name=\"tier\"")
            .count(),
        5 + 1
    );
    assert!(p.contains("<span class=\"tier t5\">No evidence</span>"));
    assert_eq!(
        p.matches("<label class=\"check\"><input type=\"checkbox\" name=\"src\"")
            .count(),
        7
    );
    // The optional annotation columns: a labelled checkbox and a hidden header each.
    assert_eq!(
        p.matches("<input type=\"checkbox\" name=\"col\"").count(),
        8
    );
    let thead = p
        .split("<thead>")
        .nth(1)
        .unwrap()
        .split("</thead>")
        .next()
        .unwrap();
    assert_eq!(thead.matches("<th ").count(), 8 + 8);
    assert_eq!(thead.matches("scope=\"col\"").count(), 8 + 8);
    assert_eq!(thead.matches(" hidden>").count(), 8);
    assert!(p.contains("<script src=\"data.js\" defer></script>"));
    assert!(p.contains("<script src=\"table.js\" defer></script>"));
    // Tier labels are text, not only colour.
    assert!(p.contains("<span class=\"tier t0\">Comprehensive support</span>"));
    // Every table header cell on every page has a scope.
    for f in files(&out).into_iter().filter(|f| f.ends_with(".html")) {
        let page = read(&out, &f);
        let th = page.matches("<th").count() - page.matches("<thead").count();
        assert_eq!(
            th,
            page.matches("<th scope=").count(),
            "{f}: <th> without scope"
        );
    }
}

#[test]
fn js_data_is_compact_and_matches_the_genes() {
    let data = fixture();
    let (_d, out) = render_to(&data);
    let v = data_js(&out);
    let cols: Vec<&str> = v["cols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(cols[..3], ["hgnc", "symbol", "name"]);
    let tiers: Vec<&str> = v["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[0].as_str().unwrap())
        .collect();
    let rows = v["g"].as_array().unwrap();
    assert_eq!(rows.len(), data.genes.len());
    for (row, g) in rows.iter().zip(&data.genes) {
        assert_eq!(format!("HGNC:{}", row[0]), g.summary.hgnc_id);
        assert_eq!(row[1], g.summary.symbol.as_str());
        assert_eq!(
            row[5].as_i64().unwrap(),
            (g.summary.percentage * 100.0).round() as i64
        );
        assert_eq!(tiers[row[6].as_u64().unwrap() as usize], g.summary.tier);
        assert_eq!(row[8].as_u64().unwrap(), g.summary.source_count as u64);
        assert_eq!(row[9].as_u64().unwrap(), g.summary.classic_count as u64);
        // supported ⊆ present, and its popcount is the source count.
        let (p, s) = (row[10].as_u64().unwrap(), row[11].as_u64().unwrap());
        assert_eq!(p & s, s);
        assert_eq!(s.count_ones(), g.summary.source_count);
    }
    // Aliases and previous symbols, |-joined in HGNC's order (SLC14A1 has both).
    let slc14a1 = rows.iter().find(|r| r[1] == "SLC14A1").unwrap();
    assert_eq!(slc14a1[3], "HsT1341|RACH1|RACH2");
    assert_eq!(slc14a1[4], "JK");
    let pkd1 = rows.iter().find(|r| r[1] == "PKD1").unwrap();
    assert_eq!(
        (pkd1[3].as_str(), pkd1[4].as_str()),
        (Some("PBP|Pc-1|TRPP1"), Some(""))
    );
}

/// An upstream string holding `],[` (the row separator of data.js's text) stays intact: lines
/// are broken between rows only, never inside a string.
#[test]
fn js_data_breaks_lines_between_rows_only() {
    const NAME: &str = "polycystin 1 [a],[b] ],[\"],[\" x";
    let mut data = fixture();
    let pkd1 = data
        .genes
        .iter_mut()
        .find(|g| g.summary.symbol == "PKD1")
        .unwrap();
    pkd1.summary.name = NAME.into();
    pkd1.summary.alias_symbols = vec!["],[".into(), "PBP".into()];
    let (_d, out) = render_to(&data);
    let text = read(&out, "data.js");
    // Parses, and the strings round-trip exactly.
    let v = data_js(&out);
    let rows = v["g"].as_array().unwrap();
    assert_eq!(rows.len(), data.genes.len());
    let row = rows.iter().find(|r| r[1] == "PKD1").unwrap();
    assert_eq!(row[2].as_str(), Some(NAME));
    assert_eq!(row[3].as_str(), Some("],[|PBP"));
    // One gene per line: every gene row is one whole line of its own.
    let row_lines = text.lines().filter(|l| l.starts_with('[')).count();
    assert_eq!(row_lines, data.genes.len());
    let line = text.lines().find(|l| l.contains("\"PKD1\"")).unwrap();
    let line = line.strip_suffix(',').unwrap_or(line);
    let line = line.strip_suffix("]};").unwrap_or(line);
    let parsed: Value = serde_json::from_str(line).expect("a row line is one JSON array");
    assert_eq!(&parsed, row);
}

#[test]
fn downloads_are_consistent_and_checksummed() {
    let data = fixture();
    let (_d, out) = render_to(&data);
    // genes.csv: a header and one row per gene; PKD1's facts.
    let mut r = csv::Reader::from_path(out.join("downloads/genes.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "hgnc_id");
    assert!(
        header.contains(&"pubtator_measure".to_string())
            && header.contains(&"gencc_score".to_string())
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let pkd1 = rows.iter().find(|r| &r[1] == "PKD1").unwrap();
    assert_eq!(&pkd1[col("tier")], "comprehensive_support");
    assert_eq!(&pkd1[col("classic_count")], "5");
    assert_eq!(&pkd1[col("pubtator_measure")], "878");
    assert_eq!(&pkd1[col("alias_symbols")], "PBP|Pc-1|TRPP1");
    // genes.tsv has the same table.
    let mut t = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(out.join("downloads/genes.tsv"))
        .unwrap();
    assert_eq!(
        t.headers().unwrap().iter().collect::<Vec<_>>(),
        header.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let trows: Vec<csv::StringRecord> = t.records().map(Result::unwrap).collect();
    assert_eq!(trows, rows);
    // evidence.csv: one row per gene and scoring source.
    let e = csv::Reader::from_path(out.join("downloads/evidence.csv"))
        .unwrap()
        .into_records()
        .count();
    assert_eq!(e, 8 * 7);
    // SHA256SUMS covers the other five files and is right.
    let sums = read(&out, "downloads/SHA256SUMS");
    let names: Vec<&str> = sums
        .lines()
        .map(|l| l.split("  ").nth(1).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "genes.json",
            "genes.csv",
            "genes.tsv",
            "evidence.csv",
            "annotations.csv",
            "annotations.tsv",
            "datapackage.json",
            "manifest.json",
            ".zenodo.json",
            "CITATION.cff"
        ]
    );
    // The manifest lists every file before it with its checksum.
    let listed: Value = serde_json::from_str(&read(&out, "downloads/manifest.json")).unwrap();
    let listed: Vec<&str> = listed["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(listed, names[..7]);
    for l in sums.lines() {
        let (sha, name) = l.split_once("  ").unwrap();
        assert_eq!(
            super::downloads::sha256_hex(&fs::read(out.join("downloads").join(name)).unwrap()),
            sha,
            "{name}"
        );
    }
    // manifest.json: provenance per source.
    let m: Value = serde_json::from_str(&read(&out, "downloads/manifest.json")).unwrap();
    assert_eq!(m["release"], "2026.06.21");
    let hpo = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "hpo")
        .unwrap();
    assert_eq!(hpo["upstream_version"], "2025-01-16");
    assert!(hpo["downloads"][0]["sha256"].as_str().unwrap().len() == 64);
    assert!(hpo["downloads"][0]["etag"].is_string());
    // The column dictionary lists every genes.csv column.
    let dict = read(&out, "downloads/index.html");
    for h in &header {
        assert!(
            dict.contains(&format!("<code>{h}</code>")),
            "dictionary lacks {h}"
        );
    }
    // genes.json has the same genes.
    let gj: Value = serde_json::from_str(&read(&out, "downloads/genes.json")).unwrap();
    assert_eq!(gj["genes"].as_array().unwrap().len(), 8);
    assert_eq!(gj["genes"][3]["symbol"], "PKD1");
    assert_eq!(
        gj["genes"][3]["sources"]["clingen"]["classification"],
        "Definitive"
    );
}

fn api_page_lists(out: &Path, path: &str) -> bool {
    read(out, "api.html").contains(&format!("<code>{path}</code>"))
}

#[test]
fn api_files_link_to_existing_pages_and_carry_checksums() {
    let (_d, out) = render_to(&fixture());
    let g: Value = serde_json::from_str(&read(&out, "api/genes.json")).unwrap();
    let genes = g["genes"].as_array().unwrap();
    assert_eq!(genes.len(), 8);
    for gene in genes {
        assert!(out.join(gene["page"].as_str().unwrap()).is_file());
        assert!(out.join(gene["json"].as_str().unwrap()).is_file());
    }
    let rel: Value = serde_json::from_str(&read(&out, "api/release.json")).unwrap();
    assert_eq!(rel["release"], "2026.06.21");
    assert!(
        rel["citation"]
            .as_str()
            .unwrap()
            .contains("release 2026.06.21")
    );
    // The citation is pinned by the manifest's checksum.
    let manifest_sha =
        super::downloads::sha256_hex(&fs::read(out.join("downloads/manifest.json")).unwrap());
    assert_eq!(rel["cite"]["manifest_sha256"], manifest_sha.as_str());
    assert!(rel["citation"].as_str().unwrap().contains(&manifest_sha));
    assert_eq!(rel["schema_version"], super::schema::SCHEMA_VERSION);
    assert!(read(&out, "downloads/index.html").contains(&manifest_sha));
    assert!(read(&out, "changes.html").contains("How to cite this release"));
    // Every schema is published and names its file.
    for (path, describes, _) in super::schema::schemas() {
        let schema: Value = serde_json::from_str(&read(&out, path)).unwrap();
        assert!(schema["description"].as_str().unwrap().contains(describes));
        assert!(api_page_lists(&out, path), "api.html lacks {path}");
    }
    for f in rel["files"].as_array().unwrap() {
        let bytes = fs::read(out.join(f["path"].as_str().unwrap())).unwrap();
        assert_eq!(
            super::downloads::sha256_hex(&bytes),
            f["sha256"].as_str().unwrap()
        );
    }
    let s: Value = serde_json::from_str(&read(&out, "api/sources.json")).unwrap();
    assert_eq!(s["sources"].as_array().unwrap().len(), 9);
    let api = read(&out, "api.html");
    assert!(api.contains("curl -s \"$SITE/genes/HGNC_9008.json\""));
}

#[test]
fn sources_page_shows_provenance_staleness_charts_and_the_hpo_notice() {
    let data = fixture();
    let (_d, out) = render_to(&data);
    let p = read(&out, "sources.html");
    // Every source of the fixture's run is fresh: no stale marker anywhere.
    assert!(!p.contains("⚠ stale") && !p.contains("⚠ Stale"));
    // A failed PubTator refresh (the fixture, edited): the release keeps the last good data
    // and the page says so, with the error.
    let mut failed = data.clone();
    let pubtator = failed
        .sources
        .iter_mut()
        .find(|s| s.name == "pubtator")
        .unwrap();
    pubtator.status = "failed".into();
    pubtator.stale = true;
    pubtator.last_success = Some("2026-04-02T03:00:00Z".into());
    pubtator.last_error = Some("HTTP 503 from www.ncbi.nlm.nih.gov after 5 attempts".into());
    let (_f, out_failed) = render_to(&failed);
    let f = read(&out_failed, "sources.html");
    assert_eq!(f.matches("⚠ stale (last good 2026-04-02)").count(), 1);
    assert!(f.contains("<strong>⚠ Stale data:</strong>"));
    assert!(f.contains(
        "last successful retrieval 2026-04-02T03:00:00Z; this release uses that data. Last attempt: failed"
    ));
    assert!(f.contains("<code>HTTP 503 from www.ncbi.nlm.nih.gov after 5 attempts</code>"));
    assert!(
        p.contains("This service/product uses the Human Phenotype Ontology (version 2025-01-16).")
    );
    assert!(p.contains("CC0 1.0 (ClinGen data)"));
    assert!(p.contains("Strande NT et al."));
    assert!(p.contains("https://search.clinicalgenome.org/kb/gene-validity/download"));
    assert!(p.contains("43,882 rows"));
    // Overlap chart: the most frequent combination is all seven (APOL1, NPHS1, PKD1); every
    // gene with a source counts once (all but SLC14A1).
    assert!(p.contains("<svg class=\"chart upset\""));
    let combos =
        super::charts::combinations(&data, &super::view::SiteView::new(&data, registry()), 15);
    assert_eq!(combos[0].genes, 3);
    assert_eq!(combos[0].sources.len(), 7);
    assert_eq!(combos.iter().map(|c| c.genes).sum::<usize>(), 7);
    assert!(p.contains("<svg class=\"chart bars scores\""));
    assert!(p.contains("<svg class=\"chart bars tiers\""));
    // The HPO notice is in every page's footer too.
    assert!(
        read(&out, "index.html").contains(
            "This service/product uses the Human Phenotype Ontology (version 2025-01-16)."
        )
    );
}

#[test]
fn methods_page_states_the_rules_in_the_data() {
    let mut data = fixture();
    data.methods.tiers[0].min_percentage = 55.5;
    data.methods.classic_thresholds.insert("pubtator".into(), 7);
    data.methods
        .classification_weights
        .insert("moderate".into(), 0.65);
    data.methods.selection.insert(
        "gencc".into(),
        vec!["Only submissions naming glomerulopathy".into()],
    );
    let (_d, out) = render_to(&data);
    let p = read(&out, "methods.html");
    assert!(p.contains("<td class=\"num\">4</td><td class=\"num\">55.5</td>"));
    assert!(p.contains("measure ≥ 7"));
    assert!(p.contains("<th scope=\"row\">Moderate</th><td class=\"num\">0.65</td>"));
    assert!(p.contains("Only submissions naming glomerulopathy"));
    assert!(p.contains("N = 7"));
}

// ---------------------------------------------------------------------------------------
// Hostile upstream strings

const EVIL: &str = "<script>alert(\"x\")</script> & 'quoted' </b>";

fn evil_data() -> SiteData {
    let mut data = fixture();
    let pkd1 = data
        .genes
        .iter_mut()
        .find(|g| g.summary.symbol == "PKD1")
        .unwrap();
    pkd1.summary.name = format!("polycystin {EVIL}");
    pkd1.summary.alias_symbols.push(EVIL.into());
    edit_evidence(pkd1, |ev| {
        let panel = &mut ev["panelapp"][0];
        panel["panel_name"] = json!(format!("Cystic renal disease {EVIL}"));
        panel["url"] = json!("javascript:alert(1)");
        panel["phenotypes"] = json!([EVIL]);
        let cg = &mut ev["clingen"][0];
        cg["disease_label"] = json!(format!("polycystic kidney disease {EVIL}"));
        cg["report_url"] = json!("\" onmouseover=\"alert(1)");
        let hpo = &mut ev["hpo"][0];
        hpo["disease_name"] = json!(EVIL);
        hpo["kidney_terms"][0]["name"] = json!(EVIL);
    });
    data.sources[1].citation = EVIL.into();
    data.sources[1].homepage = Some("javascript:alert(2)".into());
    data.methods
        .selection
        .insert("gencc".into(), vec![EVIL.into()]);
    // Annotation strings: names, symbols, IDs, source facts and the link template.
    let a = &mut pkd1.annotations;
    let hpo = a
        .get_mut::<crate::annotations::hpo_phenotypes::HpoPhenotypes>()
        .unwrap();
    hpo.kidney_phenotypes[0].name = format!("Renal cyst {EVIL}");
    hpo.diseases[0].name = format!("Polycystic kidneys {EVIL}");
    hpo.clinical_group.primary = Some(EVIL.into());
    let mouse = a.get_mut::<crate::annotations::mgi::Mouse>().unwrap();
    mouse.orthologs[0].symbol = format!("Pkd1 {EVIL}");
    mouse.orthologs[0].mgi_id = "javascript:alert(4)".into();
    a.get_mut::<crate::annotations::mane::ManeSelect>()
        .unwrap()
        .refseq_transcript = EVIL.into();
    a.get_mut::<crate::annotations::gtex::Expression>()
        .unwrap()
        .top_tissue = Some(EVIL.into());
    data.annotation_sources[2].citation = EVIL.into();
    data.annotation_sources[2].title = format!("ClinVar {EVIL}");
    data.annotation_sources[4].gene_link = Some("javascript:alert(3)//{symbol}".into());
    data.annotation_sources[5].homepage = Some("javascript:alert(5)".into());
    data.methods
        .annotation_rules
        .insert("gnomad".into(), vec![EVIL.into()]);
    data
}

#[test]
fn upstream_strings_are_escaped_everywhere() {
    let data = evil_data();
    let (_d, out) = render_to(&data);
    let all = files(&out);
    for f in &all {
        let bytes = fs::read(out.join(f)).unwrap();
        let s = String::from_utf8_lossy(&bytes);
        if f.ends_with(".html") {
            assert!(!s.contains("<script>alert"), "{f}: raw <script>");
            assert!(!s.contains("</b>"), "{f}: raw closing tag from data");
            for href in s.split("href=\"").skip(1) {
                let v = href.split('"').next().unwrap();
                assert!(
                    v.starts_with("https://")
                        || v.starts_with("http://")
                        || v.starts_with('#')
                        || !v.contains(':'),
                    "{f}: link to {v:?}"
                );
            }
            assert!(!s.contains("onmouseover"), "{f}: attribute injection");
        }
        if f.ends_with(".js") {
            assert!(!s.contains("</"), "{f}: '</' in script data");
            assert!(!s.contains("<script"), "{f}: raw <script>");
        }
    }
    let escaped =
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27; &lt;/b&gt;";
    let gene = read(&out, "genes/HGNC_9008.html");
    assert!(
        gene.contains(&format!("Cystic renal disease {escaped}")),
        "panel name"
    );
    assert!(
        gene.contains(&format!("polycystic kidney disease {escaped}")),
        "disease name"
    );
    assert!(gene.contains(&format!("polycystin {escaped}")), "gene name");
    // The panel with a javascript: URL is printed, not linked.
    assert!(gene.contains(&format!(
        "<th scope=\"row\">Cystic renal disease {escaped}</th>"
    )));
    assert!(read(&out, "sources.html").contains(escaped));
    assert!(read(&out, "methods.html").contains(escaped));
    // Annotation strings are escaped on the gene page and the Sources page too.
    for s in [
        format!("Renal cyst {escaped}"),
        format!("Polycystic kidneys {escaped}"),
        format!("Pkd1 {escaped} (javascript:alert(4))"),
        format!("ClinVar {escaped}"),
    ] {
        assert!(gene.contains(&s), "gene page lacks {s}");
    }
    // A transcript that is no identifier is printed, not linked.
    assert!(gene.contains(&format!(
        "<dd>{escaped} / <a href=\"https://www.ncbi.nlm.nih.gov/protein/NP_001009944.3\">"
    )));
    assert!(
        !gene.contains("href=\"javascript"),
        "a javascript: URL became a link"
    );
    assert!(
        !gene.contains("alert(3)"),
        "the javascript: link template was used"
    );
    let sources = read(&out, "sources.html");
    assert!(
        sources.contains(&format!("<dd>{escaped}</dd>")),
        "annotation citation"
    );
    // The CSV keeps the annotation strings as they are.
    let mut r = csv::Reader::from_path(out.join("downloads/annotations.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let mgi = h.iter().position(|c| c == "mgi_orthologs").unwrap();
    assert!(
        r.records()
            .any(|r| r.unwrap()[mgi] == *format!("Pkd1 {EVIL}"))
    );
    // The JS data keeps the exact string once parsed.
    let v = data_js(&out);
    let pkd1 = v["g"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[1] == "PKD1")
        .unwrap();
    assert_eq!(pkd1[2].as_str().unwrap(), format!("polycystin {EVIL}"));
    assert!(read(&out, "data.js").contains("\\u003cscript>alert"));
    // JSON and CSV keep the data as it is (they are data, not markup).
    let j: Value = serde_json::from_str(&read(&out, "genes/HGNC_9008.json")).unwrap();
    assert_eq!(
        j["gene"]["name"].as_str().unwrap(),
        format!("polycystin {EVIL}")
    );
    let mut r = csv::Reader::from_path(out.join("downloads/genes.csv")).unwrap();
    assert!(
        r.records()
            .any(|r| r.unwrap()[2] == *format!("polycystin {EVIL}"))
    );
}

// ---------------------------------------------------------------------------------------
// Annotations (not part of the score)

#[test]
fn pkd1_page_shows_its_annotations_after_the_evidence() {
    let (_d, out) = render_to(&fixture());
    let p = read(&out, "genes/HGNC_9008.html");
    let at = p.find("id=\"annotations\"").expect("annotations section");
    // After every evidence section, and said to be outside the score.
    assert!(at > p.find("id=\"src-diagnostic_panels\"").unwrap());
    assert!(at > p.find("id=\"src-pubtator\"").unwrap());
    let a = &p[at..];
    assert!(a.contains("Annotations <span class=\"muted small\">not part of the score</span>"));
    for s in [
        // HPO classes, kidney phenotypes and diseases with links.
        "<dt>Clinical group</dt><dd>Cyst/ciliopathy<span class=\"muted\"> (shares: Cyst/ciliopathy 30 %, CAKUT 20 %, Glomerulopathy 20 %, Nephrolithiasis 20 %, Complement 10 %)</span></dd>",
        "<dt>Onset group</dt><dd>none<span class=\"muted\"> (no onset term in the gene&#x27;s diseases)",
        "Not syndromic</span> (score 0.133; syndromic from 0.3)",
        "Nervous system 13.3 %",
        "14 kidney phenotypes of 30 phenotypes, 3 diseases",
        "<a href=\"https://hpo.jax.org/browse/term/HP:0000107\">Renal cyst</a>",
        "<a href=\"https://omim.org/entry/173900\">Polycystic kidneys</a>",
        "<a href=\"https://www.orpha.net/en/disease/detail/730\">Autosomal dominant polycystic kidney disease</a>",
        // A disease HPO names no label for: its CURIE, still linked.
        "<a href=\"https://www.orpha.net/en/disease/detail/88924\">ORPHA:88924</a>",
        "<summary>All 30 phenotypes</summary>",
        // gnomAD: pLI, LOEUF marked as computed, o/e with its interval, link by Ensembl ID.
        "<dt>pLI</dt><dd>1</dd>",
        "<dt>LOEUF</dt><dd>0.179 <span class=\"mark\">computed by kgdb</span>",
        "0.121 (90 % interval 0.082–0.179)<span class=\"muted\">; 18 observed / 149.37 expected</span>",
        "<dt>LoF Z</dt><dd>9.96</dd>",
        "<dt>Missense Z</dt><dd>-4.32</dd>",
        "https://gnomad.broadinstitute.org/gene/ENSG00000008710?dataset=gnomad_r2_1",
        // ClinVar with its release and link.
        "Source: <a href=\"https://www.ncbi.nlm.nih.gov/clinvar/\">ClinVar gene summary</a>, release 2021-11-07",
        "<dt>Pathogenic / likely pathogenic alleles</dt><dd><span class=\"strong\">774</span></dd>",
        "<dt>Alleles in total</dt><dd>2,103</dd>",
        "<dt>Submissions</dt><dd>3,358</dd>",
        "<dt>Uncertain significance</dt><dd>630</dd>",
        "<dt>With conflicting interpretations</dt><dd>59</dd>",
        "https://www.ncbi.nlm.nih.gov/clinvar/?term=PKD1%5Bgene%5D",
        // Expression.
        "<dt>Kidney</dt><dd>7.3 nTPM</dd>",
        "rank 28 of 29 tissues",
        "<dt>Highest</dt><dd>pituitary_gland, 70.4 nTPM</dd>",
        // Mouse.
        "<a href=\"https://www.informatics.jax.org/marker/MGI:97603\">Pkd1 (MGI:97603)</a>",
        "<span class=\"strong\">yes</span>: 1 of 22 phenotypes",
        "<a href=\"https://www.informatics.jax.org/vocab/mp_ontology/MP:0005367\">renal/urinary system phenotype</a>",
        // MANE, linked to NCBI and Ensembl.
        "<a href=\"https://www.ncbi.nlm.nih.gov/nuccore/NM_001009944.3\">NM_001009944.3</a> / <a href=\"https://www.ncbi.nlm.nih.gov/protein/NP_001009944.3\">NP_001009944.3</a>",
        "<a href=\"https://www.ensembl.org/id/ENST00000262304\">ENST00000262304.9</a>",
        "<a href=\"https://www.ensembl.org/id/ENSP00000262304\">ENSP00000262304.4</a>",
        "Source: <a href=\"https://www.ncbi.nlm.nih.gov/refseq/MANE/\">MANE Select transcripts</a>, release v1.5",
    ] {
        assert!(a.contains(s), "PKD1 annotations lack {s}");
    }
    // Every configured annotation source has a subsection naming its source and release.
    assert_eq!(a.matches("<section id=\"ann-").count(), 7);
    assert_eq!(a.matches("<p class=\"muted small\">Source: ").count(), 7);
}

#[test]
fn a_link_only_annotation_is_a_link_and_in_no_output() {
    let data = fixture();
    let descartes = data
        .annotation_sources
        .iter()
        .find(|a| a.name == "descartes")
        .unwrap();
    assert!(!descartes.redistribute);
    // The loader never hands the renderer Descartes values (the fixture has none); if it
    // did, the renderer must withhold them. PKD1's real values
    // (descartes_fetal_kidney_{tpm,percent_expression}_2023-10-12, rounded), sorted by TPM:
    let mut data = data;
    let pkd1 = data
        .genes
        .iter_mut()
        .find(|g| g.summary.symbol == "PKD1")
        .unwrap();
    assert!(!pkd1.annotations.has("fetal_kidney"));
    pkd1.annotations.insert(FetalKidney {
        cell_types: [
            ("stromal", 144.9927, 0.0955),
            ("mesangial", 118.0842, 0.0758),
            ("vascular_endothelial", 86.692, 0.0611),
            ("metanephric", 75.3415, 0.075),
            ("ureteric_bud", 45.3613, 0.0467),
        ]
        .into_iter()
        .map(|(c, tpm, frac)| CellType {
            cell_type: c.into(),
            tpm: Some(tpm),
            fraction_expressing: Some(frac),
        })
        .collect(),
    });
    let (_d, out) = render_to(&data);
    let p = read(&out, "genes/HGNC_9008.html");
    let section = p
        .split("<section id=\"ann-descartes\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(section.contains("<a href=\"https://descartes.brotmanbaty.org/bbi/human-gene-expression-during-development/gene/PKD1/in/kidney\">PKD1 in Descartes fetal kidney cell types</a>"));
    assert!(
        section.contains(
            "values not shown: the licence does not allow kgdb to redistribute its values"
        )
    );
    assert!(!section.contains("<table"));
    for value in ["144.99", "Stromal", "stromal", "9.6 %"] {
        assert!(
            !p.contains(value),
            "PKD1 page shows the Descartes value {value}"
        );
    }
    // Not in annotations.csv/.tsv, genes.json, the gene JSON, the API or ann.js.
    let csv = read(&out, "downloads/annotations.csv");
    assert!(!csv.contains("descartes") && !csv.contains("stromal"));
    assert!(!read(&out, "downloads/annotations.tsv").contains("descartes"));
    for f in [
        "downloads/genes.json",
        "genes/HGNC_9008.json",
        "api/genes.json",
        "ann.js",
    ] {
        let s = read(&out, f);
        assert!(!s.contains("fetal_kidney") && !s.contains("stromal"), "{f}");
    }
    let gj: Value = serde_json::from_str(&read(&out, "downloads/genes.json")).unwrap();
    let a = &gj["genes"][3]["annotations"];
    assert_eq!(gj["genes"][3]["symbol"], "PKD1");
    assert_eq!(a["clinvar"]["pathogenic_alleles"], 774);
    assert!(a.get("fetal_kidney").is_none());
    // The downloads page says why.
    let dl = read(&out, "downloads/index.html");
    assert!(dl.contains("<strong>Not in any download:</strong> Descartes fetal kidney cell types (licence: No licence stated by Descartes"));
    // The converse: once its licence allows it, the same values are shown, marked fetal.
    let mut open = data.clone();
    for a in &mut open.annotation_sources {
        a.redistribute = true;
    }
    let (_e, out2) = render_to(&open);
    let p = read(&out2, "genes/HGNC_9008.html");
    assert!(p.contains("Fetal kidney cell types (Descartes) <span class=\"fetal\">FETAL</span>"));
    assert!(p.contains(
        "<th scope=\"row\">Stromal</th><td class=\"num\">144.99</td><td class=\"num\">9.6 %</td>"
    ));
    assert!(read(&out2, "downloads/annotations.csv").contains("descartes_top_cell_type"));
    assert!(read(&out2, "genes/HGNC_9008.json").contains("fetal_kidney"));
}

#[test]
fn annotations_csv_has_documented_columns_and_pkd1s_values() {
    let (_d, out) = render_to(&fixture());
    let mut r = csv::Reader::from_path(out.join("downloads/annotations.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "hgnc_id",
            "symbol",
            "hpo_clinical_group",
            "hpo_clinical_group_share",
            "hpo_onset_group",
            "hpo_syndromic_score",
            "hpo_is_syndromic",
            "hpo_kidney_phenotypes",
            "hpo_phenotype_count",
            "hpo_disease_count",
            "hpo_diseases",
            "gnomad_pli",
            "gnomad_loeuf",
            "gnomad_loeuf_computed",
            "gnomad_oe_lof",
            "gnomad_oe_lof_lower",
            "gnomad_obs_lof",
            "gnomad_exp_lof",
            "gnomad_lof_z",
            "gnomad_mis_z",
            "gnomad_syn_z",
            "clinvar_pathogenic_alleles",
            "clinvar_total_alleles",
            "clinvar_total_submissions",
            "clinvar_uncertain_alleles",
            "clinvar_conflicting_alleles",
            "gtex_kidney_ntpm",
            "gtex_kidney_rank",
            "gtex_tissue_count",
            "gtex_top_tissue",
            "gtex_top_ntpm",
            "mgi_orthologs",
            "mgi_ids",
            "mgi_phenotype_count",
            "mgi_kidney_phenotype",
            "mgi_kidney_phenotypes",
            "mane_refseq",
            "mane_refseq_protein",
            "mane_ensembl",
            "mane_ensembl_protein",
            "mane_plus_clinical",
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let pkd1 = rows.iter().find(|r| &r[1] == "PKD1").unwrap();
    for (c, v) in [
        ("hgnc_id", "HGNC:9008"),
        ("hpo_clinical_group", "cyst_cilio"),
        ("hpo_clinical_group_share", "0.3"),
        ("hpo_onset_group", ""),
        ("hpo_syndromic_score", "0.1333"),
        ("hpo_is_syndromic", "false"),
        ("hpo_phenotype_count", "30"),
        ("hpo_disease_count", "3"),
        ("hpo_diseases", "OMIM:173900|ORPHA:730|ORPHA:88924"),
        ("gnomad_pli", "1"),
        ("gnomad_loeuf", "0.179"),
        ("gnomad_loeuf_computed", "true"),
        ("gnomad_oe_lof", "0.1205"),
        ("gnomad_oe_lof_lower", "0.082"),
        ("gnomad_obs_lof", "18"),
        ("gnomad_exp_lof", "149.37"),
        ("gnomad_lof_z", "9.9605"),
        ("gnomad_mis_z", "-4.3234"),
        ("gnomad_syn_z", "-17.859"),
        ("clinvar_pathogenic_alleles", "774"),
        ("clinvar_total_alleles", "2103"),
        ("clinvar_total_submissions", "3358"),
        ("gtex_kidney_ntpm", "7.3"),
        ("gtex_kidney_rank", "28"),
        ("gtex_tissue_count", "29"),
        ("gtex_top_tissue", "pituitary_gland"),
        ("gtex_top_ntpm", "70.4"),
        ("mgi_orthologs", "Pkd1"),
        ("mgi_ids", "MGI:97603"),
        ("mgi_phenotype_count", "22"),
        ("mgi_kidney_phenotype", "true"),
        ("mgi_kidney_phenotypes", "MP:0005367"),
        ("mane_refseq", "NM_001009944.3"),
        ("mane_refseq_protein", "NP_001009944.3"),
        ("mane_ensembl", "ENST00000262304.9"),
        ("mane_plus_clinical", ""),
    ] {
        assert_eq!(&pkd1[col(c)], v, "PKD1 {c}");
    }
    assert!(pkd1[col("hpo_kidney_phenotypes")].starts_with("HP:0000010|HP:0000083|"));
    assert_eq!(pkd1[col("hpo_kidney_phenotypes")].split('|').count(), 14);
    // APOL1: ClinVar lists no P/LP allele; no ortholog has a kidney phenotype.
    let apol1 = rows.iter().find(|r| &r[1] == "APOL1").unwrap();
    assert_eq!(&apol1[col("clinvar_pathogenic_alleles")], "");
    assert_eq!(&apol1[col("clinvar_total_alleles")], "92");
    assert_eq!(&apol1[col("mgi_kidney_phenotype")], "false");
    assert_eq!(apol1[col("mgi_orthologs")].split('|').count(), 11);
    // PKD1L1: an onset group but no clinical group (no kidney phenotype).
    let pkd1l1 = rows.iter().find(|r| &r[1] == "PKD1L1").unwrap();
    assert_eq!(&pkd1l1[col("hpo_onset_group")], "congenital");
    assert_eq!(&pkd1l1[col("hpo_clinical_group")], "");
    assert_eq!(&pkd1l1[col("hpo_kidney_phenotypes")], "");
    // MBL3P (a pseudogene) has no annotation: a row of empty cells.
    let mbl3p = rows.iter().find(|r| &r[1] == "MBL3P").unwrap();
    assert_eq!(&mbl3p[0], "HGNC:2221");
    assert!(mbl3p.iter().skip(2).all(str::is_empty));
    // The TSV has the same table; the dictionary documents every column.
    let mut t = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(out.join("downloads/annotations.tsv"))
        .unwrap();
    let trows: Vec<csv::StringRecord> = t.records().map(Result::unwrap).collect();
    assert_eq!(trows, rows);
    let dict = read(&out, "downloads/index.html");
    assert!(dict.contains("<caption>annotations.csv</caption>"));
    for h in &header {
        assert!(
            dict.contains(&format!("<code>{h}</code>")),
            "dictionary lacks {h}"
        );
    }
    // The manifest carries the annotation sources' provenance.
    let m: Value = serde_json::from_str(&read(&out, "downloads/manifest.json")).unwrap();
    assert_eq!(m["annotation_sources"].as_array().unwrap().len(), 7);
    assert_eq!(m["annotation_sources"][2]["upstream_version"], "2021-11-07");
}

#[test]
fn a_gene_without_annotations_says_so_per_source() {
    let data = fixture();
    // MBL3P, a pseudogene: no annotation source covers it.
    let mbl3p = data
        .genes
        .iter()
        .find(|g| g.summary.symbol == "MBL3P")
        .unwrap();
    assert!(mbl3p.annotations.is_empty());
    let (_d, out) = render_to(&data);
    let p = read(&out, "genes/HGNC_2221.html");
    for s in [
        "No data in HPO gene phenotypes and classes 2025-01-16 for MBL3P.",
        "No data in gnomAD gene constraint (v2.1.1) v2.1.1 (tabulated 2023-10-12) for MBL3P.",
        "No data in ClinVar gene summary 2021-11-07 for MBL3P.",
        "No data in Adult tissue expression (HPA nTPM from GTEx v8) HPA v23 / GTEx v8 (tabulated 2023-10-12) for MBL3P.",
        "No data in Mouse models (MGI) as of 2026-05-13 for MBL3P.",
        "No data in MANE Select transcripts v1.5 for MBL3P.",
    ] {
        assert!(p.contains(s), "MBL3P page lacks {s}");
    }
    assert_eq!(p.matches("No data in ").count(), 6);
    // The link-only source is still a link (it may know the gene).
    assert!(p.contains("/gene/MBL3P/in/kidney\">MBL3P in Descartes"));
    let j: Value = serde_json::from_str(&read(&out, "genes/HGNC_2221.json")).unwrap();
    assert_eq!(j["gene"]["annotations"], json!({}));
    // A gene with annotations says "No data" nowhere.
    assert!(!read(&out, "genes/HGNC_9008.html").contains("No data in "));
    // A build without annotation sources has no Annotations section, columns or ann.js.
    let mut bare = fixture();
    bare.annotation_sources.clear();
    let (_e, out2) = render_to(&bare);
    assert!(!read(&out2, "genes/HGNC_9008.html").contains("id=\"annotations\""));
    assert!(!read(&out2, "index.html").contains("name=\"col\""));
    assert!(!out2.join("ann.js").exists());
    assert!(!read(&out2, "sources.html").contains("Annotation sources (not scored)"));
    let h = read(&out2, "downloads/annotations.csv");
    assert_eq!(h.lines().next(), Some("hgnc_id,symbol"));
}

#[test]
fn ann_js_holds_the_optional_columns_in_gene_order() {
    let data = fixture();
    let (_d, out) = render_to(&data);
    let s = read(&out, "ann.js");
    let body = s
        .strip_prefix("window.KGDB_ANN=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("ann.js is window.KGDB_ANN=…;");
    let v: Value = serde_json::from_str(body).unwrap();
    let cols: Vec<&str> = v["cols"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        cols,
        [
            "pli", "loeuf", "plp", "kidney", "mouse", "cg", "onset", "synd"
        ]
    );
    let i = data
        .genes
        .iter()
        .position(|g| g.summary.symbol == "PKD1")
        .unwrap();
    let at = |c: &str| v["v"][cols.iter().position(|x| *x == c).unwrap()][i].clone();
    assert_eq!(at("pli"), 100);
    assert_eq!(at("loeuf"), 179);
    assert_eq!(at("plp"), 774);
    assert_eq!(at("kidney"), 73);
    assert_eq!(at("mouse"), 1);
    assert_eq!(
        v["cg"][at("cg").as_u64().unwrap() as usize][0],
        "cyst_cilio"
    );
    // PKD1's diseases carry no onset term in HPO 2025-01-16.
    assert!(at("onset").is_null(), "{}", at("onset"));
    assert_eq!(at("synd"), 0);
    // PKD1L1: a congenital onset, no clinical group (no kidney phenotype), 7 P/LP alleles.
    let k = data
        .genes
        .iter()
        .position(|g| g.summary.symbol == "PKD1L1")
        .unwrap();
    let at_k = |c: &str| v["v"][cols.iter().position(|x| *x == c).unwrap()][k].clone();
    assert_eq!(
        v["onset"][at_k("onset").as_u64().unwrap() as usize][0],
        "congenital"
    );
    assert!(at_k("cg").is_null());
    assert_eq!(at_k("plp"), 7);
    // MBL3P has no values; the default page does not load ann.js.
    let j = data
        .genes
        .iter()
        .position(|g| g.summary.symbol == "MBL3P")
        .unwrap();
    assert!(v["v"].as_array().unwrap().iter().all(|c| c[j].is_null()));
    assert!(!read(&out, "index.html").contains("ann.js"));
    assert!(!read(&out, "data.js").contains("KGDB_ANN"));
}

#[test]
fn gene_links_fill_placeholders_only_with_identifiers() {
    use super::gene_annotations::fill_link;
    let data = fixture();
    let mut g = data
        .genes
        .iter()
        .find(|g| g.summary.symbol == "PKD1")
        .unwrap()
        .clone();
    assert_eq!(
        fill_link(
            "https://x.org/{symbol}/{hgnc_id}/{entrez_id}/{ensembl_gene_id}",
            &g
        )
        .as_deref(),
        Some("https://x.org/PKD1/HGNC:9008/5310/ENSG00000008710")
    );
    assert_eq!(fill_link("javascript:alert(1)/{symbol}", &g), None);
    assert_eq!(fill_link("https://x.org/{unknown}", &g), None);
    g.summary.entrez_id = None;
    assert_eq!(fill_link("https://x.org/{entrez_id}", &g), None);
    g.summary.symbol = "A B\"><script>".into();
    assert_eq!(fill_link("https://x.org/{symbol}", &g), None);
}

#[test]
fn sources_and_methods_pages_describe_the_annotations() {
    let (_d, out) = render_to(&fixture());
    let p = read(&out, "sources.html");
    assert!(p.contains("<h2 id=\"annotation-sources-h\">Annotation sources (not scored)</h2>"));
    // Coverage of the whole run the fixture comes from (3,413 scored genes, 3,330 of them
    // protein-coding): HPO phenotypes, then ClinVar; Descartes is link only.
    assert!(p.contains(
        "2,460 of 3,330 scored protein-coding genes (73.9 %); 2,490 of 3,413 scored genes"
    ));
    assert!(p.contains(
        "3,329 of 3,330 scored protein-coding genes (100.0 %); 3,399 of 3,413 scored genes"
    ));
    assert_eq!(p.matches("<td><strong>link only</strong></td>").count(), 1);
    assert!(p.contains("Landrum MJ et al. ClinVar"));
    assert!(p.contains("gnomAD summary data: open, no restrictions on use or publication"));
    assert!(p.contains(
        "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/tab_delimited/gene_specific_summary.txt"
    ));
    assert!(p.contains("d49022ff04ea0bbea97ce3817a42a29e3e4f7d3a50914ab17cf4c2e9eec37147"));
    let m = read(&out, "methods.html");
    assert!(m.contains("<h2 id=\"annotations-h\">Annotations (not scored)</h2>"));
    // The rules come from ClassRules::describe (the configuration in use).
    assert!(m.contains(
        "Syndromic score: the share of the gene&#x27;s phenotypes that lie under at least one indicator system"
    ));
    assert!(m.contains("The predecessor summed the indicator shares instead"));
    assert!(m.contains("here descendants count"));
    assert!(m.contains("Here head_neck includes them."));
    assert!(m.contains("computed by kgdb"));
}

// ---------------------------------------------------------------------------------------
// Atomic build

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    render(&fixture(), &out).unwrap();
    let before: BTreeMap<String, Vec<u8>> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), fs::read(out.join(&f)).unwrap()))
        .collect();

    // A release with one more gene whose ID is broken: the renderer writes the pages,
    // downloads and API first and fails at that gene.
    let mut bad = fixture();
    bad.release = "2026.06.22".into();
    let mut broken = bad.genes[0].clone();
    broken.summary.hgnc_id = "HGNC:99999/../../x".into();
    bad.genes.push(broken);
    match render(&bad, &out) {
        Err(SiteError::Gene { hgnc_id, .. }) => assert_eq!(hgnc_id, "HGNC:99999/../../x"),
        other => panic!("expected a gene error, got {other:?}"),
    }
    let after: BTreeMap<String, Vec<u8>> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), fs::read(out.join(&f)).unwrap()))
        .collect();
    assert_eq!(before, after, "the previous site changed");
    assert!(read(&out, "index.html").contains("2026.06.21"));
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["site".to_string()],
        "temporary folders left behind"
    );

    // A good build then replaces the site whole (no stale files from the old one): THBD
    // leaves the release, and its page and JSON leave the site.
    assert!(before.contains_key("genes/HGNC_11784.html"));
    assert!(before.contains_key("genes/HGNC_11784.json"));
    let mut next = fixture();
    next.release = "2026.06.23".into();
    next.genes.retain(|g| g.summary.symbol != "THBD");
    assert_eq!(next.genes.len(), fixture().genes.len() - 1);
    render(&next, &out).unwrap();
    assert!(read(&out, "index.html").contains("2026.06.23"));
    assert!(!out.join("genes/HGNC_11784.html").exists());
    assert!(!out.join("genes/HGNC_11784.json").exists());
    assert!(out.join("genes/HGNC_9008.html").exists());
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec!["site".to_string()], "old site left behind");
}

#[test]
fn a_gene_listed_twice_fails_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = fixture();
    data.genes.push(data.genes[2].clone());
    match render(&data, &dir.path().join("site")) {
        Err(SiteError::Gene { hgnc_id, problem }) => {
            assert_eq!(hgnc_id, data.genes[2].summary.hgnc_id);
            assert!(problem.contains("twice"));
        }
        other => panic!("expected a gene error, got {other:?}"),
    }
    assert!(!dir.path().join("site").exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "temporary folder left"
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("home");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("thesis.tex"), "precious").unwrap();
    match render(&fixture(), &out) {
        Err(SiteError::NotASite(p)) => assert_eq!(p, out),
        other => panic!("expected NotASite, got {other:?}"),
    }
    assert_eq!(
        fs::read_to_string(out.join("thesis.tex")).unwrap(),
        "precious"
    );
    // An empty folder is fine.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    render(&fixture(), &empty).unwrap();
    assert!(empty.join(MARKER).is_file());
}

// ---------------------------------------------------------------------------------------
// Snapshots of the fixture's site (review changes with `cargo insta review`)

#[test]
fn snapshots_of_the_fixture_site() {
    let (_d, out) = render_to(&fixture());
    insta::assert_snapshot!("gene_page_nphs1", read(&out, "genes/HGNC_7908.html"));
    insta::assert_snapshot!("gene_page_apol1", read(&out, "genes/HGNC_618.html"));
    insta::assert_snapshot!("data_js", read(&out, "data.js"));
    insta::assert_snapshot!("genes_csv", read(&out, "downloads/genes.csv"));
    insta::assert_snapshot!("evidence_csv", read(&out, "downloads/evidence.csv"));
    insta::assert_snapshot!("methods_page", read(&out, "methods.html"));
    insta::assert_snapshot!("index_page", read(&out, "index.html"));
    insta::assert_snapshot!("annotations_csv", read(&out, "downloads/annotations.csv"));
    insta::assert_snapshot!("ann_js", read(&out, "ann.js"));
    insta::assert_snapshot!("ids_js", read(&out, "ids.js"));
    insta::assert_snapshot!("export_js", read(&out, "export.js"));
    insta::assert_snapshot!("sources_page", read(&out, "sources.html"));
}

/// With `site.base_url`: every page has its canonical link, sitemap.xml lists every page,
/// robots.txt points to it and 404.html links absolutely; without it, none of these.
#[test]
fn base_url_adds_canonical_links_sitemap_robots_and_404() {
    const BASE: &str = "https://kidney-genetics.example.org/db/";
    let text = format!(
        "{}\nsite:\n  base_url: {BASE}\n",
        include_str!("../../sources.yaml")
    );
    let registry = Registry::from_str(Path::new("sources.yaml"), &text).expect("valid");
    let data = fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    super::render(&data, &registry, &out).unwrap();

    let pages: Vec<String> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".html") && !f.starts_with("releases/") && f != "404.html")
        .collect();
    assert!(pages.len() > data.genes.len() + 5, "{pages:?}");

    // Without site.doi no DOI is shown; the citation's URL is the release folder.
    let rel: Value = serde_json::from_str(&read(&out, "api/release.json")).unwrap();
    assert!(rel["cite"]["doi"].is_null());
    assert_eq!(
        rel["cite"]["url"],
        format!("{BASE}releases/{}/", data.release).as_str()
    );
    assert!(!read(&out, "index.html").contains("doi.org"));
    // With site.doi: in every footer, the citation, .zenodo.json and the release's CITATION.cff.
    const DOI: &str = "10.5281/zenodo.4242";
    let with_doi = Registry::from_str(Path::new("sources.yaml"), &format!("{text}  doi: {DOI}\n"))
        .expect("valid");
    let doi_out = dir.path().join("doi-site");
    super::render(&data, &with_doi, &doi_out).unwrap();
    for page in ["index.html", "genes/HGNC_9008.html", "downloads/index.html"] {
        assert!(
            read(&doi_out, page).contains(&format!("https://doi.org/{DOI}")),
            "{page}"
        );
    }
    let rel: Value = serde_json::from_str(&read(&doi_out, "api/release.json")).unwrap();
    assert_eq!(rel["cite"]["doi"], DOI);
    assert!(rel["citation"].as_str().unwrap().contains(DOI));
    let kept = format!("releases/{}/", data.release);
    assert!(read(&doi_out, &format!("{kept}CITATION.cff")).contains(DOI));
    assert!(read(&doi_out, &format!("{kept}.zenodo.json")).contains(DOI));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.starts_with("<?xml"), "{sitemap}");
    assert_eq!(sitemap.matches("<loc>").count(), pages.len(), "{sitemap}");
    for page in &pages {
        let url = match page.as_str() {
            "index.html" => BASE.to_string(),
            "downloads/index.html" => format!("{BASE}downloads/"),
            p => format!("{BASE}{p}"),
        };
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} not in the sitemap"
        );
        let html = read(&out, page);
        assert_eq!(
            html.matches(&format!("<link rel=\"canonical\" href=\"{url}\">\n"))
                .count(),
            1,
            "{page}"
        );
    }
    let pkd1 = gene_stem("HGNC:9008").unwrap();
    assert!(sitemap.contains(&format!("<loc>{BASE}genes/{pkd1}.html</loc>")));

    assert_eq!(
        read(&out, "robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );

    let not_found = read(&out, "404.html");
    assert!(not_found.contains("Page not found"), "{not_found}");
    assert!(
        not_found.contains(&format!("href=\"{BASE}site.css\""))
            && not_found.contains(&format!("href=\"{BASE}index.html\"")),
        "absolute links (served at any path): {not_found}"
    );
    assert!(!not_found.contains("rel=\"canonical\""), "{not_found}");
    assert!(not_found.contains("<meta name=\"robots\" content=\"noindex\">"));

    // Without base_url (the shipped config): none of it.
    let (_dir, plain) = render_to(&data);
    for f in ["sitemap.xml", "robots.txt", "404.html"] {
        assert!(!plain.join(f).exists(), "{f} without base_url");
    }
    assert!(!read(&plain, "index.html").contains("canonical"));
    assert!(!read(&plain, &format!("genes/{pkd1}.html")).contains("canonical"));
}

/// Curator decisions: the gene page shows each with its reason and date, Methods counts
/// them per kind, Sources lists the stale ones, and the manifest names the file's checksum.
#[test]
fn curator_decisions_on_gene_methods_sources_and_manifest() {
    use super::model::{CurationInfo, GeneDecision, StaleDecision};
    let mut data = fixture();
    let nphs1 = data
        .genes
        .iter_mut()
        .find(|g| g.summary.symbol == "NPHS1")
        .unwrap();
    nphs1.decisions.push(GeneDecision {
        kind: "exclude".into(),
        decision: "exclude diagnostic_panels record `cegat/NPHS1`".into(),
        change: "record `cegat/NPHS1` of diagnostic_panels (`NPHS1`, HGNC:7908 NPHS1) not counted"
            .into(),
        reason: "the lab withdrew the panel".into(),
        curator: "bp".into(),
        date: "2026-11-30".into(),
    });
    data.methods.curation.insert("exclude".into(), 1);
    data.curation = CurationInfo {
        file: Some("curation.yaml".into()),
        sha256: Some("ab".repeat(32)),
        in_force: [("exclude".to_string(), 1)].into(),
        stale: vec![StaleDecision {
            decision: "exclude diagnostic_panels `IV`".into(),
            why: "no staged row of diagnostic_panels reports `IV`".into(),
            reason: "a heading".into(),
            curator: "bp".into(),
            date: "2026-11-01".into(),
        }],
    };
    let (_d, out) = render_to(&data);
    let page = read(&out, "genes/HGNC_7908.html");
    assert!(
        page.contains("<h2 id=\"curation-h\">Curator decisions</h2>"),
        "{page}"
    );
    assert!(
        page.contains("Reason: the lab withdrew the panel (bp, 2026-11-30)"),
        "{page}"
    );
    let other = read(&out, "genes/HGNC_618.html");
    assert!(!other.contains("curation-h"), "APOL1 has no decision");
    let methods = read(&out, "methods.html");
    assert!(methods.contains("<li>exclude: 1</li>"), "{methods}");
    let sources = read(&out, "sources.html");
    assert!(
        sources.contains("<code>exclude diagnostic_panels `IV`</code>: no staged row"),
        "{sources}"
    );
    let m: Value = serde_json::from_str(&read(&out, "downloads/manifest.json")).unwrap();
    assert_eq!(m["curation"]["sha256"], "ab".repeat(32));
    assert_eq!(m["curation"]["in_force"]["exclude"], 1);
    assert_eq!(m["curation"]["stale"], 1);
}

// ---------------------------------------------------------------------------------------
// Content digest (a release only when what it publishes changed)

#[test]
fn the_content_digest_ignores_times_and_release_names_but_not_data() {
    let a = fixture();
    let mut b = fixture();
    b.build_time = "2030-01-01T00:00:00Z".into();
    b.release = "2030.01.01".into();
    b.changes.clear();
    for s in &mut b.sources {
        s.status = "unchanged".into();
        s.last_success = Some("2030-01-01T00:00:00Z".into());
        for d in &mut s.downloads {
            d.fetched_at = "2030-01-01T00:00:00Z".into();
        }
    }
    assert_eq!(a.content_digest(), b.content_digest());
    let mut c = fixture();
    c.genes[0].summary.percentage += 1.0;
    assert_ne!(a.content_digest(), c.content_digest(), "a score");
    let mut d = fixture();
    if let Some(f) = d.sources.iter_mut().find_map(|s| s.downloads.first_mut()) {
        f.sha256 = "0".repeat(64);
    }
    assert_ne!(a.content_digest(), d.content_digest(), "a source file");
}
