#!/bin/sh
# End to end: the service guide (办事指南) survives a restart without the
# registry (see e2e_lib.sh).
#
#   guide_offline.sh BUILD_DIR
#
# 1. the kiosk runs with the registry: the guide arrives and is kept in
#    <output_dir>/guide.json, whole; the same guide at the next start is
#    not written again;
# 2. the registry is gone and the kiosk starts again: the guide screen
#    lists the kept services and a service's guide opens;
# 3. a damaged copy: one log line with the reason, the kiosk starts with
#    an empty guide.
set -u
. "$(dirname "$0")/e2e_lib.sh"

copy="$tmp/run/out/guide.json"
stop_kiosk() {
    step quit
    wait "$kpid" 2>/dev/null
    kpid=""
}

# ---- 1. with the registry -------------------------------------------------
start_kiosk
guide_shown
check "the guide reaches the kiosk" state_has 不动产抵押登记
for _ in $(seq 50); do [ -s "$copy" ] && break; sleep 0.1; done
check "the guide is kept on disk" test -s "$copy"
check "the copy is the registry's guide" grep -qF 不动产转移登记 "$copy"
check "no half-written file is left" test ! -e "$copy.tmp"
stop_kiosk

# The same guide again is not written again (a rename would change the inode).
inode=$(stat -c %i "$copy")
: >"$tmp/kiosk.log"
start_kiosk
for _ in $(seq 50); do grep -q "GET /v1/services 200" "$tmp/kiosk.log" && break; sleep 0.1; done
sleep 0.5
check "an unchanged guide is not rewritten" test "$(stat -c %i "$copy")" = "$inode"
stop_kiosk

# ---- 2. the registry gone: its port answers no more -------------------------
kill "$rpid"
wait "$rpid" 2>/dev/null
rpid=""
: >"$tmp/kiosk.log"
start_kiosk
check "the kiosk read the kept guide" grep -q "read from .*guide.json" "$tmp/kiosk.log"
step tap 办事指南
step wait services 2000
check "the kept guide lists the transfer" state_has 不动产转移登记
check "the kept guide lists the mortgage" state_has 不动产抵押登记
step screenshot "$tmp/guide_offline.png"
step tap 不动产转移登记
step wait guide 2000
check "the kept guide names the materials" state_has 不动产权证书
check "the kept guide states the time limit" state_has 3 个工作日
stop_kiosk
check "the copy is still whole" grep -qF 不动产转移登记 "$copy"

# ---- 3. a damaged copy ------------------------------------------------------
printf '{"as_of":"2026-11-22T09:43:00+08:00","items":[{"code":"regis' >"$copy"
: >"$tmp/kiosk.log"
start_kiosk
check "a damaged copy is logged with its reason" grep -q "guide in .*guide.json ignored: " "$tmp/kiosk.log"
check "in one line" test "$(grep -c 'guide.json ignored' "$tmp/kiosk.log")" -eq 1
step tap 办事指南
step wait services 2000
check "a damaged copy shows no services" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -q 不动产转移登记"
stop_kiosk

echo "guide_offline: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
