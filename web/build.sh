#!/usr/bin/env bash
# Builds the web UI into web/dist (what `echotrace serve` serves).
# Idempotent and fast when up to date: `npm ci` only when package-lock.json
# changed since the last install, `vite build` only when a source is newer
# than web/dist/index.html. Needs Node >= 20.19 and npm.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm > /dev/null; then
  echo "web/build.sh: npm not found; the UI is not built (install nodejs and npm: scripts/install-deps.sh)" >&2
  exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=dist/index.html
if [ -f "$stamp" ] && [ -z "$(find src index.html vite.config.ts tsconfig.json package-lock.json -newer "$stamp" -print -quit)" ]; then
  exit 0  # up to date
fi
npm run --silent build
