#!/bin/sh
# A soak: many scripted visits on one or more kiosks (headless, simulated
# devices) against one registry, as a hall's day runs them. Each kiosk
# cycles through four visits: a query of the records, a queue number from
# the counter route with its slip, a certificate printed and rated, and
# the service guide without a card; the citizens change from visit to
# visit. Passes when every step answered, no log holds an error line, each
# kiosk's open files and threads are the same at the end as after its
# first round of visits, and no file the kiosks or the registry wrote holds
# a citizen's name or ID number. Prints its figures (visits a second, files,
# threads, memory) on lines that start with "soak:".
#
#   soak.sh BUILD_DIR [VISITS_PER_KIOSK] [KIOSKS]
#
# make test runs a short one; make bench runs 10,000 visits (4 x 2,500).
. "$(dirname "$0")/e2e_lib.sh"
per_kiosk=${2:-16}
kiosks=${3:-1}

# The citizens the visits play: those whose face matches and whose card is
# valid (index, name, ID number).
citizens="0 1 2 3 4 8 9 10"
n_citizens=$(echo $citizens | wc -w)

# ---- the kiosks ---------------------------------------------------------
kpids=""
for k in $(seq "$kiosks"); do
    d="$tmp/k$k"
    mkdir -p "$d/run"
    printf '[kiosk]\naudit_key = soak-%s\nterminal = %02d\n[print]\noutput_dir = %s/run/out\n[registry]\nretries = 0\ntimeout_ms = 5000\n[face]\nchallenge_ms = 30000\n' \
        "$k" "$k" "$d" >"$d/kiosk.ini"
    (cd "$d/run" && exec "$kiosk" --demo --headless --registry "$url" --config "$d/kiosk.ini" \
        --control "$tmp/ctl$k" 2>>"$d/kiosk.log") &
    echo $! >"$d/pid"
    kpids="$kpids $!"
    "$ctlbin" "$tmp/ctl$k" wait home 10000 >/dev/null || { bad "kiosk $k did not start"; exit 1; }
done
kpid="" # e2e_lib's cleanup: these are stopped below

# figures K: "fds threads rss_kb" of kiosk K, as the kiosk itself reads them.
figures() {
    "$ctlbin" "$tmp/ctl$1" process |
        sed 's/.*"fds":\([0-9]*\).*"threads":\([0-9]*\).*"rss_kb":\([0-9]*\).*/\1 \2 \3/'
}

# visit_steps KIND ID: the control lines of one visit from home to home.
visit_steps() {
    case $1 in
    0) printf '%s\n' "tap 查询不动产" "wait insert_card 3000" "card $2" "wait face_consent 5000" \
        "face live" "tap 同意并开始" "wait records 40000" "tap 返回首页" "tap 结束，返回首页" "wait goodbye 3000" \
        "card-remove" "wait home 5000" ;;
    1) printf '%s\n' "tap 查询不动产" "wait insert_card 3000" "card $2" "wait face_consent 5000" \
        "tap 不刷脸，到窗口办理" "wait counter 2000" "tap 取号，到窗口办理" "wait ticket 5000" ;;
    2) printf '%s\n' "tap 查询不动产" "wait insert_card 3000" "card $2" "wait face_consent 5000" \
        "face live" "tap 同意并开始" "wait records 40000" "tap 打印查询证明" \
        "wait cert_purpose 2000" "tap 办理贷款" "tap 下一步" "wait cert_preview 10000" \
        "tap-containing 打印证明" "wait printing 3000" ;;
    3) printf '%s\n' "tap 办事指南" "wait services 3000" "tap 返回首页" "wait home 3000" ;;
    esac
}

# until_label CTL TEXT [TENTHS]: waits until the screen shows TEXT.
until_label() {
    for _ in $(seq "${3:-100}"); do
        "$ctlbin" "$1" state | grep -qF -- "$2" && return 0
        sleep 0.1
    done
    return 1
}

