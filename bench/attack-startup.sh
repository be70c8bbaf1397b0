# bench/attack-startup.sh, sourced by bench/attack.sh: attack 7 of issue 9, checks of how the server starts.
#   port-in-use   a second server on the port of a running one: does it exit non-zero, or also listen?
#   bad-options   misspelt options (--prot 7001, --Limits:RateBrust 50): exit code and first line of output.
# A server that starts anyway is stopped after 10 s (timeout's exit code 124 then means "kept running").

# second_server LOG ARGS...: runs a server for at most 10 s; sets RC.
second_server() {
  local log=$1; shift
  timeout -k 5 10 "${SERVER_CMD[@]}" --data "$DATA" "$@" > "$log" 2>&1
  RC=$?
}

if wanted port-in-use; then
  echo "-- port-in-use"
  start_server port-in-use
  second_log=$OUT/logs/port-in-use.second.log
  second_server "$second_log" --port $PORT
  first_line=$(head -1 "$second_log" | cut -c1-200)
  listening=$(grep -c 'listening on' "$second_log")
  echo "   second server: exit $RC (124 = still running after 10 s), 'listening on' logged $listening time(s); first line: $first_line"
  record "$(jq -n -c --argjson rc $RC --argjson l "$listening" --arg first "$first_line" \
    '{scenario: "port-in-use", protocol: "chatroom", label: "port-in-use", second_exit_code: $rc,
      second_still_running_after_10s: ($rc == 124), second_logged_listening: ($l > 0), second_first_line: $first}')"
  stop_server
fi

if wanted bad-options; then
  for option in "--prot 7001" "--Limits:RateBrust 50"; do
    echo "-- bad-options: $option"
    log=$OUT/logs/bad-options.$(echo "$option" | tr -c 'a-zA-Z0-9' _).log
    # The real --port keeps a server that accepts the typo off the default port 7777, which others may use.
    # shellcheck disable=SC2086
    second_server "$log" $option --port $PORT
    first_line=$(head -1 "$log" | cut -c1-200)
    listening=$(grep -c 'listening on' "$log")
    echo "   exit $RC (124 = still running after 10 s); first line: $first_line"
    jq -n -c --arg o "$option" --argjson rc $RC --argjson l "$listening" --arg first "$first_line" \
      '{scenario: "bad-options", protocol: "chatroom", label: ("bad-options " + $o), option: $o, exit_code: $rc,
        still_running_after_10s: ($rc == 124), logged_listening: ($l > 0), first_line: $first}' >> "$RESULTS"
  done
fi
