//! `sources.yaml`: what kgdb fetches, from where, how politely, and how it scores.
//!
//! Every selection rule, URL, rate limit and scoring weight lives in this one file so that a
//! curator can read what a build did without reading code. Loading is two steps, as in
//! cargo-deny: a *raw* serde model that rejects unknown keys (a typo must never silently turn a
//! rule off, the predecessor's config had many keys nothing read), then [`Config::validate`],
//! which checks meaning and reports *every* problem at once with file, line and key.

mod raw;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};
use url::Url;

pub use raw::*;

/// One problem found in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<u64>,
    pub key: String,
    pub message: String,
}

/// The config could not be used; lists every problem found.
#[derive(Debug, thiserror::Error)]
pub struct ConfigError {
    pub file: PathBuf,
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{}: {} problem{} in the config",
            self.file.display(),
            n,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            match p.line {
                Some(line) => write!(f, "  {}:{}: ", self.file.display(), line)?,
                None => write!(f, "  {}: ", self.file.display())?,
            }
            if p.key.is_empty() {
                writeln!(f, "{}", p.message)?;
            } else {
                writeln!(f, "{}: {}", p.key, p.message)?;
            }
        }
        Ok(())
    }
}

/// The validated configuration: everything later stages need, with spans stripped.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: PathBuf,
    /// sha256 of the config bytes, recorded with every run.
    pub sha256: String,
    pub raw: RawConfig,
}

/// Per-host politeness settings, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HostLimit {
    pub requests_per_second: f64,
    pub concurrency: usize,
}

impl Config {
    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            problems: vec![Problem {
                line: None,
                key: String::new(),
                message: format!("cannot read the file: {e}"),
            }],
        })?;
        Self::from_str(path, &text)
    }

    /// Parse and validate config text (`path` is used in messages only).
    pub fn from_str(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = serde_saphyr::from_str(text).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            problems: vec![problem_from_yaml_error(&e)],
        })?;
        let problems = validate(&raw);
        if !problems.is_empty() {
            return Err(ConfigError {
                file: path.to_path_buf(),
                problems,
            });
        }
        Ok(Config {
            file: path.to_path_buf(),
            sha256: hex::encode(Sha256::digest(text.as_bytes())),
            raw,
        })
    }

    /// Rate limit and concurrency cap for an upstream host.
    pub fn host_limit(&self, host: &str) -> HostLimit {
        let h = self
            .raw
            .http
            .hosts
            .get(host)
            .map(|s| &s.value)
            .unwrap_or(&self.raw.http.default_host.value);
        HostLimit {
            requests_per_second: h.requests_per_second.value,
            concurrency: h.concurrency.value as usize,
        }
    }

    pub fn hosts(&self) -> &BTreeMap<String, Spanned<RawHost>> {
        &self.raw.http.hosts
    }

    /// Whether a source is enabled in this config.
    pub fn is_enabled(&self, source: &str) -> bool {
        self.raw
            .sources
            .common(source)
            .or_else(|| self.raw.annotations.info(source).map(|a| a.common))
            .is_some_and(|c| c.enabled)
    }
}

/// Every source kgdb knows, in fetch order (HGNC first: normalization needs it).
pub const SOURCE_NAMES: [&str; 9] = [
    "hgnc",
    "panelapp_uk",
    "panelapp_au",
    "clingen",
    "gencc",
    "hpo",
    "pubtator",
    "literature",
    "diagnostic_panels",
];

