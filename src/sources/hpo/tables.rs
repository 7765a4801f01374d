//! The two HPO annotation tables kgdb reads: `phenotype.hpoa` (disease -> phenotype) and
//! `genes_to_disease.txt` (gene -> disease). Both are TSV with a named header; columns are
//! found by name. Rows borrow from the text, so the 34 MB hpoa costs no copy per cell.

use std::collections::HashMap;

use crate::sources::{ParseProblem, text_of};

/// One row of `phenotype.hpoa`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annotation<'a> {
    /// `database_id`, e.g. `OMIM:256300`.
    pub disease_id: &'a str,
    pub disease_name: &'a str,
    /// `qualifier` = `NOT`: the disease is explicitly *without* this phenotype.
    pub negated: bool,
    pub hpo_id: &'a str,
    /// `P` phenotype, `I` inheritance, `C` clinical course, `M` modifier, `H` history.
    pub aspect: &'a str,
}

/// `phenotype.hpoa`: the `#version:` header line and the annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hpoa<'a> {
    pub version: Option<&'a str>,
    pub annotations: Vec<Annotation<'a>>,
}

/// One row of `genes_to_disease.txt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneDisease<'a> {
    /// The NCBI Gene id without its `NCBIGene:` prefix (`4868`).
    pub ncbi_id: &'a str,
    pub symbol: &'a str,
    /// `MENDELIAN`, `POLYGENIC`, `UNKNOWN`.
    pub association_type: &'a str,
    pub disease_id: &'a str,
    /// Where HPO took the link from (mim2gene_medgen, orphadata).
    pub source: Option<&'a str>,
}

/// Column positions by (lower-case) header name.
struct Header {
    index: HashMap<String, usize>,
    count: usize,
    line: u64,
}

impl Header {
    fn of(line: &str, line_no: u64) -> Header {
        let names: Vec<&str> = line.split('\t').map(str::trim).collect();
        Header {
            count: names.len(),
            index: names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.to_ascii_lowercase(), i))
                .collect(),
            line: line_no,
        }
    }

    fn require(&self, name: &str, what: &str) -> Result<usize, ParseProblem> {
        self.index.get(name).copied().ok_or_else(|| {
            ParseProblem::at(
                self.line,
                format!("missing column `{name}` in the {what} header"),
            )
        })
    }
}

/// Split a data line into exactly `header.count` fields (reusing `fields`).
fn split_row<'a>(
    line: &'a str,
    line_no: u64,
    header: &Header,
    fields: &mut Vec<&'a str>,
) -> Result<(), ParseProblem> {
    fields.clear();
    fields.extend(line.split('\t'));
    if fields.len() != header.count {
        return Err(ParseProblem::at(
            line_no,
            format!(
                "expected {} tab-separated fields as in the header, found {} (truncated or malformed row)",
                header.count,
                fields.len()
            ),
        ));
    }
    Ok(())
}

/// An id of the form `PREFIX:LOCAL` with both parts non-empty and no spaces.
fn is_curie(s: &str) -> bool {
    matches!(s.split_once(':'), Some((p, l)) if !p.is_empty() && !l.is_empty())
        && !s.contains(char::is_whitespace)
}

