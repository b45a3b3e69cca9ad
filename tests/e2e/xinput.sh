#!/bin/sh
# xinput.sh BUILD_DIR - a citizen's visit driven by real X input: pointer
# clicks and key presses sent to a private Xvfb through XTEST (xdotool),
# not the control socket's tap. Twice: fullscreen on a bare 1920x1080
# server, and in a window under a window manager (openbox) on 1366x768,
# where the kiosk's window is offset from the screen's corner and scaled.
#
# Each widget is found in the control socket's `state` (its bounds on the
# canvas, in design pixels) and its centre taken to the screen as a person
# sees it: the window's place (xwininfo), the renderer's scaling of the
# canvas to the output (SDL_RenderSetLogicalSize: the smaller of the two
# ratios, centred) and the output's pixels per window pixel (HiDPI; 1 on
# Xvfb). A click there must reach the widget, and places a wrong mapping
# would use must not: on home, a click on no widget and a press slid off
# 查询不动产 do nothing, a click 30 design pixels outside 查询不动产's edge
# does nothing, one 10 pixels inside that edge opens the card screen.
#
# home -> 查询不动产 -> F2 (the demo card, a key) -> 同意并开始 (the
# simulated face, laid through the socket as journey.sh does) -> records ->
# the first record -> Escape -> 打印查询证明 -> 下一步 refused while no
# purpose is chosen -> 办理贷款 -> 下一步 -> preview -> 打印证明 -> 我已取走，
# 继续 -> 非常满意 -> 提交评价 -> goodbye -> the card taken -> home; each
# screen reached asserted with `wait`.
. "$(dirname "$0")/e2e_lib.sh"
. "$(dirname "$0")/x_lib.sh"

# to_screen CX CY: "SX SY", the screen pixel showing canvas point CX,CY.
to_screen() {
    ctl state >"$tmp/map.json"
    # shellcheck disable=SC2046
    set -- "$1" "$2" $(window_rect) $(jq -r '"\(.display.output[0]) \(.display.output[1]) \(.display.canvas[0]) \(.display.canvas[1])"' "$tmp/map.json")
    awk -v cx="$1" -v cy="$2" -v wx="$3" -v wy="$4" -v ww="$5" -v ow="$7" -v oh="$8" -v cw="$9" \
        -v ch="${10}" 'BEGIN {
        s = ow / cw; if (oh / ch < s) s = oh / ch          # canvas to output
        ox = (ow - cw * s) / 2; oy = (oh - ch * s) / 2     # centred
        d = ow / ww                                        # output pixels per window pixel
        printf "%d %d\n", wx + (ox + cx * s) / d + 0.5, wy + (oy + cy * s) / d + 0.5 }'
}
# bounds_of JQ_FILTER: "X Y W H" of the first widget the filter selects
# on the screen showing now.
bounds_of() {
    ctl state | jq -r "[.widgets[] | select($1)][0].bounds | select(.) | join(\" \")"
}
# click_at CX CY: a real click at canvas point CX,CY.
click_at() {
    # shellcheck disable=SC2046
    xdotool mousemove $(to_screen "$1" "$2") click 1
}
# click JQ_FILTER: a real click at the centre of the widget selected,
# once the kiosk shows it (up to 2 s: a click before may still be on its
# way, as 办理贷款's before 下一步 is enabled).
click() {
    for _ in $(seq 20); do
        [ -n "$(bounds_of "$1")" ] && break
        sleep 0.1
    done
    # shellcheck disable=SC2046
    set -- $(bounds_of "$1") "$1"
    if [ $# -ne 5 ]; then
        bad "$case: no widget $1 on $(ctl state | jq -r .screen)"
        return 1
    fi
    click_at $(($1 + $3 / 2)) $(($2 + $4 / 2))
}
labelled() { click ".enabled and .label == \"$1\""; }
# reached SCREEN [MS]: the kiosk shows SCREEN within MS (3 s).
reached() {
    out=$(ctl wait "$1" "${2:-3000}")
    case $out in *'"ok":true'*) ok ;; *) bad "$case: not on $1 ($(ctl state | jq -r .screen)): $out" ;; esac
}
# stays SCREEN: after half a second, still SCREEN.
stays() {
    sleep 0.5
    got=$(ctl state | jq -r .screen)
    [ "$got" = "$1" ] && ok || bad "$case: $2 left $1 for $got"
}

