-- Migration 6: curator decisions (curation.yaml). Each `kgdb normalize` replaces the log:
-- one row per change a decision made (`applied`) or per decision that matched nothing
-- (`stale`, with why), so status, review and the site read what the data was built with.
CREATE TABLE curation_log (
    id        INTEGER PRIMARY KEY,
    run_id    INTEGER REFERENCES runs(id),
    decision  TEXT NOT NULL,                 -- the decision's label, e.g. exclude clingen `X`
    kind      TEXT NOT NULL CHECK (kind IN ('map', 'exclude', 'note')),
    status    TEXT NOT NULL CHECK (status IN ('applied', 'stale')),
    source    TEXT,
    reported  TEXT,                          -- the input as the source gave it
    hgnc_id   TEXT,                          -- the gene it affects (none for an unresolved name)
    rows      INTEGER NOT NULL,
    change    TEXT NOT NULL,                 -- what it changed, or why it is stale
    reason    TEXT NOT NULL,
    curator   TEXT NOT NULL,
    date      TEXT NOT NULL
);
CREATE INDEX curation_log_by_gene ON curation_log (hgnc_id);
-- The curation file the last normalization applied (one row).
CREATE TABLE curation_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    run_id      INTEGER REFERENCES runs(id),
    file        TEXT,
    sha256      TEXT,
    applied_at  TEXT NOT NULL
);
-- The map and exclude decisions behind each released gene, so the change log can say when a
-- decision moved a gene's tier or classic count.
ALTER TABLE release_genes ADD COLUMN decisions TEXT NOT NULL DEFAULT '[]';
