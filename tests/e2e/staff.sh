#!/bin/sh
# End to end: maintenance mode on the real kiosk against the real reference
# registry (see e2e_lib.sh), as a hall's staff would use it.
#
#   staff.sh BUILD_DIR
#
# 1. the hidden corner (five taps in 3 s) opens the PIN screen; wrong PINs
#    are refused in words, the fifth locks entry, and the lock holds over
#    a restart until its time has passed;
# 2. the maintenance screen: every device's state; a test slip printed; the
#    printer out of paper said plainly, the kept slip printed once paper is
#    back; "paper refilled" starts the count again;
# 3. out of service: the next citizen sees the closed screen (a card does
#    nothing), also after a restart; back in service;
# 4. 重启程序 brings the same program back; no touch: the warning, then out
#    by itself;
# 5. the audit trail at the registry holds every step, and no citizen's
#    name or ID number.
. "$(dirname "$0")/e2e_lib.sh"

# Five taps in the hidden corner over the logo.
corner() { for _ in 1 2 3 4 5; do step tap-at 20 20; done; }
pin() {
    for d in $(echo "$1" | sed 's/./& /g'); do step tap "$d"; done
    step tap 确认
}
enter() {
    corner
    step wait staff_pin 2000
    pin 2468
    step wait staff 3000
}

start_kiosk

# ---- 1. the corner, the PIN, the lockout ----------------------------------
step tap-at 20 20
step tap-at 20 20
check "two taps do nothing" screen_is home
corner
step wait staff_pin 2000
check "no digit of a PIN is ever in the state" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"[0-9]\{4\}'"
pin 1111
check "a wrong PIN is said plainly" state_has 密码不正确
for _ in 1 2 3 4; do pin 1111; done
check "the fifth wrong PIN locks entry" state_has 前不能登录
pin 2468
check "while locked even the right PIN is refused" state_has 前不能登录
step quit
wait "$kpid" 2>/dev/null
start_kiosk
corner
step wait staff_pin 2000
pin 2468
check "the lock holds over a restart" state_has 前不能登录
# A minute and a half later: the PIN screen warned (the idle banner, 30 s),
# then went home by itself; the lock is over.
step clock +91
step wait home 2000
enter
check "maintenance mode names who is in" state_has "工号 0312"

# ---- 2. devices, a card read, the test slip, paper --------------------------
step card "$id0"
for _ in $(seq 50); do state_has 测试读卡正常 && break; sleep 0.1; done
check "a card laid on is read and shown masked" state_has "测试读卡正常：$(demo_field 0 2 | cut -c1-3)**"
check "and never in full" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -qF '$id0'"
remove_card
# The reader retries a damaged frame: three in a row fail the read.
step reader checksum
step reader checksum
step reader checksum
step card "$id0"
for _ in $(seq 50); do state_has 测试读卡失败 && break; sleep 0.1; done
check "a damaged read says so" state_has 测试读卡失败
step card-remove
sleep 1 # no card was accepted, so no removal event: two polls of the reader
for dev in 身份证阅读器 摄像头 小票打印机 A4 登记系统连接 存储空间; do
    check "the maintenance screen shows $dev" state_has "$dev"
done
step tap 测试小票
for _ in $(seq 100); do state_has 测试小票已打印 && break; sleep 0.1; done
check "the test slip is printed" state_has 测试小票已打印
check "the count since the refill went up" state_has "换纸后已打印 1 张小票"
step printer paper-out
step tap 测试小票
for _ in $(seq 100); do state_has 未能打印 && break; sleep 0.1; done
check "a test slip without paper says why" state_has 测试小票未能打印：缺纸
check "the slip printer's row says it is out of paper" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"小票打印机 故障 缺纸'"
step printer ready
for _ in $(seq 100); do state_has 测试小票已打印 && break; sleep 0.1; done
check "the kept slip prints once paper is back" state_has 测试小票已打印
# The camera's test: its picture with the detector's box, then closed.
step tap 预览画面
for _ in $(seq 100); do state_has "检测到 1 张人脸" && break; sleep 0.1; done
check "the camera's test finds the face in the picture" state_has "检测到 1 张人脸"
check "... and draws its box" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"id\":\"face-box\"'"
step tap 关闭预览
check "closing the preview brings the devices back" state_has 登记系统连接
check "the camera is off again" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -q '\"id\":\"face-box\"'"

