#!/bin/sh
# End to end: the real kiosk (headless, simulated devices) against the real
# reference registry over HTTP on loopback, driven through the control
# socket as a citizen would drive it.
#
#   journey.sh BUILD_DIR
#
# 1. the whole query journey: card, consent, face, records, detail,
#    purpose, preview, print, rating, goodbye, card removed, home;
# 2. the certificate: its text (pdftotext), its QR code (pdftoppm +
#    zbarimg) leading to the verification URL, which the running registry
#    confirms (JSON and HTML);
# 3. idle countdown with 需要更多时间, then the wipe; card removed mid-visit;
#    face not matched; expired card; a damaged card frame; registry gone;
# 4. privacy: the demo citizen's name and ID number are in no file and no
#    log line the kiosk produced.
set -u
. "$(dirname "$0")/e2e_lib.sh"
start_kiosk

# ---- 1. the journey -----------------------------------------------------
step tap 查询不动产
step wait insert_card 3000
# The waiting dots step every 400 ms: over 2 s the kiosk draws about five
# frames (not one per loop turn, nor 60 a second), each only the dots' area.
frames() { ctl process | sed 's/.*"frames":\([0-9]*\),"frames_partial":\([0-9]*\).*/\1 \2/'; }
set -- $(frames)
f0=${1:-0} p0=${2:-0}
sleep 2
set -- $(frames)
n=$((${1:-0} - f0)) np=$((${2:-0} - p0))
[ "$n" -ge 3 ] && [ "$n" -le 8 ] && ok || bad "insert_card drew $n frames in 2 s (dots every 400 ms)"
[ "$np" -ge $((n - 1)) ] && [ "$np" -gt 0 ] && ok ||
    bad "insert_card drew $np of its $n animation frames in the dots' area only"
