#!/bin/sh
# tool_cli.sh TOOL - bdc-kiosk-tool's face and escpos commands as an
# engineer uses them: a face found where there is one and none where there
# is none, a raster stream rendered to a picture of the right size, and for
# each command the errors of a missing file, bytes that are not what the
# command reads, and a wrong command line; the face detector's options
# (cascades that are not there, face size limits), a stream that prints
# nothing, two slips in one picture, and a picture that cannot be written.
set -u
tool=${1:?usage: tool_cli.sh TOOL}
pics=${KIOSK_FACE_DATA:-/usr/lib/python3/dist-packages/skimage/data}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
pass=0
expect() { # expect DESCRIPTION WANT_RC PATTERN COMMAND...: exit status and output
    d=$1 want=$2 pat=$3
    shift 3
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -q -- "$pat"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $d (exit $rc): $out" | head -c 400
        echo
    fi
}

[ -f "$pics/astronaut.png" ] || { echo "FAIL: no test pictures in $pics (python3-skimage)"; exit 1; }
expect "a face in the astronaut" 0 '"faces":\[{"x"' "$tool" face detect "$pics/astronaut.png"
expect "no face in the coffee" 0 '"faces":\[\]' "$tool" face detect "$pics/coffee.png"
expect "a missing picture" 1 "not found" "$tool" face detect "$dir/none.png"
printf 'not a picture' >"$dir/garbage.bin"
expect "bytes that are no picture" 1 "malformed" "$tool" face detect "$dir/garbage.bin"
expect "a face within size limits" 0 '"faces":\[{"x"' "$tool" face detect "$pics/astronaut.png" --min-pct 10 --max-pct 90
expect "no face that large" 0 '"faces":\[\]' "$tool" face detect "$pics/astronaut.png" --min-pct 80
expect "no face that small" 0 '"faces":\[\]' "$tool" face detect "$pics/astronaut.png" --max-pct 5
expect "a face cascade that is not there" 1 "cascades not loaded" "$tool" face detect "$pics/astronaut.png" --cascade "$dir/none.xml"
expect "an eye cascade that is not there" 1 "cascades not loaded" "$tool" face detect "$pics/astronaut.png" --eyes "$dir/none.xml"
expect "face without detect" 2 "usage: bdc-kiosk-tool face detect" "$tool" face
expect "face with another verb" 2 "usage: bdc-kiosk-tool face detect" "$tool" face find "$pics/astronaut.png"
expect "an option without its value" 2 "usage: bdc-kiosk-tool face detect" "$tool" face detect "$pics/astronaut.png" --cascade
expect "an unknown option" 2 "usage: bdc-kiosk-tool face detect" "$tool" face detect "$pics/astronaut.png" --size 3

