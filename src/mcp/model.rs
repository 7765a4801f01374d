//! The one read model every MCP tool answers from, loaded from a data folder or a site.
//!
//! Why one model with two loaders: a maintainer serves the data folder the pipeline writes
//! (the SQLite store, opened read-only, gathered by [`crate::site_data`] exactly as a build
//! gathers it), while anyone holding a published release has only its site folder. Both
//! become the same [`ReadModel`], so every tool gives the same answer from either: genes
//! (identity, score, tier, group, each scoring source's part, annotations), the sources with
//! their provenance, the release, and the evidence records (kept in memory from the store; from
//! a site read from `genes/HGNC_<n>.json` when asked). Gene look-ups go through the same
//! [`Normalizer`] as `kgdb gene`: over the whole HGNC set from a data folder, over the
//! published genes' identifiers from a site.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::normalize::{Normalizer, Resolution};
use crate::registry::Registry;
use crate::site::model::{AnnotationInfo, GeneSummary, SiteData, SourceInfo, SourceScore};
use crate::site_data::SiteDataError;
use crate::sources::StoredRecord;
use crate::store::genes::HgncGene;
use crate::store::{Store, StoreError};

/// Why a read model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    SiteData(#[from] SiteDataError),
    #[error(
        "nothing to serve in {db}: no gene is scored; run `kgdb run` (or fetch, normalize and score) first"
    )]
    NoScores { db: PathBuf },
    #[error("{dir} is no kgdb site folder: {path} is missing (built by `kgdb build -o DIR`)")]
    NotASite { dir: PathBuf, path: PathBuf },
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
}

/// Where the model was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A data folder (its `kgdb.sqlite`, read-only).
    DataFolder(PathBuf),
    /// A built site folder.
    Site(PathBuf),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::DataFolder(p) => format!("data folder {}", p.display()),
            Origin::Site(p) => format!("site folder {}", p.display()),
        }
    }
}

/// The release the model shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// CalVer name; `unreleased` for a data folder never built.
    pub name: String,
    pub kgdb_version: String,
    /// RFC 3339, UTC.
    pub build_time: String,
    /// The citation text the site shows.
    pub citation: String,
    /// SHA-256 of `downloads/manifest.json` (known when serving a site).
    pub manifest_sha256: Option<String>,
    /// A DOI, when the release carries one.
    pub doi: Option<String>,
}

/// A scored gene as the tools see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GeneEntry {
    #[serde(flatten)]
    pub summary: GeneSummary,
    /// One entry per scoring source (also those without evidence for the gene).
    #[serde(default)]
    pub breakdown: Vec<SourceScore>,
    /// Annotation part -> its values (never part of the score; link-only parts left out).
    #[serde(default)]
    pub annotations: Map<String, Value>,
}

impl GeneEntry {
    /// The scoring sources with a positive score for this gene.
    pub fn supported(&self) -> impl Iterator<Item = &str> {
        self.breakdown
            .iter()
            .filter(|b| b.supported)
            .map(|b| b.source.as_str())
    }

    /// The gene as an HGNC record, for look-ups over the published genes alone.
    pub fn as_hgnc(&self) -> HgncGene {
        HgncGene {
            hgnc_id: self.summary.hgnc_id.clone(),
            symbol: self.summary.symbol.clone(),
            name: self.summary.name.clone(),
            locus_group: self.summary.locus_group.clone(),
            locus_type: self.summary.locus_type.clone(),
            status: Some("Approved".into()),
            location: self.summary.location.clone(),
            alias_symbols: self.summary.alias_symbols.clone(),
            prev_symbols: self.summary.prev_symbols.clone(),
            entrez_id: self.summary.entrez_id.clone(),
            ensembl_gene_id: self.summary.ensembl_gene_id.clone(),
            omim_ids: self.summary.omim_ids.clone(),
            mane_select: self.summary.mane_select.clone(),
            uniprot_ids: Vec::new(),
            date_modified: None,
        }
    }

    /// `HGNC_9008`: the stem of the gene's page and JSON on a site.
    pub fn stem(&self) -> String {
        self.summary.hgnc_id.replace(':', "_")
    }
}

/// The evidence records of the genes: in memory (data folder) or in the site's gene files.
enum Evidence {
    Loaded(HashMap<String, BTreeMap<String, Vec<StoredRecord>>>),
    SiteFiles(PathBuf),
}