# The card screen has the reader look for a card often (it polls slowly
# elsewhere): a card laid is read at once.
check "the reader waits for a card on insert_card" state_has '"reader_waiting":true'
step card "$id0"
step wait face_consent 5000
check "the reader polls slowly again once the card is read" state_has '"reader_waiting":false'
check "consent offers both choices" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 不刷脸"
step face live
step tap 同意并开始
step wait face_capture 2000
step wait records 120000
state=$(ctl state)
echo "$state" >"$tmp/records.json"
check "records show a mortgage chip" grep -q 抵押 "$tmp/records.json"
check "records show the masked name" grep -qF "\"label\":\"$(echo "$name0" | cut -c1-3)**\"" "$tmp/records.json"
# The first record card, tapped at its centre like a finger would.
card=$(echo "$state" | grep -o '{[^{}]*"kind":"card"[^{}]*}' | head -1)
set -- $(echo "$card" | grep -o '"bounds":\[[0-9,]*\]' | tr -dc '0-9,' | tr ',' ' ')
if [ $# -eq 4 ]; then
    step tap-at $(($1 + $3 / 2)) $(($2 + $4 / 2))
    step wait record_detail 2000
    check "detail shows the unit number label" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 不动产单元号"
    step screenshot "$tmp/detail.png"
    step tap 返回列表
    step wait records 2000
    step tap 打印查询证明
else
    bad "no record card on the records screen"
    step tap 打印查询证明
fi
step wait cert_purpose 2000
ctl tap 下一步 >/dev/null # disabled until a purpose is chosen: must not advance
check "purpose is required" screen_is cert_purpose
step tap 办理贷款
step tap 下一步
step wait cert_preview 10000
step tap-containing 打印证明 # the label counts the copies: 打印证明（1 份）
step wait printing 3000
for _ in $(seq 50); do ctl state | grep -q '"busy":false' && break; sleep 0.1; done
pdf=$(ctl state | grep -o '"pdf":"[^"]*"' | sed 's/"pdf":"//; s/"$//')
# Demo mode removes the certificate when the visit ends: keep a copy.
saved=$pdf
[ -n "$pdf" ] && [ -f "$pdf" ] && cp "$pdf" "$tmp/cert.pdf" && pdf="$tmp/cert.pdf"
step tap 我已取走，继续
step wait rating 2000
step tap 非常满意
step tap 提交评价
step wait goodbye 3000
check "goodbye says the proof was printed" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '已打印 1 份'"
# The rating goes into the outbox (a file beside the print journal) and
# from there to the registry, once.
for _ in $(seq 100); do grep -q 'outbox: rating [0-9]* delivered' "$tmp/kiosk.log" && break; sleep 0.1; done
check "the rating reached the registry through the outbox" \
    grep -q 'outbox: rating [0-9]* delivered' "$tmp/kiosk.log"
check "the outbox is in the output folder" test -s "$tmp/run/out/outbox.sqlite"
remove_card
step wait home 5000
check "session wiped at home" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"session\":false'"
check "the demo certificate is gone with the visit" test -n "$saved" -a ! -e "$saved"

# ---- 2. the certificate -----------------------------------------------
if [ -n "$pdf" ] && [ -f "$pdf" ]; then
    ok
    pdftotext -layout "$pdf" "$tmp/cert.txt"
    for want in 不动产登记信息查询结果证明 办理贷款 焦作市不动产登记中心 样张 "$(echo "$id0" | cut -c1-4)"; do
        check "certificate text has $want" grep -q "$want" "$tmp/cert.txt"
    done
    check "certificate masks the ID number" grep -qF "$(echo "$id0" | cut -c1-4)**********$(echo "$id0" | cut -c15-18)" "$tmp/cert.txt"
    pdftoppm -r 150 -png -f 1 -l 1 "$pdf" "$tmp/page"
    qr=$(zbarimg -q --raw "$tmp"/page-*1.png 2>/dev/null | head -1)
    case $qr in "$url"/v1/verify/*) ok ;; *) bad "QR code decodes to '$qr'" ;; esac
    number=$(echo "$qr" | sed 's|.*/v1/verify/||; s|?.*||')
    code=$(echo "$qr" | sed 's|.*code=||')
    check "certificate text has its number" grep -q "$number" "$tmp/cert.txt"
    check "certificate text has the typed code" grep -q "$code" "$tmp/cert.txt"
    check "registry verifies the QR URL" sh -c "curl -sf '$qr' | grep -q '\"valid\":true'"
    check "verification page for a browser" sh -c "curl -sf -H 'Accept: text/html' '$qr' | grep -q '$number'"
    check "a wrong code does not verify" sh -c "! curl -sf '$url/v1/verify/$number?code=XXXXXX'"
else
    bad "no certificate PDF ($pdf)"
fi

# ---- 3. idle, card removal, refusals ------------------------------------
step tap 查询不动产
step card "$id0"
step wait face_consent 5000
step clock +61
check "idle banner counts down" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"idle_left_ms\":[1-9]'"
step tap 需要更多时间
check "more time hides the banner" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"idle_left_ms\":0'"
check "still on the same screen" screen_is face_consent
step clock +61
step clock +31
# The card is still on the reader: the visit ends on 请取走您的身份证.
step wait goodbye 2000
check "idle timeout wipes the visit" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"session\":false'"
check "the card left is asked for" state_has 请取走您的身份证
remove_card
step wait home 3000

step tap 查询不动产
step card "$id0"
step wait face_consent 5000
remove_card
step wait home 3000

step tap 查询不动产
step card "$id_nomatch"
step wait face_consent 5000
step tap 同意并开始
step wait error 120000
check "face not matched offers another try" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 再试一次"
remove_card
step wait home 3000

step tap 查询不动产
step card "$id_expired"
step wait error 5000
check "expired card is explained" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 过有效期"
remove_card
step wait home 3000

step tap 查询不动产
step reader checksum
step reader checksum
step reader checksum
step card "$id0"
for _ in $(seq 50); do ctl state | grep -q 没有读到 && break; sleep 0.1; done
check "a damaged card frame is explained" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 没有读到"
step card-remove
sleep 1 # no card was accepted, so no removal event: give the reader two polls to see it gone
# Labels match whole: 返回 is part of 返回首页 but names no widget here.
before=$(ctl state | grep -o '"screen":"[a-z_]*"')
out=$(ctl tap 返回)
case $out in *'"ok":false'*) ok ;; *) bad "tap 返回 pressed a widget on a screen with only 返回首页: $out" ;; esac
check "a partial label leaves the screen as it was" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '$before'"
step tap 返回首页
ctl tap 结束，返回首页 >/dev/null 2>&1
step wait home 3000

