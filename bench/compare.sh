#!/usr/bin/env bash
# Alternated quick runs of two builds of the server, for changes that should not move the
# figures (a refactor) or should move them a little: each round starts a fresh server of
# build A, then of build B (then B first in the next round, so neither always runs after the
# other), each on a fresh data directory, pinned to core 0 with the generator on core 1, and
# measures end-to-end messaging at saturation (window 1) and Cloud API sends at saturation.
# Prints one line per run and the medians per build; the JSON results stay in the output dir.
#
# Usage: bench/compare.sh WASLA_A WASLA_B [ROUNDS]   (the generator is target/release/wasla-bench)
# Tunables: PAIRS=1000 WARMUP=5 DURATION=15 API_PEOPLE=200 API_CONNECTIONS=64
set -euo pipefail
cd "$(dirname "$0")/.."
A=$1 B=$2 ROUNDS=${3:-3}
BENCH=${BENCH:-target/release/wasla-bench}
PAIRS=${PAIRS:-1000} WARMUP=${WARMUP:-5} DURATION=${DURATION:-15}
API_PEOPLE=${API_PEOPLE:-200} API_CONNECTIONS=${API_CONNECTIONS:-64}
OUT=$(mktemp -d)
echo "results in $OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

wait_healthy() {
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "server on port $1 did not come up" >&2; exit 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# serve BIN DATA PORT: a fresh server on core 0 (webhook receivers are on 127.0.0.1).
serve() {
  WASLA_LOG__FILTER=warn WASLA_LIMITS__MESSAGES_PER_SECOND=0 WASLA_LIMITS__PAIR_BURST=0 \
    WASLA_OUTBOUND__ALLOWED_NETWORKS='["127.0.0.1"]' \
    taskset -c 0 "$1" serve --data-dir "$2" --listen "127.0.0.1:$3" >"$2.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_healthy "$3"
}
gen() { timeout "$1" taskset -c 1 "$BENCH" "${@:2}"; }

# one NAME BIN ROUND: e2e then API, each on a fresh server.
one() {
  local name=$1 bin=$2 round=$3 data port hport
  data="$OUT/$name-$round-e2e"; port=$("$BENCH" free-port)
  serve "$bin" "$data" "$port"
  gen 300 setup --server "http://127.0.0.1:$port" --operator-token-file "$data/operator-token" \
    --persons $((PAIRS * 2)) --pair --out "$data.fixtures.json" >/dev/null
  gen 200 e2e --target wasla --url "ws://127.0.0.1:$port/client/v1/ws" --mode saturate --window 1 \
    --accounts "$data.fixtures.json" --pairs "$PAIRS" --warmup "$WARMUP" --duration "$DURATION" \
    --sources 127.0.100.1,127.0.100.2 --server-pid "$SERVER_PID" --out "$OUT/$name-$round-e2e.json" >/dev/null
  stop "$SERVER_PID"; rm -rf "$data"
  data="$OUT/$name-$round-api"; port=$("$BENCH" free-port); hport=$("$BENCH" free-port)
  serve "$bin" "$data" "$port"
  gen 300 api-setup --server "http://127.0.0.1:$port" --operator-token-file "$data/operator-token" \
    --persons "$API_PEOPLE" --hook-listen "127.0.0.1:$hport" --out "$data.fixtures.json" >/dev/null
  gen 300 api --target wasla --server "127.0.0.1:$port" --fixtures "$data.fixtures.json" \
    --connections "$API_CONNECTIONS" --server-pid "$SERVER_PID" --mode saturate \
    --warmup "$WARMUP" --duration "$DURATION" --drain 60 --out "$OUT/$name-$round-api.json" >/dev/null
  stop "$SERVER_PID"; rm -rf "$data"
  printf '%s round %s: e2e %s msg/s (p99 %s ms), api %s sends/s (p99 %s ms, webhooks lost %s)\n' \
    "$name" "$round" "$(jq '.delivered_per_s|floor' "$OUT/$name-$round-e2e.json")" \
    "$(jq '.latency.p99_ms' "$OUT/$name-$round-e2e.json")" \
    "$(jq '.ok_per_s|floor' "$OUT/$name-$round-api.json")" \
    "$(jq '.latency.p99_ms' "$OUT/$name-$round-api.json")" \
    "$(jq '[.webhooks.lost[]?] | add // 0' "$OUT/$name-$round-api.json")"
}

for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then one A "$A" "$r"; one B "$B" "$r"; else one B "$B" "$r"; one A "$A" "$r"; fi
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for name in A B; do
  e2e=$(for f in "$OUT"/$name-*-e2e.json; do jq '.delivered_per_s' "$f"; done | median)
  api=$(for f in "$OUT"/$name-*-api.json; do jq '.ok_per_s' "$f"; done | median)
  printf 'median %s: e2e %.0f msg/s, api %.0f sends/s\n' "$name" "$e2e" "$api"
done
