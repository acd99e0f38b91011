#!/usr/bin/env bash
# SDK compatibility test: runs the real pywa (PyPI, pinned in requirements.txt) and the real
# whatsapp-api-js (npm, pinned in whatsapp-api-js/), unchanged but for their base URL, against a
# live Wasla server. See README.md.
# Environment:
#   WASLA_BIN  server binary (default: <repo>/target/debug/wasla; build it with
#              `cargo build -p wasla-server`)
#   PYTHON     interpreter used to create the venv (default: python3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/live-server.sh
. "$here/../lib/live-server.sh"

setup_venv python
start_server

# The script writes its summary line to a file so that it can come last, after the server's
# log on failure.
summary="$work/summary"
status=0
WASLA_BIN="$bin" WASLA_DATA_DIR="$work/data" WASLA_LISTEN="$listen" \
  WASLA_COMPAT_SUMMARY="$summary" timeout 240 "$venv/bin/python" "$here/test_pywa.py" 2>&1 || status=$?
[ "$status" -eq 0 ] || show_log
if [ -s "$summary" ]; then
  cat "$summary"
elif [ "$status" -eq 124 ]; then
  echo "0 passed, 1 failed (timed out after 240 s)"
else
  echo "0 passed, 1 failed (the test script exited $status without a summary)"
  [ "$status" -ne 0 ] || status=1
fi

# The real whatsapp-api-js (npm, pinned in whatsapp-api-js/package-lock.json) against the same
# server: a contacts message (sent as a JSON-encoded string) and QR codes (query parameters).
js="$here/whatsapp-api-js"
js_summary="$work/summary-js"
js_status=0
if command -v node >/dev/null && command -v npm >/dev/null; then
  (cd "$js" && npm ci --no-audit --no-fund --silent) || js_status=$?
  if [ "$js_status" -eq 0 ]; then
    WASLA_BIN="$bin" WASLA_DATA_DIR="$work/data" WASLA_LISTEN="$listen" \
      WASLA_COMPAT_SUMMARY="$js_summary" timeout 120 node "$js/test.mjs" 2>&1 || js_status=$?
  fi
  [ "$js_status" -eq 0 ] || show_log
  if [ -s "$js_summary" ]; then
    cat "$js_summary"
  else
    echo "whatsapp-api-js: 0 passed, 1 failed (exited $js_status without a summary)"
    [ "$js_status" -ne 0 ] || js_status=1
  fi
else
  echo "SKIPPED whatsapp-api-js: install node and npm to run it"
fi
[ "$status" -ne 0 ] || status=$js_status
exit "$status"
