#!/usr/bin/env bash
# Runs the browser tests: installs the pinned test dependencies, then node's test runner.
# Environment:
#   WASLA_BIN      server binary (default: <repo>/target/debug/wasla)
#   WASLA_WEB_DIR  when set, serve the web client from this directory (1 = <repo>/web)
#                  instead of the copy embedded in the binary
#   CHROMIUM_PATH  browser executable (default: /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
exec node --test --test-concurrency=1 --test-reporter=spec ./*.test.js