/// Everything the MCP tools answer from.
pub struct ReadModel {
    pub origin: Origin,
    pub release: Release,
    /// Scored genes in HGNC order.
    pub genes: Vec<GeneEntry>,
    pub sources: Vec<SourceInfo>,
    pub annotation_sources: Vec<AnnotationInfo>,
    /// Scoring sources: (name, title), in the order of the breakdowns.
    pub scoring: Vec<(String, String)>,
    /// Tier names, best first; group names, best first.
    pub tiers: Vec<String>,
    pub groups: Vec<String>,
    /// Every annotation part key some gene has.
    pub annotation_parts: Vec<String>,
    /// How many approved HGNC genes the look-ups know.
    pub hgnc_genes: usize,
    index: HashMap<String, usize>,
    normalizer: Normalizer,
    evidence: Evidence,
}

/// What a look-up found.
#[derive(Debug)]
pub enum Lookup<'m> {
    Found {
        gene: &'m GeneEntry,
        how: &'static str,
    },
    /// An HGNC gene kgdb has no evidence for (data folder only).
    NotScored {
        gene: Box<HgncGene>,
        how: &'static str,
    },
    Ambiguous {
        how: &'static str,
        candidates: Vec<Candidate>,
    },
    Withdrawn {
        id: String,
        candidates: Vec<Candidate>,
    },
    NotFound,
}

/// One gene a query may mean.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub hgnc_id: String,
    pub symbol: String,
    pub name: String,
    /// Scored in kgdb (else: an HGNC gene without evidence).
    pub in_database: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percentage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

impl ReadModel {
    /// The model of a data folder: `store` opened read-only, gathered as `kgdb build` would.
    pub fn from_store(registry: &Registry, store: &Store) -> Result<ReadModel, ModelError> {
        let (name, build_time, kgdb_version) = store.latest_release_meta()?.unwrap_or_else(|| {
            (
                "unreleased".to_string(),
                crate::store::now_utc(),
                crate::VERSION.to_string(),
            )
        });
        let mut data = crate::site_data::load(registry, store, &name, &build_time)?;
        data.kgdb_version = kgdb_version;
        if data.genes.is_empty() {
            return Err(ModelError::NoScores {
                db: store.path().to_path_buf(),
            });
        }
        let mut model = ReadModel::from_site_data(
            Origin::DataFolder(store.data_dir().to_path_buf()),
            data,
            Normalizer::new(store.hgnc_genes()?, store.hgnc_withdrawn()?),
        );
        // The release as published: its citation and manifest checksum from the archive.
        if let Some((citation, sha, doi)) = archived_citation(store.data_dir(), &name) {
            model.release.citation = citation;
            model.release.manifest_sha256 = Some(sha);
            model.release.doi = doi;
        }
        Ok(model)
    }

