//! Normalization: map every gene a source reports to one HGNC ID, and say how.
//!
//! Sources report genes by symbol (often outdated), alias, NCBI Gene ID, Ensembl ID or HGNC ID.
//! The order is fixed by ARCHITECTURE.md: a source-supplied HGNC ID, the approved symbol, a
//! source-supplied NCBI/Ensembl ID, then a previous symbol and an alias, each only when it
//! points to exactly one gene. An input that fits several genes is *ambiguous* and is never
//! guessed (the predecessor silently took the first hit). Every decision is logged.

pub mod curation;

use std::collections::HashMap;

use crate::sources::hgnc::{HgncGene, WithdrawnEntry, canonical_hgnc_id};

/// How an input was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    HgncId,
    WithdrawnMerge,
    Symbol,
    Entrez,
    Ensembl,
    PrevSymbol,
    AliasSymbol,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::HgncId => "hgnc_id",
            Method::WithdrawnMerge => "withdrawn_merge",
            Method::Symbol => "symbol",
            Method::Entrez => "entrez",
            Method::Ensembl => "ensembl",
            Method::PrevSymbol => "prev_symbol",
            Method::AliasSymbol => "alias_symbol",
        }
    }
}

/// The outcome of normalizing one reported gene.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Resolved {
        hgnc_id: String,
        method: Method,
    },
    /// Several genes fit; candidates are HGNC IDs in HGNC order.
    Ambiguous {
        method: Method,
        candidates: Vec<String>,
    },
    /// A withdrawn HGNC ID or symbol with no single approved successor.
    Withdrawn {
        withdrawn_id: String,
        candidates: Vec<String>,
    },
    Unresolved,
}

impl Resolution {
    pub fn outcome(&self) -> &'static str {
        match self {
            Resolution::Resolved { .. } => "resolved",
            Resolution::Ambiguous { .. } => "ambiguous",
            Resolution::Withdrawn { .. } => "withdrawn",
            Resolution::Unresolved => "unresolved",
        }
    }

    pub fn method(&self) -> Option<Method> {
        match self {
            Resolution::Resolved { method, .. } | Resolution::Ambiguous { method, .. } => {
                Some(*method)
            }
            _ => None,
        }
    }

    pub fn hgnc_id(&self) -> Option<&str> {
        match self {
            Resolution::Resolved { hgnc_id, .. } => Some(hgnc_id),
            _ => None,
        }
    }

    pub fn candidates(&self) -> &[String] {
        match self {
            Resolution::Ambiguous { candidates, .. } | Resolution::Withdrawn { candidates, .. } => {
                candidates
            }
            _ => &[],
        }
    }
}

/// What a source said about a gene.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reported<'a> {
    pub symbol: Option<&'a str>,
    pub hgnc_id: Option<&'a str>,
    pub ncbi_id: Option<&'a str>,
    pub ensembl_id: Option<&'a str>,
}

/// In-memory indexes over the HGNC set.
pub struct Normalizer {
    genes: Vec<HgncGene>,
    by_id: HashMap<String, usize>,
    by_symbol: HashMap<String, usize>,
    by_entrez: HashMap<String, Vec<usize>>,
    by_ensembl: HashMap<String, Vec<usize>>,
    by_prev: HashMap<String, Vec<usize>>,
    by_alias: HashMap<String, Vec<usize>>,
    withdrawn: HashMap<String, WithdrawnEntry>,
    withdrawn_by_symbol: HashMap<String, Vec<String>>,
}

fn key(symbol: &str) -> String {
    symbol
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_uppercase()
}

/// `NCBIGene:5310` or `5310` -> `5310`.
pub fn canonical_ncbi_id(raw: &str) -> Option<String> {
    let t = raw.trim();
    let t = t
        .strip_prefix("NCBIGene:")
        .or_else(|| t.strip_prefix("ncbigene:"))
        .or_else(|| t.strip_prefix("Entrez:"))
        .unwrap_or(t);
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.to_string())
}

