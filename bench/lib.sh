# bench/lib.sh: helpers shared by run.sh and attack.sh (sourced, not run).

# wait_port PORT: waits (at most 10 s) until something listens on 127.0.0.1:PORT.
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not open port $1" >&2
  return 1
}
