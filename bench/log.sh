#!/usr/bin/env bash
# bench/log.sh: issue 11's room-log benchmark, ChatRoom with its room log (SQLite in the data folder, the default)
# and without it (--Log:Enabled false: the in-memory log, as before the room log), interleaved in one session.
#
#   bash bench/log.sh                 3 rounds, and a log of 1,000,000 events for the start-up figures (about 8 minutes)
#   options: --runs N   --events N (the big log's size)   --out DIR
#
# Each round starts a fresh server (and an empty data folder holding only the load accounts) for each of:
#   fanout-100x300-max   100 clients each send 300 messages as fast as they can (deliveries per second, lost)
#   fanout-100@5/s       100 clients at 5 messages per second each (latency percentiles, CPU per delivery)
# once without the log, then once with it. The results are labelled "<scenario>" with the server column
# "chatroom-nolog" or "chatroom-log", and `summarize` prints their medians side by side.
# Then the big log: a server with the log is fed N messages (2 clients), stopped, and started 5 times on that
# log: the figure is the time from the start to its "listening on" line, which it writes after reading the log.
# The bytes on disk per event are the database's size (room.db, its WAL checkpointed at the clean stop) over
# the events in it. Everything runs on 127.0.0.1; servers run with the rate limit off, as in bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=3
EVENTS=1000000
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --events) EVENTS=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
OUT=${OUT:-$(mktemp -d /tmp/chatroom-log.XXXXXX)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

echo "== building (Release)"
dotnet build -c Release -v q --nologo Host/Host.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj >/dev/null
SERVER=(dotnet "$ROOT/Host/bin/Release/net10.0/chatroom-host.dll")
LOAD=(dotnet "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll")

PORT=17787
ACCOUNTS=$OUT/accounts
echo "== creating load accounts in $ACCOUNTS (PBKDF2 with 1,000 iterations)"
"${LOAD[@]}" accounts --count 110 --iterations 1000 --data "$ACCOUNTS" 2>&1 | tail -1

SERVER_PID=""
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
trap stop_server EXIT

# start <log: true|false> <data folder>: a server on PORT, logging its own lines to OUT/server.log.
start() {
  STARTED_NS=$(date +%s%N)
  "${SERVER[@]}" --port $PORT --data "$2" --Log:Enabled "$1" \
    --Limits:RateLimitEnabled false --Limits:MaxConnectionsPerAddress 20000 --Limits:MaxAnonymousPerAddress 20000 \
    --Limits:MaxChecksInFlight 1024 --Limits:MaxChecksPerAddress 1024 > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  wait_port $PORT
}

# fresh_data: an empty data folder holding only the load accounts.
fresh_data() {
  rm -rf "$OUT/data"
  mkdir -p "$OUT/data"
  cp "$ACCOUNTS/users.json" "$OUT/data/"
  echo "$OUT/data"
}

measure() { # measure <mode> <label> <loadtest args...>
  local mode=$1 label=$2; shift 2
  local enabled=true
  [ "$mode" = nolog ] && enabled=false
  start $enabled "$(fresh_data)"
  echo "-- $label, chatroom-$mode"
  if "${LOAD[@]}" --protocol chatroom --port $PORT --pid "$SERVER_PID" --server "chatroom-$mode" --label "$label" --timeout 240 "$@" \
    2> >(sed 's/^/   /' >&2) > "$OUT/run.out"; then
    grep -v '^{' "$OUT/run.out" || true
    grep '^{' "$OUT/run.out" >> "$RESULTS" || true
  else
    echo "   (run failed)"
  fi
  stop_server
}

START=$(date +%s)
for i in $(seq "$RUNS"); do
  echo "== round $i of $RUNS"
  for mode in nolog log; do
    measure $mode fanout-100x300-max fanout --clients 100 --messages 300
    measure $mode fanout-100@5/s fanout --clients 100 --messages 50 --rate 5
  done
done

echo "== a log of $EVENTS messages"
BIG=$OUT/big
rm -rf "$BIG"; mkdir -p "$BIG"; cp "$ACCOUNTS/users.json" "$BIG/"
start true "$BIG"
"${LOAD[@]}" --protocol chatroom --port $PORT --pid "$SERVER_PID" --server chatroom-log --label fill --timeout 900 \
  fanout --clients 2 --messages $(( EVENTS / 2 )) 2> >(sed 's/^/   /' >&2) | grep -v '^{' || true
stop_server
LAST=$("${SERVER[@]}" history export --data "$BIG" --since "$(( EVENTS - 10 ))" --format text | tail -1 | cut -d' ' -f1)
BYTES=$(stat -c %s "$BIG/room.db")
WAL=$( [ -f "$BIG/room.db-wal" ] && stat -c %s "$BIG/room.db-wal" || echo 0)
echo "   room.db: $BYTES bytes (WAL $WAL) for $LAST events: $(( (BYTES + WAL) / LAST )) bytes per event (the load test's texts: about 60 bytes)"
echo "{\"label\":\"log-size\",\"scenario\":\"log-size\",\"server\":\"chatroom-log\",\"events\":$LAST,\"bytes\":$((BYTES + WAL)),\"bytes_per_event\":$(( (BYTES + WAL) / LAST ))}" >> "$RESULTS"

startup() { # startup <data>: ms from the start to the "listening on" line (written after the log is read)
  local t0=$(date +%s%N)
  "${SERVER[@]}" --port $PORT --data "$1" > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 3000); do
    grep -q "listening on" "$OUT/server.log" && break
    sleep 0.01
  done
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
  grep -q "listening on" "$OUT/server.log" || { cat "$OUT/server.log"; return 1; }
  stop_server
}
for i in 1 2 3 4 5; do
  big=$(startup "$BIG")
  empty=$(startup "$(fresh_data)")
  echo "   start-up: $big ms with the log of $LAST events, $empty ms with an empty log"
  echo "{\"label\":\"startup\",\"scenario\":\"startup\",\"server\":\"chatroom-log\",\"events\":$LAST,\"big_ms\":$big,\"empty_ms\":$empty}" >> "$RESULTS"
done

echo
echo "== results: medians of $RUNS run(s), $(nproc) cores, $(( $(date +%s) - START )) s"
"${LOAD[@]}" summarize "$RESULTS"
echo
echo "raw results: $RESULTS"
