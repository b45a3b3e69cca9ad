#!/bin/sh
# Memory over many visits, and CPU on the screens that move. One headless
# kiosk against the reference registry, driven through the control socket
# (tests/e2e/e2e_lib.sh). Prints "name value unit target" lines; never
# fails on a figure (shared machines are noisy), only when a step cannot
# run.
#
#   visits.sh BUILD_DIR [VISITS] [SECONDS]
#   BENCH_X=1 visits.sh ...   the same on a private Xvfb instead of headless
#   BENCH_CITIZENS=1 visits.sh ...  each visit by the next demo citizen who can
#     print a certificate (face match, a property, a valid card; 50 of them)
#     instead of the first one every time: new names and addresses, new
#     characters for the certificate's fonts
#     (BENCH_X_SIZE, 1080x1920; BENCH_RENDERER sets [display] renderer:
#     auto, gl or surface; the target there: the whole process 1 %)
#
#   rss_home_mb                  resident after start-up, on the home screen
#   peak_rss_visit1_mb           peak resident after the first whole visit   (target <= 60)
#   rss_visit2_mb / rss_visitN_mb  resident after visit 2 and visit N (a certificate, rated)
#   rss_growth_2_to_N_mb         their difference                             (target <= 1)
#   mem_visitV_mb                resident after visits 2, 5, 10, 20, 50, 100 and N, by kind
#                                (main heap, other anonymous, files) and malloc's own count
#                                (the main heap's blocks in use and free, all arenas', mmapped
#                                blocks): live blocks against freed room kept resident
#   heap_idle_mb                 after visit N, the main heap's resident pages beyond its
#                                blocks in use: freed pages not handed back (memory.h)
#   pss_home_mb / pss_visitN_mb  proportional set size on home and after visit N
#                                (target: after a visit at most the floor's + 20 MB)
#   cpu_<screen>_percent         the kiosk's CPU (all threads) for SECONDS on a screen;
#   ui_cpu_<screen>_percent      the UI thread's alone; threads_<screen> each thread's (by name);
#                                frames_<screen> frames drawn, partial ones
#     home: target 0.2 %; insert_card (dots), loading (spinner), printing, face_capture (the
#     guidance over the camera's picture; the detector's thread is not the UI's): UI <= 1 %
#     (on X the whole process too, but on face_capture: the face thread's detection at the
#     camera's 15 frames a second is the face check itself, bench_face's figure)
. "$(dirname "$0")/../e2e/e2e_lib.sh"
visits=${2:-100}
secs=${3:-10}
# The registry may be stopped for the spinner: the kiosk waits long.
sed -i 's/^timeout_ms = .*/timeout_ms = 60000/' "$tmp/kiosk.ini"
if [ -n "${BENCH_X:-}" ]; then
    # On a private X server (1080x1920), fullscreen as on the kiosk, with
    # the renderer SDL picks there.
    [ -n "${BENCH_RENDERER:-}" ] && printf '[display]\nrenderer = %s\n' "$BENCH_RENDERER" >>"$tmp/kiosk.ini"
    start_xvfb "${BENCH_X_SIZE:-1080x1920}"
    unset SDL_RENDER_DRIVER WAYLAND_DISPLAY
    (cd "$tmp/run" && exec "$kiosk" --demo --registry "$url" --config "$tmp/kiosk.ini" \
        --control "$tmp/ctl" 2>>"$tmp/kiosk.log") &
    kpid=$!
    ctl wait home 20000 >/dev/null || { echo "the kiosk did not start on X" >&2; exit 1; }
    sleep 2
else
    start_kiosk
