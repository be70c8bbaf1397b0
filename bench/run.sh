#!/usr/bin/env bash
# bench/run.sh: the standard benchmark matrix, ChatRoom beside ngircd on this machine.
#
#   bash bench/run.sh            full matrix, 3 runs of each (about 11 minutes)
#   bash bench/run.sh --quick    smaller sizes, 1 run each (about 2 minutes)
#   options: --runs N   --only chatroom|ngircd   --out DIR   --host-dll PATH (another build of the server,
#            for before/after comparisons in one session)
#   bash bench/run.sh --attack   the hostile-load suite of issue 9 instead (bench/attack.sh, about 10 minutes;
#                                options --only-attack NAME, --host-dll PATH, --out DIR)
#
# Every server is started fresh for every run, on loopback, and stopped after it. ChatRoom runs with its
# rate limit off and its connection limits raised, and the load accounts are hashed with 1,000 PBKDF2
# iterations (not the default 600,000) so that 10,000 logins take seconds; ngircd runs with
# bench/ngircd.conf.template (penalties off, limits lifted). docs/BENCHMARKS.md explains every choice.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# --attack hands everything over to the hostile-load suite, which has options of its own.
for arg in "$@"; do
  [ "$arg" = --attack ] && exec bash "$ROOT/bench/attack.sh" "$@"
done

