#!/bin/sh
# side_by_side.sh BUILD_DIR - the kiosk beside two yardsticks on a real X
# display: the floor (peers/floor.c, the least an SDL2 + SDL2_ttf program
# does to draw the same home page) and Chromium in kiosk mode on the same
# page (peers/home.html). Each on a private Xvfb of 1920x1080 started and
# stopped here (software rendering, Mesa's llvmpipe for all three).
#
# ROUNDS rounds (3), the three programs taking turns within each round so
# a busy machine slows them alike; in window mode, then fullscreen. Per
# program and mode, the median over the rounds of:
#   first_ms   exec to the first frame on the screen: xpaint reads the X
#              screen from just before exec and tells when it first showed
#              what it settles on; the same method for all three
#   pss_mb     PSS summed over the process tree on the home screen
#              (/proc/PID/smaps_rollup), 3 s after the first frame
#   hwm_mb     peak RSS (VmHWM) summed over the tree at that time
#   idle_cpu   CPU of one core used by the tree over IDLE_SECONDS (30) idle
# and the ratios kiosk/floor and Chromium/kiosk, in one table; then the
# kiosk's own PSS after a whole visit. Prints figures only: it fails only
# when something cannot run (exit 0 when it ran).
#
# The kiosk runs in demo mode with its bundled registry as a child process
# (part of its tree), in a window (--window) or fullscreen, as its
# [display] renderer = auto picks there (surface on X11); `kiosk_gl` is the
# same kiosk with renderer = gl (OpenGL on llvmpipe), in the table with
# KIOSK_GL=1. The targets: first frame at most 1.15x the floor's, PSS at
# most the floor's + 20 MB (on home and after a visit).
set -u
build=$(cd "${1:?usage: side_by_side.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
rounds=${ROUNDS:-3}
idle=${IDLE_SECONDS:-30}
watch_ms=${WATCH_MS:-6000}
kiosk="$build/app/bdc-kiosk"
ctlbin="$build/tests/kioskctl"
xpaint="$build/tests/xpaint"
floor="$build/tests/peer_floor"
font=$(fc-match -f '%{file}' 'Noto Sans CJK SC:style=Bold')
fidx=$(fc-match -f '%{index}' 'Noto Sans CJK SC:style=Bold')
chromium=$(command -v chromium || command -v chromium-browser || true)
tmp=$(mktemp -d)
xpid=""
ppid_=""

stop_prog() { # stop_prog PID: SIGTERM, then SIGKILL after 5 s
    [ -n "$1" ] || return 0
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
finish() {
    stop_prog "$ppid_"
    stop_prog "$xpid"
    rm -rf "$tmp"
}
trap finish EXIT
trap 'exit 1' INT TERM

for f in "$kiosk" "$ctlbin" "$xpaint" "$floor"; do
    [ -x "$f" ] || { echo "side_by_side: $f was not built" >&2; exit 1; }
done
command -v Xvfb >/dev/null || { echo "side_by_side: Xvfb is missing (bootstrap.sh)" >&2; exit 1; }
[ -n "$chromium" ] || echo "side_by_side: no chromium (bootstrap.sh --bench); its column stays empty" >&2

export SDL_VIDEODRIVER=x11
unset SDL_RENDER_DRIVER WAYLAND_DISPLAY
export LIBGL_ALWAYS_SOFTWARE=1

rm -f "$tmp/xdisplay"
Xvfb -displayfd 3 -screen 0 1920x1080x24 -br -nolisten tcp -noreset 3>"$tmp/xdisplay" 2>"$tmp/xvfb.log" &
xpid=$!
for _ in $(seq 100); do [ -s "$tmp/xdisplay" ] && break; sleep 0.05; done
[ -s "$tmp/xdisplay" ] || { echo "side_by_side: Xvfb did not start" >&2; exit 1; }
DISPLAY=":$(cat "$tmp/xdisplay")"
export DISPLAY
printf '[print]\noutput_dir = %s/out\n' "$tmp" >"$tmp/kiosk.ini"
printf '[print]\noutput_dir = %s/out\n[display]\nrenderer = gl\n' "$tmp" >"$tmp/kiosk_gl.ini"
mkdir -p "$tmp/run"

# tree PID: PID and every process under it.
tree() {
    echo "$1"
    for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done
}
sum_kb() { # sum_kb FIELD_RE FILE_NAME PIDS...: the field summed over /proc/PID/FILE_NAME, in MB
    re=$1 file=$2
    shift 2
    for p in "$@"; do cat /proc/"$p"/"$file" 2>/dev/null; done |
        awk -v re="$re" '$0 ~ re {s += $2} END {printf "%.1f", s / 1024}'
}
ticks() { for p in "$@"; do awk '{print $14 + $15}' /proc/"$p"/stat 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }

# launch NAME MODE: starts NAME on the display, sets ppid_.
launch() {
    case $1 in
    kiosk | kiosk_gl)
        args=--window
        [ "$2" = full ] && args=""
        rm -f "$tmp/ctl"
        # shellcheck disable=SC2086
        (cd "$tmp/run" && exec "$kiosk" --demo --config "$tmp/$1.ini" --control "$tmp/ctl" $args \
            2>>"$tmp/kiosk.log") &
        ;;
    floor)
        args=""
        [ "$2" = full ] && args=--fullscreen
        # shellcheck disable=SC2086
        "$floor" "$font" "$fidx" $args 2>>"$tmp/floor.log" &
        ;;
    chromium)
        rm -rf "$tmp/chromium"
        win="--kiosk"
        [ "$2" = window ] && win="--app=file://$here/peers/home.html --window-position=0,0 --window-size=1920,1080"
        root=""
        [ "$(id -u)" = 0 ] && root=--no-sandbox
        # shellcheck disable=SC2086
        "$chromium" $win $root --no-first-run --disable-background-networking --disable-component-update \
            --disable-sync --user-data-dir="$tmp/chromium" "file://$here/peers/home.html" \
            >>"$tmp/chromium.log" 2>&1 &
        ;;
    esac
    ppid_=$!
}

