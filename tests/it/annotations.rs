//! Gene annotations end to end through the mirror: the real gnomAD/ClinVar/GTEx/Descartes/
//! MGI/MANE files (and the HPO release for `hpo_phenotypes`) fetched, staged, normalized to
//! HGNC ids and kept one per gene; a 304 re-fetch reads nothing; a truncated download leaves
//! the previous annotation in place and the run degraded.

use crate::support::*;

const ANNOTATIONS: [&str; 6] = ["gnomad", "clinvar", "gtex", "descartes", "mgi", "mane"];

/// Every annotation file's path on the mirror (upstream host + path).
const FILES: [&str; 10] = [
    "gnomad_constraints_2023-10-12.csv.gz",
    "/pub/clinvar/tab_delimited/gene_specific_summary.txt",
    "rna_tissue_gtex_nTPM_agg_2023-10-12.csv.gz",
    "descartes_fetal_kidney_tpm_2023-10-12.csv.gz",
    "descartes_fetal_kidney_percent_expression_2023-10-12.csv.gz",
    "/downloads/reports/HMD_HumanPhenotype.rpt",
    "/downloads/reports/VOC_MammalianPhenotype.rpt",
    "/backend/app/data/mpo_kidney_terms.json",
    "/release_1.5/MANE.GRCh38.v1.5.summary.txt.gz",
    // hpo_phenotypes reads the HPO source's files; the versioned URL the redirect leads to.
    "/releases/download/v2025-01-16/hp.obo",
];

/// The JSON of annotation `source` for gene `hgnc_id`, with `path` extracted.
fn value(w: &Workdir, hgnc_id: &str, source: &str, path: &str) -> String {
    w.db()
        .query_row(
            "SELECT CAST(json_extract(data, ?3) AS TEXT) FROM annotations
             WHERE hgnc_id = ?1 AND source = ?2",
            rusqlite::params![hgnc_id, source, path],
            |r| r.get::<_, Option<String>>(0),
        )
        .unwrap_or_else(|e| panic!("{hgnc_id} {source} {path}: {e}"))
        .unwrap_or_default()
}

fn fetch_args<'a>(m: &'a MirrorServer, names: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["--mirror", m.url.as_str(), "fetch"];
    args.extend_from_slice(names);
    args
}

