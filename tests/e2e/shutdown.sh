#!/bin/sh
# The kiosk's end, and what its memory allows while it runs.
#
# 1. Its memory stays its own: no core file (RLIMIT_CORE 0 in
#    /proc/PID/limits) and not dumpable, which it logs once it has checked.
# 2. A stop is bounded: with the reader wedged inside a transport call that
#    never returns (a USB stack stuck in the kernel), SIGTERM still ends the
#    process within seconds, and the log names the device that hung.
# 3. A stop with nothing wedged ends cleanly (exit 0), without that line.
# 4. Demo mode starts by removing what an earlier run left in its output
#    folder (certificates, slip pictures, test pages), nothing else.
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

# ---- 1, 3 and 4 -----------------------------------------------------------
mkdir -p "$tmp/run/out/slips"
for f in cert-JZCX-2026-000001.pdf .cert-JZCX-2026-000002.pdf.Ab12Cd TEST-page.pdf slips/slip-0001.png \
    notes.txt; do
    echo old >"$tmp/run/out/$f"
done
start_kiosk
for f in cert-JZCX-2026-000001.pdf .cert-JZCX-2026-000002.pdf.Ab12Cd TEST-page.pdf slips/slip-0001.png; do
    check "an earlier run's $f is removed at start" test ! -e "$tmp/run/out/$f"
done
check "a file of another kind stays" test -e "$tmp/run/out/notes.txt"
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
