//! Response modes and their character budgets: every tool answer fits its budget.
//!
//! Why: an assistant pays for every character it reads, and a gene like PKD1 has hundreds of
//! PubTator records. Each answer is cut to the budget of the mode the caller asked for
//! (`minimal`, `compact` by default, `standard`, `full`): the longest lists are shortened
//! first (their first items kept, in their order), and every cut is named with how many items
//! were shown of how many, so the caller knows to ask for more (another mode, a narrower
//! filter, the next page).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// How much an answer may say.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, rmcp::schemars::JsonSchema,
)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "lowercase")]
pub enum ResponseMode {
    /// The answer only, about 2,500 characters.
    Minimal,
    /// The answer and its main reasons, about 8,000 characters (the default).
    #[default]
    Compact,
    /// Everything short, lists longer, about 32,000 characters.
    Standard,
    /// Everything, about 200,000 characters.
    Full,
}

impl ResponseMode {
    pub const ALL: [ResponseMode; 4] = [
        ResponseMode::Minimal,
        ResponseMode::Compact,
        ResponseMode::Standard,
        ResponseMode::Full,
    ];

    /// The most characters an answer (its JSON text, citation included) may have.
    pub fn budget(self) -> usize {
        match self {
            ResponseMode::Minimal => 2_500,
            ResponseMode::Compact => 8_000,
            ResponseMode::Standard => 32_000,
            ResponseMode::Full => 200_000,
        }
    }

    /// The default page size of a search.
    pub fn page_size(self) -> usize {
        match self {
            ResponseMode::Minimal => 10,
            ResponseMode::Compact => 25,
            ResponseMode::Standard => 100,
            ResponseMode::Full => 500,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResponseMode::Minimal => "minimal",
            ResponseMode::Compact => "compact",
            ResponseMode::Standard => "standard",
            ResponseMode::Full => "full",
        }
    }

    /// At least `standard`: more fields per item.
    pub fn detailed(self) -> bool {
        matches!(self, ResponseMode::Standard | ResponseMode::Full)
    }
}

/// One list shortened to fit: where it is (a JSON pointer) and how many of its items stayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    pub path: String,
    pub shown: usize,
    pub total: usize,
}

/// Room kept for the truncation note that [`respond`] adds.
const NOTE_ROOM: usize = 600;
/// A string longer than this may be shortened when no list is left to cut.
const LONG_STRING: usize = 160;

/// The characters of `v` as compact JSON.
pub fn chars(v: &Value) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.chars().count())
}

/// The complete answer of a tool: `body` (an object) cut to fit `mode`'s budget, with
/// `response_mode`, the truncation note when something was cut, and `citation` (never cut).
pub fn respond(mode: ResponseMode, body: Value, citation: Value) -> Value {
    let body = match body {
        Value::Object(m) => Value::Object(m),
        other => json!({ "result": other }),
    };
    let budget = mode.budget();
    let mut room = budget.saturating_sub(chars(&citation) + NOTE_ROOM);
    loop {
        let mut tree = body.clone();
        let cuts = fit(&mut tree, room);
        let out = assemble(mode, tree, &cuts, &citation);
        let n = chars(&out);
        // The note's length depends on the cuts: shrink the room until everything fits.
        if n <= budget || room == 0 {
            return out;
        }
        room = room.saturating_sub(n - budget);
    }
}

fn assemble(mode: ResponseMode, tree: Value, cuts: &[Cut], citation: &Value) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("response_mode".into(), json!(mode.as_str()));
    if let Value::Object(m) = tree {
        out.extend(m);
    }
    if !cuts.is_empty() {
        let lists: Vec<Value> = cuts
            .iter()
            .take(8)
            .map(|c| json!({"path": c.path, "shown": c.shown, "total": c.total}))
            .collect();
        out.insert(
            "truncated".into(),
            json!({
                "note": format!(
                    "Lists were cut to fit the {} budget ({} characters): each keeps its first items in order. Ask again with a larger response_mode (standard, full), a narrower filter or the next page.",
                    mode.as_str(),
                    mode.budget()
                ),
                "lists": lists,
                "lists_cut": cuts.len(),
            }),
        );
    }
    out.insert("citation".into(), citation.clone());
    Value::Object(out)
}