# one NAME MODE ROUND: start, time the first frame, memory, idle CPU, stop.
one() {
    name=$1 mode=$2 round=$3
    sleep 1 # the previous program's exit settles
    t0=$(date +%s%N)
    "$xpaint" "$t0" "$watch_ms" >"$tmp/paint" &
    wpid=$!
    BDC_KIOSK_T0_NS=$t0 launch "$name" "$mode"
    wait "$wpid"
    first=$(awk '{print $2}' "$tmp/paint")
    case $name in kiosk*) "$ctlbin" "$tmp/ctl" wait home 10000 >/dev/null ;; esac
    sleep 1
    # shellcheck disable=SC2046
    set -- $(tree "$ppid_")
    pss=$(sum_kb '^Pss:' smaps_rollup "$@")
    hwm=$(sum_kb '^VmHWM:' status "$@")
    hz=$(getconf CLK_TCK)
    c0=$(ticks "$@")
    sleep "$idle"
    # shellcheck disable=SC2046
    set -- $(tree "$ppid_")
    c1=$(ticks "$@")
    cpu=$(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v s="$idle" 'BEGIN {printf "%.2f", (b - a) * 100 / hz / s}')
    echo "$name $mode $first $pss $hwm $cpu" >>"$tmp/figures"
    case $name in kiosk*) [ "$mode" = window ] && [ "$round" = "$rounds" ] && visit "$name" ;; esac
    stop_prog "$ppid_"
    ppid_=""
}

# visit NAME: a whole visit on the kiosk up now; its tree's PSS after it.
visit() {
    vname=$1
    reg="$build/system/registry/bdc-registry"
    id=$("$reg" --list-demo | awk '$1 == 0 {print $3}')
    for c in "tap 查询不动产" "wait insert_card 5000" "card $id" "wait face_consent 5000" "face live" \
        "tap 同意并开始" "wait records 15000" "tap 打印查询证明" "tap 办理贷款" "tap 下一步" \
        "wait cert_preview 10000" "tap 返回首页" "tap 结束，返回首页" "wait home 20000"; do
        # shellcheck disable=SC2086
        "$ctlbin" "$tmp/ctl" $c >/dev/null || true
    done
    sleep 1
    # shellcheck disable=SC2046
    set -- $(tree "$ppid_")
    echo "$vname after_visit $(sum_kb '^Pss:' smaps_rollup "$@") $(sum_kb '^VmHWM:' status "$@")" >>"$tmp/visits"
}

