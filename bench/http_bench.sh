#!/usr/bin/env bash
# HTTP benchmark: wrk against GET /api/search of `echotrace serve` over the
# real corpus: requests/s and p50/p99 latency at 1, 8 and 64 connections.
#
# Usage: bench/http_bench.sh [BUILD_DIR] [CORPUS_DIR]
#   BUILD_DIR   default: build               (must hold echotrace)
#   CORPUS_DIR  default: ../shared/corpus
# Env: DURATION (seconds per run, default 10), SERVER_THREADS (default 64, so
#      every connection has a worker), PORT (default 18093), DATA (reuse an
#      ingested data dir instead of ingesting into a temp dir).
#
# What it does: ingests CORPUS_DIR into a temp data dir, starts
# `echotrace serve` on 127.0.0.1, builds 1,000 queries from the corpus titles
# (one word, two words, a two-word phrase, in turn; fixed seed), then runs wrk
# (2 threads, or 1 for 1 connection) cycling through them with the UI's
# defaults (limit=20, facets on), and again with facets=0 (attribution: the
# facet counts visit every match). The baseline in the same run is GET
# /index.html (a static file: the server's HTTP floor), so the table also
# gives search cost as a ratio to it. Prints a Markdown table.
# Needs wrk (scripts/install-deps.sh installs it). Exit 0 with a message when
# the corpus is missing.
set -euo pipefail
caller_dir="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
abs() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$caller_dir/$1" ;; esac; }
build_dir="$(abs "${1:-$repo_root/build}")"
corpus_dir="$(abs "${2:-$repo_root/../shared/corpus}")"
duration="${DURATION:-10}"
port="${PORT:-18093}"
threads="${SERVER_THREADS:-64}"
cd "$repo_root"

if [[ ! -d "$corpus_dir" ]]; then
  echo "http_bench: corpus '$corpus_dir' not found; nothing to benchmark (skipped)."
  exit 0
fi
corpus_dir="$(cd "$corpus_dir" && pwd)"  # no "/../" in it: the dotfile filter below would drop everything
command -v wrk > /dev/null || { echo "http_bench: wrk not found (apt-get install wrk)" >&2; exit 1; }
[[ -x "$build_dir/echotrace" ]] || { echo "http_bench: $build_dir/echotrace not built" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/echotrace-http-bench.XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2> /dev/null || true
  [[ -n "${KEEP_SCRIPT:-}" ]] && cp "$tmp/cycle.lua" "$tmp/paths.txt" "$KEEP_SCRIPT"/ 2> /dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

data="${DATA:-$tmp/data}"
if [[ -z "${DATA:-}" ]]; then
  echo "http_bench: ingesting $corpus_dir ..."
  "$build_dir/echotrace" ingest "$corpus_dir" --data "$data" --json > "$tmp/ingest.json" 2> "$tmp/ingest.err" || true
  cat "$tmp/ingest.json"
fi

# 1,000 queries from the corpus titles (as bench/corpus_bench.sh builds them), URL-encoded.
find "$corpus_dir" -type f -name '*.jsonl' ! -path '*/.*' | LC_ALL=C sort | xargs cat | LC_ALL=C awk -v want=1000 '
  function title_of(line,    t) {
    if (!match(line, /"title": *"([^"\\]|\\.)*"/)) return ""
    t = substr(line, RSTART, RLENGTH); sub(/^"title": *"/, "", t); sub(/"$/, "", t)
    gsub(/\\u[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]/, " ", t); gsub(/\\./, " ", t)
    return tolower(t)
  }
  function word_of(tok) { gsub(/^[^a-z]+|[^a-z]+$/, "", tok); return (length(tok) >= 5 && tok ~ /^[a-z]+$/) ? tok : "" }
  { n = split(title_of($0), toks, /[ \t]+/); prev = ""
    for (i = 1; i <= n; i++) { w = word_of(toks[i]); if (w != "") { words[++nw] = w; if (prev != "") pairs[++np] = prev "+" w }; prev = w } }
  function next_rand() { seed = (seed * 16807) % 2147483647; return seed }
  END {
    seed = 20240601
    for (q = 0; q < want; q++) {
      kind = q % 3
      if (kind == 0) print words[next_rand() % nw + 1]
      else if (kind == 1) print words[next_rand() % nw + 1] "+" words[next_rand() % nw + 1]
      else print "%22" pairs[next_rand() % np + 1] "%22"
    }
  }' | sed 's|^|/api/search?limit=20\&q=|' > "$tmp/paths.txt"
sed 's/$/\&facets=0/' "$tmp/paths.txt" > "$tmp/nofacets.txt"
echo "/index.html" > "$tmp/static.txt"
echo "http_bench: $(grep -c '' "$tmp/paths.txt") queries, e.g. $(head -3 "$tmp/paths.txt" | paste -sd ' ' -)"

cat > "$tmp/cycle.lua" << 'LUA'
-- Cycles through the request paths in PATHS; prints one JSON line when done.
local paths, i = {}, 0
init = function(args)
  for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
  i = math.random(#paths)
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "errors": %d, "non_2xx": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors,
    summary.errors.status, summary.errors.timeout))
end
LUA

"$build_dir/echotrace" serve --data "$data" --port "$port" --threads "$threads" > "$tmp/serve.out" 2> "$tmp/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "serving" "$tmp/serve.out" 2> /dev/null && break; sleep 0.1; done
grep -q "serving" "$tmp/serve.out" || { echo "http_bench: server did not start:" >&2; cat "$tmp/serve.err" >&2; exit 1; }
url="http://127.0.0.1:$port"
curl -sf "$url/api/stats" | head -c 200; echo

run() {  # run NAME PATHS CONNECTIONS
  local wrk_threads=$(( $3 < 2 ? 1 : 2 ))
  PATHS="$2" wrk -t"$wrk_threads" -c"$3" -d"${duration}s" -s "$tmp/cycle.lua" "$url" | tail -n 1
}
declare -A result
for c in 1 8 64; do
  # warm-up (page cache, engine pool), then the measured runs
  PATHS="$tmp/paths.txt" wrk -t1 -c"$c" -d2s -s "$tmp/cycle.lua" "$url" > /dev/null
  result["search_$c"]="$(run search "$tmp/paths.txt" "$c")"
  result["nofacets_$c"]="$(run nofacets "$tmp/nofacets.txt" "$c")"
  result["static_$c"]="$(run static "$tmp/static.txt" "$c")"
  echo "connections $c: search ${result["search_$c"]}"
  echo "connections $c: search, facets=0 ${result["nofacets_$c"]}"
  echo "connections $c: static ${result["static_$c"]}"
done

field() { sed -n "s/.*\"$2\": *\\([-0-9.]*\\).*/\\1/p" <<< "$1"; }
echo
echo "| connections | search req/s | p50 ms | p99 ms | errors | facets=0 req/s | p50 ms | p99 ms | static /index.html req/s (baseline) | p99 ms | search / static throughput |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in 1 8 64; do
  s="${result["search_$c"]}"; n="${result["nofacets_$c"]}"; b="${result["static_$c"]}"
  ratio=$(awk -v a="$(field "$s" rps)" -v b="$(field "$b" rps)" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  echo "| $c | $(field "$s" rps) | $(field "$s" p50_ms) | $(field "$s" p99_ms) | $(field "$s" errors) | $(field "$n" rps) | $(field "$n" p50_ms) | $(field "$n" p99_ms) | $(field "$b" rps) | $(field "$b" p99_ms) | $ratio |"
done
