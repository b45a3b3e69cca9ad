#!/bin/sh
# The fleet under load through a restart of the registry: fleet-load plays
# FLEET_KIOSKS kiosks against a real bdc-registry on loopback (started as
# e2e_lib.sh starts it, its data in a file), the registry is killed in the
# middle of the run and started again on the same port and the same
# database, and fleet-load prints its requests a second and a summary of
# figures against their targets (tests/load/README.md). Fails when a
# figure misses its target.
#
#   fleet.sh BUILD_DIR
#
# Environment (the defaults are make test's short run):
#   FLEET_KIOSKS   kiosks (200)
#   FLEET_SCALE    kiosk seconds per real second (20: a heartbeat every 3 s)
#   FLEET_STEADY   real seconds before the registry goes down (8)
#   FLEET_HANG     real seconds it hangs (SIGSTOP) before it is killed (2):
#                  the usual reason to restart it, and what makes the
#                  requests waiting on it fail all at once
#   FLEET_OUTAGE   real seconds it stays down after the kill (0.5)
#   FLEET_AFTER    real seconds the run goes on once it is back (19): the
#                  last kiosk may wait out the backoff's cap
#   FLEET_KILL     the signal that stops it (KILL: a crash; TERM: a clean stop)
#   BDC_FLEET_DB   the registry's --db (default a SQLite file in the run's folder)
#   FLEET_DB_TMPFS=1  that file in /dev/shm instead: make test's short run,
#                  whose figures are the fleet's, not the disk's fsync
#   FLEET_DB       sqlite (the default) or postgres: the registry on
#                  PostgreSQL, the database of BDC_TEST_DB when
#                  tests/pg_cluster.sh run gives one (ctest's fixture), else
#                  a throwaway cluster of its own (tests/pg_cluster.sh
#                  start), stopped and removed after
#   BDC_FLEET_NO_JITTER=1  the kiosks' backoff without its jitter
#   FLEET_ARGS     more options for fleet-load (fleet-load --help)
#   FLEET_PAGE     save the last GET /fleet?sort=state there
E2E_REGISTRY_FILE=1
. "$(dirname "$0")/../e2e/e2e_lib.sh"

kiosks=${FLEET_KIOSKS:-200}
scale=${FLEET_SCALE:-20}
steady=${FLEET_STEADY:-8}
hang=${FLEET_HANG:-2}
outage=${FLEET_OUTAGE:-0.5}
after=${FLEET_AFTER:-19}
load="$build/tests/fleet-load"
[ -x "$load" ] || { echo "no $load: build it first" >&2; exit 1; }

# The registry of e2e_lib.sh again, on the database asked for, marking a
# kiosk stale after three periods of kiosk time.
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
shm=""
if [ -z "${BDC_FLEET_DB:-}" ] && [ "${FLEET_DB_TMPFS:-0}" = 1 ]; then
    shm=$(mktemp -d /dev/shm/fleet.XXXXXX) || exit 1
    trap 'cleanup; rm -rf "$shm"' EXIT INT TERM
    regdb="$shm/registry.sqlite"
fi
if [ -z "${BDC_FLEET_DB:-}" ] && [ "${FLEET_DB:-}" = postgres ]; then
    if [ -n "${BDC_TEST_DB:-}" ]; then
        regdb=$BDC_TEST_DB
    else
        pgsh="$(dirname "$0")/../pg_cluster.sh"
        pgstate="$tmp.pg" # outside $tmp: cleanup removes that first
        sh "$pgsh" start "$pgstate" >&2 || exit 1
        trap 'cleanup; sh "$pgsh" stop "$pgstate"' EXIT INT TERM
        # shellcheck disable=SC2016 # the URL is the child's to print
        regdb=$(sh "$pgsh" run "$pgstate" fleet sh -c 'printf %s "$BDC_TEST_DB"') || exit 1
    fi
fi
regdb=${BDC_FLEET_DB:-$regdb}
stale=$(awk -v s="$scale" 'BEGIN { v = int(180 / s); print v < 1 ? 1 : v }')
start_registry --fleet-stale "$stale"
port=${url##*:}
echo "fleet: registry $url, database $regdb" >&2

jitter=""
[ "${BDC_FLEET_NO_JITTER:-0}" = 1 ] && jitter=--no-jitter
# shellcheck disable=SC2086 # FLEET_ARGS is a list of options
"$load" --url "$url" --kiosks "$kiosks" --scale "$scale" \
    --duration "$(awk -v a="$steady" -v b="$hang" -v c="$outage" -v d="$after" 'BEGIN { print a + b + c + d }')" $jitter ${FLEET_ARGS:-} >"$tmp/load.out" &
lpid=$!
kpid=$lpid # e2e_lib.sh's clean-up stops it with the registry
sleep "$steady"

# Down: tell the client first, then hang and kill; back: start on the same
# port and file, and tell the client once it listens.
kill -USR1 "$lpid"
if [ "$hang" != 0 ]; then
    kill -STOP "$rpid"
    sleep "$hang"
fi
kill -"${FLEET_KILL:-KILL}" "$rpid"
kill -CONT "$rpid" 2>/dev/null # a TERM waits for it
wait "$rpid" 2>/dev/null
sleep "$outage"
# The port can take a moment to be free again: a few tries.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    : >"$tmp/registry.out"
    "$registry" --listen "127.0.0.1:$port" --print-port --db "$regdb" --seed \
        --fleet-stale "$stale" >"$tmp/registry.out" 2>>"$tmp/registry.log" &
    rpid=$!
    for _ in $(seq 100); do
        grep -q http "$tmp/registry.out" 2>/dev/null && break 2
        kill -0 "$rpid" 2>/dev/null || break
        sleep 0.05
    done
    kill "$rpid" 2>/dev/null
    wait "$rpid" 2>/dev/null
    sleep 0.2
done
grep -q http "$tmp/registry.out" || { echo "FAIL: the registry did not start again" >&2; exit 1; }
kill -USR2 "$lpid"
echo "fleet: registry back on $url" >&2

wait "$lpid"
rc=$?
kpid=""
[ -n "${FLEET_PAGE:-}" ] && curl -s -o "$FLEET_PAGE" "$url/fleet?sort=state"
cat "$tmp/load.out"
[ $rc -eq 0 ] || echo "FAIL: fleet-load: a figure missed its target (exit $rc)" >&2
exit $rc
