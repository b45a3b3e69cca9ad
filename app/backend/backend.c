/* backend.c - registry client worker on curl multi; see backend.h.
 *
 * DESIGN: one worker thread owns a curl multi handle and a list of
 * transfers (struct xfer, one per request, living across its retries and
 * pages). The loop is: drain the inbox into transfers, start what is due
 * (retries after their backoff, the health poll), let curl work, finish
 * what completed, then sleep in curl_multi_poll until a socket, a curl
 * timer, a due retry or poll, or curl_multi_wakeup from a submit. A
 * request has one deadline (total_timeout_ms from submission) that covers
 * every attempt and page, so the citizen never waits longer than that for
 * an answer however the network misbehaves.
 *
 * Retries: only network failures, timeouts and 503, never a 4xx or a bad
 * body. A write's Idempotency-Key is drawn once per request and sent with
 * every attempt, so a retry after a lost answer cannot issue twice.
 *
 * Request bodies are built on the submitting thread (a copy of the card and
 * image in one buffer, no other copy) and travel to the worker by pointer
 * in the inbox message. Every buffer that held a body, a reply or a token
 * is wiped when the transfer ends.
 *
 * Environment proxies (http_proxy, ...) are ignored on purpose: where the
 * citizen's data goes is decided by the kiosk's configuration alone.
 */
#include "backend/backend.h"

#include "backend/backend_internal.h"
#include "backend/regjson.h"
#include "base/clock.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/queue.h"
#include "base/util.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the UI side ---- */

void backend_config_default(struct backend_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->connect_timeout_ms = 3000;
    cfg->total_timeout_ms = 10000;
    cfg->retries = 2;
    cfg->backoff_ms = 300;
    cfg->health_interval_ms = 10000;
    cfg->inbox_capacity = 16;
}

static char *dup_opt(const char *s, bool *ok)
{
    if (!s || !s[0])
        return NULL;
    char *d = strdup(s);
    if (!d)
        *ok = false;
    return d;
}

static void backend_free(struct backend *b)
{
    if (b->multi)
        curl_multi_cleanup(b->multi);
    queue_destroy(b->inbox);
    free(b->base_url);
    free(b->kiosk_id);
    free(b->ca_file);
    free(b->client_cert);
    free(b->client_key);
    free(b);
    curl_global_cleanup();
}

struct backend *backend_create(const struct backend_config *cfg, backend_reply_fn on_reply,
                               backend_state_fn on_state, void *user)
{
    if (!cfg || !on_reply || !cfg->base_url || !cfg->base_url[0] ||
        strlen(cfg->base_url) > BASE_URL_MAX ||
        (strncmp(cfg->base_url, "http://", 7) != 0 && strncmp(cfg->base_url, "https://", 8) != 0) ||
        (cfg->kiosk_id && !token_ok(cfg->kiosk_id))) {
        log_err(MOD, "bad configuration: base URL or kiosk id");
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_err(MOD, "curl failed to initialise");
        return NULL;
    }
    struct backend *b = calloc(1, sizeof *b);
    if (!b) {
        curl_global_cleanup();
        return NULL;
    }
    b->cfg = *cfg;
    if (b->cfg.connect_timeout_ms <= 0)
        b->cfg.connect_timeout_ms = 3000;
    if (b->cfg.total_timeout_ms <= 0)
        b->cfg.total_timeout_ms = 10000;
    if (b->cfg.retries < 0)
        b->cfg.retries = 0;
    if (b->cfg.retries > RETRIES_MAX)
        b->cfg.retries = RETRIES_MAX;
    if (b->cfg.backoff_ms <= 0)
        b->cfg.backoff_ms = 300;
    if (b->cfg.inbox_capacity <= 0)
        b->cfg.inbox_capacity = 16;
    bool ok = true;
    b->base_url = dup_opt(cfg->base_url, &ok);
    b->kiosk_id = dup_opt(cfg->kiosk_id, &ok);
    b->ca_file = dup_opt(cfg->ca_file, &ok);
    b->client_cert = dup_opt(cfg->client_cert, &ok);
    b->client_key = dup_opt(cfg->client_key, &ok);
    b->cfg.base_url = b->base_url;
    b->cfg.kiosk_id = b->kiosk_id;
    b->cfg.ca_file = b->ca_file;
    b->cfg.client_cert = b->client_cert;
    b->cfg.client_key = b->client_key;
    if (b->base_url) {
        size_t n = strlen(b->base_url);
        while (n > 0 && b->base_url[n - 1] == '/')
            b->base_url[--n] = '\0';
    }
    b->on_reply = on_reply;
    b->on_state = on_state;
    b->user = user;
    b->state = -1;
    atomic_init(&b->health_rtt_ms, -1);
    b->next_health_ms = clock_physical_ms();
    atomic_init(&b->stop, false);
    b->inbox = queue_create(sizeof(struct msg), (size_t)b->cfg.inbox_capacity);
    b->multi = curl_multi_init();
    if (!ok || !b->inbox || !b->multi) {
        log_err(MOD, "out of memory");
        backend_free(b);
        return NULL;
    }
    if (b->cfg.tls_insecure)
        log_warn(MOD, "TLS verification is OFF");
    if (pthread_create(&b->thread, NULL, worker_main, b) != 0) {
        log_err(MOD, "cannot start the worker thread");
        backend_free(b);
        return NULL;
    }
    return b;
}

