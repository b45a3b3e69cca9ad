#!/bin/sh
# A [devices] name the kiosk has no driver for stops it at start-up, with a
# message that names the setting and the allowed values, with or without
# --demo; it never falls back to a simulated device.
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

[ "$fail" -eq 0 ] || exit 1
echo "devices_config: ok"
