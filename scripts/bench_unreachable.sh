#!/usr/bin/env bash
# Failing well (issue 12 items 3 and 9), release build; figures go to docs/benchmarks.md:
# 1. an offline first run: no mirror, every upstream host made unresolvable (`.invalid`),
#    and a --mirror that does not answer (a closed port): wall time and exit code;
# 2. a gzip bomb: 10 MB of gzip that inflates to 10 GiB, served with Content-Encoding: gzip
#    to `kgdb fetch hgnc` under a decompressed cap of 256 MiB and of 1 GiB: wall time, peak
#    RSS (must stay under the cap + 100 MB) and the error.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
kgdb=$PWD/target/release/kgdb
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT

timed() { # label, kgdb args...
  local label=$1; shift
  local rc=0
  /usr/bin/time -f "%e %M" -o "$work/time" "$kgdb" "$@" > "$work/out" 2> "$work/err" || rc=$?
  read -r wall rss < <(tail -1 "$work/time")
  echo "$label: ${wall} s wall, $((rss / 1024)) MiB peak RSS, exit $rc"
}

# 1. Offline first run.
sed -E 's#https://([^/"'"'"' ]+)#https://\1.invalid#g' sources.yaml > "$work/invalid.yaml"
timed "offline first run, DNS fails (no mirror)" -c "$work/invalid.yaml" -d "$work/d1" run -o "$work/s1"
tail -1 "$work/out"
echo "  hosts reported: $(grep -c '^cannot reach' "$work/err")"
timed "offline first run, --mirror on a closed port" -c sources.yaml -d "$work/d2" --mirror http://127.0.0.1:1 run -o "$work/s2"
head -2 "$work/out" | tail -1

# 2. The gzip bomb: 100 identical gzip members of 100 MiB of zeros each.
python3 - "$work/bomb.gz" <<'PY'
import gzip, sys
member = gzip.compress(bytes(100 << 20), compresslevel=9, mtime=0)
with open(sys.argv[1], "wb") as f:
    for _ in range(100):
        f.write(member)
PY
echo "bomb: $(stat -c %s "$work/bomb.gz") bytes of gzip, inflating to $((100 * 100)) MiB"
python3 - "$work/bomb.gz" > "$work/server.out" <<'PY' &
import http.server, sys
body = open(sys.argv[1], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(f"http://127.0.0.1:{s.server_address[1]}", flush=True)
s.serve_forever()
PY
server_pid=$!
for _ in $(seq 50); do [ -s "$work/server.out" ] && break; sleep 0.1; done
url=$(head -1 "$work/server.out")
for cap in 268435456 1073741824; do
  sed "s/max_decompressed_bytes: 4294967296 # 4 GiB/max_decompressed_bytes: $cap/" sources.yaml > "$work/cap.yaml"
  grep -q "max_decompressed_bytes: $cap" "$work/cap.yaml"
  timed "gzip bomb, cap $((cap >> 20)) MiB" -q -c "$work/cap.yaml" -d "$work/d-$cap" --mirror "$url" fetch hgnc
  grep -o 'body inflates past[^(]*' "$work/err" | head -1
done
