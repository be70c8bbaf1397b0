#!/usr/bin/env bash
# bench/attack.sh: the hostile-load suite of issue 9. Run it as `bash bench/run.sh --attack [options]`.
#
#   options: --only-attack NAME   run the attacks whose label starts with NAME (login-held runs 24 and 64)
#            --host-dll PATH      the server to attack: a chatroom-host.dll or a published executable (default: this checkout's Release build)
#            --out DIR            where results, accounts and server logs go (default: a new /tmp folder)
#            --runs N             run the list N times (default 1); the summary has a row per run
#
# Every attack gets a freshly started server with default settings (rate limit on, 64 connections per
# address, 30 s login timeout, 600,000 PBKDF2 iterations for the real user's account); only the members'
# accounts u0.. are hashed at 1,000 iterations, so that 2,001 of them log in within seconds. Everything is
# on loopback, from source addresses in 127.0.0.0/8, and every run is bounded by `timeout`.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ONLY=""
HOST_DLL=""
OUT=""
RUNS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --attack) ;;
    --only-attack) ONLY=$2; shift ;;
    --host-dll) HOST_DLL=$2; shift ;;
    --out) OUT=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
OUT=${OUT:-$(mktemp -d /tmp/chatroom-attack.XXXXXX)}
mkdir -p "$OUT/logs"
RESULTS=$OUT/attack.jsonl
: > "$RESULTS"

# idle-mass holds about 10,500 sockets in each of two generators; the hard limit here is 20,000.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "== building (Release)"
if [ -z "$HOST_DLL" ]; then
  dotnet build -c Release -v q --nologo Host/Host.csproj >/dev/null || exit 1
  HOST_DLL=$ROOT/Host/bin/Release/net10.0/chatroom-host.dll
fi
LOAD=(dotnet "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/ChatRoom.LoadTest.dll")
# The generator references Host (for the users file); a Host that is being changed may not build for a moment.
# Attacking another server (--host-dll) can then go on with the generator built before.
if ! build_log=$(dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj 2>&1); then
  grep -E ' error ' <<< "$build_log" | sort -u | head -5 >&2
  if [ -n "$HOST_DLL" ] && [ -f "${LOAD[1]}" ]; then echo "   the generator did not build: using its previous build"; else exit 1; fi
fi
[ -f "$HOST_DLL" ] || { echo "no server at $HOST_DLL" >&2; exit 1; }
# A build's chatroom-host.dll runs under dotnet; a published executable (deploy/publish.sh) runs as it is.
if [[ "$HOST_DLL" == *.dll ]]; then SERVER_CMD=(dotnet "$HOST_DLL"); else SERVER_CMD=("$HOST_DLL"); fi
echo "   server: $HOST_DLL"

PORT=18777
DATA=$OUT/data
echo "== accounts in $DATA: u0..u2099 at 1,000 iterations, real0..real9 at the default 600,000"
"${LOAD[@]}" accounts --count 2100 --iterations 1000 --data "$DATA" 2>&1 | tail -1
"${LOAD[@]}" accounts --prefix real --count 10 --iterations 600000 --data "$DATA" 2>&1 | tail -1

SERVER_PID=""
SERVER_LOG=""
# stop_server: SIGTERM, then SIGKILL after 5 s; sets SERVER_EXIT to the exit status (137 when killed).
stop_server() {
  SERVER_EXIT=""
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null
  fi
  wait "$SERVER_PID" 2>/dev/null
  SERVER_EXIT=$?
  SERVER_PID=""
}
trap stop_server EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# slow_reader FILE: copies standard input to FILE at most 4 KiB a second (one read of up to 4,096 bytes, then
# a second's sleep), as a terminal or a log collector that cannot keep up would.
slow_reader() {
  local n
  while n=$(dd bs=4096 count=1 status=none | tee -a "$1" | wc -c) && [ "$n" -gt 0 ]; do sleep 1; done
}

# start_server LABEL [slow]: a fresh server on $PORT with default settings, its output in logs/LABEL.log.
start_server() {
  SERVER_LOG=$OUT/logs/$1.log
  : > "$SERVER_LOG"
  if [ "${2:-}" = slow ]; then
    "${SERVER_CMD[@]}" --port $PORT --data "$DATA" > >(slow_reader "$SERVER_LOG") 2>&1 &
  else
    "${SERVER_CMD[@]}" --port $PORT --data "$DATA" > "$SERVER_LOG" 2>&1 &
  fi
  SERVER_PID=$!
  wait_port $PORT
}

wanted() { [ -z "$ONLY" ] || [[ "$1" == "$ONLY"* ]]; }

# record JSON: appends one result line, with whether the server outlived the run, its exit code if not,
# and the last line it logged.
record() {
  local json=$1 alive=true code=null tail
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    alive=false
    wait "$SERVER_PID" 2>/dev/null
    code=$?
    SERVER_PID=""
  fi
  tail=$(grep -v '^\s*$' "$SERVER_LOG" | tail -1 | cut -c1-200)
  jq -c --argjson alive $alive --argjson code $code --arg tail "$tail" \
    '. + {server_alive_after_run: $alive, server_exit_code: (if $code == null then .server_exit_code else $code end), server_log_tail: $tail}' \
    <<< "$json" >> "$RESULTS"
}

# attack LABEL [slow] -- ARGS...: one generator run against a fresh server, bounded by timeout.
attack() {
  local label=$1 mode=""; shift
  [ "$1" = slow ] && { mode=slow; shift; }
  [ "$1" = -- ] && shift
  wanted "$label" || return 0
  echo "-- $label"
  start_server "$label" $mode || { echo "   (server did not start)"; stop_server; return 0; }
  local out=$OUT/logs/$label.out started=$SECONDS
  timeout -k 10 420 "${LOAD[@]}" --port $PORT --pid "$SERVER_PID" --label "$label" --timeout 300 attack "$@" \
    2> >(sed 's/^/   /' >&2) > "$out"
  local rc=$?
  grep -v '^{' "$out" || true
  if grep -q '^{' "$out"; then
    record "$(grep '^{' "$out" | tail -1)"
  else
    echo "   (run failed, exit $rc)"
    record "$(jq -n -c --arg l "$label" --arg s "${1:-}" --argjson rc $rc '{scenario: $s, protocol: "chatroom", label: $l, failed: true, generator_exit: $rc}')"
  fi
  # sigterm-flood stops the server itself: its exit code is the figure.
  if [ -n "$SERVER_PID" ]; then stop_server; fi
  echo "   ($((SECONDS - started)) s)"
}

START=$SECONDS
for round in $(seq "$RUNS"); do
  [ "$RUNS" = 1 ] || echo "== round $round of $RUNS"
  attack login-ghosts -- login-ghosts
  attack login-held-24 -- login-held --count 24
  attack login-held-64 -- login-held --count 64
  attack login-spread -- login-spread
  attack login-sustained -- login-sustained
  # Past the rate at which this machine hashes at the default cost (about 6 a second on 2 cores).
  attack login-sustained-10 -- login-sustained --rate 10
  attack login-bigpass -- login-bigpass
  attack pong-flood -- pong-flood
  attack say-flood -- say-flood
  attack idle-mass -- idle-mass
  attack slow-log slow -- slow-log
  attack who-flood -- who-flood
  attack sigterm-flood -- sigterm-flood
  source "$ROOT/bench/attack-startup.sh"
  attack kernel-mem -- kernel-mem
done

echo
echo "== attack summary ($(nproc) cores, $((SECONDS - START)) s)"
"${LOAD[@]}" attack summary "$RESULTS"
echo
echo "raw results: $RESULTS"
echo "server logs: $OUT/logs"
