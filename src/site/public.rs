//! What a site published at a known address (`site.base_url`) adds: `sitemap.xml` (every
//! page), `robots.txt` (pointing to it) and `404.html`.
//!
//! Why only then: a sitemap and robots.txt must name absolute URLs, and a 404 page is served
//! by the host at any missing path, so its links must be absolute too; a site opened from
//! disk or an archive has no such address, and its output stays exactly as before.

use serde::Serialize;

use super::view::{Common, SiteView, public_url};

/// The 404 page's context.
#[derive(Debug, Serialize)]
pub struct NotFoundPage {
    #[serde(flatten)]
    pub common: Common,
}

/// `404.html`: links absolute under `base_url` (it is served at any path), no canonical link
/// (it is no page of its own), no navigation entry current.
pub fn not_found(site: &SiteView, base_url: &str) -> NotFoundPage {
    let mut common = site.common("404.html", "", "Page not found".into());
    common.root = base_url.to_string();
    common.canonical = None;
    NotFoundPage { common }
}

/// `sitemap.xml` listing `pages` (paths relative to the site root) under `base_url`.
pub fn sitemap<'a>(base_url: &str, pages: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages {
        out.push_str("  <url><loc>");
        out.push_str(&xml_escape(&public_url(base_url, page)));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything may be crawled; the sitemap says what there is.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_lists_folders_by_their_url_and_escapes() {
        let xml = sitemap(
            "https://example.org/kgdb/",
            [
                "index.html",
                "downloads/index.html",
                "genes/HGNC_1.html",
                "a&b.html",
            ],
        );
        assert!(
            xml.contains("<loc>https://example.org/kgdb/</loc>"),
            "{xml}"
        );
        assert!(
            xml.contains("<loc>https://example.org/kgdb/downloads/</loc>"),
            "{xml}"
        );
        assert!(xml.contains("<loc>https://example.org/kgdb/genes/HGNC_1.html</loc>"));
        assert!(
            xml.contains("<loc>https://example.org/kgdb/a&amp;b.html</loc>"),
            "{xml}"
        );
        assert_eq!(xml.matches("<url>").count(), 4);
        assert!(xml.ends_with("</urlset>\n"));
    }

    #[test]
    fn robots_points_to_the_sitemap() {
        assert!(
            robots("https://example.org/").ends_with("Sitemap: https://example.org/sitemap.xml\n")
        );
    }
}
