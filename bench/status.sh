#!/usr/bin/env bash
# Status: a fresh Wasla (SQLite, pinned to core 0) gets PERSONS people through the admin API;
# then `wasla-bench status` (pinned to core 1) lists CONTACTS of them as one person's contacts,
# connects them all by WebSocket and times POSTS posts until every socket has the frame, and
# times GET /client/v1/status for one viewer with SMALL and then LARGE live updates on the
# server (the viewer's own feed stays the same). The JSON is kept in $OUT.
#
# Usage: bench/status.sh   (CONTACTS=5000 POSTS=5 SMALL=1000 LARGE=100000 READS=1000,
#        PROFILE=release, or BIN=<dir holding wasla and wasla-bench>)
set -euo pipefail
cd "$(dirname "$0")/.."

CONTACTS=${CONTACTS:-5000}
POSTS=${POSTS:-5}
SMALL=${SMALL:-1000}
LARGE=${LARGE:-100000}
READS=${READS:-1000}
FEED_AUTHORS=${FEED_AUTHORS:-50}
BACKGROUND=${BACKGROUND:-1000}
PROFILE=${PROFILE:-release}
OUT=${OUT:-$(mktemp -d /tmp/wasla-status.XXXXXX)}
PERSONS=$((CONTACTS + 2 + FEED_AUTHORS + BACKGROUND))

if [ -z "${BIN:-}" ]; then
  if [ "$PROFILE" = release ]; then
    timeout 1800 cargo build --release -p wasla-server -p wasla-bench
  else
    timeout 1800 cargo build -p wasla-server -p wasla-bench
  fi
  BIN=target/$PROFILE
fi

ulimit -n $((CONTACTS * 2 + 4096))
PORT=$("$BIN/wasla-bench" free-port)
taskset -c 0 env WASLA_LOG__FILTER=warn "$BIN/wasla" serve --data-dir "$OUT/data" \
  --listen "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.1
done

timeout 600 taskset -c 1 "$BIN/wasla-bench" setup --server "http://127.0.0.1:$PORT" \
  --operator-token-file "$OUT/data/operator-token" --persons "$PERSONS" --out "$OUT/people.json"
timeout 1800 taskset -c 1 "$BIN/wasla-bench" status --server "http://127.0.0.1:$PORT" \
  --url "ws://127.0.0.1:$PORT/client/v1/ws" --accounts "$OUT/people.json" \
  --contacts "$CONTACTS" --posts "$POSTS" --feed-authors "$FEED_AUTHORS" \
  --small "$SMALL" --large "$LARGE" --reads "$READS" --out "$OUT/status.json"
echo "results in $OUT/status.json"
