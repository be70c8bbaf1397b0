#!/usr/bin/env bash
# bench/resume.sh: issue 10's resume benchmark. N users hold resume tokens; the server restarts; all N RESUME at
# once while other 127.0.0.x addresses flood it with password logins at the default hash cost.
#
#   bash bench/resume.sh                  10,000 users (about 2 minutes once the accounts exist)
#   options: --users N   --flood-workers W (8)   --concurrency K (handshakes in flight, 1000)   --out DIR
#            (UNIQUE=N in the environment: how many holders get a hash with a salt of their own, 1000)
#            --protocol chatroom3   the returning users ask for protocol 3 (PRESENCE lines in a large room)
#            --cheap     the N token holders' accounts hashed with 1,000 iterations instead of the default
#                        (the flood's accounts always use the default cost); for quick checks
#
# The accounts are made once and kept in bench/.cache/resume (gitignored), all at the default cost (600,000
# PBKDF2 iterations): the flood's 100 and the first 1,000 holders each with a salt of their own (under nice -n
# 19, saved every 200, so an interrupted run resumes where it stopped), the other holders sharing one such hash,
# because 10,000 distinct ones take about half an hour of CPU and a RESUME never checks them.
# Steps: tokens-seed writes a token file (hashes only) for u0..uN-1; server 1 starts and every user RESUMEs with its seeded token and asks for a new one (TOKEN);
# server 1 stops (SIGTERM); server 2 starts on the same data; the flood starts, then all N RESUME with the
# tokens server 1 issued; the figure is the time to the last WELCOME. The server runs with its default limits
# (rate limit on), except Limits:MaxConnections, which it lowers to its descriptor limit anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

USERS=10000
WORKERS=8
CONCURRENCY=1000
CHEAP=0
PROTOCOL=chatroom
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --users) USERS=$2; shift ;;
    --flood-workers) WORKERS=$2; shift ;;
    --concurrency) CONCURRENCY=$2; shift ;;
    --cheap) CHEAP=1 ;;
    --protocol) PROTOCOL=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 1 ;;
  esac
  shift
done
OUT=${OUT:-$(mktemp -d /tmp/chatroom-resume.XXXXXX)}
mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl

# N clients and N server sockets: both processes need more than the usual 1,024 descriptors.
ulimit -n "$(ulimit -Hn)"

echo "== building (Release)"
dotnet build -c Release -v q --nologo Host/Host.csproj >/dev/null
dotnet build -c Release -v q --nologo bench/ChatRoom.LoadTest/ChatRoom.LoadTest.csproj >/dev/null
SERVER=(dotnet "$ROOT/Host/bin/Release/net10.0/chatroom-host.dll")
# The generator runs from its own copy, so that a build during a long account run cannot change it under it.
CACHE=$ROOT/bench/.cache/resume
[ $CHEAP = 1 ] && CACHE=$ROOT/bench/.cache/resume-cheap
mkdir -p "$CACHE/bin"
cp -r "$ROOT/bench/ChatRoom.LoadTest/bin/Release/net10.0/." "$CACHE/bin/"
LOAD=(dotnet "$CACHE/bin/ChatRoom.LoadTest.dll")

HOLDER_COST=600000
[ $CHEAP = 1 ] && HOLDER_COST=1000
# How many holders get a hash of their own (with its own salt); --unique N to change it.
UNIQUE=${UNIQUE:-1000}
echo "== accounts in $CACHE/data (flood: 100 at 600,000 iterations; holders: $USERS at $HOLDER_COST; made once)"
nice -n 19 "${LOAD[@]}" accounts --start "$USERS" --count 100 --iterations 600000 --data "$CACHE/data" 2>&1 | tail -1
nice -n 19 "${LOAD[@]}" accounts --start 0 --count "$UNIQUE" --iterations "$HOLDER_COST" --data "$CACHE/data" 2>&1 | tail -1
# The rest share one hash of the same cost (same salt): a RESUME never checks a password, so this changes
# nothing measured, and it saves most of the half hour.
"${LOAD[@]}" accounts --start 0 --count "$USERS" --iterations "$HOLDER_COST" --reuse-hash --data "$CACHE/data" 2>&1 | tail -1

DATA=$OUT/data
mkdir -p "$DATA"
chmod 700 "$DATA"
cp "$CACHE/data/users.json" "$DATA/users.json"
"${LOAD[@]}" tokens-seed --data "$DATA" --count "$USERS" --tokens "$OUT/tokens.txt"

PORT=17790
SERVER_PID=""
trap stop_server EXIT
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
start_server() {
  "${SERVER[@]}" --port $PORT --data "$DATA" --Logging:LogLevel:Default Warning >> "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  wait_port $PORT
}

echo "== server 1: every user resumes with its seeded token and asks for a new one"
start_server
"${LOAD[@]}" --port $PORT --timeout 600 tokens-renew --tokens "$OUT/tokens.txt" | tail -1 | tee -a "$RESULTS"
echo "== restart"
stop_server
start_server
echo "== server 2: $USERS users resume at once, $WORKERS password-login loops from other addresses"
"${LOAD[@]}" --protocol "$PROTOCOL" --port $PORT --pid "$SERVER_PID" --timeout 600 --label "resume-$USERS-$PROTOCOL" tokens-resume \
  --tokens "$OUT/tokens.txt" --concurrency "$CONCURRENCY" --flood-workers "$WORKERS" | tee -a "$RESULTS"
stop_server
echo "== results in $RESULTS"
