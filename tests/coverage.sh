#!/bin/sh
# coverage.sh BUILD_DIR - line and branch coverage of the kiosk's own code
# (app/, drivers/, system/; not tests/) by folder, from the .gcda files a
# run of the test suite left in BUILD_DIR (a -DKIOSK_COVERAGE=ON build).
set -eu
build=${1:?usage: coverage.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
json="$build/coverage.json"
gcovr -r "$top" "$build" --filter "$top/app/" --filter "$top/drivers/" --filter "$top/system/" \
    --json-summary -o "$json"
python3 - "$json" <<'PY'
import json, os, sys
rows = {}
for f in json.load(open(sys.argv[1]))["files"]:
    d = os.path.dirname(f["filename"])
    r = rows.setdefault(d, [0, 0, 0, 0])
    r[0] += f["line_covered"]; r[1] += f["line_total"]
    r[2] += f["branch_covered"]; r[3] += f["branch_total"]
pct = lambda a, b: 100.0 * a / b if b else 100.0
print("%-22s %7s %9s %8s" % ("folder", "lines", "lines %", "branch %"))
tot = [0, 0, 0, 0]
for d in sorted(rows):
    r = rows[d]
    tot = [a + b for a, b in zip(tot, r)]
    flag = "  < 75 %" if pct(r[0], r[1]) < 75 else ""
    print("%-22s %7d %8.1f%% %7.1f%%%s" % (d, r[1], pct(r[0], r[1]), pct(r[2], r[3]), flag))
print("%-22s %7d %8.1f%% %7.1f%%" % ("total", tot[1], pct(tot[0], tot[1]), pct(tot[2], tot[3])))
PY
