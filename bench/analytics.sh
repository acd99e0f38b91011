#!/usr/bin/env bash
# pricing_analytics as the ledger grows: for each size in ROWS, a fresh Wasla (SQLite) gets a
# business through the admin API, is stopped, gets ROWS rated messages over the last 90 days
# written straight into its database (ledger rows and the rollups rating keeps with them),
# is started again and answers each query shape REQUESTS times, one at a time. Server pinned
# to core 0, generator to core 1. Prints each shape's p50 / p99 per size; the JSON per size is
# kept in $OUT.
#
# Usage: bench/analytics.sh   (ROWS="100000 10000000" REQUESTS=300 PROFILE=release, or BIN=<dir>)
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-"100000 10000000"}
REQUESTS=${REQUESTS:-300}
PROFILE=${PROFILE:-release}
OUT=${OUT:-$(mktemp -d /tmp/wasla-analytics.XXXXXX)}

# BIN: a directory that already holds `wasla` and `wasla-bench` (nothing is built then).
if [ -z "${BIN:-}" ]; then
  if [ "$PROFILE" = release ]; then
    timeout 1800 cargo build --release -p wasla-server -p wasla-bench
  else
    timeout 1800 cargo build -p wasla-server -p wasla-bench
  fi
  BIN=target/$PROFILE
fi

wait_up() {
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}

start() {
  taskset -c 0 env WASLA_LOG__FILTER=warn "$BIN/wasla" serve --data-dir "$1" --listen "127.0.0.1:$2" &
  PID=$!
  wait_up "$2"
}

stop() {
  kill "$PID"
  wait "$PID" || true
}

for rows in $ROWS; do
  dir="$OUT/data-$rows"
  mkdir -p "$dir"
  port=$("$BIN/wasla-bench" free-port)
  start "$dir" "$port"
  timeout 60 "$BIN/wasla-bench" pricing-analytics --phase setup --server "http://127.0.0.1:$port" \
    --operator-token-file "$dir/operator-token" --fixtures "$OUT/fixtures-$rows.json"
  stop
  timeout 3600 taskset -c 1 "$BIN/wasla-bench" pricing-analytics --phase seed --db "$dir/wasla.db" \
    --fixtures "$OUT/fixtures-$rows.json" --rows "$rows" --days 90
  start "$dir" "$port"
  timeout 1800 taskset -c 1 "$BIN/wasla-bench" pricing-analytics --phase measure \
    --server "http://127.0.0.1:$port" --fixtures "$OUT/fixtures-$rows.json" --days 90 \
    --requests "$REQUESTS" --out "$OUT/result-$rows.json"
  stop
  du -sh "$dir/wasla.db" | sed "s/^/database size for $rows rows: /"
done
echo "results in $OUT"
