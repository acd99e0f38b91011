#!/usr/bin/env bash
# SDK compatibility test: runs the real pywa (PyPI, pinned in requirements.txt, unchanged but
# for its base URL) against a live Wasla server. See README.md.
# Environment:
#   WASLA_BIN  server binary (default: <repo>/target/debug/wasla; build it with
#              `cargo build -p wasla-server`)
#   PYTHON     interpreter used to create the venv (default: python3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${WASLA_BIN:-$repo/target/debug/wasla}"
python="${PYTHON:-python3}"

if [ ! -x "$bin" ]; then
  echo "no server binary at $bin: run 'cargo build -p wasla-server' or set WASLA_BIN" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# The venv is reused while requirements.txt is unchanged.
venv="$here/.venv"
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  rm -rf "$venv"
  if ! "$python" -m venv "$venv"; then
    echo "cannot create a venv with $python (on Debian: apt-get install -y python3-venv)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

data_dir="$(mktemp -d)"
port="$(free_port)"
log="$data_dir/server.log"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

WASLA_LOG__FILTER="${WASLA_LOG__FILTER:-warn}" \
  "$bin" serve --data-dir "$data_dir/data" --listen "127.0.0.1:$port" >"$log" 2>&1 &
server_pid=$!

ready=""
for _ in $(seq 1 100); do
  if "$venv/bin/python" - "$port" <<'EOF' 2>/dev/null; then
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=1) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
    ready=1
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "the server did not become healthy; its log:" >&2
  cat "$log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# The script writes its summary line to a file so that it can come last, after the server's
# log on failure.
summary="$data_dir/summary"
status=0
WASLA_BIN="$bin" WASLA_DATA_DIR="$data_dir/data" WASLA_LISTEN="127.0.0.1:$port" \
  WASLA_COMPAT_SUMMARY="$summary" timeout 240 "$venv/bin/python" "$here/test_pywa.py" 2>&1 || status=$?
if [ "$status" -ne 0 ] && [ -s "$log" ]; then
  echo "--- server log (last 50 lines) ---"
  tail -n 50 "$log"
fi
if [ -s "$summary" ]; then
  cat "$summary"
elif [ "$status" -eq 124 ]; then
  echo "0 passed, 1 failed (timed out after 240 s)"
else
  echo "0 passed, 1 failed (the test script exited $status without a summary)"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
