#!/bin/sh
# A throwaway PostgreSQL cluster for the registry's tests: Debian's
# postgresql-15, run as an unprivileged user (as root: nobody, through
# setpriv), reachable only on a unix socket in a private temp folder
# (listen_addresses = ''), gone after the tests.
#
#   tests/pg_cluster.sh start STATE   initdb and start; STATE (a file) names the folder
#   tests/pg_cluster.sh stop STATE    stop it and remove the folder and STATE
#   tests/pg_cluster.sh run STATE DB CMD [ARG...]
#       create database DB afresh (dropped first) and run CMD with
#       BDC_TEST_DB=postgresql:///DB?host=FOLDER&user=postgres
#
# A missing PostgreSQL fails (exit 1) and says what to install: the suite
# counts on these tests running.
set -eu
bin=${BDC_PG_BIN:-/usr/lib/postgresql/15/bin} # BDC_PG_BIN: another build of the server
cmd=${1:?usage: pg_cluster.sh start|stop|run STATE ...}
state=${2:?usage: pg_cluster.sh start|stop|run STATE ...}
shift 2

need() {
    for t in initdb pg_ctl postgres psql; do
        [ -x "$bin/$t" ] && continue
        echo "pg_cluster: PostgreSQL 15 is not installed ($bin/$t missing); run system/deploy/bootstrap.sh (postgresql-15)" >&2
        exit 1
    done
}

runas=""
[ "$(id -u)" -eq 0 ] && runas="setpriv --reuid=nobody --regid=nogroup --clear-groups"

psql_() { # DIR SQL
    PGOPTIONS="-c client_min_messages=warning" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$1" -U postgres -d postgres -c "$2"
}

case $cmd in
start)
    need
    [ -f "$state" ] && "$0" stop "$state" 2>/dev/null || true
    dir=$(mktemp -d /tmp/bdc-pg.XXXXXX)
    mkdir "$dir/data"
    if [ -n "$runas" ]; then
        chmod 0711 "$dir"
        chown -R nobody:nogroup "$dir"
    fi
    echo "$dir" >"$state"
    cd "$dir"
    if ! $runas "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        echo "pg_cluster: initdb failed" >&2
        exit 1
    fi
    if ! $runas "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null; then
        cat "$dir/server.log" >&2
        echo "pg_cluster: the server did not start" >&2
        exit 1
    fi
    echo "pg_cluster: PostgreSQL on $dir"
    ;;
stop)
    [ -f "$state" ] || exit 0
    dir=$(cat "$state")
    if [ -d "$dir/data" ]; then
        (cd "$dir" && $runas "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    case $dir in /tmp/bdc-pg.*) rm -rf "$dir" ;; esac
    rm -f "$state"
    ;;
run)
    db=${1:?usage: pg_cluster.sh run STATE DB CMD [ARG...]}
    shift
    need
    dir=$(cat "$state" 2>/dev/null) || dir=""
    if [ -z "$dir" ] || [ ! -S "$dir/.s.PGSQL.5432" ]; then
        echo "pg_cluster: no PostgreSQL cluster running (tests/pg_cluster.sh start did not run or failed)" >&2
        exit 1
    fi
    psql_ "$dir" "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    psql_ "$dir" "CREATE DATABASE \"$db\""
    BDC_TEST_DB="postgresql:///$db?host=$dir&user=postgres"
    export BDC_TEST_DB
    exec "$@"
    ;;
*)
    echo "usage: pg_cluster.sh start|stop|run STATE ..." >&2
    exit 2
    ;;
esac
