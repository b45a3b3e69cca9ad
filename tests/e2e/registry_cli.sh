#!/bin/sh
# registry_cli.sh - bdc-registry as a program: --list-demo, port 0 with the
# "listening on" line, a health check over HTTP, and a clean stop on SIGTERM.
# Usage: registry_cli.sh path/to/bdc-registry
set -u
bin=$1
dir=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "registry_cli: $*" >&2; exit 1; }

rows=$("$bin" --list-demo | tail -n +2 | wc -l)
[ "$rows" -ge 50 ] || fail "--list-demo printed $rows citizens"
"$bin" --list-demo | grep -q "no-match" || fail "--list-demo lacks a no-match citizen"
"$bin" --list-demo | grep -q "^staff  0312  " || fail "--list-demo lacks the staff"
"$bin" --bogus >/dev/null 2>&1 && fail "an unknown option was accepted"

"$bin" --listen 127.0.0.1:0 --db "$dir/r.sqlite" --seed >"$dir/out" 2>"$dir/err" &
pid=$!
i=0
while [ ! -s "$dir/out" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
line=$(head -n 1 "$dir/out")
case "$line" in
"listening on http://127.0.0.1:"*) ;;
*) fail "first line was '$line'" ;;
esac
url=${line#listening on }
curl -sf "$url/v1/health" | grep -q '"status":"ok"' || fail "health check failed"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/v1/sessions" -d '{}')
[ "$code" = 401 ] || fail "a call without X-Kiosk-Id got $code"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM"
[ "$(wc -l <"$dir/out")" -eq 1 ] || fail "more than one line on stdout"
# The database was seeded once and survives a restart without seeding twice.
"$bin" --listen 127.0.0.1:0 --db "$dir/r.sqlite" --seed >"$dir/out2" 2>"$dir/err2" &
pid=$!
i=0
while [ ! -s "$dir/out2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$pid"
wait "$pid"
pid=
grep -q "seeded" "$dir/err2" && fail "seeded a database that already had data"
echo "registry_cli: ok"
