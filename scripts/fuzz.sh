#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD/fuzz (a build configured with
# -DECHOTRACE_FUZZ=ON, clang) for SECONDS each, one at a time, niced, from the
# seed corpora of fuzz/seeds.sh plus whatever earlier runs kept in
# CORPUS/<target>. Prints the executions of each run; exits non-zero on the
# first finding (the crashing input is left in CORPUS/crashes/).
# Usage: bash scripts/fuzz.sh BUILD [SECONDS=10] [CORPUS=BUILD/fuzz-corpus]
# With ECHOTRACE_FUZZ_RUNS=N each target runs N inputs from a fixed seed
# (SECONDS stays a cap): the same inputs on every machine, so a test run's
# verdict does not depend on how fast the machine is.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:?usage: scripts/fuzz.sh BUILD [SECONDS] [CORPUS]}"
seconds="${2:-10}"
corpus="${3:-$build/fuzz-corpus}"
seeds="$build/fuzz-seeds"
bash fuzz/seeds.sh "$seeds" > /dev/null
mkdir -p "$corpus/crashes"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for target in extract jsonl query dates quotes trace http feed; do
  bin="$build/fuzz/fuzz_$target"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin is missing (configure with -DECHOTRACE_FUZZ=ON)" >&2
    exit 1
  fi
  mkdir -p "$corpus/$target"
  log="$build/fuzz-$target.log"
  fixed=()
  if [ -n "${ECHOTRACE_FUZZ_RUNS:-}" ]; then fixed=(-seed=1 -runs="$ECHOTRACE_FUZZ_RUNS"); fi
  if ! nice -n 19 "$bin" "${fixed[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
      -artifact_prefix="$corpus/crashes/$target-" -print_final_stats=1 \
      "$corpus/$target" "$seeds/$target" > "$log" 2>&1; then
    echo "fuzz: $target found a problem; see $log and $corpus/crashes/" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "fuzz: $target: ${execs:-?} executions (at most ${seconds}s), no finding"
done
