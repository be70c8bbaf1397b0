#!/usr/bin/env bash
# Drives the interactive chatroom client in a real pseudo-terminal (tmux), the way a person uses it, while
# scripted clients chat, and checks what the screen shows. Run it by hand: bash tests/interactive/tmux-check.sh
# (add --no-build to skip building, --show to print every screen it looks at). Exits non-zero if a check fails.
# The automated part of this lives in tests/ChatRoom.Client.Tests (InteractiveTests); this script also covers
# cursor keys, a long line in a narrow terminal, Ctrl+D, Ctrl+C, the terminal's state afterwards and a server
# shutdown.
set -uo pipefail
cd "$(dirname "$0")/../.."

build=1 show=0
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --show) show=1 ;;
    *) echo "usage: $0 [--no-build] [--show]" >&2; exit 1 ;;
  esac
done
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed (apt-get install tmux)"; exit 0; }
if [ "$build" = 1 ]; then
  dotnet build Client.Console -v q -nologo >/dev/null && dotnet build Host -v q -nologo >/dev/null || exit 1
fi

export LANG=C.UTF-8
client="dotnet $PWD/Client.Console/bin/Debug/net10.0/chatroom.dll"
host="dotnet $PWD/Host/bin/Debug/net10.0/chatroom-host.dll"
work="$(mktemp -d)"
sock="chatroom-check-$$"
failures=0 host_pid=""

cleanup() {
  socket_path="$(tmux -L "$sock" display-message -p '#{socket_path}' 2>/dev/null)"
  tmux -L "$sock" kill-server 2>/dev/null
  [ -n "$socket_path" ] && rm -f "$socket_path"
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

pass() { echo "PASS  $1"; }
fail() { echo "FAIL  $1"; failures=$((failures + 1)); }
screen() { tmux -L "$sock" capture-pane -p -t "$1" | sed -e 's/[[:space:]]*$//'; }
last_row() { screen "$1" | grep -v '^$' | tail -n 1; }
cursor() { tmux -L "$sock" display-message -p -t "$1" '#{cursor_x}'; }
show() { if [ "$show" = 1 ]; then echo "----- screen of $1 -----"; screen "$1"; echo "-------------------------"; fi; }
# wait_for SESSION REGEX: waits up to 15 s for the screen to match (grep -E), or fails.
wait_for() {
  for _ in $(seq 1 150); do
    screen "$1" | grep -Eq -- "$2" && return 0
    sleep 0.1
  done
  echo "      (timed out waiting for /$2/ on $1; the screen was:)"; screen "$1" | sed 's/^/      | /'
  return 1
}
check() { if wait_for "$1" "$2"; then pass "$3"; else fail "$3"; fi; }
start_client() { # SESSION COLUMNS NICK (wait for the password prompt before typing: type-ahead is echoed by the tty)
  tmux -L "$sock" new-session -d -s "$1" -x "$2" -y 20 \
    "$client --port $port --user $3; echo \"exit code \$?\"; stty -a | grep -Eo '(^| )-?echo( |$)' | head -n 1 | sed 's/^ *\\(.*\\) *$/tty \\1/'; sleep 600"
}
say() { printf '%s\n' "$@" | CHATROOM_PASSWORD="bob-pass" $client --port "$port" --user bob >/dev/null 2>&1; }

# A server of our own, with known accounts, on a free port.
for who in "alice:alice pass" "bob:bob-pass" "carol:carol pass"; do
  echo "${who#*:}" | $host --data "$work/data" users add "${who%%:*}" >/dev/null || exit 1
done
$host --data "$work/data" --port 0 >"$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/host.log" && break; sleep 0.1; done
port="$(grep -o 'listening on [0-9.]*:[0-9]*' "$work/host.log" | sed 's/.*://')"
[ -n "$port" ] || { echo "the server did not start:"; cat "$work/host.log"; exit 1; }
echo "server on 127.0.0.1:$port"

# 1. Log in at the prompts: the password is not echoed.
start_client a 80 alice
check a "password for alice:" "asks for the password"
tmux -L "$sock" send-keys -t a -l "alice pass"; tmux -L "$sock" send-keys -t a Enter
check a "you are in the room as alice" "logs in with the password typed at the prompt"
if screen a | grep -q "alice pass"; then fail "password not echoed"; else pass "password not echoed"; fi

# 2. A half-typed line survives incoming messages: it is redrawn below them, with the cursor after it.
tmux -L "$sock" send-keys -t a -l "half typed 你好"
check a "^alice> half typed 你好$" "typed text is shown on the input line"
say "one" "two" "三 — a longer line from bob"
wait_for a "bob has left" >/dev/null
show a
row="$(last_row a)"
[ "$row" = "alice> half typed 你好" ] && pass "input line is still last and whole after bob's messages" \
  || fail "input line is still last and whole after bob's messages (last row: '$row')"
[ "$(cursor a)" = 22 ] && pass "cursor is right after the typed text (column 22)" || fail "cursor column is $(cursor a), not 22"
[ "$(screen a | grep -c 'half typed')" = 1 ] && pass "typed text appears once (no garbled copies)" || fail "typed text appears more than once"

# 2b. Keys typed one by one while messages keep arriving: every key lands, nothing else gets into the line.
tmux -L "$sock" send-keys -t a C-u
say $(seq -f "burst %g" 1 15) &
burst=$!
for c in r a c e - f r e e; do tmux -L "$sock" send-keys -t a -l "$c"; sleep 0.08; done
wait "$burst"
wait_for a "bob: burst 15" >/dev/null
row="$(last_row a)"
[ "$row" = "alice> race-free" ] && pass "keys typed during a burst of messages all land on the input line" \
  || fail "keys typed during a burst of messages (last row: '$row')"
tmux -L "$sock" send-keys -t a C-u
tmux -L "$sock" send-keys -t a -l "half typed 你好"

# 3. Cursor keys edit in the middle; Enter sends the whole line.
tmux -L "$sock" send-keys -t a Home; tmux -L "$sock" send-keys -t a -l "a "; tmux -L "$sock" send-keys -t a End
tmux -L "$sock" send-keys -t a -l " more"; tmux -L "$sock" send-keys -t a Enter
check a "alice: a half typed 你好 more$" "edited line is sent whole"
check a "^alice>$" "input line is empty after Enter"

# 4. Commands.
tmux -L "$sock" send-keys -t a -l "/nick bob"; tmux -L "$sock" send-keys -t a Enter
check a "! identity cannot be changed after joining" "/nick is refused"
tmux -L "$sock" send-keys -t a -l "/dance"; tmux -L "$sock" send-keys -t a Enter
check a "! unknown command /dance; /help lists the commands" "unknown command points to /help"
tmux -L "$sock" send-keys -t a -l "/who"; tmux -L "$sock" send-keys -t a Enter
check a "\* in the room: alice" "/who answers"
show a

# 5. A long line in a narrow terminal scrolls on one row instead of wrapping.
start_client n 40 carol
check n "password for carol:" "second client asks for its password"
tmux -L "$sock" send-keys -t n -l "carol pass"; tmux -L "$sock" send-keys -t n Enter
check n "you are in the room as carol" "second client logs in"
tmux -L "$sock" send-keys -t n -l "$(printf 'word%02d ' $(seq 1 30))"
say "while carol types a long line"
wait_for n "bob has left" >/dev/null
show n
row="$(last_row n)"
case "$row" in
  "carol> <"*"word30") pass "long input scrolls on one row: '$row'" ;;
  *) fail "long input scrolls on one row (last row: '$row')" ;;