/// `ENSG00000008710.21` -> `ENSG00000008710`.
pub fn canonical_ensembl_id(raw: &str) -> Option<String> {
    let t = raw.trim().to_uppercase();
    let base = t.split('.').next().unwrap_or_default();
    (base.starts_with("ENSG") && base.len() > 4).then(|| base.to_string())
}

impl Normalizer {
    pub fn new(genes: Vec<HgncGene>, withdrawn: Vec<WithdrawnEntry>) -> Normalizer {
        let mut n = Normalizer {
            by_id: HashMap::with_capacity(genes.len()),
            by_symbol: HashMap::with_capacity(genes.len()),
            by_entrez: HashMap::with_capacity(genes.len()),
            by_ensembl: HashMap::with_capacity(genes.len()),
            by_prev: HashMap::new(),
            by_alias: HashMap::new(),
            withdrawn: HashMap::new(),
            withdrawn_by_symbol: HashMap::new(),
            genes: Vec::new(),
        };
        for (i, g) in genes.iter().enumerate() {
            n.by_id.insert(g.hgnc_id.clone(), i);
            n.by_symbol.insert(key(&g.symbol), i);
            if let Some(e) = &g.entrez_id {
                n.by_entrez.entry(e.clone()).or_default().push(i);
            }
            if let Some(e) = g.ensembl_gene_id.as_deref().and_then(canonical_ensembl_id) {
                n.by_ensembl.entry(e).or_default().push(i);
            }
            for p in &g.prev_symbols {
                n.by_prev.entry(key(p)).or_default().push(i);
            }
            for a in &g.alias_symbols {
                n.by_alias.entry(key(a)).or_default().push(i);
            }
        }
        for list in n.by_prev.values_mut().chain(n.by_alias.values_mut()) {
            list.dedup();
        }
        for w in withdrawn {
            n.withdrawn_by_symbol
                .entry(key(&w.symbol))
                .or_default()
                .push(w.hgnc_id.clone());
            n.withdrawn.insert(w.hgnc_id.clone(), w);
        }
        n.genes = genes;
        n
    }

    pub fn len(&self) -> usize {
        self.genes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.genes.is_empty()
    }

    pub fn gene(&self, hgnc_id: &str) -> Option<&HgncGene> {
        self.by_id.get(hgnc_id).map(|&i| &self.genes[i])
    }

    fn ids(&self, idx: &[usize]) -> Vec<String> {
        let mut v: Vec<&HgncGene> = idx.iter().map(|&i| &self.genes[i]).collect();
        v.sort_by_key(|g| g.hgnc_num());
        v.into_iter().map(|g| g.hgnc_id.clone()).collect()
    }

    fn unique(&self, idx: &[usize], method: Method) -> Resolution {
        match idx {
            [one] => Resolution::Resolved {
                hgnc_id: self.genes[*one].hgnc_id.clone(),
                method,
            },
            _ => Resolution::Ambiguous {
                method,
                candidates: self.ids(idx),
            },
        }
    }

    /// Follow a withdrawn ID to its single approved successor, if any.
    fn follow_withdrawn(&self, id: &str) -> Option<Resolution> {
        let w = self.withdrawn.get(id)?;
        let live: Vec<String> = w
            .merged_into
            .iter()
            .filter(|m| self.by_id.contains_key(*m))
            .cloned()
            .collect();
        Some(match live.as_slice() {
            [one] => Resolution::Resolved {
                hgnc_id: one.clone(),
                method: Method::WithdrawnMerge,
            },
            _ => Resolution::Withdrawn {
                withdrawn_id: id.to_string(),
                candidates: live,
            },
        })
    }