# ESC @, then GS v 0: 2 bytes wide, 8 rows, alternate bytes black; a cut.
printf '\033@\035v0\000\002\000\010\000' >"$dir/slip.bin"
for _ in 1 2 3 4 5 6 7 8; do printf '\377\000' >>"$dir/slip.bin"; done
printf '\035V\000' >>"$dir/slip.bin"
expect "a raster slip renders" 0 '"rows":8' "$tool" escpos render "$dir/slip.bin" "$dir/slip.png"
# The PNG header's width and height (big-endian at offset 16): 576 x 8.
expect "the picture is 576 dots wide" 0 "0 0 2 64 0 0 0 8" sh -c "od -An -tu1 -j16 -N8 '$dir/slip.png' | tr -s ' ' | sed 's/^ //'"
expect "plain text prints as on a printer: one line" 0 '"slips":1,"rows":24,"skipped":0' "$tool" escpos render "$dir/garbage.bin" "$dir/g.png"
# A command ESC/POS lacks is named with its offset; the rest still prints.
printf '\034.AB\033q\n\035V\000' >"$dir/unknown.bin"
expect "an unknown command is named with its offset" 0 "offset 4: ESC q: unknown command" "$tool" escpos render "$dir/unknown.bin" "$dir/u.png"
expect "and the rest prints" 0 '"slips":1,"rows":30,"skipped":1' "$tool" escpos render "$dir/unknown.bin" "$dir/u.png"
# A stream cut off inside an image: what printed before it is kept.
printf '\034.AB\n\035v0\000\002\000\010\000\377' >"$dir/cutoff.bin"
expect "a stream cut off inside an image keeps the line before it" 0 '"rows":30' "$tool" escpos render "$dir/cutoff.bin" "$dir/c.png"
expect "and says where it was cut off" 0 "ends inside a command at offset 5" "$tool" escpos render "$dir/cutoff.bin" "$dir/c.png"
expect "a missing stream" 1 "cannot open" "$tool" escpos render "$dir/none.bin" "$dir/n.png"
: >"$dir/empty.bin"
expect "an empty stream" 1 "nothing printed" "$tool" escpos render "$dir/empty.bin" "$dir/e.png"
printf '\033@' >"$dir/init.bin"
expect "a stream that prints nothing" 1 "nothing printed" "$tool" escpos render "$dir/init.bin" "$dir/i.png"
cat "$dir/slip.bin" "$dir/slip.bin" >"$dir/two.bin"
expect "two slips in one picture" 0 '"slips":2,"rows":25,' "$tool" escpos render "$dir/two.bin" "$dir/two.png"
expect "two slips and the cut between them: 576 x 25" 0 "0 0 2 64 0 0 0 25" sh -c "od -An -tu1 -j16 -N8 '$dir/two.png' | tr -s ' ' | sed 's/^ //'"
expect "a picture that cannot be written" 1 "cannot write" "$tool" escpos render "$dir/slip.bin" "$dir/no/such/dir/s.png"
expect "escpos without render" 2 "usage: bdc-kiosk-tool escpos render" "$tool" escpos
expect "render without its picture" 2 "usage: bdc-kiosk-tool escpos render" "$tool" escpos render "$dir/slip.bin"
# staff: the PINs of maintenance mode. The kiosk's iteration count is the
# one staff_pins.h documents; the PIN is in no file and no output.
pins="$dir/staff.sqlite"
expect "set a PIN from stdin" 0 '"staff_no":"0312","pin":"set"' sh -c "printf '24681357\n' | '$tool' staff set-pin 0312 --pins '$pins'"
expect "the hash as documented" 0 'pbkdf2-sha256\$300000\$[0-9a-f]\{32\}\$[0-9a-f]\{64\}' sh -c "grep -a -o 'pbkdf2-sha256[$][0-9]*[$][0-9a-f]*[$][0-9a-f]*' '$pins'"
expect "the PIN is not in the file" 1 "^0$" grep -a -c 24681357 "$pins"
expect "the store is its owner's only" 0 "^600$" stat -c %a "$pins"
expect "a second staff member" 0 '"pin":"set"' sh -c "printf '97531\r\n' | '$tool' staff set-pin A7 --pins '$pins'"
expect "list: staff numbers only" 0 '^{"staff":\["0312","A7"\]}$' "$tool" staff list --pins "$pins"
for bad in 123 123456789 12a4 "" " 1234" "1234 " "１２３４"; do
    expect "PIN '$bad' refused" 1 "4 to 8 digits" sh -c "printf '%s\n' '$bad' | '$tool' staff set-pin B1 --pins '$pins'"