# run_kiosk K: the visits of kiosk K; a failed one is written to its
# errors file with what the kiosk answered, and the kiosk is brought home.
run_kiosk() {
    k=$1
    d="$tmp/k$k"
    c="$tmp/ctl$k"
    : >"$d/errors"
    for v in $(seq "$per_kiosk"); do
        i=$(((v + k) % n_citizens + 1))
        ix=$(echo $citizens | cut -d' ' -f$i)
        id=$(demo_field "$ix" 3)
        kind=$(((v - 1) % 4))
        [ "$kind" -eq 2 ] && [ $((v % 12)) -ne 3 ] && kind=0 # a certificate in every 12 visits
        [ "$kind" -eq 2 ] && [ "$ix" -eq 4 ] && id=$(demo_field 0 3) # 4 owns nothing to certify
        tv=$(date +%s%N)
        out=$(visit_steps "$kind" "$id" | "$ctlbin" "$c" -)
        okay=$?
        if [ $okay -eq 0 ] && [ "$kind" -eq 1 ]; then # the slip, then the goodbye
            until_label "$c" 请取走排队凭条 && printf '%s\n' "tap 办理完成，返回首页" \
                "wait goodbye 3000" "card-remove" "wait home 5000" | "$ctlbin" "$c" - >/dev/null
            okay=$?
        elif [ $okay -eq 0 ] && [ "$kind" -eq 2 ]; then # printed, taken, rated
            until_label "$c" '"busy":false' 200 && printf '%s\n' "tap 我已取走，继续" \
                "wait rating 3000" "tap 非常满意" "tap 提交评价" "wait goodbye 3000" \
                "card-remove" "wait home 5000" | "$ctlbin" "$c" - >/dev/null
            okay=$?
        fi
        if [ $okay -ne 0 ]; then
            echo "visit $v (kind $kind): $(echo "$out" | grep -v '"ok":true' | head -2 | cut -c1-300)" >>"$d/errors"
            printf '%s\n' "card-remove" "tap 返回首页" "tap 结束，返回首页" "wait home 20000" |
                "$ctlbin" "$c" - >/dev/null 2>&1
        fi
        echo "$kind $((($(date +%s%N) - tv) / 1000000))" >>"$d/times"
        # The figures once the first round has made every cache and
        # connection it keeps.
        [ "$v" -eq 8 ] && figures "$k" >"$d/first"
    done
    figures "$k" >"$d/last"
}

t0=$(date +%s%N)
drivers=""
for k in $(seq "$kiosks"); do
    run_kiosk "$k" &
    drivers="$drivers $!"
done
for p in $drivers; do wait "$p"; done
ms=$((($(date +%s%N) - t0) / 1000000))
total=$((per_kiosk * kiosks))

# ---- the figures --------------------------------------------------------
errors=0
for k in $(seq "$kiosks"); do
    d="$tmp/k$k"
    e=$(grep -c '^visit' "$d/errors")
    errors=$((errors + e))
    [ "$e" -eq 0 ] || { echo "kiosk $k:" >&2; head -5 "$d/errors" >&2; }
    read -r f0 t0_ r0 <"$d/first"
    read -r f1 t1 r1 <"$d/last"
    echo "soak: kiosk $k: fds $f0 -> $f1, threads $t0_ -> $t1, rss $r0 -> $r1 kB"
    [ -n "$f0" ] && [ "$f1" -le "$f0" ] && ok || bad "kiosk $k: open files $f0 after the first round, $f1 at the end"
    [ -n "$t0_" ] && [ "$t1" -le "$t0_" ] && ok || bad "kiosk $k: threads $t0_ after the first round, $t1 at the end"
    for kind in 0 1 2 3; do
        awk -v k="$kind" -v name="$(echo "query counter-number certificate guide" | cut -d' ' -f$((kind + 1)))" \
            '$1 == k { n++; s += $2 } END { if (n) printf "soak: kiosk '"$k"': %s visit %.0f ms (%d)\n", name, s / n, n }' "$d/times"
    done
done
echo "soak: $total visits on $kiosks kiosk(s) in $((ms / 1000)).$((ms % 1000 / 100)) s," \
    "$(awk -v n="$total" -v ms="$ms" 'BEGIN{printf "%.2f", n * 1000 / ms}') visits/s, $errors failed"
[ "$errors" -eq 0 ] && ok || bad "$errors visits failed"

# Every log line at error level (<3>) is a failure of the soak.
for k in $(seq "$kiosks"); do
    check "kiosk $k logged no error" sh -c "! grep -q '^<3>' '$tmp/k$k/kiosk.log'" ||
        grep '^<3>' "$tmp/k$k/kiosk.log" | sort | uniq -c | sort -rn | head -5 >&2
    "$ctlbin" "$tmp/ctl$k" quit >/dev/null 2>&1
done
for p in $kpids; do wait "$p" 2>/dev/null; done
check "the registry logged no error" sh -c "! grep -qi 'error' '$tmp/registry.log'"

# ---- privacy: every file written, every citizen played ------------------
written="$tmp/registry.log $tmp/registry.out"
for k in $(seq "$kiosks"); do written="$written $tmp/k$k"; done
for ix in $citizens; do
    for secret in "$(demo_field "$ix" 2)" "$(demo_field "$ix" 3)"; do
        check "the check can see '$secret' where it is" grep -qF -- "$secret" "$tmp/demo.txt"
        check "no file written holds '$secret'" absent "$secret" $written
    done
done

echo "soak: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
