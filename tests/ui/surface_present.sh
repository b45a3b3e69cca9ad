#!/bin/sh
# surface_present.sh BUILD_DIR - test_surface_present on a private Xvfb
# (1920x1080: the kiosk's window lays out at a fractional scale there).
set -u
build=$(cd "${1:?usage: surface_present.sh BUILD_DIR}" && pwd)
command -v Xvfb >/dev/null || { echo "surface_present.sh: Xvfb is missing (bootstrap.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
xpid=""
trap '[ -n "$xpid" ] && kill "$xpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset 3>"$tmp/xdisplay" 2>"$tmp/xvfb.log" &
xpid=$!
for _ in $(seq 100); do [ -s "$tmp/xdisplay" ] && break; sleep 0.05; done
[ -s "$tmp/xdisplay" ] || { echo "surface_present.sh: Xvfb did not start" >&2; exit 1; }
DISPLAY=":$(cat "$tmp/xdisplay")" SDL_VIDEODRIVER=x11 "$build/tests/test_surface_present"