# ---- 4. the counter route: a queue number, and paper running out --------
step printer paper-out
counter_ticket
for _ in $(seq 50); do ctl state | grep -q 缺纸 && break; sleep 0.1; done
check "paper out is told plainly" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 打印机缺纸"
number=$(ctl state | grep -o '"id":"number","label":"[^"]*"' | sed 's/.*"label":"//; s/"$//')
case $number in [A-Z][0-9][0-9]*) ok ;; *) bad "no queue number on screen ($number)" ;; esac
check "nothing printed without paper" sh -c "[ -z \"\$(ls '$tmp/run/out/slips' 2>/dev/null)\" ]"
step printer ready
for _ in $(seq 100); do ctl state | grep -q 请取走排队凭条 && break; sleep 0.1; done
check "the slip comes out once paper is back" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 请取走排队凭条"
slips=$(ls "$tmp/run/out/slips"/*.png 2>/dev/null | wc -l)
check "exactly one slip printed" [ "$slips" -eq 1 ]
slip=$(ls "$tmp/run/out/slips"/*.png 2>/dev/null | head -1)
if [ -n "$slip" ]; then
    qr=$(zbarimg -q --raw "$slip" 2>/dev/null | head -1)
    case $qr in http*) ok ;; *) bad "slip QR decodes to '$qr'" ;; esac
fi
step tap 办理完成，返回首页
step wait goodbye 3000
remove_card
step wait home 3000

# Paper runs out in the middle of a slip: refilled, it comes out once.
step printer paper 300
counter_ticket
for _ in $(seq 100); do ctl state | grep -q 缺纸 && break; sleep 0.1; done
check "paper out mid-slip is told" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 打印机缺纸"
step printer paper -1
step printer ready
for _ in $(seq 100); do ctl state | grep -q 请取走排队凭条 && break; sleep 0.1; done
check "the interrupted slip completes" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 请取走排队凭条"
slips=$(ls "$tmp/run/out/slips"/*.png 2>/dev/null | wc -l)
check "the interrupted slip came out once" [ "$slips" -eq 2 ]
step tap 办理完成，返回首页
remove_card
step wait home 3000

# The reader is unplugged and plugged back: said on screen, picked up again.
step tap 查询不动产
step wait insert_card 2000
step reader unplug
for _ in $(seq 50); do ctl state | grep -q '"reader_connected":false' && break; sleep 0.1; done
check "an unplugged reader is told" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 读卡器未连接"
step reader replug
for _ in $(seq 50); do ctl state | grep -q '"reader_connected":true' && break; sleep 0.1; done
step card "$id0"
step wait face_consent 5000
remove_card
step wait home 3000

# The registry goes away in the middle of a visit.
step tap 查询不动产
step card "$id0"
step wait face_consent 5000
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
rpid=""
step tap 同意并开始
step wait error 120000
check "registry down is explained" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 重新连接" ||
    ctl state | head -c 600 >&2
check "in plain words" state_has 暂时无法连接不动产登记系统
remove_card
step wait home 3000
step screenshot "$tmp/home.png"
step quit
wait "$kpid" 2>/dev/null
kpid=""

# ---- 4. privacy ------------------------------------------------------------
[ -s "$tmp/kiosk.log" ] && ok || bad "the kiosk wrote no log to check"
for secret in "$id0" "$name0" "$id_nomatch" "$id_expired"; do
    check "the check can see '$secret' where it is" grep -qF -- "$secret" "$tmp/demo.txt"
    check "kiosk log holds no '$secret'" absent "$secret" "$tmp/kiosk.log"
    check "kiosk files hold no '$secret'" absent "$secret" "$tmp/run"
    check "certificate holds no '$secret'" absent "$secret" "$tmp/cert.txt"
done
check "the kiosk wrote only its output folder" sh -c "[ \"\$(ls -A '$tmp/run')\" = out ]"

echo "journey: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
