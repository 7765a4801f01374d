//! Selection helpers shared by sources that pick kidney records by name: keyword filters on
//! disease names, and the date part of upstream timestamps.
//!
//! Why a module: several sources select the same way (a disease label containing one of the
//! configured keywords and none of the exclusions); one implementation keeps their rules
//! identical and lets each source module stay about its own source.

/// Keyword selection of disease names: a name qualifies when it contains one of the
/// keywords and none of the exclusions (case-insensitive substrings). Shared by the curation sources.
#[derive(Debug, Clone)]
pub struct DiseaseFilter {
    keywords: Vec<String>,
    exclusions: Vec<String>,
}

impl DiseaseFilter {
    pub fn new(keywords: &[String], exclusions: &[String]) -> DiseaseFilter {
        let norm = |v: &[String]| {
            v.iter()
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        };
        DiseaseFilter {
            keywords: norm(keywords),
            exclusions: norm(exclusions),
        }
    }

    /// The keyword that selects `name`, or None (no keyword, or an exclusion applies).
    pub fn matches(&self, name: &str) -> Option<&str> {
        let lower = name.to_lowercase();
        if self.exclusions.iter().any(|e| lower.contains(e.as_str())) {
            return None;
        }
        self.keywords
            .iter()
            .find(|k| lower.contains(k.as_str()))
            .map(String::as_str)
    }
}

/// `2024-03-14T16:00:00.000Z` or `2024-03-14 16:00:00` -> `2024-03-14` (None if not a date).
pub fn date_part(s: &str) -> Option<&str> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    ok.then_some(d)
}
