#!/usr/bin/env bash
# Installs the Debian packages echotrace builds against, if any is missing.
# Idempotent: does nothing (and needs no network) when all are present.
set -euo pipefail
packages=(build-essential cmake pkg-config libxapian-dev libsqlite3-dev libicu-dev libzstd-dev zlib1g-dev
          nlohmann-json3-dev libcli11-dev libgumbo-dev libxxhash-dev libgtest-dev libbenchmark-dev
          libcpp-httplib-dev
          libcurl4-openssl-dev libpugixml-dev libtomlplusplus-dev libssl-dev  # collect/: fetching, feeds, sources
          clang libclang-rt-dev  # the sanitizer + libFuzzer build (scripts/test.sh, fuzz/)
          chromium wrk  # the web UI's browser tests and the HTTP benchmark
          python3-xapian  # bench/compare.sh: Xapian alone, the peer echotrace is measured against
          python3-numpy)  # bench/dedup_compare.sh: datasketch's MinHash algorithm, the near-duplicate peer
# Node and npm build the web UI (web/build.sh); Debian's only when no node is installed.
command -v node > /dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
