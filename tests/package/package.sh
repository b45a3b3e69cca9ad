#!/bin/sh
# package.sh BUILD_DIR - the Debian packages as CPack makes them from
# BUILD_DIR (cmake/packaging.cmake), looked into with dpkg-deb: each file
# where it belongs and nothing else, the dependencies dpkg-shlibdeps found,
# the conffiles, the maintainer scripts (shell that parses, the users made,
# udev reloaded), the installed rules and units the same as the build's;
# then lintian, which must report no error. Needs dpkg-dev and lintian
# (bootstrap.sh); without them it fails.
set -u
build=$(cd "${1:?usage: package.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
    echo "FAIL: $*" >&2
    fail=$((fail + 1))
}
for tool in cpack dpkg-deb dpkg-shlibdeps lintian; do
    command -v $tool >/dev/null || { echo "package.sh: $tool is missing (bootstrap.sh)" >&2; exit 1; }
done

(cd "$build" && cpack -G DEB -B "$tmp/out" >"$tmp/cpack.log" 2>&1) ||
    { cat "$tmp/cpack.log" >&2; echo "package.sh: cpack failed" >&2; exit 1; }
kdeb=$(ls "$tmp"/out/bdc-kiosk_*.deb 2>/dev/null | head -1)
rdeb=$(ls "$tmp"/out/bdc-registry_*.deb 2>/dev/null | head -1)
[ -f "$kdeb" ] && [ -f "$rdeb" ] || { ls "$tmp/out" >&2; echo "package.sh: no .deb made" >&2; exit 1; }

# files: exactly these (directories aside)
files() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sort; }
files "$kdeb" >"$tmp/kiosk.files"
cat >"$tmp/kiosk.want" <<'W'
./etc/bdc-kiosk/kiosk.ini
./etc/pam.d/bdc-kiosk
./lib/systemd/system/bdc-kiosk.service
./lib/udev/rules.d/70-bdc-kiosk.rules
./usr/bin/bdc-kiosk
./usr/bin/bdc-kiosk-tool
./usr/libexec/bdc-kiosk/kiosk-session
./usr/share/bdc-kiosk/assets/demo/population.ini
./usr/share/bdc-kiosk/assets/strings/en.ini
./usr/share/bdc-kiosk/assets/strings/zh-CN.ini
./usr/share/doc/bdc-kiosk/changelog.gz
./usr/share/doc/bdc-kiosk/copyright
W
diff -u "$tmp/kiosk.want" "$tmp/kiosk.files" >&2 || bad "bdc-kiosk's files differ from the list"
files "$rdeb" >"$tmp/registry.files"
cat >"$tmp/registry.want" <<'W'
./lib/systemd/system/bdc-registry.service
./usr/bin/bdc-registry
./usr/share/bdc-registry/assets/demo/population.ini
./usr/share/bdc-registry/assets/registry/calendar.ini
./usr/share/bdc-registry/assets/registry/services.ini
./usr/share/doc/bdc-registry/changelog.gz
./usr/share/doc/bdc-registry/copyright
W
diff -u "$tmp/registry.want" "$tmp/registry.files" >&2 || bad "bdc-registry's files differ from the list"
dpkg-deb -c "$kdeb" | grep -q '^-rwxr-xr-x root/root .* ./usr/libexec/bdc-kiosk/kiosk-session$' ||
    bad "kiosk-session is not an executable of root's"

# control: dependencies (dpkg-shlibdeps' and the declared), conffiles, scripts
field() { dpkg-deb -f "$1" "$2"; }
kdep=$(field "$kdeb" Depends)
for d in cage xwayland adduser fonts-noto-cjk libc6 libsdl2-2.0-0 libsdl2-ttf-2.0-0 libcurl4 libsystemd0 \
    libusb-1.0-0 libsqlite3-0 libcairo2 libcups2; do
    echo "$kdep" | tr ',' '\n' | grep -q "^ *$d\( \|$\)" || bad "bdc-kiosk does not depend on $d: $kdep"
done
rdep=$(field "$rdeb" Depends)
for d in adduser libc6 libmicrohttpd12 libsqlite3-0 libpq5 libgnutls30; do
    echo "$rdep" | tr ',' '\n' | grep -q "^ *$d\( \|$\)" || bad "bdc-registry does not depend on $d: $rdep"
done
echo "$rdep" | grep -q 'libsdl2' && bad "bdc-registry depends on SDL: $rdep"
mkdir -p "$tmp/kc" "$tmp/rc" "$tmp/kx"
dpkg-deb -e "$kdeb" "$tmp/kc"
dpkg-deb -e "$rdeb" "$tmp/rc"
printf '/etc/bdc-kiosk/kiosk.ini\n/etc/pam.d/bdc-kiosk\n' | cmp -s - "$tmp/kc/conffiles" ||
    bad "bdc-kiosk's conffiles: $(cat "$tmp/kc/conffiles" 2>/dev/null)"
[ ! -e "$tmp/rc/conffiles" ] || bad "bdc-registry has conffiles: $(cat "$tmp/rc/conffiles")"
for s in "$tmp/kc/postinst" "$tmp/kc/postrm" "$tmp/rc/postinst" "$tmp/rc/postrm"; do
    [ -x "$s" ] || { bad "$s is missing or not executable"; continue; }
    sh -n "$s" || bad "$s does not parse"
done
grep -q 'adduser .*--system --group' "$tmp/kc/postinst" && grep -q ' bdc-kiosk$' "$tmp/kc/postinst" ||
    bad "bdc-kiosk's postinst does not make the bdc-kiosk system user"
grep -q 'udevadm control --reload-rules' "$tmp/kc/postinst" || bad "bdc-kiosk's postinst does not reload udev"
grep -q 'adduser .*--system --group' "$tmp/rc/postinst" && grep -q ' bdc-registry$' "$tmp/rc/postinst" ||
    bad "bdc-registry's postinst does not make the bdc-registry system user"

# contents: what the build made and the tree holds, unchanged
dpkg-deb -x "$kdeb" "$tmp/kx"
cmp -s "$tmp/kx/lib/udev/rules.d/70-bdc-kiosk.rules" "$build/system/deploy/70-bdc-kiosk.rules" ||
    bad "the packaged udev rules are not the generated ones"
cmp -s "$tmp/kx/lib/systemd/system/bdc-kiosk.service" "$top/system/deploy/systemd/bdc-kiosk.service" ||
    bad "the packaged unit is not system/deploy/systemd/bdc-kiosk.service"
grep -qx 'output_dir = /var/lib/bdc-kiosk' "$tmp/kx/etc/bdc-kiosk/kiosk.ini" ||
    bad "the packaged kiosk.ini does not keep its state in /var/lib/bdc-kiosk"
readelf -S "$tmp/kx/usr/bin/bdc-kiosk" | grep -q '\.debug_info' && bad "bdc-kiosk is not stripped"

# lintian: warnings are listed, an error fails
lintian --no-tag-display-limit "$kdeb" "$rdeb" >"$tmp/lintian.log" 2>&1
cat "$tmp/lintian.log" | grep -v 'running with root privileges'
grep -q '^E: ' "$tmp/lintian.log" && bad "lintian reports errors"

echo "package.sh: $fail failed"
[ "$fail" -eq 0 ]
