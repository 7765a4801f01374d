#!/usr/bin/env python3
"""Compare two built kgdb site trees and list every difference: compare_site.py OLD NEW

Used around refactors ("nothing a user sees changes by accident"): build the site from the
mirror before and after (scripts/build_mirror_site.sh BIN OUTDIR), then
    scripts/compare_site.py BEFORE/site AFTER/site        (just compare-site BEFORE AFTER)
Exit 0 when no difference remains after masking, 1 when some do, 2 on a usage error.
Python 3.11 standard library only.

MASKING RULES -- applied to both trees identically (each tree with its own values, read from
its api/release.json, .kgdb-site marker and releases/ folder) before comparing. Nothing
else is ignored.
  1. Release name: every release name of the tree (e.g. 2026.12.01, 2026.12.01-2), as a
     whole token, in contents and in file paths (releases/2026.12.01/...) -> <RELEASE>.
  2. Timestamps: RFC 3339 date-times (with Z or +hh:mm) lying within WINDOW (3) days of
     the tree's build_time -> <TIME> (build time, retrieval times, last success, data.js
     "built"). Upstream timestamps (older data) are compared.
  3. Date-only: YYYY-MM-DD tokens lying within WINDOW days of the tree's build date ->
     <DATE>. In today's site that is only the "Retrieved" column (date of the last
     success) of the summary table of sources.html; an upstream version that happens to
     be such a date would be masked too.
  4. kgdb version: the value of every "kgdb_version" JSON key, "kgdb <version>" in text
     (footers, citation, .kgdb-site marker) -> <KGDB_VERSION>.
  5. Checksums and sizes of this tree's own files (they change only because of 1-4; the
     files themselves are compared): a 64-hex string equal to the SHA-256 of a file of the
     tree -> <sha256 of PATH> (so SHA256SUMS lines, api/release.json "sha256",
     downloads pages); a JSON object with "path" naming a file of the tree: its "bytes" and
     "size" when equal to that file's real size -> <SIZE>; an HTML line linking (href) a
     file of the tree: that file's human size ("19.0 MB", "552 B") -> <SIZE>. A checksum
     or size that does NOT match its file stays unmasked, so it shows up as a difference.
  (Upstream sha256/bytes in manifest.json describe downloaded files: not masked.)

Comparison: files only in one tree; *.json parsed (key order ignored, types compared) with
the differing JSON paths and both values; *.gz decompressed then as the inner name; other
text (HTML, CSV, TSV, JS, CSS, SVG, SHA256SUMS ...) line by line; other files byte by byte.
Per file at most --max-lines differences are printed, with the total count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

TEXT_EXT = {".html", ".htm", ".csv", ".tsv", ".txt", ".js", ".css", ".svg", ".xml", ".md", ""}
HEX64 = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])")
RFC3339 = re.compile(
    r"(?<![0-9])(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)
DATE = re.compile(r"(?<![0-9-])(\d{4})-(\d{2})-(\d{2})(?![0-9]|[Tt]\d)")
HREF = re.compile(r"""href=["']([^"'#?]+)""")


def human_size(b: int) -> str:
    """The site's size format (src/site/downloads.rs human_size)."""
    if b < 1024:
        return f"{b} B"
    if b < 1024 * 1024:
        return f"{b / 1024:.1f} KB"
    return f"{b / 1024 / 1024:.1f} MB"


class Tree:
    """One site tree: its files and the values masked in it."""

    def __init__(self, root: Path, window_days: float):
        self.root = root
        self.files: dict[str, Path] = {}
        for dirpath, _dirs, names in os.walk(root):
            for n in names:
                p = Path(dirpath) / n
                self.files[p.relative_to(root).as_posix()] = p
        release_json = self._json("api/release.json") or {}
        manifest = self._json("downloads/manifest.json") or {}
        marker = self._text(".kgdb-site") or ""
        m = re.match(r"kgdb (\S+) release (\S+)", marker)
        releases = set()
        for src in (release_json, manifest):
            if isinstance(src.get("release"), str):
                releases.add(src["release"])
        if m:
            releases.add(m.group(2))
        releases |= {rel.split("/")[1] for rel in self.files if rel.startswith("releases/")}
        self.releases = sorted(releases, key=len, reverse=True)
        self.version = release_json.get("kgdb_version") or manifest.get("kgdb_version") or (
            m.group(1) if m else None
        )
        built = release_json.get("build_time") or manifest.get("build_time")
        if not built:
            raise SystemExit(f"compare_site: {root}: no build_time in api/release.json or downloads/manifest.json")
        self.build_time = parse_time(built)
        self.window = dt.timedelta(days=window_days)
        self.release_re = (
            re.compile(
                r"(?<![0-9A-Za-z.])(?:" + "|".join(re.escape(r) for r in self.releases) + r")(?![0-9A-Za-z]|[.-][0-9])"
            )
            if self.releases
            else None
        )
        self.version_re = (
            re.compile(r"(\bkgdb v?|\"kgdb_version\"\s*:\s*\")" + re.escape(self.version) + r"(?![0-9A-Za-z.+-])")
            if self.version
            else None
        )
        # Rule 5: checksums and sizes of the tree's own files.
        by_hash: dict[str, list[str]] = {}
        self.sizes: dict[str, int] = {}
        for rel, p in self.files.items():
            data = p.read_bytes()
            self.sizes[rel] = len(data)
            by_hash.setdefault(hashlib.sha256(data).hexdigest(), []).append(self.mask_path(rel))
        self.hash_token = {h: "<sha256 of " + ",".join(sorted(ps)) + ">" for h, ps in by_hash.items()}

    def _json(self, rel):
        p = self.files.get(rel)
        if p is None:
            return None
        try:
            v = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        return v if isinstance(v, dict) else None

    def _text(self, rel):
        p = self.files.get(rel)
        return p.read_text(encoding="utf-8", errors="replace") if p else None

    def mask_path(self, rel: str) -> str:
        return self.release_re.sub("<RELEASE>", rel) if self.release_re else rel

    def near_build(self, t: dt.datetime) -> bool:
        return abs(t - self.build_time) <= self.window

    def mask(self, s: str) -> str:
        """Rules 1-4 and the checksum part of rule 5 on a piece of text."""
        if self.version_re:
            s = self.version_re.sub(lambda m: m.group(1) + "<KGDB_VERSION>", s)
        if self.release_re:
            s = self.release_re.sub("<RELEASE>", s)

        def ts(m):
            try:
                t = parse_time(m.group(0))
            except ValueError:
                return m.group(0)
            return "<TIME>" if self.near_build(t) else m.group(0)

        s = RFC3339.sub(ts, s)

        def day(m):
            try:
                d = dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=dt.timezone.utc)
            except ValueError:
                return m.group(0)
            # Compare to the build date (a date has no time of day).
            b = self.build_time.date()
            return "<DATE>" if abs((d.date() - b).days) <= self.window.days else m.group(0)

        s = DATE.sub(day, s)
        s = HEX64.sub(lambda m: self.hash_token.get(m.group(0), m.group(0)), s)
        return s

    def resolve(self, base_rel: str, link: str) -> str | None:
        """A link or path (relative to the file's folder or to the site root) -> file of the tree."""
        if "://" in link or link.startswith(("mailto:", "data:")):
            return None
        link = link.lstrip("/")
        for cand in (os.path.normpath(os.path.join(os.path.dirname(base_rel), link)), os.path.normpath(link)):
            cand = cand.replace(os.sep, "/")
            if cand in self.files:
                return cand
        return None

    def mask_text(self, rel: str, text: str) -> list[str]:
        out = []
        for line in text.splitlines():
            if "href=" in line:
                for link in HREF.findall(line):
                    target = self.resolve(rel, link)
                    if target is not None:
                        hs = re.escape(human_size(self.sizes[target]))
                        line = re.sub(r"(?<=>)" + hs + r"(?=<)", "<SIZE>", line)
            out.append(self.mask(line))
        return out

    def mask_json(self, rel: str, v, key: str | None = None):
        if isinstance(v, dict):
            target = self.resolve(rel, v["path"]) if isinstance(v.get("path"), str) else None
            out = {}
            for k, x in v.items():
                if target is not None and k == "bytes" and x == self.sizes[target] and type(x) is int:
                    out[self.mask(k)] = "<SIZE>"
                elif target is not None and k == "size" and x == human_size(self.sizes[target]):
                    out[self.mask(k)] = "<SIZE>"
                else:
                    out[self.mask(k)] = self.mask_json(rel, x, k)
            return out
        if isinstance(v, list):
            return [self.mask_json(rel, x, key) for x in v]
        if isinstance(v, str):
            if key == "kgdb_version" and v == self.version:
                return "<KGDB_VERSION>"
            return self.mask(v)
        return v


