#!/usr/bin/env python3
"""Serve a built kgdb site locally, gzip-compressed like a production static host.

Usage: python3 scripts/serve_site.py [SITE_DIR] [--port N]   (default: site/, port 8000;
port 0 picks a free one). Prints `serving http://127.0.0.1:PORT/` first. Standard library only.
"""
import argparse
import gzip
import http.server
import os
import sys

COMPRESSIBLE = (".html", ".js", ".css", ".json", ".csv", ".tsv", ".svg", ".txt", "SHA256SUMS")


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Cache-Control", "public, max-age=600")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and os.path.isfile(path) and path.endswith(COMPRESSIBLE)):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site", nargs="?", default="site")
    ap.add_argument("--port", type=int, default=8000)
    a = ap.parse_args()
    handler = lambda *args, **kw: Handler(*args, directory=a.site, **kw)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), handler)
    print(f"serving http://127.0.0.1:{srv.server_address[1]}/", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
