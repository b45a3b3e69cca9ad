#!/bin/sh
# End to end: a citizen's own appointments, checking one in, the proof on
# a phone, and the home tiles while the registry is out of reach; the real
# kiosk against the real reference registry (see e2e_lib.sh).
#
#   appointments.sh BUILD_DIR
#
# 1. book, then 我的预约: the booking is listed; cancelling asks first,
#    then the list says 已取消, and the same service can be booked again
#    with the same card;
# 2. check-in today, a day early: the registry's words say when; then the
#    registry's clock 15 minutes before the booking: a priority number;
# 3. the proof on a phone: the QR code on screen is the registry's link,
#    and the link opens the proof;
# 4. nothing to show: a citizen without property or applications is told
#    so in words (and offered the proof of no home);
# 5. the registry gone: the tiles that need it say so and start no visit,
#    the rating still works.
E2E_REGISTRY_FILE=1
. "$(dirname "$0")/e2e_lib.sh"

# label ID: the label of the widget with that id on the current screen.
label() { ctl state | grep -o "\"id\":\"$1\",\"label\":\"[^\"]*\"" | sed 's/.*"label":"//; s/"$//'; }
# Card, consent and a live face: the visit's registry session opens.
face_visit() {
    step card "$1"
    step wait face_consent 5000
    step face live
    step tap 同意并开始
}
# On the slots screen: the first slot with places, and a valid phone number.
book_first_slot() {
    step wait slots 40000
    step tap-containing 余
    step wait phone 2000
    for d in 1 3 8 1 2 3 4 5 6 7 8; do step tap "$d"; done
    step tap 确认
    step wait booked 10000
}
# From a screen that offers the rating, skipped, to the goodbye and home.
skip_rating_and_leave() {
    step tap "$1"
    step wait rating 2000
    step tap 跳过
    step wait goodbye 3000
    remove_card
    step wait home 3000
}

start_kiosk

# ---- 1. my appointments -------------------------------------------------------
step tap 预约办理
step wait services 2000
step tap 不动产转移登记
step wait insert_card 3000
face_visit "$id0"
book_first_slot
first=$(label when)
skip_rating_and_leave 完成，评价本次服务

step tap 预约办理
step wait services 2000
step tap 我的预约：查看或取消
step wait insert_card 3000
face_visit "$id0"
step wait bookings 40000
check "the booking is listed with its time" sh -c "'$ctlbin' '$tmp/ctl' state | grep -qF '$first'"
check "a booking in force says so in words" state_has 已预约
step screenshot "$tmp/bookings.png"
step tap 取消预约
check "cancelling asks first" state_has 确定取消这个预约吗
step tap 不取消
check "keeping it asks no more" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -qF 确定取消这个预约吗"
step tap 取消预约
step tap 确定取消
step wait bookings 10000
check "the list says the booking is cancelled" state_has 已取消
check "nothing is left to cancel" sh -c "! '$ctlbin' '$tmp/ctl' state | grep -qF '\"label\":\"取消预约\"'"
# The cancelled booking no longer holds the service: book it again, card read once.
step tap 预约其他业务
step wait services 2000
step tap 不动产转移登记
book_first_slot
when=$(label when)
check "the visit is still the citizen's, card read once" state_has '"card_present":true'
skip_rating_and_leave 完成，评价本次服务

# ---- 2. check-in ------------------------------------------------------------
# Bookings start tomorrow: today the registry says when the window opens.
step tap 取号排队
step wait services 2000
step tap 我有预约，刷身份证签到
step wait insert_card 3000
face_visit "$id0"
step wait error 40000
check "too early: the registry's words say when" state_has 后签到
remove_card
step wait home 3000

