#!/usr/bin/env python3
"""Checks of a site built on the mirror that need the analysts' own tools (issue 15).

Usage: target/venv/bin/python tests/python/check_site.py SITE
(the environment: scripts/python_env.sh; SITE: scripts/browser_site.sh target/browser-site).

1. Parquet read-back: genes/evidence/annotations.parquet read with polars hold exactly the
   rows of the matching CSV, typed (lists as list[str] columns, numbers, integers, booleans).
2. `frictionless validate downloads/datapackage.json` passes (every resource, its types,
   primary and foreign keys, bytes and hashes).
3. Every published JSON file (api/genes.json, api/sources.json, api/release.json, every
   genes/HGNC_<n>.json, downloads/genes.json) validates against its schema in api/schema/
   and carries the schema_version.
4. The citation: api/release.json's manifest checksum is manifest.json's, the release's
   .zenodo.json and CITATION.cff name the release, and the manifest lists every file's
   SHA-256.
Exits 1 with every failure listed.
"""

import csv
import glob
import hashlib
import json
import os
import subprocess
import sys

import jsonschema
import polars as pl

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def typed(kind, cell):
    """A CSV cell as the data package's field type says."""
    if kind == "list":
        return cell.split("|") if cell else []
    if cell == "":
        return None
    if kind == "number":
        return float(cell)
    if kind == "integer":
        return int(cell)
    if kind == "boolean":
        return {"true": True, "false": False}[cell]
    return cell


