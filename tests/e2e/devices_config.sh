#!/bin/sh
# A [devices] name the kiosk has no driver for stops it at start-up, with a
# message that names the setting and the allowed values, with or without
# --demo; it never falls back to a simulated device. Real devices that are
# absent still let the kiosk start, and it names what is missing.
#
#   devices_config.sh BUILD_DIR
set -u
build=$(cd "${1:?usage: devices_config.sh BUILD_DIR}" && pwd)
kiosk="$build/app/bdc-kiosk"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}

# expect_refused NAME INI_TEXT SETTING ALLOWED [KIOSK_ARGS...]
expect_refused() {
    name=$1 ini=$2 setting=$3 allowed=$4
    shift 4
    printf '%b' "$ini" >"$tmp/$name.ini"
    (cd "$tmp" && timeout 20 "$kiosk" --headless --config "$tmp/$name.ini" "$@" \
        >"$tmp/$name.out" 2>"$tmp/$name.err")
    rc=$?
    [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || bad "$name: exit status $rc, expected a refusal"
    grep -qF "[devices] $setting" "$tmp/$name.err" || bad "$name: stderr does not name [devices] $setting"
    grep -qF "$allowed" "$tmp/$name.err" || bad "$name: stderr does not list: $allowed"
    grep -q "ready:" "$tmp/$name.err" && bad "$name: the kiosk started anyway"
}

expect_refused reader '[devices]\nreader = usbb\n' reader 'sim, usb, tty'
expect_refused reader_demo '[devices]\nreader = usbb\n' reader 'sim, usb, tty' --demo
expect_refused camera '[devices]\ncamera = v4l' camera 'sim, v4l2, uvc'
expect_refused slip '[devices]\nslip_printer = usblp\n' slip_printer 'sim, lp, usb'

# Real devices that are not there: the kiosk still starts, says which is
# missing, and quits cleanly; nothing falls back to a simulated device.
printf '[kiosk]\naudit_key = k\n[devices]\nreader = tty\ncamera = v4l2\nslip_printer = lp\n[idcard]\ntty = %s/no-tty\n[camera]\ndevice = %s/no-video\n[slip]\ndevice = %s/no-lp\n[print]\noutput_dir = %s/out\n' \
    "$tmp" "$tmp" "$tmp" "$tmp" >"$tmp/absent.ini"
(cd "$tmp" && exec timeout 30 "$kiosk" --headless --config "$tmp/absent.ini" \
    --registry http://127.0.0.1:9 --control "$tmp/ctl" 2>"$tmp/absent.err") &
kpid=$!
state=""
for _ in $(seq 100); do
    state=$("$build/tests/kioskctl" "$tmp/ctl" state 2>/dev/null) && break
    sleep 0.1
done
case $state in *'"screen":"home"'*) ;; *) bad "absent devices: no home screen ($state)" ;; esac
case $state in *"no reader at $tmp/no-tty"*) ;; *) bad "absent devices: the missing reader is not named" ;; esac
grep -q "camera: v4l2" "$tmp/absent.err" || bad "absent devices: the V4L2 camera was not chosen"
grep -q "slip_printer: lp" "$tmp/absent.err" || bad "absent devices: the lp slip printer was not chosen"
grep -qi "sim" "$tmp/absent.err" && bad "absent devices: something fell back to a simulated device"
"$build/tests/kioskctl" "$tmp/ctl" quit >/dev/null 2>&1
wait "$kpid"
rc=$?
[ "$rc" -eq 0 ] || bad "absent devices: exit status $rc after quit"

[ "$fail" -eq 0 ] || exit 1
echo "devices_config: ok"