fn problem_from_yaml_error(e: &serde_saphyr::Error) -> Problem {
    let line = e.location().map(|l| l.line()).filter(|l| *l > 0);
    // serde-saphyr renders the location into its message; keep only the first line of it
    // and let our own formatter add file and line.
    let msg = e.to_string();
    let first = msg
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string();
    Problem {
        line,
        key: String::new(),
        message: first,
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push<T>(&mut self, at: &Spanned<T>, key: impl Into<String>, message: impl Into<String>) {
        let line = at.referenced.line();
        self.problems.push(Problem {
            line: (line > 0).then_some(line),
            key: key.into(),
            message: message.into(),
        });
    }

    fn url(&mut self, at: &Spanned<String>, key: &str) {
        match Url::parse(&at.value) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => {}
            Ok(u) if u.scheme() == "file" => {}
            Ok(u) => self.push(
                at,
                key,
                format!(
                    "`{}` must be an http(s) URL (scheme is {})",
                    at.value,
                    u.scheme()
                ),
            ),
            Err(e) => self.push(at, key, format!("`{}` is not a URL: {e}", at.value)),
        }
    }

    fn positive_f64(&mut self, at: &Spanned<f64>, key: &str) {
        if !(at.value.is_finite() && at.value > 0.0) {
            self.push(
                at,
                key,
                format!("must be a number above 0, found {}", at.value),
            );
        }
    }

    fn positive_u64(&mut self, at: &Spanned<u64>, key: &str) {
        if at.value == 0 {
            self.push(at, key, "must be at least 1");
        }
    }

    fn weight(&mut self, at: &Spanned<f64>, key: &str) {
        if !(0.0..=1.0).contains(&at.value) {
            self.push(
                at,
                key,
                format!("a weight must lie in 0..=1, found {}", at.value),
            );
        }
    }

    fn non_empty_list(&mut self, at: &Spanned<Vec<String>>, key: &str) {
        if at.value.is_empty() {
            self.push(at, key, "must list at least one entry");
        }
        if at.value.iter().any(|s| s.trim().is_empty()) {
            self.push(at, key, "contains an empty entry");
        }
    }

    /// A gene page template: an http(s) URL whose `{...}` placeholders are known.
    fn gene_link(&mut self, at: &Spanned<String>, key: &str) {
        const KNOWN: [&str; 4] = ["{symbol}", "{hgnc_id}", "{entrez_id}", "{ensembl_gene_id}"];
        let mut rest = at.value.clone();
        for k in KNOWN {
            rest = rest.replace(k, "X");
        }
        if let Some(i) = rest.find('{') {
            let bad: String = rest[i..].chars().take_while(|&ch| ch != '}').collect();
            self.push(
                at,
                key,
                format!("unknown placeholder `{bad}}}`; known: {}", KNOWN.join(", ")),
            );
            return;
        }
        let probe = Spanned {
            value: rest,
            referenced: at.referenced,
            defined: at.defined,
        };
        self.url(&probe, key);
    }

    fn common(&mut self, c: RawCommon<'_>, key: &str) {
        self.positive_u64(c.max_age_days, &format!("{key}.max_age_days"));
        if let Some(h) = c.homepage {
            self.url(h, &format!("{key}.homepage"));
        }
    }
}

