#!/usr/bin/env bash
# Wasla's benchmarks, end to end: builds release binaries, starts each server pinned to core 0
# and the load generator pinned to core 1, runs the end-to-end messaging and idle-connection
# scenarios and the Cloud API send and webhook scenario against Wasla and their bare
# baselines, stops the servers and prints a summary. With --write it also updates the
# generated sections of bench/RESULTS.md that this run measured (the others are kept).
#
# Usage: bench/run.sh [--write] [--only e2e|idle|api]
# Tunables (environment): PAIRS=1000 WINDOWS="1 4" WARMUP=10 DURATION=20 IDLE_COUNTS="10000 19000"
#   API_PEOPLE=200 API_CONNECTIONS=64 API_WARMUP=5 API_DURATION=15 API_HOOK_RATE=1000
# Every step is bounded by `timeout`; the whole run takes about 10 to 15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

ARGS="$*"
WRITE=0
ONLY=all
while [ $# -gt 0 ]; do
  case "$1" in
    --write) WRITE=1 ;;
    --only) ONLY="$2"; shift ;;
    *) echo "usage: bench/run.sh [--write] [--only e2e|idle|api]" >&2; exit 2 ;;
  esac
  shift
done

PAIRS=${PAIRS:-1000}
WINDOWS=${WINDOWS:-"1 4"}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-20}
IDLE_COUNTS=${IDLE_COUNTS:-"10000 19000"}
API_PEOPLE=${API_PEOPLE:-200}
API_CONNECTIONS=${API_CONNECTIONS:-64}
API_WARMUP=${API_WARMUP:-5}
API_DURATION=${API_DURATION:-15}
API_HOOK_RATE=${API_HOOK_RATE:-1000}
SERVER_CPU=0
GEN_CPU=1

timeout 900 cargo build --release -p wasla-server -p wasla-bench
WASLA=target/release/wasla
BENCH=target/release/wasla-bench

# As many open files as allowed: each idle connection is one descriptor on each side.
ulimit -n "$(ulimit -Hn)"

OUT=$(mktemp -d)
echo "results in $OUT"
# Each scenario records its commands in commands-<section>.txt, starting with the run's own.
SECTION=all
section() {
  SECTION=$1
  {
    echo "# bench/run.sh $ARGS  (PAIRS=$PAIRS WINDOWS=\"$WINDOWS\" WARMUP=$WARMUP DURATION=$DURATION IDLE_COUNTS=\"$IDLE_COUNTS\" API_PEOPLE=$API_PEOPLE API_CONNECTIONS=$API_CONNECTIONS API_WARMUP=$API_WARMUP API_DURATION=$API_DURATION API_HOOK_RATE=$API_HOOK_RATE)"
    echo "cargo build --release -p wasla-server -p wasla-bench"
    echo "ulimit -n $(ulimit -n)"
  } >"$OUT/commands-$SECTION.txt"
}
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # The databases are large and not needed after the run; the JSON results stay.
  [ -n "${KEEP_DATA:-}" ] || rm -rf "$OUT/e2e-data" "$OUT/idle-data" "$OUT/api-data"
}
trap cleanup EXIT

# Record a command (with the temporary directory written as $OUT) and run it.
run() {
  echo "$*" | sed "s#$OUT#\$OUT#g" >>"$OUT/commands-$SECTION.txt"
  "$@"
}

# A port on 127.0.0.1 that is free now (the tool binds it to check, then releases it).
free_port() {
  local port
  port=$("$BENCH" free-port)
  if ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port "; then
    echo "port $port is in use" >&2
    exit 1
  fi
  echo "$port"
}

wait_healthy() {
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not come up" >&2
  exit 1
}

# start NAME PORT COMMAND…: start a server pinned to the server core; sets SERVER_PID.
start() {
  local name=$1 port=$2
  shift 2
  echo "taskset -c $SERVER_CPU $*" | sed "s#$OUT#\$OUT#g" >>"$OUT/commands-$SECTION.txt"
  taskset -c "$SERVER_CPU" "$@" >"$OUT/$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_healthy "$port"
}

stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

start_wasla() {
  local data=$1 port=$2
  start "wasla-$port" "$port" \
    env WASLA_LOG__FILTER=warn "$WASLA" serve --data-dir "$data" --listen "127.0.0.1:$port"
}

gen() { run timeout "$1" taskset -c "$GEN_CPU" "$BENCH" "${@:2}"; }

e2e() {
  section e2e
  echo "== end-to-end messaging: $PAIRS pairs"
  local wdata wport rport wpid rpid rate
  wdata="$OUT/e2e-data"
  mkdir -p "$wdata"
  wport=$(free_port)
  start_wasla "$wdata" "$wport"
  wpid=$SERVER_PID
  gen 300 setup --server "http://127.0.0.1:$wport" --operator-token-file "$wdata/operator-token" \
    --persons $((PAIRS * 2)) --pair --out "$OUT/fixtures-e2e.json"
  rport=$(free_port)
  start relay "$rport" "$BENCH" relay --listen "127.0.0.1:$rport"
  rpid=$SERVER_PID
  local common=(--pairs "$PAIRS" --warmup "$WARMUP" --duration "$DURATION"
    --sources 127.0.100.1,127.0.100.2)
  local limit=$((WARMUP + DURATION + 120)) w target best
  # Saturation at each window; the best window of each server is its saturation rate.
  for w in $WINDOWS; do
    gen "$limit" e2e --target relay --url "ws://127.0.0.1:$rport/client/v1/ws" --mode saturate \
      --window "$w" "${common[@]}" --server-pid "$rpid" --out "$OUT/sat-relay-w$w.json" >/dev/null
    gen "$limit" e2e --target wasla --url "ws://127.0.0.1:$wport/client/v1/ws" --mode saturate \
      --window "$w" --accounts "$OUT/fixtures-e2e.json" "${common[@]}" --server-pid "$wpid" \
      --out "$OUT/sat-wasla-w$w.json" >/dev/null
  done
  for target in relay wasla; do
    best=$(for w in $WINDOWS; do
      echo "$(jq .delivered_per_s "$OUT/sat-$target-w$w.json") $OUT/sat-$target-w$w.json"
    done | sort -g | tail -1 | cut -d' ' -f2)
    cp "$best" "$OUT/e2e-saturate-$target.json"
  done
  # Half of Wasla's saturation rate, for both servers.
  rate=$(jq '.delivered_per_s / 2 | floor' "$OUT/e2e-saturate-wasla.json")
  gen "$limit" e2e --target wasla --url "ws://127.0.0.1:$wport/client/v1/ws" --mode rate \
    --rate "$rate" --accounts "$OUT/fixtures-e2e.json" "${common[@]}" --server-pid "$wpid" \
    --out "$OUT/e2e-rate-wasla.json" >/dev/null
  gen "$limit" e2e --target relay --url "ws://127.0.0.1:$rport/client/v1/ws" --mode rate \
    --rate "$rate" "${common[@]}" --server-pid "$rpid" --out "$OUT/e2e-rate-relay.json" >/dev/null
  stop "$wpid"
  stop "$rpid"
}