void backend_link(const struct backend *b, struct backend_link *out)
{
    *out = (struct backend_link){.rtt_ms = -1};
    if (!b)
        return;
    out->rtt_ms = atomic_load(&b->health_rtt_ms);
    out->at_s = atomic_load(&b->health_at_s);
    out->skew_s = atomic_load(&b->health_skew_s);
    out->skew_known = atomic_load(&b->health_skew_known);
}

void backend_destroy(struct backend *b)
{
    if (!b)
        return;
    atomic_store(&b->stop, true);
    queue_close(b->inbox);
    curl_multi_wakeup(b->multi);
    pthread_join(b->thread, NULL);
    backend_free(b);
}

/* Moves m (and its body) into the inbox; on failure wipes the body. */
static int submit(struct backend *b, struct msg *m)
{
    m->submitted_ms = clock_physical_ms();
    bool was_empty = false;
    int rc = queue_push(b->inbox, m, &was_empty);
    if (rc) {
        log_warn(MOD, "%s %s not queued: %s", m->method, m->path, err_str(rc));
        buf_fini(&m->body);
    } else if (was_empty) {
        curl_multi_wakeup(b->multi);
    }
    explicit_bzero(m, sizeof *m);
    return rc;
}

static int msg_init(struct msg *m, enum op op, uint32_t req_id, const char *token)
{
    memset(m, 0, sizeof *m);
    m->op = op;
    m->req_id = req_id;
    str_copy(m->method, sizeof m->method, op_info[op].method);
    str_copy(m->path, sizeof m->path, op_info[op].path);
    buf_init(&m->body, REQUEST_MAX);
    if (token && token[0]) {
        if (!token_ok(token))
            return ERR_INVALID;
        memcpy(m->token, token, strlen(token) + 1);
    }
    return 0;
}

static int fail_msg(struct msg *m, int rc)
{
    buf_fini(&m->body);
    explicit_bzero(m, sizeof *m);
    return rc;
}

