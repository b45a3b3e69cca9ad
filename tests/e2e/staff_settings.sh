#!/bin/sh
# End to end: the settings staff change in maintenance mode, and the office
# hours, on the real kiosk against the real reference registry (see
# e2e_lib.sh).
#
#   staff_settings.sh BUILD_DIR
#
# 1. in maintenance mode's 设置 tab: the volume, the default language and
#    office hours that leave now outside them (set relative to the real
#    time, never a faked clock); the settings file holds them; they hold
#    over a restart; the audit trail has each change;
# 2. out of maintenance mode the closed screen shows the hours (in the
#    default language just chosen), the fake backlight holds the night's
#    value, a tap lights it, a minute later it dims again, the corner still
#    opens staff entry; at opening time the kiosk is home by itself;
# 3. a damaged settings file is refused in one log line, the config file's
#    settings in force.
. "$(dirname "$0")/e2e_lib.sh"

corner() { for _ in 1 2 3 4 5; do step tap-at 20 20; done; }
pin() {
    for d in $(echo "$1" | sed 's/./& /g'); do step tap "$d"; done
    step tap "$2"
}
enter() { # enter OK_LABEL
    corner
    step wait staff_pin 2000
    pin 2468 "$1"
    step wait staff 3000
}
light() { cat "$tmp/backlight/brightness"; }
hhmm() { printf '%02d:%02d' $(($1 / 60)) $(($1 % 60)); }

# A backlight as sysfs has it: max_brightness and brightness.
mkdir -p "$tmp/backlight"
echo 255 >"$tmp/backlight/max_brightness"
echo 255 >"$tmp/backlight/brightness"
printf '[display]\nbacklight = %s/backlight\n' "$tmp" >>"$tmp/kiosk.ini"
settings="$tmp/run/out/settings.ini"

# Office hours that leave now outside them: a half-hour window 60 to 90
# minutes ahead (so `clock` can reach it), or, late in the evening, one
# that ended an hour ago. China Standard Time, the kiosk's.
now_s=$(date +%s)
now_min=$(((now_s + 8 * 3600) % 86400 / 60))
open=$(((now_min / 30 + 2) * 30))
# Never the defaults (08:30, 17:00): each time must be a change staff make.
while [ "$open" -eq 510 ] || [ $((open + 30)) -eq 1020 ]; do open=$((open + 30)); done
if [ $((open + 30)) -gt 1440 ]; then
    open=$(((now_min / 30 - 2) * 30))
    ahead=""
else
    ahead=$(((open - now_min) * 60 - (now_s % 60) + 5))
fi
close=$((open + 30))

start_kiosk

# ---- 1. the settings tab ---------------------------------------------------
enter 确认
step tap 设置
check "the settings tab shows the volume" state_has "音量 60%"
check "and the kiosk's facts" state_has "终端编号 JZ-JF-03"
check "with the registry's address" state_has "登记系统 $url"
check "and the version" state_has "程序版本 0.1.0"
step tap "音量 +"
check "the volume goes up a step" state_has "音量 70%"
step tap "默认语言：English"
check "the default language is chosen" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"默认语言：English\",[^}]*\"selected\":true'"
check "the screen stays in Chinese for staff" state_has "音量 70%"
step tap "服务日：每天"
# Close first when the window moves later, open first when it moves earlier:
# open is never at or after close on the way.
steps() { # steps LABEL FROM TO
    m=$2
    while [ "$m" -lt "$3" ]; do step tap "$1 +"; m=$((m + 30)); done
    while [ "$m" -gt "$3" ]; do step tap "$1 -"; m=$((m - 30)); done
}
if [ "$open" -ge 510 ]; then
    steps 结束时间 1020 "$close"
    steps 开始时间 510 "$open"
else
    steps 开始时间 510 "$open"
    steps 结束时间 1020 "$close"
fi
check "the opening time is set" state_has "开始时间 $(hhmm "$open")"
check "the closing time is set" state_has "结束时间 $(hhmm "$close")"
check "opening at the closing time cannot be tapped" sh -c "'$ctlbin' '$tmp/ctl' state | grep -q '\"label\":\"开始时间 +\",[^}]*\"enabled\":false'"
check "the file holds the volume" grep -qx "volume = 70" "$settings"
check "the file holds the language" grep -qx "language = en" "$settings"
check "the file holds the days" grep -qx "days = daily" "$settings"
check "the file holds the hours" grep -qx "open = $(hhmm "$open")" "$settings"
check "no half-written file is left" test ! -e "$settings.tmp"

# ---- 2. the closed screen after office hours --------------------------------
step tap 退出维护模式
step wait closed 3000
check "the closed screen shows the hours, in the default language" state_has "This kiosk serves Daily $(hhmm "$open")–$(hhmm "$close")"
check "the backlight is dimmed to the night's 30 %" test "$(light)" = 76
step tap-at 540 900
check "a touch lights it" test "$(light)" = 255
check "still the closed screen" screen_is closed
step clock +61
check "a minute later it dims again" test "$(light)" = 76
step card "$id0"
sleep 1
check "a citizen's card starts nothing" screen_is closed
remove_card
corner
step wait staff_pin 2000
check "the corner still opens staff entry, lit" test "$(light)" = 255
step tap Back
step wait closed 3000 # home, and closed again at once

# Over a restart: the settings, and the closed screen.
step quit
wait "$kpid" 2>/dev/null
start_kiosk closed
check "the closed screen holds over a restart" state_has "This kiosk serves Daily"
enter OK
step tap Settings
check "the volume holds over a restart" state_has "Volume 70%"
check "the office hours too" state_has "Opens $(hhmm "$open")"
step tap "Leave maintenance"
step wait closed 3000

# At opening time: home by itself, bright.
if [ -n "$ahead" ]; then
    step clock "+$ahead"
    step wait home 3000
    check "opening time brings the home screen back" screen_is home
    check "at the day's brightness" test "$(light)" = 255
else
    ok # late in the evening: the window is behind us (the flow test covers opening)
fi

# ---- the audit trail -----------------------------------------------------------
audit=""
for _ in $(seq 100); do
    audit=$(curl -fsS "$url/v1/audit?kiosk=JZ-JF-03&limit=200" 2>/dev/null)
    case $audit in *"hours_close="*"hours_open=$(hhmm "$open")"* | *"hours_open=$(hhmm "$open")"*) break ;; esac
    sleep 0.2
done
for change in volume=70 language=en hours_days=daily "hours_open=$(hhmm "$open")" "hours_close=$(hhmm "$close")"; do
    case $audit in *"\"action\":\"settings\""*"\"detail\":\"$change\""* | *"\"detail\":\"$change\""*"\"action\":\"settings\""*) ok ;; *) bad "the audit trail lacks the change $change" ;; esac
done

# ---- 3. a damaged file ------------------------------------------------------------
step quit
wait "$kpid" 2>/dev/null
printf '[audio]\nvolume = 75\n' >"$settings"
start_kiosk
check "a damaged settings file is refused in one line" sh -c "grep -c 'settings.ini refused' '$tmp/kiosk.log' | grep -qx 1"
enter 确认
step tap 设置
check "and the config file's settings are in force" state_has "音量 60%"
step quit
wait "$kpid" 2>/dev/null
kpid=""

echo "staff_settings: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
