//! The registry: every evidence source and annotation kgdb knows, in one list each, and the
//! loader that builds them from `sources.yaml`.
//!
//! Why: this is the one place that names them all. Fetch order, `kgdb status`, the Sources
//! and Methods pages, the gene-page sections and the downloads all walk these lists, so a
//! new source is a module, a line here, a block in `sources.yaml` and a template partial
//! (`docs/adding-a-source.md`).

use std::path::Path;

use crate::annotations::{self, AnnotationSource, PartKind};
use crate::config::{Config, ConfigError, Problem};
use crate::curation::Curation;
use crate::sources::{self, EvidenceSource, ScoringSource};

/// Every evidence source, in fetch order (HGNC first: normalization needs it). One line
/// per source; two instances of one module (PanelApp UK and Australia) are two lines.
pub static SOURCES: &[sources::Entry] = &[
    sources::Entry {
        name: "hgnc",
        load: sources::hgnc::load,
    },
    sources::Entry {
        name: "panelapp_uk",
        load: sources::panelapp::load,
    },
    sources::Entry {
        name: "panelapp_au",
        load: sources::panelapp::load,
    },
    sources::Entry {
        name: "clingen",
        load: sources::clingen::load,
    },
    sources::Entry {
        name: "gencc",
        load: sources::gencc::load,
    },
    sources::Entry {
        name: "hpo",
        load: sources::hpo::load,
    },
    sources::Entry {
        name: "pubtator",
        load: sources::pubtator::load,
    },
    sources::Entry {
        name: "literature",
        load: sources::literature::load,
    },
    sources::Entry {
        name: "diagnostic_panels",
        load: sources::diagnostic_panels::load,
    },
];

/// Every annotation, in the order the site shows them (gene page, downloads). A companion
/// (`companion_of`) is staged by that evidence source from its own files.
pub static ANNOTATIONS: &[annotations::Entry] = &[
    annotations::Entry {
        name: "hpo_phenotypes",
        load: annotations::hpo_phenotypes::load,
        part: PartKind::of::<annotations::hpo_phenotypes::HpoPhenotypes>(),
        companion_of: Some("hpo"),
    },
    annotations::Entry {
        name: "gnomad",
        load: annotations::gnomad::load,
        part: PartKind::of::<annotations::gnomad::Constraint>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "clinvar",
        load: annotations::clinvar::load,
        part: PartKind::of::<annotations::clinvar::ClinVar>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "gtex",
        load: annotations::gtex::load,
        part: PartKind::of::<annotations::gtex::Expression>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "descartes",
        load: annotations::descartes::load,
        part: PartKind::of::<annotations::descartes::FetalKidney>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "mgi",
        load: annotations::mgi::load,
        part: PartKind::of::<annotations::mgi::Mouse>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "string_ppi",
        load: annotations::string_ppi::load,
        part: PartKind::of::<annotations::string_ppi::StringPpi>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "enrichr_go_bp",
        load: annotations::enrichr::load,
        part: PartKind::of::<annotations::enrichr::GeneSetTerms<annotations::enrichr::GoBp>>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "enrichr_kegg",
        load: annotations::enrichr::load_kegg,
        part: PartKind::of::<annotations::enrichr::GeneSetTerms<annotations::enrichr::Kegg>>(),
        companion_of: None,
    },
    annotations::Entry {
        name: "mane",
        load: annotations::mane::load,
        part: PartKind::of::<annotations::mane::ManeSelect>(),
        companion_of: None,
    },
];

/// The validated configuration with every registered source and annotation built from its
/// block.
pub struct Registry {
    pub config: Config,
    /// The curator decisions (`curation.yaml`), validated against the sources; empty
    /// without a curation file (and for [`Registry::from_str`]).
    pub curation: Curation,
    sources: Vec<Box<dyn EvidenceSource>>,
    annotations: Vec<Box<dyn AnnotationSource>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("config", &self.config.file)
            .field("sources", &self.names().collect::<Vec<_>>())
            .finish()
    }
}