idle() {
  local max=0 n wdata port run=0 sources
  section idle
  for n in $IDLE_COUNTS; do [ "$n" -gt "$max" ] && max=$n; done
  echo "== idle connections: $IDLE_COUNTS"
  wdata="$OUT/idle-data"
  mkdir -p "$wdata"
  port=$(free_port)
  start_wasla "$wdata" "$port"
  gen 600 setup --server "http://127.0.0.1:$port" --operator-token-file "$wdata/operator-token" \
    --persons "$max" --concurrency 32 --out "$OUT/fixtures-idle.json"
  stop "$SERVER_PID"
  for n in $IDLE_COUNTS; do
    # Fresh source addresses per run (no TIME_WAIT left from the previous one), and enough
    # of them that no address needs more than ~10k of its ~28k ephemeral ports.
    run=$((run + 1))
    sources=$(seq -s, -f "127.0.$run.%g" 1 $(((n + 9999) / 10000 + 1)))
    # A fresh server process for each measurement, so earlier work does not pre-grow its heap.
    port=$(free_port)
    start bare "$port" "$BENCH" bare-ws --listen "127.0.0.1:$port"
    sleep 1
    gen 400 idle --target bare --url "ws://127.0.0.1:$port/client/v1/ws" --count "$n" \
      --sources "$sources" --server-pid "$SERVER_PID" --out "$OUT/idle-bare-$n.json" >/dev/null
    stop "$SERVER_PID"
    port=$(free_port)
    start_wasla "$wdata" "$port"
    sleep 1
    gen 400 idle --target wasla --url "ws://127.0.0.1:$port/client/v1/ws" --count "$n" \
      --accounts "$OUT/fixtures-idle.json" --sources "$sources" --server-pid "$SERVER_PID" \
      --out "$OUT/idle-wasla-$n.json" >/dev/null
    stop "$SERVER_PID"
  done
}

api() {
  section api
  echo "== Cloud API sends and webhooks: $API_PEOPLE people, $API_CONNECTIONS connections"
  local port wdata wport hport wpid rate target
  local timing=(--warmup "$API_WARMUP" --duration "$API_DURATION")
  local limit=$((API_WARMUP + API_DURATION + 60))
  # The baselines, each in a fresh process.
  for target in hello echo; do
    port=$(free_port)
    if [ "$target" = hello ]; then
      start hello "$port" "$BENCH" hello --listen "127.0.0.1:$port"
    else
      start echo "$port" "$BENCH" echo-api --listen "127.0.0.1:$port"
    fi
    sleep 1
    gen "$limit" api --target "$target" --server "127.0.0.1:$port" --mode saturate \
      --connections "$API_CONNECTIONS" "${timing[@]}" --server-pid "$SERVER_PID" \
      --out "$OUT/api-$target-saturate.json" >/dev/null
    stop "$SERVER_PID"
  done
  # The webhook floor: the echo plus three signed status POSTs per send, to a receiver in the
  # generator that checks every signature.
  port=$(free_port)
  hport=$(free_port)
  start floor "$port" "$BENCH" echo-hooks --listen "127.0.0.1:$port" \
    --hook-url "http://127.0.0.1:$hport/hook"
  sleep 1
  gen $((limit + 60)) api --target floor --server "127.0.0.1:$port" --hook-listen "127.0.0.1:$hport" \
    --mode saturate --connections "$API_CONNECTIONS" "${timing[@]}" --drain 30 \
    --server-pid "$SERVER_PID" --out "$OUT/api-floor-saturate.json" >/dev/null
  stop "$SERVER_PID"
  # Wasla with throughput limits off; the webhook receiver's address is fixed by the setup.
  wdata="$OUT/api-data"
  mkdir -p "$wdata"
  wport=$(free_port)
  start "wasla-$wport" "$wport" env WASLA_LOG__FILTER=warn WASLA_LIMITS__MESSAGES_PER_SECOND=0 \
    WASLA_LIMITS__PAIR_BURST=0 WASLA_OUTBOUND__ALLOWED_NETWORKS='["127.0.0.1"]' "$WASLA" serve --data-dir "$wdata" --listen "127.0.0.1:$wport"
  wpid=$SERVER_PID
  hport=$(free_port)
  gen 300 api-setup --server "http://127.0.0.1:$wport" --operator-token-file "$wdata/operator-token" \
    --persons "$API_PEOPLE" --hook-listen "127.0.0.1:$hport" --out "$OUT/fixtures-api.json"
  local common=(--target wasla --server "127.0.0.1:$wport" --fixtures "$OUT/fixtures-api.json"
    --connections "$API_CONNECTIONS" --server-pid "$wpid")
  gen $((limit + 120)) api "${common[@]}" --mode saturate "${timing[@]}" --drain 90 \
    --out "$OUT/api-wasla-saturate.json" >/dev/null
  rate=$(jq '.ok_per_s / 2 | floor' "$OUT/api-wasla-saturate.json")
  gen $((limit + 120)) api "${common[@]}" --mode rate --rate "$rate" "${timing[@]}" --drain 60 \
    --out "$OUT/api-wasla-rate.json" >/dev/null
  gen $((limit + 120)) api "${common[@]}" --mode rate --rate "$API_HOOK_RATE" "${timing[@]}" \
    --drain 60 --out "$OUT/api-wasla-webhooks.json" >/dev/null
  # The receiver answers 500 for 10 s, 5 s into a 30 s measured window.
  gen 300 api "${common[@]}" --mode rate --rate "$API_HOOK_RATE" --warmup "$API_WARMUP" \
    --duration 30 --outage-at 5 --outage-for 10 --drain 120 \
    --out "$OUT/api-wasla-outage.json" >/dev/null
  stop "$wpid"
  # The generator's own latency floor at the rate of Wasla's latency run: the hello-world.
  port=$(free_port)
  start hello "$port" "$BENCH" hello --listen "127.0.0.1:$port"
  sleep 1
  gen "$limit" api --target hello --server "127.0.0.1:$port" --mode rate --rate "$rate" \
    --connections "$API_CONNECTIONS" "${timing[@]}" --server-pid "$SERVER_PID" \
    --out "$OUT/api-hello-rate.json" >/dev/null
  stop "$SERVER_PID"
}

