#!/usr/bin/env bash
# bench/cluster.sh: issue 12's benchmark, one room served by several hosts on NATS JetStream, in one session.
#
#   bash bench/cluster.sh             3 rounds, the append rate, and start-up on streams of 100,000 and 1,000,000
#                                     events (about 20 minutes on an idle 2-core machine)
#   bash bench/cluster.sh --quick     a smoke test: small sizes, 1 round, a stream of 10,000 (about 3 minutes)
#   bash bench/cluster.sh --part extras   only the two figures added after the first session (see below)
#   options: --runs N   --replay "N1 N2 ..." (stream sizes for the start-up figures; "" for none)   --out DIR
#
# It starts its own nats-server (installed with apt-get if missing) with JetStream on a free port and its store
# in the output folder. Each round then starts, for each configuration in turn, fresh host(s) on free ports:
#   embedded-1    one host on its embedded room log (SQLite in the data folder, the default settings)
#   jetstream-1   one host on JetStream (--Cluster:Url, a room of its own, so an empty stream)
#   jetstream-2   two hosts on JetStream, one room; the load test spreads the clients over both (--ports a,b),
#                 so most deliveries cross hosts: a message said on A counts when B's members receive it
# and runs the scenarios against it:
#   fanout-100x300-max   100 clients each send 300 messages as fast as they can (deliveries per second, lost)
#   fanout-100@5/s       100 clients at 5 messages per second each (latency percentiles, CPU per delivery)
# The configurations are interleaved (a b c a b c ...) and `summarize` prints the medians side by side.
# server_cpu_sec sums the hosts' CPU; nats_cpu_sec is the NATS server's over the same run.
# Then the JetStream figures without chat traffic:
#   js-append-B   the host's own JetStreamRoomLog.Append, batches of B events one at a time as its log writer
#                 does (each published pipelined, then every ack awaited): events per second one stream commits
#   replay-N      a stream of N events (appended the same way, batches of 1,024); a host is started on it 3 times:
#                 listen_ms is the start to its open port, welcome_ms the start to a login's WELCOME, which a
#                 cluster host sends when the newcomer's JOINED comes back through the stream, after all N
# and the extras: js-append-1024-x2, two appenders on one stream at once (each as one host's writer: does the
# stream commit more than one writer does?), and login-warm, a login's WELCOME on a host already warm (the
# time one JOINED takes through the stream), against login-warm on the embedded log.
# Everything runs on 127.0.0.1; hosts run with the rate limit off, as in bench/run.sh and bench/log.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUNS=3
REPLAY="100000 1000000"
QUICK=0
PART=all
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --replay) REPLAY=$2; shift ;;
    --out) OUT=$2; shift ;;
    --quick) QUICK=1; RUNS=1; REPLAY=10000 ;;
    --part) PART=$2; shift ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
