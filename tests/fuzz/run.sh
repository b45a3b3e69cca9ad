#!/bin/sh
# Runs every libFuzzer target in BUILD for SECONDS each, one per core at a
# time (JOBS), starting from its committed corpus (tests/fuzz/corpus/NAME) and writing new inputs to a
# scratch copy, so a run never dirties the tree. A crash fails the run and
# leaves the input under BUILD/fuzz-artifacts.
set -eu
build=${1:-build-fuzz}
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
art="$build/fuzz-artifacts"
# The suppressions of the asan stage hold here too (fontconfig keeps part of
# its configuration unreachable: the slip decoder looks its font up once).
LSAN_OPTIONS="suppressions=$here/../lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
mkdir -p "$art"
rm -f "$art"/*.failed
t0=$(date +%s)
# One process per core (JOBS, default all of them) at a time.
targets=$(for bin in "$build"/tests/fuzz/fuzz_*; do [ -x "$bin" ] && echo "$bin"; done || true)
found=$(printf '%s' "$targets" | grep -c . || true)
printf '%s\n' "$targets" | grep . | xargs -P "${JOBS:-$(nproc)}" -I{} sh -c '
    bin=$1 here=$2 art=$3 build=$4 seconds=$5
    name=$(basename "$bin")
    work="$build/fuzz-corpus/$name"
    mkdir -p "$work"
    [ -d "$here/corpus/$name" ] && cp -r "$here/corpus/$name/." "$work/"
    echo "fuzz: $name for ${seconds}s"
    "$bin" -max_total_time="$seconds" -print_final_stats=0 -artifact_prefix="$art/$name-" \
        "$work" >"$art/$name.log" 2>&1 || { tail -30 "$art/$name.log"; : >"$art/$name.failed"; }
' sh {} "$here" "$art" "$build" "$seconds"
crashed=$(find "$art" -name '*.failed' | wc -l)
# Every parser of outside bytes has a target: finding none means the build
# lost them, not that there was nothing to fuzz.
expected=$(ls "$here"/fuzz_*.c | wc -l)
missing=$((expected - found))
[ "$missing" -eq 0 ] || echo "fuzz: $expected targets in tests/fuzz, $found built in $build" >&2
"$here/../stage.sh" --line fuzz "$expected" "$((found - crashed))" "$((crashed + missing))" 0 \
    "$(($(date +%s) - t0))"
[ "$crashed" -eq 0 ] && [ "$missing" -eq 0 ]