# The A4 test page: composed, marked TEST, delivered (here into the folder).
step tap 测试页
for _ in $(seq 100); do state_has 测试页已打印 && break; sleep 0.1; done
check "the test page is printed" state_has 测试页已打印
page=$(ls "$tmp"/run/out/*TEST-*.pdf 2>/dev/null | head -1)
check "the test page is in the output folder" test -s "$page"
if [ -s "$page" ]; then
    pdftotext -layout "$page" "$tmp/page.txt"
    # The watermark is drawn across the page, which pdftotext reads in
    # pieces: the boxed mark in the top row and the number say enough.
    check "the test page is marked as one" grep -Eq "^测试页 .*证明编号： TEST-JZ-JF-03-" "$tmp/page.txt"
    check "the test page says it is no proof" grep -q "不是查询证明" "$tmp/page.txt"
    pdftoppm -r 150 -png -f 1 -l 1 "$page" "$tmp/page"
    check "the test page's QR code reads back its number" sh -c "zbarimg -q --raw '$tmp'/page*.png | grep -q '^TEST-JZ-JF-03-'"
fi
step tap 已换纸
check "paper refilled starts the count again" state_has "换纸后已打印 0 张小票"
check "a full roll is estimated" state_has "约剩 300 张"
check "the registry's row says the round trip" state_has "登记系统连接 正常 已连接 · 往返 "
check "... and since when" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"登记系统连接 正常 [^\"]* 自 [0-9][0-9]:[0-9][0-9] 起'"
# The kiosk's clock went 91 s ahead above: the registry's poll since says so.
check "the clock is compared with the registry's" sh -c "'$ctlbin' '$tmp/ctl' state | grep -Eq '\"label\":\"时钟 [^\"]*(与登记系统一致|比登记系统快 9[0-2] 秒)'"

# The log view: the newest lines first, nothing of a citizen in them.
step tap 运行日志
check "the log view shows the kiosk's lines" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"id\":\"log0\",\"label\":\"[0-9:]* <[0-9]>'"
check "the log view holds no ID number" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -qF '$id0'"
step tap 设备状态

# ---- 3. out of service --------------------------------------------------------
step tap 测试小票
for _ in $(seq 100); do state_has "换纸后已打印 1 张小票" && break; sleep 0.1; done
step tap 暂停服务
check "out of service asks why first" state_has 请选择暂停服务的原因
step tap 打印机故障，正在修复
step tap 退出维护模式
step wait closed 2000
check "the closed screen tells citizens where to go" state_has 请到
check "and why" state_has 打印机故障，正在修复
step card "$id0"
sleep 1
check "a citizen's card starts nothing" screen_is closed
remove_card
step clock +600
check "the closed screen stays" screen_is closed
step quit
wait "$kpid" 2>/dev/null
start_kiosk closed
check "out of service holds over a restart" screen_is closed
check "with its reason" state_has 打印机故障，正在修复
enter
check "the paper count holds over a restart" state_has "换纸后已打印 1 张小票"
step tap 恢复服务
step tap 退出维护模式
step wait home 2000

# ---- 4. restart, then no touch: warned, then out -----------------------------
enter
step tap 重启程序
sleep 1
out=$(ctl wait home 10000)
case $out in *'"ok":true'*) ok ;; *) bad "the kiosk did not come back after 重启程序: $out" ;; esac
check "the same process came back (exec, not a crash)" kill -0 "$kpid"

enter
step clock +121
check "the idle warning shows" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"idle_left_ms\":[1-9]'"
step clock +31
step wait home 3000

# ---- 5. the audit trail --------------------------------------------------------
# The outbox delivers while the kiosk runs: wait for the last exit to arrive.
audit=""
for _ in $(seq 100); do
    audit=$(curl -fsS "$url/v1/audit?kiosk=JZ-JF-03&limit=200" 2>/dev/null)
    [ "$(echo "$audit" | grep -o '"action":"exit"' | wc -l)" -ge 3 ] && break
    sleep 0.2
done
step quit
wait "$kpid" 2>/dev/null
kpid=""
for action in enter enter_refused test_slip test_page test_camera paper_refilled out_of_service in_service restart exit; do
    case $audit in *"\"action\":\"$action\""*) ok ;; *) bad "the audit trail lacks $action" ;; esac
done
case $audit in *'"staff_no":"0312"'*) ok ;; *) bad "the audit trail names the staff number" ;; esac
for i in 0 1 2 3 4 5 6 7 8 9; do
    case $audit in *"$(demo_field "$i" 3)"* | *"$(demo_field "$i" 2)"*) bad "citizen $i in the audit trail" ;; *) ok ;; esac
done

echo "staff: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
