#!/bin/sh
# tidy.sh BUILD_DIR - clang's static analyser and bug-prone checks
# (.clang-tidy at the top) over every C file of app/, drivers/ and system/,
# compiled as BUILD_DIR's compile_commands.json says. Any finding fails.
# The analyser runs in its shallow mode: the deep one costs some thirty
# seconds a file, too much for every run of the suite.
set -u
build=${1:?usage: tidy.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
command -v clang-tidy >/dev/null || { echo "FAIL: clang-tidy not installed (bootstrap)"; exit 1; }
[ -f "$build/compile_commands.json" ] || { echo "FAIL: no $build/compile_commands.json"; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
files=$(git ls-files 'app/*.c' 'drivers/*.c' 'system/*.c' 2>/dev/null ||
    find app drivers system -name '*.c')
n=$(echo "$files" | wc -l)
# Each file alone, two at a time; a file's findings stay together.
echo "$files" | xargs -P "${JOBS:-2}" -I{} sh -c \
    'clang-tidy -p "$1" --quiet --extra-arg=-Xclang --extra-arg=-analyzer-config \
        --extra-arg=-Xclang --extra-arg=mode=shallow "$2" 2>/dev/null > "$3.$(echo "$2" | tr / _)"' \
    _ "$build" {} "$out"
bad=0
for f in $files; do
    r="$out.$(echo "$f" | tr / _)"
    if grep -q -E "warning:|error:" "$r" 2>/dev/null; then
        bad=$((bad + 1))
        cat "$r"
    fi
    rm -f "$r"
done
"$top/tests/stage.sh" --line tidy "$n" "$((n - bad))" "$bad" 0
[ "$n" -ge 80 ] && [ "$bad" -eq 0 ]
