#!/usr/bin/env bash
# API conformance test: schemathesis (PyPI, pinned in requirements.txt) generates requests from
# the OpenAPI document the server publishes at /openapi.json and checks every response: no 5xx,
# and status code, content type and body as documented. See README.md.
# Environment:
#   WASLA_BIN        server binary (default: <repo>/target/debug/wasla; build it with
#                    `cargo build -p wasla-server`)
#   PYTHON           interpreter used to create the venv (default: python3)
#   ST_MAX_EXAMPLES  test cases per operation and phase (default: 40)
#   ST_SEED          hypothesis seed (default: 20240611)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
max_examples="${ST_MAX_EXAMPLES:-40}"
seed="${ST_SEED:-20240611}"
# shellcheck source=../lib/live-server.sh
. "$here/../lib/live-server.sh"

setup_venv st
start_server

# A business, its number and token, a person, media and templates; the schemathesis config
# that binds ids to them.
config="$work/schemathesis.toml"
WASLA_BIN="$bin" WASLA_DATA_DIR="$work/data" WASLA_LISTEN="$listen" \
  timeout 120 "$venv/bin/python" "$here/seed.py" "$config" "$work/token" ||
  fail "seeding the server failed"
token="$(cat "$work/token")"

# Every phase but the stateful one (the document declares no links). Requests go only to
# the local server; the document itself is read from it too.
junit="$work/junit.xml"
status=0
(cd "$work" && timeout 300 "$venv/bin/st" --config-file "$config" run "$base/openapi.json" \
  --url "$base" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,ignored_auth \
  --phases examples,coverage,fuzzing \
  --max-examples "$max_examples" \
  --seed "$seed" \
  --workers 1 \
  --request-timeout 10 \
  --generation-database none \
  --output-truncate false \
  --no-color \
  --report junit --report-junit-path "$junit") || status=$?

[ "$status" -eq 0 ] || show_log
if [ ! -s "$junit" ]; then
  [ "$status" -ne 0 ] || status=1
  if [ "$status" -eq 124 ]; then
    echo "0 passed, 1 failed (schemathesis timed out after 300 s)"
  else
    echo "0 passed, 1 failed (schemathesis exited $status without a report)"
  fi
  exit "$status"
fi
# One line per operation in the JUnit report: passed unless it holds a failure or an error. A
# non-zero exit of schemathesis without a failed operation counts as one failure.
summary="$("$venv/bin/python" - "$junit" "$status" <<'EOF'
import sys
import xml.etree.ElementTree as ET
passed = failed = skipped = 0
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    if case.find("failure") is not None or case.find("error") is not None:
        failed += 1
    elif case.find("skipped") is not None:
        skipped += 1
    else:
        passed += 1
if failed == 0 and sys.argv[2] != "0":
    print(f"schemathesis exited {sys.argv[2]} with no failed operation", file=sys.stderr)
    failed = 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
EOF
)"
case "$summary" in
  *" 0 failed"*) ;;
  *) [ "$status" -ne 0 ] || status=1 ;;
esac
echo "operations: $summary"
exit "$status"