fn is_hpo_id(s: &str) -> bool {
    s.strip_prefix("HP:")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Parse `phenotype.hpoa`.
pub fn parse_hpoa(bytes: &[u8]) -> Result<Hpoa<'_>, ParseProblem> {
    let text = text_of(bytes, "the HPO annotation table (phenotype.hpoa)")?;
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix('\r').unwrap_or(l)));
    let mut version = None;
    let header = loop {
        let Some((n, line)) = lines.next() else {
            return Err(ParseProblem::whole("no header line after the `#` comments"));
        };
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(v) = comment.strip_prefix("version:") {
                version = Some(v.trim()).filter(|v| !v.is_empty());
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        break Header::of(line, n);
    };
    const WHAT: &str = "phenotype.hpoa";
    let id_i = header.require("database_id", WHAT)?;
    let name_i = header.require("disease_name", WHAT)?;
    let qual_i = header.require("qualifier", WHAT)?;
    let hpo_i = header.require("hpo_id", WHAT)?;
    let aspect_i = header.require("aspect", WHAT)?;

    let mut annotations = Vec::with_capacity(text.len() / 120);
    let mut fields = Vec::with_capacity(header.count);
    for (n, line) in lines {
        if line.is_empty() {
            continue;
        }
        split_row(line, n, &header, &mut fields)?;
        let disease_id = fields[id_i].trim();
        if !is_curie(disease_id) {
            return Err(ParseProblem::at(
                n,
                format!("`database_id` is `{disease_id}`, expected PREFIX:ID"),
            ));
        }
        let hpo_id = fields[hpo_i].trim();
        if !is_hpo_id(hpo_id) {
            return Err(ParseProblem::at(
                n,
                format!("`hpo_id` is `{hpo_id}`, expected HP:<digits>"),
            ));
        }
        let negated = match fields[qual_i].trim() {
            "" => false,
            q if q.eq_ignore_ascii_case("NOT") => true,
            q => {
                return Err(ParseProblem::at(
                    n,
                    format!("`qualifier` is `{q}`, expected empty or NOT"),
                ));
            }
        };
        annotations.push(Annotation {
            disease_id,
            disease_name: fields[name_i].trim(),
            negated,
            hpo_id,
            aspect: fields[aspect_i].trim(),
        });
    }
    if annotations.is_empty() {
        return Err(ParseProblem::whole("no annotation rows after the header"));
    }
    Ok(Hpoa {
        version,
        annotations,
    })
}

