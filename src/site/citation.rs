//! How to cite a release: the citation (text, BibTeX, parts) and the metadata files a
//! maintainer deposits for a DOI (`downloads/.zenodo.json`, `downloads/CITATION.cff`, copied
//! with the downloads into `releases/<release>/`).
//!
//! Why: a result that used kgdb must name exactly which data it used. A release is named by
//! its CalVer version and pinned by the SHA-256 of its `manifest.json` (which lists the
//! SHA-256 of every other download); with a DOI configured (`site.doi`), the DOI is shown
//! everywhere the citation is.

use serde::Serialize;

use super::model::SiteData;
use super::schema::Citation;
use super::view::SiteView;

/// kgdb's repository: the citation's URL when the site's address is not configured.
pub const REPOSITORY: &str = "https://github.com/kidney-genetics/kgdb";

/// The authors named in citations and deposit metadata.
pub const AUTHOR: &str = "Kidney-Genetics Database contributors";

/// The citation of this build's release.
pub fn citation(data: &SiteData, site: &SiteView, manifest_sha256: &str) -> Citation {
    let title = format!("Kidney-Genetics Database (kgdb), release {}", data.release);
    let date: String = data.build_time.chars().take(10).collect();
    let url = site.base_url.as_ref().map_or_else(
        || REPOSITORY.to_string(),
        |b| format!("{b}releases/{}/", data.release),
    );
    let doi = site.doi.clone();
    let mut text = format!(
        "{AUTHOR}. {title} (kgdb {}), {date}. {url}",
        data.kgdb_version
    );
    if let Some(doi) = &doi {
        text.push_str(&format!(" doi:{doi}"));
    }
    text.push_str(&format!(" (manifest.json SHA-256 {manifest_sha256})"));
    let key = format!("kgdb_{}", data.release.replace('.', "_"));
    let mut bibtex = format!(
        "@misc{{{key},\n  author = {{{{{AUTHOR}}}}},\n  title = {{{{{title}}}}},\n  version = {{{}}},\n  year = {{{}}},\n  url = {{{url}}},\n",
        data.release,
        date.get(..4).unwrap_or(""),
    );
    if let Some(doi) = &doi {
        bibtex.push_str(&format!("  doi = {{{doi}}},\n"));
    }
    bibtex.push_str(&format!(
        "  note = {{manifest.json SHA-256 {manifest_sha256}}}\n}}\n"
    ));
    Citation {
        text,
        title,
        version: data.release.clone(),
        date,
        url,
        manifest_sha256: manifest_sha256.to_string(),
        doi,
        bibtex,
    }
}

/// `.zenodo.json`: Zenodo's deposit metadata for the release (upload the release folder
/// with it to mint a DOI, then set `site.doi`).
#[derive(Debug, Serialize)]
pub struct Zenodo {
    pub title: String,
    pub upload_type: &'static str,
    pub description: String,
    pub version: String,
    pub publication_date: String,
    pub creators: Vec<Creator>,
    pub access_right: &'static str,
    /// Zenodo's licence id: the downloads keep each source's own licence (see notes).
    pub license: &'static str,
    pub keywords: Vec<&'static str>,
    pub notes: String,
    pub related_identifiers: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Creator {
    pub name: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Related {
    pub identifier: String,
    pub relation: &'static str,
    pub resource_type: &'static str,
}

pub fn zenodo(data: &SiteData, c: &Citation) -> Zenodo {
    let licences: Vec<String> = data
        .sources
        .iter()
        .map(|s| format!("{}: {}", s.title, s.licence))
        .chain(
            data.annotation_sources
                .iter()
                .filter(|a| a.redistribute)
                .map(|a| format!("{}: {}", a.title, a.licence)),
        )
        .collect();
    Zenodo {
        title: c.title.clone(),
        upload_type: "dataset",
        description: format!(
            "Genes linked to kidney disease with a harmonized evidence score, tiers and the \
             per-source evidence behind them, compiled by kgdb {} from {} sources on {} \
             ({} genes). Files: genes, evidence and annotations as CSV, TSV and Parquet, \
             genes.json, a Frictionless data package and a manifest with the provenance and \
             SHA-256 of every file.",
            data.kgdb_version,
            data.sources.len(),
            c.date,
            data.genes.len()
        ),
        version: c.version.clone(),
        publication_date: c.date.clone(),
        creators: vec![Creator { name: AUTHOR }],
        access_right: "open",
        license: "other-at",
        keywords: vec!["kidney disease", "gene curation", "genetics", "nephrology"],
        notes: format!(
            "manifest.json SHA-256 {}. Each source keeps its own licence: {}.",
            c.manifest_sha256,
            licences.join("; ")
        ),
        related_identifiers: vec![Related {
            identifier: c.url.clone(),
            relation: "isIdenticalTo",
            resource_type: "dataset",
        }],
        doi: c.doi.clone(),
    }
}

/// `CITATION.cff` of the release (Citation File Format 1.2.0).
pub fn cff(c: &Citation) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = format!(
        "cff-version: 1.2.0\nmessage: \"If you use this release, please cite it as below.\"\ntype: dataset\ntitle: {}\nversion: {}\ndate-released: {}\nurl: {}\nauthors:\n  - name: {}\n",
        q(&c.title),
        q(&c.version),
        q(&c.date),
        q(&c.url),
        q(AUTHOR)
    );
    if let Some(doi) = &c.doi {
        out.push_str(&format!("doi: {}\n", q(doi)));
    }
    out.push_str(&format!(
        "notes: {}\n",
        q(&format!("manifest.json SHA-256 {}", c.manifest_sha256))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> SiteData {
        serde_json::from_str(include_str!("../../tests/fixtures/site_data.json")).unwrap()
    }

    fn registry() -> crate::registry::Registry {
        crate::registry::Registry::load(
            concat!(env!("CARGO_MANIFEST_DIR"), "/sources.yaml").as_ref(),
        )
        .unwrap()
    }

    #[test]
    fn the_citation_names_release_date_url_and_manifest_checksum() {
        let d = data();
        let mut site = SiteView::new(&d, &registry());
        let c = citation(&d, &site, "ab12");
        assert_eq!(c.version, d.release);
        assert_eq!(c.date, d.build_time[..10]);
        assert_eq!(c.url, REPOSITORY);
        assert!(
            c.text.contains(&d.release) && c.text.ends_with("SHA-256 ab12)"),
            "{}",
            c.text
        );
        assert!(c.doi.is_none() && !c.text.contains("doi:"));
        site.base_url = Some("https://example.org/kgdb/".into());
        site.doi = Some("10.5281/zenodo.123".into());
        let c = citation(&d, &site, "ab12");
        assert_eq!(
            c.url,
            format!("https://example.org/kgdb/releases/{}/", d.release)
        );
        assert!(c.text.contains("doi:10.5281/zenodo.123"), "{}", c.text);
        assert!(
            c.bibtex.contains("doi = {10.5281/zenodo.123}"),
            "{}",
            c.bibtex
        );
        let z = serde_json::to_value(zenodo(&d, &c)).unwrap();
        assert_eq!(z["version"], d.release.as_str());
        assert_eq!(z["upload_type"], "dataset");
        assert_eq!(z["doi"], "10.5281/zenodo.123");
        assert!(z["notes"].as_str().unwrap().contains("ab12"));
        let cff = cff(&c);
        assert!(cff.contains("doi: \"10.5281/zenodo.123\""), "{cff}");
        assert!(cff.starts_with("cff-version: 1.2.0\n"));
    }
}