int backend_open_session(struct backend *b, uint32_t req_id, const struct idcard *card,
                         const uint8_t *jpeg, size_t jpeg_len, const char *liveness_challenge,
                         bool liveness_passed)
{
    struct msg m;
    int rc = msg_init(&m, OP_SESSION, req_id, NULL);
    if (!rc)
        rc = regjson_format_session_request(card, jpeg, jpeg_len, liveness_challenge,
                                            liveness_passed, &m.body);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_check_staff(struct backend *b, uint32_t req_id, const struct idcard *card)
{
    struct msg m;
    int rc = msg_init(&m, OP_STAFF, req_id, NULL);
    if (!rc)
        rc = regjson_format_staff_request(card, &m.body);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_fetch_properties(struct backend *b, uint32_t req_id, const char *token)
{
    struct msg m;
    int rc = msg_init(&m, OP_PROPERTIES, req_id, token);
    if (!rc && !m.token[0])
        rc = ERR_INVALID;
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_issue_certificate(struct backend *b, uint32_t req_id, const char *token,
                              const char *kind, const char *purpose_zh)
{
    struct msg m;
    int rc = msg_init(&m, OP_CERT, req_id, token);
    if (!rc && !m.token[0])
        rc = ERR_INVALID;
    if (!rc)
        rc = regjson_format_certificate_request(kind, purpose_zh, &m.body);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_take_ticket(struct backend *b, uint32_t req_id, const char *token, const char *service)
{
    struct msg m;
    int rc = msg_init(&m, OP_TICKET, req_id, token);
    if (!rc)
        rc = regjson_format_ticket_request(service, NULL, &m.body);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

/* A request with a path suffix and no body (or a body formatted by the
 * caller). */
static int submit_get(struct backend *b, enum op op, uint32_t req_id, const char *token,
                      const char *suffix)
{
    struct msg m;
    int rc = msg_init(&m, op, req_id, token);
    if (!rc && suffix && strlen(suffix) >= sizeof m.suffix)
        rc = ERR_INVALID;
    if (!rc && suffix)
        memcpy(m.suffix, suffix, strlen(suffix) + 1);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

/* A request of the visit's citizen: the token is required. */
static int submit_visit(struct backend *b, enum op op, uint32_t req_id, const char *token,
                        const char *suffix)
{
    if (!token || !token[0])
        return ERR_INVALID;
    return submit_get(b, op, req_id, token, suffix);
}

/* Codes and numbers go into URLs as they are: 1..max characters of
 * [A-Za-z0-9] and of extra. */
static bool chars_ok(const char *s, size_t max, const char *extra)
{
    size_t n = s ? strnlen(s, max + 1) : 0;
    if (n == 0 || n > max)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr(extra, *s)))
            return false;
    return true;
}

/* Service codes and receipt numbers: [A-Za-z0-9_-]. */
static bool url_safe(const char *s, size_t max)
{
    return chars_ok(s, max, "_-");
}

/* 1..64 characters of [A-Za-z0-9_-] (system/api/README.md). */
static bool idem_ok(const char *k)
{
    return url_safe(k, IDEM_MAX - 1);
}

int backend_fetch_services(struct backend *b, uint32_t req_id)
{
    return submit_get(b, OP_SERVICES, req_id, NULL, NULL);
}

int backend_fetch_notice(struct backend *b, uint32_t req_id)
{
    return submit_get(b, OP_NOTICE, req_id, NULL, NULL);
}

int backend_fetch_slots(struct backend *b, uint32_t req_id, const char *service, int days)
{
    if (!url_safe(service, 31) || days < 1 || days > 10)
        return ERR_INVALID;
    char q[SUFFIX_MAX];
    snprintf(q, sizeof q, "?service=%s&days=%d", service, days);
    return submit_get(b, OP_SLOTS, req_id, NULL, q);
}

int backend_book(struct backend *b, uint32_t req_id, const char *token, const char *service,
                 const char *slot, const char *phone)
{
    struct msg m;
    int rc = msg_init(&m, OP_BOOK, req_id, token);
    if (!rc && !m.token[0])
        rc = ERR_INVALID;
    if (!rc)
        rc = regjson_format_booking_request(service, slot, phone, &m.body);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_check_in(struct backend *b, uint32_t req_id, const char *token)
{
    struct msg m;
    int rc = msg_init(&m, OP_TICKET, req_id, token);
    if (!rc && !m.token[0])
        rc = ERR_INVALID;
    if (!rc)
        rc = regjson_format_ticket_request(NULL, NULL, &m.body);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_fetch_bookings(struct backend *b, uint32_t req_id, const char *token)
{
    return submit_visit(b, OP_BOOKINGS, req_id, token, NULL);
}

int backend_cancel_booking(struct backend *b, uint32_t req_id, const char *token, const char *code)
{
    if (!chars_ok(code, 15, "")) /* as struct ticket's code holds it */
        return ERR_INVALID;
    return submit_visit(b, OP_UNBOOK, req_id, token, code);
}

int backend_link_certificate(struct backend *b, uint32_t req_id, const char *token,
                             const char *number)
{
    /* A plain token (JZCX-7Q4M-9K2T-XW3P), as struct certificate holds it. */
    if (!chars_ok(number, 39, "-"))
        return ERR_INVALID;
    char suffix[SUFFIX_MAX];
    snprintf(suffix, sizeof suffix, "%s/link", number);
    return submit_visit(b, OP_LINK, req_id, token, suffix);
}

int backend_fetch_applications(struct backend *b, uint32_t req_id, const char *token)
{
    return submit_visit(b, OP_APPLICATIONS, req_id, token, NULL);
}

int backend_lookup_application(struct backend *b, uint32_t req_id, const char *receipt)
{
    if (!url_safe(receipt, 31))
        return ERR_INVALID;
    return submit_get(b, OP_APPLICATION, req_id, NULL, receipt);
}

int backend_deliver(struct backend *b, uint32_t req_id, const char *method, const char *path,
                    const char *key, const char *body)
{
    static const char *const methods[] = {"POST", "PUT", "PATCH", "DELETE"};
    bool known = false;
    for (size_t i = 0; method && i < ARRAY_LEN(methods); i++)
        known = known || !strcmp(method, methods[i]);
    bool needs_body = known && strcmp(method, "DELETE") != 0;
    if (!known || !path || path[0] != '/' || strnlen(path, PATH_MAX_) == PATH_MAX_ ||
        !token_ok(path) || !key || !idem_ok(key) || (needs_body && (!body || !body[0])))
        return ERR_INVALID;
    struct msg m;
    int rc = msg_init(&m, OP_DELIVER, req_id, NULL);
    if (!rc) {
        str_copy(m.method, sizeof m.method, method);
        str_copy(m.path, sizeof m.path, path);
        str_copy(m.idem, sizeof m.idem, key);
        if (body && body[0])
            rc = buf_append_str(&m.body, body);
    }
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_heartbeat(struct backend *b, uint32_t req_id, const char *body)
{
    if (!body || !body[0])
        return ERR_INVALID;
    struct msg m;
    int rc = msg_init(&m, OP_HEARTBEAT, req_id, NULL);
    if (!rc)
        rc = buf_append_str(&m.body, body);
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_fetch_kiosk_settings(struct backend *b, uint32_t req_id, const char *kiosk,
                                 int64_t have)
{
    if (!url_safe(kiosk, 64) || have < 0)
        return ERR_INVALID;
    char suffix[SUFFIX_MAX];
    snprintf(suffix, sizeof suffix, "%s/settings?have=%lld", kiosk, (long long)have);
    return submit_get(b, OP_KIOSK_SETTINGS, req_id, NULL, suffix);
}

int backend_end_session(struct backend *b, const char *token)
{
    struct msg m;
    int rc = msg_init(&m, OP_END, 0, token);
    if (!rc && !m.token[0])
        rc = ERR_INVALID;
    return rc ? fail_msg(&m, rc) : submit(b, &m);
}

int backend_cancel(struct backend *b, uint32_t req_id)
{
    struct msg m;
    msg_init(&m, OP_CANCEL, req_id, NULL);
    return submit(b, &m);
}