def parse_time(s: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(s.replace("z", "Z").replace("t", "T"))
    if t.tzinfo is None:
        raise ValueError("no offset")
    return t


def load(tree: Tree, rel: str):
    """('json', value) | ('text', lines) | ('bytes', data) after masking."""
    data = tree.files[rel].read_bytes()
    name = rel
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            return ("bytes", b"<bad gzip: " + str(e).encode() + b">")
        name = name[:-3]
    ext = os.path.splitext(name)[1].lower()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ("bytes", data)
    if ext == ".json":
        try:
            return ("json", tree.mask_json(rel, json.loads(text)))
        except ValueError:
            pass  # not valid JSON: compared as text
    if ext in TEXT_EXT or ext == ".json" or name.endswith("SHA256SUMS") or name.endswith(".kgdb-site"):
        return ("text", tree.mask_text(rel, text))
    return ("text", tree.mask_text(rel, text)) if "\x00" not in text else ("bytes", data)


def short(v, limit=160) -> str:
    s = json.dumps(v, ensure_ascii=False, sort_keys=True)
    return s if len(s) <= limit else s[:limit] + f"... ({len(s)} chars)"


def json_diff(a, b, path="$"):
    """Yields (path, old, new) for every difference; '<absent>' for a missing key."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            p = f"{path}.{k}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) else f"{path}[{json.dumps(k)}]"
            if k not in a:
                yield p, "<absent>", b[k]
            elif k not in b:
                yield p, a[k], "<absent>"
            else:
                yield from json_diff(a[k], b[k], p)
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            if i >= len(a):
                yield f"{path}[{i}]", "<absent>", b[i]
            elif i >= len(b):
                yield f"{path}[{i}]", a[i], "<absent>"
            else:
                yield from json_diff(a[i], b[i], f"{path}[{i}]")
    elif type(a) is not type(b) or a != b:
        yield path, a, b


def around(x: str, y: str) -> tuple[str, str]:
    """Two long differing lines, cut to start shortly before their first difference."""
    n = 0
    while n < min(len(x), len(y)) and x[n] == y[n]:
        n += 1
    if n > 80:
        x, y = f"[col {n - 40}]..." + x[n - 40:], f"[col {n - 40}]..." + y[n - 40:]
    return x, y


def line_diff(a: list[str], b: list[str]):
    """Yields one tuple of printable lines per difference."""
    if len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b), 1):
            if x != y:
                x, y = around(x, y)
                yield f"  line {i}:", f"    - {x}", f"    + {y}"
        return
    sm = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        yield (f"  lines {i1 + 1}-{i2} (old) / {j1 + 1}-{j2} (new):",
               *[f"    - {x}" for x in a[i1:i2]], *[f"    + {y}" for y in b[j1:j2]])


def clip(s: str, limit=300) -> str:
    return s if len(s) <= limit else s[:limit] + f"... ({len(s)} chars)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--max-lines", type=int, default=10, help="differences printed per file (default 10)")
    ap.add_argument("--window-days", type=float, default=3, help="rules 2-3: days around build_time (default 3)")
    args = ap.parse_args()
    for d in (args.old, args.new):
        if not d.is_dir():
            print(f"compare_site: {d} is not a folder", file=sys.stderr)
            return 2
    old, new = Tree(args.old, args.window_days), Tree(args.new, args.window_days)
    print(f"old: {args.old}  release {old.releases}, kgdb {old.version}, built {old.build_time.isoformat()}")
    print(f"new: {args.new}  release {new.releases}, kgdb {new.version}, built {new.build_time.isoformat()}")

    def masked_paths(t: Tree):
        out: dict[str, str] = {}
        for rel in t.files:
            m = t.mask_path(rel)
            if m in out:
                print(f"note: {t.root}: {rel} and {out[m]} are the same path once masked; only one is compared")
            out.setdefault(m, rel)
        return out

    po, pn = masked_paths(old), masked_paths(new)
    names = sorted(set(po) | set(pn))
    differ = only_old = only_new = 0
    for name in names:
        if name not in pn:
            only_old += 1
            differ += 1
            print(f"ONLY IN OLD: {name}")
            continue
        if name not in po:
            only_new += 1
            differ += 1
            print(f"ONLY IN NEW: {name}")
            continue
        ko, vo = load(old, po[name])
        kn, vn = load(new, pn[name])
        items: list[tuple[str, ...]] = []
        if ko != kn:
            items.append((f"  kind: {ko} -> {kn}",))
        elif ko == "json":
            items = [(f"  {p}: {short(a)} -> {short(b)}",) for p, a, b in json_diff(vo, vn)]
        elif ko == "text":
            if vo != vn:
                items = list(line_diff(vo, vn))
        elif vo != vn:
            items.append((f"  binary: {len(vo)} -> {len(vn)} bytes, contents differ",))
        if not items:
            continue
        differ += 1
        unit = "JSON paths" if ko == kn == "json" else "differences"
        print(f"DIFFERS: {name} ({len(items)} {unit})")
        for item in items[: args.max_lines]:
            for line in item:
                print(clip(line))
        if len(items) > args.max_lines:
            print(f"  ... and {len(items) - args.max_lines} more")
    print(f"{len(names)} files compared, {differ} differ ({only_old} only in old, {only_new} only in new)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
