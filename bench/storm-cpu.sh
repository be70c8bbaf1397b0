#!/usr/bin/env bash
# bench/storm-cpu.sh [--perf] [--host-dll PATH] [--protocol chatroom|chatroom3]: one login storm (10,000 users into one room, 256 handshakes in
# flight, as run.sh's connections scenario) against a fresh server, printing the CPU-seconds of the server and
# of the load generator every 5 s, and with --perf a profile of the server (perf record -g for 10 s, 8 s in),
# reported by symbol. Used for docs/BENCHMARKS.md, issue 14. About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
PERF=0
PROTOCOL=chatroom
HOST_DLL=$PWD/Host/bin/Release/net10.0/chatroom-host.dll
while [ $# -gt 0 ]; do
  case "$1" in
    --perf) PERF=1 ;;
    --host-dll) HOST_DLL=$2; shift ;;
    --protocol) PROTOCOL=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
[ "$HOST_DLL" = "$PWD/Host/bin/Release/net10.0/chatroom-host.dll" ] && dotnet build -c Release -v q --nologo Host/Host.csproj > /dev/null
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj > /dev/null
LOAD=(dotnet bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll)
OUT=$(mktemp -d /tmp/chatroom-storm.XXXXXX)
"${LOAD[@]}" accounts --count 10100 --iterations 1000 --data "$OUT/data" > /dev/null 2>&1
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
# perf can name JIT-compiled methods from the perf map, and only in plain anonymous memory (no W^X double mapping).
env DOTNET_PerfMapEnabled=$PERF DOTNET_EnableWriteXorExecute=$((1 - PERF)) dotnet "$HOST_DLL" --port 17811 --data "$OUT/data" \
  --Limits:RateLimitEnabled false --Limits:MaxConnections 20000 --Limits:MaxConnectionsPerAddress 20000 \
  --Limits:MaxAnonymous 20000 --Limits:MaxAnonymousPerAddress 20000 --Limits:MaxChecksInFlight 1024 \
  --Limits:MaxChecksPerAddress 1024 --Logging:LogLevel:Default Warning > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
source bench/lib.sh
wait_port 17811
"${LOAD[@]}" --port 17811 --pid $SERVER connections --clients 10000 --hold 2 --concurrency 256 --protocol "$PROTOCOL" > "$OUT/run.out" 2>&1 &
GEN=$!
PROFILER=""
if [ $PERF = 1 ]; then
  (sleep 8; perf record -F 499 -g -p $SERVER -o "$OUT/perf.data" -- sleep 10 > /dev/null 2>&1) &
  PROFILER=$!
fi
cpu() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null; }
for i in $(seq 36); do
  sleep 5
  kill -0 $GEN 2>/dev/null || break
  echo "t=$((i * 5)) s: server $(cpu $SERVER) CPU-s, generator $(cpu $GEN) CPU-s"
done
wait $GEN || true
echo "server $(cpu $SERVER) CPU-s in all; $(grep -o 'open_seconds=[0-9.]*' "$OUT/run.out")"
if [ $PERF = 1 ]; then
  wait $PROFILER
  perf report -i "$OUT/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep '%' | head -25
fi
rm -rf "$OUT"
