#!/usr/bin/env bash
# pricing_analytics as the ledger grows: for each size in ROWS, a fresh Wasla (SQLite) gets a
# business through the admin API, is stopped, and gets that many rated messages over the last
# 90 days written straight into its database (ledger rows and the rollups rating keeps with
# them). Then one server per size runs (all pinned to core 0, the generator to core 1) and
# the sizes are measured in turn, ROUNDS times, so that whatever else the machine does falls
# on every size alike: each query shape REQUESTS times, one at a time, after a warm-up.
# Prints each shape's p50 / p99 per size and round; the JSON is kept in $OUT.
#
# Usage: bench/analytics.sh   (ROWS="100000 10000000" REQUESTS=300 ROUNDS=3 PROFILE=release,
#        or BIN=<dir holding wasla and wasla-bench>; REUSE=1 with an OUT of an earlier run
#        measures its databases again without seeding)
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-"100000 10000000"}
REQUESTS=${REQUESTS:-300}
ROUNDS=${ROUNDS:-3}
PROFILE=${PROFILE:-release}
OUT=${OUT:-$(mktemp -d /tmp/wasla-analytics.XXXXXX)}
REUSE=${REUSE:-0}

if [ -z "${BIN:-}" ]; then
  if [ "$PROFILE" = release ]; then
    timeout 1800 cargo build --release -p wasla-server -p wasla-bench
  else
    timeout 1800 cargo build -p wasla-server -p wasla-bench
  fi
  BIN=target/$PROFILE
fi

wait_up() {
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}

declare -A PIDS PORTS
start() { # rows
  local dir="$OUT/data-$1"
  PORTS[$1]=$("$BIN/wasla-bench" free-port)
  taskset -c 0 env WASLA_LOG__FILTER=error "$BIN/wasla" serve --data-dir "$dir" \
    --listen "127.0.0.1:${PORTS[$1]}" >"$OUT/server-$1.log" 2>&1 &
  PIDS[$1]=$!
  wait_up "${PORTS[$1]}"
}
stop() { # rows
  kill "${PIDS[$1]}"
  wait "${PIDS[$1]}" || true
}

if [ "$REUSE" != 1 ]; then
  for rows in $ROWS; do
    mkdir -p "$OUT/data-$rows"
    start "$rows"
    timeout 60 "$BIN/wasla-bench" pricing-analytics --phase setup --server "http://127.0.0.1:${PORTS[$rows]}" \
      --operator-token-file "$OUT/data-$rows/operator-token" --fixtures "$OUT/fixtures-$rows.json"
    stop "$rows"
    timeout 3600 taskset -c 1 "$BIN/wasla-bench" pricing-analytics --phase seed --db "$OUT/data-$rows/wasla.db" \
      --fixtures "$OUT/fixtures-$rows.json" --rows "$rows" --days 90
    du -sh "$OUT/data-$rows/wasla.db" | sed "s/^/database size for $rows rows: /"
  done
fi

for rows in $ROWS; do start "$rows"; done
# Let each server finish what it does at start before measuring.
sleep 5
for round in $(seq 1 "$ROUNDS"); do
  for rows in $ROWS; do
    echo "round $round, $rows rows:"
    timeout 1800 taskset -c 1 "$BIN/wasla-bench" pricing-analytics --phase measure \
      --server "http://127.0.0.1:${PORTS[$rows]}" --fixtures "$OUT/fixtures-$rows.json" --days 90 \
      --requests "$REQUESTS" --out "$OUT/result-$rows-$round.json"
  done
done
for rows in $ROWS; do stop "$rows"; done
echo "results in $OUT"
