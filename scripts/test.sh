#!/usr/bin/env bash
# Every test: install what is missing, build and run the suite, then build and
# run it again under AddressSanitizer + UndefinedBehaviorSanitizer (clang), and
# run each libFuzzer target on a fixed number of inputs, then the threaded
# server tests under ThreadSanitizer.
# Tests that need ../shared (seeds, corpus) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs="$(nproc)"

echo "== clang-format check"
if command -v clang-format > /dev/null; then
  files=$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'fuzz/*.cc' 'fuzz/*.h' 2>/dev/null || true)
  if [ -n "$files" ]; then
    # shellcheck disable=SC2086
    clang-format --dry-run --Werror $files
  fi
fi

echo "== web UI (npm ci && npm run build, skipped when up to date)"
bash web/build.sh

echo "== build (RelWithDebInfo, warnings as errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== build with ASan + UBSan (clang, with libFuzzer coverage: the fuzz targets come from the same build)"
# -O1: sanitized tests run about twice as fast as at -O0, and the fuzzers much faster.
san_flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" -DECHOTRACE_SANITIZE=ON -DECHOTRACE_BENCH=OFF)
if command -v clang++ > /dev/null; then
  # gcc's build above enforces -Werror; clang's own extra warnings are shown, not fatal.
  san_flags+=(-DCMAKE_CXX_COMPILER=clang++ -DECHOTRACE_FUZZ=ON -DECHOTRACE_WERROR=OFF)
fi
# A cache made with another compiler cannot be reconfigured in place.
if [ -f build-asan/CMakeCache.txt ] && ! grep -q "ECHOTRACE_FUZZ:BOOL=$(command -v clang++ > /dev/null && echo ON || echo OFF)" \
    build-asan/CMakeCache.txt; then
  rm -f build-asan/CMakeCache.txt
fi
cmake -S . -B build-asan "${san_flags[@]}" > /dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$jobs")

echo "== fuzz: each target ${ECHOTRACE_FUZZ_RUNS:=1000} inputs from a fixed seed, at most ${ECHOTRACE_FUZZ_SECONDS:=60} s (longer runs: docs/FUZZING.md)"
if [ -x build-asan/fuzz/fuzz_extract ]; then
  # A fresh corpus each time: what a run explores is then the same on every machine.
  rm -rf build-asan/fuzz-corpus
  ECHOTRACE_FUZZ_RUNS="$ECHOTRACE_FUZZ_RUNS" bash scripts/fuzz.sh build-asan "$ECHOTRACE_FUZZ_SECONDS"
else
  echo "skipped: no clang++ (the fuzz targets need it)"
fi

# ThreadSanitizer over the threaded tests (the engine pool, ingest while
# searching, trickling clients, the server's handlers, ingest's workers and
# index thread): its own build of the library, only the threaded test
# binaries. ECHOTRACE_TSAN=0 skips it.
if [ "${ECHOTRACE_TSAN:-1}" = 1 ]; then
  echo "== ThreadSanitizer: server, writer, engine-pool and ingest-pipeline tests"
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
    -DECHOTRACE_TSAN=ON -DECHOTRACE_BENCH=OFF > /dev/null
  cmake --build build-tsan -j"$jobs" --target server_test server_hardening_test writer_test ingest_pipeline_test
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/tests/ingest_pipeline_test
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/tests/server_test
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/tests/server_hardening_test
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/tests/writer_test
fi