QUICK=0
RUNS=""
ONLY=""
OUT=""
HOST_DLL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --host-dll) HOST_DLL=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
[ -n "$RUNS" ] || RUNS=$([ $QUICK = 1 ] && echo 1 || echo 3)
OUT=${OUT:-$(mktemp -d /tmp/chatroom-bench.XXXXXX)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"

# 10,000 clients and 10,000 server sockets: each process needs more than the usual 1,024 descriptors.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

echo "== building (Release)"
if [ -z "$HOST_DLL" ]; then
  dotnet build -c Release -v q --nologo Host/Host.csproj >/dev/null
  HOST_DLL=$ROOT/Host/bin/Release/net10.0/chatroom-host.dll
fi
[ -f "$HOST_DLL" ] || { echo "no server at $HOST_DLL" >&2; exit 1; }
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj >/dev/null
LOAD=(dotnet "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll")

HAVE_NGIRCD=1
if [ "$ONLY" != chatroom ] && ! command -v ngircd >/dev/null; then
  echo "== ngircd is not installed: installing it (apt-get install -y ngircd)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ngircd >/dev/null; }; then
    echo "   could not install ngircd: running ChatRoom only"
    HAVE_NGIRCD=0
  fi
fi
# The Debian package starts a system ngircd on port 6667; the benchmark uses its own instance and port.
[ "$ONLY" = chatroom ] && HAVE_NGIRCD=0

CHAT_PORT=17777
IRC_PORT=16667
DATA=$OUT/data
echo "== creating load accounts in $DATA (PBKDF2 with 1,000 iterations, for the load runs only)"
"${LOAD[@]}" accounts --count 10100 --iterations 1000 --data "$DATA" 2>&1 | tail -1

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

start_chatroom() {
  dotnet "$HOST_DLL" --port $CHAT_PORT --data "${CHAT_DATA:-$DATA}" \
    --Limits:RateLimitEnabled false --Limits:MaxConnections 20000 --Limits:MaxConnectionsPerAddress 20000 \
    --Limits:MaxAnonymous 20000 --Limits:MaxAnonymousPerAddress 20000 \
    --Limits:MaxChecksInFlight 1024 --Limits:MaxChecksPerAddress 1024 \
    --Logging:LogLevel:Default Warning > "$OUT/chatroom.log" 2>&1 &
  SERVER_PID=$!
  wait_port $CHAT_PORT
}

start_ngircd() {
  sed -e "s/@PORT@/$IRC_PORT/" -e "s#@DIR@#$OUT#" "$ROOT/bench/ngircd.conf.template" > "$OUT/ngircd.conf"
  ngircd -n -f "$OUT/ngircd.conf" > "$OUT/ngircd.log" 2>&1 &
  SERVER_PID=$!
  wait_port $IRC_PORT
}

# run <label> <loadtest scenario args...>: one run against each server, freshly started.
run() {
  local label=$1; shift
  local servers=(chatroom)
  [ $HAVE_NGIRCD = 1 ] && [ -z "${BENCH_CHATROOM_ONLY:-}" ] && servers+=(ngircd)
  [ "$ONLY" = ngircd ] && servers=(ngircd)
  for server in "${servers[@]}"; do
    local protocol=chatroom port=$CHAT_PORT
    if [ "$server" = ngircd ]; then
      protocol=irc; port=$IRC_PORT
      # An IRC "login" for the idle-connections scenario is registration only (see docs/BENCHMARKS.md).
      [ "$1" = connections ] && protocol=irc-register
      start_ngircd
    else
      start_chatroom
    fi
    local extra=()
    # Handshakes in flight for the idle-connections scenario: ngircd listens with a backlog of 10 and drops
    # SYNs beyond it (each then waits a 1 s retransmit), so it gets 8; ChatRoom's login also broadcasts
    # JOINED to everyone, which coalesces best with many logins in flight, so it gets 256.
    if [ "$1" = connections ]; then
      if [ "$server" = ngircd ]; then extra=(--concurrency 8); else extra=(--concurrency 256); fi
    fi
    echo "-- $label on $server"
    if "${LOAD[@]}" --protocol $protocol --port $port --pid "$SERVER_PID" --label "$label" --timeout 240 "$@" "${extra[@]}" \
      2> >(sed 's/^/   /' >&2) > "$OUT/run.out"; then
      grep -v '^{' "$OUT/run.out" || true
      grep '^{' "$OUT/run.out" >> "$RESULTS" || true
    else
      echo "   (run failed)"
    fi
    stop_server
  done
}

if [ $QUICK = 1 ]; then
  SIZES=(
    "fanout-100x100-max fanout --clients 100 --messages 100"
    "fanout-500x10-max fanout --clients 500 --messages 10"
    "fanout-100@5/s fanout --clients 100 --messages 20 --rate 5"
    "fanout-500@1/s fanout --clients 500 --messages 5 --rate 1"
    "connections-2000 connections --clients 2000 --hold 3"
    "logins-100@5/s logins --chatters 100 --rate 5 --duration 4 --workers 8"
  )
else
  SIZES=(
    "fanout-100x300-max fanout --clients 100 --messages 300"
    "fanout-500x20-max fanout --clients 500 --messages 20"
    "fanout-100@5/s fanout --clients 100 --messages 50 --rate 5"
    "fanout-500@1/s fanout --clients 500 --messages 10 --rate 1"
    "connections-10000 connections --clients 10000 --hold 10"
    "logins-100@5/s logins --chatters 100 --rate 5 --duration 10 --workers 8"
  )
fi

START=$(date +%s)
for i in $(seq "$RUNS"); do
  echo "== round $i of $RUNS"
  for spec in "${SIZES[@]}"; do
    # shellcheck disable=SC2086
    run $spec
  done
done

# The login rate at the default password cost (PBKDF2-SHA256, 600,000 iterations), ChatRoom only: ngircd
# checks no passwords. Accounts u0..u107 are hashed at that cost in a data folder of their own.
echo "== logins at the default password cost (ChatRoom only)"
"${LOAD[@]}" accounts --count 108 --iterations 600000 --data "$OUT/data-default-cost" 2>&1 | tail -1
if [ $QUICK = 1 ]; then COST_ARGS="--duration 4"; else COST_ARGS="--duration 10"; fi
for i in $(seq "$RUNS"); do
  # shellcheck disable=SC2086
  CHAT_DATA="$OUT/data-default-cost" BENCH_CHATROOM_ONLY=1 run logins-default-cost logins --chatters 100 --rate 5 --workers 8 $COST_ARGS
done

echo
echo "== results: medians of $RUNS run(s), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(( $(date +%s) - START )) s"
"${LOAD[@]}" summarize "$RESULTS"
echo
echo "raw results: $RESULTS"
