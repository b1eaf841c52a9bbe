#!/usr/bin/env bash
# HTTP load test (issue 14's bar: 0 errors, p99 under 500 ms): wrk with 64
# connections for 60 s against `echotrace serve --allow-ingest` on loopback,
# mixing searches, article pages, traces and ingests over the real corpus.
#
# Usage: bench/http_load.sh [BUILD_DIR] [CORPUS_DIR]
#   BUILD_DIR   default: build               (must hold echotrace)
#   CORPUS_DIR  default: ../shared/corpus
# Env: DURATION (seconds, default 60), CONNECTIONS (default 64), THREADS (wrk
#      threads, default 2), SERVER_THREADS (default 64: a worker per
#      connection), PORT (default 18094), DATA (reuse an ingested data dir:
#      it is copied, since the test ingests into it), INGEST_EVERY (seconds
#      between two ingests, default 15; the server's one writer
#      (src/server/writer.h) queues concurrent ingests, so a slow one makes
#      the next wait, not fail).
#
# The mix, per request of a wrk connection (fixed seed per wrk thread):
#   70% GET /api/search      1,000 queries from the corpus titles (one word,
#                            two words, a two-word phrase), the UI's defaults
#   20% GET /api/article/ID  500 article ids found by those searches
#   10% POST /api/trace      a sentence of an article, as the UI's trace box
#                            sends it (JSON)
#   and every INGEST_EVERY seconds, from one wrk thread, POST /api/ingest of a
#   new short article (JSON), as the UI's paste box sends it.
# Every non-2xx answer, socket error and timeout is an error. Prints the wrk
# summary and one JSON line with the figures, per kind and overall.
# Needs wrk (scripts/install-deps.sh installs it) and python3. Exit 0 with a
# message when the corpus is missing.
set -euo pipefail
caller_dir="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
abs() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$caller_dir/$1" ;; esac; }
build_dir="$(abs "${1:-$repo_root/build}")"
corpus_dir="$(abs "${2:-$repo_root/../shared/corpus}")"
duration="${DURATION:-60}"
connections="${CONNECTIONS:-64}"
wrk_threads="${THREADS:-2}"
server_threads="${SERVER_THREADS:-64}"
port="${PORT:-18094}"
ingest_every="${INGEST_EVERY:-15}"
cd "$repo_root"

if [[ ! -d "$corpus_dir" ]]; then
  echo "http_load: corpus '$corpus_dir' not found; nothing to load-test (skipped)."
  exit 0