OUT=${OUT:-$(mktemp -d /tmp/chatroom-cluster.XXXXXX)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

if ! command -v nats-server >/dev/null; then
  echo "== nats-server is not installed: installing it (apt-get install -y nats-server)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
fi

echo "== building (Release)"
dotnet build -c Release -v q --nologo Host/Host.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj >/dev/null
SERVER=(dotnet "$ROOT/Host/bin/Release/net10.0/chatroom-host.dll")
LOAD=(dotnet "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll")

ACCOUNTS=$OUT/accounts
echo "== creating load accounts in $ACCOUNTS (PBKDF2 with 1,000 iterations)"
"${LOAD[@]}" accounts --count 110 --iterations 1000 --data "$ACCOUNTS" 2>&1 | tail -1

# free_port: a port nothing listens on now (the kernel's pick for a socket bound to port 0).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# stop_pid PID: SIGTERM, then SIGKILL after 10 s (a host stopping commits its members' LEFT first).
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

HOST_PIDS=()
HOST_PORTS=()
NATS_PID=""
stop_hosts() {
  for pid in "${HOST_PIDS[@]}"; do stop_pid "$pid"; done
  HOST_PIDS=()
  HOST_PORTS=()
}
cleanup() {
  stop_hosts
  [ -n "$NATS_PID" ] && stop_pid "$NATS_PID"
  NATS_PID=""
}
trap cleanup EXIT

NATS_PORT=$(free_port)
NATS_URL=nats://127.0.0.1:$NATS_PORT
echo "== nats-server $(nats-server --version | awk '{print $2}') with JetStream on $NATS_URL, store $OUT/nats"
nats-server -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$OUT/nats" > "$OUT/nats.log" 2>&1 &
NATS_PID=$!
for _ in $(seq 150); do
  kill -0 "$NATS_PID" 2>/dev/null || { cat "$OUT/nats.log"; echo "nats-server exited" >&2; exit 1; }
  grep -q "Server is ready" "$OUT/nats.log" && break
  sleep 0.1
done
grep -q "Server is ready" "$OUT/nats.log" || { echo "nats-server was not ready within 15 s" >&2; exit 1; }

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# start_host <data folder> [room]: a host on a free port (on JetStream room <room> when given), its own lines
# in <data folder>.log; its pid and port are added to HOST_PIDS and HOST_PORTS.
start_host() {
  local data=$1 room=${2:-} port cluster=()
  port=$(free_port)
  [ -n "$room" ] && cluster=(--Cluster:Url "$NATS_URL" --Cluster:Room "$room")
  STARTED_NS=$(date +%s%N)
  STARTED_MS=$((STARTED_NS / 1000000))
  "${SERVER[@]}" --port "$port" --data "$data" "${cluster[@]}" \
    --Limits:RateLimitEnabled false --Limits:MaxConnectionsPerAddress 20000 --Limits:MaxAnonymousPerAddress 20000 \
    --Limits:MaxChecksInFlight 1024 --Limits:MaxChecksPerAddress 1024 > "$data.log" 2>&1 &
  HOST_PIDS+=($!)
  HOST_PORTS+=("$port")
}

# fresh_data <name>: an empty data folder holding only the load accounts.
fresh_data() {
  rm -rf "$OUT/$1" "$OUT/$1.log"
  mkdir -p "$OUT/$1"
  cp "$ACCOUNTS/users.json" "$OUT/$1/"
  echo "$OUT/$1"
}

ROOMS=0
measure() { # measure <config> <label> <loadtest args...>
  local config=$1 label=$2; shift 2
  ROOMS=$((ROOMS + 1))
  local room=bench$ROOMS
  case $config in
    embedded-1) start_host "$(fresh_data data-a)" ;;
    jetstream-1) start_host "$(fresh_data data-a)" "$room" ;;
    jetstream-2) start_host "$(fresh_data data-a)" "$room"; start_host "$(fresh_data data-b)" "$room" ;;
  esac
  for port in "${HOST_PORTS[@]}"; do wait_port "$port"; done
  local ports pids
  ports=$(IFS=,; echo "${HOST_PORTS[*]}")
  pids=$(IFS=,; echo "${HOST_PIDS[*]}")
  echo "-- $label, $config (load $(cut -d' ' -f1 /proc/loadavg))"
  if "${LOAD[@]}" --protocol chatroom --ports "$ports" --pids "$pids" --nats-pid "$NATS_PID" --server "$config" --label "$label" --timeout 240 "$@" \
    2> >(sed 's/^/   /' >&2) > "$OUT/run.out"; then
    grep -v '^{' "$OUT/run.out" || true
    grep '^{' "$OUT/run.out" | sed "s/^{/{\"load1\":$(cut -d' ' -f1 /proc/loadavg),/" >> "$RESULTS" || true
  else
    echo "   (run failed)"
  fi
  stop_hosts
}

START=$(date +%s)
for i in $(seq "$RUNS"); do
  [ "$PART" = all ] || break
  echo "== round $i of $RUNS"
  for config in embedded-1 jetstream-1 jetstream-2; do
    if [ $QUICK = 1 ]; then
      measure $config fanout-100x30-max fanout --clients 100 --messages 30
      measure $config fanout-100@5/s fanout --clients 100 --messages 10 --rate 5
    else
      measure $config fanout-100x300-max fanout --clients 100 --messages 300
      measure $config fanout-100@5/s fanout --clients 100 --messages 50 --rate 5
    fi
  done
done

echo "== the append rate of one stream (the host's JetStreamRoomLog.Append, one batch at a time)"
for i in $(seq "$RUNS"); do
  [ "$PART" = all ] || break
  for batch in 1 16 128 1024; do
    events=$(( batch == 1 ? 3000 : batch == 16 ? 20000 : 100000 ))
    [ $QUICK = 1 ] && events=$(( events / 10 ))
    ROOMS=$((ROOMS + 1))
    echo "-- js-append-$batch, round $i (load $(cut -d' ' -f1 /proc/loadavg))"
    "${LOAD[@]}" js-append --url "$NATS_URL" --room "append$ROOMS" --events $events --batch $batch --nats-pid "$NATS_PID" \
      --label "js-append-$batch" --server nats 2> >(sed 's/^/   /' >&2) > "$OUT/run.out" || echo "   (run failed)"
    grep -v '^{' "$OUT/run.out" || true
    grep '^{' "$OUT/run.out" | sed "s/^{/{\"load1\":$(cut -d' ' -f1 /proc/loadavg),/" >> "$RESULTS" || true
  done
