/* registry_tls.c - mutual TLS for bdc-registry: the certificate, key and
 * kiosk CA read at start, handed to libmicrohttpd (GnuTLS), and the kiosk
 * id taken from a verified client certificate's CN on each call.
 *
 * DESIGN: libmicrohttpd asks for a client certificate when it has a trust
 * list (MHD_OPTION_HTTPS_MEM_TRUST) but does not verify one, and a client
 * that sends none still completes the handshake. So every call that needs
 * a kiosk verifies the peer itself with GnuTLS against that trust list:
 * signature chain, validity dates and the TLS client purpose (so the
 * registry's own server certificate cannot stand for a kiosk). The kiosk
 * id is the certificate's one subject CN; the X-Kiosk-Id header is never
 * read on a TLS registry. A refused certificate is no kiosk: the call is
 * 401 unauthenticated (GET /v1/health and the verify page need none).
 * registry_tls_load runs on the starting thread, registry_tls_kiosk on
 * any of libmicrohttpd's pool threads.
 */
#include "registry/registry_internal.h"

#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <string.h>

#define PEM_MAX (256 * 1024)

/* Reads a whole PEM file into b as a C string. 0 or ERR_IO / ERR_TOOBIG. */
static int read_pem(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ERR_IO;
    char chunk[4096];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(b, chunk, n);
    if (!rc && ferror(f))
        rc = ERR_IO;
    fclose(f);
    explicit_bzero(chunk, sizeof chunk); /* may have held the key */
    if (!rc && (!b->len || !memmem(b->data, b->len, "-----BEGIN ", 11)))
        rc = ERR_INVALID;
    return rc ? rc : buf_terminate(b);
}

int registry_tls_load(struct registry *reg, const struct registry_config *cfg)
{
    const char *paths[3] = {cfg->tls_cert, cfg->tls_key, cfg->tls_client_ca};
    const enum MHD_OPTION opts[3] = {MHD_OPTION_HTTPS_MEM_CERT, MHD_OPTION_HTTPS_MEM_KEY,
                                     MHD_OPTION_HTTPS_MEM_TRUST};
    const char *what[3] = {"certificate", "key", "kiosk CA"};
    int given = 0;
    for (int i = 0; i < 3; i++)
        given += paths[i] && paths[i][0];
    reg->tls_opts[0].option = MHD_OPTION_END;
    if (!given)
        return 0;
    if (given != 3) {
        log_err("registry", "TLS needs a certificate, its key and the kiosks' CA together");
        return ERR_INVALID;
    }
    for (int i = 0; i < 3; i++) {
        buf_init(&reg->tls_pem[i], PEM_MAX);
        int rc = read_pem(paths[i], &reg->tls_pem[i]);
        if (rc < 0) {
            log_err("registry", "TLS %s %s: %s", what[i], paths[i],
                    rc == ERR_INVALID ? "not PEM" : err_str(rc));
            return rc == ERR_TOOBIG ? ERR_INVALID : rc;
        }
        reg->tls_opts[i] = (struct MHD_OptionItem){opts[i], 0, reg->tls_pem[i].data};
    }
    reg->tls_opts[3].option = MHD_OPTION_END;
    reg->tls_flag = MHD_USE_TLS;
    return 0;
}

void registry_tls_fini(struct registry *reg)
{
    for (int i = 0; i < 3; i++)
        buf_fini(&reg->tls_pem[i]); /* wipes the key */
}

int registry_tls_kiosk(struct MHD_Connection *conn, char *out, size_t size, char *why,
                       size_t why_size)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    gnutls_session_t s = ci ? (gnutls_session_t)ci->tls_session : NULL;
    unsigned count = 0;
    const gnutls_datum_t *peers = s ? gnutls_certificate_get_peers(s, &count) : NULL;
    if (!peers || count == 0) {
        snprintf(why, why_size, "no client certificate");
        return ERR_REJECTED;
    }
    gnutls_typed_vdata_st purpose = {.type = GNUTLS_DT_KEY_PURPOSE_OID,
                                     .data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT};
    unsigned status = 0;
    int rc = gnutls_certificate_verify_peers(s, &purpose, 1, &status);
    if (rc < 0 || status != 0) {
        gnutls_datum_t text = {NULL, 0};
        if (rc >= 0 && gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text,
                                                                    0) == GNUTLS_E_SUCCESS)
            snprintf(why, why_size, "client certificate refused: %s", (const char *)text.data);
        else
            snprintf(why, why_size, "client certificate refused: %s", gnutls_strerror(rc));
        gnutls_free(text.data);
        size_t n = strlen(why);
        while (n > 0 && why[n - 1] == ' ')
            why[--n] = '\0';
        return ERR_REJECTED;
    }
    gnutls_x509_crt_t crt = NULL;
    char cn[80], second[80];
    size_t cn_len = sizeof cn, second_len = sizeof second;
    rc = ERR_REJECTED;
    if (gnutls_x509_crt_init(&crt) < 0) {
        snprintf(why, why_size, "out of memory");
        return ERR_NOMEM;
    }
    if (gnutls_x509_crt_import(crt, &peers[0], GNUTLS_X509_FMT_DER) < 0 ||
        gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &cn_len) < 0)
        snprintf(why, why_size, "client certificate has no subject CN");
    else if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 1, 0, second,
                                           &second_len) >= 0)
        snprintf(why, why_size, "client certificate has more than one subject CN");
    else if (cn_len != strlen(cn) || !registry_req_is_token(cn))
        snprintf(why, why_size, "client certificate CN is not a kiosk id");
    else
        rc = str_copy(out, size, cn) ? 0 : ERR_REJECTED;
    gnutls_x509_crt_deinit(crt);
    return rc;
}
