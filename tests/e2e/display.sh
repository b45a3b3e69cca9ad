#!/bin/sh
# display.sh BUILD_DIR - the kiosk on real X displays of every size it
# meets: 1920x1080, 1080x1920, 1366x768, 1280x1024, 1024x600 and
# 3840x2160, fullscreen on a bare X server, fullscreen under a window
# manager, and in a window. Each on a private Xvfb started here.
#
# On each: the first frame is the home screen; every widget the control
# socket reports lies inside the canvas; no text overflows its widget; the
# window lies inside the screen; and a screenshot of the whole X screen
# (not the kiosk's own buffer) shows no black where the kiosk is (the
# whole screen in fullscreen). The home and records screens are saved to
# BUILD_DIR/tests/display-out for looking at. Then a window resized while
# the records show and made tall (the layout turns with its window), and
# the X screen itself turned at run time under a fullscreen kiosk (see
# that section for what Xvfb allows).
. "$(dirname "$0")/e2e_lib.sh"
. "$(dirname "$0")/x_lib.sh"
rm -f "$shots"/*.png # this run's only

# check_shown NAME SW SH MODE: the checks of the header on what shows now.
check_shown() {
    name=$1 sw=$2 sh=$3 mode=$4
    ctl state >"$tmp/state.json"
    cw=$(jq '.display.canvas[0]' "$tmp/state.json")
    ch=$(jq '.display.canvas[1]' "$tmp/state.json")
    outside=$(jq -r --argjson w "$cw" --argjson h "$ch" '[.widgets[] | select(.bounds[0] < 0 or
        .bounds[1] < 0 or .bounds[0] + .bounds[2] > $w or .bounds[1] + .bounds[3] > $h) | .id] | join(",")' \
        "$tmp/state.json")
    [ -z "$outside" ] && ok || bad "$name: widgets outside the ${cw}x$ch canvas: $outside"
    issues=$(jq '.display.text_issues' "$tmp/state.json")
    [ "$issues" = 0 ] && ok || bad "$name: $issues text overflow(s): $(jq -r '.display.first_issue' "$tmp/state.json")"
    rect=$(window_rect)
    # shellcheck disable=SC2086
    set -- $rect
    if [ $# -ne 4 ]; then
        bad "$name: no kiosk window on $DISPLAY"
        return 1
    fi
    wx=$1 wy=$2 ww=$3 wh=$4
    if [ "$wx" -ge 0 ] && [ "$wy" -ge 0 ] && [ $((wx + ww)) -le "$sw" ] && [ $((wy + wh)) -le "$sh" ]; then
        ok
    else
        bad "$name: the window $ww x $wh at $wx,$wy is not inside the $sw x $sh screen"
    fi
    if [ "$mode" != window ]; then
        [ "$wx $wy $ww $wh" = "0 0 $sw $sh" ] && ok || bad "$name: fullscreen window at $wx,$wy $ww x $wh"
    fi
    # fullscreen: the kiosk's area is the whole screen, whatever its window
    [ "$mode" != window ] && wx=0 wy=0 ww=$sw wh=$sh
    out_x=$("$xshot" "$shots/$name.png" "$wx" "$wy" "$ww" "$wh") || bad "$name: no screenshot of $DISPLAY"
    inside=$(echo "$out_x" | jq '.black_inside')
    # black where the kiosk is: a letterbox or a part never drawn
    if awk -v b="$inside" 'BEGIN {exit !(b < 0.002)}'; then
        ok
    else
        bad "$name: $inside of the kiosk's area is black ($shots/$name.png)"
    fi
}

# ---- every size, every way of showing -----------------------------------
for size in ${SIZES:-1920x1080 1080x1920 1366x768 1280x1024 1024x600 3840x2160}; do
    sw=${size%x*} sh=${size#*x}
    for mode in ${MODES:-bare wm window}; do
        start_x "$sw" "$sh"
        [ "$mode" != bare ] && start_wm
        args=""
        [ "$mode" = window ] && args=--window
        # shellcheck disable=SC2086
        if start_shown $args; then
            check_shown "$size-$mode-home" "$sw" "$sh" "$mode"
            # what the layout follows: the screen's shape
            want=portrait
            [ "$sw" -gt "$sh" ] && want=landscape
            got=$(ctl state | jq -r '.display.orientation')
            [ "$got" = "$want" ] && ok || bad "$size-$mode: $got layout on a $want screen"
            if [ "$mode" = bare ]; then # the records once per size is enough
                to_records
                check_shown "$size-$mode-records" "$sw" "$sh" "$mode"
            fi
        fi
        stop_x
    done
done

# ---- a window resized while the records show -----------------------------
start_x 1920 1080
start_wm
start_shown --window
to_records
wid=$(xwininfo -name bdc-kiosk | awk '/Window id/ {print $4}')
before=$(ctl state | jq -c '.display.canvas')
xdotool windowsize "$wid" 1200 700
for _ in $(seq 50); do
    [ "$(ctl state | jq -c '.display.output')" = "[1200,700]" ] && break
    sleep 0.1
done
check "the canvas follows the resized window" sh -c "[ \"\$('$ctlbin' '$tmp/ctl' state | jq -c '.display.output')\" = '[1200,700]' ]"
after=$(ctl state | jq -c '.display.canvas')
[ "$before" != "$after" ] && ok || bad "the canvas stayed $before after the resize"
check "still on the records" screen_is records
check_shown resized-records 1920 1080 window
# turned: the same window made tall, as a screen turned under a window
# manager resizes a maximised kiosk; the layout turns with it
xdotool windowsize "$wid" 600 1000
for _ in $(seq 50); do
    [ "$(ctl state | jq -r '.display.orientation')" = portrait ] && break
    sleep 0.1
done
check "the layout turns with the screen" sh -c "'$ctlbin' '$tmp/ctl' state | jq -e '.display.orientation == \"portrait\"'"
check "still on the records after turning" screen_is records
check_shown turned-records 1920 1080 window
stop_x

# ---- the screen turned under a fullscreen kiosk ---------------------------
# Xvfb does not rotate: RandR refuses `xrandr -o left` (BadMatch) and
# `xrandr --output screen --rotate left` (its one output offers no
# rotation), and `xrandr --fb` cannot grow the screen past the size Xvfb
# started with. It does change the screen's size at run time within that
# framebuffer, through a RandR mode (x_lib.sh's set_screen): 1920x1080
# made 1080x1920 is what a display turned to portrait looks like to the
# programs on it (the root window resized, RandR's screen change). The
# kiosk, fullscreen on a bare server and under a window manager, showing
# the records, lays out again in portrait over the whole turned screen
# without a restart, and again in landscape when it turns back.
# output_is W H: the kiosk draws W x H real pixels (waits up to 5 s).
output_is() {
    for _ in $(seq 50); do
        [ "$(ctl state | jq -c '.display.output')" = "[$1,$2]" ] && return 0
        sleep 0.1
    done
    return 1
}
for mode in bare wm; do
    start_x 1920 1080 1920
    [ "$mode" = wm ] && start_wm
    if start_shown; then
        pid0=$kpid
        to_records
        set_screen 1080 1920
        check "$mode: the kiosk follows the screen turned to 1080x1920" output_is 1080 1920
        got=$(ctl state | jq -r '.display.orientation')
        [ "$got" = portrait ] && ok || bad "$mode: $got layout on the screen turned to portrait"
        check "$mode: still on the records after the screen turned" screen_is records
        check_shown "screen-turned-$mode-records" 1080 1920 fullscreen
        set_screen 1920 1080
        check "$mode: the kiosk follows the screen turned back" output_is 1920 1080
        got=$(ctl state | jq -r '.display.orientation')
        [ "$got" = landscape ] && ok || bad "$mode: $got layout on the screen turned back"
        check_shown "screen-turned-back-$mode-records" 1920 1080 fullscreen
        check "$mode: the same kiosk, not restarted, still in the visit" \
            sh -c "kill -0 $pid0 && '$ctlbin' '$tmp/ctl' state | grep -q '\"session\":true'"
    fi
    stop_x
done

echo "display: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