/// Cut `v` until its compact JSON has at most `budget` characters: halve the largest list
/// (by its own characters) again and again (a last item goes too); when no list has an item
/// left, shorten the longest strings. Returns every list cut, in the order first cut.
pub fn fit(v: &mut Value, budget: usize) -> Vec<Cut> {
    let mut cuts: Vec<Cut> = Vec::new();
    let mut guard = 0;
    while chars(v) > budget && guard < 10_000 {
        guard += 1;
        let mut best = None;
        largest_list(v, &mut String::new(), false, &mut best);
        if let Some((path, tier, _, len)) = best {
            let keep = if tier == 1 {
                (len / 2).max(INNER_KEEP)
            } else {
                len / 2
            };
            if let Some(Value::Array(items)) = v.pointer_mut(&path) {
                items.truncate(keep);
            }
            match cuts.iter_mut().find(|c| c.path == path) {
                Some(c) => c.shown = keep,
                None => cuts.push(Cut {
                    path,
                    shown: keep,
                    total: len,
                }),
            }
            continue;
        }
        if !shorten_longest_string(v) {
            break;
        }
    }
    // A list inside a list that was cut away later is gone: do not report it.
    let kept: Vec<Cut> = cuts
        .into_iter()
        .filter(|c| v.pointer(&c.path).is_some())
        .collect();
    kept
}

/// The characters of the lists directly inside `v` (not counting lists inside those).
fn nested_lists(v: &Value) -> usize {
    match v {
        Value::Array(_) => chars(v),
        Value::Object(m) => m.values().map(nested_lists).sum(),
        _ => 0,
    }
}

/// Lists inside a list's items are cut first, down to this many items, before whole items go.
const INNER_KEEP: usize = 1;

