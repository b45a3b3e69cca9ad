#!/bin/sh
# A [devices] name the kiosk has no driver for stops it at start-up, with a
# message that names the setting and the allowed values, with or without
# --demo; it never falls back to a simulated device. A USB id or model
# table that is not valid stops it too, naming the setting. Real devices
# that are absent still let the kiosk start, and it names what is missing.
# The simulated camera plays [camera] sim_images, or says it cannot read
# them and shows a scene. Outside demo mode a setting that would let the
# kiosk run open (plain HTTP, certificates into a folder, the demo audit
# key, a simulated device) stops it, named.
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

# What a hall's kiosk must set outside demo mode (the registry is
# https://127.0.0.1:9, where nothing answers).
hall="[kiosk]\naudit_key = 7f3a-hall\n[print]\ncups_queue = hall-a4\n"

# expect_stopped NAME INI_TEXT MESSAGE [REGISTRY_URL]: start-up stops with
# MESSAGE on stderr.
expect_stopped() {
    name=$1 message=$3
    printf '%b' "$2" >"$tmp/$name.ini"
    (cd "$tmp" && timeout 20 "$kiosk" --headless --config "$tmp/$name.ini" \
        --registry "${4-https://127.0.0.1:9}" >"$tmp/$name.out" 2>"$tmp/$name.err")
    rc=$?
    [ "$rc" -eq 1 ] || bad "$name: exit status $rc, expected 1"
    grep -qF "$message" "$tmp/$name.err" || bad "$name: stderr does not say: $message"
    grep -q "start-up failed: invalid" "$tmp/$name.err" || bad "$name: no start-up failure logged"
    grep -q "ready:" "$tmp/$name.err" && bad "$name: the kiosk started anyway"
}

# Devices that are absent, so that start-up reaches the one under test.
absent="$hall[camera]\ndevice = $tmp/no-video\n[idcard]\ntty = $tmp/no-tty\n[slip]\ndevice = $tmp/no-lp\n[print]\noutput_dir = $tmp/out\n"
expect_stopped reader_usb_id "[devices]\nreader = usb\ncamera = v4l2\n[idcard]\nusb_id = 0400\n$absent" \
    '[idcard] usb_id or usb_models is not valid'
expect_stopped reader_usb_models "[devices]\nreader = usb\ncamera = v4l2\n[idcard]\nusb_models = 0400:c35a=02/06\n$absent" \
    '[idcard] usb_id or usb_models is not valid'
expect_stopped slip_usb_id "[devices]\nreader = tty\ncamera = v4l2\nslip_printer = usb\n[slip]\nusb_id = 0416-5011\n$absent" \
    '[slip] usb_id is not VVVV:PPPP'
# Without libuvc in the build, uvc is refused for that reason instead.
printf "$hall[devices]\ncamera = uvc\n[camera]\nuvc_id = logitech\n" >"$tmp/camera_uvc_id.ini"
(cd "$tmp" && timeout 20 "$kiosk" --headless --config "$tmp/camera_uvc_id.ini" \
    --registry https://127.0.0.1:9 >/dev/null 2>"$tmp/camera_uvc_id.err")
rc=$?
[ "$rc" -eq 1 ] || bad "camera_uvc_id: exit status $rc, expected 1"
grep -qE '\[camera\] uvc_id is not VVVV:PPPP|camera = uvc, but this build has no libuvc' "$tmp/camera_uvc_id.err" ||
    bad "camera_uvc_id: stderr does not name [camera] uvc_id"

# Outside demo mode the kiosk fails closed: each setting that would let it
# run open stops it at start-up, named.
expect_stopped prod_http "$hall" '[registry] url = http://127.0.0.1:9: outside demo mode' \
    http://127.0.0.1:9
expect_stopped prod_no_registry "$hall" '[registry] url is empty' ''
expect_stopped prod_folder '[kiosk]\naudit_key = 7f3a-hall\n' '[print] cups_queue is empty'
expect_stopped prod_no_key '[print]\ncups_queue = hall-a4\n' '[kiosk] audit_key is empty'
expect_stopped prod_demo_key '[kiosk]\naudit_key = bdc-kiosk-demo-audit-key\n[print]\ncups_queue = q\n' \
    '[kiosk] audit_key is the published demo key'
for dev in reader camera slip_printer; do
    expect_stopped "prod_sim_$dev" "$hall[devices]\n$dev = sim\n" "[devices] $dev = sim: the simulated device runs only with --demo"
done

# run_home NAME [KIOSK_ARGS...]: starts the kiosk with $tmp/NAME.ini, reads
# its state once it answers on the control socket (into $state), and quits
# it, which must end it cleanly.
run_home() {
    name=$1
    shift
    (cd "$tmp" && exec timeout 30 "$kiosk" --headless --config "$tmp/$name.ini" "$@" \
        --registry https://127.0.0.1:9 --control "$tmp/$name.ctl" 2>"$tmp/$name.err") &
    kpid=$!
    state=""
    for _ in $(seq 100); do
        state=$("$build/tests/kioskctl" "$tmp/$name.ctl" state 2>/dev/null) && break
        sleep 0.1
    done
    case $state in *'"screen":"home"'*) ;; *) bad "$name: no home screen ($state)" ;; esac
    "$build/tests/kioskctl" "$tmp/$name.ctl" quit >/dev/null 2>&1
    wait "$kpid"
    rc=$?
    [ "$rc" -eq 0 ] || bad "$name: exit status $rc after quit"
}

