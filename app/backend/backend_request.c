/* backend_request.c - one registry request as a curl transfer: the easy
 * handle, the URL, the headers (kiosk id, bearer token, Idempotency-Key
 * drawn once per request), TLS settings, the capped reply buffer, and
 * wiping every buffer when the transfer ends. Runs on the worker thread,
 * apart from the small helpers at the top.
 */
#include "backend/backend_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

bool token_ok(const char *t)
{
    size_t n = strnlen(t, 256);
    if (n == 256)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
            return false;
    return true;
}

static void slist_free_wiped(struct curl_slist *l)
{
    for (struct curl_slist *it = l; it; it = it->next)
        if (it->data)
            explicit_bzero(it->data, strlen(it->data));
    curl_slist_free_all(l);
}

/* ---- transfers ---- */

void xfer_free(struct backend *b, struct xfer *x)
{
    if (x->easy) {
        curl_multi_remove_handle(b->multi, x->easy);
        curl_easy_cleanup(x->easy);
    }
    slist_free_wiped(x->headers);
    buf_fini(&x->body);
    buf_fini(&x->resp);
    if (x->props) {
        explicit_bzero(x->props, sizeof *x->props);
        free(x->props);
    }
    explicit_bzero(x, sizeof *x);
    free(x);
}

void xfer_unlink(struct backend *b, struct xfer *x)
{
    for (struct xfer **pp = &b->xfers; *pp; pp = &(*pp)->next) {
        if (*pp == x) {
            *pp = x->next;
            break;
        }
    }
    if (b->health == x)
        b->health = NULL;
}

static size_t on_write(char *p, size_t size, size_t n, void *user)
{
    struct xfer *x = user;
    size_t len = size * n;
    if (buf_append(&x->resp, p, len) != 0) {
        x->too_big = true;
        return 0; /* curl fails the transfer with CURLE_WRITE_ERROR */
    }
    return len;
}

static int build_url(struct xfer *x)
{
    struct backend *b = x->b;
    int n;
    if (x->op == OP_PROPERTIES && x->cursor[0]) {
        CURL *tmp = x->easy;
        char *esc = curl_easy_escape(tmp, x->cursor, 0);
        if (!esc)
            return ERR_NOMEM;
        n = snprintf(x->url, sizeof x->url, "%s%s?limit=%d&cursor=%s", b->base_url, x->path,
                     PROPERTY_LIST_MAX, esc);
        curl_free(esc);
    } else if (x->op == OP_PROPERTIES) {
        n = snprintf(x->url, sizeof x->url, "%s%s?limit=%d", b->base_url, x->path,
                     PROPERTY_LIST_MAX);
    } else {
        n = snprintf(x->url, sizeof x->url, "%s%s%s", b->base_url, x->path, x->suffix);
    }
    return n < 0 || (size_t)n >= sizeof x->url ? ERR_TOOBIG : 0;
}

static int add_header(struct curl_slist **l, const char *name, const char *v)
{
    char line[320];
    int n = snprintf(line, sizeof line, "%s%s", name, v);
    if (n < 0 || (size_t)n >= sizeof line)
        return ERR_TOOBIG;
    struct curl_slist *nl = curl_slist_append(*l, line);
    explicit_bzero(line, sizeof line);
    if (!nl)
        return ERR_NOMEM;
    *l = nl;
    return 0;
}

/* Starts one attempt of x: a fresh easy handle, headers, the remaining time
 * until the deadline. */
static int xfer_start(struct backend *b, struct xfer *x, int64_t now)
{
    const struct backend_config *cfg = &b->cfg;
    int64_t left = x->deadline_ms - now;
    if (left <= 0)
        return ERR_TIMEOUT;
    CURL *e = curl_easy_init();
    if (!e)
        return ERR_NOMEM;
    x->easy = e;
    x->too_big = false;
    x->retry_at_ms = 0;
    x->attempt_ms = now;
    buf_reset(&x->resp);
    slist_free_wiped(x->headers);
    x->headers = NULL;

    int rc = build_url(x);
    if (!rc)
        rc = add_header(&x->headers, "Accept: application/json", "");
    if (!rc)
        rc = add_header(&x->headers, "Expect:", "");
    if (!rc && b->kiosk_id)
        rc = add_header(&x->headers, "X-Kiosk-Id: ", b->kiosk_id);
    if (!rc && x->token[0])
        rc = add_header(&x->headers, "Authorization: Bearer ", x->token);
    if (!rc && op_info[x->op].write)
        rc = add_header(&x->headers, "Idempotency-Key: ", x->idem);
    if (!rc && x->body.len)
        rc = add_header(&x->headers, "Content-Type: application/json", "");
    else if (!rc && !strcmp(x->method, "POST"))
        rc = add_header(&x->headers, "Content-Type:", ""); /* not curl's form type */
    if (rc)
        return rc;

    curl_easy_setopt(e, CURLOPT_URL, x->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)RESPONSE_MAX);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)left);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(left < cfg->connect_timeout_ms ? left : cfg->connect_timeout_ms));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, cfg->tls_insecure ? 0L : 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, cfg->tls_insecure ? 0L : 2L);
    if (b->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, b->ca_file);
    if (b->client_cert)
        curl_easy_setopt(e, CURLOPT_SSLCERT, b->client_cert);
    if (b->client_key)
        curl_easy_setopt(e, CURLOPT_SSLKEY, b->client_key);
    if (strcmp(x->method, "GET") != 0 && strcmp(x->method, "POST") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
    /* A POST without a body (a proof's link) is still a POST. */
    if (x->body.len || !strcmp(x->method, "POST")) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body.len ? (const char *)x->body.data : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body.len);
    }
    if (curl_multi_add_handle(b->multi, e) != CURLM_OK)
        return ERR_NOMEM;
    return 0;
}

/* Ends x with a local failure (could not even start). */
static void xfer_abort(struct backend *b, struct xfer *x, int err)
{
    log_warn(MOD, "%s %s not sent: %s", x->method, x->path, err_str(err));
    struct flow_reply *r = reply_new(x);
    if (r) {
        reply_fail(r, err, PROBLEM_REGISTRY_DOWN, err_str(err));
        deliver(b, x, r);
    }
    xfer_unlink(b, x);
    xfer_free(b, x);
}

/* Starts an attempt, or ends the request if it cannot start. */
void xfer_launch(struct backend *b, struct xfer *x, int64_t now)
{
    int rc = xfer_start(b, x, now);
    if (!rc)
        return;
    if (x->easy) {
        curl_multi_remove_handle(b->multi, x->easy);
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
    }
    if (x->op == OP_HEALTH) {
        xfer_unlink(b, x);
        xfer_free(b, x);
        return;
    }
    xfer_abort(b, x, rc);
}

struct xfer *xfer_new(struct backend *b, enum op op, uint32_t req_id, int64_t start_ms)
{
    struct xfer *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->b = b;
    x->op = op;
    x->req_id = req_id;
    x->start_ms = start_ms;
    x->deadline_ms = start_ms + b->cfg.total_timeout_ms;
    str_copy(x->method, sizeof x->method, op_info[op].method);
    str_copy(x->path, sizeof x->path, op_info[op].path);
    buf_init(&x->body, REQUEST_MAX);
    buf_init(&x->resp, RESPONSE_MAX);
    if (op_info[op].write && random_hex32(x->idem, sizeof x->idem) != 0) {
        free(x);
        return NULL;
    }
    if (op == OP_PROPERTIES && !(x->props = calloc(1, sizeof *x->props))) {
        free(x);
        return NULL;
    }
    x->next = b->xfers;
    b->xfers = x;
    return x;
}
