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
expect "bytes that are no stream" 1 "protocol violation" "$tool" escpos render "$dir/garbage.bin" "$dir/g.png"
expect "a missing stream" 1 "cannot open" "$tool" escpos render "$dir/none.bin" "$dir/n.png"
: >"$dir/empty.bin"
expect "an empty stream" 1 "nothing printed" "$tool" escpos render "$dir/empty.bin" "$dir/e.png"
printf '\033@' >"$dir/init.bin"
expect "a stream that prints nothing" 1 "nothing printed" "$tool" escpos render "$dir/init.bin" "$dir/i.png"
cat "$dir/slip.bin" "$dir/slip.bin" >"$dir/two.bin"
expect "two slips in one picture" 0 '"slips":2,"rows":25' "$tool" escpos render "$dir/two.bin" "$dir/two.png"
expect "two slips and the cut between them: 576 x 25" 0 "0 0 2 64 0 0 0 25" sh -c "od -An -tu1 -j16 -N8 '$dir/two.png' | tr -s ' ' | sed 's/^ //'"
expect "a picture that cannot be written" 1 "cannot write" "$tool" escpos render "$dir/slip.bin" "$dir/no/such/dir/s.png"
expect "escpos without render" 2 "usage: bdc-kiosk-tool escpos render" "$tool" escpos
expect "render without its picture" 2 "usage: bdc-kiosk-tool escpos render" "$tool" escpos render "$dir/slip.bin"
expect "help" 0 "usage: bdc-kiosk-tool COMMAND" "$tool" --help
expect "help lists every command" 0 "bdc-kiosk-tool escpos render" "$tool" -h
expect "an unknown command" 2 "unknown command" "$tool" bogus
expect "no command" 2 "usage" "$tool"

echo "tool_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