done

[ "$PART" = all ] || REPLAY=""
for events in $REPLAY; do
  echo "== a stream of $events events, and a host started on it"
  "${LOAD[@]}" js-append --url "$NATS_URL" --room "replay$events" --events "$events" --batch 1024 --nats-pid "$NATS_PID" \
    --label "fill-$events" --server nats 2> >(sed 's/^/   /' >&2) | grep -v '^{' || true
  for i in $(seq "$RUNS"); do
    for room in "replay$events" "empty$events-$i"; do
      start_host "$(fresh_data data-a)" "$room"
      started=$STARTED_MS
      if "${LOAD[@]}" --port "${HOST_PORTS[0]}" --pid "${HOST_PIDS[0]}" --label "replay-$( [ "$room" = "replay$events" ] && echo "$events" || echo "empty")" \
        --server jetstream-1 --timeout 600 welcome --nick u1 --started-unix-ms "$started" 2> >(sed 's/^/   /' >&2) > "$OUT/run.out"; then
        echo "-- $room:$(grep -v '^{' "$OUT/run.out")"
        n=$( [ "$room" = "replay$events" ] && echo "$events" || echo 0)
        grep '^{' "$OUT/run.out" | sed "s/^{/{\"events\":$n,\"load1\":$(cut -d' ' -f1 /proc/loadavg),/" >> "$RESULTS" || true
      else
        echo "   (run failed)"; tail -5 "$OUT/data-a.log"
      fi
      stop_hosts
    done
  done
done

if [ "$PART" = all ] || [ "$PART" = extras ]; then
  echo "== extras: two appenders on one stream; a login on a warm host"
  for i in $(seq "$RUNS"); do
    ROOMS=$((ROOMS + 1))
    appenders=()
    for k in 1 2; do
      "${LOAD[@]}" js-append --url "$NATS_URL" --room "both$ROOMS" --events 100000 --batch 1024 \
        --label js-append-1024-x2 --server nats 2> /dev/null > "$OUT/run$k.out" &
      appenders+=($!)
    done
    for pid in "${appenders[@]}"; do wait "$pid" || echo "   (an appender failed)"; done
    for k in 1 2; do
      grep -v '^{' "$OUT/run$k.out" || true
      grep '^{' "$OUT/run$k.out" | sed "s/^{/{\"load1\":$(cut -d' ' -f1 /proc/loadavg),/" >> "$RESULTS" || true
    done
    for config in embedded-1 jetstream-1; do
      ROOMS=$((ROOMS + 1))
      if [ $config = embedded-1 ]; then start_host "$(fresh_data data-a)"; else start_host "$(fresh_data data-a)" "warm$ROOMS"; fi
      "${LOAD[@]}" --port "${HOST_PORTS[0]}" --timeout 120 welcome --nick u1 --started-unix-ms "$STARTED_MS" > /dev/null 2>&1 || true
      for nick in u2 u3 u4; do
        started=$(date +%s%3N)
        # login_ms: from the connection to WELCOME (listen_ms here is the load test's own start)
        "${LOAD[@]}" --port "${HOST_PORTS[0]}" --server $config --label login-warm --timeout 120 welcome --nick $nick --started-unix-ms "$started" \
          2> >(sed 's/^/   /' >&2) > "$OUT/run.out" || echo "   (run failed)"
        grep -v '^{' "$OUT/run.out" | sed "s/^/   $config: /" || true
        grep '^{' "$OUT/run.out" | sed "s/^{/{\"load1\":$(cut -d' ' -f1 /proc/loadavg),/" >> "$RESULTS" || true
      done
      stop_hosts
    done
  done
fi

echo
echo "== results: medians of $RUNS run(s), $(nproc) cores, load now $(cut -d' ' -f1-3 /proc/loadavg), $(( $(date +%s) - START )) s"
"${LOAD[@]}" summarize "$RESULTS"
echo
echo "raw results: $RESULTS"
