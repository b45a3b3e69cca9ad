#!/bin/sh
# End to end: mutual TLS between the kiosk and bdc-registry (see
# e2e_lib.sh).
#
#   tls.sh BUILD_DIR
#
# 1. system/deploy/make-certs.sh makes a CA, the registry's certificate,
#    a kiosk's, an expired kiosk's, and a kiosk's from another CA;
# 2. the registry refuses half a TLS setting and a file that is not PEM;
#    it serves TLS on loopback (--tls-*): a client with the
#    kiosk's certificate is that kiosk (a face check is recorded under the
#    CN, vouched by the certificate); X-Kiosk-Id does not override the CN;
#    no certificate, the other CA's, the expired one and the registry's
#    own server certificate get 401; plain HTTP to the TLS port gets no
#    HTTP answer;
# 3. the kiosk with the certificate in its ini: a citizen's card and face
#    open a visit over TLS, recorded under the certificate's CN, not the
#    ini's [kiosk] id.
set -u
E2E_REGISTRY_FILE=1
. "$(dirname "$0")/e2e_lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
certs="$tmp/certs"
db="$tmp/registry.sqlite"
for tool in openssl sqlite3 jq curl; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "tls: $tool is missing: run system/deploy/bootstrap.sh" >&2; exit 1; }
done

# ---- 1. certificates -------------------------------------------------------
check "make-certs makes the CA, the registry's and a kiosk's" \
    sh "$src/system/deploy/make-certs.sh" "$certs" JZ-TLS-01
check "an expired kiosk certificate" sh "$src/system/deploy/make-certs.sh" --days -1 "$certs" JZ-OLD
check "a kiosk certificate from another CA" \
    sh "$src/system/deploy/make-certs.sh" "$certs/other" JZ-TLS-01
check "a bad kiosk id is refused" sh -c "! sh '$src/system/deploy/make-certs.sh' '$certs' 'a b'"
for f in ca.pem registry.pem registry.key JZ-TLS-01.pem JZ-TLS-01.key JZ-OLD.pem; do
    [ -s "$certs/$f" ] || { echo "tls: make-certs.sh made no $f" >&2; exit 1; }
done
check "the kiosk's CN is its id" sh -c \
    "openssl x509 -in '$certs/JZ-TLS-01.pem' -noout -subject | grep -q 'CN = JZ-TLS-01'"

# ---- 2. the registry over TLS ------------------------------------------------
check "a certificate without its key and CA does not start" sh -c \
    "! '$registry' --listen 127.0.0.1:0 --db :memory: --tls-cert '$certs/registry.pem' 2>'$tmp/half.log'"
check "saying all three belong together" grep -q 'together' "$tmp/half.log"
check "a key that is not PEM does not start" sh -c "! '$registry' --listen 127.0.0.1:0 \
    --db :memory: --tls-cert '$certs/registry.pem' --tls-key '$tmp/demo.txt' \
    --tls-client-ca '$certs/ca.pem' 2>'$tmp/half.log'"
check "saying which file" grep -q 'key .*demo.txt: not PEM' "$tmp/half.log"
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
start_registry --tls-cert "$certs/registry.pem" --tls-key "$certs/registry.key" \
    --tls-client-ca "$certs/ca.pem"
case $url in https://127.0.0.1:*) ok ;; *) bad "the registry's URL is $url, not https"; exit 1 ;; esac
port=${url##*:}

# a session body for demo citizen 0 with a live face
session_body() {
    valid_to=$(awk -v i=0 -F'[()]' '$1 ~ "^" i " " { print $(NF - 1) }' "$tmp/demo.txt")
    jq -cn --arg id "$id0" --arg name "$name0" --arg g "$(demo_field 0 4)" \
        --arg born "$(demo_field 0 5)" --arg to "$valid_to" \
        '{card: {type: "resident", id_number: $id, name: $name, gender: $g, ethnicity: "汉",
                 birth_date: $born, address: "河南省焦作市", issuer: "焦作市公安局",
                 valid_from: "2015-01-01", valid_to: $to},
          face: {consent: true, image_jpeg: "/9j/4AAQSkZJRg==",
                 liveness: {passed: true, challenge: "blink"}}}'
}
session_body >"$tmp/session.json"
kiosk_cert="--cert $certs/JZ-TLS-01.pem --key $certs/JZ-TLS-01.key"
open_session() { # open_session [CURL OPTION...]: POST /v1/sessions
    curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 --cacert "$certs/ca.pem" "$@" \
        -H "Idempotency-Key: k$(date +%s%N)" -H 'Content-Type: application/json' \
        --data-binary @"$tmp/session.json" "$url/v1/sessions"
}
face_checks() { sqlite3 "$db" "SELECT kiosk || ' ' || vouched_by || ' ' || outcome FROM face_checks ORDER BY id"; }