/// The next list to halve: first a long list inside another list's items (a source's 486
/// URLs go before the list of sources), then the list with the most characters of its own
/// (less the lists inside its items) that still has an item. `best` holds (path, tier,
/// characters, length).
fn largest_list(
    v: &Value,
    path: &mut String,
    inner: bool,
    best: &mut Option<(String, u8, usize, usize)>,
) {
    match v {
        Value::Array(items) => {
            if !items.is_empty() {
                let nested: usize = items.iter().map(nested_lists).sum();
                let n = chars(v).saturating_sub(nested);
                let tier = u8::from(inner && items.len() > INNER_KEEP);
                if best.as_ref().is_none_or(|b| (tier, n) > (b.1, b.2)) {
                    *best = Some((path.clone(), tier, n, items.len()));
                }
            }
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                largest_list(item, path, true, best);
                path.truncate(len);
            }
        }
        Value::Object(m) => {
            for (k, item) in m {
                let len = path.len();
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                largest_list(item, path, inner, best);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Halve the longest string over [`LONG_STRING`] characters (ending it with `…`); false when
/// there is none.
fn shorten_longest_string(v: &mut Value) -> bool {
    fn longest(v: &mut Value) -> Option<&mut String> {
        match v {
            Value::String(s) if s.chars().count() > LONG_STRING => Some(s),
            Value::Array(items) => items
                .iter_mut()
                .filter_map(longest)
                .max_by_key(|s| s.chars().count()),
            Value::Object(m) => m
                .values_mut()
                .filter_map(longest)
                .max_by_key(|s| s.chars().count()),
            _ => None,
        }
    }
    match longest(v) {
        Some(s) => {
            let keep = (s.chars().count() / 2).max(LONG_STRING / 2);
            *s = s.chars().take(keep).chain(std::iter::once('…')).collect();
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(n: usize) -> Value {
        Value::Array(
            (0..n)
                .map(|i| json!({"pmid": format!("{}", 30000000 + i), "title": "A kidney study of polycystin"}))
                .collect(),
        )
    }

    #[test]
    fn an_answer_within_its_budget_is_unchanged() {
        let mut v = json!({"gene": "PKD1", "records": records(3)});
        let before = v.clone();
        assert!(fit(&mut v, 10_000).is_empty());
        assert_eq!(v, before);
    }

    #[test]
    fn the_largest_list_is_cut_first_and_named_with_its_counts() {
        let mut v = json!({"small": [1, 2, 3], "evidence": {"pubtator": records(878)}});
        let cuts = fit(&mut v, 2_000);
        assert!(chars(&v) <= 2_000, "{}", chars(&v));
        assert_eq!(cuts[0].path, "/evidence/pubtator");
        assert_eq!(cuts[0].total, 878);
        let shown = v["evidence"]["pubtator"].as_array().unwrap().len();
        assert_eq!(cuts[0].shown, shown);
        assert!(shown > 0 && shown < 878);
        // The first items stay, in their order.
        assert_eq!(v["evidence"]["pubtator"][0]["pmid"], "30000000");
        assert_eq!(v["small"], json!([1, 2, 3]));
    }

    #[test]
    fn lists_inside_items_are_cut_before_the_items() {
        let urls: Vec<String> = (0..486)
            .map(|i| format!("https://www.ncbi.nlm.nih.gov/research/pubtator3-api/page={i}"))
            .collect();
        let mut v = json!({"sources": [
            {"name": "hgnc", "urls": ["https://example.org/hgnc.txt"]},
            {"name": "pubtator", "urls": urls},
        ]});
        let cuts = fit(&mut v, 2_000);
        assert_eq!(
            v["sources"].as_array().unwrap().len(),
            2,
            "both sources stay"
        );
        assert_eq!(cuts[0].path, "/sources/1/urls");
        assert_eq!(cuts[0].total, 486);
        assert!(chars(&v) <= 2_000);
    }

    #[test]
    fn long_strings_are_shortened_when_no_list_is_left() {
        let mut v = json!({"text": "x".repeat(5_000)});
        let cuts = fit(&mut v, 1_000);
        assert!(cuts.is_empty());
        assert!(chars(&v) <= 1_000);
        assert!(v["text"].as_str().unwrap().ends_with('…'));
    }

    #[test]
    fn every_mode_keeps_its_budget_with_the_note_and_the_citation() {
        let citation = json!({"release": "2026.12.01", "how_to_cite": "Kidney-Genetics Database"});
        for mode in ResponseMode::ALL {
            let body = json!({"gene": "PKD1", "evidence": {"pubtator": records(20_000)}});
            let out = respond(mode, body, citation.clone());
            assert!(
                chars(&out) <= mode.budget(),
                "{}: {} > {}",
                mode.as_str(),
                chars(&out),
                mode.budget()
            );
            assert_eq!(out["response_mode"], mode.as_str());
            assert_eq!(out["citation"], citation);
            assert_eq!(out["truncated"]["lists"][0]["total"], 20_000);
            assert!(
                out["truncated"]["note"]
                    .as_str()
                    .unwrap()
                    .contains(&mode.budget().to_string())
            );
        }
        let small = respond(ResponseMode::Minimal, json!({"gene": "PKD1"}), citation);
        assert!(small.get("truncated").is_none());
    }

    #[test]
    fn budgets_grow_with_the_mode_and_compact_is_the_default() {
        let b: Vec<usize> = ResponseMode::ALL.iter().map(|m| m.budget()).collect();
        assert!(b.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ResponseMode::default(), ResponseMode::Compact);
        let m: ResponseMode = serde_json::from_value(json!("full")).unwrap();
        assert_eq!(m, ResponseMode::Full);
        assert!(serde_json::from_value::<ResponseMode>(json!("huge")).is_err());
    }
}
