-- kgdb schema, version 1. See ARCHITECTURE.md "Data model".
CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    command         TEXT NOT NULL,
    started         TEXT NOT NULL,
    finished        TEXT,
    status          TEXT CHECK (status IN ('running', 'ok', 'degraded', 'failed')),
    kgdb_version    TEXT NOT NULL,
    config_sha256   TEXT NOT NULL
);

-- Every successful response (200 stored, or 304 confirming a stored one).
CREATE TABLE downloads (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER REFERENCES runs(id),
    source           TEXT NOT NULL,
    url              TEXT NOT NULL,          -- upstream URL as configured
    final_url        TEXT NOT NULL,          -- after redirects, in upstream form
    http_status      INTEGER NOT NULL,
    etag             TEXT,
    last_modified    TEXT,
    sha256           TEXT NOT NULL,          -- of the decompressed body
    bytes            INTEGER NOT NULL,       -- decompressed body size
    stored_path      TEXT NOT NULL,          -- relative to the data dir
    fetched_at       TEXT NOT NULL,
    not_modified     INTEGER NOT NULL DEFAULT 0,
    upstream_version TEXT
);
CREATE INDEX downloads_by_url ON downloads (source, url, id);

CREATE TABLE source_runs (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER REFERENCES runs(id),
    source           TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('ok', 'unchanged', 'failed', 'skipped')),
    upstream_version TEXT,
    rows_staged      INTEGER,
    error            TEXT,
    started          TEXT NOT NULL,
    finished         TEXT NOT NULL
);
CREATE INDEX source_runs_by_source ON source_runs (source, id);

-- What each source said, before normalization.
CREATE TABLE staged (
    id                  INTEGER PRIMARY KEY,
    source              TEXT NOT NULL,
    record_key          TEXT NOT NULL,
    reported_symbol     TEXT,
    reported_hgnc_id    TEXT,
    reported_ncbi_id    TEXT,
    reported_ensembl_id TEXT,
    details             TEXT NOT NULL,      -- JSON
    download_id         INTEGER REFERENCES downloads(id),
    hgnc_id             TEXT,               -- filled by `kgdb normalize`
    UNIQUE (source, record_key)
);
-- Normalization groups and updates rows by their reported identity.
CREATE INDEX staged_by_identity ON staged
    (source, reported_symbol, reported_hgnc_id, reported_ncbi_id, reported_ensembl_id);

-- The HGNC complete set.
CREATE TABLE hgnc (
    hgnc_id          TEXT PRIMARY KEY,      -- HGNC:9008
    hgnc_num         INTEGER NOT NULL,      -- 9008, for ordering
    symbol           TEXT NOT NULL,
    name             TEXT NOT NULL,
    locus_group      TEXT,
    locus_type       TEXT,
    status           TEXT,
    location         TEXT,
    alias_symbols    TEXT NOT NULL,         -- JSON array
    prev_symbols     TEXT NOT NULL,         -- JSON array
    entrez_id        TEXT,
    ensembl_gene_id  TEXT,
    omim_ids         TEXT NOT NULL,         -- JSON array
    mane_select      TEXT NOT NULL,         -- JSON array (Ensembl, RefSeq)
    uniprot_ids      TEXT NOT NULL,         -- JSON array
    date_modified    TEXT
);
CREATE INDEX hgnc_by_symbol ON hgnc (symbol COLLATE NOCASE);

-- HGNC withdrawn.txt: withdrawn IDs and what they were merged into.
CREATE TABLE hgnc_withdrawn (
    hgnc_id      TEXT PRIMARY KEY,
    symbol       TEXT NOT NULL,
    status       TEXT NOT NULL,
    merged_into  TEXT NOT NULL               -- JSON array of HGNC ids
);

CREATE TABLE normalization_log (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER REFERENCES runs(id),
    source      TEXT NOT NULL,
    reported    TEXT NOT NULL,               -- symbol or id as the source gave it
    method      TEXT,                        -- hgnc_id, withdrawn_merge, symbol, entrez, ensembl, prev_symbol, alias_symbol
    outcome     TEXT NOT NULL CHECK (outcome IN ('resolved', 'ambiguous', 'unresolved', 'withdrawn')),
    hgnc_id     TEXT,
    candidates  TEXT NOT NULL,               -- JSON array of HGNC ids
    rows        INTEGER NOT NULL             -- staged rows carrying this input
);
CREATE INDEX normalization_log_by_source ON normalization_log (source, outcome);

CREATE TABLE evidence (
    hgnc_id         TEXT NOT NULL,
    source          TEXT NOT NULL,
    measure         REAL NOT NULL,
    classification  TEXT,
    details         TEXT NOT NULL,
    PRIMARY KEY (hgnc_id, source)
);

CREATE TABLE scores (
    hgnc_id         TEXT PRIMARY KEY,
    source_scores   TEXT NOT NULL,           -- JSON object source -> score
    percentage      REAL NOT NULL,
    source_count    INTEGER NOT NULL,
    tier            TEXT NOT NULL,
    grp             TEXT NOT NULL,
    classic_count   INTEGER NOT NULL
);

-- Per-source resumable state (e.g. the PubTator page reached).
CREATE TABLE checkpoints (
    source   TEXT PRIMARY KEY,
    state    TEXT NOT NULL,                  -- JSON
    updated  TEXT NOT NULL
);