# The registry's clock 15 minutes before the booked hour. The screen words
# the day ("11月23日 周一 09:00–10:00"): its year is this one, or the next
# when the month has come round.
mo=$(echo "$when" | sed -n 's/^\([0-9]*\)月.*/\1/p')
dd=$(echo "$when" | sed -n 's/^[0-9]*月\([0-9]*\)日.*/\1/p')
hm=$(echo "$when" | cut -d' ' -f3 | cut -c1-5)
yr=$(TZ=Asia/Shanghai date +%Y)
[ "$mo" -lt "$(TZ=Asia/Shanghai date +%-m)" ] && yr=$((yr + 1))
day=$(printf '%d-%02d-%02d' "$yr" "$mo" "$dd")
ahead=$(($(date -d "$day $hm +0800" +%s) - 900 - $(date +%s)))
step quit
wait "$kpid" 2>/dev/null
kill "$rpid"
wait "$rpid" 2>/dev/null
start_registry --clock-ahead "$ahead"
start_kiosk
step tap 取号排队
step wait services 2000
step tap 我有预约，刷身份证签到
step wait insert_card 3000
face_visit "$id0"
step wait ticket 40000
for _ in $(seq 100); do state_has '"id":"number"' && break; sleep 0.1; done
number=$(label number)
case $number in A5[0-9][0-9]) ok ;; *) bad "a checked-in registration is A and 501 on, not '$number'" ;; esac
check "the priority number says it is the appointment's" state_has 签到成功
check "the booked time is on screen" state_has "$hm"
step screenshot "$tmp/checkin.png"
step tap 办理完成，返回首页
step wait goodbye 3000
remove_card
step wait home 3000

# ---- 3. the proof on a phone ------------------------------------------------
step tap 打印证明
step wait insert_card 3000
face_visit "$id0"
step wait cert_purpose 40000
step tap 办理贷款
step tap 下一步
step wait cert_preview 15000
step tap 发送到手机
step wait ecert 10000
check "the link's expiry is in words" state_has 前有效
step screenshot "$tmp/ecert.png"
link=$(zbarimg -q --raw "$tmp/ecert.png" 2>/dev/null)
case $link in "$url"/e/*) ok ;; *) bad "the QR code is the registry's link, not '$link'" ;; esac
check "the link opens the proof" sh -c "curl -fsS '$link' | grep -qF 该证明由本中心出具"
check "the link shows no full ID number" sh -c "! curl -fsS '$link' | grep -qF '$id0'"
# Paper as well: back to the preview, the same proof.
step tap 打印纸质证明
step wait cert_preview 2000
step tap 发送到手机
step wait ecert 10000
skip_rating_and_leave 完成，评价本次服务

# ---- 4. nothing to show: no property, no applications ------------------------
id4=$(demo_field 4 3)
step tap 查询不动产
step wait insert_card 3000
face_visit "$id4"
step wait records 120000
check "no property is said plainly" state_has 没有查到您名下登记的不动产
check "and the proof of no home is offered" state_has 打印查询结果证明
step tap-containing 返回首页
step tap-containing 结束
remove_card
step wait home 3000
step tap 办件进度
step wait insert_card 3000
face_visit "$id4"
step wait progress 40000
check "no applications is said plainly" state_has 没有查到您近 12 个月申请的业务
skip_rating_and_leave 完成，评价本次服务

# ---- 5. the registry gone ---------------------------------------------------
kill "$rpid"
wait "$rpid" 2>/dev/null
rpid=""
for _ in $(seq 150); do state_has 连接中断 && break; sleep 0.1; done
check "home says the registry is unreachable, and what still works" state_has 现在可以查看办事指南
for tile in 查询不动产 取号排队 预约办理; do
    step tap "$tile"
    step wait error 2000
    check "$tile: says the registry is out of reach" state_has 登记系统暂时连接不上
    check "$tile: no visit begins" state_has '"session":false'
    step tap-containing 返回首页
    step wait home 2000
done
step tap 服务评价
step wait rating 2000
step tap 满意
step tap 提交评价
step wait home 3000
step quit
wait "$kpid" 2>/dev/null
kpid=""

echo "appointments: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