check "health needs no certificate (the registry's is verified by the CA)" \
    test "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$certs/ca.pem" "$url/v1/health")" = 200
# shellcheck disable=SC2086
check "the kiosk's certificate opens a visit" test "$(open_session $kiosk_cert)" = 201
check "the face check is recorded under the certificate's CN" \
    test "$(face_checks)" = "JZ-TLS-01 certificate match"
# shellcheck disable=SC2086
check "X-Kiosk-Id over TLS does not override the CN" \
    test "$(open_session $kiosk_cert -H 'X-Kiosk-Id: JZ-FORGED')" = 201
check "the second face check is the CN's too" \
    test "$(face_checks | tail -1)" = "JZ-TLS-01 certificate match"
check "no face check under the header's id" test -z "$(sqlite3 "$db" \
    "SELECT 1 FROM face_checks WHERE kiosk = 'JZ-FORGED'")"
check "nor a visit" test -z "$(sqlite3 "$db" "SELECT 1 FROM sessions WHERE kiosk = 'JZ-FORGED'")"
# shellcheck disable=SC2086
check "the kiosk's certificate reads the notice" \
    test "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$certs/ca.pem" $kiosk_cert "$url/v1/notice")" = 200

refused() { # refused DESCRIPTION [CURL OPTION...]: 401 for a visit and the notice
    d=$1
    shift
    c1=$(open_session -H 'X-Kiosk-Id: JZ-TLS-01' "$@")
    c2=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cacert "$certs/ca.pem" \
        -H 'X-Kiosk-Id: JZ-TLS-01' "$@" "$url/v1/notice")
    check "$d: refused ($c1, $c2)" test "$c1$c2" = 401401
}
refused "no certificate, X-Kiosk-Id from loopback"
refused "a certificate from another CA" \
    --cert "$certs/other/JZ-TLS-01.pem" --key "$certs/other/JZ-TLS-01.key"
refused "an expired certificate" --cert "$certs/JZ-OLD.pem" --key "$certs/JZ-OLD.key"
refused "the registry's server certificate" --cert "$certs/registry.pem" --key "$certs/registry.key"
check "the refusal says why" grep -q 'expired' "$tmp/registry.log"
check "no face check for the refused" test "$(face_checks | wc -l)" -eq 2
plain=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    -H 'X-Kiosk-Id: JZ-TLS-01' "http://127.0.0.1:$port/v1/notice")
check "plain HTTP to the TLS port gets no answer ($plain)" test "$plain" = 000

# ---- 3. the kiosk over TLS ---------------------------------------------------
printf '[kiosk]\nid = JZ-INI\n[registry]\nca_file = %s\nclient_cert = %s\nclient_key = %s\n' \
    "$certs/ca.pem" "$certs/JZ-TLS-01.pem" "$certs/JZ-TLS-01.key" >>"$tmp/kiosk.ini"
start_kiosk
to_records
check "the kiosk shows the records over TLS" screen_is records
check "its visit is recorded under the certificate's CN" \
    test "$(face_checks | tail -1)" = "JZ-TLS-01 certificate match"
check "three face checks, all the CN's" test "$(face_checks | grep -c '^JZ-TLS-01 ')" -eq 3
check "none under the ini's id" test -z "$(sqlite3 "$db" "SELECT 1 FROM face_checks WHERE kiosk = 'JZ-INI'")"
step quit
wait "$kpid" 2>/dev/null
kpid=""

# a kiosk whose client key is missing stops at start-up, naming the setting
printf '[registry]\nclient_key = %s/none.key\n' "$certs" >>"$tmp/kiosk.ini"
(cd "$tmp/run" && "$kiosk" --demo --headless --registry "$url" --config "$tmp/kiosk.ini" \
    --control "$tmp/ctl2" 2>"$tmp/kiosk2.log") &
kpid=$!
for _ in $(seq 100); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
check "an unreadable client_key stops the kiosk" sh -c "! kill -0 $kpid 2>/dev/null"
wait "$kpid" 2>/dev/null
kpid=""
check "naming the setting" grep -q 'client_key' "$tmp/kiosk2.log"

echo "tls: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
