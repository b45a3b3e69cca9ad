#!/bin/sh
# watchdog.sh BUILD_DIR - the real kiosk under the variables a Type=notify
# unit with WatchdogSec=1s sets, its messages read from a datagram socket
# standing in for systemd's: READY=1 once the first frame is up, then
# WATCHDOG=1 every half second or so while the kiosk sits idle on the home
# screen (the loop wakes for the ping, not only for the minute), and
# STOPPING=1 on SIGTERM but not before maintenance mode's restart in place.
. "$(dirname "$0")/e2e_lib.sh"

# The stand-in for systemd: each datagram as one line, with its time.
python3 - "$tmp/notify" "$tmp/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "w", buffering=1) as out:
    while True:
        m = s.recv(4096).decode().replace("\n", " ")
        out.write("%.3f %s\n" % (time.monotonic(), m))
PY
lpid=$!
for _ in $(seq 50); do [ -S "$tmp/notify" ] && break; sleep 0.1; done
[ -S "$tmp/notify" ] || { echo "watchdog.sh: no python3 listener" >&2; exit 1; }

# WATCHDOG_PID is the kiosk's own: sh's pid, which exec keeps.
(cd "$tmp/run" && NOTIFY_SOCKET="$tmp/notify" WATCHDOG_USEC=1000000 exec sh -c \
    'WATCHDOG_PID=$$ exec "$0" "$@"' "$kiosk" --demo --headless --registry "$url" \
    --config "$tmp/kiosk.ini" --control "$tmp/ctl" 2>>"$tmp/kiosk.log") &
kpid=$!
step wait home 10000
check "READY=1 came first" sh -c "head -1 '$tmp/notify.log' | grep -q 'READY=1'"
# Idle on the home screen for 3 s: at 1 s WatchdogSec, a ping each 0.5 s.
before=$(grep -c 'WATCHDOG=1' "$tmp/notify.log")
sleep 3
after=$(grep -c 'WATCHDOG=1' "$tmp/notify.log")
n=$((after - before))
[ "$n" -ge 4 ] && [ "$n" -le 8 ] && ok || bad "idle for 3 s: $n pings (want 4 to 8, one per 0.5 s)"
# Never two pings closer than the half period (less a scheduling margin).
awk '/WATCHDOG=1/ { if (last && $1 - last < 0.45) { print; bad = 1 } last = $1 } END { exit bad }' \
    "$tmp/notify.log" && ok || bad "two pings closer than WatchdogSec/2"
# 重启程序 in maintenance mode execs the same process: READY=1 again, and no
# STOPPING=1, which systemd would take for the end and kill the new start.
for _ in 1 2 3 4 5; do step tap-at 20 20; done
step wait staff_pin 2000
for k in 2 4 6 8; do step tap "$k"; done
step tap 确认
step wait staff 3000
step tap 重启程序
sleep 1
step wait home 10000
check "the restart is the same process" kill -0 "$kpid"
[ "$(grep -c 'READY=1' "$tmp/notify.log")" -eq 2 ] && ok || bad "not two READY=1 over the restart"
grep -q 'STOPPING=1' "$tmp/notify.log" && bad "STOPPING=1 before an in-place restart"
sleep 1.5
tail -1 "$tmp/notify.log" | grep -q 'WATCHDOG=1' && ok || bad "no pings after the restart"
kill "$kpid"
for _ in $(seq 50); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
kpid=""
check "STOPPING=1 on SIGTERM" grep -q 'STOPPING=1' "$tmp/notify.log"
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null

[ "$fail" -eq 0 ] || { cat "$tmp/notify.log" >&2; tail -20 "$tmp/kiosk.log" >&2; }
echo "watchdog.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
