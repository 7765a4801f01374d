-- Migration 5: a failed source's error in the form the public site shows (upstream URL and
-- a short reason; no mirror address, local path or response body). `error` keeps the full
-- text for the terminal and `kgdb status`.
ALTER TABLE source_runs ADD COLUMN public_error TEXT