/// Parse `genes_to_disease.txt`.
pub fn parse_genes_to_disease(bytes: &[u8]) -> Result<Vec<GeneDisease<'_>>, ParseProblem> {
    let text = text_of(bytes, "the HPO genes_to_disease table")?;
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((n, first)) = lines.next() else {
        return Err(ParseProblem::whole("no header line"));
    };
    let header = Header::of(first, n);
    const WHAT: &str = "genes_to_disease";
    let gene_i = header.require("ncbi_gene_id", WHAT)?;
    let sym_i = header.require("gene_symbol", WHAT)?;
    let type_i = header.require("association_type", WHAT)?;
    let dis_i = header.require("disease_id", WHAT)?;
    let src_i = header.index.get("source").copied();

    let mut out = Vec::with_capacity(text.len() / 90);
    let mut fields = Vec::with_capacity(header.count);
    for (n, line) in lines {
        split_row(line, n, &header, &mut fields)?;
        let raw = fields[gene_i].trim();
        let ncbi_id = raw.strip_prefix("NCBIGene:").unwrap_or(raw);
        if ncbi_id.is_empty() || !ncbi_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseProblem::at(
                n,
                format!("`ncbi_gene_id` is `{raw}`, expected NCBIGene:<digits>"),
            ));
        }
        let symbol = fields[sym_i].trim();
        if symbol.is_empty() {
            return Err(ParseProblem::at(n, "empty `gene_symbol`"));
        }
        let disease_id = fields[dis_i].trim();
        if !is_curie(disease_id) {
            return Err(ParseProblem::at(
                n,
                format!("`disease_id` is `{disease_id}`, expected PREFIX:ID"),
            ));
        }
        out.push(GeneDisease {
            ncbi_id,
            symbol,
            association_type: fields[type_i].trim(),
            disease_id,
            source: src_i.map(|i| fields[i].trim()).filter(|s| !s.is_empty()),
        });
    }
    if out.is_empty() {
        return Err(ParseProblem::whole("no gene rows after the header"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn real(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../shared/data/raw/hpo/{name}.gz",
            env!("CARGO_MANIFEST_DIR")
        );
        crate::fetch::read_maybe_gzip(std::path::Path::new(&path)).unwrap()
    }

    // Header lines and rows copied from the real phenotype.hpoa 2025-01-16 (the first row
    // of the file and two rows of OMIM:256300: proteinuria, congenital onset); the NOT row
    // is made up for the test.
    const HPOA: &str = "#description: \"HPO annotations for rare diseases [8359: OMIM; 47: DECIPHER; 4283 ORPHANET]\"\n\
#version: 2025-01-16\n\
#tracker: https://github.com/obophenotype/human-phenotype-ontology/issues\n\
#hpo-version: http://purl.obolibrary.org/obo/hp/releases/2025-01-16/hp.json\n\
database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n\
OMIM:619340\tDevelopmental and epileptic encephalopathy 96\t\tHP:0011097\tPMID:31675180\tPCS\t\t1/2\t\t\tP\tHPO:probinson[2021-06-21]\n\
OMIM:256300\tNephrotic syndrome, type 1\t\tHP:0000100\tPMID:28392951\tPCS\t\t3/3\t\t\tP\tORCID:0000-0002-0736-9199[2024-07-02]\n\
OMIM:256300\tNephrotic syndrome, type 1\t\tHP:0003577\tPMID:17413422\tPCS\t\t\t\t\tC\tHPO:skoehler[2012-10-17];HPO:probinson[2022-07-20]\n\
OMIM:256300\tNephrotic syndrome, type 1\tNOT\tHP:0000107\tOMIM:256300\tTAS\t\t\t\t\tP\tmade up\n";

    // Header and rows copied from the real genes_to_disease.txt (see PROVENANCE.md).
    const G2D: &str = "ncbi_gene_id\tgene_symbol\tassociation_type\tdisease_id\tsource\n\
NCBIGene:64170\tCARD9\tMENDELIAN\tOMIM:212050\tftp://ftp.ncbi.nlm.nih.gov/gene/DATA/mim2gene_medgen\n\
NCBIGene:4868\tNPHS1\tMENDELIAN\tOMIM:256300\tftp://ftp.ncbi.nlm.nih.gov/gene/DATA/mim2gene_medgen\n";

    #[test]
    fn hpoa_rows_version_and_not() {
        let h = parse_hpoa(HPOA.as_bytes()).unwrap();
        assert_eq!(h.version, Some("2025-01-16"));
        assert_eq!(h.annotations.len(), 4);
        let a = h.annotations[1];
        assert_eq!(a.disease_id, "OMIM:256300");
        assert_eq!(a.disease_name, "Nephrotic syndrome, type 1");
        assert_eq!((a.hpo_id, a.aspect, a.negated), ("HP:0000100", "P", false));
        assert!(h.annotations[3].negated);
        assert_eq!(h.annotations[2].aspect, "C");
    }

    #[test]
    fn hpoa_errors_name_the_line() {
        let e = parse_hpoa(HPOA.replace("\tqualifier\t", "\tqual\t").as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(5));
        assert!(e.message.contains("`qualifier`"), "{e}");
        let e = parse_hpoa(HPOA.replacen("\tHP:0000100\t", "\t100\t", 1).as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(7), "{e}");
        let e = parse_hpoa(HPOA.replacen("\tNOT\t", "\tMAYBE\t", 1).as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(9), "{e}");
        let e = parse_hpoa(&HPOA.as_bytes()[..HPOA.len() - 30]).unwrap_err();
        assert_eq!(e.line, Some(9), "truncated row: {e}");
        let e = parse_hpoa(b"<html><body>502 Bad Gateway</body></html>").unwrap_err();
        assert!(e.message.contains("HTML"), "{e}");
        assert!(parse_hpoa(b"").unwrap_err().message.contains("empty"));
        let header_only = HPOA.lines().take(5).collect::<Vec<_>>().join("\n");
        let e = parse_hpoa(header_only.as_bytes()).unwrap_err();
        assert!(e.message.contains("no annotation rows"), "{e}");
    }

    #[test]
    fn genes_to_disease_rows_and_errors() {
        let g = parse_genes_to_disease(G2D.as_bytes()).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].ncbi_id, "4868");
        assert_eq!(g[1].symbol, "NPHS1");
        assert_eq!(g[1].association_type, "MENDELIAN");
        assert_eq!(g[1].disease_id, "OMIM:256300");
        assert!(g[1].source.unwrap().ends_with("mim2gene_medgen"));

        let e =
            parse_genes_to_disease(G2D.replace("disease_id", "disease").as_bytes()).unwrap_err();
        assert!(e.message.contains("`disease_id`"), "{e}");
        assert_eq!(e.line, Some(1));
        let e = parse_genes_to_disease(G2D.replace("NCBIGene:4868", "NCBIGene:NPHS1").as_bytes())
            .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse_genes_to_disease(G2D.replace("\tNPHS1\t", "\t\t").as_bytes()).unwrap_err();
        assert!(e.message.contains("gene_symbol"), "{e}");
        let e = parse_genes_to_disease(&G2D.as_bytes()[..G2D.len() - 60]).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(
            parse_genes_to_disease(b"\n\n")
                .unwrap_err()
                .message
                .contains("empty")
        );
        let e = parse_genes_to_disease(b"{\"error\":\"not found\"}").unwrap_err();
        assert!(e.message.contains("`ncbi_gene_id`"), "{e}");
    }

    #[test]
    fn real_hpoa_2025_01_16() {
        let bytes = real("phenotype.hpoa");
        let started = std::time::Instant::now();
        let h = parse_hpoa(&bytes).unwrap();
        eprintln!("phenotype.hpoa parsed in {:?}", started.elapsed());
        assert_eq!(h.version, Some("2025-01-16"));
        // PROVENANCE.md: 271,702 annotations, 254,621 of aspect P.
        assert_eq!(h.annotations.len(), 271_702);
        assert_eq!(
            h.annotations.iter().filter(|a| a.aspect == "P").count(),
            254_621
        );
        assert_eq!(h.annotations.iter().filter(|a| a.negated).count(), 711);
        assert_eq!(h.annotations[0].disease_id, "OMIM:619340");
        assert_eq!(h.annotations[0].hpo_id, "HP:0011097");
    }

    #[test]
    fn real_genes_to_disease() {
        let bytes = real("genes_to_disease.txt");
        let g = parse_genes_to_disease(&bytes).unwrap();
        // PROVENANCE.md: 15,617 rows.
        assert_eq!(g.len(), 15_617);
        assert_eq!(g[0].ncbi_id, "64170");
        assert_eq!(g[0].symbol, "CARD9");
        assert!(
            g.iter().any(|r| r.symbol == "PKD1"
                && r.ncbi_id == "5310"
                && r.disease_id == "OMIM:173900")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_hpoa(&bytes);
            let _ = parse_genes_to_disease(&bytes);
        }

        #[test]
        fn tsv_like_text_never_panics(rows in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just(String::new()),
                    Just("NOT".to_string()),
                    Just("P".to_string()),
                    "(HP|OMIM|NCBIGene):[0-9]{0,4}",
                    "[#a-z:\r ]{0,6}",
                ],
                0..13,
            ),
            0..12,
        )) {
            let body: Vec<String> = rows.iter().map(|r| r.join("\t")).collect();
            let hpoa = format!(
                "#version: x\ndatabase_id\tdisease_name\tqualifier\thpo_id\taspect\n{}",
                body.join("\n")
            );
            let _ = parse_hpoa(hpoa.as_bytes());
            let g2d = format!(
                "ncbi_gene_id\tgene_symbol\tassociation_type\tdisease_id\n{}",
                body.join("\n")
            );
            let _ = parse_genes_to_disease(g2d.as_bytes());
        }
    }
}
