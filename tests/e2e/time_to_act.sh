#!/bin/sh
# End to end: speech switched on by the citizen, and time to act, on the
# real kiosk against the reference registry (e2e_lib.sh); speech written
# as WAV files ([voice] wav_dir) in auto mode with no headset.
#
#   time_to_act.sh BUILD_DIR
#
# 1. auto mode, no headset: silent; 语音播报 on the home screen (a tap)
#    switches speech on, and the home screen's instruction is spoken at
#    once (a WAV appears); it lasts the visit, through the goodbye screen;
# 2. the idle banner: warned with a tone and words; a tap off the widgets,
#    or a key, puts it away and the idle time starts again;
# 3. the goodbye screen: warned with a tone as it starts, its countdown at
#    least 20 s; a tap anywhere and a key each start it again, warned
#    again, and the screen says so (轻触屏幕可延长时间);
# 4. the next visit: speech off again, nothing more spoken; the keys
#    reach the switch and switch it on.
. "$(dirname "$0")/e2e_lib.sh"

mkdir -p "$tmp/wav"
printf '[voice]\nenabled = auto\nwav_dir = %s/wav\n' "$tmp" >>"$tmp/kiosk.ini"

wavs() { ls "$tmp/wav" | wc -l; }
spoken_last() { ctl spoken | grep -o '{"seq"[^{}]*}' | tail -1; }
# said TAG [tone]: the newest utterance is TAG in Mandarin (with the tone).
said() {
    last=$(spoken_last)
    case $last in *"\"tag\":\"$1\",\"lang\":\"zh\""*) ;; *) echo "said: $last" >&2; return 1 ;; esac
    [ -z "${2:-}" ] || case $last in *'"tone":true'*) ;; *) return 1 ;; esac
}
speech_on() { ctl spoken | grep -q "\"on\":$1"; }
left() { ctl state | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
at_least() { [ "$(left "$1")" -ge "$2" ]; }
at_most() { [ "$(left "$1")" -le "$2" ]; }

start_kiosk

# ---- 1. the switch --------------------------------------------------------
check "auto mode without a headset: speech off" speech_on false
check "语音播报 on the home screen" state_has '"label":"语音播报"'
check "nothing spoken before" test "$(wavs)" -eq 0
step tap 语音播报
check "speech on after one tap" speech_on true
check "the home screen's instruction spoken at once" said home
check "as a WAV file" test "$(wavs)" -ge 1
check "the switch shows it on" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"id\":\"speech\",\"label\":\"语音播报\"[^}]*\"selected\":true'"
step tap 查询不动产
step wait insert_card 3000
check "on in the visit: insert_card spoken" said insert_card
step card "$id0"
step wait face_consent 5000
step tap 不刷脸，到窗口办理
step wait counter 3000
check "counter spoken" said counter

# ---- 2. the idle banner: a tap anywhere, a key ------------------------------
step clock +61
check "the banner shows" state_has 需要更多时间
check "the banner warns by voice, with a tone" said warn tone
check "the banner gives 20 s or more" at_least idle_left_ms 20000
step tap-at 540 1000
check "a tap off the widgets puts the banner away" at_most idle_left_ms 0
check "still on the counter screen" screen_is counter
step clock +61
check "the banner again" at_least idle_left_ms 20000
step key tab
check "a key puts it away" at_most idle_left_ms 0
check "still on the counter screen after the key" screen_is counter

# ---- 3. the goodbye screen ------------------------------------------------
step tap 返回首页
step wait goodbye 3000
check "请取走您的身份证 with the warning tone" said card_left tone
check "the countdown gives 20 s or more" at_least countdown_left_ms 19000
check "the screen says a tap gives more time" state_has 轻触屏幕可延长时间
n1=$(ctl spoken | grep -o '"seq"' | wc -l)
step clock +15
check "the countdown ran" at_most countdown_left_ms 6000
step tap-at 540 500
check "a tap on the drawing starts the countdown again" at_least countdown_left_ms 19000
check "still on goodbye after the tap" screen_is goodbye
check "warned again, with the tone" said card_left tone
n2=$(ctl spoken | grep -o '"seq"' | wc -l)
check "one more utterance" test "$n2" -gt "$n1"
step clock +15
step key down
check "a key starts it again" at_least countdown_left_ms 19000
step clock +21
step wait home 3000
check "home once the countdown ran out" screen_is home

# ---- 4. the next visit: off again -----------------------------------------
remove_card
check "speech off for the next visit" speech_on false
n3=$(wavs)
step tap 查询不动产
step wait insert_card 3000
check "nothing spoken in the next visit" test "$(wavs)" -eq "$n3"
step tap 返回首页
step wait home 3000
# the keys reach the switch: Tab until the focus is on it, then Enter
for _ in $(seq 30); do
    ctl state | grep -q '"focus":"speech"' && break
    step key tab
done
check "the keys reach 语音播报" state_has '"focus":"speech"'
step key enter
check "Enter switches speech on" speech_on true
check "and the home screen's instruction is spoken" said home

step quit
echo "time_to_act: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
