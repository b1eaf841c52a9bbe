#!/usr/bin/env bash
# The main job on the embedded sample: install what is missing, build, ingest
# data/sample into ./echotrace-data (or $ECHOTRACE_DATA), and search it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build -j"$(nproc)" --target echotrace
data="${ECHOTRACE_DATA:-echotrace-data}"
echo "== echotrace ingest data/sample --data $data"
./build/echotrace ingest data/sample --data "$data"
echo
echo "== echotrace search '\"nothing is impossible\"' --data $data"
./build/echotrace search '"nothing is impossible"' --data "$data"
echo
echo "Try: ./build/echotrace search 'tractor OR harvest' --source kcna --data $data"
echo "     ./build/echotrace show sample-kcna-2024-009 --versions --data $data"
echo "     ./build/echotrace stats --data $data"