    /// The model of gathered build data (a data folder's, or a test fixture's), resolving
    /// names with `normalizer`.
    pub fn from_site_data(origin: Origin, data: SiteData, normalizer: Normalizer) -> ReadModel {
        let citation = crate::site::citation(&data);
        let mut evidence = HashMap::with_capacity(data.genes.len());
        let mut genes = Vec::with_capacity(data.genes.len());
        for g in data.genes {
            let annotations = match serde_json::to_value(&g.annotations) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            };
            evidence.insert(g.summary.hgnc_id.clone(), g.evidence);
            genes.push(GeneEntry {
                summary: g.summary,
                breakdown: g.breakdown,
                annotations,
            });
        }
        let release = Release {
            name: data.release,
            kgdb_version: data.kgdb_version,
            build_time: data.build_time,
            citation,
            manifest_sha256: None,
            doi: None,
        };
        ReadModel::assemble(
            origin,
            release,
            genes,
            data.sources,
            data.annotation_sources,
            normalizer,
            Evidence::Loaded(evidence),
        )
    }

    /// The model of a built site folder: `downloads/manifest.json`, `downloads/genes.json`
    /// and `api/release.json`; evidence from `genes/HGNC_<n>.json` when asked.
    pub fn from_site(dir: &Path) -> Result<ReadModel, ModelError> {
        #[derive(Deserialize)]
        struct Manifest {
            kgdb_version: String,
            build_time: String,
            release: String,
            #[serde(default)]
            sources: Vec<SourceInfo>,
            #[serde(default)]
            annotation_sources: Vec<AnnotationInfo>,
        }
        #[derive(Deserialize)]
        struct Row {
            #[serde(flatten)]
            gene: GeneEntry,
            #[serde(default)]
            sources: BTreeMap<String, SourceScore>,
        }
        #[derive(Deserialize)]
        struct GenesFile {
            genes: Vec<Row>,
        }
        #[derive(Deserialize, Default)]
        struct ReleaseFile {
            #[serde(default)]
            citation: Option<String>,
            #[serde(default)]
            doi: Option<String>,
        }
        let manifest_bytes = read(dir, "downloads/manifest.json")?;
        let manifest: Manifest = parse(dir, "downloads/manifest.json", &manifest_bytes)?;
        let genes_file: GenesFile = parse(
            dir,
            "downloads/genes.json",
            &read(dir, "downloads/genes.json")?,
        )?;
        let release_file: ReleaseFile = match read(dir, "api/release.json") {
            Ok(bytes) => parse(dir, "api/release.json", &bytes)?,
            Err(_) => ReleaseFile::default(),
        };
        let mut genes: Vec<GeneEntry> = genes_file
            .genes
            .into_iter()
            .map(|r| {
                let mut g = r.gene;
                g.breakdown = r.sources.into_values().collect();
                g
            })
            .collect();
        genes
            .sort_by_key(|g| crate::store::genes::hgnc_num(&g.summary.hgnc_id).unwrap_or(i64::MAX));
        // genes.json keys each gene's sources by name; a gene file keeps the configured order.
        if let Some(first) = genes.first() {
            #[derive(Deserialize)]
            struct File {
                gene: Order,
            }
            #[derive(Deserialize)]
            struct Order {
                #[serde(default)]
                breakdown: Vec<Named>,
            }
            #[derive(Deserialize)]
            struct Named {
                source: String,
            }
            let rel = format!("genes/{}.json", first.stem());
            let f: File = parse(dir, &rel, &read(dir, &rel)?)?;
            let order: Vec<String> = f.gene.breakdown.into_iter().map(|n| n.source).collect();
            let rank = |s: &str| order.iter().position(|o| o == s).unwrap_or(usize::MAX);
            for g in &mut genes {
                g.breakdown.sort_by_key(|b| rank(&b.source));
            }
        }
        let hgnc = genes.iter().map(GeneEntry::as_hgnc).collect();
        let citation = release_file.citation.unwrap_or_else(|| {
            format!(
                "Kidney-Genetics Database (kgdb {}), release {}, built {}. https://github.com/kidney-genetics/kgdb",
                manifest.kgdb_version, manifest.release, manifest.build_time
            )
        });
        let release = Release {
            name: manifest.release,
            kgdb_version: manifest.kgdb_version,
            build_time: manifest.build_time,
            citation,
            manifest_sha256: Some(crate::site::sha256_hex(&manifest_bytes)),
            doi: release_file.doi,
        };
        Ok(ReadModel::assemble(
            Origin::Site(dir.to_path_buf()),
            release,
            genes,
            manifest.sources,
            manifest.annotation_sources,
            Normalizer::new(hgnc, Vec::new()),
            Evidence::SiteFiles(dir.to_path_buf()),
        ))
    }

    fn assemble(
        origin: Origin,
        release: Release,
        genes: Vec<GeneEntry>,
        sources: Vec<SourceInfo>,
        annotation_sources: Vec<AnnotationInfo>,
        normalizer: Normalizer,
        evidence: Evidence,
    ) -> ReadModel {
        let index = genes
            .iter()
            .enumerate()
            .map(|(i, g)| (g.summary.hgnc_id.clone(), i))
            .collect();
        let mut scoring: Vec<(String, String)> = Vec::new();
        for g in &genes {
            for b in &g.breakdown {
                if !scoring.iter().any(|(n, _)| n == &b.source) {
                    scoring.push((b.source.clone(), b.title.clone()));
                }
            }
        }
        // Tiers and groups, best first: by the best percentage among their genes.
        let ranked = |key: fn(&GeneEntry) -> &str| {
            let mut best: Vec<(String, f64)> = Vec::new();
            for g in &genes {
                match best.iter_mut().find(|(n, _)| n == key(g)) {
                    Some((_, p)) => *p = p.max(g.summary.percentage),
                    None => best.push((key(g).to_string(), g.summary.percentage)),
                }
            }
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.into_iter().map(|(n, _)| n).collect::<Vec<_>>()
        };
        let tiers = ranked(|g| g.summary.tier.as_str());
        let groups = ranked(|g| g.summary.group.as_str());
        let mut annotation_parts: Vec<String> = genes
            .iter()
            .flat_map(|g| g.annotations.keys().cloned())
            .collect();
        annotation_parts.sort();
        annotation_parts.dedup();
        ReadModel {
            origin,
            release,
            genes,
            sources,
            annotation_sources,
            scoring,
            tiers,
            groups,
            annotation_parts,
            hgnc_genes: normalizer.len(),
            index,
            normalizer,
            evidence,
        }
    }

    /// The scored gene of an HGNC ID.
    pub fn gene(&self, hgnc_id: &str) -> Option<&GeneEntry> {
        self.index.get(hgnc_id).map(|&i| &self.genes[i])
    }

    fn candidate(&self, hgnc_id: &str) -> Option<Candidate> {
        let scored = self.gene(hgnc_id);
        let hgnc = self.normalizer.gene(hgnc_id);
        let (symbol, name) = match (scored, hgnc) {
            (Some(g), _) => (g.summary.symbol.clone(), g.summary.name.clone()),
            (None, Some(h)) => (h.symbol.clone(), h.name.clone()),
            (None, None) => return None,
        };
        Some(Candidate {
            hgnc_id: hgnc_id.to_string(),
            symbol,
            name,
            in_database: scored.is_some(),
            percentage: scored.map(|g| g.summary.percentage),
            tier: scored.map(|g| g.summary.tier.clone()),
        })
    }

    /// Resolve a symbol, alias, previous symbol, HGNC, Entrez or Ensembl ID as `kgdb gene`
    /// does.
    pub fn lookup(&self, query: &str) -> Lookup<'_> {
        let candidates = |ids: &[String]| ids.iter().filter_map(|c| self.candidate(c)).collect();
        match self.normalizer.lookup(query) {
            Resolution::Resolved { hgnc_id, method } => match self.gene(&hgnc_id) {
                Some(gene) => Lookup::Found {
                    gene,
                    how: method.as_str(),
                },
                None => match self.normalizer.gene(&hgnc_id) {
                    Some(h) => Lookup::NotScored {
                        gene: Box::new(h.clone()),
                        how: method.as_str(),
                    },
                    None => Lookup::NotFound,
                },
            },
            Resolution::Ambiguous {
                method,
                candidates: c,
            } => Lookup::Ambiguous {
                how: method.as_str(),
                candidates: candidates(&c),
            },
            Resolution::Withdrawn {
                withdrawn_id,
                candidates: c,
            } => Lookup::Withdrawn {
                id: withdrawn_id,
                candidates: candidates(&c),
            },
            Resolution::Unresolved => Lookup::NotFound,
        }
    }

    /// The evidence records of a scored gene, per scoring source.
    pub fn evidence(&self, gene: &GeneEntry) -> Result<BTreeMap<String, Vec<Value>>, ModelError> {
        match &self.evidence {
            Evidence::Loaded(map) => Ok(map
                .get(&gene.summary.hgnc_id)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.iter().map(StoredRecord::value).collect()))
                        .collect()
                })
                .unwrap_or_default()),
            Evidence::SiteFiles(dir) => {
                #[derive(Deserialize)]
                struct File {
                    gene: Inner,
                }
                #[derive(Deserialize)]
                struct Inner {
                    #[serde(default)]
                    evidence: BTreeMap<String, Vec<Value>>,
                }
                let rel = format!("genes/{}.json", gene.stem());
                let f: File = parse(dir, &rel, &read(dir, &rel)?)?;
                Ok(f.gene.evidence)
            }
        }
    }
}

