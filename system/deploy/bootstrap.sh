#!/bin/sh
# Installs the Debian packages the kiosk needs to build, run and be tested,
# but only those that are missing: a machine that has them all is not touched
# and needs no network. Run as root, or as a user who may use sudo.
#
#   system/deploy/bootstrap.sh          build + run + test dependencies
#   system/deploy/bootstrap.sh --bench  the same, plus the peers the benchmarks
#                                       measure against (OpenCV; Chromium for the
#                                       side-by-side start-up and memory figures)
#                                       and the memory profilers (heaptrack,
#                                       valgrind's massif; app/README.md, Memory)
#   system/deploy/bootstrap.sh --print  print the missing packages and exit
set -eu

BUILD="build-essential cmake pkg-config clang clang-format clang-tidy libclang-rt-14-dev"
LIBS="libsdl2-dev libsdl2-ttf-dev libfontconfig-dev libcurl4-openssl-dev libusb-1.0-0-dev
      libsqlite3-dev libpq-dev libcjson-dev libinih-dev libmicrohttpd-dev libcairo2-dev libqrencode-dev
      libzint-dev libfreetype-dev
      libcups2-dev libssl-dev libturbojpeg0-dev libuvc-dev libespeak-ng-dev libgnutls28-dev
      libsystemd-dev libx11-dev libpng-dev"
RUNTIME="fonts-noto-cjk ca-certificates opencv-data espeak-ng-data"
TEST="poppler-utils zbar-tools curl cups python3 python3-skimage umockdev libumockdev-dev gcovr
      xvfb xauth x11-utils x11-xserver-utils xdotool openbox jq openssl sqlite3 systemd
       dpkg-dev lintian cage xwayland strace postgresql-15 postgresql-client-15 xxd
       bsdextrautils"

BENCH=""
[ "${1:-}" = "--bench" ] && BENCH="libopencv-dev g++ chromium heaptrack valgrind"

missing=""
for p in $BUILD $LIBS $RUNTIME $TEST $BENCH; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ "${1:-}" = "--print" ]; then
    echo "$missing"
    exit 0
fi
[ -z "$missing" ] && exit 0

echo "bootstrap: installing$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "bootstrap: not root and no sudo; as root, run: apt-get install$missing" >&2
        exit 1
    fi
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
