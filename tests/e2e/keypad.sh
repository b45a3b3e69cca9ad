#!/bin/sh
# End to end with keys only: the query journey driven as a citizen who
# cannot use the touchscreen drives it, with a numeric keypad and the
# arrow keys, through the control socket's `key` verb (the same SDL key
# events a keyboard sends). The card and the face are the simulated
# devices, laid on as in journey.sh; every screen is worked by keys.
#
#   keypad.sh BUILD_DIR
#
# home -> 查询不动产 -> card -> consent -> face -> records (放大查看 opened,
# moved, closed; a record's detail and back by Escape) -> purpose ->
# preview (放大查看 again) -> print -> rating -> goodbye -> home; the
# certificate came out with the purpose chosen by keys.
set -u
. "$(dirname "$0")/e2e_lib.sh"
start_kiosk

focus() { ctl state | grep -o '"focus":"[^"]*"' | sed 's/"focus":"//; s/"$//'; }
# id_of LABEL: the id of the enabled widget labelled LABEL (whole label).
id_of() {
    ctl state | grep -o "{\"id\":\"[^\"]*\",\"label\":\"$1\",[^{}]*\"enabled\":true" | head -1 |
        sed 's/{"id":"//; s/".*//'
}
# focus_on LABEL [KEY]: presses KEY (tab) until the widget labelled LABEL
# has the focus; at most 30 presses.
focus_on() {
    want=$(id_of "$1")
    [ -n "$want" ] || { bad "no enabled widget labelled '$1' on $(ctl state | grep -o '"screen":"[a-z_]*"')"; return 1; }
    for _ in $(seq 30); do
        [ "$(focus)" = "$want" ] && { ok; return 0; }
        step key "${2:-tab}"
    done
    bad "the keys never reached '$1' (focus: $(focus))"
    return 1
}
# press LABEL: focus it by keys, then Enter.
press() { focus_on "$@" && step key enter; }

# ---- home: no ring before a key, the first key shows it ------------------
check "no focus before a key is used" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"focus\":\"\"'"
step key kp2
check "the first key shows the focus on the content" sh -c "[ -n \"\$('$ctlbin' '$tmp/ctl' state | grep -o '\"focus\":\"[^\"]\\+\"')\" ]"
step screenshot "$tmp/home-focus.png"
press 查询不动产
step wait insert_card 3000
step card "$id0"
step wait face_consent 5000
step face live
press 同意并开始
step wait face_capture 2000
step wait records 120000

# ---- records: 放大查看 by keys, moved by the keypad, closed by Escape ------
press 放大查看
check "放大查看 opens" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"zoom\":true'"
check "the focus is on 缩小" test "$(focus)" = zoom-close
step key kp2
step key kp6
check "the keypad moves the picture, not the focus" test "$(focus)" = zoom-close
check "still zoomed after moving" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"zoom\":true'"
step screenshot "$tmp/records-zoom.png"
step key escape
check "Escape closes 放大查看" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"zoom\":false'"
check "the focus is back on 放大查看" test "$(focus)" = zoom
check "still on the records" screen_is records
# keypad 2 goes down from 放大查看 to the first record
step key kp2
check "keypad 2 moves down to the first record" test "$(focus)" = record0
step key kp5
step wait record_detail 2000
check "detail shows the unit number label" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 不动产单元号"
step key escape # 返回列表
step wait records 2000
press 打印查询证明
step wait cert_purpose 2000
press 办理贷款
press 下一步
step wait cert_preview 10000

# ---- preview: 放大查看 again, closed with Enter on 缩小 ---------------------
press 放大查看
check "放大查看 on the preview" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"zoom\":true'"
step key enter
check "Enter on 缩小 closes it" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"zoom\":false'"
press '打印证明（1 份）'
step wait printing 3000
for _ in $(seq 50); do ctl state | grep -q '"busy":false' && break; sleep 0.1; done
pdf=$(ctl state | grep -o '"pdf":"[^"]*"' | sed 's/"pdf":"//; s/"$//')
# Demo mode removes the certificate when the visit ends: keep a copy.
saved=$pdf
[ -n "$pdf" ] && [ -f "$pdf" ] && cp "$pdf" "$tmp/cert.pdf" && pdf="$tmp/cert.pdf"
press 我已取走，继续
step wait rating 2000
press 非常满意
press 提交评价
step wait goodbye 3000
check "goodbye says the proof was printed" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '已打印 1 份'"
remove_card
step wait home 5000
check "session wiped at home" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"session\":false'"
check "the demo certificate is gone with the visit" test -n "$saved" -a ! -e "$saved"

# ---- the certificate ------------------------------------------------------
if [ -n "$pdf" ] && [ -f "$pdf" ]; then
    ok
    pdftotext -layout "$pdf" "$tmp/cert.txt"
    for want in 不动产登记信息查询结果证明 办理贷款 焦作市不动产登记中心; do
        check "certificate text has $want" grep -q "$want" "$tmp/cert.txt"
    done
else
    bad "no certificate PDF ($pdf)"
fi

# ---- the verb refuses what it does not know ------------------------------
out=$(ctl key nosuchkey)
case $out in *'"ok":false'*usage*) ok ;; *) bad "key nosuchkey answered $out" ;; esac
step quit
wait "$kpid" 2>/dev/null
kpid=""
echo "keypad: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
