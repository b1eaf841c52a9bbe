#!/usr/bin/env bash
# The main job on the embedded sample: install what is missing, build, ingest
# data/sample into ./echotrace-data (or $ECHOTRACE_DATA), search it, then
# serve the web UI on http://127.0.0.1:8080/ (Ctrl-C stops it).
# ECHOTRACE_DEMO_NO_SERVE=1 ends after the search (non-interactive runs);
# ECHOTRACE_DEMO_PORT picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build -j"$(nproc)" --target echotrace
bash web/build.sh
data="${ECHOTRACE_DATA:-echotrace-data}"
echo "== echotrace ingest data/sample --data $data"
./build/echotrace ingest data/sample --data "$data"
echo
echo "== echotrace search '\"nothing is impossible\"' --data $data"
./build/echotrace search '"nothing is impossible"' --data "$data"
echo
echo "Try: ./build/echotrace search 'tractor OR harvest' --source kcna --data $data"
echo "     ./build/echotrace show sample-kcna-2024-009 --versions --data $data"
echo "     ./build/echotrace search 'person:kim-jong-un ideology' --media foreign --data $data"
echo "     ./build/echotrace entities --type person --data $data"
echo "     ./build/echotrace quotes --speaker kim-jong-un --data $data"
echo "     ./build/echotrace trace 'the surest asset of the revolution is not material wealth' --data $data"
echo "     ./build/echotrace events --data $data"
echo "     ./build/echotrace stats --data $data"
if [ "${ECHOTRACE_DEMO_NO_SERVE:-0}" != "1" ]; then
  port="${ECHOTRACE_DEMO_PORT:-8080}"
  echo
  echo "== echotrace serve --data $data --port $port"
  echo "Open http://127.0.0.1:$port/ in a browser (Ctrl-C to stop)."
  exec ./build/echotrace serve --data "$data" --bind 127.0.0.1 --port "$port"
fi
