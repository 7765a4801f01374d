-- kgdb schema, version 3: releases. Each successful build is a release named by CalVer date;
-- its genes are kept so the next release can say what changed and why.
CREATE TABLE releases (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,      -- 2026.11.29, 2026.11.29-2 for a second one
    built_at      TEXT NOT NULL,
    kgdb_version  TEXT NOT NULL,
    genes         INTEGER NOT NULL,
    changes       TEXT NOT NULL              -- JSON: this release's changes vs the previous
);
CREATE TABLE release_genes (
    release_id     INTEGER NOT NULL REFERENCES releases(id),
    hgnc_id        TEXT NOT NULL,
    symbol         TEXT NOT NULL,
    tier           TEXT NOT NULL,
    classic_count  INTEGER NOT NULL,
    percentage     REAL NOT NULL,
    supported      TEXT NOT NULL,            -- JSON array of supporting scoring sources
    PRIMARY KEY (release_id, hgnc_id)
);