fn read(dir: &Path, rel: &str) -> Result<Vec<u8>, ModelError> {
    let path = dir.join(rel);
    std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ModelError::NotASite {
            dir: dir.to_path_buf(),
            path: path.clone(),
        },
        _ => ModelError::Read {
            path: path.clone(),
            message: e.to_string(),
        },
    })
}

fn parse<T: serde::de::DeserializeOwned>(
    dir: &Path,
    rel: &str,
    bytes: &[u8],
) -> Result<T, ModelError> {
    serde_json::from_slice(bytes).map_err(|e| ModelError::Read {
        path: dir.join(rel),
        message: e.to_string(),
    })
}

/// The citation text, manifest checksum and DOI of `release` as its site published them
/// (`api/release.json` and `downloads/manifest.json` in the data folder's release archive);
/// None when the release is not archived (a data folder built by an older kgdb).
fn archived_citation(data_dir: &Path, release: &str) -> Option<(String, String, Option<String>)> {
    #[derive(Deserialize)]
    struct ReleaseFile {
        citation: String,
        doi: Option<String>,
    }
    let archive = crate::archive::Archive::of(data_dir);
    let manifest = archive.manifest(release).ok()?;
    let entry = |path: &str| manifest.files.iter().find(|e| e.path == path);
    let sha = entry("downloads/manifest.json")?.sha256.clone();
    let bytes = std::fs::read(archive.object_path(&entry("api/release.json")?.sha256)).ok()?;
    let file: ReleaseFile = serde_json::from_slice(&bytes).ok()?;
    Some((file.citation, sha, file.doi))
}