done
expect "no input, no PIN" 1 "4 to 8 digits" sh -c "'$tool' staff set-pin B1 --pins '$pins' </dev/null"
expect "a PIN without its newline" 0 '"pin":"set"' sh -c "printf 2468 | '$tool' staff set-pin B1 --pins '$pins'"
expect "a bad staff number" 2 "1 to 15 letters or digits" sh -c "printf '2468\n' | '$tool' staff set-pin 03-12 --pins '$pins'"
expect "remove" 0 '"staff_no":"B1","pin":"removed"' "$tool" staff remove B1 --pins "$pins"
expect "remove again" 1 "no PIN to remove" "$tool" staff remove B1 --pins "$pins"
expect "refused PINs set nothing" 0 '^{"staff":\["0312","A7"\]}$' "$tool" staff list --pins "$pins"
expect "nothing secret in any output" 1 "^0$" sh -c "'$tool' staff list --pins '$pins' 2>&1 | grep -E -c '24681357|97531|pbkdf2'"
expect "list where there is no store yet" 0 '^{"staff":\[\]}$' "$tool" staff list --pins "$dir/none.sqlite"
expect "... and none is made" 0 "absent" sh -c "test -e '$dir/none.sqlite' || echo absent"
expect "a damaged store" 1 "move the file away and set the PINs again" "$tool" staff list --pins "$dir/garbage.bin"
printf '[staff]\npins = %s\n' "$dir/from-ini.sqlite" >"$dir/pins.ini"
expect "the store [staff] pins names" 0 '"pin":"set"' sh -c "printf '2468\n' | '$tool' staff set-pin 0312 --config '$dir/pins.ini'"
expect "... is the one written" 0 '^{"staff":\["0312"\]}$' "$tool" staff list --pins "$dir/from-ini.sqlite"
printf '[print]\noutput_dir = %s\n' "$dir/out" >"$dir/out.ini"
expect "else <output_dir>/staff.sqlite" 0 '"pin":"set"' sh -c "printf '2468\n' | '$tool' staff set-pin 0312 --config '$dir/out.ini'"
expect "... made with its folder" 0 '^{"staff":\["0312"\]}$' "$tool" staff list --pins "$dir/out/staff.sqlite"
expect "a config that is not there" 1 "not found" "$tool" staff list --config "$dir/none.ini"
expect "staff without a verb" 2 "usage: bdc-kiosk-tool staff set-pin" "$tool" staff
expect "staff with another verb" 2 "usage: bdc-kiosk-tool staff set-pin" "$tool" staff check 0312
expect "set-pin without a staff number" 2 "usage: bdc-kiosk-tool staff set-pin" "$tool" staff set-pin --pins "$pins"
expect "--pins without its value" 2 "usage: bdc-kiosk-tool staff set-pin" "$tool" staff list --pins
expect "--pins and --config" 2 "usage: bdc-kiosk-tool staff set-pin" "$tool" staff list --pins "$pins" --config "$dir/pins.ini"
# On a terminal: asked twice, never echoed; two PINs that differ set nothing.
tty_pin() { # tty_pin FIRST SECOND: the tool on a pty, answering its two prompts
    python3 - "$tool" "$pins" "$1" "$2" <<'PY'
import os, pty, sys, time
tool, pins, first, second = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(tool, [tool, "staff", "set-pin", "T1", "--pins", pins])
out = b""
def until(text):
    global out
    end = time.time() + 10
    while text not in out and time.time() < end:
        try:
            out += os.read(fd, 4096)
        except OSError:
            break
until(b"4 to 8 digits): ")
os.write(fd, first.encode() + b"\n")
until(b"again: ")
os.write(fd, second.encode() + b"\n")
until(b"\x00")  # to the end
status = os.waitpid(pid, 0)[1]
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
sys.exit(os.waitstatus_to_exitcode(status))
PY
}
out=$(tty_pin 86420135 86420135 2>&1)
rc=$?
expect "a PIN typed on a terminal" 0 '"staff_no":"T1","pin":"set"' sh -c 'printf "%s\n" "$1"; exit "$2"' _ "$out" "$rc"
expect "... asked for twice" 0 "the same PIN again" sh -c 'printf "%s\n" "$1"' _ "$out"
expect "... and never echoed" 1 "^0$" sh -c 'printf "%s\n" "$1" | grep -c 86420135' _ "$out"
expect "two different PINs on a terminal" 1 "the two PINs differ" tty_pin 86420135 86420136

expect "help" 0 "usage: bdc-kiosk-tool COMMAND" "$tool" --help
expect "help lists every command" 0 "bdc-kiosk-tool escpos render" "$tool" -h
expect "an unknown command" 2 "unknown command" "$tool" bogus
expect "no command" 2 "usage" "$tool"

echo "tool_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
