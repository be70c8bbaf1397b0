#!/usr/bin/env bash
# bench/tls.sh: TLS beside plaintext, on one server in one session, runs interleaved (plain, TLS, plain, TLS...)
# so that the machine's drift hits both alike. Figures: max-rate fan-out (deliveries/s), quiet fan-out p99 and
# CPU per delivery, handshakes per second and server CPU per handshake, and memory per idle logged-in
# connection. Prints the medians and leaves every run's JSON line in OUT/results.jsonl.
#
#   bash bench/tls.sh [--runs N] [--clients C] [--out DIR]
#     --runs N      rounds of each pair (default 3)
#     --clients C   idle connections for the memory figure (default 10000)
#     --out DIR     where results and logs go (default a new /tmp/chatroom-tls.XXXXXX)
#
# About 15 minutes with the defaults on a quiet 2-core machine (10,000 logins twice a round); --runs 1 --clients 300 for a quick look.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=3
IDLE=10000
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --clients) IDLE=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
OUT=${OUT:-$(mktemp -d /tmp/chatroom-tls.XXXXXX)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

echo "== building (Release)"
dotnet build -c Release -v q --nologo Host/Host.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj >/dev/null
HOST=(dotnet "$ROOT/Host/bin/Release/net10.0/chatroom-host.dll")
LOAD=(dotnet "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll")
PLAIN_PORT=17787
TLS_PORT=17788
DATA=$OUT/data
echo "== creating load accounts in $DATA (PBKDF2 with 1,000 iterations, for the load runs only)"
"${LOAD[@]}" accounts --count $((IDLE + 100)) --iterations 1000 --data "$DATA" 2>&1 | tail -1

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
SERVER_PID=""
trap stop_server EXIT

# A fresh server for every run, as bench/run.sh does, so one run's garbage is not the next one's figure.
start_server() {
  "${HOST[@]}" --port $PLAIN_PORT --data "$DATA" --Tls:Enabled true --Tls:Port $TLS_PORT \
    --Limits:RateLimitEnabled false --Limits:MaxConnections 20000 --Limits:MaxConnectionsPerAddress 20000 \
    --Limits:MaxAnonymous 20000 --Limits:MaxAnonymousPerAddress 20000 \
    --Limits:MaxChecksInFlight 1024 --Limits:MaxChecksPerAddress 1024 \
    --Logging:LogLevel:Default Warning > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  wait_port $PLAIN_PORT
  wait_port $TLS_PORT
}

run() { # run LABEL TLS(0|1) SCENARIO ARGS...
  local label=$1 tls=$2; shift 2
  local port=$PLAIN_PORT flags=()
  if [ "$tls" = 1 ]; then port=$TLS_PORT; flags=(--tls); fi
  start_server
  echo "-- $label $([ "$tls" = 1 ] && echo TLS || echo plaintext)"
  "${LOAD[@]}" "$@" --port $port --pid "$SERVER_PID" --label "$label" "${flags[@]}" --timeout 300 2>/dev/null \
    | tail -1 >> "$RESULTS"
  stop_server
}

for round in $(seq "$RUNS"); do
  echo "== round $round of $RUNS"
  for tls in 0 1; do run fanout-max $tls fanout --clients 100 --messages 300; done
  for tls in 0 1; do run fanout-quiet $tls fanout --clients 100 --messages 50 --rate 5; done
  for tls in 0 1; do run handshakes $tls handshakes --count 2000 --concurrency 16; done
  for tls in 0 1; do run idle $tls connections --clients "$IDLE" --hold 2 --concurrency 64; done
done

python3 - "$RESULTS" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
figures = {
    "fanout-max": [("deliveries_per_sec", "deliveries/s"), ("lost", "lost"), ("dropped_clients", "dropped")],
    "fanout-quiet": [("latency_p99_ms", "p99 ms"), ("server_cpu_sec_per_million", "CPU-s per M deliveries")],
    "handshakes": [("handshakes_per_sec", "handshakes/s"), ("handshake_p99_ms", "p99 ms"), ("server_cpu_ms_per_handshake", "server CPU ms each")],
    "idle": [("kib_per_connection", "KiB per connection"), ("open_seconds", "seconds to log in"), ("logged_in", "logged in")],
}
print(f"{'figure':46} {'plaintext':>12} {'TLS':>12} {'TLS/plain':>10}   (medians of {max(1, len(runs) // 8)})")
for label, wanted in figures.items():
    for key, name in wanted:
        values = {}
        for tls in (False, True):
            xs = [r[key] for r in runs if r.get("label") == label and bool(r.get("tls")) == tls and key in r]
            values[tls] = statistics.median(xs) if xs else float("nan")
        ratio = values[True] / values[False] if values[False] else float("nan")
        print(f"{label + ': ' + name:46} {values[False]:12.2f} {values[True]:12.2f} {ratio:10.2f}")
EOF
echo "results: $RESULTS"
