#!/usr/bin/env python3
"""One source, one place: no registered source is named outside its own module.

Reads the registry (src/registry.rs: the `name: "..."` of every entry, evidence sources and
annotations alike) and looks for each name, as a whole word, in every file under src/ and
templates/. Allowed places:
  - the source's own module (src/sources/<module>.rs or src/sources/<module>/, likewise under
    src/annotations/), where <module> is the module its registry line points to;
  - its template partials (templates/sources/<name>.html, templates/annotations/<name>.html);
  - the registry itself;
  - tests: files named tests.rs, snapshot files, and `#[cfg(test)] mod tests` blocks;
  - comments (`//`, `//!`, `///`, `{# #}`): prose may name a source;
  - the `mod <name>;` line that declares the module.
`hgnc` is exempt: HGNC IDs key every gene in every layer (the `hgnc` table, `hgnc_id`), so the
word is the gene namespace, not a plug-in; its module is still the only place that fetches it.

Prints each offending line as file:line: name: text and exits 1 if there is any.
"""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
REGISTRY = os.path.join(ROOT, "src", "registry.rs")
EXEMPT = {"hgnc"}

entry = re.compile(r'name:\s*"([a-z_0-9]+)",\s*load:\s*((?:[a-z_0-9]+::)+)load')


def registry():
    """name -> module path parts, e.g. panelapp_uk -> ['sources', 'panelapp']."""
    text = open(REGISTRY, encoding="utf-8").read()
    out = {}
    for name, path in entry.findall(text):
        parts = [p for p in path.split("::") if p and p != "crate"]
        out[name] = parts
    if not out:
        sys.exit(f"{REGISTRY}: no registry entries found (pattern out of date?)")
    return out


def strip_rust(text):
    """Blank out comments and unit-test modules, keeping line numbers."""
    m = re.search(r"#\[cfg\(test\)\]\s*mod tests\s*\{", text)
    if m:
        cut = text[m.start():]
        text = text[: m.start()] + re.sub(r"[^\n]", " ", cut)
    return re.sub(r"//[^\n]*", "", text)


def strip_template(text):
    return re.sub(r"\{#.*?#\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def allowed(rel, name, module):
    if rel == "src/registry.rs":
        return True
    if rel.endswith("tests.rs") or "/snapshots/" in rel or "/tests/" in rel:
        return True
    base = "src/" + "/".join(module)
    if rel == base + ".rs" or rel.startswith(base + "/") or rel == base + "/mod.rs":
        return True
    if rel in (f"templates/sources/{name}.html", f"templates/annotations/{name}.html"):
        return True
    # A module's own partial may be named after the module (two instances, one partial).
    mod = module[-1]
    if rel in (f"templates/sources/{mod}.html", f"templates/annotations/{mod}.html"):
        return True
    return False


def main():
    reg = registry()
    # Every name a module answers to: its registry names and its module name.
    names = {}
    for name, module in reg.items():
        if name in EXEMPT:
            continue
        names.setdefault(name, module)
        names.setdefault(module[-1], module)
    bad = 0
    for top in ("src", "templates"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, top)):
            for f in sorted(files):
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, ROOT).replace(os.sep, "/")
                try:
                    raw = open(path, encoding="utf-8").read()
                except UnicodeDecodeError:
                    continue
                if f.endswith(".rs"):
                    text = strip_rust(raw)
                elif f.endswith((".html", ".js", ".css", ".sql")):
                    text = strip_template(raw)
                else:
                    continue
                lines = text.split("\n")
                raw_lines = raw.split("\n")
                for name, module in names.items():
                    if allowed(rel, name, module):
                        continue
                    pat = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])")
                    for i, line in enumerate(lines):
                        # The `mod` line that makes the module exist names it, of course.
                        if re.match(r"\s*(pub )?mod " + re.escape(name) + r";", line):
                            continue
                        if pat.search(line):
                            bad += 1
                            print(f"{rel}:{i + 1}: {name}: {raw_lines[i].strip()[:120]}")
    if bad:
        print(f"{bad} place(s) name a source outside its module (see docs/adding-a-source.md)")
        return 1
    print(f"source names: {len(names)} names, each only in its own module, partial and the registry")
    return 0


if __name__ == "__main__":
    sys.exit(main())
