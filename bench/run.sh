#!/usr/bin/env bash
# bench/run.sh: the standard benchmark matrix, ChatRoom beside ngircd and InspIRCd on this machine.
#
#   bash bench/run.sh            full matrix, 3 runs of each (about 18 minutes with both peers)
#   bash bench/run.sh --quick    smaller sizes, 1 run each (about 3.5 minutes)
#   options: --runs N   --only chatroom|ngircd|inspircd   --out DIR
#            --scenario LABEL   only the scenarios whose label starts so (fresh, connections, fanout-100@5/s...)
#            --host-dll PATH    another build of the server, a chatroom-host.dll or a published chatroom-host
#                               (deploy/publish.sh), for before/after comparisons in one session
#   bash bench/run.sh --attack   the hostile-load suite of issue 9 instead (bench/attack.sh, about 10 minutes;
#                                options --only-attack NAME, --host-dll PATH, --out DIR)
#
# Every server is started fresh for every run, on loopback, and stopped after it. ChatRoom runs with its
# rate limit off and its connection limits raised, and the load accounts are hashed with 1,000 PBKDF2
# iterations (not the default 600,000) so that 10,000 logins take seconds; ngircd runs with
# bench/ngircd.conf.template and InspIRCd with bench/inspircd.conf.template (both: penalties off, limits lifted).
# docs/BENCHMARKS.md explains every choice.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# --attack hands everything over to the hostile-load suite, which has options of its own.
for arg in "$@"; do
  [ "$arg" = --attack ] && exec bash "$ROOT/bench/attack.sh" "$@"
done

QUICK=0
SCENARIO=""
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
    --scenario) SCENARIO=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
case "$ONLY" in ""|chatroom|ngircd|inspircd) ;; *) echo "--only takes chatroom, ngircd or inspircd, not $ONLY" >&2; exit 1 ;; esac
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
# A build's chatroom-host.dll runs under dotnet; a published executable (deploy/publish.sh) runs as it is.
if [[ "$HOST_DLL" == *.dll ]]; then SERVER_CMD=(dotnet "$HOST_DLL"); else SERVER_CMD=("$HOST_DLL"); fi
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj >/dev/null
LOAD=(dotnet "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll")

# The IRC peers, each installed with apt-get if missing; one that cannot be installed is left out, and the
# script says so. The Debian packages start system instances on port 6667; the benchmark runs its own
# instances on ports of their own.
peer_wanted() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }
peer_installed() {
  local name=$1
  command -v "$name" >/dev/null && return 0
  echo "== $name is not installed: installing it (apt-get install -y $name)"
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$name" >/dev/null; } && command -v "$name" >/dev/null; then
    return 0
  fi
  echo "   could not install $name: running without it"
  return 1
}
PEERS=()
for peer in ngircd inspircd; do
  if peer_wanted $peer && peer_installed $peer; then PEERS+=("$peer"); fi