esac
[ "${#row}" -le 39 ] && pass "the input row never fills the 40-column terminal" || fail "input row is ${#row} columns"

# 6. Ctrl+D on a non-empty line does nothing, on an empty line leaves with exit code 0; the terminal echoes again.
tmux -L "$sock" send-keys -t n C-u C-d
check n "\* bye \(quit\)" "Ctrl+D on an empty line leaves the room"
check n "exit code 0" "Ctrl+D exits with code 0"
check n "tty echo" "the terminal echoes again after the client exits"

# 7. Ctrl+C leaves cleanly, even with text typed.
tmux -L "$sock" send-keys -t a -l "never sent"; tmux -L "$sock" send-keys -t a C-c
check a "exit code 0" "Ctrl+C exits with code 0"
if screen a | grep -q "alice: never sent"; then fail "Ctrl+C does not send the typed line"; else pass "Ctrl+C does not send the typed line"; fi
check a "tty echo" "the terminal echoes again after Ctrl+C"
show a

# 8. The server shutting down: the client says so and exits with code 3.
start_client s 120 bob
check s "password for bob:" "third client asks for its password"
tmux -L "$sock" send-keys -t s -l "bob-pass"; tmux -L "$sock" send-keys -t s Enter
check s "you are in the room as bob" "third client logs in"
tmux -L "$sock" send-keys -t s -l "still typing"
kill -TERM "$host_pid"; wait "$host_pid" 2>/dev/null; host_pid=""
check s "closed the connection: server shutting down" "server shutdown is reported"
check s "exit code 3" "server shutdown exits with code 3"
show s

# 9. No --user: the client asks for the nickname; an empty one is refused before anything is sent.
tmux -L "$sock" new-session -d -s q -x 120 -y 10 "$client --port 1; echo \"exit code \$?\"; sleep 600"
check q "^nickname:" "asks for the nickname when --user is missing"
tmux -L "$sock" send-keys -t q Enter
check q "chatroom: nickname and password are required" "an empty nickname is refused"
check q "exit code 1" "an empty nickname exits with code 1 (port 1 was never tried)"

echo
if [ "$failures" = 0 ]; then echo "all checks passed"; else echo "$failures check(s) failed"; fi
exit $((failures > 0))