fn validate(raw: &RawConfig) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };

    // HTTP politeness.
    let http = &raw.http;
    c.positive_u64(&http.connect_timeout_secs, "http.connect_timeout_secs");
    c.positive_u64(&http.read_timeout_secs, "http.read_timeout_secs");
    c.positive_u64(&http.backoff_initial_ms, "http.backoff_initial_ms");
    c.positive_u64(&http.backoff_max_secs, "http.backoff_max_secs");
    c.positive_u64(&http.max_retry_after_secs, "http.max_retry_after_secs");
    let d = &http.default_host.value;
    c.positive_f64(
        &d.requests_per_second,
        "http.default_host.requests_per_second",
    );
    c.positive_u64(&d.concurrency, "http.default_host.concurrency");
    for (host, h) in &http.hosts {
        if host.contains('/') || host.contains(':') || host.trim().is_empty() {
            c.push(h, format!("http.hosts.{host}"), "must be a bare host name");
        }
        c.positive_f64(
            &h.value.requests_per_second,
            &format!("http.hosts.{host}.requests_per_second"),
        );
        c.positive_u64(
            &h.value.concurrency,
            &format!("http.hosts.{host}.concurrency"),
        );
    }

    // Sources.
    let s = &raw.sources;
    c.common(s.hgnc.common(), "sources.hgnc");
    c.url(&s.hgnc.url, "sources.hgnc.url");
    if let Some(w) = &s.hgnc.withdrawn_url {
        c.url(w, "sources.hgnc.withdrawn_url");
    }
    for (name, p) in [
        ("panelapp_uk", &s.panelapp_uk),
        ("panelapp_au", &s.panelapp_au),
    ] {
        let k = format!("sources.{name}");
        c.common(p.common(), &k);
        c.url(&p.api_url, &format!("{k}.api_url"));
        c.non_empty_list(&p.panel_name_patterns, &format!("{k}.panel_name_patterns"));
        if p.region.value.trim().is_empty() {
            c.push(
                &p.region,
                format!("{k}.region"),
                "must name the region (e.g. UK)",
            );
        }
        if p.panel_name_exclusions.iter().any(|x| x.trim().is_empty()) {
            c.problems.push(Problem {
                line: None,
                key: format!("{k}.panel_name_exclusions"),
                message: "contains an empty entry (it would exclude every panel)".into(),
            });
        }
        let both: Vec<String> = p
            .include_panels
            .iter()
            .filter(|id| p.exclude_panels.contains(id))
            .map(u64::to_string)
            .collect();
        if !both.is_empty() {
            c.problems.push(Problem {
                line: None,
                key: format!("{k}.include_panels"),
                message: format!("panel {} also listed in exclude_panels", both.join(", ")),
            });
        }
        for r in &p.counted_ratings.value {
            if !matches!(r.as_str(), "green" | "amber" | "red") {
                c.push(
                    &p.counted_ratings,
                    format!("{k}.counted_ratings"),
                    format!("unknown rating `{r}` (expected green, amber or red)"),
                );
            }
        }
    }
    c.common(s.clingen.common(), "sources.clingen");
    c.url(&s.clingen.url, "sources.clingen.url");
    c.non_empty_list(&s.clingen.expert_panels, "sources.clingen.expert_panels");
    c.non_empty_list(
        &s.clingen.disease_keywords,
        "sources.clingen.disease_keywords",
    );
    // Annotations.
    let a = &raw.annotations;
    for name in crate::annotations::model::ANNOTATION_NAMES {
        let Some(info) = a.info(name) else { continue };
        let k = format!("annotations.{name}");
        c.common(info.common, &k);
        if let Some(link) = info.gene_link {
            c.gene_link(link, &format!("{k}.gene_link"));
        }
        if !info.redistribute && info.gene_link.is_none() {
            c.problems.push(Problem {
                line: None,
                key: format!("{k}.gene_link"),
                message:
                    "an annotation that may not be redistributed needs a gene_link to show instead"
                        .into(),
            });
        }
    }
    let rules = &a.hpo_phenotypes.rules;
    let key = "annotations.hpo_phenotypes.rules";
    let r = &rules.value;
    if !(0.0..=1.0).contains(&r.syndromic_threshold) {
        c.push(
            rules,
            format!("{key}.syndromic_threshold"),
            format!(
                "a share: must lie in 0..=1, found {}",
                r.syndromic_threshold
            ),
        );
    }
    let named = [
        ("clinical_groups", &r.clinical_groups),
        ("onset_groups", &r.onset_groups),
        ("syndromic_indicators", &r.syndromic_indicators),
    ];
    let roots = ("kidney_roots".to_string(), r.kidney_roots.clone());
    for (what, groups) in named {
        if groups.is_empty() {
            c.push(
                rules,
                format!("{key}.{what}"),
                "must list at least one group",
            );
        }
        for (name, terms) in groups
            .iter()
            .chain(std::iter::once(&roots).filter(|_| what == "clinical_groups"))
        {
            if terms.is_empty() {
                c.push(rules, format!("{key}.{what}.{name}"), "lists no term");
            }
            for t in terms.iter().filter(|t| !is_hpo_id(t)) {
                c.push(
                    rules,
                    format!("{key}.{what}.{name}"),
                    format!("`{t}` is not an HPO id (HP:0000000)"),
                );
            }
        }
    }
    for (key, url) in [
        ("gnomad.url", &a.gnomad.url),
        ("clinvar.url", &a.clinvar.url),
        ("gtex.url", &a.gtex.url),
        ("descartes.tpm_url", &a.descartes.tpm_url),
        ("descartes.fraction_url", &a.descartes.fraction_url),
        ("mgi.orthologs_url", &a.mgi.orthologs_url),
        ("mgi.vocabulary_url", &a.mgi.vocabulary_url),
        ("mgi.kidney_terms_url", &a.mgi.kidney_terms_url),
        ("mane.url", &a.mane.url),
    ] {
        c.url(url, &format!("annotations.{key}"));
    }

    c.common(s.gencc.common(), "sources.gencc");
    c.url(&s.gencc.url, "sources.gencc.url");
    c.non_empty_list(&s.gencc.disease_keywords, "sources.gencc.disease_keywords");
    c.common(s.hpo.common(), "sources.hpo");
    c.url(&s.hpo.obo_url, "sources.hpo.obo_url");
    c.url(&s.hpo.hpoa_url, "sources.hpo.hpoa_url");
    c.url(
        &s.hpo.genes_to_disease_url,
        "sources.hpo.genes_to_disease_url",
    );
    c.non_empty_list(&s.hpo.kidney_root_terms, "sources.hpo.kidney_root_terms");
    for t in &s.hpo.kidney_root_terms.value {
        if !is_hpo_id(t) {
            c.push(
                &s.hpo.kidney_root_terms,
                "sources.hpo.kidney_root_terms",
                format!("`{t}` is not an HPO term id (HP:0000000)"),
            );
        }
    }
    c.non_empty_list(&s.hpo.disease_prefixes, "sources.hpo.disease_prefixes");
    for p in &s.hpo.disease_prefixes.value {
        if p.contains(':') || p.contains(char::is_whitespace) {
            c.push(
                &s.hpo.disease_prefixes,
                "sources.hpo.disease_prefixes",
                format!("`{p}` is not a disease id prefix (e.g. OMIM, ORPHA, without the colon)"),
            );
        }
    }
    c.common(s.pubtator.common(), "sources.pubtator");
    c.url(&s.pubtator.api_url, "sources.pubtator.api_url");
    if s.pubtator.query.value.trim().is_empty() {
        c.push(
            &s.pubtator.query,
            "sources.pubtator.query",
            "must not be empty",
        );
    }
    if let Some(m) = &s.pubtator.max_pages {
        c.positive_u64(m, "sources.pubtator.max_pages");
    }
    c.positive_u64(
        &s.pubtator.known_pages_to_stop,
        "sources.pubtator.known_pages_to_stop",
    );
    for (name, cur) in [
        ("literature", &s.literature),
        ("diagnostic_panels", &s.diagnostic_panels),
    ] {
        let k = format!("sources.{name}");
        c.common(cur.common(), &k);
        if cur.files.value.is_empty() {
            c.push(
                &cur.files,
                format!("{k}.files"),
                "must list at least one file",
            );
        }
        if let Some(b) = &cur.base_url {
            c.url(b, &format!("{k}.base_url"));
            if !b.value.ends_with('/') {
                c.push(b, format!("{k}.base_url"), "must end with `/`");
            }
        }
    }

    // Scoring.
    let sc = &raw.scoring;
    for src in &sc.sources.value {
        if !SCORING_SOURCES.contains(&src.as_str()) {
            c.push(
                &sc.sources,
                "scoring.sources",
                format!(
                    "unknown scoring source `{src}` (known: {})",
                    SCORING_SOURCES.join(", ")
                ),
            );
        }
    }
    if sc.sources.value.is_empty() {
        c.push(
            &sc.sources,
            "scoring.sources",
            "must list at least one source",
        );
    }
    for (name, w) in &sc.classification_weights {
        c.weight(w, &format!("scoring.classification_weights.{name}"));
    }
    for (name, min) in &sc.classic_thresholds {
        let message = if !SCORING_SOURCES.contains(&name.as_str()) {
            format!(
                "unknown source `{name}` (known: {})",
                SCORING_SOURCES.join(", ")
            )
        } else if *min == 0 {
            "a threshold must be at least 1".to_string()
        } else {
            continue;
        };
        c.problems.push(Problem {
            line: None,
            key: format!("scoring.classic_thresholds.{name}"),
            message,
        });
    }
    let mut last: Option<(&String, f64)> = None;
    for t in &sc.tiers.value {
        if let Some((prev, pct)) = last
            && t.min_percentage > pct
        {
            c.push(
                &sc.tiers,
                "scoring.tiers",
                format!(
                    "tier `{}` is stricter than `{prev}` listed before it; list tiers from strictest to weakest",
                    t.name
                ),
            );
        }
        if !(0.0..=100.0).contains(&t.min_percentage) {
            c.push(
                &sc.tiers,
                format!("scoring.tiers.{}", t.name),
                "min_percentage must lie in 0..=100",
            );
        }
        last = Some((&t.name, t.min_percentage));
    }

    c.problems.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
    c.problems
}

