#!/bin/sh
# End to end: the voice guidance on the real kiosk, speech written as WAV
# files ([voice] wav_dir), against the reference registry (e2e_lib.sh).
#
#   voice.sh BUILD_DIR
#
# 1. each screen walked speaks its instruction: a non-empty WAV per
#    utterance, in the Mandarin voice, then (after English) the English one;
# 2. 再听一遍 says the instruction again;
# 3. the idle banner comes with a tone and a spoken warning; a key is
#    "more time";
# 4. the card left on the reader: 请取走您的身份证 spoken on goodbye;
# 5. nothing of the citizen (name, ID number) in what was spoken or logged.
. "$(dirname "$0")/e2e_lib.sh"

mkdir -p "$tmp/wav"
printf '[voice]\nenabled = on\nwav_dir = %s/wav\n' "$tmp" >>"$tmp/kiosk.ini"

# said TAG LANG: the newest utterance is TAG in LANG with a WAV over 4 KB.
said() {
    out=$(ctl spoken)
    last=$(echo "$out" | grep -o '{"seq"[^{}]*}' | tail -1)
    case $last in *"\"tag\":\"$1\",\"lang\":\"$2\""*) ;; *) echo "said: $out" >&2; return 1 ;; esac
    wav=$(echo "$last" | grep -o '"wav":"[^"]*"' | sed 's/"wav":"//; s/"$//')
    [ -n "$wav" ] && [ "$(stat -c %s "$tmp/wav/$wav")" -gt 4096 ]
}

start_kiosk

# ---- 1., 2. screens in Mandarin, listen again ------------------------------
step tap 查询不动产
step wait insert_card 3000
check "insert_card spoken in Mandarin" said insert_card zh
n1=$(ctl spoken | grep -o '"seq"' | wc -l)
step tap 再听一遍
check "再听一遍 speaks again" said insert_card zh
n2=$(ctl spoken | grep -o '"seq"' | wc -l)
check "再听一遍 is one more utterance" test "$n2" -gt "$n1"

step card "$id0"
step wait face_consent 5000
check "face_consent spoken" said face_consent zh
step tap 不刷脸，到窗口办理
step wait counter 3000
check "counter spoken" said counter zh

# ---- 3. the idle warning: tone and voice, a key gives more time ------------
step clock +61
check "the banner shows" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q 需要更多时间"
check "the warning is spoken" said warn zh
check "the warning has its tone" sh -c "'$ctlbin' '$tmp/ctl' spoken | grep -o '{\"seq\"[^{}]*}' | tail -1 | grep -q '\"tone\":true'"

# ---- 4. the card left behind ----------------------------------------------
step tap 需要更多时间
step tap 返回首页
step wait goodbye 3000
check "请取走您的身份证 spoken" said card_left zh
remove_card
step wait home 5000

# ---- 1. English ------------------------------------------------------------
step tap English
check "home spoken in English after the switch" said home en
step tap "Look up property"
step wait insert_card 3000
check "insert_card spoken in English" said insert_card en

# ---- 5. no personal data ---------------------------------------------------
check "no ID number in the utterances" sh -c "! '$ctlbin' '$tmp/ctl' spoken | grep -q '$id0'"
check "no name in the utterances" sh -c "! '$ctlbin' '$tmp/ctl' spoken | grep -q '$name0'"
check "no ID number in the log" sh -c "! grep -q '$id0' '$tmp/kiosk.log'"
check "every WAV is in the folder" test "$(ls "$tmp/wav" | wc -l)" -ge 8

step quit
echo "voice: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