#[test]
fn annotations_fetch_normalize_one_per_gene_then_304_reads_nothing() {
    let m = MirrorServer::start(&[]);
    let w = Workdir::new();
    let mut names = vec!["hgnc", "hpo"];
    names.extend(ANNOTATIONS);
    let out = w.kgdb(&fetch_args(&m, &names));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    // Rows as the real files have them, and the release each shows.
    for line in [
        "gnomad: ok, 19704 rows: v2.1.1 (tabulated 2023-10-12)",
        "clinvar: ok, 33890 rows: 2021-11-07",
        "mane: ok, 19363 rows: v1.5",
        "mgi: ok, 19366 rows: as of 2026-05-13",
        "descartes: ok, 18856 rows",
        "hpo_phenotypes: ok, 5373 rows: 2025-01-16",
    ] {
        assert!(err.contains(line), "missing `{line}` in\n{err}");
    }
    // Each file requested once in the run (no file read twice).
    for f in FILES {
        assert_eq!(m.requests_to(f).len(), 1, "{f}");
    }

    let out = w.kgdb(&["normalize"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "gnomad: 19704 rows: alias_symbol 7 (0.0%), ambiguous 2 (0.0%), ensembl 1411 (7.2%)"
        ),
        "{}",
        stdout(&out)
    );
    // Scoring (HPO is the only evidence fetched here) keeps the annotations of scored genes.
    let out = w.kgdb(&["score"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let scored = w.count("SELECT count(*) FROM scores");
    assert!(
        stdout(&out).contains(&format!(
            "genes annotated          hpo_phenotypes {scored}, gnomad "
        )),
        "{}",
        stdout(&out)
    );
    // One value per gene and annotation, keyed by HGNC id.
    assert_eq!(
        w.count("SELECT count(*) FROM (SELECT hgnc_id, source FROM annotations GROUP BY 1, 2 HAVING count(*) > 1)"),
        0
    );

    // `kgdb build` takes the annotations as normalized now, even if `score` did not run
    // since: the gene's JSON and page carry them.
    w.db().execute("DELETE FROM annotations", []).unwrap();
    let site = w.data().parent().unwrap().join("site");
    let out = w.kgdb(&["build", "-o", site.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json = std::fs::read_to_string(site.join("genes/HGNC_9008.json")).unwrap();
    assert!(
        json.contains("\"refseq_transcript\":\"NM_001009944.3\""),
        "PKD1 JSON lacks MANE"
    );
    // HGNC's UniProt accession (the gene table finds PKD1 by it; CHANGELOG, issue 15).
    let gene: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(gene["gene"]["uniprot_ids"], serde_json::json!(["P98161"]));
    let csv = std::fs::read_to_string(site.join("downloads/annotations.csv")).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("HGNC:9008,PKD1,cyst_cilio,")),
        "PKD1 row"
    );
    assert!(
        !csv.lines().next().unwrap_or("").contains("descartes"),
        "link-only left out"
    );

    // `kgdb gene` lists them under the score.
    let out = w.kgdb(&["gene", "COL4A5"]);
    let text = stdout(&out);
    assert!(text.contains("annotations (not scored):"), "{text}");
    assert!(
        text.contains("HPO        clinical group glomerulopathy"),
        "{text}"
    );
    assert!(
        text.contains("MANE       NM_033380.3 / ENST00000328300.11"),
        "{text}"
    );

    // PKD1 (HGNC:9008), real values of each file.
    let pkd1 = "HGNC:9008";
    assert_eq!(value(&w, pkd1, "gnomad", "$.pli"), "1.0");
    assert_eq!(value(&w, pkd1, "gnomad", "$.loeuf_computed"), "1");
    let loeuf: f64 = value(&w, pkd1, "gnomad", "$.loeuf").parse().unwrap();
    assert!((0.17..0.19).contains(&loeuf), "{loeuf}");
    assert_eq!(value(&w, pkd1, "clinvar", "$.pathogenic_alleles"), "774");
    assert_eq!(value(&w, pkd1, "clinvar", "$.total_alleles"), "2103");
    assert_eq!(
        value(&w, pkd1, "mane", "$.refseq_transcript"),
        "NM_001009944.3"
    );
    assert_eq!(
        value(&w, pkd1, "mane", "$.ensembl_transcript"),
        "ENST00000262304.9"
    );
    assert_eq!(value(&w, pkd1, "mgi", "$.orthologs[0].symbol"), "Pkd1");
    assert_eq!(value(&w, pkd1, "mgi", "$.orthologs[0].mgi_id"), "MGI:97603");
    assert!(
        value(&w, pkd1, "mgi", "$.kidney_phenotypes").contains("MP:0005367"),
        "Pkd1 has the renal/urinary system phenotype"
    );
    // UMOD: kidney is its top tissue (rank 1 of 29).
    assert_eq!(value(&w, "HGNC:12559", "gtex", "$.kidney_rank"), "1");
    assert_eq!(value(&w, "HGNC:12559", "gtex", "$.top_tissue"), "kidney");
    // COL4A5 (HGNC:2207): Alport syndrome, glomerulopathy; deafness counted under head_neck.
    let col4a5 = "HGNC:2207";
    assert_eq!(
        value(&w, col4a5, "hpo_phenotypes", "$.clinical_group.primary"),
        "glomerulopathy"
    );
    assert!(value(&w, col4a5, "hpo_phenotypes", "$.diseases").contains("OMIM:301050"));
    let hn: f64 = value(&w, col4a5, "hpo_phenotypes", "$.syndromic.shares.head_neck")
        .parse()
        .unwrap();
    assert!(hn > 0.0, "{hn}");
    // Provenance: every annotation row links to its download, with checksum and version.
    assert_eq!(
        w.count(
            "SELECT count(*) FROM annotations a LEFT JOIN downloads d ON d.id = a.download_id
             WHERE d.sha256 IS NULL"
        ),
        0
    );

    // Second fetch: every file answers 304, or, pinned to a commit on
    // raw.githubusercontent.com (`immutable_at_commit`), is not asked for again; nothing is
    // re-read or re-stored.
    let before = w.raw_files();
    let out = w.kgdb(&fetch_args(&m, &names));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for a in ANNOTATIONS.iter().chain(&["hpo_phenotypes"]) {
        assert!(
            stderr(&out).contains(&format!("{a}: unchanged")),
            "{a} not unchanged:\n{}",
            stderr(&out)
        );
    }
    let mut pinned = 0;
    for f in FILES {
        let reqs = m.requests_to(f);
        if reqs[0]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("/raw.githubusercontent.com/"))
        {
            pinned += 1;
            assert_eq!(reqs.len(), 1, "{f}: commit-pinned, asked once");
        } else {
            assert_eq!(reqs.len(), 2, "{f}");
            assert_eq!(reqs[1]["status"], 304, "{f}: {:?}", reqs[1]);
        }
    }
    assert_eq!(
        pinned, 5,
        "gnomAD, GTEx, Descartes' two tables, MGI's kidney terms"
    );
    assert_eq!(w.raw_files(), before);
    // Offline with the files of the last good run: nothing to redo. With rows lost: rebuilt
    // from the stored files.
    let out = w.kgdb(&["--offline", "fetch", "clinvar", "mane"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("clinvar: unchanged, 33890 rows"),
        "{}",
        stderr(&out)
    );
    w.db()
        .execute("DELETE FROM staged WHERE source = 'mane'", [])
        .unwrap();
    let out = w.kgdb(&["--offline", "fetch", "mane"]);
    assert!(
        stderr(&out).contains("mane: ok, 19363 rows: v1.5"),
        "{}",
        stderr(&out)
    );
    // The unchanged runs still name the files they stand on (the Sources page lists them):
    // hpo_phenotypes the three HPO files, mgi its three reports, descartes its two tables.
    for (source, files) in [
        ("hpo_phenotypes", 3),
        ("mgi", 3),
        ("descartes", 2),
        ("clinvar", 1),
    ] {
        let linked = w.count(&format!(
            "SELECT count(*) FROM source_run_downloads WHERE source_run_id =
               (SELECT max(id) FROM source_runs WHERE source = '{source}')"
        ));
        assert_eq!(linked, files, "{source}");
    }
}

#[test]
fn truncated_or_failing_annotation_keeps_previous_rows_and_run_is_degraded() {
    let w = Workdir::new();
    // MANE is served as stored gzip: a truncated body must be caught, not half-parsed.
    {
        let m = MirrorServer::start(&["--fault", "*/MANE.GRCh38.v1.5.summary.txt.gz:truncate"]);
        let out = w.kgdb(&fetch_args(&m, &["hgnc", "clinvar", "mane"]));
        assert_eq!(code(&out), 1, "degraded: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("mane failed"), "{err}");
        assert!(err.contains("MANE.GRCh38.v1.5.summary.txt.gz"), "{err}");
        assert!(err.contains("truncated"), "{err}");
        assert!(err.contains("clinvar: ok, 33890 rows"), "{err}");
        assert_eq!(
            w.count("SELECT count(*) FROM staged WHERE source = 'mane'"),
            0
        );
    }
    {
        let m = MirrorServer::start(&[]);
        let out = w.kgdb(&fetch_args(&m, &["mane"]));
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    // A 500 on the next fetch: the previous MANE rows stay; the only source failed -> 2.
    let m = MirrorServer::start(&["--fault", "*/MANE.GRCh38.v1.5.summary.txt.gz:status:500"]);
    let out = w.kgdb(&fetch_args(&m, &["mane"]));
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("500"), "{}", stderr(&out));
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'mane'"),
        19_363
    );
    // `kgdb status` reports the failure and the coverage section.
    let out = w.kgdb(&["status"]);
    let text = stdout(&out);
    assert!(text.contains("annotation coverage"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("mane ") && l.contains("500")),
        "{text}"
    );
}
