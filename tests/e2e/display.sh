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
# the records show, and a screen turned at run time (the kiosk follows
# its window: a window manager turning the screen resizes it).
. "$(dirname "$0")/e2e_lib.sh"

# the kiosk draws on the X server here, whatever the caller's environment
# says (a headless machine may set SDL_VIDEODRIVER=dummy)
export SDL_VIDEODRIVER=x11
unset SDL_RENDER_DRIVER WAYLAND_DISPLAY
xshot="$build/tests/xshot"
shots="$build/tests/display-out"
mkdir -p "$shots"
for tool in Xvfb xwininfo xdotool openbox jq; do
    command -v "$tool" >/dev/null || { echo "display.sh: $tool is missing (bootstrap.sh)" >&2; exit 1; }
done
[ -x "$xshot" ] || { echo "display.sh: $xshot was not built (libx11-dev)" >&2; exit 1; }

xpid=""
wmpid=""
# stop_x: the kiosk (which must end within 5 s of SIGTERM, even asleep in
# SDL's wait for X events in the middle of a visit), the window manager and
# the X server.
stop_x() {
    if [ -n "$kpid" ] && kill "$kpid" 2>/dev/null; then
        for _ in $(seq 50); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$kpid" 2>/dev/null; then
            bad "the kiosk on $DISPLAY did not end within 5 s of SIGTERM"
            kill -9 "$kpid" 2>/dev/null
        fi
        wait "$kpid" 2>/dev/null
    fi
    [ -n "$wmpid" ] && kill "$wmpid" 2>/dev/null && wait "$wmpid" 2>/dev/null
    [ -n "$xpid" ] && kill "$xpid" 2>/dev/null && wait "$xpid" 2>/dev/null
    kpid="" wmpid="" xpid=""
}
trap 'stop_x; cleanup' EXIT INT TERM

# start_x W H: a private X server of W x H; sets DISPLAY.
start_x() {
    rm -f "$tmp/xdisplay"
    Xvfb -displayfd 3 -screen 0 "${1}x${2}x24" -nolisten tcp -noreset 3>"$tmp/xdisplay" \
        2>>"$tmp/xvfb.log" &
    xpid=$!
    for _ in $(seq 100); do [ -s "$tmp/xdisplay" ] && break; sleep 0.05; done
    DISPLAY=":$(cat "$tmp/xdisplay")"
    export DISPLAY
}

# start_wm: openbox on the X server, ready when it owns the screen.
start_wm() {
    openbox >>"$tmp/wm.log" 2>&1 &
    wmpid=$!
    for _ in $(seq 100); do
        xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && return
        sleep 0.05
    done
    bad "the window manager did not start"
}

# start_shown [ARGS...]: the kiosk on $DISPLAY, showing home.
start_shown() {
    rm -f "$tmp/ctl"
    (cd "$tmp/run" && exec "$kiosk" --demo --registry "$url" --config "$tmp/kiosk.ini" \
        --control "$tmp/ctl" "$@" 2>>"$tmp/kiosk.log") &
    kpid=$!
    out_w=$(ctl wait home 15000)
    case $out_w in *'"ok":true'*) ok ;; *) bad "no home screen on $DISPLAY $*: $out_w"; return 1 ;; esac
}

# window_rect: "X Y W H" of the kiosk's window on the screen.
window_rect() {
    xwininfo -name bdc-kiosk 2>/dev/null | awk '/Absolute upper-left X/ {x = $NF} /Absolute upper-left Y/ {y = $NF}
        /^ *Width/ {w = $NF} /^ *Height/ {h = $NF} END {print x, y, w, h}'
}

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

echo "display: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
