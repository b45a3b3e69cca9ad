#!/bin/sh
# End to end: the hall's services on the real kiosk against the real
# reference registry (see e2e_lib.sh).
#
#   services.sh BUILD_DIR
#
# 1. the guide without a card: a service's materials, fees and fee
#    waiver, then a walk-in number for it from the guide;
# 2. 取号排队 without a card: a number for another service;
# 3. a booking: service, card, face, a slot, a wrong phone number told
#    plainly, the right one, the appointment and its slip, the rating;
# 4. progress: the citizen's applications against their limits;
# 5. one card, several services: records, a certificate, then a queue
#    number and a rating without reading the card again;
# 6. the registry gone: the guide says so plainly; back, it recovers.
set -u
. "$(dirname "$0")/e2e_lib.sh"
start_kiosk

# The number on the ticket screen.
ticket_number() { ctl state | grep -o '"id":"number","label":"[^"]*"' | sed 's/.*"label":"//; s/"$//'; }
guide_shown

# ---- 1. the guide -----------------------------------------------------------
check "the guide lists the counter services" state_has 不动产抵押登记
step tap 不动产转移登记
step wait guide 2000
check "the guide names the materials" state_has 不动产权证书
check "the guide states the time limit" state_has 3 个工作日
check "the guide states the fee waiver" state_has 小微企业
step screenshot "$tmp/guide.png"
step tap 取号办理
step wait ticket 5000
number=$(ticket_number)
case $number in A[0-9][0-9][0-9]) ok ;; *) bad "a transfer registration number is A and three digits, not '$number'" ;; esac
for _ in $(seq 100); do state_has 请取走排队凭条 && break; sleep 0.1; done
check "the walk-in slip comes out" state_has 请取走排队凭条
step tap 办理完成，返回首页
step wait home 3000

# ---- 2. a number for another service --------------------------------------
step tap 取号排队
step wait services 2000
check "a ticket visit offers check-in by card" state_has 我有预约
step tap 抵押注销登记
step wait ticket 5000
number=$(ticket_number)
case $number in E[0-9][0-9][0-9]) ok ;; *) bad "a cancellation number is E and three digits, not '$number'" ;; esac
step tap 办理完成，返回首页
step wait home 3000

# ---- 3. a booking -----------------------------------------------------------
step tap 预约办理
step wait services 2000
step tap 不动产转移登记
step wait insert_card 3000
step card "$id0"
step wait face_consent 5000
step face live
step tap 同意并开始
step wait slots 40000
step screenshot "$tmp/slots.png"
step tap-containing 余
step wait phone 2000
for d in 1 2 3 4 5 6 7 8 9 0 1; do step tap "$d"; done
step tap 确认
check "a wrong number is told plainly" state_has 手机号码不正确
check "and stays on the keypad" screen_is phone
for _ in $(seq 11); do step tap 删除; done
for d in 1 3 8 1 2 3 4 5 6 7 8; do step tap "$d"; done
step tap 确认
step wait booked 10000
check "the booking names its check-in code" state_has '"id":"code","label":"Y'
check "the phone number is masked" state_has "138****5678"
check "the full phone number is nowhere on screen" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -q 13812345678"
for _ in $(seq 100); do state_has 请取走预约凭条 && break; sleep 0.1; done
check "the appointment slip comes out" state_has 请取走预约凭条
step screenshot "$tmp/booked.png"
step tap 完成，评价本次服务
step wait rating 2000
step tap 非常满意
step tap 提交评价
step wait goodbye 3000
remove_card
step wait home 3000

# The same citizen books the same service again: the registry refuses a
# second active booking, and the kiosk says so.
step tap 预约办理
step wait services 2000
step tap 不动产转移登记
step card "$id0"
step wait face_consent 5000
step face live
step tap 同意并开始
step wait slots 40000
step tap-containing 余
step wait phone 2000
for d in 1 3 8 1 2 3 4 5 6 7 8; do step tap "$d"; done
step tap 确认
step wait error 10000
check "a second booking is refused in words" state_has 预约
remove_card
step wait home 3000

# ---- 4. progress -------------------------------------------------------------
# Demo citizen 1 has an application past its promised limit.
id1=$(demo_field 1 3)
step tap 办件进度
step wait insert_card 3000
step card "$id1"
step wait face_consent 5000
step face live
step tap 同意并开始
step wait progress 40000
check "applications are listed" state_has '"id":"app0"'
check "an overdue application says so in words" state_has 已超过承诺时限
receipt=$(ctl state | grep -o 'JZ[0-9]\{8\}-[0-9]\{5\}' | head -1)
step screenshot "$tmp/progress.png"
step tap 完成，评价本次服务
step wait rating 2000
step tap 跳过
remove_card
step wait home 3000

# The same application by its receipt number, without a card.
step tap 办件进度
step wait insert_card 3000
step tap 没带身份证？按受理编号查询
step wait receipt 2000
step tap 1
step tap 确认
check "an incomplete receipt number is told plainly" state_has 受理编号不完整
step tap 删除
for d in $(echo "$receipt" | tr -dc 0-9 | sed 's/./& /g'); do step tap "$d"; done
step tap 确认
step wait progress 10000
check "the receipt finds its application" state_has "$receipt"
check "a receipt lookup shows nothing personal" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -q '$(demo_field 1 2)'"
step tap 完成，评价本次服务
step wait rating 2000
step tap 跳过
step wait home 3000

# ---- 5. one card, several services ---------------------------------------
step tap 查询不动产
step card "$id0"
step wait face_consent 5000
step face live
step tap 同意并开始
step wait records 120000
step tap 打印查询证明
step wait cert_purpose 2000
step tap 办理贷款
step tap 下一步
step wait cert_preview 15000
step tap-containing 打印证明
step wait printing 3000
for _ in $(seq 150); do state_has 我已取走 && break; sleep 0.1; done
step tap 取号到窗口办理
step wait services 2000
step tap 不动产抵押登记
step wait ticket 5000
number=$(ticket_number)
case $number in B[0-9][0-9][0-9]) ok ;; *) bad "a mortgage number is B and three digits, not '$number'" ;; esac
check "the visit is still the citizen's, card read once" state_has '"card_present":true'
step tap 评价本次服务
step wait rating 2000
step tap 不满意
step tap 等待时间长
check "a low rating asks why" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"id\":\"reason0\",\"label\":\"等待时间长\"'"
step tap 提交评价
step wait goodbye 3000
remove_card
step wait home 3000

# ---- 6. the registry gone -------------------------------------------------
kill "$rpid"
wait "$rpid" 2>/dev/null
rpid=""
for _ in $(seq 150); do state_has 连接中断 && break; sleep 0.1; done
check "home says the registry is unreachable" state_has 连接中断
step tap 办事指南
step wait services 2000
check "the guide still shows the last copy" state_has 不动产转移登记
step tap 返回首页
step wait home 3000
step quit
wait "$kpid" 2>/dev/null
kpid=""

echo "services: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
