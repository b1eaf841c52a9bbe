#!/usr/bin/env bash
# Near-duplicate detection: echotrace against datasketch's MinHash + MinHashLSH
# algorithm (bench/peers.py minhash: the same 64 permutations in 16 bands of
# 4 rows, numpy; datasketch itself is on PyPI only), in one run.
#
# Usage: bench/dedup_compare.sh [BUILD_DIR] [SHARED_DIR]
#   BUILD_DIR   default: build      (must hold bench/echotrace_link_eval)
#   SHARED_DIR  default: ../shared  (the corpus)
# echotrace: `LINK_EVAL_DEDUP_ONLY=1 echotrace_link_eval`: the 22,275 corpus
# articles with a body plus 1,500 injected copies (tests/link gold), tokens,
# n-gram sets, MinHash/LSH and exact confirmation, P/R against the gold.
# The peer: the 22,280 corpus records with a body (bench/peers.py subset),
# word 3-gram shingles, MinHash, LSH query + insert (no confirmation). Prints
# docs/s of each and the ratio, with the load average before and after.
set -euo pipefail
caller_dir="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
abs_from_caller() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$caller_dir/$1" ;; esac }
build_dir="$(abs_from_caller "${1:-$repo_root/build}")"
shared_dir="$(abs_from_caller "${2:-$repo_root/../shared}")"
py=/usr/bin/python3
[[ -d "$shared_dir/corpus" ]] || { echo "dedup_compare: no corpus in '$shared_dir' (skipped)."; exit 0; }
[[ -x "$build_dir/bench/echotrace_link_eval" ]] || { echo "dedup_compare: build echotrace_link_eval first" >&2; exit 1; }
"$py" -c 'import numpy' || { echo "dedup_compare: needs python3-numpy (bash scripts/install-deps.sh)" >&2; exit 1; }
tmp="$(mktemp -d "${TMPDIR:-/tmp}/echotrace-dedup.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "dedup_compare: load average $(cut -d' ' -f1-3 /proc/loadavg); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
"$py" "$repo_root/bench/peers.py" subset "$shared_dir/corpus" "$tmp/set" > /dev/null
et_line="$(cd "$repo_root" && LINK_EVAL_DEDUP_ONLY=1 "$build_dir/bench/echotrace_link_eval" "$shared_dir" "$tmp/pr.csv" | grep '^dedup gold')"
echo "echotrace: $et_line"
peer="$("$py" "$repo_root/bench/peers.py" minhash "$tmp/set")"
echo "peer (datasketch algorithm, numpy): $peer"
et_rate="$(sed -E 's/.*= ([0-9]+) articles\/s.*/\1/' <<< "$et_line")"
peer_rate="$("$py" -c 'import json, sys; print(json.loads(sys.argv[1])["docs_per_s"])' "$peer")"
echo "ratio echotrace / peer: $(awk -v a="$et_rate" -v b="$peer_rate" 'BEGIN { printf "%.2f", a / b }') (load average $(cut -d' ' -f1-3 /proc/loadavg))"
