#!/usr/bin/env bash
# Cloud API sends at saturation with rating off and on (`billing.rating`), same binary,
# alternated rounds on fresh data directories, the server pinned to core 0 and the generator
# to core 1 (as bench/compare.sh does). Prints one line per run, the medians and the ratio of
# sends/s with rating on to rating off; the JSON results stay in the output dir.
#
# Usage: bench/rating.sh [ROUNDS]   (binaries: target/release/wasla and wasla-bench)
# Tunables: WARMUP=5 DURATION=15 API_PEOPLE=200 API_CONNECTIONS=64
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
WASLA=${WASLA:-target/release/wasla}
BENCH=${BENCH:-target/release/wasla-bench}
WARMUP=${WARMUP:-5} DURATION=${DURATION:-15}
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
gen() { timeout "$1" taskset -c 1 "$BENCH" "${@:2}"; }

# one NAME RATING ROUND
one() {
  local name=$1 rating=$2 round=$3 data port hport
  data="$OUT/$name-$round"; port=$("$BENCH" free-port); hport=$("$BENCH" free-port)
  WASLA_LOG__FILTER=warn WASLA_LIMITS__MESSAGES_PER_SECOND=0 WASLA_LIMITS__PAIR_BURST=0 \
    WASLA_OUTBOUND__ALLOWED_NETWORKS='["127.0.0.1"]' WASLA_BILLING__RATING="$rating" \
    taskset -c 0 "$WASLA" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_healthy "$port"
  gen 300 api-setup --server "http://127.0.0.1:$port" --operator-token-file "$data/operator-token" \
    --persons "$API_PEOPLE" --hook-listen "127.0.0.1:$hport" --out "$data.fixtures.json" >/dev/null
  gen 300 api --target wasla --server "127.0.0.1:$port" --fixtures "$data.fixtures.json" \
    --connections "$API_CONNECTIONS" --server-pid "$pid" --mode saturate \
    --warmup "$WARMUP" --duration "$DURATION" --drain 60 --out "$OUT/run-$name-$round.json" >/dev/null
  stop "$pid"; rm -rf "$data"
  printf '%s round %s: %s sends/s (p99 %s ms, webhooks lost %s)\n' "$name" "$round" \
    "$(jq '.ok_per_s|floor' "$OUT/run-$name-$round.json")" \
    "$(jq '.latency.p99_ms' "$OUT/run-$name-$round.json")" \
    "$(jq '[.webhooks.lost[]?] | add // 0' "$OUT/run-$name-$round.json")"
}

for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then one off false "$r"; one on true "$r"; else one on true "$r"; one off false "$r"; fi
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
off=$(for f in "$OUT"/run-off-*.json; do jq '.ok_per_s' "$f"; done | median)
on=$(for f in "$OUT"/run-on-*.json; do jq '.ok_per_s' "$f"; done | median)
printf 'median rating off %.0f sends/s, rating on %.0f sends/s, ratio on/off %.3f\n' "$off" "$on" \
  "$(echo "$on / $off" | bc -l)"
