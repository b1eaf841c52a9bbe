#!/usr/bin/env bash
# echotrace against its peers, in one run, on the corpus records with text.
#
# Usage: bench/compare.sh [BUILD_DIR] [CORPUS_DIR]
#   BUILD_DIR   default: build             (must hold echotrace and bench/echotrace_search_latency)
#   CORPUS_DIR  default: ../shared/corpus
# Needs /usr/bin/python3 with python3-xapian (Debian; scripts/install-deps.sh
# installs it) and python3's sqlite3 module with FTS5 (Debian's libsqlite3).
#
# In a fresh temporary folder (removed at exit):
#   1. the set: every corpus record with a non-empty body (22,280 records; the
#      headline-only file drops out), one JSONL file per corpus file; "text" is
#      the UTF-8 bytes of their titles and bodies;
#   2. ingest: `echotrace ingest SET --json` (extraction, annotation, store,
#      index, linking, compaction) against Xapian alone (python3-xapian
#      indexing title and body the way echotrace's index does, one commit) and
#      SQLite FTS5 (porter tokenizer) building its table; wall seconds each;
#   3. size: the data dir (store, index) against the text;
#   4. search: 1,000 one-word queries (title words, fixed seed; bench/peers.py),
#      limit 10: echotrace's Engine::Search with snippets and facets (the
#      default: what the CLI and the API do), Xapian's bare match (no text),
#      and FTS5 returning each hit's title and a highlighted snippet.
# Prints a Markdown table with ratios. Timings are noisy on a shared machine:
# the ratios, measured in the same run, are the figures to read; the load
# average is printed before and after.
set -euo pipefail

