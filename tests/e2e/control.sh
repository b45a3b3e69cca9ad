#!/bin/sh
# control.sh - the control socket of the kiosk outside demo mode: made
# 0600 in a directory of its own made 0700 under umask 000; the verbs only
# tests need refused, `state` without the widgets' labels; a 2,000-byte
# line whose tail is `quit` refused whole (the kiosk still runs); a peer
# of another uid refused even where the modes let it in (as root: nobody,
# through setpriv); a directory others may enter refused at start-up.
. "$(dirname "$0")/e2e_lib.sh"

sock="$tmp/sock/ctl"
pctl() { "$ctlbin" "$sock" "$@"; }
# A hall's settings: real devices (absent here), a CUPS queue, an https
# registry (nothing answers at https://127.0.0.1:9).
printf '[kiosk]\naudit_key = 7f3a-hall\n[print]\ncups_queue = hall-a4\n[devices]\nreader = tty\ncamera = v4l2\nslip_printer = lp\n[idcard]\ntty = %s/no-tty\n[camera]\ndevice = %s/no-video\n[slip]\ndevice = %s/no-lp\n' \
    "$tmp" "$tmp" "$tmp" >"$tmp/prod.ini"
prod_url=https://127.0.0.1:9
(umask 000 && cd "$tmp/run" && exec "$kiosk" --headless --registry "$prod_url" --config "$tmp/prod.ini" \
    --control "$sock" 2>>"$tmp/kiosk.log") &
kpid=$!
out=$(pctl wait home 10000)
case $out in *'"ok":true'*) ok ;; *) bad "kiosk did not reach home: $out"; tail -5 "$tmp/kiosk.log" >&2; exit 1 ;; esac

check "the socket's directory is 0700 under umask 000 ($(stat -c %a "$tmp/sock"))" \
    test "$(stat -c %a "$tmp/sock")" = 700
check "the socket is 0600 under umask 000 ($(stat -c %a "$sock"))" test "$(stat -c %a "$sock")" = 600

# The verbs only tests need are refused outside demo mode, and do nothing.
for v in "screenshot $tmp/shot.png" "clock +600" "card $id0" "card-remove" "reader unplug" \
    "face live" "printer paper-out" "spoken"; do
    # shellcheck disable=SC2086
    out=$(pctl $v)
    case $out in *'"ok":false'*--demo*) ok ;; *) bad "$v outside demo mode: $out" ;; esac
done
check "no screenshot was written" test ! -e "$tmp/shot.png"
out=$(pctl state)
case $out in *'"screen":"home"'*) ok ;; *) bad "state outside demo mode: $out" ;; esac
case $out in *'"widgets"'*) bad "state outside demo mode lists the widgets' labels" ;; *) ok ;; esac
out=$(pctl help)
case $out in *screenshot* | *clock* | *spoken*) bad "help outside demo mode lists test verbs: $out" ;; *) ok ;; esac
case $out in *'wait SCREEN'*) ok ;; *) bad "help lost the verbs for everyone: $out" ;; esac

# A line over the limit is refused whole: its tail past 1,023 bytes is
# `quit ...`, which must not run.
long="$(printf '%1023s' '' | tr ' ' A)quit $(printf '%972s' '' | tr ' ' x)"
check "the long line is 2,000 bytes" test ${#long} -eq 2000
out=$(pctl "$long")
case $out in *'"ok":false'*'line too long'*) ok ;; *) bad "a 2,000-byte line: $out" ;; esac
sleep 0.5
check "the long line's tail did not quit the kiosk" kill -0 "$kpid"
out=$(pctl state)
case $out in *'"ok":true'*) ok ;; *) bad "no answer after the long line: $out" ;; esac

# A peer of another uid is refused even where the modes would let it in
# (loosened by hand here, after start-up).
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || { bad "setpriv (util-linux) is missing"; exit 1; }
    cp "$ctlbin" "$tmp/sock/kioskctl"
    chmod 711 "$tmp" && chmod 755 "$tmp/sock" "$tmp/sock/kioskctl" && chmod 666 "$sock"
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$tmp/sock/kioskctl" "$sock" quit 2>&1)
    case $out in *'not allowed'*) ok ;; *) bad "nobody's quit: $out" ;; esac
    sleep 0.5
    check "nobody's quit did not end the kiosk" kill -0 "$kpid"
    grep -q "refused a peer: uid 65534" "$tmp/kiosk.log" || bad "the refused peer is not logged"
    chmod 700 "$tmp" "$tmp/sock" && chmod 600 "$sock"
else
    echo "control.sh: not root: another uid's peer is checked by control_test alone" >&2
fi
out=$(pctl quit)
case $out in *'"ok":true'*) ok ;; *) bad "quit: $out" ;; esac
wait "$kpid"
rc=$?
kpid=""
check "the kiosk ended cleanly ($rc)" test "$rc" -eq 0

# A directory others may enter is refused at start-up.
mkdir -m 755 "$tmp/open"
(cd "$tmp/run" && exec timeout 20 "$kiosk" --headless --registry "$prod_url" --config "$tmp/prod.ini" \
    --control "$tmp/open/ctl" 2>"$tmp/open.log")
rc=$?
check "a kiosk with its socket in a 0755 directory stops ($rc)" test "$rc" -ne 0 -a "$rc" -ne 124
grep -q "refusing the socket's directory" "$tmp/open.log" || bad "the open directory is not named"
check "no socket in the open directory" test ! -e "$tmp/open/ctl"

echo "control: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
