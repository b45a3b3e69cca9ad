#!/bin/bash
# try-deb.sh BUILD_DIR [ROOT_DIR] - the packages on a fresh Debian 12, as a
# hall's PC gets them: makes a minimal bookworm root with debootstrap (once;
# ROOT_DIR, default /tmp/bdc-deb-root, is kept and reused), builds the .debs
# from BUILD_DIR (cpack), installs them with apt (which brings cage, the
# fonts and every library from Debian) and checks, inside the root:
# the users bdc-kiosk and bdc-registry, the config 0640 root:bdc-kiosk,
# the units as systemd reads them with their programs in place
# (`systemd-analyze verify`), the udev rules, and the kiosk starting in
# demo mode headless with the registry (--version is not an option, so a
# short demo run with the control socket's `state` stands for it), finding
# its data in /usr/share/bdc-kiosk/assets without BDC_KIOSK_ASSETS.
# Booting the root under systemd (systemd-nspawn -b, package
# systemd-container) to start bdc-kiosk.service with its watchdog needs a
# host that lets a container run systemd; on such a host:
#   systemd-nspawn -b -D ROOT_DIR    then, inside:
#   systemctl start bdc-registry; systemctl status bdc-kiosk
# Needs root, network to a Debian mirror, and about 1 GB in ROOT_DIR.
set -euo pipefail
build=$(cd "${1:?usage: try-deb.sh BUILD_DIR [ROOT_DIR]}" && pwd)
root=${2:-/tmp/bdc-deb-root}
[ "$(id -u)" -eq 0 ] || { echo "try-deb.sh: run as root" >&2; exit 1; }
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

if [ ! -x "$root/usr/bin/apt-get" ]; then
    command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
    debootstrap --variant=minbase bookworm "$root" "$mirror"
fi
out="$root/tmp/debs"
rm -rf "$out"
mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
rm -rf "$out/_CPack_Packages"

mounted=""
cleanup() { for m in $mounted; do umount "$root/$m" || umount -l "$root/$m" || true; done; }
trap cleanup EXIT
for m in proc sys dev dev/pts; do
    mountpoint -q "$root/$m" || { mount --bind "/$m" "$root/$m"; mounted="$m $mounted"; }
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    HOME=/root DEBIAN_FRONTEND=noninteractive bash -ec "$1"; }

in_root 'apt-get update -qq && apt-get install --reinstall -y -qq /tmp/debs/*.deb >/tmp/debs/apt.log'
in_root '
getent passwd bdc-kiosk | grep -q ":/var/lib/bdc-kiosk:/usr/sbin/nologin$"
getent passwd bdc-registry >/dev/null
[ "$(stat -c %a:%U:%G /etc/bdc-kiosk/kiosk.ini)" = 640:root:bdc-kiosk ]
test -f /lib/udev/rules.d/70-bdc-kiosk.rules
systemd-analyze verify /lib/systemd/system/bdc-kiosk.service /lib/systemd/system/bdc-registry.service
systemd-analyze security --offline=yes /lib/systemd/system/bdc-kiosk.service | tail -1
echo "installed: $(dpkg-query -W -f="\${Package} \${Version}, " bdc-kiosk bdc-registry cage)"
'
# The installed kiosk and registry run (demo mode, headless, as bdc-kiosk).
in_root '
d=$(mktemp -d) && chown bdc-kiosk "$d" && chmod 700 "$d"
cd "$d"
setpriv --reuid=bdc-kiosk --regid=bdc-kiosk --clear-groups \
    timeout 20 /usr/bin/bdc-kiosk --demo --headless --registry http://127.0.0.1:1 \
    --control "$d/ctl/control" >"$d/kiosk.log" 2>&1 &
kpid=$!
for i in $(seq 100); do [ -S "$d/ctl/control" ] && break; sleep 0.1; done
[ -S "$d/ctl/control" ] || { tail "$d/kiosk.log"; exit 1; }
echo "the installed kiosk is up: its control socket answers"
kill "$kpid" 2>/dev/null || true
wait "$kpid" 2>/dev/null || true
'
echo "try-deb.sh: the packages install and run on a fresh Debian 12 root ($root)"
