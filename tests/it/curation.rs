//! Curator decisions (`curation.yaml`) through the binary on the mirror: the two real lab
//! artefacts excluded, a decision that changes a gene's score by exactly its worked-out
//! amount, a stale decision reported, a note on a gene page, the checksum in the manifest,
//! and a broken file refused with its line (exit 78).

use serde_json::Value;

use crate::support::*;

/// The shipped config with rate limits raised (the mirror is local).
fn unthrottled() -> String {
    fast_config()
        .lines()
        .map(|line| match line.find("requests_per_second:") {
            Some(i) => format!("{}requests_per_second: 1000\n", &line[..i]),
            None => format!("{line}\n"),
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// (percentage, tier, source_count, classic_count, breakdown) of a gene.
fn score_of(w: &Workdir, hgnc_id: &str) -> (f64, String, i64, i64, Value) {
    w.db()
        .query_row(
            "SELECT percentage, tier, source_count, classic_count, breakdown FROM scores
             WHERE hgnc_id = ?1",
            [hgnc_id],
            |r| {
                let b: String = r.get(4)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    serde_json::from_str(&b).unwrap(),
                ))
            },
        )
        .expect(hgnc_id)
}

#[test]
fn a_broken_curation_file_is_refused_with_its_lines() {
    let w = Workdir::new();
    std::fs::write(
        w.dir.path().join("curation.yaml"),
        "- exclude: {source: diagnostic_panels, name: ACMG}\n  reason: a heading\n  curator: bp\n  date: 2026-02-30\n\
         - map: {name: ASP, source: nosuch, hgnc_id: 'HGNC:745'}\n  reason: r\n  date: 2026-12-01\n",
    )
    .unwrap();
    let out = w.kgdb(&["status"]);
    assert_eq!(code(&out), 78, "{}", stderr(&out));
    let err = stderr(&out);
    for want in [
        "curation.yaml: 3 problems",
        "curation.yaml:4: [0].date: `2026-02-30` is not a date YYYY-MM-DD",
        "curation.yaml:5: [1].map.source: unknown source `nosuch`",
        "curation.yaml:5: [1].curator: missing",
    ] {
        assert!(err.contains(want), "{want:?} not in:\n{err}");
    }
    // A `curation:` key naming a missing file is a problem of sources.yaml.
    std::fs::remove_file(w.dir.path().join("curation.yaml")).unwrap();
    w.write_config(&format!(
        "{}\ncuration: decisions/curation.yaml\n",
        fast_config()
    ));
    let out = w.kgdb(&["status"]);
    assert_eq!(code(&out), 78);
    assert!(
        stderr(&out).contains("curation: no curation file at"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn decisions_apply_are_logged_and_shown() {
    let w = Workdir::with_config(&unthrottled());
    let site = w.dir.path().join("site");
    let site_arg = site.to_str().unwrap().to_string();
    let m = MirrorServer::start(&[]);
    let out = w.kgdb(&["--mirror", &m.url, "run", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    drop(m);

    // Before any decision: the normalizer leaves the two lab artefacts unresolved.
    let review = stdout(&w.kgdb(&["review"]));
    assert!(
        review.contains("diagnostic_panels  ACMG / HGNC:116  1 row"),
        "{review}"
    );
    assert!(
        review.contains("diagnostic_panels  IV / HGNC:6185  1 row"),
        "{review}"
    );
    let yaml = stdout(&w.kgdb(&["review", "--yaml"]));
    assert!(
        yaml.contains("# - exclude: {source: diagnostic_panels, name: \"ACMG\"}"),
        "{yaml}"
    );
    let (p0, tier0, sources0, classic0, b0) = score_of(&w, "HGNC:103");
    let clingen0 = b0
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "clingen")
        .expect("CNNM2 has ClinGen evidence")
        .clone();

    let curation = "\
- exclude: {source: diagnostic_panels, name: ACMG}
  reason: a heading of the lab's list, scraped as a gene
  curator: bp
  date: 2026-12-01
- exclude: {source: diagnostic_panels, name: IV}
  reason: a heading of the lab's list, scraped as a gene
  curator: bp
  date: 2026-12-01
- exclude: {source: clingen, name: CNNM2}
  reason: test of the exclusion
  curator: bp
  date: 2026-12-01
- map: {name: NOSUCHGENE1, source: diagnostic_panels, hgnc_id: 'HGNC:103'}
  reason: a name no source reports
  curator: bp
  date: 2026-11-02
- note: {hgnc_id: 'HGNC:11630', text: Often a de novo 17q12 deletion.}
  reason: asked by the clinic
  curator: bp
  date: 2026-12-01
";
    std::fs::write(w.dir.path().join("curation.yaml"), curation).unwrap();
    // Before normalizing, status says the file is not applied yet.
    let status = stdout(&w.kgdb(&["status"]));
    assert!(
        status.contains("changed since the last normalization"),
        "{status}"
    );
    for cmd in ["normalize", "score"] {
        let out = w.kgdb(&[cmd]);
        assert_eq!(code(&out), 0, "{cmd}: {}", stderr(&out));
    }
    let out = w.kgdb(&["build", "-o", &site_arg]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // The artefacts: no longer to review, each exclusion logged with what it changed.
    let review = stdout(&w.kgdb(&["review"]));
    assert!(
        !review.contains("ACMG") && !review.contains("IV /"),
        "{review}"
    );
    let tsv = std::fs::read_to_string(w.data().join("normalization_review.tsv")).unwrap();
    assert!(!tsv.contains("ACMG") && !tsv.contains("\tIV /"), "{tsv}");
    assert_eq!(
        w.count(
            "SELECT count(*) FROM curation_log WHERE status = 'applied' AND kind = 'exclude'
               AND source = 'diagnostic_panels' AND change LIKE '1 row of diagnostic_panels reporting%(unresolved) not counted'"
        ),
        2
    );

    // The score, worked out: CNNM2's only ClinGen curation is Definitive (weight 1.0), so
    // ClinGen's part of its percentage is 100 × 1.0 / N with N = 7 scoring sources =
    // 14.2857. Excluding it leaves every other source's score as it was (ClinGen scores by
    // classification, not by rank among genes, and the classic count has no ClinGen flag):
    // on the mirror 58.5158 − 14.2857 = 44.2301, one source fewer (6 → 5), and the tier
    // moves from comprehensive_support (needs ≥ 50 %) to multi_source_support (≥ 3 sources,
    // ≥ 35 %).
    assert_eq!(clingen0["classification"], "Definitive", "{clingen0}");
    let (p1, tier1, sources1, classic1, b1) = score_of(&w, "HGNC:103");
    assert!(
        (p1 - (p0 - 100.0 / 7.0)).abs() < 1e-3,
        "{p0} - 14.2857 != {p1}"
    );
    assert_eq!(sources1, sources0 - 1);
    assert_eq!(classic1, classic0);
    assert!(
        !b1.as_array()
            .unwrap()
            .iter()
            .any(|s| s["source"] == "clingen"),
        "{b1}"
    );
    assert_eq!(tier0, "comprehensive_support");
    assert_eq!(tier1, "multi_source_support");
    assert!((p1 - 44.2301).abs() < 1e-3, "{p1}");

    // The stale decision: in status (text and JSON), review and the Sources page.
    let out = w.kgdb(&["status", "--json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &json["curation"];
    assert_eq!(c["pending"], false, "{c}");
    assert_eq!(c["in_force"]["exclude"], 3, "{c}");
    assert_eq!(c["in_force"]["note"], 1, "{c}");
    assert_eq!(
        c["stale"][0]["decision"],
        "map diagnostic_panels `NOSUCHGENE1` to HGNC:103"
    );
    assert_eq!(c["stale"][0]["why"], "no staged row reports `NOSUCHGENE1`");
    let status = stdout(&w.kgdb(&["status"]));
    assert!(
        status.contains("STALE map diagnostic_panels `NOSUCHGENE1` to HGNC:103"),
        "{status}"
    );
    let review = stdout(&w.kgdb(&["review"]));
    assert!(review.contains("stale decisions (1):"), "{review}");
    assert!(
        review.contains("(line 13): no staged row reports"),
        "{review}"
    );
    let sources = std::fs::read_to_string(site.join("sources.html")).unwrap();
    assert!(
        sources.contains("Stale decisions"),
        "stale on the Sources page"
    );

    // Pages: the decision with its reason and date on the affected genes.
    let cnnm2 = std::fs::read_to_string(site.join("genes/HGNC_103.html")).unwrap();
    let section = cnnm2
        .split("id=\"curation-h\"")
        .nth(1)
        .expect("a decisions section on CNNM2's page");
    assert!(
        section.contains("1 row of clingen reporting `CNNM2 / HGNC:103` (resolved to HGNC:103 CNNM2 by hgnc_id) not counted"),
        "{section}"
    );
    assert!(cnnm2.contains("Reason: test of the exclusion (bp, 2026-12-01)"));
    let hnf1b = std::fs::read_to_string(site.join("genes/HGNC_11630.html")).unwrap();
    assert!(
        hnf1b.contains("Often a de novo 17q12 deletion."),
        "note on HNF1B's page"
    );
    let methods = std::fs::read_to_string(site.join("methods.html")).unwrap();
    assert!(
        methods.contains("<li>exclude: 3</li>"),
        "Methods counts per kind"
    );

    // The release says which decisions it used, and why CNNM2's tier moved.
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("downloads/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["curation"]["sha256"],
        sha256_hex(curation.as_bytes()),
        "{}",
        manifest["curation"]
    );
    let changes: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("changes.json")).unwrap()).unwrap();
    let changed = changes[0]["changed"].as_array().unwrap();
    let moved = changed
        .iter()
        .find(|g| g["hgnc_id"] == "HGNC:103")
        .expect("CNNM2's tier moved");
    assert_eq!(moved["tier_after"], "multi_source_support");
    assert_eq!(moved["decisions_added"][0], "exclude clingen `CNNM2`");
    assert_eq!(moved["sources_lost"][0], "clingen");
}
