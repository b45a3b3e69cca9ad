#!/bin/sh
# print_cups.sh TEST_BINARY - runs the CUPS delivery test against a private
# cupsd with a byte-capturing backend, so the real libcups path is used
# without touching the machine's CUPS. Works as root and as any user: the
# scheduler runs as whoever starts it, on its own socket and port, with its
# own configuration, spool, cache and logs in a scratch folder. After every
# job the test checks that this cupsd still runs and answers: a kiosk's
# certificate must never take down a hall's print server.
set -eu
bin=$1
for tool in cupsd lpadmin lpstat cupsdisable; do
    command -v "$tool" >/dev/null 2>&1 && continue
    [ -x "/usr/sbin/$tool" ] && continue
    echo "FAIL: $tool not installed (package cups, see system/deploy/bootstrap.sh)"
    exit 1
done
PATH="$PATH:/usr/sbin"

B=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-cups-XXXXXX")
CUPSD_PID=""
cleanup() {
    if [ -n "$CUPSD_PID" ]; then
        kill "$CUPSD_PID" 2>/dev/null || true
        wait "$CUPSD_PID" 2>/dev/null || true
    fi
    if [ -z "${PRINT_TEST_KEEP:-}" ]; then rm -rf "$B"; else echo "kept $B"; fi
}
trap cleanup EXIT INT TERM

# A port of its own, free now, so a second test or the machine's cupsd is
# never disturbed.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chmod 755 "$B" # as root, the backend runs as user lp and must reach bin/ and out/ runs as user lp and must reach bin/ and out/
mkdir -p "$B/etc" "$B/spool/tmp" "$B/cache" "$B/state" "$B/log" "$B/out" "$B/bin/backend"
chmod 1777 "$B/out"
cp /etc/cups/raw.types /etc/cups/raw.convs "$B/etc/"
for d in /usr/lib/cups/*; do [ "${d##*/}" = backend ] || ln -s "$d" "$B/bin/${d##*/}"; done
for b in /usr/lib/cups/backend/*; do ln -s "$b" "$B/bin/backend/${b##*/}"; done
# The capture backend writes each job's bytes to OUT/job-ID.bin.
cat > "$B/bin/backend/capture" <<'EOB'
#!/bin/sh
[ $# -eq 0 ] && { echo 'direct capture "Unknown" "Capture to directory"'; exit 0; }
out="${DEVICE_URI#capture:}/job-$1.bin"
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$out" || exit 1
EOB
chmod 755 "$B/bin/backend/capture"
# The scheduler's administrators are the group of whoever runs the test, so
# lpadmin works over the local socket without root.
printf '%s\n' "SystemGroup $(id -gn)" "ServerRoot $B/etc" "ServerBin $B/bin" "RequestRoot $B/spool" \
    "TempDir $B/spool/tmp" "CacheDir $B/cache" "StateDir $B/state" "ErrorLog $B/log/error_log" \
    "AccessLog $B/log/access_log" "PageLog $B/log/page_log" "FileDevice Yes" \
    "DataDir /usr/share/cups" "Printcap $B/state/printcap" > "$B/etc/cups-files.conf"
{
    printf 'LogLevel info\nListen %s/state/cups.sock\nListen 127.0.0.1:%s\n' "$B" "$PORT"
    printf 'Browsing No\nWebInterface No\n'
    printf 'ErrorPolicy abort-job\n<Location />\n  Order allow,deny\n  Allow from @LOCAL\n</Location>\n'
    sed -n '/^<Policy default>/,/^<\/Policy>/p' /etc/cups/cupsd.conf
} > "$B/etc/cupsd.conf"

cupsd -f -c "$B/etc/cupsd.conf" -s "$B/etc/cups-files.conf" &
CUPSD_PID=$!
export CUPS_SERVER="$B/state/cups.sock"
i=0
until lpstat -r 2>/dev/null | grep -q 'is running'; do
    i=$((i + 1))
    if [ $i -gt 250 ]; then
        echo "cupsd did not start"; cat "$B/log/error_log" 2>/dev/null || true; exit 1
    fi
    sleep 0.02
done
lpadmin -p Capture -E -v "capture:$B/out"
lpadmin -p Stopped -E -v "capture:$B/out"
lpadmin -p Held -E -v "capture:$B/out"
cupsdisable Stopped

export CUPSD_PID
"$bin" "$B/out"
if grep -E '\[(crit|emerg|alert)\]|[Ss]egmentation|crashed' "$B/log/error_log"; then
    echo "FAIL: the scheduler logged a crash"
    exit 1
fi
kill -0 "$CUPSD_PID" && lpstat -r | grep -q 'is running' || { echo "FAIL: cupsd is gone"; exit 1; }
