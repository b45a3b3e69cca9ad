#!/bin/sh
# End to end: a stuck certificate retried once and printed once. The real
# kiosk (demo mode, simulated card reader and camera) prints certificates
# to a CUPS queue of a private scheduler (tests/cups_lib.sh) whose capture
# backend writes each job it prints to a file.
#
#   staff_print.sh BUILD_DIR
#
# 1. the A4 queue is stopped (cupsdisable) before a citizen prints a
#    certificate: the citizen is told it failed; the scheduler holds the
#    job and nothing comes out, also once the queue runs again;
# 2. staff enter maintenance mode: 打印记录 shows the certificate held;
#    重新打印 while the queue is still stopped says why and keeps it held;
# 3. after cupsenable, 重新打印: exactly one job's output appears, a PDF;
#    the row says printed and offers no retry; nothing more comes out;
# 4. a slip waiting for paper is cancelled (never printed after the
#    refill), then retried once;
# 5. the audit trail at the registry has the retry and the cancel, with
#    the job's kind and number and no citizen's data.
. "$(dirname "$0")/e2e_lib.sh"
. "$(dirname "$0")/../cups_lib.sh"
trap 'cups_stop; cleanup' EXIT INT TERM
cups_start || exit 1
cups_queue KioskA4
# The kiosk prints certificates to that queue.
sed -i 's|^\[print\]$|[print]\ncups_queue = KioskA4|' "$tmp/kiosk.ini"

corner() { for _ in 1 2 3 4 5; do step tap-at 20 20; done; }
enter() {
    corner
    step wait staff_pin 2000
    for d in 2 4 6 8; do step tap "$d"; done
    step tap 确认
    step wait staff 3000
}
outputs() { find "$CUPS_OUT" -name 'job-*.bin' | wc -l; }
# Waits up to 10 s for the state to hold TEXT.
wait_for() {
    for _ in $(seq 100); do state_has "$1" && return 0; sleep 0.1; done
    return 1
}

start_kiosk

# ---- 1. the queue stops; a citizen prints ------------------------------------
cupsdisable KioskA4
to_records
print_cert
step wait error 20000
check "the citizen is told the printer cannot print" state_has 打印机暂时不能打印
remove_card
step wait home 5000
check "the scheduler holds the job" sh -c "lpstat -o KioskA4 | grep -q KioskA4"
check "nothing came out" test "$(outputs)" -eq 0

# ---- 2. maintenance mode: the held certificate --------------------------------
enter
check "the A4 row says why the queue stopped, in words" wait_for "A4 打印机 故障 KioskA4 · 已停止：已被暂停"
step tap 打印记录
check "打印记录 shows the held certificate" wait_for "卡住，等待处理"
check "as a certificate, by its number" state_has '"label":"证明  '
check "with 重新打印 and 取消" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"重新打印\"' && '$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"取消\"'"
step tap 重新打印
check "a retry while the queue is stopped says why" wait_for "仍未打印：打印机已停止"
step screenshot "$tmp/jobs-held.png"
check "and keeps it held" wait_for "卡住，等待处理"
cupsenable KioskA4
sleep 1
check "held: the queue running again prints nothing by itself" test "$(outputs)" -eq 0

# ---- 3. retried once, printed once ----------------------------------------------
step tap 重新打印
check "the retry prints" wait_for "已重新打印"
for _ in $(seq 50); do [ "$(outputs)" -ge 1 ] && break; sleep 0.1; done
sleep 1
check "exactly one job's output, not two" test "$(outputs)" -eq 1
job=$(find "$CUPS_OUT" -name 'job-*.bin' | head -1)
check "the output is the certificate's PDF" sh -c "head -c 5 '$job' | grep -q '%PDF-'"
check "the row says printed" wait_for "已打印 · "
check "a printed certificate offers no retry" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"重新打印\"'"
ctl tap 重新打印 >/dev/null
sleep 1
check "still one job's output" test "$(outputs)" -eq 1

# ---- 4. a slip waiting for paper, cancelled, then retried once ------------------
step tap 设备状态
step printer paper-out
step tap 测试小票
for _ in $(seq 100); do state_has 未能打印 && break; sleep 0.1; done
step tap 打印记录
check "the waiting slip is listed" wait_for "等待打印机"
step tap 取消
check "the slip is cancelled" wait_for "已取消，不会再打印"
step printer ready
sleep 2
step tap 设备状态
check "a cancelled slip does not print when paper is back" state_has "换纸后已打印 0 张小票"
step tap 打印记录
check "it is listed as not printed" wait_for "未打印 · "
check "the cancelled slip can be retried" wait_for '"label":"重新打印"'
step tap 重新打印
check "the retried slip prints" wait_for "已重新打印"
step tap 退出维护模式
step wait home 3000
enter
check "one slip printed since the refill (the retry, not the cancelled one)" state_has "换纸后已打印 1 张小票"
step tap 退出维护模式
step wait home 3000

# ---- 5. the audit trail -----------------------------------------------------------
audit=""
for _ in $(seq 100); do
    audit=$(curl -fsS "$url/v1/audit?kiosk=JZ-JF-03&limit=200" 2>/dev/null)
    [ "$(echo "$audit" | grep -o '"action":"exit"' | wc -l)" -ge 2 ] && break
    sleep 0.2
done
step quit
wait "$kpid" 2>/dev/null
kpid=""
case $audit in *'"action":"job_retried","detail":"certificate '*) ok ;; *) bad "the audit trail lacks the certificate's retry: $audit" ;; esac
case $audit in *'"action":"job_cancelled","detail":"slip '*) ok ;; *) bad "the audit trail lacks the slip's cancel" ;; esac
case $audit in *'"action":"job_retried","detail":"slip '*) ok ;; *) bad "the audit trail lacks the slip's retry" ;; esac
for i in 0 1 2 3 4 5 6 7 8 9; do
    case $audit in *"$(demo_field "$i" 3)"* | *"$(demo_field "$i" 2)"*) bad "citizen $i in the audit trail" ;; *) ok ;; esac
done
check "the scheduler still runs" cups_alive
check "and logged no crash" sh -c "! grep -qE '\[(crit|emerg|alert)\]|[Ss]egmentation|crashed' '$CUPS_DIR/log/error_log'"

echo "staff_print: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
