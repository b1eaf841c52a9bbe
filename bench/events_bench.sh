#!/usr/bin/env bash
# Events page latency: GET /api/events (the UI's first page: limit=50,
# newest first) and a date-filtered page, against `echotrace serve` over an
# ingested data directory, with GET /api/stats (cached counts: the server's
# JSON floor) as the baseline in the same run. The first request is timed
# apart: it loads the linking snapshot the later ones share.
#
# Usage: DATA=DIR bench/events_bench.sh [BUILD_DIR]
#   DATA       an ingested data directory (required; e.g. the one corpus_bench.sh keeps)
#   BUILD_DIR  default: build
# Env: RUNS (requests per endpoint, default 50), PORT (default 18094).
# Prints a Markdown table: cold, p50 and p99 in milliseconds.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$repo_root/build}"
runs="${RUNS:-50}"
port="${PORT:-18094}"
[[ -n "${DATA:-}" && -d "$DATA" ]] || { echo "events_bench: set DATA to an ingested data directory" >&2; exit 1; }
command -v curl > /dev/null || { echo "events_bench: curl not found" >&2; exit 1; }
"$build_dir/echotrace" serve --data "$DATA" --bind 127.0.0.1 --port "$port" > /dev/null 2>&1 &
server=$!
trap 'kill $server 2> /dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/stats" > /dev/null && break; sleep 0.1; done

# Prints "cold p50 p99" (ms) for one URL.
measure() {
  local url="http://127.0.0.1:$port$1" cold times
  cold=$(curl -s -o /dev/null -w '%{time_total}' "$url")
  times=$(for _ in $(seq "$runs"); do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n)
  python3 - "$cold" "$times" << 'PY'
import sys
cold = float(sys.argv[1]) * 1000
xs = [float(x) * 1000 for x in sys.argv[2].split()]
pick = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))]
print(f"{cold:.1f} {pick(0.5):.1f} {pick(0.99):.1f}")
PY
}

echo "| request | first (ms) | p50 (ms) | p99 (ms) |"
echo "|---|---|---|---|"
for path in "/api/stats" "/api/events?limit=50" "/api/events?from=2022-01-01&to=2022-12-31&limit=50"; do
  read -r cold p50 p99 <<< "$(measure "$path")"
  echo "| \`GET $path\` | $cold | $p50 | $p99 |"
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ)"
