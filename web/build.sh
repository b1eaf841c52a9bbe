#!/usr/bin/env bash
# Builds the web UI into web/dist (what `echotrace serve` serves).
# Idempotent and fast when up to date: `npm ci` only when package-lock.json
# changed since the last install, `vite build` only when a source is newer
# than web/dist/index.html. Needs Node >= 20.19 and npm.
set -euo pipefail
cd "$(dirname "$0")"
# Without a recent enough Node the UI is not built, loudly but without failing
# the caller: the server then serves the API alone and the browser test skips.
if ! command -v npm > /dev/null || ! command -v node > /dev/null; then
  echo "web/build.sh: WARNING: node/npm not found; the web UI is not built (scripts/install-deps.sh installs them)" >&2
  exit 0
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "web/build.sh: WARNING: Node $(node --version) is older than 20.19 (Vite needs it); the web UI is not built" >&2
  exit 0
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=dist/index.html
if [ -f "$stamp" ] && [ -z "$(find src index.html vite.config.ts tsconfig.json package-lock.json -newer "$stamp" -print -quit)" ]; then
  exit 0  # up to date
fi
npm run --silent build
