#!/usr/bin/env bash
# Corpus benchmark: ingest throughput and search latency on a real corpus.
#
# Usage: bench/corpus_bench.sh [BUILD_DIR] [CORPUS_DIR]
#   BUILD_DIR   default: build             (must hold echotrace and bench/echotrace_search_latency)
#   CORPUS_DIR  default: ../shared/corpus
# Defaults are relative to the repository root; paths given as arguments are
# relative to the directory you call the script from. The script cd's to the
# repository root itself, so it can be run from anywhere.
#
# Build first:
#   cmake -S . -B build && make -C build -j2 echotrace echotrace_micro_bench echotrace_search_latency
#
# What it does, in a fresh temporary data dir (removed at exit):
#   1. `echotrace ingest CORPUS_DIR --data TMP --json`: records, seconds,
#      articles/s, MB/s (bytes and seconds from the JSON summary; wall time of
#      the whole process is shown too).
#   2. Builds 1,000 queries from the corpus titles, deterministically: title
#      words of 5+ letters (lowercased, letters only), picked with a fixed-seed
#      Park-Miller generator from the list of all occurrences (so frequent
#      words come up more often, as in real use). Query i is, by i mod 3:
#      one word; two words (AND); a quoted phrase of two adjacent title words.
#   3. Runs them with echotrace_search_latency (limit 10): Engine::Search
#      with facets and without (the baseline), plus the bare index match for
#      attribution; prints p50/p99/max latency and queries/s.
# Prints a Markdown table at the end. Set KEEP_QUERIES=FILE to keep the
# generated queries. Exit 0 (with a message) when the corpus dir is missing.
set -euo pipefail

caller_dir="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

abs_from_caller() {  # make an argument absolute relative to the caller's cwd
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$caller_dir/$1" ;;
  esac
}

