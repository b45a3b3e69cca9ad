# x_lib.sh - what the scripts that run the kiosk on a real X display share
# (display.sh, xinput.sh): a private Xvfb, a window manager, the kiosk
# showing home on it, where its window is, and the screen's size changed
# at run time. Sourced after e2e_lib.sh; it replaces e2e_lib.sh's trap
# with one that stops the X programs first.

# the kiosk draws on the X server here, whatever the caller's environment
# says (a headless machine may set SDL_VIDEODRIVER=dummy)
export SDL_VIDEODRIVER=x11
unset SDL_RENDER_DRIVER WAYLAND_DISPLAY
xshot="$build/tests/xshot"
shots="$build/tests/display-out"
mkdir -p "$shots"
for tool in Xvfb xwininfo xdotool xrandr openbox jq; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (bootstrap.sh)" >&2; exit 1; }
done
[ -x "$xshot" ] || { echo "$0: $xshot was not built (libx11-dev)" >&2; exit 1; }

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

# start_x W H [MAX]: a private X server of W x H; sets DISPLAY. With MAX
# its framebuffer is MAX x MAX and the screen is set to W x H through
# RandR, so set_screen can change it later (Xvfb's screen never grows
# past the framebuffer it started with).
start_x() {
    fb="${1}x${2}"
    [ $# -ge 3 ] && fb="${3}x${3}"
    start_xvfb "$fb"
    [ $# -ge 3 ] && set_screen "$1" "$2"
}

# set_screen W H: the X screen made W x H at run time, as a display turned
# or given another mode looks to its programs (RandR's screen change).
set_screen() {
    rr="kiosk${1}x$2"
    if ! xrandr | grep -q "^ *$rr "; then
        xrandr --newmode "$rr" 0 "$1" "$1" "$1" "$1" "$2" "$2" "$2" "$2" &&
            xrandr --addmode screen "$rr" || { bad "RandR refused a $1 x $2 mode"; return 1; }
    fi
    xrandr --output screen --mode "$rr" --fb "${1}x$2" || { bad "RandR refused $1 x $2"; return 1; }
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