# the places a wrong mapping would click: no widget at all; 30 design px
# outside one of 查询不动产's edges (none of its neighbours there, nor the
# half gap their hit areas reach into); and 10 px inside that same edge
misses() {
    jq -r '[.widgets[] | select(.enabled)] as $ws | .display.canvas as [$cw, $ch] |
        def free($x; $y): $x >= 0 and $y >= 0 and $x < $cw and $y < $ch and
            all($ws[]; $x < .bounds[0] - 24 or $x > .bounds[0] + .bounds[2] + 24 or
                       $y < .bounds[1] - 24 or $y > .bounds[1] + .bounds[3] + 24);
        ([range(20; $ch; 40) as $y | range(20; $cw; 40) as $x | select(free($x; $y)) | [$x, $y]][0]
            | "blank \(.[0]) \(.[1])"),
        ($ws[] | select(.label == "查询不动产") | .bounds as [$x, $y, $w, $h] |
            ($x + $w / 2 | floor) as $mx | ($y + $h / 2 | floor) as $my |
            [[$x - 30, $my, $x + 10, $my], [$x + $w + 30, $my, $x + $w - 10, $my],
             [$mx, $y - 30, $mx, $y + 10], [$mx, $y + $h + 30, $mx, $y + $h - 10]]
            | map(select(free(.[0]; .[1])))[0] | "edge \(.[0]) \(.[1]) \(.[2]) \(.[3])")' "$tmp/state.json"
}

# journey CASE: the visit, from home, by X input.
journey() {
    case=$1
    ctl state >"$tmp/state.json"
    # shellcheck disable=SC2046
    set -- $(misses | tr '\n' ' ')
    if [ "$1" = blank ] && [ "$4" = edge ]; then
        echo "$case: window $(window_rect), canvas $(jq -c .display.canvas "$tmp/state.json"):" \
            "no widget at $2,$3 (screen $(to_screen "$2" "$3")), 30 px out at $5,$6" \
            "(screen $(to_screen "$5" "$6")), 10 px in at $7,$8 (screen $(to_screen "$7" "$8"))"
        click_at "$2" "$3"
        stays home "a click on no widget"
        # shellcheck disable=SC2046
        set -- "$@" $(bounds_of '.enabled and .label == "查询不动产"')
        # pressed on the tile's centre, slid to the blank place, let go
        # shellcheck disable=SC2046
        xdotool mousemove $(to_screen $((${9} + ${11} / 2)) $((${10} + ${12} / 2))) mousedown 1 \
            mousemove $(to_screen "$2" "$3") mouseup 1
        stays home "a press slid off 查询不动产"
        click_at "$5" "$6"
        stays home "a click 30 px outside 查询不动产"
        click_at "$7" "$8"
        reached insert_card
    else
        bad "$case: no place on home for the misses ($*)"
        labelled 查询不动产
        reached insert_card
    fi
    xdotool key F2 # the demo strip's key: the first demo citizen's card
    reached face_consent 5000
    check "$case: the card is on the reader" state_has '"card_present":true'
    step face live
    labelled 同意并开始
    reached records 120000
    click '.enabled and .kind == "card"'
    reached record_detail
    check "$case: the detail shows the unit number" state_has 不动产单元号
    xdotool key Escape # 返回列表
    reached records
    labelled 打印查询证明
    reached cert_purpose
    click '.label == "下一步"' # drawn, not enabled
    stays cert_purpose "下一步 with no purpose"
    labelled 办理贷款
    labelled 下一步
    reached cert_preview 10000
    click '.enabled and (.label | startswith("打印证明"))'
    reached printing
    for _ in $(seq 50); do ctl state | grep -q '"busy":false' && break; sleep 0.1; done
    labelled 我已取走，继续
    reached rating
    labelled 非常满意
    labelled 提交评价
    reached goodbye
    check "$case: goodbye says the proof was printed" state_has '已打印 1 份'
    remove_card
    reached home 5000
    check "$case: the visit wiped at home" state_has '"session":false'
}

case=bare-1920x1080
start_x 1920 1080
start_shown && journey "$case"
stop_x

case=window-1366x768
start_x 1366 768
start_wm
if start_shown --window; then
    # shellcheck disable=SC2046
    set -- $(window_rect) $(ctl state | jq -r '.display.scale')
    # the case is only worth having if the window is away from the corner
    # and the canvas is not drawn one to one
    [ "$1" -gt 0 ] && [ "$2" -gt 0 ] && awk -v s="$5" 'BEGIN {exit !(s < 0.9)}' && ok ||
        bad "$case: the window at $1,$2 with scale $5 does not test the mapping"
    journey "$case"
fi
stop_x

echo "xinput: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
