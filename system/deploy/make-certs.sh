#!/bin/sh
# make-certs.sh - a test CA, bdc-registry's server certificate and one
# client certificate per kiosk (its CN is the kiosk id), with openssl.
# For a hall's trial and for the tests; a production hall has its own CA.
#
#   system/deploy/make-certs.sh [--host NAME_OR_IP]... [--days N] DIR [KIOSK_ID...]
#
# In DIR (created if missing; what is there already is kept, so kiosks
# can be added later under the same CA):
#   ca.pem, ca.key               the CA: the registry's --tls-client-ca,
#                                the kiosk's [registry] ca_file
#   registry.pem, registry.key   the registry's --tls-cert / --tls-key, for
#                                localhost, 127.0.0.1 and each --host
#   KIOSK_ID.pem, KIOSK_ID.key   a kiosk's [registry] client_cert / client_key
# Keys are EC P-256, unencrypted, mode 600. --days (default 365) is the
# validity of the certificates made now; a negative number makes one that
# has already expired (for tests). The CA lives 10 years.
set -eu

usage() {
    echo "usage: $0 [--host NAME_OR_IP]... [--days N] DIR [KIOSK_ID...]" >&2
    exit 2
}
hosts=""
days=365
while [ $# -gt 0 ]; do
    case $1 in
    --host) [ $# -ge 2 ] || usage; hosts="$hosts $2"; shift 2 ;;
    --days) [ $# -ge 2 ] || usage; days=$2; shift 2 ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || usage
case $days in '' | *[!0-9-]* | ?*-*) echo "$0: --days takes a whole number" >&2; exit 2 ;; esac
command -v openssl >/dev/null 2>&1 || {
    echo "$0: openssl is missing: run system/deploy/bootstrap.sh (package openssl)" >&2
    exit 1
}
dir=$1
shift
for k in "$@"; do
    case $k in
    *[!A-Za-z0-9_-]* | '') echo "$0: kiosk id '$k' is not 1..64 of [A-Za-z0-9_-]" >&2; exit 2 ;;
    esac
    [ ${#k} -le 64 ] || { echo "$0: kiosk id '$k' is longer than 64" >&2; exit 2; }
    [ "$k" != ca ] && [ "$k" != registry ] || { echo "$0: '$k' is taken by the CA or registry" >&2; exit 2; }
done

umask 077
mkdir -p "$dir"
ext="$dir/.ext.$$"
trap 'rm -f "$ext" "$dir/.csr.$$"' EXIT

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# sign NAME CN: NAME.pem from a new NAME.key, signed by the CA, with $ext.
sign() {
    newkey "$dir/$1.key"
    openssl req -new -key "$dir/$1.key" -subj "/O=bdc-kiosk/CN=$2" -out "$dir/.csr.$$"
    openssl x509 -req -in "$dir/.csr.$$" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -CAcreateserial -CAserial "$dir/ca.srl" -days "$days" -extfile "$ext" \
        -out "$dir/$1.pem" 2>/dev/null
    chmod 644 "$dir/$1.pem"
}

if [ ! -s "$dir/ca.pem" ]; then
    newkey "$dir/ca.key"
    openssl req -x509 -new -key "$dir/ca.key" -subj "/O=bdc-kiosk/CN=bdc-kiosk test CA" \
        -days 3650 -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.pem"
    chmod 644 "$dir/ca.pem"
fi

if [ ! -s "$dir/registry.pem" ]; then
    san="DNS:localhost,IP:127.0.0.1"
    for h in $hosts; do
        case $h in
        *[!0-9.]*) san="$san,DNS:$h" ;;
        *) san="$san,IP:$h" ;;
        esac
    done
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
        "$san" >"$ext"
    sign registry bdc-registry
fi

printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >"$ext"
for k in "$@"; do
    sign "$k" "$k"
done
