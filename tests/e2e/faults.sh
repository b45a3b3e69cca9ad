#!/bin/sh
# End to end: the kiosk's fault matrix (tests/README.md), the faults no
# other script injects. The real kiosk (headless, simulated devices)
# driven through its control socket (see e2e_lib.sh).
#
#   faults.sh BUILD_DIR
#
# 1. the registry misbehaving (fault_registry.py between the kiosk and
#    bdc-registry): slow past the kiosk's timeout, 200 with HTML, JSON cut
#    in half, an answer that ends early, JSON of the wrong shape, 500: a
#    citizen starting a query gets the error screen in plain words and
#    goes home; the registry back, the next visit shows the records; a
#    rating given in each fault reaches the registry exactly once;
# 2. the camera unplugged mid-capture (`face unplug`): the counter route,
#    told the face check is unavailable, the visit ended cleanly; still
#    unplugged at the next capture, the same; plugged back (`face
#    replug`), the next visit captures;
# 3. the disk full for the kiosk's files (RLIMIT_FSIZE lowered on the
#    running kiosk with prlimit, SIGXFSZ ignored by the kiosk): a rating
#    held in memory, a slip that cannot be journaled told with its queue
#    number, a certificate told it did not print, the kiosk still running;
#    the space back, the rating, the certificate tried again and the next
#    slip go out once;
# 4. TLS: the kiosk given a CA that did not sign the registry's
#    certificate: the error screen at 查询不动产, a rating kept over a
#    restart; the right CA, the next visit works and the rating arrives
#    once.
set -u
E2E_REGISTRY_FILE=1
. "$(dirname "$0")/e2e_lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
db="$tmp/registry.sqlite"
for tool in python3 sqlite3 openssl prlimit; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "faults: $tool is missing: run system/deploy/bootstrap.sh" >&2; exit 1; }
done
fpid=""
trap '[ -n "$fpid" ] && kill "$fpid" 2>/dev/null; cleanup' EXIT INT TERM

ratings() { sqlite3 -cmd '.timeout 5000' "$db" "SELECT count(*) FROM ratings"; }
# logged TEXT: how many lines of the kiosk's log hold TEXT.
logged() { grep -c -- "$1" "$tmp/kiosk.log"; }
delivered() { logged 'outbox: rating [0-9]* delivered'; }
# logged_beyond TEXT N: waits (30 s at most: a TLS handshake under ASan on
# a loaded machine) for more than N such lines.
logged_beyond() {
    for _ in $(seq 300); do
        [ "$(logged "$1")" -gt "$2" ] && return
        sleep 0.1
    done
}
says() { ctl state | grep -qF -- "$1"; }
# fault MODE: what the registry in front does from now on.
fault() { echo "$1" >"$tmp/mode"; }

# ---- 1. the registry misbehaving ------------------------------------------
real_url=$url
fault pass
python3 "$here/fault_registry.py" "$real_url" "$tmp/mode" 5 >"$tmp/fault.out" 2>"$tmp/fault.log" &
fpid=$!
for _ in $(seq 100); do grep -q listening "$tmp/fault.out" 2>/dev/null && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' "$tmp/fault.out" | head -1)
[ -n "$url" ] || { echo "faults: fault_registry.py did not start" >&2; exit 1; }
start_kiosk

# A query started while the registry misbehaves: the error screen with
# WORDS, home again with the card taken.
query_fails() { # query_fails MODE WORDS
    fault "$1"
    step tap 查询不动产
    step wait insert_card 3000
    step card "$id0"
    step wait face_consent 5000
    step face live
    step tap 同意并开始
    out=$(ctl wait error 40000)
    case $out in *'"ok":true'*) ok ;; *) bad "$1: no error screen: $(echo "$out" | head -c 300)" ;; esac
    check "$1: the citizen reads '$2'" says "$2" || ctl state | head -c 800 >&2
    step tap 返回首页 # with a card read, the kiosk asks first
    step tap 结束，返回首页
    step wait goodbye 3000
    remove_card
    step wait home 5000
    check "$1: the visit is wiped" state_has '"session":false'
}
# A rating from the home screen's tile (no card needed).
rate() {
    step tap 服务评价
    step wait rating 3000
    step tap 非常满意
    step tap 提交评价
    step wait home 3000
}