/// Sources that can take part in scoring.
pub const SCORING_SOURCES: [&str; 7] = [
    "panelapp",
    "literature",
    "diagnostic_panels",
    "hpo",
    "pubtator",
    "clingen",
    "gencc",
];

fn is_hpo_id(s: &str) -> bool {
    s.strip_prefix("HP:")
        .is_some_and(|d| d.len() == 7 && d.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../../sources.yaml");

    #[test]
    fn default_config_is_valid() {
        let cfg = Config::from_str(Path::new("sources.yaml"), DEFAULT).expect("valid");
        assert_eq!(
            cfg.host_limit("www.ncbi.nlm.nih.gov").requests_per_second,
            3.0
        );
        assert!(cfg.is_enabled("hgnc"));
        assert_eq!(cfg.raw.scoring.sources.value.len(), 7);
    }

    /// sources.yaml spells out the HPO class rules; they must equal the documented
    /// defaults the tests of `hpo_classes` check on the real files.
    #[test]
    fn hpo_class_rules_in_sources_yaml_are_the_defaults() {
        let cfg = Config::from_str(Path::new("sources.yaml"), DEFAULT).expect("valid");
        assert_eq!(
            cfg.raw.annotations.hpo_phenotypes.rules.value,
            crate::annotations::hpo_classes::ClassRules::default()
        );
        assert!(!cfg.raw.annotations.descartes.redistribute);
        assert!(cfg.is_enabled("mane"));
    }

    #[test]
    fn annotation_problems_name_key_and_line() {
        let text = DEFAULT
            .replacen("[head_neck, [HP:0000152,", "[head_neck, [HP:152,", 1)
            .replacen("syndromic_threshold: 0.3", "syndromic_threshold: 3", 1)
            .replacen("/gene/{symbol}/in/kidney", "/gene/{gene}/in/kidney", 1)
            .replacen(
                "url: https://ftp.ncbi.nlm.nih.gov/pub/clinvar/",
                "url: ftp.ncbi.nlm.nih.gov/pub/clinvar/",
                1,
            );
        let err = Config::from_str(Path::new("x.yaml"), &text).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(err.problems.len(), 4, "{err}");
        for k in [
            "annotations.hpo_phenotypes.rules.syndromic_indicators.head_neck",
            "annotations.hpo_phenotypes.rules.syndromic_threshold",
            "annotations.descartes.gene_link",
            "annotations.clinvar.url",
        ] {
            assert!(keys.contains(&k), "{k} not in {keys:?}");
        }
        assert!(err.to_string().contains("`{gene}`"), "{err}");
        assert!(err.problems.iter().all(|p| p.line.is_some()), "{err}");
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let text = DEFAULT.replacen("  hgnc:\n", "  hgnc:\n    colour: blue\n", 1);
        let err = Config::from_str(Path::new("sources.yaml"), &text).unwrap_err();
        let line = text
            .lines()
            .position(|l| l.contains("colour: blue"))
            .unwrap() as u64
            + 1;
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].line, Some(line), "{err}");
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn every_semantic_problem_is_reported_at_once() {
        let text = DEFAULT
            .replacen(
                "url: https://storage.googleapis.com/",
                "url: not a url//storage.googleapis.com/",
                1,
            )
            .replacen("requests_per_second: 3", "requests_per_second: 0", 1)
            .replacen("- HP:0010935", "- HP:10935", 1)
            .replacen(
                "disease_prefixes: [OMIM, ORPHA]",
                "disease_prefixes: [\"OMIM:\"]",
                1,
            );
        let err = Config::from_str(Path::new("x.yaml"), &text).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(err.problems.len(), 4, "{err}");
        assert!(keys.contains(&"sources.hpo.disease_prefixes"), "{keys:?}");
        assert!(keys.contains(&"sources.hgnc.url"), "{keys:?}");
        assert!(keys.contains(&"sources.hpo.kidney_root_terms"), "{keys:?}");
        assert!(
            keys.iter().any(|k| k.ends_with("requests_per_second")),
            "{keys:?}"
        );
        assert!(err.problems.iter().all(|p| p.line.is_some()), "{err}");
    }

    #[test]
    fn panelapp_contradictions_are_reported() {
        let text = DEFAULT
            .replacen(
                "    include_panels: []\n",
                "    include_panels: [283, 7]\n",
                1,
            )
            .replacen("    exclude_panels: []\n", "    exclude_panels: [283]\n", 1)
            .replacen("      - adrenal\n", "      - adrenal\n      - \"  \"\n", 1);
        let err = Config::from_str(Path::new("x.yaml"), &text).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("panel 283 also listed in exclude_panels"),
            "{msg}"
        );
        // The exclusions are shared by UK and AU through a YAML anchor.
        assert_eq!(
            err.problems
                .iter()
                .filter(|p| p.key.ends_with("panel_name_exclusions"))
                .count(),
            2,
            "{msg}"
        );
    }

    #[test]
    fn classic_thresholds_name_known_sources_and_are_positive() {
        let text = DEFAULT
            .replacen("    pubtator: 3\n", "    pubtator: 0\n", 1)
            .replacen("    hpo: 1\n", "    hpo: 1\n    omim: 1\n", 1);
        let err = Config::from_str(Path::new("x.yaml"), &text).unwrap_err();
        let keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "scoring.classic_thresholds.omim",
                "scoring.classic_thresholds.pubtator"
            ],
            "{err}"
        );
    }
}
