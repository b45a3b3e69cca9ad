#!/bin/sh
# The fault matrix's printing rows, end to end with the real kiosk (demo
# mode, the simulated slip printer, certificates to a private cupsd):
#
# 1. the slip printer runs out of paper mid-slip and its cover is opened to
#    refill it: the citizen reads each in turn; closed and refilled, the
#    slip comes out once;
# 2. the kiosk is killed (SIGKILL) mid-slip and started again: the slip is
#    taken up from the journal and comes out once, in its time;
# 3. the CUPS scheduler is down when a citizen prints a certificate: told
#    plainly, nothing comes out; the scheduler back, 再试一次 prints it
#    once.
#
#   print_faults.sh BUILD_DIR
. "$(dirname "$0")/e2e_lib.sh"
. "$(dirname "$0")/../cups_lib.sh"
trap 'cups_stop; cleanup' EXIT INT TERM
cups_start || exit 1
cups_queue KioskA4
sed -i 's|^\[print\]$|[print]\ncups_queue = KioskA4|' "$tmp/kiosk.ini"

# Waits up to 10 s for the state to hold TEXT.
wait_for() {
    for _ in $(seq 100); do state_has "$1" && return 0; sleep 0.1; done
    return 1
}
slips() { ls "$tmp/run/out/slips"/*.png 2>/dev/null | wc -l; }
outputs() { find "$CUPS_OUT" -name 'job-*.bin' | wc -l; }
done_home() {
    step tap 办理完成，返回首页
    remove_card
    step wait home 5000
}

start_kiosk

# ---- 1. paper out mid-slip, the cover opened to refill ---------------------
step printer paper 300
counter_ticket
check "paper out mid-slip is told" wait_for 打印机缺纸
step printer cover-open
check "the cover opened is told" wait_for 打印机盖未合上
check "nothing came out yet" test "$(slips)" -eq 0
step printer paper -1
step printer ready
check "closed and refilled, the slip comes out" wait_for 请取走排队凭条
check "one slip, not two" test "$(slips)" -eq 1
done_home

# ---- 2. killed mid-slip, started again -----------------------------------
step printer paper 300
counter_ticket
number=$(ctl state | grep -o '"id":"number","label":"[^"]*"' | sed 's/.*"label":"//; s/"$//')
check "paper out mid-slip before the kill" wait_for 打印机缺纸
before=$(slips)
kill -9 "$kpid"
wait "$kpid" 2>/dev/null
kpid=""
start_kiosk # the same folder: the same print journal
for _ in $(seq 100); do [ "$(slips)" -gt "$before" ] && break; sleep 0.1; done
sleep 1
check "the torn slip is taken up after the restart" grep -q "resuming slip $number" "$tmp/kiosk.log"
check "and comes out once: one slip more, not two" test "$(slips)" -eq $((before + 1))

# ---- 3. the CUPS scheduler down ----------------------------------------------
kill "$CUPSD_PID"
wait "$CUPSD_PID" 2>/dev/null
to_records
print_cert
step wait error 30000
check "the citizen is told the printer cannot print" state_has 打印机暂时不能打印
check "nothing came out" test "$(outputs)" -eq 0
# The scheduler back, on the same spool and configuration; the citizen
# tries again from the same screen.
cupsd -f -c "$CUPS_DIR/etc/cupsd.conf" -s "$CUPS_DIR/etc/cups-files.conf" &
CUPSD_PID=$!
for _ in $(seq 250); do lpstat -r 2>/dev/null | grep -q 'is running' && break; sleep 0.02; done
step tap 再试一次
step wait cert_preview 5000
step tap-containing 打印证明
step wait printing 3000
for _ in $(seq 150); do [ "$(outputs)" -ge 1 ] && break; sleep 0.1; done
sleep 1
check "tried again, it printed once" test "$(outputs)" -eq 1
for _ in $(seq 100); do ctl state | grep -q '"busy":false' && break; sleep 0.1; done
step tap 我已取走，继续
step wait rating 2000
step tap 跳过
remove_card
step wait home 10000

echo "print_faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
