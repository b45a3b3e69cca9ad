#!/bin/bash
# try-boot.sh [ROOT_DIR] - the installed kiosk under systemd, as a hall's PC
# runs it: boots the root that try-deb.sh made and installed the packages
# in (default /tmp/bdc-deb-root) with systemd-nspawn, and there starts
# bdc-kiosk.service (cage on wlroots' headless backend, as the container has
# no display; demo mode, as it has no devices), then:
#   1. the kiosk runs as bdc-kiosk, cage's child, under the unit;
#   2. killed with SIGKILL, it is back on the home screen within 5 s;
#   3. hung (SIGSTOP: its loop stops, its watchdog pings stop), systemd's
#      watchdog ends it and it is back on the home screen within 5 s of
#      the watchdog's deadline (WatchdogSec=3s).
# "Back" means a new kiosk process whose control socket answers `state`
# with the home screen. Prints each time. Needs root, systemd-container
# (installed here when missing), and the root of try-deb.sh; build/tests/
# kioskctl is copied into the root to ask the kiosk.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
root=${1:-/tmp/bdc-deb-root}
build=${BUILD:-$top/build}
[ "$(id -u)" -eq 0 ] || { echo "try-boot.sh: run as root" >&2; exit 1; }
[ -x "$root/usr/bin/bdc-kiosk" ] || { echo "try-boot.sh: no installed kiosk in $root (run try-deb.sh first)" >&2; exit 1; }
command -v systemd-nspawn >/dev/null || apt-get install -y -qq systemd-container >/dev/null
install -m 0755 "$build/tests/kioskctl" "$root/usr/local/bin/kioskctl"

# The container has no display, no tty7 and no devices: cage draws on its
# headless backend, the unit takes no tty, and the kiosk runs in demo mode
# (simulated devices, the bundled registry). With no GPU, Mesa draws with
# llvmpipe, whose JIT needs memory both written and run: the unit's
# MemoryDenyWriteExecute is off here (a GPU's driver does not need that).
# Everything else as installed.
dropin="$root/etc/systemd/system/bdc-kiosk.service.d"
mkdir -p "$dropin"
cat >"$dropin/try-boot.conf" <<'EOF'
[Service]
Environment=WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
ExecStart=
ExecStart=/usr/libexec/bdc-kiosk/kiosk-session --demo
StandardInput=null
TTYPath=
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
UtmpIdentifier=
PAMName=
MemoryDenyWriteExecute=no
EOF
chroot "$root" systemctl enable bdc-kiosk.service >/dev/null 2>&1

log=$(mktemp)
systemd-nspawn --register=no --keep-unit -q -D "$root" -b >"$log" 2>&1 &
npid=$!
cleanup() {
    kill "$npid" 2>/dev/null || true
    wait "$npid" 2>/dev/null || true
    rm -rf "$dropin" "$log"
    chroot "$root" systemctl disable bdc-kiosk.service >/dev/null 2>&1 || true
}
trap cleanup EXIT
leader=""
for _ in $(seq 100); do
    leader=$(pgrep -P "$npid" -x systemd | head -1 || true) # the container's init
    [ -n "$leader" ] && break
    sleep 0.1
done
[ -n "$leader" ] || { cat "$log" >&2; echo "try-boot.sh: the container did not start" >&2; exit 1; }
inside() { nsenter -t "$leader" -m -p -u -i -n -- "$@"; }
ms() { date +%s%3N; }
# The container's processes, seen from here (its minimal root has no
# procps): the kiosk is the bdc-kiosk process of the root's bdc-kiosk user.
kuid=$(awk -F: '$1 == "bdc-kiosk" { print $3 }' "$root/etc/passwd")
kiosk_pid() { pgrep -u "$kuid" -x bdc-kiosk | head -1 || true; }
at_home() {
    inside setpriv --reuid=bdc-kiosk --regid=bdc-kiosk --clear-groups \
        /usr/local/bin/kioskctl /run/bdc-kiosk/control state 2>/dev/null | grep -q '"screen":"home"'
}
back_after() { # back_after OLD_PID: waits up to 15 s for a new kiosk at home
    for _ in $(seq 300); do
        p=$(kiosk_pid)
        if [ -n "$p" ] && [ "$p" != "$1" ] && at_home; then
            echo "$p"
            return 0
        fi
        sleep 0.05
    done
    return 1
}

fail=0
t0=$(ms)
pid=$(back_after none) || { inside journalctl -u bdc-kiosk --no-pager -o cat | tail -n 30 >&2 || true; echo "FAIL: the kiosk did not start at boot" >&2; exit 1; }
echo "boot: the kiosk is at home $(($(ms) - t0)) ms after the container started (pid $pid)"
ps -o comm= -p "$(ps -o ppid= -p "$pid" | tr -d ' ')" | grep -qx cage ||
    { echo "FAIL: the kiosk is not cage's child" >&2; fail=1; }

t0=$(ms)
kill -KILL "$pid"
if new=$(back_after "$pid"); then
    d=$(($(ms) - t0))
    echo "SIGKILL: back at home in $d ms (pid $new)"
    [ "$d" -le 5000 ] || { echo "FAIL: more than 5 s" >&2; fail=1; }
    pid=$new
else
    echo "FAIL: not back after SIGKILL" >&2
    fail=1
fi

t0=$(ms)
kill -STOP "$pid"
if new=$(back_after "$pid"); then
    d=$(($(ms) - t0))
    echo "hung: back at home in $d ms, $((d - 3000)) ms after the watchdog's 3 s (pid $new)"
    [ "$d" -le 8000 ] || { echo "FAIL: more than 5 s after the watchdog's deadline" >&2; fail=1; }
else
    echo "FAIL: not back after a hang" >&2
    fail=1
fi
inside journalctl -u bdc-kiosk --no-pager -o cat 2>/dev/null | grep -E "watchdog|Main process exited|Scheduled restart" | tail -n 4 || true
inside systemctl poweroff >/dev/null 2>&1 || true
[ "$fail" -eq 0 ] && echo "try-boot.sh: the installed kiosk runs under systemd and comes back within 5 s"
exit "$fail"