progs="kiosk floor"
[ -n "${KIOSK_GL:-}" ] && progs="kiosk kiosk_gl floor"
[ -n "$chromium" ] && progs="$progs chromium"
progs=${SIDE_PROGS:-$progs} # e.g. "kiosk kiosk_gl floor"
for mode in window full; do
    for r in $(seq "$rounds"); do
        for p in $progs; do one "$p" "$mode" "$r"; done
    done
done

# The table: medians per program and mode, then the ratios and the
# targets (first frame <= 1.15x the floor's, PSS <= the floor's + 20 MB).
touch "$tmp/visits"
awk -v rounds="$rounds" '
function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    if (n == 0) return "nan"
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function ratio(a, b) { return (a == "nan" || b == "nan" || b + 0 == 0) ? "nan" : sprintf("%.2f", a / b) }
FILENAME == ARGV[1] { V[$1] = $3; W[$1] = $4; next }
{ k = $1 " " $2; if ($3 != "nan") f[k] = f[k] " " $3; p[k] = p[k] " " $4; h[k] = h[k] " " $5; c[k] = c[k] " " $6 }
END {
    printf "side_by_side: medians of %d rounds, 1920x1080 Xvfb, llvmpipe\n", rounds
    printf "%-7s %-9s %10s %9s %9s %9s\n", "mode", "program", "first_ms", "pss_mb", "hwm_mb", "idle_cpu%"
    split("window full", modes, " ")
    split("kiosk kiosk_gl floor chromium", progs, " ")
    for (m = 1; m <= 2; m++) for (q = 1; q <= 4; q++) {
        k = progs[q] " " modes[m]
        if (!(k in p)) continue
        F[k] = median(f[k]); P[k] = median(p[k]); H[k] = median(h[k]); C[k] = median(c[k])
        printf "%-7s %-9s %10s %9s %9s %9s\n", modes[m], progs[q], F[k], P[k], H[k], C[k]
    }
    for (m = 1; m <= 2; m++) {
        K = "kiosk " modes[m]; G = "kiosk_gl " modes[m]; L = "floor " modes[m]; B = "chromium " modes[m]
        printf "%-7s %-9s %10s %9s %9s %9s\n", modes[m], "k/floor", ratio(F[K], F[L]), ratio(P[K], P[L]), ratio(H[K], H[L]), ratio(C[K], C[L])
        if (G in P)
            printf "%-7s %-9s %10s %9s %9s %9s\n", modes[m], "gl/floor", ratio(F[G], F[L]), ratio(P[G], P[L]), ratio(H[G], H[L]), ratio(C[G], C[L])
        if (B in P)
            printf "%-7s %-9s %10s %9s %9s %9s\n", modes[m], "chrom/k", ratio(F[B], F[K]), ratio(P[B], P[K]), ratio(H[B], H[K]), ratio(C[B], C[K])
    }
    for (m = 1; m <= 2; m++) {
        L = "floor " modes[m]
        if (!(L in P)) continue
        for (q = 1; q <= 2; q++) {
            K = progs[q] " " modes[m]
            if (!(K in P)) continue
            printf "%s_first_frame_ratio_%s %s x (target <= 1.15)\n", progs[q], modes[m], ratio(F[K], F[L])
            printf "%s_pss_home_over_floor_%s_mb %.1f MB (target <= 20)\n", progs[q], modes[m], P[K] - P[L]
        }
    }
    for (q = 1; q <= 2; q++) {
        n = progs[q]
        if (!(n in V)) continue
        printf "%s_pss_after_visit_mb %s MB (floor + 20 = %.1f)\n", n, V[n], P["floor window"] + 20
        printf "%s_peak_rss_after_visit_mb %s MB\n", n, W[n]
    }
}' "$tmp/visits" "$tmp/figures"
exit 0
