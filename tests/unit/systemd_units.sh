#!/bin/sh
# systemd_units.sh - the units in system/deploy/systemd as systemd reads
# them, offline (`systemd-analyze security --offline=yes`, systemd 252 on
# Debian 12): no line systemd would ignore, an overall exposure of at most
# 2.5 each, and the kiosk's restart and watchdog settings. Needs the
# systemd package (bootstrap.sh); without systemd-analyze it fails.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
units="$top/system/deploy/systemd"
max=2.5
fail=0
bad() {
    echo "FAIL: $*" >&2
    fail=$((fail + 1))
}
command -v systemd-analyze >/dev/null || {
    echo "systemd_units.sh: systemd-analyze is missing: install systemd (bootstrap.sh)" >&2
    exit 1
}
n=0
for u in "$units"/*.service; do
    [ -f "$u" ] || continue
    n=$((n + 1))
    name=$(basename "$u")
    out=$(systemd-analyze security --offline=yes "$u" 2>"$u.err.$$") || true
    err=$(cat "$u.err.$$")
    rm -f "$u.err.$$"
    [ -z "$err" ] || bad "$name: systemd-analyze complains: $err"
    level=$(echo "$out" | sed -n "s/.*Overall exposure level for $name: \([0-9.]*\).*/\1/p")
    if [ -z "$level" ]; then
        bad "$name: no exposure level in systemd-analyze's answer: $(echo "$out" | tail -3)"
        continue
    fi
    echo "$name: exposure $level (at most $max)"
    awk -v l="$level" -v m="$max" 'BEGIN { exit !(l <= m) }' ||
        bad "$name: exposure $level is over $max: $(echo "$out" | grep '✗')"
done
[ "$n" -ge 2 ] || bad "expected bdc-kiosk.service and bdc-registry.service in $units, found $n"

# The kiosk's own settings: a watchdog, back within 5 s of dying or hanging.
k="$units/bdc-kiosk.service"
has() { grep -qx "$1" "$k" || bad "bdc-kiosk.service lacks $1"; }
has 'Type=notify'
has 'NotifyAccess=all'
has 'WatchdogSec=3s'
has 'Restart=always'
has 'RestartSec=1s'
has 'User=bdc-kiosk'
has 'CapabilityBoundingSet='
has 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK'
has 'DevicePolicy=closed'
has 'StateDirectory=bdc-kiosk'
has 'RuntimeDirectory=bdc-kiosk'
has 'LogsDirectory=bdc-kiosk'
for d in char-drm char-input char-usb_device char-ttyUSB char-video4linux char-usbmisc; do
    grep -q "^DeviceAllow=$d " "$k" || bad "bdc-kiosk.service does not allow $d"
done
# WatchdogSec + RestartSec within 5 s: a hung kiosk is back in time.
ws=$(sed -n 's/^WatchdogSec=\([0-9]*\)s$/\1/p' "$k")
rs=$(sed -n 's/^RestartSec=\([0-9]*\)s$/\1/p' "$k")
[ -n "$ws" ] && [ -n "$rs" ] && [ $((ws + rs)) -le 4 ] ||
    bad "WatchdogSec ($ws s) and RestartSec ($rs s) leave under 1 s of the 5 s to start again"
# The session under cage: no VT switching (-s), the watchdog's PID unset.
s="$top/system/deploy/kiosk-session.sh"
grep -q '^exec cage -d -- env -u WATCHDOG_PID ' "$s" || bad "kiosk-session.sh does not exec cage -d (without -s)"

echo "systemd_units.sh: $fail failed"
[ "$fail" -eq 0 ]
