# Shared by the Python-based test runners (tests/compat, tests/schemathesis): a cached venv
# built from the runner's pinned requirements, and a live Wasla server on a free local port
# that is stopped, and its data removed, when the runner exits. Source it after setting
# `here` (the runner's directory); it sets `repo`, `bin`, `venv`, `work`, `listen`, `base`,
# `log` and `server_pid`.
#   WASLA_BIN  server binary (default: <repo>/target/debug/wasla)
#   PYTHON     interpreter used to create the venv (default: python3)

repo="$(cd "$here/../.." && pwd)"
bin="${WASLA_BIN:-$repo/target/debug/wasla}"
python="${PYTHON:-python3}"
venv="$here/.venv"
server_pid=""
work=""

# Report a failure before any test ran, as the closing summary line.
fail() {
  echo "$1" >&2
  show_log
  echo "0 passed, 1 failed"
  exit 1
}

# The server's log without backtrace frames (RUST_BACKTRACE may be set).
show_log() {
  if [ -n "$work" ] && [ -s "$work/server.log" ]; then
    echo "--- server log (last 50 lines, backtraces left out) ---"
    grep -Ev '^ +([0-9]+: |at )' "$work/server.log" | tail -n 50 || true
  fi
}

# Build the venv unless it exists for exactly these requirements; `$1` must exist in it after.
setup_venv() {
  local stamp="$venv/.requirements"
  if [ ! -x "$venv/bin/$1" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
    rm -rf "$venv"
    "$python" -m venv "$venv" || fail "cannot create a venv with $python (on Debian: apt-get install -y python3-venv)"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
      -r "$here/requirements.txt" || fail "installing $here/requirements.txt failed"
    cp "$here/requirements.txt" "$stamp"
  fi
}

cleanup_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -z "$work" ] || rm -rf "$work"
}

# Start `wasla serve` on a free port with its data under a fresh directory and wait until it
# answers /healthz. Its public URL is its listen address, so the URLs it hands out stay local.
start_server() {
  [ -x "$bin" ] || fail "no server binary at $bin: run 'cargo build -p wasla-server' or set WASLA_BIN"
  work="$(mktemp -d)"
  trap cleanup_server EXIT
  local port
  port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  listen="127.0.0.1:$port"
  base="http://$listen"
  log="$work/server.log"
  # The test's own webhook receivers listen on 127.0.0.1, which the outbound rule would
  # otherwise keep out of reach.
  WASLA_LOG__FILTER="${WASLA_LOG__FILTER:-warn}" WASLA_OUTBOUND__ALLOWED_NETWORKS='["127.0.0.1"]' \
    "$bin" serve --data-dir "$work/data" --listen "$listen" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    if "$venv/bin/python" -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=1).status == 200 else 1)' "$base" 2>/dev/null; then
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  fail "the server did not become healthy"
}
