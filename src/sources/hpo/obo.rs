//! A small OBO 1.2 reader for `hp.obo`: just what kgdb needs to find the kidney terms.
//!
//! Read from `[Term]` stanzas: `id`, `name`, `is_a`, `alt_id`, `is_obsolete`, `replaced_by`;
//! every other tag and every other stanza kind (`[Typedef]`, `[Instance]`) is skipped. From
//! the header: `data-version` (e.g. `hp/releases/2025-01-16`). The file must open with a
//! header holding `format-version`, so a TSV, an HTML page or a JSON error is refused.

use std::collections::HashMap;

use crate::sources::{ParseProblem, text_of};

/// One `[Term]` stanza.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Term {
    pub id: String,
    pub name: String,
    /// Parent term ids (`is_a`), as written.
    pub is_a: Vec<String>,
    pub alt_ids: Vec<String>,
    pub obsolete: bool,
    pub replaced_by: Option<String>,
}

/// The terms of an ontology with lookups by primary and alternative id.
#[derive(Debug, Clone, Default)]
pub struct Ontology {
    /// The header's `data-version` as written (`hp/releases/2025-01-16`).
    pub data_version: Option<String>,
    pub terms: Vec<Term>,
    index: HashMap<String, usize>,
    alt: HashMap<String, usize>,
}

/// A set of terms, by index into [`Ontology::terms`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermSet {
    member: Vec<bool>,
    count: usize,
}

impl TermSet {
    pub fn contains(&self, index: usize) -> bool {
        self.member.get(index).copied().unwrap_or(false)
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Member indices in ascending order.
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.member
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.then_some(i))
    }
}

impl Ontology {
    /// The term with this primary id (obsolete or not).
    pub fn term(&self, id: &str) -> Option<&Term> {
        self.index.get(id).map(|&i| &self.terms[i])
    }

    /// The index of the current term an id stands for: the term itself, the term that lists
    /// it as `alt_id`, or, for an obsolete term, the term named by its `replaced_by`
    /// (followed up to 8 steps). `None` for an unknown id or an obsolete term without a
    /// replacement.
    pub fn resolve(&self, id: &str) -> Option<usize> {
        let find = |id: &str| self.index.get(id).or_else(|| self.alt.get(id)).copied();
        let mut i = find(id)?;
        for _ in 0..8 {
            let t = &self.terms[i];
            if !t.obsolete {
                return Some(i);
            }
            i = find(t.replaced_by.as_deref()?)?;
        }
        None
    }

    /// Every term under the given roots by `is_a` (roots included). A root may be given by
    /// an alternative id; an unknown or obsolete root is an error naming it.
    pub fn descendants(&self, roots: &[String]) -> Result<TermSet, String> {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.terms.len()];
        for (i, t) in self.terms.iter().enumerate() {
            if t.obsolete {
                continue;
            }
            for p in &t.is_a {
                if let Some(&pi) = self.index.get(p.as_str()) {
                    children[pi].push(i);
                }
            }
        }
        let mut set = TermSet {
            member: vec![false; self.terms.len()],
            count: 0,
        };
        let mut stack = Vec::new();
        for r in roots {
            let i = self
                .resolve(r)
                .ok_or_else(|| format!("root term `{r}` is not a current term of the ontology"))?;
            stack.push(i);
        }
        while let Some(i) = stack.pop() {
            if set.member[i] {
                continue;
            }
            set.member[i] = true;
            set.count += 1;
            stack.extend(children[i].iter().copied().filter(|&c| !set.member[c]));
        }
        Ok(set)
    }
}

/// The first whitespace-separated token of a value (drops `! comment` and modifiers).
fn token(value: &str) -> &str {
    value.split_whitespace().next().unwrap_or("")
}

fn finish_term(ont: &mut Ontology, term: Option<(u64, Term)>) -> Result<(), ParseProblem> {
    let Some((line, t)) = term else {
        return Ok(());
    };
    if t.id.is_empty() {
        return Err(ParseProblem::at(line, "[Term] stanza without `id`"));
    }
    if ont.index.contains_key(&t.id) {
        return Err(ParseProblem::at(
            line,
            format!("duplicate term id `{}`", t.id),
        ));
    }
    ont.index.insert(t.id.clone(), ont.terms.len());
    ont.terms.push(t);
    Ok(())
}

