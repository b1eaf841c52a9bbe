#!/usr/bin/env bash
# echotrace vs Mozilla Readability on the article-extraction benchmark, in one
# run: F1/P/R/accuracy with the benchmark's rule, and pages/s (extraction only).
# Usage: bench/extraction_compare.sh [BUILD_DIR] [BENCH_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
bench="${2:-../shared/article-extraction-benchmark}"
if [ ! -d "$bench" ]; then
  echo "no benchmark at $bench (it lives in ../shared beside the clone); nothing to compare"
  exit 0
fi
[ -x "$build/echotrace" ] || { cmake -S . -B "$build" > /dev/null && cmake --build "$build" -j"$(nproc)" --target echotrace; }
[ -d bench/readability/node_modules ] || (cd bench/readability && npm ci --silent)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$build/echotrace" eval benchmark "$bench" --json --out "$out/echotrace.json" > "$out/echotrace.result"
node bench/readability/run.mjs "$bench" > "$out/readability.result"
# The same JS scorer over echotrace's output: both tools scored by one implementation.
node bench/readability/run.mjs "$bench" --score-only "$out/echotrace.json" > "$out/echotrace.js-score"
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
def load(name):
    text = open(os.path.join(out, name)).read()
    return json.loads(text[text.index('{'):])
e, r, js = load("echotrace.result"), load("readability.result"), load("echotrace.js-score")
print("| extractor | F1 | P | R | accuracy | pages/s |")
print("|---|---:|---:|---:|---:|---:|")
for name, d in (("echotrace", e), ("Readability.js 0.6 + jsdom 24", r)):
    print(f"| {name} | {d['f1']:.3f} | {d['precision']:.3f} | {d['recall']:.3f} | {d['accuracy']:.3f} | {d['pages_per_second']:.1f} |")
print()
print(f"echotrace re-scored by the JS scorer: F1 {js['f1']:.3f} (C++ scorer: {e['f1']:.3f})")
print(f"speed ratio echotrace / Readability: {e['pages_per_second'] / r['pages_per_second']:.1f}x")
PY