impl Registry {
    /// Everything scoring needs: the `scoring` section of the config, and how each scoring
    /// source derives its score (its [`crate::score::Method`]).
    pub fn scoring_settings(&self) -> crate::score::ScoringSettings {
        let methods = self
            .scoring_names()
            .into_iter()
            .filter_map(|n| self.scoring(n))
            .map(|s| (s.scoring_name().to_string(), s.method()))
            .collect();
        crate::score::ScoringSettings::new(&self.config.raw.scoring, methods)
    }

    /// Read `sources.yaml`, validate the global sections and every source's block, and
    /// report every problem at once.
    pub fn load(path: &Path) -> Result<Registry, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.to_path_buf(),
            problems: vec![Problem {
                line: None,
                key: String::new(),
                message: format!("cannot read the file: {e}"),
            }],
        })?;
        let mut registry = Self::from_str(path, &text)?;
        registry.curation = registry.load_curation(path)?;
        Ok(registry)
    }

    /// The curation file named by `curation:` (an error when it is missing), or
    /// `curation.yaml` beside `sources.yaml` when it exists.
    fn load_curation(&self, config_path: &Path) -> Result<Curation, ConfigError> {
        let dir = config_path.parent().unwrap_or(Path::new("."));
        let names: Vec<&str> = self.names().collect();
        match &self.config.raw.curation {
            Some(p) => {
                let file = dir.join(&p.value);
                if !file.is_file() {
                    let line = p.referenced.line();
                    return Err(ConfigError {
                        file: config_path.to_path_buf(),
                        problems: vec![Problem {
                            line: (line > 0).then_some(line),
                            key: "curation".into(),
                            message: format!("no curation file at {}", file.display()),
                        }],
                    });
                }
                Curation::load(&file, &names)
            }
            None => {
                let file = dir.join("curation.yaml");
                if file.is_file() {
                    Curation::load(&file, &names)
                } else {
                    Ok(Curation::default())
                }
            }
        }
    }

    /// [`Registry::load`] from text (`path` names the file in messages).
    pub fn from_str(path: &Path, text: &str) -> Result<Registry, ConfigError> {
        let (config, mut problems) = Config::parse(path, text)?;
        let mut sources = Vec::new();
        let mut all_loaded = true;
        for entry in SOURCES {
            match (entry.load)(entry.name, &config) {
                Ok(s) => sources.push(s),
                Err(p) => {
                    all_loaded = false;
                    problems.extend(p);
                }
            }
        }
        let mut annotations = Vec::new();
        for entry in ANNOTATIONS {
            match (entry.load)(entry.name, &config) {
                Ok(a) => annotations.push(a),
                Err(p) => problems.extend(p),
            }
        }
        for name in config.raw.annotations.keys() {
            if !ANNOTATIONS.iter().any(|e| e.name == name) {
                problems.push(Problem {
                    line: None,
                    key: format!("annotations.{name}"),
                    message: format!(
                        "unknown annotation (known: {})",
                        ANNOTATIONS
                            .iter()
                            .map(|e| e.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        for name in config.raw.sources.keys() {
            if !SOURCES.iter().any(|e| e.name == name) {
                problems.push(Problem {
                    line: None,
                    key: format!("sources.{name}"),
                    message: format!(
                        "unknown source (known: {})",
                        SOURCES
                            .iter()
                            .map(|e| e.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        let registry = Registry {
            config,
            curation: Curation::default(),
            sources,
            annotations,
        };
        // Scoring names come from the sources; with one missing, its name would be reported
        // as unknown too, a problem that is not there.
        if all_loaded {
            problems.extend(registry.scoring_problems());
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
            return Err(ConfigError {
                file: path.to_path_buf(),
                problems,
            });
        }
        Ok(registry)
    }

    /// `scoring.sources` and `scoring.classic_thresholds` name scoring sources.
    fn scoring_problems(&self) -> Vec<Problem> {
        let known: Vec<&str> = self.scoring_names();
        let sc = &self.config.raw.scoring;
        let mut out = Vec::new();
        for src in &sc.sources.value {
            if !known.contains(&src.as_str()) {
                let line = sc.sources.referenced.line();
                out.push(Problem {
                    line: (line > 0).then_some(line),
                    key: "scoring.sources".into(),
                    message: format!(
                        "unknown scoring source `{src}` (known: {})",
                        known.join(", ")
                    ),
                });
            }
        }
        for name in sc.classic_thresholds.keys() {
            if !known.contains(&name.as_str()) {
                out.push(Problem {
                    line: None,
                    key: format!("scoring.classic_thresholds.{name}"),
                    message: format!("unknown source `{name}` (known: {})", known.join(", ")),
                });
            }
        }
        out
    }

    /// Every evidence source, in registry (fetch) order.
    pub fn sources(&self) -> impl Iterator<Item = &dyn EvidenceSource> {
        self.sources.iter().map(|s| s.as_ref())
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources().map(|s| s.name())
    }

    pub fn source(&self, name: &str) -> Option<&dyn EvidenceSource> {
        self.sources().find(|s| s.name() == name)
    }

    /// The distinct scoring sources, in registry order.
    pub fn scoring_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in self.sources().filter_map(|s| s.scoring()) {
            if !out.contains(&s.scoring_name()) {
                out.push(s.scoring_name());
            }
        }
        out
    }

    /// The scoring source of that name (the first instance feeding it).
    pub fn scoring(&self, name: &str) -> Option<&dyn ScoringSource> {
        self.sources()
            .filter_map(|s| s.scoring())
            .find(|s| s.scoring_name() == name)
    }

    /// The scoring source a stored source's rows feed.
    pub fn scoring_of(&self, source: &str) -> Option<&dyn ScoringSource> {
        self.source(source).and_then(|s| s.scoring())
    }

    /// The instances feeding a scoring source (PanelApp: UK and Australia).
    pub fn instances_of<'a>(
        &'a self,
        scoring: &'a str,
    ) -> impl Iterator<Item = &'a dyn EvidenceSource> + 'a {
        self.sources()
            .filter(move |s| s.scoring().is_some_and(|c| c.scoring_name() == scoring))
    }

    /// Whether a source or annotation is enabled (unknown names are not).
    pub fn is_enabled(&self, name: &str) -> bool {
        self.source(name).is_some_and(|s| s.common().enabled)
            || self.annotation(name).is_some_and(|a| a.common().enabled)
    }

    /// Every annotation, in registry (display) order.
    pub fn annotations(&self) -> impl Iterator<Item = &dyn AnnotationSource> {
        self.annotations.iter().map(|a| a.as_ref())
    }

    pub fn annotation(&self, name: &str) -> Option<&dyn AnnotationSource> {
        self.annotations().find(|a| a.name() == name)
    }

    /// Every annotation's name, in registry order.
    pub fn annotation_names(&self) -> impl Iterator<Item = &str> {
        ANNOTATIONS.iter().map(|e| e.name)
    }

    /// The source that stages `name` from its own files, if `name` is a companion.
    pub fn companion_parent(&self, name: &str) -> Option<&'static str> {
        ANNOTATIONS
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.companion_of)
    }

    /// The enabled annotations a source stages besides its own rows, from the same files.
    pub fn companions_of<'a>(
        &'a self,
        source: &'a str,
    ) -> impl Iterator<Item = &'a dyn AnnotationSource> + 'a {
        self.annotations()
            .filter(move |a| a.common().enabled && self.companion_parent(a.name()) == Some(source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = include_str!("../sources.yaml");

    fn load(text: &str) -> Result<Registry, ConfigError> {
        Registry::from_str(Path::new("x.yaml"), text)
    }

    #[test]
    fn every_entry_is_unique_loads_and_has_a_partial() {
        let r = load(DEFAULT).expect("the default sources.yaml is valid");
        let mut names: Vec<&str> = SOURCES.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), SOURCES.len(), "duplicate registry names");
        assert_eq!(
            r.names().collect::<Vec<_>>(),
            SOURCES.iter().map(|e| e.name).collect::<Vec<_>>()
        );
        assert_eq!(r.scoring_names().len(), 7);
        for name in r.scoring_names() {
            let s = r.scoring(name).unwrap();
            let (partial, text) = s.partial();
            assert_eq!(partial, format!("sources/{name}.html"), "{name}");
            assert!(
                text.contains("ev.open(s)"),
                "{partial} must use the shared frame"
            );
            assert!(!s.measure_text().is_empty());
        }
        assert!(r.is_enabled("hgnc"));
        assert!(r.source("hgnc").unwrap().scoring().is_none());
    }

    #[test]
    fn every_annotation_loads_with_its_partial_and_a_unique_key() {
        let r = load(DEFAULT).expect("the default sources.yaml is valid");
        let names: Vec<&str> = r.annotations().map(|a| a.name()).collect();
        assert_eq!(
            names,
            ANNOTATIONS.iter().map(|e| e.name).collect::<Vec<_>>()
        );
        let mut keys: Vec<&str> = ANNOTATIONS.iter().map(|e| e.part.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ANNOTATIONS.len(), "duplicate JSON keys");
        for (a, e) in r.annotations().zip(ANNOTATIONS) {
            assert_eq!(a.part().key, e.part.key, "{}", e.name);
            let (partial, text) = a.partial();
            assert_eq!(partial, format!("annotations/{}.html", e.name));
            assert!(text.contains("an.frame(a)"), "{partial} must use the frame");
            assert!(!a.methods_text().is_empty(), "{}", e.name);
            assert_eq!(
                a.companion().is_some(),
                e.companion_of.is_some(),
                "{}",
                e.name
            );
        }
        assert_eq!(r.companions_of("hpo").count(), 1);
        assert!(r.is_enabled("gnomad"));
        let link_only: Vec<&str> = r
            .annotations()
            .filter(|a| !a.redistribute())
            .map(|a| a.name())
            .collect();
        assert_eq!(link_only, ["descartes", "enrichr_kegg"]);
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
        let err = load(&text).unwrap_err();
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
    fn a_link_only_annotation_needs_a_link_and_unknown_annotations_are_errors() {
        let start = DEFAULT.find("  descartes:\n").expect("a descartes block");
        let link = DEFAULT[start..]
            .lines()
            .find(|l| l.trim_start().starts_with("gene_link:"))
            .expect("descartes has a gene_link");
        let text = DEFAULT.replacen(&format!("{link}\n"), "", 1).replacen(
            "annotations:\n",
            "annotations:\n  omim:\n    url: x\n",
            1,
        );
        let err = load(&text).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(
                "annotations.descartes.gene_link: an annotation that may not be redistributed"
            ),
            "{msg}"
        );
        assert!(
            msg.contains("annotations.omim: unknown annotation"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_key_in_a_source_block_names_line_and_key() {
        let text = DEFAULT.replacen("  hgnc:\n", "  hgnc:\n    colour: blue\n", 1);
        let err = load(&text).unwrap_err();
        let line = text
            .lines()
            .position(|l| l.contains("colour: blue"))
            .unwrap() as u64
            + 1;
        assert_eq!(err.problems.len(), 1, "{err}");
        assert_eq!(err.problems[0].line, Some(line), "{err}");
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn an_unregistered_source_block_is_an_error() {
        let text = DEFAULT.replacen("sources:\n", "sources:\n  omim:\n    url: x\n", 1);
        let err = load(&text).unwrap_err();
        assert!(
            err.to_string().contains("sources.omim: unknown source"),
            "{err}"
        );
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
        let err = load(&text).unwrap_err();
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
        let err = load(&text).unwrap_err();
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
        let err = load(&text).unwrap_err();
        let mut keys: Vec<_> = err.problems.iter().map(|p| p.key.as_str()).collect();
        keys.sort_unstable();
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
