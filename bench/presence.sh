#!/usr/bin/env bash
# bench/presence.sh: 10,000 logins into one room, protocol 1 (a JOINED per login per member) against protocol 3
# (PRESENCE lines once the room is large; docs/PROTOCOL.md section 15), interleaved, each on a fresh server.
#
#   bash bench/presence.sh [--rounds N] [--clients C] [--out DIR]     (default 2 rounds of 10,000: about 4 minutes)
#
# Every 1,000th client keeps the list of who is in the room it was told (--check-views), checked at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=2
CLIENTS=10000
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    --out) OUT=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
OUT=${OUT:-$(mktemp -d /tmp/chatroom-presence.XXXXXX)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
echo "== building (Release)"
dotnet build -c Release -v q --nologo Host/Host.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj >/dev/null
LOAD=(dotnet "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll")
"${LOAD[@]}" accounts --count $((CLIENTS + 100)) --iterations 1000 --data "$OUT/data" 2>&1 | tail -1

SERVER_PID=""
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
trap stop_server EXIT
PORT=17791

for round in $(seq "$ROUNDS"); do
  for protocol in chatroom chatroom3; do
    rm -f "$OUT"/data/room.db*
    dotnet "$ROOT/Host/bin/Release/net10.0/chatroom-host.dll" --port "$PORT" --data "$OUT/data" \
      --Limits:RateLimitEnabled false --Limits:MaxConnections 20000 --Limits:MaxConnectionsPerAddress 20000 \
      --Limits:MaxAnonymous 20000 --Limits:MaxAnonymousPerAddress 20000 \
      --Limits:MaxChecksInFlight 1024 --Limits:MaxChecksPerAddress 1024 \
      --Logging:LogLevel:Default Warning > "$OUT/server-$protocol-$round.log" 2>&1 &
    SERVER_PID=$!
    wait_port "$PORT"
    echo "-- round $round, $protocol"
    "${LOAD[@]}" --protocol $protocol --port "$PORT" --pid "$SERVER_PID" --label "logins-$CLIENTS-$protocol" --check-views 1000 \
      --timeout 240 connections --clients "$CLIENTS" --hold 2 2> "$OUT/load-$protocol-$round.err" | grep '^{' | tee -a "$RESULTS"
    stop_server
  done
done
echo "raw results: $RESULTS"