    /// Resolve a reported gene in the documented order.
    pub fn resolve(&self, r: Reported<'_>) -> Resolution {
        let mut withdrawn: Option<Resolution> = None;
        // 1. Source-supplied HGNC ID.
        if let Some(id) = r.hgnc_id.and_then(canonical_hgnc_id) {
            if self.by_id.contains_key(&id) {
                return Resolution::Resolved {
                    hgnc_id: id,
                    method: Method::HgncId,
                };
            }
            match self.follow_withdrawn(&id) {
                Some(res @ Resolution::Resolved { .. }) => return res,
                other => withdrawn = other,
            }
        }
        let sym = r.symbol.map(key).filter(|s| !s.is_empty());
        // 2. Approved symbol.
        if let Some(s) = &sym
            && let Some(&i) = self.by_symbol.get(s)
        {
            return Resolution::Resolved {
                hgnc_id: self.genes[i].hgnc_id.clone(),
                method: Method::Symbol,
            };
        }
        // 3. Source-supplied NCBI Gene or Ensembl ID.
        if let Some(idx) = r
            .ncbi_id
            .and_then(canonical_ncbi_id)
            .and_then(|e| self.by_entrez.get(&e))
        {
            return self.unique(idx, Method::Entrez);
        }
        if let Some(idx) = r
            .ensembl_id
            .and_then(canonical_ensembl_id)
            .and_then(|e| self.by_ensembl.get(&e))
        {
            return self.unique(idx, Method::Ensembl);
        }
        if let Some(s) = &sym {
            // 4. Previous symbol, 5. alias: only when exactly one gene fits.
            if let Some(idx) = self.by_prev.get(s) {
                return self.unique(idx, Method::PrevSymbol);
            }
            if let Some(idx) = self.by_alias.get(s) {
                return self.unique(idx, Method::AliasSymbol);
            }
            if withdrawn.is_none()
                && let Some(ids) = self.withdrawn_by_symbol.get(s)
            {
                withdrawn = ids.iter().find_map(|id| self.follow_withdrawn(id));
            }
        }
        withdrawn.unwrap_or(Resolution::Unresolved)
    }

