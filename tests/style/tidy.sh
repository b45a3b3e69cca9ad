#!/bin/sh
# tidy.sh BUILD_DIR - clang's static analyser and bug-prone checks
# (.clang-tidy at the top) over every C file of the kiosk that BUILD_DIR's
# compile_commands.json compiles (app/, drivers/, system/, tests/; nothing
# generated under a build directory), each as that file says. Prints every
# finding, one stage line, and fails on any finding, on a file clang-tidy
# could not check, or when it checked fewer than 100 files.
# The analyser runs in its shallow mode: the deep one costs some thirty
# seconds a file, too much for every run of the suite.
set -u
build=${1:?usage: tidy.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
db="$build/compile_commands.json"
stage() { "$top/tests/stage.sh" --line tidy "$@"; }
tidy=$(command -v clang-tidy-14 || command -v clang-tidy) ||
    { echo "FAIL: clang-tidy not installed (system/deploy/bootstrap.sh)"; stage 0 0 1 0; exit 1; }
[ -f "$db" ] || { echo "FAIL: no $db (build first)"; stage 0 0 1 0; exit 1; }
builddir=$(cd "$build" && pwd)
out=$(mktemp -d)
t0=$(date +%s)
trap 'rm -rf "$out"' EXIT

# The project's own C files, once each: CMake writes one `"file": "..."`
# line per command; a file compiled for two targets is checked once.
grep -o '"file": *"[^"]*"' "$db" | sed 's/^"file": *"//; s/"$//' | sort -u |
    while read -r f; do
        case $f in
        "$builddir"/* | "$top"/build/* | "$top"/build-*/*) ;; # generated
        "$top"/*.c) echo "${f#"$top"/}" ;;
        esac
    done >"$out/files"
n=$(wc -l <"$out/files")

# Two files at a time (JOBS), each file's output in its own report so that
# its findings stay together. gcc's compile commands may carry warning
# options clang does not know; under -Werror those would stop the check.
export tidy build out
xargs -P "${JOBS:-2}" -I{} sh -c '
    r="$out/$(echo "$1" | tr / _)"
    if "$tidy" -p "$build" --quiet --warnings-as-errors="*" \
        --extra-arg=-Wno-unknown-warning-option \
        --extra-arg=-Xclang --extra-arg=-analyzer-config \
        --extra-arg=-Xclang --extra-arg=mode=shallow "$1" >"$r.log" 2>&1; then
        : >"$r.ok"
    fi' _ {} <"$out/files"

bad=0
while read -r f; do
    r="$out/$(echo "$f" | tr / _)"
    if [ ! -e "$r.ok" ] || grep -q -E ": (warning|error):" "$r.log"; then
        bad=$((bad + 1))
        echo "== $f"
        # clang-tidy's own tallies ("N warnings generated.") say nothing more.
        grep -v -E "^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$" "$r.log"
    fi
done <"$out/files"

stage "$n" "$((n - bad))" "$bad" 0 "$(($(date +%s) - t0))"
[ "$n" -ge 100 ] || { echo "tidy: checked only $n files (expected 100 or more)" >&2; exit 1; }
[ "$bad" -eq 0 ]