/// Parse an OBO 1.2 ontology.
pub fn parse(bytes: &[u8]) -> Result<Ontology, ParseProblem> {
    let text = text_of(bytes, "an OBO ontology")?;
    let mut ont = Ontology::default();
    let mut format_version = false;
    let mut in_header = true;
    // The open [Term] stanza: its line and what was read so far.
    let mut term: Option<(u64, Term)> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('!') {
            continue;
        }
        if line.starts_with('[') {
            if !line.ends_with(']') {
                return Err(ParseProblem::at(
                    line_no,
                    format!("malformed stanza `{line}`"),
                ));
            }
            if in_header && !format_version {
                return Err(ParseProblem::at(
                    line_no,
                    "no `format-version` in the OBO header (not an OBO file?)",
                ));
            }
            in_header = false;
            finish_term(&mut ont, term.take())?;
            if line == "[Term]" {
                term = Some((line_no, Term::default()));
            }
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            return Err(ParseProblem::at(
                line_no,
                format!(
                    "expected `tag: value`, found `{}`",
                    line.chars().take(60).collect::<String>()
                ),
            ));
        };
        let (tag, value) = (tag.trim(), value.trim());
        if in_header {
            match tag {
                "format-version" => format_version = true,
                "data-version" => ont.data_version = Some(value.to_string()),
                _ if !format_version => {
                    return Err(ParseProblem::at(
                        line_no,
                        format!("the OBO header must open with `format-version`, found `{tag}`"),
                    ));
                }
                _ => {}
            }
            continue;
        }
        let Some((_, t)) = term.as_mut() else {
            continue; // inside a [Typedef] or other stanza
        };
        match tag {
            "id" => {
                let id = token(value);
                if id.is_empty() {
                    return Err(ParseProblem::at(line_no, "empty `id`"));
                }
                if !t.id.is_empty() {
                    return Err(ParseProblem::at(
                        line_no,
                        "second `id` in one [Term] stanza",
                    ));
                }
                t.id = id.to_string();
            }
            "name" => t.name = value.to_string(),
            "is_a" | "alt_id" | "replaced_by" => {
                let id = token(value);
                if id.is_empty() {
                    return Err(ParseProblem::at(line_no, format!("empty `{tag}`")));
                }
                let id = id.to_string();
                match tag {
                    "is_a" => t.is_a.push(id),
                    "alt_id" => t.alt_ids.push(id),
                    _ => {
                        t.replaced_by.get_or_insert(id);
                    }
                }
            }
            "is_obsolete" => {
                t.obsolete = match token(value) {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(ParseProblem::at(
                            line_no,
                            format!("`is_obsolete` is `{other}`, expected true or false"),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    if in_header {
        return Err(ParseProblem::whole(if format_version {
            "no [Term] stanza"
        } else {
            "no `format-version` header and no [Term] stanza (not an OBO file?)"
        }));
    }
    finish_term(&mut ont, term.take())?;
    if ont.terms.is_empty() {
        return Err(ParseProblem::whole("no [Term] stanza"));
    }
    // Alternative ids: a primary id always wins; the first term claiming an alt_id keeps it.
    for (i, t) in ont.terms.iter().enumerate() {
        for a in &t.alt_ids {
            if !ont.index.contains_key(a) {
                ont.alt.entry(a.clone()).or_insert(i);
            }
        }
    }
    Ok(ont)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The real hp.obo of HPO release 2025-01-16 (shared/data/raw/hpo, see PROVENANCE.md).
    pub(crate) fn real() -> Ontology {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/raw/hpo/hp.obo.gz"
        );
        let bytes = crate::fetch::read_maybe_gzip(std::path::Path::new(path)).unwrap();
        parse(&bytes).unwrap()
    }

    // Written by hand after real stanzas of hp.obo 2025-01-16 (HP:0000077, HP:0000107,
    // HP:0000003); the alt_id HP:0004742 (a real id of another term), the second is_a of
    // HP:0000003 and the obsolete term are made up for the test.
    const SMALL: &str = "format-version: 1.2\n\
data-version: hp/releases/2025-01-16\n\
\n\
[Term]\n\
id: HP:0000001\n\
name: All\n\
\n\
[Term]\n\
id: HP:0000077\n\
name: Abnormality of the kidney\n\
alt_id: HP:0004742\n\
is_a: HP:0000001 ! All\n\
\n\
[Term]\n\
id: HP:0000107\n\
name: Renal cyst\n\
is_a: HP:0000077 ! Abnormality of the kidney\n\
\n\
[Term]\n\
id: HP:0000003\n\
name: Multicystic kidney dysplasia\n\
is_a: HP:0000107 ! Renal cyst\n\
is_a: HP:0000001 {source=\"made up\"} ! All\n\
\n\
[Term]\n\
id: HP:9999998\n\
name: obsolete Kidney thing (made up)\n\
is_obsolete: true\n\
replaced_by: HP:0004742\n\
\n\
[Typedef]\n\
id: part_of\n\
name: part of\n";

    #[test]
    fn small_ontology_terms_alt_ids_and_descendants() {
        let o = parse(SMALL.as_bytes()).unwrap();
        assert_eq!(o.data_version.as_deref(), Some("hp/releases/2025-01-16"));
        assert_eq!(o.terms.len(), 5, "the [Typedef] is not a term");
        let t = o.term("HP:0000003").unwrap();
        assert_eq!(t.is_a, ["HP:0000107", "HP:0000001"]);
        assert_eq!(t.name, "Multicystic kidney dysplasia");
        let kidney = o.resolve("HP:0000077").unwrap();
        assert_eq!(o.resolve("HP:0004742"), Some(kidney), "alt_id");
        assert_eq!(
            o.resolve("HP:9999998"),
            Some(kidney),
            "obsolete -> replaced_by (an alt_id) -> current term"
        );
        assert_eq!(o.resolve("HP:1234567"), None);
        let d = o.descendants(&["HP:0004742".into()]).unwrap();
        let ids: Vec<&str> = d.indices().map(|i| o.terms[i].id.as_str()).collect();
        assert_eq!(ids, ["HP:0000077", "HP:0000107", "HP:0000003"]);
        assert!(
            o.descendants(&["HP:1234567".into()])
                .unwrap_err()
                .contains("HP:1234567")
        );
    }

    #[test]
    fn rejects_html_empty_tsv_and_malformed_stanzas() {
        let e = parse(b"<!DOCTYPE html><html>Not Found</html>").unwrap_err();
        assert!(e.message.contains("HTML"), "{e}");
        assert!(parse(b"  \n").unwrap_err().message.contains("empty"));
        let e = parse(b"ncbi_gene_id\tgene_symbol\nNCBIGene:1\tA1BG\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = parse(b"format-version: 1.2\n").unwrap_err();
        assert!(e.message.contains("no [Term]"), "{e}");
        let e = parse(b"[Term]\nid: HP:1\n").unwrap_err();
        assert!(e.message.contains("format-version"), "{e}");

        let no_id = SMALL.replace("id: HP:0000107\n", "");
        let e = parse(no_id.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(14), "{e}");
        let dup = SMALL.replace("id: HP:0000107", "id: HP:0000077");
        let e = parse(dup.as_bytes()).unwrap_err();
        assert!(e.message.contains("duplicate"), "{e}");
        let bad = SMALL.replace("is_obsolete: true", "is_obsolete: yes");
        let e = parse(bad.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(28), "{e}");
        let bad = SMALL.replace("name: Renal cyst", "Renal cyst");
        let e = parse(bad.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(16), "{e}");
    }

    #[test]
    fn real_ontology_release_2025_01_16() {
        let o = real();
        // PROVENANCE.md: 19,484 [Term] stanzas, 450 of them obsolete.
        assert_eq!(o.terms.len(), 19_484);
        assert_eq!(o.terms.iter().filter(|t| t.obsolete).count(), 450);
        assert_eq!(o.data_version.as_deref(), Some("hp/releases/2025-01-16"));
        let root = o.term("HP:0010935").unwrap();
        assert_eq!(root.name, "Abnormality of the upper urinary tract");
        // HP:0000083 Renal insufficiency lists HP:0000084 and HP:0004723 as alt_ids.
        let ri = o.resolve("HP:0000083").unwrap();
        assert_eq!(o.resolve("HP:0000084"), Some(ri));
        assert_eq!(o.resolve("HP:0004723"), Some(ri));
        assert_eq!(o.terms[ri].name, "Renal insufficiency");
        assert!(
            o.term("HP:0000084").is_none(),
            "an alt_id is not a term of its own"
        );
        // The is_a closure of HP:0010935 in this release: 593 terms, root included.
        let d = o.descendants(&["HP:0010935".into()]).unwrap();
        assert_eq!(d.len(), 593);
        assert!(d.contains(o.resolve("HP:0010935").unwrap()));
        assert!(d.contains(ri));
        assert!(
            d.contains(o.resolve("HP:0000113").unwrap()),
            "Polycystic kidney dysplasia"
        );
        assert!(
            !d.contains(o.resolve("HP:0000079").unwrap()),
            "the urinary system is above the root"
        );
        // Obsolete HP:0000057 is replaced_by HP:0008665 (Clitoral hypertrophy).
        let obs = o.term("HP:0000057").unwrap();
        assert!(obs.obsolete);
        assert_eq!(obs.replaced_by.as_deref(), Some("HP:0008665"));
        assert_eq!(o.resolve("HP:0000057"), o.index.get("HP:0008665").copied());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn obo_like_text_never_panics(lines in proptest::collection::vec(
            prop_oneof![
                Just("format-version: 1.2".to_string()),
                Just("[Term]".to_string()),
                Just("[Typedef]".to_string()),
                Just("is_obsolete: true".to_string()),
                "(id|name|is_a|alt_id|replaced_by): HP:000000[0-9]( ! x)?",
                "[\\[\\]:!a-z \t]{0,12}",
            ],
            0..40,
        )) {
            if let Ok(o) = parse(lines.join("\n").as_bytes()) {
                for t in &o.terms {
                    let _ = o.resolve(&t.id);
                    for a in &t.alt_ids {
                        let _ = o.resolve(a);
                    }
                }
                let roots: Vec<String> = o.terms.iter().map(|t| t.id.clone()).collect();
                let _ = o.descendants(&roots);
            }
        }
    }
}
