//! Bounded inputs through the binary: a source's own body caps (`max_bytes`,
//! `max_decompressed_bytes` in its block), a gzip bomb served by an in-process server, and
//! PanelApp `next` links that leave the list's host or downgrade to http.
//! (The fetcher's own tests cover the byte cap while streaming, the slow-drip deadline and
//! redirects: src/fetch/mod.rs.)

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::support::*;

/// The test config with `lines` added to the block of `source` (after its `max_age_days`).
fn with_source_keys(source: &str, lines: &str) -> String {
    let text = fast_config();
    let start = text
        .find(&format!("\n  {source}:\n"))
        .unwrap_or_else(|| panic!("a block for {source}"));
    let at = start
        + text[start..]
            .find("    max_age_days:")
            .expect("max_age_days in the block");
    let eol = at + text[at..].find('\n').expect("end of line") + 1;
    format!("{}{lines}{}", &text[..eol], &text[eol..])
}

/// An HTTP server on 127.0.0.1 that answers every request with `body` sent as
/// `Content-Encoding: gzip`; returns its base URL (use it as `--mirror`).
fn serve_gzip(body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut head = [0u8; 8192];
            let _ = conn.read(&mut head);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = conn
                .write_all(reply.as_bytes())
                .and_then(|()| conn.write_all(&body));
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_gzip_bomb_fails_its_source_at_the_source_cap() {
    // 64 MiB of zeros in about 64 KB of gzip; HGNC's own cap is 8 MiB.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = enc.finish().unwrap();
    assert!(bomb.len() < 256 << 10, "bomb is {} bytes", bomb.len());
    let w = Workdir::with_config(&with_source_keys(
        "hgnc",
        "    max_decompressed_bytes: 8388608\n",
    ));
    let server = serve_gzip(bomb);
    let out = w.kgdb(&["--mirror", &server, "fetch", "hgnc"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{err}");
    assert!(
        err.contains("kgdb: hgnc failed: GET ")
            && err.contains("hgnc_complete_set.txt: body inflates past the 8388608 bytes allowed by sources.hgnc.max_decompressed_bytes"),
        "{err}"
    );
    assert!(
        w.raw_files().is_empty(),
        "nothing stored: {:?}",
        w.raw_files()
    );
    // The public form (Sources page) names the upstream URL and the limit, not the server.
    let public: String = w
        .db()
        .query_row(
            "SELECT public_error FROM source_runs WHERE source = 'hgnc' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        public,
        "https://storage.googleapis.com/public-download-files/hgnc/tsv/tsv/hgnc_complete_set.txt: \
         decompresses past the 8388608-byte limit"
    );
}

#[test]
fn a_source_cap_fails_that_source_only() {
    // ClinGen's CSV is about 100 KB as sent: a 1000-byte cap stops it; GenCC (no cap of its
    // own) loads in the same fetch.
    let w = Workdir::with_config(&with_source_keys("clingen", "    max_bytes: 1000\n"));
    let m = MirrorServer::start(&[]);
    let out = w.kgdb(&["--mirror", &m.url, "fetch", "clingen", "gencc"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "degraded: one of two failed\n{err}");
    assert!(
        err.contains("bytes allowed by sources.clingen.max_bytes"),
        "{err}"
    );
    assert!(err.contains("; no earlier data"), "{err}");
    assert!(!err.contains("gencc failed"), "{err}");
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'gencc'"),
        118
    );
    assert_eq!(
        w.count("SELECT count(*) FROM staged WHERE source = 'clingen'"),
        0
    );
}

#[test]
fn a_zero_source_cap_is_a_config_error_naming_the_line() {
    let text = with_source_keys("gencc", "    max_bytes: 0\n");
    let line = text
        .lines()
        .position(|l| l == "    max_bytes: 0")
        .expect("inserted")
        + 1;
    let w = Workdir::with_config(&text);
    let out = w.kgdb(&["status"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 78, "{err}");
    assert!(err.contains(&format!(":{line}:")), "line {line}: {err}");
    assert!(err.contains("sources.gencc.max_bytes"), "{err}");
}

/// A copy of routes.json that serves the UK panel list's first page from `page` (a real
/// page with its `next` link set to `next`).
fn uk_list_with_next(dir: &Path, next: &str) -> PathBuf {
    let page = shared().join("data/reconstructed/panelapp/uk/panels/page-1.json");
    let mut list: serde_json::Value =
        serde_json::from_slice(&std::fs::read(page).expect("page 1")).expect("JSON");
    list["next"] = next.into();
    let pages = dir.join(format!("pages-{}", next.len()));
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("page-1.json"), list.to_string()).unwrap();
    let from = "data/reconstructed/panelapp/uk/panels/page-{page}.json";
    let text = std::fs::read_to_string(shared().join("mirror/routes.json")).expect("routes");
    assert!(text.contains(from));
    let to = pages.join("page-{page}.json");
    let routes = dir.join(format!("routes-{}.json", next.len()));
    std::fs::write(&routes, text.replace(from, to.to_str().unwrap())).unwrap();
    routes
}

#[test]
fn a_next_link_to_another_host_or_to_http_is_refused() {
    let w = Workdir::new();
    for (next, why) in [
        (
            "https://evil.example/api/v1/panels/?page=2",
            "leaves panelapp.genomicsengland.co.uk for another host",
        ),
        (
            "http://panelapp.genomicsengland.co.uk/api/v1/panels/?page=2",
            "downgrades https to http",
        ),
    ] {
        let routes = uk_list_with_next(w.dir.path(), next);
        let m = MirrorServer::start(&["--routes", routes.to_str().unwrap()]);
        let out = w.kgdb(&["--mirror", &m.url, "fetch", "panelapp_uk"]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{err}");
        assert!(
            err.contains(&format!("`next` link {next}")) && err.contains(why),
            "{next}: {err}"
        );
        // Only the first page was asked for: the refused link was never followed.
        let asked: Vec<String> = m
            .requests()
            .iter()
            .filter_map(|r| r["path"].as_str().map(str::to_string))
            .collect();
        assert!(
            asked
                .iter()
                .all(|p| !p.contains("page=2") && !p.contains("evil.example")),
            "{asked:?}"
        );
        assert!(
            asked.iter().any(|p| p.contains("/api/v1/panels/")),
            "{asked:?}"
        );
    }
}
