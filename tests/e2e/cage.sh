#!/bin/sh
# cage.sh BUILD_DIR - the kiosk as bdc-kiosk.service runs it: through
# system/deploy/kiosk-session.sh under cage, here on wlroots' headless
# backend with the pixman renderer and no input devices, its notify socket
# a Python stand-in for systemd's with WATCHDOG_PID naming cage (as the
# unit's main process). Checks: the kiosk is cage's client on Wayland,
# fullscreen at cage's output size (the control socket's display.output is
# the headless output's 1280x720), READY=1 and the watchdog's pings reach
# the socket through cage (the session script drops WATCHDOG_PID), and
# the kiosk ends with cage. cage refuses to run as root: as root, the
# kiosk, cage and the control client run as nobody (setpriv), from copies
# in the test's folder (nobody may not reach the checkout). Needs cage
# and Xwayland (cage will not start without it) from bootstrap.sh.
. "$(dirname "$0")/e2e_lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
for tool in cage Xwayland python3; do
    command -v "$tool" >/dev/null || { echo "cage.sh: $tool is missing (bootstrap.sh)" >&2; exit 1; }
done

# Everything the kiosk's user touches lives in $cg, that user's alone.
cg="$tmp/cage"
mkdir -p "$cg/run" "$cg/out"
chmod 0700 "$cg" "$cg/run"
# The kiosk's user may not reach the checkout (a root's home is 0700):
# the programs, the session script and the assets are copied in.
mkdir -p "$cg/bin"
cp "$kiosk" "$ctlbin" "$top/system/deploy/kiosk-session.sh" "$cg/bin/"
cp -r "$top/assets" "$cg/assets"
kiosk="$cg/bin/bdc-kiosk"
ctlbin="$cg/bin/kioskctl"
runas="" # a prefix that runs a command as the kiosk's user, which execs it
if [ "$(id -u)" -eq 0 ]; then
    chmod 0711 "$tmp" # nobody passes through to $cg
    chown -R nobody:nogroup "$cg"
    runas="setpriv --reuid=nobody --regid=nogroup --clear-groups"
fi
printf '[kiosk]\naudit_key = e2e-audit-key\n[print]\noutput_dir = %s/out\n' "$cg" >"$cg/kiosk.ini"
# CAGE_RENDERER=surface|gl: [display] renderer (auto, the service's, by default)
[ -n "${CAGE_RENDERER:-}" ] && printf '[display]\nrenderer = %s\n' "$CAGE_RENDERER" >>"$cg/kiosk.ini"
[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$cg/kiosk.ini"

# The stand-in for systemd's notify socket, as the kiosk's user (Debian's
# python3: another user's may sit where nobody cannot reach it).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
$runas "$py" - "$cg/notify" "$cg/notify.log" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "w", buffering=1) as out:
    while True:
        m = s.recv(4096).decode().replace("\n", " ")
        out.write("%.3f %s\n" % (time.monotonic(), m))
PY
lpid=$!
for _ in $(seq 50); do [ -S "$cg/notify" ] && break; sleep 0.1; done
[ -S "$cg/notify" ] || { echo "cage.sh: the notify socket's stand-in did not start" >&2; exit 1; }

# The unit's environment: RUNTIME_DIRECTORY, NOTIFY_SOCKET, WATCHDOG_USEC,
# and WATCHDOG_PID naming the main process, which execs the session script,
# which execs cage.
$runas env -i PATH=/usr/bin:/bin HOME="$cg" RUNTIME_DIRECTORY="$cg/run" \
    WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
    NOTIFY_SOCKET="$cg/notify" WATCHDOG_USEC=1000000 \
    BDC_KIOSK_BIN="$kiosk" BDC_KIOSK_CONFIG="$cg/kiosk.ini" BDC_KIOSK_ASSETS="$cg/assets" \
    sh -c 'WATCHDOG_PID=$$ exec "$0" "$@"' "$cg/bin/kiosk-session.sh" \
    --demo --registry "$url" >"$cg/session.log" 2>&1 &
cpid=$!
cctl() { $runas "$ctlbin" "$cg/run/control" "$@"; }
for _ in $(seq 100); do [ -S "$cg/run/control" ] && break; sleep 0.1; done
out=$(cctl wait home 10000)
case $out in
*'"ok":true'*) ok ;;
*) bad "the kiosk under cage did not reach home: $out"; tail -20 "$cg/session.log" >&2; exit 1 ;;
esac

# The kiosk is cage's child and speaks Wayland to it.
kid=$(pgrep -P "$cpid" -x bdc-kiosk | head -1)
check "bdc-kiosk runs as cage's client" [ -n "$kid" ]
[ "$(ps -o comm= -p "$cpid")" = cage ] && ok || bad "the session script did not exec cage"
tr '\0' '\n' <"/proc/$kid/environ" | grep -qx 'SDL_VIDEODRIVER=wayland' && ok ||
    bad "the kiosk does not run SDL's Wayland driver"
tr '\0' '\n' <"/proc/$kid/environ" | grep -q '^WAYLAND_DISPLAY=' && ok ||
    bad "cage gave the kiosk no WAYLAND_DISPLAY"
tr '\0' '\n' <"/proc/$kid/environ" | grep -q '^WATCHDOG_PID=' && bad "WATCHDOG_PID reached the kiosk"

# Fullscreen at cage's output: the headless output is 1280x720.
st=$(cctl state)
echo "$st" | grep -q '"output":\[1280,720\]' && ok ||
    bad "the kiosk is not at cage's 1280x720 output: $(echo "$st" | grep -o '"display":{[^}]*}')"

# auto under Wayland: OpenGL (SDL2 has no framebuffer of its own there and
# would emulate one with OpenGL anyway); says what got mapped
want_r=${CAGE_RENDERER:-auto}
[ "$want_r" = auto ] && want_r=gl
echo "$st" | grep -q "\"renderer\":\"$want_r\"" && ok ||
    bad "the renderer under cage is not $want_r: $(echo "$st" | grep -o '"renderer":"[^"]*"')"
echo "cage.sh: renderer $(echo "$st" | grep -o '"renderer":"[^"]*"'), GL libraries mapped:" \
    "$(grep -cE 'libGL|libEGL|libLLVM|_dri\.so' "/proc/$kid/maps" 2>/dev/null)"

# The watchdog through cage: READY=1, then a ping every half second.
sleep 3
check "READY=1 through cage" grep -q 'READY=1' "$cg/notify.log"
n=$(grep -c 'WATCHDOG=1' "$cg/notify.log")
[ "$n" -ge 5 ] && ok || bad "$n watchdog pings in 3 s under cage (want one per 0.5 s)"

# cage and the kiosk end together (systemd then starts both again). Once
# cage is gone the kiosk is nobody's child: if it has exited but nothing
# reaps it (an init that does not, or cage 0.1.4 aborting in its own
# teardown when the kiosk's SIGCHLD comes late), it is a zombie, which
# kill -0 still finds. Running means present and not a zombie.
running() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
kill "$cpid"
for _ in $(seq 50); do running "$kid" || break; sleep 0.1; done
running "$kid" && { bad "the kiosk outlived cage by 5 s"; kill -9 "$kid"; }
wait "$cpid" 2>/dev/null
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null

[ "$fail" -eq 0 ] || { cat "$cg/notify.log" >&2; tail -20 "$cg/session.log" >&2; }
echo "cage.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