fi
mb() { awk -v k="$1" 'BEGIN{printf "%.1f", k/1024}'; }
field() { # field NAME: a number of `process`, 0 if the kiosk does not report it
    v=$(ctl process | grep -o "\"$1\":[0-9]*" | cut -d: -f2)
    echo "${v:-0}"
}
# mem V: the resident memory after visit V, by kind, with malloc's count.
mem() {
    p=$(ctl process)
    n() { echo "$p" | grep -o "\"$1\":-\{0,1\}[0-9]*" | cut -d: -f2; }
    g() { mb "$(n "$1")"; }
    echo "mem_visit$1_mb $(g rss_kb) MB (heap $(g rss_heap_kb), other anonymous $(g rss_anon_kb)," \
        "files $(g rss_file_kb); malloc: main heap in use $(g heap_used_kb), free $(g heap_free_kb)," \
        "all arenas in use $(g arenas_used_kb), mmapped $(g mmapped_kb))"
    [ "$1" = "$visits" ] && echo "heap_idle_mb $(mb $(($(n rss_heap_kb) - $(n heap_used_kb)))) MB target <= 1"
}
ticks() { awk '{print $14 + $15}' "$1"; }
hz=$(getconf CLK_TCK)
pct() { awk -v a="$1" -v b="$2" -v hz="$hz" -v s="$secs" 'BEGIN{printf "%.2f", (b-a)*100/hz/s}'; }
# Each thread's name and CPU ticks, one a line.
thread_ticks() {
    for t in /proc/$kpid/task/*; do
        echo "$(cat "$t/comm" 2>/dev/null) $(ticks "$t/stat" 2>/dev/null)"
    done | sort
}
# cpu NAME TARGET: the kiosk's CPU and frames over $secs on the screen showing now.
cpu() {
    f0=$(field frames) p0=$(field frames_partial)
    a0=$(ticks /proc/$kpid/stat) u0=$(ticks /proc/$kpid/task/$kpid/stat)
    thread_ticks >"$tmp/threads0"
    sleep "$secs"
    a1=$(ticks /proc/$kpid/stat) u1=$(ticks /proc/$kpid/task/$kpid/stat)
    thread_ticks >"$tmp/threads1"
    if [ -n "${BENCH_X:-}" ] && [ "$1" = face_capture ]; then
        # the drawing's target is the UI thread's line; the face thread's
        # detection on every frame is the face check itself (bench_face)
        echo "cpu_$1_percent $(pct "$a0" "$a1") % (renderer $(ctl state | jq -r .display.renderer); the face thread's detection and picture included: threads_ line)"
    elif [ -n "${BENCH_X:-}" ]; then
        echo "cpu_$1_percent $(pct "$a0" "$a1") % target <= 1 (renderer $(ctl state | jq -r .display.renderer))"
    else
        echo "cpu_$1_percent $(pct "$a0" "$a1") %"
    fi
    echo "ui_cpu_$1_percent $(pct "$u0" "$u1") % target <= $2"
    # by thread (named: face, registry, reader, print, ...; the UI's is the program's name)
    echo "threads_$1 $(awk -v hz="$hz" -v s="$secs" 'NR == FNR { t0[$1] += $2; next } { t1[$1] += $2 }
        END { for (n in t1) if (t1[n] > t0[n]) printf "%s %.2f %%  ", n, (t1[n] - t0[n]) * 100 / hz / s }' \
        "$tmp/threads0" "$tmp/threads1")"
    echo "frames_$1 $(($(field frames) - f0)) frames ($(($(field frames_partial) - p0)) partial) in $secs s"
    echo "rss_$1_mb $(mb "$(field rss_kb)") MB (text cache $(field text_cache_kb) kB, shapes $(field mask_cache_kb) kB)"
}

echo "rss_home_mb $(mb "$(field rss_kb)") MB"
echo "pss_home_mb $(mb "$(field pss_kb)") MB"
cpu home 0.2

# The screens that move.
step tap 查询不动产
step wait insert_card 3000
cpu insert_card 1
step card "$id0"
step wait face_consent 5000
step face absent
step tap 同意并开始
step wait face_capture 3000
cpu face_capture 1
step face live
step wait records 120000
step tap 打印查询证明
step wait cert_purpose 2000
step tap 办理贷款
kill -STOP "$rpid" # the registry hangs: the certificate's request waits
step tap 下一步
step wait loading 3000
cpu loading 1
kill -CONT "$rpid"
step wait cert_preview 30000
step printer offline
step tap-containing 打印证明
step wait printing 3000
cpu printing 1
step printer ready
remove_card

# finish: from wherever the visit stands, home (the card already out).
finish() {
    for _ in $(seq 200); do state_has '"busy":false' && break; sleep 0.1; done
    ctl tap 我已取走，继续 >/dev/null
    ctl wait rating 3000 >/dev/null && { ctl tap 非常满意 >/dev/null; ctl tap 提交评价 >/dev/null; }
    ctl tap 返回首页 >/dev/null
    ctl tap 结束，返回首页 >/dev/null
    ctl card-remove >/dev/null
    ctl wait home 20000 >/dev/null || bad "the kiosk did not come home"
}
finish

# Whole visits: card, face, records, certificate printed, rated.
today=$(date +%F)
citizens=$(awk -F'[ \t]+' -v t="$today" '$1 ~ /^[0-9]+$/ && $6 == "match" && $7 >= 1 {
    v = $NF; gsub(/[()]/, "", v); if (v == "长期" || v > t) print $3 }' "$tmp/demo.txt")
ncit=$(echo "$citizens" | wc -l)
[ -n "${BENCH_CITIZENS:-}" ] && echo "citizens $ncit (one after the other)"
for v in $(seq "$visits"); do
    [ -n "${BENCH_CITIZENS:-}" ] && id0=$(echo "$citizens" | sed -n "$(((v - 1) % ncit + 1))p")
    to_records
    print_cert
    step wait printing 5000
    finish
    [ "$v" -eq 1 ] && echo "peak_rss_visit1_mb $(mb "$(field hwm_kb)") MB target <= 60"
    [ "$v" -eq 2 ] && r2=$(field rss_kb) && echo "rss_visit2_mb $(mb "$r2") MB"
    case $v in 2 | 5 | 10 | 20 | 50 | 100 | "$visits") mem "$v" ;; esac
done
rN=$(field rss_kb)
echo "rss_visit${visits}_mb $(mb "$rN") MB"
echo "rss_growth_2_to_${visits}_mb $(mb $((rN - ${r2:-0}))) MB target <= 1"
echo "pss_visit${visits}_mb $(mb "$(field pss_kb)") MB"
echo "peak_rss_mb $(mb "$(field hwm_kb)") MB"
ctl quit >/dev/null
wait "$kpid" 2>/dev/null
kpid=""
echo "visits: $pass steps answered, $fail failed"
[ "$fail" -eq 0 ]
