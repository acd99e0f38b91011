#!/usr/bin/env bash
# SDK compatibility test: runs the real pywa (PyPI, pinned in requirements.txt, unchanged but
# for its base URL) against a live Wasla server. See README.md.
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
exit "$status"