# In each fault a query, then a rating from the home screen: its first
# attempt meets the fault (slow, truncated and cut reach the registry,
# which keeps it; the others do not).
before=$(ratings)
query_fails slow 暂时无法连接不动产登记系统
rate
query_fails garbage 登记系统的答复不完整
rate
query_fails truncated 登记系统的答复不完整
rate
query_fails cut 暂时无法连接不动产登记系统
rate
query_fails shape 登记系统的答复不完整
rate
query_fails 500 暂时无法连接不动产登记系统
rate
sleep 1 # the last rating's first attempt
fault pass
to_records
check "the registry back, the next visit shows the records" screen_is records
remove_card
step wait home 5000
# A rating's first attempt met the fault; the next comes after its backoff
# (10 s, then 30 s), or at once when the registry comes back after being
# out of reach: down for two health polls, then back.
n=$(logged 'registry unreachable')
fault down
logged_beyond 'registry unreachable' "$n"
n=$(logged 'registry reachable')
fault pass
logged_beyond 'registry reachable' "$n"
want=$((before + 6))
# The slow, truncated and cut ones reached the registry at once: wait for
# the kiosk's own count.
for _ in $(seq 150); do [ "$(delivered)" -ge 6 ] && break; sleep 0.2; done
sleep 1 # a second delivery of the same rating would land now
check "the six ratings given in faults reached the registry, once each ($(ratings) of $want)" \
    test "$(ratings)" -eq "$want"
check "the kiosk counts each delivered once" \
    test "$(delivered)" -eq 6
check "none was dropped" sh -c "! grep -q 'outbox: rating.*\\(dropped\\|lost\\)' '$tmp/kiosk.log'"

# ---- 2. the camera unplugged --------------------------------------------------
# Nobody in front yet, so the capture is still looking when the cable goes.
step tap 查询不动产
step wait insert_card 3000
step card "$id0"
step wait face_consent 5000
step face absent
step tap 同意并开始
step wait face_capture 3000
step face unplug
out=$(ctl wait counter 5000)
case $out in *'"ok":true'*) ok ;; *) bad "camera unplugged: not on the counter route: $(echo "$out" | head -c 300)" ;; esac
check "the citizen is told the face check cannot be used" says 人脸核验暂时不能使用 ||
    ctl state | head -c 800 >&2
check "the counter's queue number is offered" says 取号，到窗口办理
step tap 返回首页
step wait goodbye 3000
remove_card
step wait home 5000
check "the visit is wiped" state_has '"session":false'
# Still unplugged when the next citizen starts: the same, at once.
step tap 查询不动产
step card "$id0"
step wait face_consent 5000
step tap 同意并开始
step wait counter 5000
check "a camera that is gone before the capture: the same words" says 人脸核验暂时不能使用
step tap 返回首页
remove_card
step wait home 5000
step face replug
step face live
to_records
check "the camera back, the next visit captures" screen_is records
remove_card
step wait home 5000
check "the camera's loss is logged for staff" grep -q 'camera sim lost mid-capture' "$tmp/kiosk.log"
check "and its absence at the next capture" grep -q 'camera sim did not start' "$tmp/kiosk.log"
step quit
wait "$kpid" 2>/dev/null
kpid=""

# ---- 3. the disk full for the kiosk's files -----------------------------------
# The kiosk's log goes through a pipe (a pipe has no file size limit) so it
# can be read while its files cannot grow.
mkfifo "$tmp/logpipe"
cat "$tmp/logpipe" >>"$tmp/kiosk.log" &
catpid=$!
(cd "$tmp/run" && exec "$kiosk" --demo --headless --registry "$url" --config "$tmp/kiosk.ini" \
    --control "$tmp/ctl" 2>"$tmp/logpipe") &