def check_parquet(site, package):
    down = os.path.join(site, "downloads")
    by_name = {r["name"]: r for r in package["resources"]}
    for table in ("genes", "evidence", "annotations"):
        csv_res = by_name.get(table)
        pq_res = by_name.get(f"{table}-parquet")
        if not csv_res or not pq_res:
            fail(f"datapackage.json lacks {table} or {table}-parquet")
            continue
        kinds = {f["name"]: f["type"] for f in csv_res["schema"]["fields"]}
        df = pl.read_parquet(os.path.join(down, f"{table}.parquet"))
        with open(os.path.join(down, f"{table}.csv"), newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        if df.columns != header:
            fail(f"{table}.parquet columns {df.columns} != {table}.csv header {header}")
            continue
        if df.height != len(rows) or not rows:
            fail(f"{table}.parquet has {df.height} rows, {table}.csv {len(rows)}")
            continue
        expect_dtype = {
            "list": pl.List(pl.String),
            "number": pl.Float64,
            "integer": pl.Int64,
            "boolean": pl.Boolean,
            "string": pl.String,
        }
        for i, name in enumerate(header):
            kind = kinds[name]
            if df.schema[name] != expect_dtype[kind]:
                fail(f"{table}.parquet {name}: {df.schema[name]}, expected {expect_dtype[kind]}")
                continue
            got = df.get_column(name).to_list()
            want = [typed(kind, r[i]) for r in rows]
            if got != want:
                bad = next(j for j in range(len(want)) if got[j] != want[j])
                fail(f"{table}.parquet {name} row {bad + 1}: {got[bad]!r} != CSV {want[bad]!r}")
        print(f"ok: {table}.parquet = {table}.csv ({df.height} rows, {len(header)} typed columns)")
    # A list column really is one: PKD1's aliases.
    genes = pl.read_parquet(os.path.join(down, "genes.parquet"))
    pkd1 = genes.filter(pl.col("symbol") == "PKD1")
    if pkd1.height != 1 or "PBP" not in pkd1.get_column("alias_symbols").to_list()[0]:
        fail("genes.parquet: PKD1's alias_symbols list lacks PBP")


def check_frictionless(site):
    exe = os.path.join(os.path.dirname(sys.executable), "frictionless")
    p = subprocess.run(
        [exe, "validate", "--json", "datapackage.json"],
        cwd=os.path.join(site, "downloads"),
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(p.stdout)
    except json.JSONDecodeError:
        fail(f"frictionless validate printed no JSON report (exit {p.returncode}): {p.stderr[-2000:]}")
        return
    if p.returncode != 0 or not report.get("valid"):
        errors = []
        for e in report.get("errors", []):
            errors.append(e.get("message"))
        for t in report.get("tasks", []):
            for e in t.get("errors", [])[:5]:
                errors.append(f"{t.get('name')}: {e.get('message')}")
        fail(f"frictionless validate: exit {p.returncode}: " + "; ".join(map(str, errors[:20])))
        return
    tasks = report.get("tasks", [])
    print(f"ok: frictionless validate datapackage.json ({len(tasks)} resources valid)")


def check_schemas(site):
    schema_dir = os.path.join(site, "api", "schema")

    def validator(name):
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        return jsonschema.Draft202012Validator(schema)

    with open(os.path.join(site, "api", "release.json"), encoding="utf-8") as f:
        version = json.load(f).get("schema_version")
    if not version:
        fail("api/release.json has no schema_version")
    targets = [
        ("genes.schema.json", ["api/genes.json"]),
        ("sources.schema.json", ["api/sources.json"]),
        ("release.schema.json", ["api/release.json"]),
        ("downloads-genes.schema.json", ["downloads/genes.json"]),
        ("gene.schema.json", sorted(
            os.path.relpath(p, site) for p in glob.glob(os.path.join(site, "genes", "HGNC_*.json"))
        )),
    ]
    total = 0
    for schema_name, files in targets:
        v = validator(schema_name)
        if not files:
            fail(f"no file for {schema_name}")
        for rel in files:
            with open(os.path.join(site, rel), encoding="utf-8") as f:
                doc = json.load(f)
            errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
            if errors:
                e = errors[0]
                fail(f"{rel} against {schema_name}: {len(errors)} errors, first at "
                     f"{'/'.join(map(str, e.path))}: {e.message[:300]}")
            if doc.get("schema_version") != version:
                fail(f"{rel}: schema_version {doc.get('schema_version')!r} != {version!r}")
            total += 1
    # The schemas are strict enough to catch a wrong type.
    v = validator("genes.schema.json")
    with open(os.path.join(site, "api", "genes.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc["genes"][0]["percentage"] = "high"
    if v.is_valid(doc):
        fail("genes.schema.json accepts a text percentage")
    print(f"ok: {total} JSON files valid against their schemas (schema_version {version})")


def check_citation(site):
    down = os.path.join(site, "downloads")
    with open(os.path.join(site, "api", "release.json"), encoding="utf-8") as f:
        release = json.load(f)
    cite = release.get("cite", {})
    manifest_sha = sha256(os.path.join(down, "manifest.json"))
    if cite.get("manifest_sha256") != manifest_sha:
        fail(f"release.json cite.manifest_sha256 {cite.get('manifest_sha256')} != {manifest_sha}")
    if cite.get("version") != release["release"] or release["release"] not in release.get("citation", ""):
        fail("release.json: the citation does not name the release")
    rel_dir = os.path.join(site, "releases", release["release"])
    with open(os.path.join(rel_dir, ".zenodo.json"), encoding="utf-8") as f:
        zenodo = json.load(f)
    if zenodo.get("version") != release["release"] or manifest_sha not in zenodo.get("notes", ""):
        fail(".zenodo.json does not name the release and the manifest checksum")
    with open(os.path.join(rel_dir, "CITATION.cff"), encoding="utf-8") as f:
        cff = f.read()
    if f'version: "{release["release"]}"' not in cff:
        fail("CITATION.cff of the release lacks its version")
    with open(os.path.join(down, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    listed = {m["name"]: m["sha256"] for m in manifest.get("files", [])}
    for name in ("genes.parquet", "evidence.parquet", "annotations.parquet", "genes.csv", "datapackage.json"):
        if listed.get(name) != sha256(os.path.join(down, name)):
            fail(f"manifest.json: {name} missing or its sha256 differs")
    print(f"ok: citation of release {release['release']} pinned by manifest.json {manifest_sha[:12]}…")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    site = sys.argv[1]
    with open(os.path.join(site, "downloads", "datapackage.json"), encoding="utf-8") as f:
        package = json.load(f)
    check_parquet(site, package)
    check_frictionless(site)
    check_schemas(site)
    check_citation(site)
    if FAILURES:
        print(f"{len(FAILURES)} failures", file=sys.stderr)
        return 1
    print("all site checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