    /// Resolve a free-text query from a person: a symbol, alias, previous symbol, HGNC ID,
    /// NCBI Gene (Entrez) ID or Ensembl gene ID.
    pub fn lookup(&self, query: &str) -> Resolution {
        let q = query.trim();
        let upper = q.to_uppercase();
        if upper.starts_with("HGNC:") {
            return self.resolve(Reported {
                hgnc_id: Some(q),
                ..Default::default()
            });
        }
        if upper.starts_with("ENSG") {
            return self.resolve(Reported {
                ensembl_id: Some(q),
                ..Default::default()
            });
        }
        if upper.starts_with("NCBIGENE:")
            || (!q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()))
        {
            return self.resolve(Reported {
                ncbi_id: Some(q),
                ..Default::default()
            });
        }
        self.resolve(Reported {
            symbol: Some(q),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    //! Cases taken from the real HGNC complete set of 2024-10-18 in ../shared/data/raw/hgnc/.
    use std::sync::OnceLock;

    use super::*;
    use crate::sources::hgnc;

    fn real() -> &'static Normalizer {
        static N: OnceLock<Normalizer> = OnceLock::new();
        N.get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/data/raw/hgnc/hgnc_complete_set.2024-10-18.txt.gz"
            );
            let bytes =
                crate::fetch::read_maybe_gzip(std::path::Path::new(path)).expect("real HGNC file");
            // HGNC's documented withdrawn row: HGNC:6 A1S9T merged into HGNC:12469 (UBA1).
            let withdrawn = vec![WithdrawnEntry {
                hgnc_id: "HGNC:6".into(),
                symbol: "A1S9T".into(),
                status: "Merged/Split".into(),
                merged_into: vec!["HGNC:12469".into()],
            }];
            Normalizer::new(hgnc::parse(&bytes).expect("parses"), withdrawn)
        })
    }

    fn sym(s: &str) -> Resolution {
        real().resolve(Reported {
            symbol: Some(s),
            ..Default::default()
        })
    }

    fn resolved(hgnc_id: &str, method: Method) -> Resolution {
        Resolution::Resolved {
            hgnc_id: hgnc_id.into(),
            method,
        }
    }

    #[test]
    fn approved_symbol_any_case() {
        assert_eq!(sym("PKD1"), resolved("HGNC:9008", Method::Symbol));
        assert_eq!(sym(" pkd1 "), resolved("HGNC:9008", Method::Symbol));
    }

    #[test]
    fn previous_symbol_wdr60_is_dync2i1() {
        let r = sym("WDR60");
        let id = r.hgnc_id().expect("resolved");
        assert_eq!(real().gene(id).unwrap().symbol, "DYNC2I1");
        assert_eq!(r.method(), Some(Method::PrevSymbol));
    }

    #[test]
    fn previous_symbol_beats_alias() {
        // MCP is a previous symbol of CD46 and an alias of CAPG.
        let r = sym("MCP");
        assert_eq!(real().gene(r.hgnc_id().unwrap()).unwrap().symbol, "CD46");
        assert_eq!(r.method(), Some(Method::PrevSymbol));
    }

    #[test]
    fn unique_alias_trpp2_is_pkd2() {
        let r = sym("TRPP2");
        assert_eq!(real().gene(r.hgnc_id().unwrap()).unwrap().symbol, "PKD2");
        assert_eq!(r.method(), Some(Method::AliasSymbol));
    }

    #[test]
    fn ambiguous_alias_lists_all_candidates() {
        // PBP is a previous symbol of PEBP1 only, so it resolves; ASP is an alias of several.
        let Resolution::Ambiguous { method, candidates } = sym("ASP") else {
            panic!("ASP should be ambiguous: {:?}", sym("ASP"));
        };
        assert_eq!(method, Method::AliasSymbol);
        assert!(candidates.len() >= 2, "{candidates:?}");
        let symbols: Vec<_> = candidates
            .iter()
            .map(|c| real().gene(c).unwrap().symbol.clone())
            .collect();
        for s in &symbols {
            let g = real().genes.iter().find(|g| &g.symbol == s).unwrap();
            assert!(
                g.alias_symbols
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("ASP"))
            );
        }
    }

    #[test]
    fn ambiguous_previous_symbol() {
        // ACSM2 was split into ACSM2A and ACSM2B.
        let Resolution::Ambiguous { method, candidates } = sym("ACSM2") else {
            panic!("ACSM2 should be ambiguous");
        };
        assert_eq!(method, Method::PrevSymbol);
        let symbols: Vec<_> = candidates
            .iter()
            .map(|c| real().gene(c).unwrap().symbol.as_str())
            .collect();
        assert!(
            symbols.contains(&"ACSM2A") && symbols.contains(&"ACSM2B"),
            "{symbols:?}"
        );
    }

    #[test]
    fn unknown_symbol_is_unresolved() {
        assert_eq!(sym("NOTAGENE1"), Resolution::Unresolved);
    }

    #[test]
    fn withdrawn_id_and_symbol_follow_the_merge() {
        let r = real().resolve(Reported {
            hgnc_id: Some("HGNC:6"),
            ..Default::default()
        });
        assert_eq!(r, resolved("HGNC:12469", Method::WithdrawnMerge));
        // The withdrawn symbol is also recorded as a previous symbol of UBA1, which comes
        // first in the order.
        assert_eq!(sym("A1S9T"), resolved("HGNC:12469", Method::PrevSymbol));
        assert_eq!(real().gene("HGNC:12469").unwrap().symbol, "UBA1");
    }

    #[test]
    fn entrez_and_ensembl_ids() {
        let by_entrez = real().resolve(Reported {
            ncbi_id: Some("NCBIGene:5310"),
            ..Default::default()
        });
        assert_eq!(by_entrez, resolved("HGNC:9008", Method::Entrez));
        assert_eq!(real().lookup("5310"), resolved("HGNC:9008", Method::Entrez));
        assert_eq!(
            real().lookup("ENSG00000008710.22"),
            resolved("HGNC:9008", Method::Ensembl)
        );
    }

    #[test]
    fn supplied_hgnc_id_wins_over_a_misleading_symbol() {
        // A source that reports the old symbol with the right ID.
        let r = real().resolve(Reported {
            symbol: Some("WDR60"),
            hgnc_id: Some("HGNC:9008"),
            ..Default::default()
        });
        assert_eq!(r, resolved("HGNC:9008", Method::HgncId));
        // An unknown ID falls through to the symbol.
        let r = real().resolve(Reported {
            symbol: Some("PKD1"),
            hgnc_id: Some("HGNC:999999999"),
            ..Default::default()
        });
        assert_eq!(r, resolved("HGNC:9008", Method::Symbol));
    }
}