kpid=$!
step wait home 10000
slips() { ls "$tmp/run/out/slips"/*.png 2>/dev/null | wc -l; }
# every file the kiosk writes from now on stops at 512 bytes (EFBIG)
check "the kiosk's file size limit lowered" prlimit --pid "$kpid" --fsize=512:
d0=$(delivered)
s0=$(slips)
r0=$(ratings)
rate
# alive WHAT: the kiosk still runs after WHAT; if not, the rest cannot run.
alive() {
    kill -0 "$kpid" 2>/dev/null && { ok; return; }
    wait "$kpid" 2>/dev/null
    bad "the kiosk ended (status $?) after $1"
    kpid=""
    echo "faults: $pass passed, $fail failed"
    exit 1
}
alive "a rating on a full disk"
check "and answers" screen_is home
counter_ticket
for _ in $(seq 100); do says 凭条未能打印 && break; sleep 0.1; done
check "a slip that cannot be journaled is told, with the number to say at the desk" \
    says 凭条未能打印，请到咨询台说明您的排队号
number=$(ctl state | grep -o '"id":"number","label":"[^"]*"' | sed 's/.*"label":"//; s/"$//')
case $number in [A-Z][0-9][0-9]*) ok ;; *) bad "no queue number on screen ($number)" ;; esac
check "no slip came out" test "$(slips)" -eq "$s0"
step tap 办理完成，返回首页
step wait goodbye 3000
remove_card
step wait home 3000
alive "a slip on a full disk"
# the space back
# A certificate: issued by the registry, but its job cannot be journaled.
pdfs() { find "$tmp/run/out" -name '*.pdf' | wc -l; }
p0=$(pdfs)
to_records
print_cert
step wait error 10000
check "a certificate that cannot be journaled: the citizen reads that it did not print" \
    says 打印机暂时不能打印
check "and may try again" says 再试一次
check "nothing printed" test "$(pdfs)" -eq "$p0"
alive "a certificate on a full disk"
# the space back
check "the kiosk's file size limit restored" prlimit --pid "$kpid" --fsize=unlimited:
step tap 再试一次
step wait cert_preview 5000
step tap-containing 打印证明
step wait printing 3000
for _ in $(seq 100); do ctl state | grep -q '"busy":false' && break; sleep 0.1; done
check "the space back, the certificate prints once" test "$(pdfs)" -eq $((p0 + 1))
step tap 我已取走，继续
step wait rating 2000
step tap 跳过
step wait goodbye 3000
remove_card
step wait home 3000
rate
counter_ticket
for _ in $(seq 100); do says 请取走排队凭条 && break; sleep 0.1; done
check "the space back, the slip comes out" says 请取走排队凭条
check "one slip" test "$(slips)" -eq $((s0 + 1))
step tap 办理完成，返回首页
step wait goodbye 3000
remove_card
step wait home 3000
for _ in $(seq 100); do [ "$(delivered)" -ge $((d0 + 2)) ] && break; sleep 0.2; done
sleep 1 # a second delivery would land now
check "the rating given on the full disk was held, not lost" grep -q 'rating not on disk.*held in memory' "$tmp/kiosk.log"
check "both ratings reached the registry, once each ($(ratings) of $((r0 + 2)))" \
    test "$(ratings)" -eq $((r0 + 2))
check "delivered once each" test "$(delivered)" -eq $((d0 + 2))
check "no rating lost" sh -c "! grep -q 'rating lost' '$tmp/kiosk.log'"
step quit
wait "$kpid" 2>/dev/null
kpid=""
wait "$catpid" 2>/dev/null

# ---- 4. TLS: the kiosk given a CA that did not sign the registry --------------
kill "$fpid" "$rpid" 2>/dev/null
wait "$fpid" "$rpid" 2>/dev/null
fpid=""
certs="$tmp/certs"
sh "$src/system/deploy/make-certs.sh" "$certs" JZ-FAULTS >/dev/null 2>&1 &&
    sh "$src/system/deploy/make-certs.sh" "$certs/other" JZ-FAULTS >/dev/null 2>&1 ||
    { echo "faults: make-certs.sh failed" >&2; exit 1; }
start_registry --tls-cert "$certs/registry.pem" --tls-key "$certs/registry.key" \
    --tls-client-ca "$certs/ca.pem"
case $url in https://*) ok ;; *) bad "the registry's URL is $url, not https"; exit 1 ;; esac
cp "$tmp/kiosk.ini" "$tmp/kiosk-plain.ini"
tls_ini() { # tls_ini CA_DIR: the kiosk's ini trusting CA_DIR's CA
    cp "$tmp/kiosk-plain.ini" "$tmp/kiosk.ini"
    printf '[registry]\nca_file = %s/ca.pem\nclient_cert = %s/JZ-FAULTS.pem\nclient_key = %s/JZ-FAULTS.key\n' \
        "$1" "$certs" "$certs" >>"$tmp/kiosk.ini"
}
tls_ini "$certs/other"
r0=$(ratings)
d0=$(delivered)
n=$(logged 'registry unreachable')
start_kiosk
logged_beyond 'registry unreachable' "$n"
check "the refused certificate is logged for staff" grep -q 'registry unreachable: SSL peer certificate' "$tmp/kiosk.log"
step tap 查询不动产
step wait error 5000
check "TLS refused: the citizen reads that the registry cannot be reached" says 登记系统暂时连接不上 ||
    ctl state | head -c 800 >&2
check "TLS refused: what still works is named" says 办事指南和服务评
step tap 返回首页
step wait home 3000
rate
check "a rating while TLS fails is kept" sh -c "grep 'outbox: rating [0-9]* kept' '$tmp/kiosk.log' | tail -1 | grep -q 'kept'"
step quit
wait "$kpid" 2>/dev/null
kpid=""
check "not delivered while TLS fails" test "$(ratings)" -eq "$r0"
tls_ini "$certs" # the CA that signed the registry
start_kiosk
to_records
check "the right CA: the next visit shows the records" screen_is records
remove_card
step wait home 5000
for _ in $(seq 100); do [ "$(delivered)" -gt "$d0" ] && break; sleep 0.1; done
sleep 1
check "the rating kept over the restart arrived once ($(ratings) of $((r0 + 1)))" \
    test "$(ratings)" -eq $((r0 + 1))
check "delivered once" test "$(delivered)" -eq $((d0 + 1))
step quit
wait "$kpid" 2>/dev/null
kpid=""
check "no sanitizer report or failed assertion in the kiosk's log" \
    sh -c "! grep -q 'Sanitizer\|runtime error\|Assertion' '$tmp/kiosk.log'"

echo "faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