caller_dir="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
abs_from_caller() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$caller_dir/$1" ;; esac }
if [[ $# -gt 2 || "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  [[ $# -gt 2 ]] && exit 2 || exit 0
fi
build_dir="$(abs_from_caller "${1:-$repo_root/build}")"
corpus_dir="$(abs_from_caller "${2:-$repo_root/../shared/corpus}")"
py=/usr/bin/python3  # Debian's, where python3-xapian lives
peers="$repo_root/bench/peers.py"

if [[ ! -d "$corpus_dir" ]]; then
  echo "compare: corpus directory '$corpus_dir' not found; nothing to compare (skipped)."
  exit 0
fi
for bin in "$build_dir/echotrace" "$build_dir/bench/echotrace_search_latency"; do
  [[ -x "$bin" ]] || { echo "compare: '$bin' not found (make -C build echotrace echotrace_search_latency)" >&2; exit 1; }
done
"$py" -c 'import xapian, sqlite3; sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")' || {
  echo "compare: needs $py with python3-xapian and FTS5 (bash scripts/install-deps.sh)" >&2
  exit 1
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/echotrace-compare.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
json() { "$py" -c 'import json, sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], "n/a"))' "$2" "$1"; }
mib() { du -sk "$1" | awk '{ printf "%.1f", $1 / 1024 }'; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "compare: load average $load_before; $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"

"$py" "$peers" subset "$corpus_dir" "$tmp/set" >"$tmp/set.json"
records=$(json records "$tmp/set.json")
text_bytes=$(json text_bytes "$tmp/set.json")
text_mib=$(awk -v b="$text_bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "compare: $records records with text, $text_mib MiB of title + body"

# Wall and CPU (user + sys) seconds of a command: on a shared machine the CPU
# seconds say what the work costs, the wall seconds what a user waits.
timed() {
  local out="$1"
  shift
  /usr/bin/time -f "%e %U %S" -o "$out" "$@"
}
wall() { awk '{ printf "%.2f", $1 }' "$1"; }
cpu() { awk '{ printf "%.2f", $2 + $3 }' "$1"; }
echo "compare: ingesting with echotrace ..."
timed "$tmp/et.time" "$build_dir/echotrace" ingest "$tmp/set" --data "$tmp/data" --json >"$tmp/ingest.json" \
  2>"$tmp/ingest.err" || true
echo "compare: indexing with Xapian alone ..."
timed "$tmp/xap.time" "$py" "$peers" xapian-index "$tmp/set" "$tmp/xapian" >/dev/null
echo "compare: indexing with SQLite FTS5 ..."
timed "$tmp/fts.time" "$py" "$peers" fts5-index "$tmp/set" "$tmp/fts5.sqlite" >/dev/null
et_ingest=$(wall "$tmp/et.time"); et_cpu=$(cpu "$tmp/et.time")
xap_ingest=$(wall "$tmp/xap.time"); xap_cpu=$(cpu "$tmp/xap.time")
fts_ingest=$(wall "$tmp/fts.time"); fts_cpu=$(cpu "$tmp/fts.time")

data_mib=$(mib "$tmp/data")
store_mib=$(du -ck "$tmp/data"/echotrace.sqlite* | tail -1 | awk '{ printf "%.1f", $1 / 1024 }')
index_mib=$(mib "$tmp/data/index")
xap_mib=$(mib "$tmp/xapian")
fts_mib=$(mib "$tmp/fts5.sqlite")

"$py" "$peers" queries "$tmp/set" 1000 "$tmp/queries.txt"
echo "compare: searching (1,000 one-word queries, limit 10) ..."
"$build_dir/bench/echotrace_search_latency" "$tmp/data" "$tmp/queries.txt" --limit 10 >"$tmp/echotrace.json"
"$py" "$peers" search xapian "$tmp/xapian" "$tmp/queries.txt" 10 >"$tmp/xapian.json"
"$py" "$peers" search fts5 "$tmp/fts5.sqlite" "$tmp/queries.txt" 10 >"$tmp/fts5.json"
"$build_dir/echotrace" stats --data "$tmp/data" >"$tmp/stats.txt"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

et_p50=$(json facets_p50_ms "$tmp/echotrace.json"); et_p99=$(json facets_p99_ms "$tmp/echotrace.json")
nf_p50=$(json nofacets_p50_ms "$tmp/echotrace.json"); nf_p99=$(json nofacets_p99_ms "$tmp/echotrace.json")
io_p50=$(json indexonly_p50_ms "$tmp/echotrace.json"); io_p99=$(json indexonly_p99_ms "$tmp/echotrace.json")
xp_p50=$(json p50_ms "$tmp/xapian.json"); xp_p99=$(json p99_ms "$tmp/xapian.json")
ft_p50=$(json p50_ms "$tmp/fts5.json"); ft_p99=$(json p99_ms "$tmp/fts5.json")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

cat <<EOF

Load average: $load_before before, $load_after after. Set: $records records, $text_mib MiB of text.

| search (1,000 one-word queries, limit 10) | p50 ms | p99 ms | p50 / FTS5 | p99 / FTS5 |
|---|---:|---:|---:|---:|
| echotrace Engine::Search, snippets + facets (default) | $et_p50 | $et_p99 | $(ratio "$et_p50" "$ft_p50") | $(ratio "$et_p99" "$ft_p99") |
| echotrace Engine::Search, snippets, no facets | $nf_p50 | $nf_p99 | $(ratio "$nf_p50" "$ft_p50") | $(ratio "$nf_p99" "$ft_p99") |
| echotrace index alone (C++, no snippets, no store) | $io_p50 | $io_p99 | $(ratio "$io_p50" "$ft_p50") | $(ratio "$io_p99" "$ft_p99") |
| Xapian alone (python3-xapian, bare match) | $xp_p50 | $xp_p99 | $(ratio "$xp_p50" "$ft_p50") | $(ratio "$xp_p99" "$ft_p99") |
| SQLite FTS5 with snippets (python3 sqlite3) | $ft_p50 | $ft_p99 | 1.00 | 1.00 |

Facets: $(json facets_approximate_queries "$tmp/echotrace.json") of the queries had approximate facets (more than the facet limit of matches); mean total_estimate $(json mean_total_estimate "$tmp/echotrace.json").

| ingest | wall s | CPU s | records/s (wall) | throughput / Xapian alone (wall; CPU) | size MiB | size / text |
|---|---:|---:|---:|---:|---:|---:|
| echotrace (extract, annotate, store, index, link, compact) | $et_ingest | $et_cpu | $(awk -v n="$records" -v s="$et_ingest" 'BEGIN { printf "%.0f", n / s }') | $(ratio "$xap_ingest" "$et_ingest"); $(ratio "$xap_cpu" "$et_cpu") | $data_mib (store $store_mib, index $index_mib) | $(ratio "$data_mib" "$text_mib") |
| Xapian alone (python3-xapian) | $xap_ingest | $xap_cpu | $(awk -v n="$records" -v s="$xap_ingest" 'BEGIN { printf "%.0f", n / s }') | 1.00; 1.00 | $xap_mib | $(ratio "$xap_mib" "$text_mib") |
| SQLite FTS5 | $fts_ingest | $fts_cpu | $(awk -v n="$records" -v s="$fts_ingest" 'BEGIN { printf "%.0f", n / s }') | $(ratio "$xap_ingest" "$fts_ingest"); $(ratio "$xap_cpu" "$fts_cpu") | $fts_mib | $(ratio "$fts_mib" "$text_mib") |

echotrace stats (size on disk):
\`\`\`
$(sed -n '/size on disk/,$p' "$tmp/stats.txt")
\`\`\`
EOF