if [[ $# -gt 2 || "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  [[ $# -gt 2 ]] && exit 2 || exit 0
fi

if [[ $# -ge 1 ]]; then build_dir="$(abs_from_caller "$1")"; else build_dir="build"; fi
if [[ $# -ge 2 ]]; then corpus_dir="$(abs_from_caller "$2")"; else corpus_dir="../shared/corpus"; fi
if [[ -n "${KEEP_QUERIES:-}" ]]; then KEEP_QUERIES="$(abs_from_caller "$KEEP_QUERIES")"; fi

cd "$repo_root"

if [[ ! -d "$corpus_dir" ]]; then
  echo "corpus_bench: corpus directory '$corpus_dir' not found; nothing to benchmark (skipped)."
  exit 0
fi

mapfile -t corpus_files < <(find "$corpus_dir" -type f \( -name '*.jsonl' -o -name '*.jsonl.gz' -o -name '*.jsonl.zst' \) \
                              ! -path '*/.*' | LC_ALL=C sort)
if [[ ${#corpus_files[@]} -eq 0 ]]; then
  echo "corpus_bench: no *.jsonl files in '$corpus_dir'; nothing to benchmark (skipped)."
  exit 0
fi

echotrace_bin="$build_dir/echotrace"
latency_bin="$build_dir/bench/echotrace_search_latency"
for bin in "$echotrace_bin" "$latency_bin"; do
  if [[ ! -x "$bin" ]]; then
    echo "corpus_bench: '$bin' not found. Build it first:" >&2
    echo "  cmake -S . -B build && make -C build -j2 echotrace echotrace_search_latency" >&2
    exit 1
  fi
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/echotrace-corpus-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
data_dir="$tmp/data"

now() { date +%s.%N; }

# JSON number by key, from compact or pretty-printed flat JSON.
json_num() {
  sed -n "s/.*\"$1\": *\\([-0-9.eE+]*\\).*/\\1/p" "$2" | head -n 1
}

corpus_bytes=$(cat "${corpus_files[@]}" | wc -c)
echo "corpus_bench: corpus $corpus_dir (${#corpus_files[@]} JSONL files, $corpus_bytes bytes; queries come from these)"
echo "corpus_bench: binaries in $build_dir"

# --- 1. Ingest ---------------------------------------------------------------
echo "corpus_bench: ingesting into $data_dir ..."
t0=$(now)
set +e
"$echotrace_bin" ingest "$corpus_dir" --data "$data_dir" --json >"$tmp/ingest.json" 2>"$tmp/ingest.err"
ingest_rc=$?
set -e
t1=$(now)
if [[ ! -s "$tmp/ingest.json" ]]; then
  echo "corpus_bench: ingest failed (exit $ingest_rc):" >&2
  cat "$tmp/ingest.err" >&2
  exit 1
fi
[[ $ingest_rc -ne 0 ]] && echo "corpus_bench: note: ingest exited $ingest_rc (some records skipped; see below)"
cat "$tmp/ingest.json"
if [[ -s "$tmp/ingest.err" ]]; then
  echo "corpus_bench: ingest stderr ($(grep -c '' "$tmp/ingest.err") lines), first 5:"
  sed -n '1,5p' "$tmp/ingest.err" | sed 's/^/  /'
fi

files=$(json_num files "$tmp/ingest.json")
records=$(json_num records "$tmp/ingest.json")
added=$(json_num added "$tmp/ingest.json")
skipped=$(json_num skipped "$tmp/ingest.json")
bytes=$(json_num bytes "$tmp/ingest.json")
seconds=$(json_num seconds "$tmp/ingest.json")
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
rate=$(awk -v n="$records" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
mbps=$(awk -v n="$bytes" -v s="$seconds" 'BEGIN { printf "%.2f", (s > 0 ? n / 1e6 / s : 0) }')
seconds_fmt=$(awk -v s="$seconds" 'BEGIN { printf "%.2f", s }')
data_mb=$(du -sk "$data_dir" | awk '{ printf "%.1f", $1 / 1024 }')
sqlite_mb=$(du -sk "$data_dir/echotrace.sqlite" 2>/dev/null | awk '{ printf "%.1f", $1 / 1024 }')
index_mb=$(du -sk "$data_dir/index" 2>/dev/null | awk '{ printf "%.1f", $1 / 1024 }')

# --- 2. Queries ----------------------------------------------------------------
queries="$tmp/queries.txt"
for f in "${corpus_files[@]}"; do
  case "$f" in
    *.gz) gzip -dc "$f" ;;
    *.zst) zstd -dcq "$f" ;;
    *) cat "$f" ;;
  esac
done | LC_ALL=C awk -v want=1000 '
  # Title of one JSON line; "" when absent. Escapes become spaces.
  function title_of(line,    t) {
    if (!match(line, /"title": *"([^"\\]|\\.)*"/)) return ""
    t = substr(line, RSTART, RLENGTH)
    sub(/^"title": *"/, "", t)
    sub(/"$/, "", t)
    gsub(/\\u[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]/, " ", t)
    gsub(/\\./, " ", t)
    return tolower(t)
  }
  # A title token stripped of surrounding punctuation, if it is 5+ letters.
  function word_of(tok) {
    gsub(/^[^a-z]+|[^a-z]+$/, "", tok)
    return (length(tok) >= 5 && tok ~ /^[a-z]+$/) ? tok : ""
  }
  {
    n = split(title_of($0), toks, /[ \t]+/)
    prev = ""
    for (i = 1; i <= n; i++) {
      w = word_of(toks[i])
      if (w != "") {
        words[++nw] = w
        if (prev != "") pairs[++np] = prev " " w
      }
      prev = w
    }
  }
  function next_rand() { seed = (seed * 16807) % 2147483647; return seed }  # exact in doubles
  END {
    if (nw == 0 || np == 0) { print "corpus_bench: no title words found" > "/dev/stderr"; exit 1 }
    seed = 20240601
    for (q = 0; q < want; q++) {
      kind = q % 3
      if (kind == 0) print words[next_rand() % nw + 1]
      else if (kind == 1) print words[next_rand() % nw + 1] " " words[next_rand() % nw + 1]
      else print "\"" pairs[next_rand() % np + 1] "\""
    }
  }' >"$queries"
[[ -n "${KEEP_QUERIES:-}" ]] && cp "$queries" "$KEEP_QUERIES"
nq=$(grep -c '' "$queries")
distinct=$(LC_ALL=C sort -u "$queries" | grep -c '')
echo "corpus_bench: $nq queries ($distinct distinct), e.g.: $(sed -n '1p;2p;3p' "$queries" | paste -sd '|' - | sed 's/|/ | /g')"

# --- 3. Search latency ---------------------------------------------------------
echo "corpus_bench: measuring search latency ..."
"$latency_bin" "$data_dir" "$queries" --limit 10 >"$tmp/latency.json"
cat "$tmp/latency.json"

L() { json_num "$1" "$tmp/latency.json"; }

cat <<EOF

## Ingest

| corpus | files | records | added | skipped | input MB | engine s | wall s | articles/s | MB/s | data dir MiB (sqlite / index) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| $corpus_dir | $files | $records | $added | $skipped | $(awk -v n="$bytes" 'BEGIN { printf "%.2f", n / 1e6 }') | $seconds_fmt | $wall | $rate | $mbps | $data_mb ($sqlite_mb / $index_mb) |

## Search latency ($(L measured) queries measured, $(L errors) errors, limit $(L limit), $(L zero_hit_queries) with no hit, mean total_estimate $(L mean_total_estimate); open $(L open_ms) ms)

| mode | p50 ms | p99 ms | max ms | mean ms | queries/s | 1-word p50 / p99 | 2-word p50 / p99 | phrase p50 / p99 |
|---|---:|---:|---:|---:|---:|---|---|---|
| with_facets=true (default) | $(L facets_p50_ms) | $(L facets_p99_ms) | $(L facets_max_ms) | $(L facets_mean_ms) | $(L facets_qps) | $(L facets_words1_p50_ms) / $(L facets_words1_p99_ms) | $(L facets_words2_p50_ms) / $(L facets_words2_p99_ms) | $(L facets_phrase_p50_ms) / $(L facets_phrase_p99_ms) |
| with_facets=false (baseline) | $(L nofacets_p50_ms) | $(L nofacets_p99_ms) | $(L nofacets_max_ms) | $(L nofacets_mean_ms) | $(L nofacets_qps) | $(L nofacets_words1_p50_ms) / $(L nofacets_words1_p99_ms) | $(L nofacets_words2_p50_ms) / $(L nofacets_words2_p99_ms) | $(L nofacets_phrase_p50_ms) / $(L nofacets_phrase_p99_ms) |
| index only: Index::Search, no facets, no snippets (attribution) | $(L indexonly_p50_ms) | $(L indexonly_p99_ms) | $(L indexonly_max_ms) | $(L indexonly_mean_ms) | $(L indexonly_qps) | $(L indexonly_words1_p50_ms) / $(L indexonly_words1_p99_ms) | $(L indexonly_words2_p50_ms) / $(L indexonly_words2_p99_ms) | $(L indexonly_phrase_p50_ms) / $(L indexonly_phrase_p99_ms) |
| ratio facets / baseline | $(L ratio_p50) | $(L ratio_p99) | | $(L ratio_mean) | | | | |
EOF
slowest=$(sed -n 's/.*"slowest_query_facets": *\(".*"\),*$/\1/p' "$tmp/latency.json")
# shellcheck disable=SC2016  # the backticks are Markdown
printf '\nSlowest query with facets (as a JSON string): `%s`\n' "$slowest"
