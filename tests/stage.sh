#!/bin/sh
# One stage of `make test`, with one summary line at its end.
#
#   tests/stage.sh NAME BUILD_DIR [CTEST_ARGS...]   run ctest in BUILD_DIR
#   tests/stage.sh --line NAME RUN PASSED FAILED SKIPPED [SECONDS]
#   tests/stage.sh --total STAGE...
#
# Every stage appends "NAME: R run, P passed, F failed, S skipped, T s" to
# build/stages.txt and prints it; --total prints those lines again and one
# line adding them up, and fails if any test failed or was skipped (a test
# whose prerequisite is missing is a failure here, never a pass).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
ledger="$top/build/stages.txt"

line() { # NAME RUN PASSED FAILED SKIPPED [SECONDS]
    mkdir -p "$(dirname "$ledger")"
    l="$1: $2 run, $3 passed, $4 failed, $5 skipped${6:+, $6 s}"
    echo "$l" | tee -a "$ledger"
}

case ${1:-} in
--line)
    shift
    line "$@"
    exit 0
    ;;
--reset)
    rm -f "$ledger"
    exit 0
    ;;
--total)
    # --total STAGE...: a stage that left no line (its build failed) failed.
    shift
    for st in "$@"; do
        grep -q "^$st:" "$ledger" 2>/dev/null || line "$st" 0 0 1 0 >/dev/null
    done
    [ -s "$ledger" ] || { echo "total: no stage ran"; exit 1; }
    echo "---"
    cat "$ledger"
    awk -F'[:,] *' '{ for (i = 2; i <= NF; i++) { split($i, w, " "); t[w[2]] += w[1] } }
        END { printf "total: %d passed, %d failed, %d skipped, %d s\n", t["passed"], t["failed"], t["skipped"], t["s"];
              exit (t["failed"] > 0 || t["skipped"] > 0 || t["run"] == 0) }' "$ledger"
    exit $?
    ;;
esac

name=${1:?usage: stage.sh NAME BUILD_DIR [CTEST_ARGS...]}
build=${2:?usage: stage.sh NAME BUILD_DIR [CTEST_ARGS...]}
shift 2
junit="$(cd "$build" && pwd)/ctest-$name.xml"
rm -f "$junit"
written=""
trap '[ -n "$written" ] || line "$name" 0 0 1 0' EXIT
rc=0
t0=$(date +%s)
(cd "$build" && ctest --output-on-failure --output-junit "$junit" "$@") || rc=$?
[ -s "$junit" ] || exit 1
# <testsuite ... tests="N" failures="N" disabled="N" skipped="N" ...>
# (ctest writes the attributes one per line.)
attr() { tr '\n\t' '  ' <"$junit" | grep -o "<testsuite [^>]*" | grep -o " $1=\"[0-9]*\"" | tr -dc 0-9; }
run=$(attr tests)
failed=$(attr failures)
skipped=$(($(attr skipped) + $(attr disabled)))
passed=$((run - failed - skipped))
[ "$run" -gt 0 ] || failed=1 # a stage that ran no test has failed
line "$name" "$run" "$passed" "$failed" "$skipped" "$(($(date +%s) - t0))"
written=1
[ "$run" -gt 0 ] || { echo "$name: no test ran" >&2; exit 1; }
[ "$skipped" -eq 0 ] || { echo "$name: a skipped test is a missing prerequisite" >&2; exit 1; }
exit $rc
