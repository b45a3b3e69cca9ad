#!/bin/sh
# Kiosk benchmarks. Prints "name value unit" lines; never fails on a
# figure (these machines are noisy), only when something cannot run.
#
#   startup_first_frame_ms   exec of the kiosk to its first frame presented (headless)
#   peak_rss_mb              peak resident memory after the first frame and a journey start
#   peak_rss_after_visit_mb  the same after a whole visit (face capture, records, certificate)
#   idle_cpu_percent         CPU of one core used idle on the home screen for 30 s
# Then every bench_* program built under tests/bench prints its own lines.
set -eu
build=${1:-build}
idle_seconds=${IDLE_SECONDS:-30}
here=$(cd "$(dirname "$0")/../.." && pwd)
kiosk="$build/app/bdc-kiosk"
ctl="$build/tests/kioskctl"
registry="$build/system/registry/bdc-registry"
tmp=$(mktemp -d)
trap 'kill $kpid $rpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

"$registry" --listen 127.0.0.1:0 --db :memory: --seed >"$tmp/registry.out" 2>"$tmp/registry.log" &
rpid=$!
for _ in $(seq 100); do grep -q http "$tmp/registry.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://[^ ]*' "$tmp/registry.out" | head -1)
printf '[print]\noutput_dir = %s/out\n' "$tmp" >"$tmp/kiosk.ini"

# Cold-ish start: best of 5 runs, each measured by the kiosk itself from
# the time stamp taken just before exec.
best=""
for i in 1 2 3 4 5; do
    BDC_KIOSK_T0_NS=$(date +%s%N) "$kiosk" --demo --headless --registry "$url" \
        --config "$tmp/kiosk.ini" --control "$tmp/ctl$i" 2>"$tmp/kiosk$i.log" &
    kpid=$!
    "$ctl" "$tmp/ctl$i" wait home 10000 >/dev/null
    ms=$(grep -o 'first frame after [0-9.]* ms' "$tmp/kiosk$i.log" | grep -o '[0-9.]*' | head -1)
    if [ $i -lt 5 ]; then "$ctl" "$tmp/ctl$i" quit >/dev/null || true; wait $kpid || true; fi
    if [ -n "$ms" ] && { [ -z "$best" ] || [ "$(echo "$ms < $best" | awk '{print ($1 < $3)}')" = 1 ]; }; then best=$ms; fi
done
echo "startup_first_frame_ms ${best:-nan} ms"

# The last kiosk stays up: a journey's first steps, then idle on home.
"$ctl" "$tmp/ctl5" tap 查询不动产 >/dev/null || true
"$ctl" "$tmp/ctl5" wait insert_card 5000 >/dev/null || true
"$ctl" "$tmp/ctl5" tap 返回首页 >/dev/null || true
"$ctl" "$tmp/ctl5" tap 结束，返回首页 >/dev/null || true
"$ctl" "$tmp/ctl5" wait home 5000 >/dev/null || { echo "bench: kiosk did not return home" >&2; exit 1; }
sleep 1
hz=$(getconf CLK_TCK)
t0=$(awk '{print $14 + $15}' /proc/$kpid/stat)
sleep "$idle_seconds"
t1=$(awk '{print $14 + $15}' /proc/$kpid/stat)
echo "idle_cpu_percent $(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$idle_seconds" 'BEGIN{printf "%.2f", (b-a)*100/hz/s}') %"
rss=$(awk '/VmHWM/ {print $2}' /proc/$kpid/status)
echo "peak_rss_mb $(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}') MB"

# Then a whole visit: card, face capture, records, certificate composed.
id=$("$registry" --list-demo | awk '$1 == 0 {print $3}')
for c in "tap 查询不动产" "card $id" "wait face_consent 5000" "face live" "tap 同意并开始" \
         "wait records 15000" "tap 打印查询证明" "tap 办理贷款" "tap 下一步" "wait cert_preview 10000"; do
    "$ctl" "$tmp/ctl5" $c >/dev/null || echo "bench: '$c' did not answer ok" >&2
done
rss=$(awk '/VmHWM/ {print $2}' /proc/$kpid/status)
echo "peak_rss_after_visit_mb $(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}') MB"
"$ctl" "$tmp/ctl5" quit >/dev/null || true
wait $kpid 2>/dev/null || true

# Memory over 100 visits and CPU on each screen that moves (visits.sh;
# BENCH_VISITS to change the number).
"$here/tests/bench/visits.sh" "$build" "${BENCH_VISITS:-100}" 10 | grep -v '^visits:' ||
    echo "bench: visits.sh failed (its lines above say why)" >&2

# The soak: 10,000 visits on four kiosks against one registry (SOAK_VISITS
# to change it); its "soak:" lines are its figures.
soak_visits=${SOAK_VISITS:-10000}
"$here/tests/e2e/soak.sh" "$build" $((soak_visits / 4)) 4 | grep '^soak:' ||
    echo "bench: the soak failed (its lines above say why)" >&2

# The fleet: 1,000 simulated kiosks at twice real time against one
# registry, hung, killed and started again (tests/load/README.md), first
# on a SQLite file on disk, then on PostgreSQL (a throwaway cluster,
# tests/pg_cluster.sh); their "fleet:" lines are their figures, each run's
# last status page is kept.
for db in sqlite postgres; do
    page="$build/fleet-1000.html"
    [ $db = postgres ] && page="$build/fleet-1000-pg.html"
    echo "fleet: on $db"
    FLEET_DB=$db FLEET_KIOSKS=${FLEET_KIOSKS:-1000} FLEET_SCALE=${FLEET_SCALE:-2} \
        FLEET_STEADY=${FLEET_STEADY:-60} FLEET_HANG=${FLEET_HANG:-20} FLEET_OUTAGE=${FLEET_OUTAGE:-5} \
        FLEET_AFTER=${FLEET_AFTER:-190} FLEET_PAGE="$page" "$here/tests/load/fleet.sh" "$build" \
        >"$tmp/fleet.out" 2>&1 || echo "bench: the fleet on $db missed a target (its lines say which)" >&2
    grep '^fleet:' "$tmp/fleet.out" || true
done

for b in "$build"/tests/bench_*; do
    [ -x "$b" ] && "$b"
done
exit 0
