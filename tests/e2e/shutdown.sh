#!/bin/sh
# The kiosk's end, and what its memory allows while it runs.
#
# 1. Its memory stays its own: no core file (RLIMIT_CORE 0 in
#    /proc/PID/limits) and not dumpable, which it logs once it has checked.
# 2. A stop is bounded: with the reader wedged inside a transport call that
#    never returns (a USB stack stuck in the kernel), SIGTERM still ends the
#    process within seconds, and the log names the device that hung.
# 3. A stop with nothing wedged ends cleanly (exit 0), without that line.
#
#   shutdown.sh BUILD_DIR
. "$(dirname "$0")/e2e_lib.sh"

# stop_timed: SIGTERM to the kiosk; sets $rc and $took_ms (capped at 15 s).
stop_timed() {
    t0=$(date +%s%N)
    kill -TERM "$kpid"
    for _ in $(seq 150); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
    took_ms=$((($(date +%s%N) - t0) / 1000000))
    if kill -0 "$kpid" 2>/dev/null; then
        kill -KILL "$kpid"
        bad "the kiosk did not end within 15 s of SIGTERM"
    fi
    wait "$kpid"
    rc=$?
    kpid=""
}

# ---- 1 and 3 --------------------------------------------------------------
start_kiosk
check "the kiosk says its memory is private" grep -q "memory kept private" "$tmp/kiosk.log"
check "no core file: RLIMIT_CORE is 0" sh -c "grep -E '^Max core file size +0 +0 ' /proc/$kpid/limits"
stop_timed
[ "$rc" -eq 0 ] && ok || bad "a clean stop ended with status $rc"
check "a clean stop names nothing that hung" sh -c "! grep -q 'did not stop within' '$tmp/kiosk.log'"
echo "clean stop: ${took_ms} ms"

# ---- 2 ----------------------------------------------------------------------
: >"$tmp/kiosk.log"
start_kiosk
step reader wedged
sleep 1 # the reader polls for a card a few times a second, and sticks
stop_timed
echo "stop with the reader wedged: ${took_ms} ms (exit $rc)"
[ "$took_ms" -le 5000 ] && ok || bad "the stop took $took_ms ms with the reader wedged"
[ "$rc" -ne 0 ] && ok || bad "a stop that left a device behind ended with status 0"
check "the log names the reader" grep -q "shutdown: card reader did not stop within 2 s" "$tmp/kiosk.log"

echo "shutdown: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
