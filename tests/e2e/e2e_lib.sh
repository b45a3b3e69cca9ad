# e2e_lib.sh - what the end-to-end scripts share: the real kiosk (headless,
# simulated devices) against the real reference registry over HTTP on
# loopback, driven through the control socket as a citizen drives it.
# Sourced by a script that sets $1 to the build folder; it leaves the
# registry running ($url), the demo citizens readable (demo_field), and
# start_kiosk to call. Everything goes into a temporary folder ($tmp) that
# is removed on exit.
set -u
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
kiosk="$build/app/bdc-kiosk"
registry="$build/system/registry/bdc-registry"
ctlbin="$build/tests/kioskctl"
tmp=$(mktemp -d)
pass=0
fail=0
kpid=""
rpid=""
xpid=""

cleanup() {
    [ -n "$kpid" ] && kill "$kpid" 2>/dev/null
    [ -n "$rpid" ] && kill "$rpid" 2>/dev/null
    [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
    wait 2>/dev/null
    [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# start_xvfb WxH: a private X server with a screen of WxH (Xvfb, its log
# in $tmp/xvfb.log); sets xpid and DISPLAY.
start_xvfb() {
    rm -f "$tmp/xdisplay"
    Xvfb -displayfd 3 -screen 0 "${1}x24" -nolisten tcp -noreset 3>"$tmp/xdisplay" \
        2>>"$tmp/xvfb.log" &
    xpid=$!
    for _ in $(seq 100); do [ -s "$tmp/xdisplay" ] && break; sleep 0.05; done
    DISPLAY=":$(cat "$tmp/xdisplay")"
    export DISPLAY
}

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}
check() { # check DESCRIPTION COMMAND...
    d=$1
    shift
    if "$@" >/dev/null 2>&1; then ok; else bad "$d"; return 1; fi
}
ctl() { "$ctlbin" "$tmp/ctl" "$@"; }
step() { # step COMMAND... : must answer ok
    out=$(ctl "$@")
    case $out in *'"ok":true'*) ok ;; *) bad "$*: $out" ;; esac
}
screen_is() { ctl state | grep -q "\"screen\":\"$1\""; }
state_has() { ctl state | grep -qF -- "$1"; }
# absent TEXT PATH...: every PATH exists and none holds TEXT. grep's own
# failure (status 2: a file missing, unreadable) is a failure, not a pass.
absent() {
    t=$1
    shift
    for p in "$@"; do [ -e "$p" ] || return 1; done
    grep -rqF -- "$t" "$@"
    [ $? -eq 1 ]
}
# From home: the guide's list, once the registry's guide has reached the
# kiosk (up to 5 s); it stays on the services screen.
guide_shown() {
    for _ in $(seq 50); do
        step tap 办事指南
        step wait services 2000
        state_has 不动产转移登记 && return
        step tap 返回首页
        sleep 0.1
    done
}
# From home: the first demo citizen's records (card, consent, live face).
to_records() {
    step tap 查询不动产
    step wait insert_card 3000
    step card "$id0"
    step wait face_consent 5000
    step face live
    step tap 同意并开始
    step wait records 120000
}
# From records: a certificate for a loan, from its preview to 打印证明
# tapped; the caller waits for what follows (printing, an error).
print_cert() {
    step tap 打印查询证明
    step wait cert_purpose 2000
    step tap 办理贷款
    step tap 下一步
    step wait cert_preview 10000
    step tap-containing 打印证明
}
# From home: a queue number by the counter route (no face check), with the
# first demo citizen's card.
counter_ticket() {
    step tap 查询不动产
    step card "$id0"
    step wait face_consent 5000
    step tap 不刷脸，到窗口办理
    step wait counter 2000
    step tap 取号，到窗口办理
    step wait ticket 5000
}
# Takes the card away and waits until the reader has noticed (it polls).
remove_card() {
    step card-remove
    for _ in $(seq 50); do ctl state | grep -q '"card_present":false' && return; sleep 0.1; done
    bad "the reader did not notice the card leave"
}

# ---- the registry, and the demo citizens we play -----------------------
# start_registry [OPTION...]: a registry on a free port of loopback, its
# data in memory, or in a file kept across restarts when the script sets
# E2E_REGISTRY_FILE before sourcing this; sets $rpid and $url (https://
# with the --tls-* options).
regdb=:memory:
[ -n "${E2E_REGISTRY_FILE:-}" ] && regdb="$tmp/registry.sqlite"
start_registry() {
    : >"$tmp/registry.out"
    "$registry" --listen 127.0.0.1:0 --db "$regdb" --seed "$@" >"$tmp/registry.out" \
        2>>"$tmp/registry.log" &
    rpid=$!
    for _ in $(seq 100); do grep -q http "$tmp/registry.out" 2>/dev/null && break; sleep 0.05; done
    url=$(grep -o 'https\{0,1\}://[0-9.:]*' "$tmp/registry.out" | head -1)
    [ -n "$url" ] || { echo "registry did not start" >&2; exit 1; }
}
start_registry
"$registry" --list-demo >"$tmp/demo.txt"
demo_field() { awk -v i="$1" -v f="$2" -F'[ \t]+' '$1 == i { print $f }' "$tmp/demo.txt"; }
id0=$(demo_field 0 3)      # three properties, one mortgaged
name0=$(demo_field 0 2)
id_nomatch=$(demo_field 5 3)
id_expired=$(demo_field 7 3)
[ ${#id0} -eq 18 ] || { echo "cannot read the demo citizens" >&2; exit 1; }

# ---- the kiosk, in a folder of its own so every file it writes is seen --
mkdir -p "$tmp/run"
# Liveness and the capture get long limits: a live face passes in moments
# anyway, and under ThreadSanitizer a frame takes about a second to analyse,
# so a turn challenge (up to 30 frames) can outlast 30 s there.
printf '[kiosk]\naudit_key = e2e-audit-key\n[print]\noutput_dir = %s/run/out\n[registry]\nretries = 0\ntimeout_ms = 3000\nhealth_interval_s = 2\n[face]\nchallenge_ms = 120000\n[timeouts]\ncapture_s = 180\n' \
    "$tmp" >"$tmp/kiosk.ini"
# start_kiosk [SCREEN]: the kiosk, up and showing SCREEN (home).
start_kiosk() {
    (cd "$tmp/run" && exec "$kiosk" --demo --headless --registry "$url" --config "$tmp/kiosk.ini" \
        --control "$tmp/ctl" 2>>"$tmp/kiosk.log") &
    kpid=$!
    out=$(ctl wait "${1:-home}" 10000)
    case $out in *'"ok":true'*) ok ;; *) bad "kiosk did not reach ${1:-home}: $out"; exit 1 ;; esac
}