fi
corpus_dir="$(cd "$corpus_dir" && pwd)"
command -v wrk > /dev/null || { echo "http_load: wrk not found (bash scripts/install-deps.sh, or apt-get install wrk)" >&2; exit 1; }
command -v python3 > /dev/null || { echo "http_load: python3 not found" >&2; exit 1; }
[[ -x "$build_dir/echotrace" ]] || { echo "http_load: $build_dir/echotrace not built" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/echotrace-http-load.XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2> /dev/null && wait "$server_pid" 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

data="$tmp/data"
if [[ -n "${DATA:-}" ]]; then
  cp -a "$DATA" "$data"
else
  echo "http_load: ingesting $corpus_dir ..."
  "$build_dir/echotrace" ingest "$corpus_dir" --data "$data" --json > "$tmp/ingest.json" 2> "$tmp/ingest.err" || true
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("http_load: ingested", {k: r.get(k) for k in ("records","added","skipped","seconds")})' "$tmp/ingest.json"
fi

"$build_dir/echotrace" serve --data "$data" --port "$port" --threads "$server_threads" --allow-ingest \
  > "$tmp/serve.out" 2> "$tmp/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do grep -q "serving" "$tmp/serve.out" 2> /dev/null && break; sleep 0.1; done
grep -q "serving" "$tmp/serve.out" || { echo "http_load: server did not start:" >&2; cat "$tmp/serve.err" >&2; exit 1; }
url="http://127.0.0.1:$port"

# The request lists: queries from the corpus titles, article ids and trace
# sentences from the answers to those queries (fixed seed).
python3 - "$corpus_dir" "$url" "$tmp" << 'PY'
import glob, json, os, random, re, sys, urllib.parse, urllib.request
corpus, url, out = sys.argv[1], sys.argv[2], sys.argv[3]
rng = random.Random(20240601)
words, pairs = [], []
for path in sorted(glob.glob(os.path.join(corpus, "*.jsonl"))):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                title = json.loads(line).get("title") or ""
            except ValueError:
                continue
            toks = [t for t in re.findall(r"[a-z]+", title.lower()) if len(t) >= 5]
            words += toks
            pairs += [a + " " + b for a, b in zip(toks, toks[1:])]
queries = []
for q in range(1000):
    kind = q % 3
    if kind == 0: queries.append(rng.choice(words))
    elif kind == 1: queries.append(rng.choice(words) + " " + rng.choice(words))
    else: queries.append('"' + rng.choice(pairs) + '"')
ids, sentences = [], []
for q in queries[:300]:
    with urllib.request.urlopen(url + "/api/search?limit=20&q=" + urllib.parse.quote(q)) as r:
        hits = json.load(r).get("hits", [])
    for h in hits:
        if h.get("id") and len(ids) < 500 and h["id"] not in ids: ids.append(h["id"])
for article in ids[:200]:
    with urllib.request.urlopen(url + "/api/article/" + article) as r:
        body = json.load(r).get("body") or ""
    for s in re.split(r"(?<=[.!?])\s+", body if isinstance(body, str) else " ".join(body)):
        if 60 <= len(s) <= 300: sentences.append(s); break
def lua_list(name, items):
    return name + " = {\n" + "".join("  %s,\n" % json.dumps(i) for i in items) + "}\n"
with open(os.path.join(out, "lists.lua"), "w") as f:
    f.write(lua_list("search_paths", ["/api/search?limit=20&q=" + urllib.parse.quote(q) for q in queries]))
    f.write(lua_list("article_paths", ["/api/article/" + i for i in ids]))
    f.write(lua_list("trace_bodies", [json.dumps({"text": s, "limit": 20}) for s in sentences]))
print("http_load: %d queries, %d articles, %d trace sentences" % (len(queries), len(ids), len(sentences)))
PY

cat > "$tmp/mix.lua" << LUA
dofile("$tmp/lists.lua")
local ingest_every = $ingest_every
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
end
local last_ingest, ingests = os.time(), 0
init = function(args)
  math.randomseed(1000 + id)
end
local json_headers = {["Content-Type"] = "application/json"}
request = function()
  -- Thread 1 ingests now and then; os.time() has 1 s steps, so the interval
  -- is at least ingest_every - 1 seconds.
  if id == 1 and os.time() - last_ingest >= ingest_every then
    last_ingest = os.time()
    ingests = ingests + 1
    local text = string.format("Load Test Note %d-%d\\\\n\\\\nA short note written by the load test at second %d, number %d, about the harvest and the rains.", id, ingests, os.time(), ingests)
    return wrk.format("POST", "/api/ingest", json_headers, '{"text": "' .. text .. '", "name": "note.txt"}')
  end
  local r = math.random(100)
  if r <= 70 then
    return wrk.format("GET", search_paths[math.random(#search_paths)])
  elseif r <= 90 and #article_paths > 0 then
    return wrk.format("GET", article_paths[math.random(#article_paths)])
  else
    return wrk.format("POST", "/api/trace", json_headers, trace_bodies[math.random(#trace_bodies)])
  end
end
-- Each answer that is not 2xx is printed (few: the bar is none).
response = function(status, headers, body)
  if status >= 300 then io.write(string.format("http_load: HTTP %d: %s\n", status, string.sub(body, 1, 200))) end
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"connections": %d, "requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "errors": %d, "non_2xx": %d, "timeouts": %d, "connect_errors": %d, "read_errors": %d}\n',
    $connections, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors, summary.errors.status, summary.errors.timeout, summary.errors.connect, summary.errors.read))
end
LUA

articles_before="$(curl -sf "$url/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')"
echo "http_load: $connections connections, ${duration} s, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --timeout 30s --latency -s "$tmp/mix.lua" "$url" | tee "$tmp/wrk.out"
echo "http_load: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
articles_after="$(curl -sf "$url/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')"
echo "http_load: articles $articles_before -> $articles_after (ingested during the run: $((articles_after - articles_before)))"
# The per-kind figures from the server's side are not available from wrk;
# a per-kind p99 comes from one short wrk run per kind (same lists).
for kind in search article trace; do
  cat > "$tmp/$kind.lua" << LUA
dofile("$tmp/lists.lua")
local json_headers = {["Content-Type"] = "application/json"}
request = function()
  if "$kind" == "search" then return wrk.format("GET", search_paths[math.random(#search_paths)]) end
  if "$kind" == "article" then return wrk.format("GET", article_paths[math.random(#article_paths)]) end
  return wrk.format("POST", "/api/trace", json_headers, trace_bodies[math.random(#trace_bodies)])
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"kind": "$kind", "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
LUA
  if [[ "${PER_KIND:-1}" == 1 ]]; then
    wrk -t"$wrk_threads" -c"$connections" -d10s --timeout 10s -s "$tmp/$kind.lua" "$url" | tail -n 1
  fi
done
