#!/bin/sh
# syscalls.sh BUILD_DIR - the kiosk fits its unit's system call filter:
# every call it makes (strace -f, every thread and child: the bundled
# registry aside) through start-up, a citizen's query with the face check,
# a certificate printed, a rating and a clean quit is in
# what bdc-kiosk.service allows: @system-service minus the groups its
# SystemCallFilter=~ line removes, as systemd-analyze lists them. A call
# outside would fail with EPERM under systemd. Needs strace (bootstrap.sh).
. "$(dirname "$0")/e2e_lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
unit="$top/system/deploy/systemd/bdc-kiosk.service"
for tool in strace systemd-analyze; do
    command -v "$tool" >/dev/null || { echo "syscalls.sh: $tool is missing (bootstrap.sh)" >&2; exit 1; }
done

# The unit's filter: the allow-list line's groups, minus the deny line's.
names() { # names GROUP|CALL...: the system calls, nested groups expanded
    for g in "$@"; do
        case $g in @*) ;; *) echo "$g"; continue ;; esac
        systemd-analyze syscall-filter "$g" | awk 'NR > 1 && $1 !~ /^#/ && NF == 1 { print $1 }' |
            while read -r n; do
                case $n in @*) names "$n" ;; *) echo "$n" ;; esac
            done
    done | sort -u
}
# The unit's lines in order, as systemd reads them: the first (an allow
# list) sets what is allowed, each ~ line takes calls out, each later
# plain line puts calls back.
grep '^SystemCallFilter=' "$unit" | sed 's/^SystemCallFilter=//' >"$tmp/filter"
[ "$(wc -l <"$tmp/filter")" -ge 2 ] || { echo "syscalls.sh: no SystemCallFilter lines in $unit" >&2; exit 1; }
: >"$tmp/allowed"
while read -r line; do
    case $line in
    ~*) # shellcheck disable=SC2086
        names ${line#\~} >"$tmp/set"
        comm -23 "$tmp/allowed" "$tmp/set" >"$tmp/next" ;;
    *) # shellcheck disable=SC2086
        names $line >"$tmp/set"
        sort -u "$tmp/allowed" "$tmp/set" >"$tmp/next" ;;
    esac
    mv "$tmp/next" "$tmp/allowed"
done <"$tmp/filter"
[ "$(wc -l <"$tmp/allowed")" -gt 100 ] || { echo "syscalls.sh: systemd-analyze listed too few calls" >&2; exit 1; }

# The kiosk under strace, with the registry already running (no child).
(cd "$tmp/run" && exec strace -f -qq -o "$tmp/strace" "$kiosk" --demo --headless --registry "$url" \
    --config "$tmp/kiosk.ini" --control "$tmp/ctl" 2>>"$tmp/kiosk.log") &
kpid=$!
out=$(ctl wait home 30000)
case $out in *'"ok":true'*) ok ;; *) bad "kiosk did not reach home: $out"; exit 1 ;; esac
to_records
step tap 打印查询证明
step wait cert_purpose 2000
step tap 办理贷款
step tap 下一步
step wait cert_preview 20000
step tap-containing 打印证明
step wait printing 5000
for _ in $(seq 100); do ctl state | grep -q '"busy":false' && break; sleep 0.1; done
step tap 我已取走，继续
step wait rating 5000
step tap 非常满意
step tap 提交评价
step wait goodbye 5000
remove_card
ctl quit >/dev/null
for _ in $(seq 100); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
kpid=""

# Each line: PID NAME(ARGS...) = ...; resumed and signal lines aside.
sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' "$tmp/strace" | sort -u >"$tmp/used"
[ "$(wc -l <"$tmp/used")" -gt 30 ] || { bad "strace saw too few calls"; head "$tmp/strace" >&2; }
# As root, SQLite gives a new journal file its database's owner (fchown);
# as the unit's user it never does.
[ "$(id -u)" -eq 0 ] && echo fchown >>"$tmp/allowed" && sort -u -o "$tmp/allowed" "$tmp/allowed"
comm -23 "$tmp/used" "$tmp/allowed" >"$tmp/outside"
if [ -s "$tmp/outside" ]; then
    bad "calls outside bdc-kiosk.service's filter: $(tr '\n' ' ' <"$tmp/outside")"
    for c in $(cat "$tmp/outside"); do grep -m2 "^[0-9]* *$c(" "$tmp/strace" >&2; done
else
    ok
fi
echo "syscalls.sh: $(wc -l <"$tmp/used") calls used, all allowed; $pass passed, $fail failed"
[ "$fail" -eq 0 ]
