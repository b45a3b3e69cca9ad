# cups_lib.sh - a private CUPS scheduler for tests, sourced by the CUPS
# delivery test (tests/unit/print_cups.sh) and the end-to-end test of the
# print journal (tests/e2e/staff_print.sh).
#
# cups_start starts cupsd as whoever runs the test (root or any user) on
# its own socket and port, with its own configuration, spool, cache and
# logs in a scratch folder ($CUPS_DIR), so the machine's CUPS is never
# touched; it exports CUPS_SERVER (libcups and the lp tools use it) and
# CUPSD_PID. cups_queue NAME adds a queue whose capture backend writes each
# job's bytes to $CUPS_OUT/job-ID.bin (cups_queue_slow NAME: after 2 s,
# so a job stays printing a while). cups_alive says whether the
# scheduler still runs and answers; cups_crashed whether its log shows a
# crash. cups_stop ends it and removes the folder (kept with PRINT_TEST_KEEP).
CUPS_DIR=""
CUPS_OUT=""
CUPSD_PID=""

cups_need_tools() {
    for tool in cupsd lpadmin lpstat cupsdisable cupsenable; do
        command -v "$tool" >/dev/null 2>&1 && continue
        [ -x "/usr/sbin/$tool" ] && continue
        echo "FAIL: $tool not installed (package cups, see system/deploy/bootstrap.sh)"
        return 1
    done
    PATH="$PATH:/usr/sbin"
}

cups_start() {
    cups_need_tools || return 1
    CUPS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-cups-XXXXXX")
    CUPS_OUT="$CUPS_DIR/out"
    B=$CUPS_DIR
    # A port of its own, free now, so a second test or the machine's cupsd
    # is never disturbed.
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    chmod 755 "$B" # as root, the backend runs as user lp and must reach bin/ and out/
    mkdir -p "$B/etc" "$B/spool/tmp" "$B/cache" "$B/state" "$B/log" "$B/out" "$B/bin/backend"
    chmod 1777 "$B/out"
    cp /etc/cups/raw.types /etc/cups/raw.convs "$B/etc/"
    for d in /usr/lib/cups/*; do [ "${d##*/}" = backend ] || ln -s "$d" "$B/bin/${d##*/}"; done
    for b in /usr/lib/cups/backend/*; do ln -s "$b" "$B/bin/backend/${b##*/}"; done
    # The capture backend writes each job's bytes to OUT/job-ID.bin.
    cat >"$B/bin/backend/capture" <<'EOB'
#!/bin/sh
[ $# -eq 0 ] && { echo 'direct capture "Unknown" "Capture to directory"'; exit 0; }
out="${DEVICE_URI#capture:}/job-$1.bin"
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$out" || exit 1
EOB
    chmod 755 "$B/bin/backend/capture"
    # slowcapture takes 2 s before it captures: a job that is printing.
    cat >"$B/bin/backend/slowcapture" <<'EOB'
#!/bin/sh
[ $# -eq 0 ] && { echo 'direct slowcapture "Unknown" "Capture to directory, slowly"'; exit 0; }
sleep 2
out="${DEVICE_URI#slowcapture:}/job-$1.bin"
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$out" || exit 1
EOB
    chmod 755 "$B/bin/backend/slowcapture"
    # The scheduler's administrators are the group of whoever runs the
    # test, so lpadmin works over the local socket without root.
    printf '%s\n' "SystemGroup $(id -gn)" "ServerRoot $B/etc" "ServerBin $B/bin" \
        "RequestRoot $B/spool" "TempDir $B/spool/tmp" "CacheDir $B/cache" "StateDir $B/state" \
        "ErrorLog $B/log/error_log" "AccessLog $B/log/access_log" "PageLog $B/log/page_log" \
        "FileDevice Yes" "DataDir /usr/share/cups" "Printcap $B/state/printcap" \
        >"$B/etc/cups-files.conf"
    {
        printf 'LogLevel info\nListen %s/state/cups.sock\nListen 127.0.0.1:%s\n' "$B" "$port"
        printf 'Browsing No\nWebInterface No\n'
        printf 'ErrorPolicy abort-job\n<Location />\n  Order allow,deny\n  Allow from @LOCAL\n</Location>\n'
        sed -n '/^<Policy default>/,/^<\/Policy>/p' /etc/cups/cupsd.conf
    } >"$B/etc/cupsd.conf"

    cupsd -f -c "$B/etc/cupsd.conf" -s "$B/etc/cups-files.conf" &
    CUPSD_PID=$!
    export CUPSD_PID
    CUPS_SERVER="$B/state/cups.sock"
    export CUPS_SERVER
    i=0
    until lpstat -r 2>/dev/null | grep -q 'is running'; do
        i=$((i + 1))
        if [ $i -gt 250 ]; then
            echo "cupsd did not start"
            cat "$B/log/error_log" 2>/dev/null || true
            return 1
        fi
        sleep 0.02
    done
}

cups_queue() { lpadmin -p "$1" -E -v "capture:$CUPS_OUT"; }
cups_queue_slow() { lpadmin -p "$1" -E -v "slowcapture:$CUPS_OUT"; }

cups_alive() { kill -0 "$CUPSD_PID" 2>/dev/null && lpstat -r 2>/dev/null | grep -q 'is running'; }

cups_crashed() { grep -E '\[(crit|emerg|alert)\]|[Ss]egmentation|crashed' "$CUPS_DIR/log/error_log"; }

cups_stop() {
    if [ -n "$CUPSD_PID" ]; then
        kill "$CUPSD_PID" 2>/dev/null || true
        wait "$CUPSD_PID" 2>/dev/null || true
        CUPSD_PID=""
    fi
    [ -n "$CUPS_DIR" ] || return 0
    if [ -z "${PRINT_TEST_KEEP:-}" ]; then rm -rf "$CUPS_DIR"; else echo "kept $CUPS_DIR"; fi
    CUPS_DIR=""
}