echo "start: $(cut -d' ' -f1-3 /proc/loadavg)" >"$OUT/loadavg.txt"
if [ "$ONLY" = all ] || [ "$ONLY" = e2e ]; then e2e; fi
if [ "$ONLY" = all ] || [ "$ONLY" = idle ]; then idle; fi
if [ "$ONLY" = all ] || [ "$ONLY" = api ]; then api; fi

echo "end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/loadavg.txt"
echo "== summary"
for f in "$OUT"/sat-*.json "$OUT"/e2e-*.json; do
  [ -e "$f" ] || continue
  jq -r --arg f "$(basename "$f" .json)" \
    '"\($f): \(.delivered_per_s|floor) msg/s delivered, p50 \(.latency.p50_ms) ms, p99 \(.latency.p99_ms) ms, server cpu \((.cpu.server // 0) * 100 | floor)%, generator cpu \(.cpu.generator * 100 | floor)%"' "$f"
done
for f in "$OUT"/api-*.json; do
  [ -e "$f" ] || continue
  jq -r --arg f "$(basename "$f" .json)" \
    '"\($f): \(.ok_per_s|floor) req/s, p50 \(.latency.p50_ms) ms, p99 \(.latency.p99_ms) ms, errors \(.errors), server cpu \((.cpu.server // 0) * 100 | floor)%, generator cpu \(.cpu.generator * 100 | floor)%" + (if .webhooks then ", webhooks p99 \(.webhooks.latency.p99_ms) ms, lost \(.webhooks.lost), flat \(.webhooks.backlog_flat), drain \(.webhooks.outage.drain_s // "-")" else "" end)' "$f"
done
for f in "$OUT"/idle-*-*.json; do
  [ -e "$f" ] || continue
  jq -r --arg f "$(basename "$f" .json)" \
    '"\($f): \(.connected) connected, \(.dropped) dropped, \(.bytes_per_connection|floor) bytes/connection"' "$f"
done
if [ "$WRITE" = 1 ]; then
  commit=$(git rev-parse --short HEAD)
  git diff --quiet HEAD -- crates Cargo.toml Cargo.lock || commit="$commit (with uncommitted changes)"
  "$BENCH" report --dir "$OUT" --out bench/RESULTS.md --commit "$commit" \
    --date "$(date -u '+%Y-%m-%d %H:%M UTC')"
fi