done
if [ -n "$ONLY" ] && [ "$ONLY" != chatroom ] && [ ${#PEERS[@]} = 0 ]; then
  echo "nothing to run: $ONLY is not installed" >&2
  exit 1
fi

CHAT_PORT=17777
IRC_PORT=16667
INSPIRCD_PORT=16668
DATA=$OUT/data
echo "== creating load accounts in $DATA (PBKDF2 with 1,000 iterations, for the load runs only)"
"${LOAD[@]}" accounts --count 10100 --iterations 1000 --data "$DATA" 2>&1 | tail -1

SERVER_PID=""
trap stop_server EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

start_chatroom() {
  STARTED_NS=$(date +%s%N)
  "${SERVER_CMD[@]}" --port $CHAT_PORT --data "${CHAT_DATA:-$DATA}" \
    --Limits:RateLimitEnabled false --Limits:MaxConnections 20000 --Limits:MaxConnectionsPerAddress 20000 \
    --Limits:MaxAnonymous 20000 --Limits:MaxAnonymousPerAddress 20000 \
    --Limits:MaxChecksInFlight 1024 --Limits:MaxChecksPerAddress 1024 \
    --Logging:LogLevel:Default Warning > "$OUT/chatroom.log" 2>&1 &
  SERVER_PID=$!
  wait_port $CHAT_PORT
}

start_ngircd() {
  STARTED_NS=$(date +%s%N)
  sed -e "s/@PORT@/$IRC_PORT/" -e "s#@DIR@#$OUT#" "$ROOT/bench/ngircd.conf.template" > "$OUT/ngircd.conf"
  ngircd -n -f "$OUT/ngircd.conf" > "$OUT/ngircd.log" 2>&1 &
  SERVER_PID=$!
  wait_port $IRC_PORT
}

# InspIRCd 3 refuses to run as root unless told to (the benchmark may well run as root, in a container).
start_inspircd() {
  STARTED_NS=$(date +%s%N)
  sed -e "s/@PORT@/$INSPIRCD_PORT/" -e "s#@DIR@#$OUT#" "$ROOT/bench/inspircd.conf.template" > "$OUT/inspircd.conf"
  local asroot=()
  [ "$(id -u)" = 0 ] && asroot=(--runasroot)
  inspircd --nofork "${asroot[@]}" --config "$OUT/inspircd.conf" > "$OUT/inspircd.log" 2>&1 &
  SERVER_PID=$!
  wait_port $INSPIRCD_PORT
}

# run <label> <loadtest scenario args...>: one run against each server, freshly started.
run() {
  local label=$1; shift
  local servers=()
  peer_wanted chatroom && servers+=(chatroom)
  [ -z "${BENCH_CHATROOM_ONLY:-}" ] && servers+=("${PEERS[@]}")
  for server in "${servers[@]}"; do
    local protocol=irc port
    # An IRC "login" for the idle-connections scenario is registration only (see docs/BENCHMARKS.md).
    [ "$1" = connections ] && protocol=irc-register
    case $server in
      chatroom) protocol=chatroom; port=$CHAT_PORT
        # A freshly started server is measured with a users file of three accounts, as a user's server is after
        # its first start (which also hashes three demo passwords, about 0.6 s, not counted here).
        if [ "$1" = fresh ]; then
          [ -d "$OUT/data-fresh" ] || "${LOAD[@]}" accounts --count 3 --iterations 600000 --data "$OUT/data-fresh" > /dev/null
          CHAT_DATA="$OUT/data-fresh" start_chatroom
        else
          start_chatroom
        fi ;;
      ngircd) port=$IRC_PORT; start_ngircd ;;
      inspircd) port=$INSPIRCD_PORT; start_inspircd ;;
    esac
    local extra=()
    # Handshakes in flight for the idle-connections scenario: ngircd listens with a backlog of 10 and drops
    # SYNs beyond it (each then waits a 1 s retransmit), so it gets 8; ChatRoom's login also broadcasts
    # JOINED to everyone, which coalesces best with many logins in flight, so it gets 256; InspIRCd completes
    # registrations only in a once-per-second sweep, so each handshake waits up to 1 s however idle the
    # server is, and it gets 256 too (with 8 it could not register more than 8 a second).
    if [ "$1" = connections ]; then
      if [ "$server" = ngircd ]; then extra=(--concurrency 8); else extra=(--concurrency 256); fi
    fi
    [ "$1" = fresh ] && extra=(--startup-ms "$STARTUP_MS")
    echo "-- $label on $server"
    if "${LOAD[@]}" --protocol $protocol --port $port --pid "$SERVER_PID" --server "$server" --label "$label" --timeout 240 "$@" "${extra[@]}" \
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
    "fresh fresh"
    "connections-2000 connections --clients 2000 --hold 3"
    "logins-100@5/s logins --chatters 100 --rate 5 --duration 4 --workers 8"
  )
else
  SIZES=(
    "fanout-100x300-max fanout --clients 100 --messages 300"
    "fanout-500x20-max fanout --clients 500 --messages 20"
    "fanout-100@5/s fanout --clients 100 --messages 50 --rate 5"
    "fanout-500@1/s fanout --clients 500 --messages 10 --rate 1"
    "fresh fresh"
    "connections-10000 connections --clients 10000 --hold 10"
    "logins-100@5/s logins --chatters 100 --rate 5 --duration 10 --workers 8"
  )
fi

START=$(date +%s)
for i in $(seq "$RUNS"); do
  echo "== round $i of $RUNS"
  for spec in "${SIZES[@]}"; do
    [ -n "$SCENARIO" ] && [[ "$spec" != "$SCENARIO"* ]] && continue
    # shellcheck disable=SC2086
    run $spec
  done
done

# The login rate at the default password cost (PBKDF2-SHA256, 600,000 iterations), ChatRoom only: the IRC
# peers check no passwords. Accounts u0..u107 are hashed at that cost in a data folder of their own.
if peer_wanted chatroom && { [ -z "$SCENARIO" ] || [[ logins-default-cost == "$SCENARIO"* ]]; }; then
  echo "== logins at the default password cost (ChatRoom only)"
  "${LOAD[@]}" accounts --count 108 --iterations 600000 --data "$OUT/data-default-cost" 2>&1 | tail -1
  if [ $QUICK = 1 ]; then COST_ARGS="--duration 4"; else COST_ARGS="--duration 10"; fi
  for i in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    CHAT_DATA="$OUT/data-default-cost" BENCH_CHATROOM_ONLY=1 run logins-default-cost logins --chatters 100 --rate 5 --workers 8 $COST_ARGS
  done
fi

echo
echo "== results: medians of $RUNS run(s), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(( $(date +%s) - START )) s"
"${LOAD[@]}" summarize "$RESULTS"
echo
echo "raw results: $RESULTS"
