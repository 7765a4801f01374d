//! `--mirror URL`: serve every upstream host from one local mirror.
//!
//! `https://HOST/PATH?Q` becomes `MIRROR/HOST/PATH?Q`, for configured URLs and for URLs found
//! in responses (PanelApp `next` links, redirects). The reverse mapping gives provenance in
//! upstream form, so a build through a mirror records the same URLs as a direct one.

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    base: String,
}

#[derive(Debug, thiserror::Error)]
#[error("--mirror {0}: must be an http(s) URL such as http://127.0.0.1:8080")]
pub struct BadMirror(pub String);

impl Mirror {
    pub fn new(base: &str) -> Result<Mirror, BadMirror> {
        let u = Url::parse(base).map_err(|_| BadMirror(base.to_string()))?;
        if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
            return Err(BadMirror(base.to_string()));
        }
        Ok(Mirror {
            base: base.trim_end_matches('/').to_string(),
        })
    }

    /// The mirror's base URL, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Upstream URL -> mirror URL. URLs already on the mirror are returned unchanged.
    pub fn rewrite(&self, upstream: &str) -> String {
        if upstream.starts_with(&self.base) {
            return upstream.to_string();
        }
        let rest = upstream
            .strip_prefix("https://")
            .or_else(|| upstream.strip_prefix("http://"));
        match rest {
            Some(rest) => format!("{}/{}", self.base, rest),
            None => upstream.to_string(),
        }
    }

    /// Mirror URL -> upstream (`https://`) URL; other URLs unchanged.
    pub fn upstream(&self, url: &str) -> String {
        match url.strip_prefix(&self.base) {
            Some(rest) => format!("https://{}", rest.trim_start_matches('/')),
            None => url.to_string(),
        }
    }
}

impl Mirror {
    /// Every mirror URL inside `text` in its upstream (`https://`) form.
    pub fn upstream_text(&self, text: &str) -> String {
        text.replace(&format!("{}/", self.base), "https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_both_ways() {
        let m = Mirror::new("http://127.0.0.1:4000/").unwrap();
        let up = "https://panelapp-aus.org/api/v1/panels/?page=2";
        let local = m.rewrite(up);
        assert_eq!(
            local,
            "http://127.0.0.1:4000/panelapp-aus.org/api/v1/panels/?page=2"
        );
        assert_eq!(m.rewrite(&local), local);
        assert_eq!(m.upstream(&local), up);
        assert!(Mirror::new("ftp://x").is_err());
        assert_eq!(
            m.upstream_text(&format!("got {local} twice: {local}")),
            format!("got {up} twice: {up}")
        );
    }
}
