#!/usr/bin/env bash
# Create or update the Python environment the site checks use: target/venv with the pinned
# packages of tests/python/requirements.txt (frictionless, jsonschema, polars), from PyPI.
# Idempotent: a stamp holding the requirements' checksum skips the install when nothing
# changed. Prints the interpreter's path. Used by .ci/run and `just check-site`.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/venv
req=tests/python/requirements.txt
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  echo "$want" > "$venv/.stamp"
fi
echo "$venv/bin/python"
