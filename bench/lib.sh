# bench/lib.sh: helpers shared by run.sh and attack.sh (sourced, not run).

# wait_port PORT: waits (at most 10 s) until something listens on 127.0.0.1:PORT. Polls every 10 ms and sets
# STARTUP_MS to the milliseconds since STARTED_NS (set it with $(date +%s%N) just before starting the server).
wait_port() {
  for _ in $(seq 1000); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
      STARTUP_MS=$(( ($(date +%s%N) - ${STARTED_NS:-$(date +%s%N)}) / 1000000 ))
      return 0
    fi
    sleep 0.01
  done
  echo "server did not open port $1" >&2
  return 1
}

# stop_server: stops the server started as SERVER_PID (SIGTERM, then SIGKILL after 10 s: a server saving its
# token file may take up to 5 s) and clears SERVER_PID. Does nothing when none runs. attack.sh has its own,
# which also keeps the exit code, defined before it sources this file: that one is kept.
declare -F stop_server > /dev/null || stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
