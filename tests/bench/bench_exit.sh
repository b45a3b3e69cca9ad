#!/bin/sh
# bench_exit.sh BUILD_DIR - a bench that ran ends 0 and leaves no
# temporary folder behind, though its kiosks have quit before its exit
# trap runs. Runs run.sh's kiosk part only, shortened (IDLE_SECONDS=1).
build=${1:?usage: bench_exit.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/tmp"
TMPDIR="$dir/tmp" BENCH_PARTS=kiosk IDLE_SECONDS=1 "$top/tests/bench/run.sh" "$build" >"$dir/out" 2>&1
rc=$?
fail=0
[ "$rc" -eq 0 ] || { echo "FAIL: run.sh ended $rc"; fail=1; }
[ -z "$(ls "$dir/tmp")" ] || { echo "FAIL: run.sh left $(ls "$dir/tmp") behind"; fail=1; }
for f in startup_first_frame_ms idle_cpu_percent latency_card_to_consent_ms latency_print_to_job_ms; do
    grep -q "^$f " "$dir/out" || { echo "FAIL: no $f line"; fail=1; }
done
[ "$fail" -eq 0 ] || cat "$dir/out"
exit "$fail"
