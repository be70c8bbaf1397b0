#!/usr/bin/env bash
# deploy/smoke.sh DIR: checks the published executables in DIR (from deploy/publish.sh) as a user would run
# them: --version, users add, the server listening (and how soon), two published clients talking through it,
# SIGTERM, and the room log read back. Prints "ok - ..." or "not ok - ..." per check and ends with "smoke: N passed, N failed";
# exits 1 if any check failed. Everything runs on 127.0.0.1 on a free port, and every wait has a deadline.
set -uo pipefail
DIR=$(cd "${1:?usage: deploy/smoke.sh DIR}" && pwd)
WORK=$(mktemp -d /tmp/chatroom-smoke.XXXXXX)
passed=0 failed=0 SERVER=""
check() { # check <description> <command...>
  local what=$1; shift
  if "$@" > "$WORK/check.out" 2>&1; then echo "ok - $what"; passed=$((passed + 1))
  else echo "not ok - $what"; sed 's/^/    /' "$WORK/check.out" | tail -20; failed=$((failed + 1)); fi
}
finish() {
  [ -n "$SERVER" ] && kill -KILL "$SERVER" 2>/dev/null
  rm -rf "$WORK"
}
trap finish EXIT

version_ok() { timeout 30 "$DIR/$1" --version | tee /dev/stderr | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+\+[0-9a-f]{40}$'; }
check "chatroom-host --version prints the version and the commit" version_ok chatroom-host
check "chatroom --version prints the version and the commit" version_ok chatroom

add_users() {
  echo 'ann pass' | timeout 30 "$DIR/chatroom-host" users add ann --data "$WORK/data" --HashIterations 1000 &&
  echo 'ben pass' | timeout 30 "$DIR/chatroom-host" users add ben --data "$WORK/data" --HashIterations 1000
}
check "chatroom-host users add" add_users

# Started with port 0 it logs the port it took; the time is from the start to that line.
start_server() {
  local start=$(date +%s%N)
  "$DIR/chatroom-host" --port 0 --Tls:Enabled true --Tls:Port 0 --data "$WORK/data" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 500); do
    grep -q "(TLS)" "$WORK/server.log" && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.01
  done
  local ms=$(( ($(date +%s%N) - start) / 1000000 ))
  PORT=$(grep -v '(TLS)' "$WORK/server.log" | grep -o 'listening on 127.0.0.1:[0-9]*' | head -1 | grep -o '[0-9]*$')
  TLS_PORT=$(grep '(TLS)' "$WORK/server.log" | grep -o 'listening on 127.0.0.1:[0-9]*' | head -1 | grep -o '[0-9]*$')
  [ -n "$PORT" ] || { cat "$WORK/server.log"; return 1; }
  echo "listening on port $PORT after $ms ms (started to log line, polled every 10 ms)"
  echo "$ms" > "$WORK/startup.ms"
}
check "the published server starts and listens" start_server
[ -f "$WORK/startup.ms" ] && echo "    start-up: $(cat "$WORK/startup.ms") ms"

converse() {
  printf '%s\n' '/wait ann: hello' 'hi ann' |
    CHATROOM_PASSWORD='ben pass' timeout 30 "$DIR/chatroom" --port "$PORT" --user ben --json > "$WORK/ben.jsonl" &
  local ben=$!
  printf '%s\n' '/wait ben' 'hello ben' '/wait ben: hi ann' |
    CHATROOM_PASSWORD='ann pass' timeout 30 "$DIR/chatroom" --port "$PORT" --user ann --json > "$WORK/ann.jsonl"
  local ann_rc=$? ben_rc=0
  wait $ben || ben_rc=$?
  echo "ann exited $ann_rc, ben exited $ben_rc"
  [ $ann_rc = 0 ] && [ $ben_rc = 0 ] &&
    grep -q '"from":"ben","text":"hi ann"' "$WORK/ann.jsonl" && grep -q '"from":"ann","text":"hello ben"' "$WORK/ben.jsonl"
}
check "two published clients talk through the published server" converse

# NativeAOT and TLS: the server made its certificate, and the published client trusts it on first use.
converse_tls() {
  [ -n "$TLS_PORT" ] || { echo "no TLS port in the log"; return 1; }
  printf '/who\n/quit\n' | XDG_CONFIG_HOME="$WORK/config" CHATROOM_PASSWORD='ann pass' \
    timeout 30 "$DIR/chatroom" --tls --port "$TLS_PORT" --user ann --trust-new --json > "$WORK/ann-tls.jsonl"
  local rc=$?
  echo "ann exited $rc"
  [ $rc = 0 ] && grep -q '"type":"welcome"' "$WORK/ann-tls.jsonl" && grep -q "127.0.0.1:$TLS_PORT SHA256:" "$WORK/config/chatroom/known_hosts"
}
check "the published client logs in over TLS (trust on first use)" converse_tls

stop_server() {
  kill -TERM "$SERVER"
  for _ in $(seq 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SERVER" 2>/dev/null; then echo "still running 10 s after SIGTERM"; return 1; fi
  wait "$SERVER"; local rc=$?
  SERVER=""
  grep -q "server stopped" "$WORK/server.log" && [ $rc = 0 ]
}
check "SIGTERM stops the server cleanly (exit 0)" stop_server

# NativeAOT and SQLite (libe_sqlite3.so beside the server): the conversation is in the room log after the stop.
history_kept() {
  timeout 30 "$DIR/chatroom-host" history export --data "$WORK/data" --format text > "$WORK/history.txt" || return 1
  cat "$WORK/history.txt"
  grep -q ' MESSAGE ann hello ben$' "$WORK/history.txt" && grep -q ' LEFT ben ' "$WORK/history.txt"
}
check "the published server kept the conversation in its room log (history export)" history_kept

if command -v systemd-analyze > /dev/null; then
  verify_unit() {
    sed "s#/opt/chatroom/chatroom-host#$DIR/chatroom-host#" "$(dirname "$0")/chatroom-host.service" > "$WORK/chatroom-host.service"
    # Clean means exit 0 and nothing said (it warns on stderr with exit 0 too).
    local out rc
    out=$(timeout 30 systemd-analyze verify "$WORK/chatroom-host.service" 2>&1); rc=$?
    echo "$out"
    [ $rc = 0 ] && [ -z "$out" ]
  }
  check "systemd-analyze verify deploy/chatroom-host.service" verify_unit
else
  echo "ok - systemd-analyze verify deploy/chatroom-host.service # SKIP systemd-analyze is not installed"
fi

echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
