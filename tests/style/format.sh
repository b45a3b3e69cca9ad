#!/bin/sh
# Every C file of the tree is as clang-format (the repo's .clang-format)
# would write it. Lists the files that are not.
cd "$(dirname "$0")/../.." || exit 2
command -v clang-format >/dev/null || { echo "clang-format not installed"; exit 2; }
bad=0
n=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find app drivers system tests -name '*.[ch]'); do
    n=$((n + 1))
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "not formatted: $f"; bad=$((bad + 1)); }
done
echo "format: $n files checked, $bad to reformat"
[ "$n" -gt 100 ] && [ "$bad" -eq 0 ]