# The USB reader, UVC camera and USB slip printer with nothing plugged in
# (valid ids): the kiosk starts on them, without a simulated device, and
# quits cleanly.
printf '[kiosk]\naudit_key = k\n[print]\ncups_queue = hall-a4\n[devices]\nreader = usb\ncamera = uvc\nslip_printer = usb\n[idcard]\nusb_id = 1a2b:3c4d\nusb_models = 1a2b:3c4d=02/06/81/85\n[camera]\nuvc_id = 046d:0825\n[slip]\nusb_id = 0416:5011\n[print]\noutput_dir = %s/out\n' \
    "$tmp" >"$tmp/absent_usb.ini"
run_home absent_usb
grep -q "reader: usb" "$tmp/absent_usb.err" || bad "absent_usb: the USB reader was not chosen"
grep -q "camera: uvc" "$tmp/absent_usb.err" || bad "absent_usb: the UVC camera was not chosen"
grep -q "slip_printer: usb" "$tmp/absent_usb.err" || bad "absent_usb: the USB slip printer was not chosen"
grep -qi "sim" "$tmp/absent_usb.err" && bad "absent_usb: something fell back to a simulated device"

# The simulated camera with pictures of the hall's own: two that can be
# read play without a word; a list with one that cannot be read is
# reported, and the kiosk runs on the built-in scenes.
printf 'P6 2 2 255\n' >"$tmp/grey.ppm"
printf '\200\200\200\200\200\200\200\200\200\200\200\200' >>"$tmp/grey.ppm"
printf 'P5 1 1 255\n\100' >"$tmp/dark.pgm"
printf "[kiosk]\naudit_key = k\n[devices]\nreader = sim\ncamera = sim\nslip_printer = sim\n[camera]\nsim_images = $tmp/grey.ppm:$tmp/dark.pgm\n[print]\noutput_dir = $tmp/out\n" >"$tmp/sim_images.ini"
run_home sim_images --demo
grep -q "camera: sim" "$tmp/sim_images.err" || bad "sim_images: the simulated camera was not chosen"
grep -q "sim_images could not be read" "$tmp/sim_images.err" && bad "sim_images: readable pictures were refused"
printf "[kiosk]\naudit_key = k\n[devices]\nreader = sim\ncamera = sim\nslip_printer = sim\n[camera]\nsim_images = $tmp/grey.ppm:$tmp/gone.png\n[print]\noutput_dir = $tmp/out\n" >"$tmp/sim_images_gone.ini"
run_home sim_images_gone --demo
grep -q "\[camera\] sim_images could not be read; showing a scene" "$tmp/sim_images_gone.err" ||
    bad "sim_images_gone: a picture that cannot be read was not reported"

# Real devices that are not there: the kiosk still starts, says which is
# missing, and quits cleanly; nothing falls back to a simulated device.
printf '[kiosk]\naudit_key = k\n[print]\ncups_queue = hall-a4\n[devices]\nreader = tty\ncamera = v4l2\nslip_printer = lp\n[idcard]\ntty = %s/no-tty\n[camera]\ndevice = %s/no-video\n[slip]\ndevice = %s/no-lp\n[print]\noutput_dir = %s/out\n' \
    "$tmp" "$tmp" "$tmp" "$tmp" >"$tmp/absent.ini"
(cd "$tmp" && exec timeout 30 "$kiosk" --headless --config "$tmp/absent.ini" \
    --registry https://127.0.0.1:9 --control "$tmp/ctl" 2>"$tmp/absent.err") &
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
