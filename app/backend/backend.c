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

#include "backend/regjson.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/queue.h"
#include "base/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define MOD          "backend"
#define RESPONSE_MAX (1024 * 1024)
#define URL_MAX      1024
#define BASE_URL_MAX 512
#define RETRIES_MAX  5
/* Request bodies: the base64 face image plus the card fields. */
#define REQUEST_MAX (REGJSON_JPEG_MAX / 3 * 4 + 16 * 1024)
/* An endless run of empty pages with cursors must end too. */
#define PAGES_MAX (PROPERTY_LIST_MAX + 1)

enum op { OP_SESSION, OP_PROPERTIES, OP_CERT, OP_RATING, OP_END, OP_CANCEL, OP_HEALTH, OP_TICKET };

static const struct {
    const char *method;
    const char *path;
    bool write;
} op_info[] = {
    [OP_SESSION] = {"POST", "/v1/sessions", true},
    [OP_PROPERTIES] = {"GET", "/v1/properties", false},
    [OP_CERT] = {"POST", "/v1/certificates", true},
    [OP_RATING] = {"POST", "/v1/ratings", true},
    [OP_END] = {"DELETE", "/v1/sessions/current", true},
    [OP_CANCEL] = {"", "", false},
    [OP_HEALTH] = {"GET", "/v1/health", false},
    [OP_TICKET] = {"POST", "/v1/tickets", true},
};

/* One inbox message: copied by value; body's storage moves with it. */
struct msg {
    enum op op;
    uint32_t req_id;
    int64_t submitted_ms;
    char token[256];
    struct buf body;
};

struct xfer {
    struct xfer *next;
    struct backend *b;
    enum op op;
    uint32_t req_id;
    char token[256];
    char idem[33];
    struct buf body; /* request, owned, wiped */
    struct buf resp; /* current attempt's reply, wiped */
    CURL *easy;      /* non-NULL while in the multi */
    struct curl_slist *headers;
    char url[URL_MAX];
    int attempt;                 /* 0 for the first try of the current page */
    int64_t start_ms;            /* submission */
    int64_t deadline_ms;         /* start + total timeout */
    int64_t attempt_ms;          /* when the current attempt began */
    int64_t retry_at_ms;         /* > 0 while waiting to retry */
    bool too_big;                /* the reply passed RESPONSE_MAX */
    struct property_list *props; /* OP_PROPERTIES: pages gathered so far */
    char cursor[REGJSON_CURSOR_MAX];
    int pages;
};

struct backend {
    struct backend_config cfg; /* strings point at the copies below */
    char *base_url, *kiosk_id, *ca_file, *client_cert, *client_key;
    backend_reply_fn on_reply;
    backend_state_fn on_state;
    void *user;
    struct queue *inbox;
    CURLM *multi;
    pthread_t thread;
    atomic_bool stop;
    struct xfer *xfers;  /* worker only */
    struct xfer *health; /* the poll in flight, also on xfers */
    int64_t next_health_ms;
    int state; /* -1 unknown, 0 down, 1 up */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool token_ok(const char *t)
{
    size_t n = strnlen(t, 256);
    if (n == 256)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
            return false;
    return true;
}

static int random_hex(char *out, size_t size)
{
    uint8_t r[16];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ERR_IO;
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    if (size < 2 * sizeof r + 1)
        return ERR_INVALID;
    for (size_t i = 0; i < sizeof r; i++) {
        out[2 * i] = hex[r[i] >> 4];
        out[2 * i + 1] = hex[r[i] & 15];
    }
    out[2 * sizeof r] = '\0';
    explicit_bzero(r, sizeof r);
    return 0;
}

static void slist_free_wiped(struct curl_slist *l)
{
    for (struct curl_slist *it = l; it; it = it->next)
        if (it->data)
            explicit_bzero(it->data, strlen(it->data));
    curl_slist_free_all(l);
}

/* ---- replies ---- */

void backend_reply_free(struct flow_reply *reply)
{
    if (!reply)
        return;
    if (reply->props) {
        struct property_list *p = (struct property_list *)reply->props;
        explicit_bzero(p, sizeof *p);
        free(p);
    }
    if (reply->cert) {
        struct certificate *c = (struct certificate *)reply->cert;
        explicit_bzero(c, sizeof *c);
        free(c);
    }
    if (reply->ticket) {
        struct ticket *t = (struct ticket *)reply->ticket;
        explicit_bzero(t, sizeof *t);
        free(t);
    }
    explicit_bzero(reply, sizeof *reply);
    free(reply);
}

static enum flow_reply_kind reply_kind(enum op op)
{
    switch (op) {
    case OP_SESSION:
        return REPLY_SESSION;
    case OP_PROPERTIES:
        return REPLY_PROPERTIES;
    case OP_CERT:
        return REPLY_CERTIFICATE;
    case OP_TICKET:
        return REPLY_TICKET;
    default:
        return REPLY_RATING;
    }
}

/* Hands reply to the owner of the backend; frees it if there is no one to
 * take it (a fire-and-forget request). */
static void deliver(struct backend *b, struct xfer *x, struct flow_reply *r)
{
    if (x->op == OP_END || x->op == OP_HEALTH) {
        backend_reply_free(r);
        return;
    }
    b->on_reply(b->user, x->req_id, r);
}

static struct flow_reply *reply_new(struct xfer *x)
{
    struct flow_reply *r = calloc(1, sizeof *r);
    if (r)
        r->kind = reply_kind(x->op);
    return r;
}

static void reply_fail(struct flow_reply *r, int err, enum flow_problem problem, const char *detail)
{
    r->err = err;
    r->problem = problem;
    str_copy(r->detail, sizeof r->detail, detail ? detail : "");
}

/* ---- transfers ---- */

static void xfer_free(struct backend *b, struct xfer *x)
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

static void xfer_unlink(struct backend *b, struct xfer *x)
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
        n = snprintf(x->url, sizeof x->url, "%s%s?limit=%d&cursor=%s", b->base_url,
                     op_info[x->op].path, PROPERTY_LIST_MAX, esc);
        curl_free(esc);
    } else if (x->op == OP_PROPERTIES) {
        n = snprintf(x->url, sizeof x->url, "%s%s?limit=%d", b->base_url, op_info[x->op].path,
                     PROPERTY_LIST_MAX);
    } else {
        n = snprintf(x->url, sizeof x->url, "%s%s", b->base_url, op_info[x->op].path);
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
    if (x->op == OP_END)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
    if (x->body.len) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, (const char *)x->body.data);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body.len);
    }
    if (curl_multi_add_handle(b->multi, e) != CURLM_OK)
        return ERR_NOMEM;
    return 0;
}

/* Ends x with a local failure (could not even start). */
static void xfer_abort(struct backend *b, struct xfer *x, int err)
{
    log_warn(MOD, "%s %s not sent: %s", op_info[x->op].method, op_info[x->op].path, err_str(err));
    struct flow_reply *r = reply_new(x);
    if (r) {
        reply_fail(r, err, PROBLEM_REGISTRY_DOWN, err_str(err));
        deliver(b, x, r);
    }
    xfer_unlink(b, x);
    xfer_free(b, x);
}

/* Starts an attempt, or ends the request if it cannot start. */
static void xfer_launch(struct backend *b, struct xfer *x, int64_t now)
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

static struct xfer *xfer_new(struct backend *b, enum op op, uint32_t req_id, int64_t start_ms)
{
    struct xfer *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->b = b;
    x->op = op;
    x->req_id = req_id;
    x->start_ms = start_ms;
    x->deadline_ms = start_ms + b->cfg.total_timeout_ms;
    buf_init(&x->body, REQUEST_MAX);
    buf_init(&x->resp, RESPONSE_MAX);
    if (op_info[op].write && random_hex(x->idem, sizeof x->idem) != 0) {
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

/* ---- finishing ---- */

static bool curl_is_retryable(CURLcode cc)
{
    switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false; /* TLS verification, bad URL, our own write refusal: retrying will not help */
    }
}

static void finish_problem(struct flow_reply *r, long status, const struct buf *resp)
{
    struct regjson_problem p;
    if (regjson_parse_problem((const char *)resp->data, resp->len, &p) != 0)
        memset(&p, 0, sizeof p);
    r->problem = regjson_problem_map((int)status, p.type);
    r->err = status >= 500 ? ERR_SERVER : status >= 400 ? ERR_REJECTED : ERR_PROTOCOL;
    str_copy(r->title, sizeof r->title, p.title);
    snprintf(r->detail, sizeof r->detail, "HTTP %ld %.100s%s%.120s", status,
             p.type[0] ? p.type : "-", p.detail[0] ? ": " : "", p.detail);
    explicit_bzero(&p, sizeof p);
}

/* Parses a 2xx body into r. Returns true when r is complete; false when
 * x was relaunched for its next page. */
static bool finish_ok(struct backend *b, struct xfer *x, struct flow_reply *r, int64_t now)
{
    const char *body = (const char *)x->resp.data;
    size_t len = x->resp.len;
    char detail[REGJSON_DETAIL_MAX] = "";
    int rc = 0;
    switch (x->op) {
    case OP_SESSION: {
        struct regjson_session s;
        rc = regjson_parse_session(body, len, &s, detail, sizeof detail);
        if (!rc && strcmp(s.verdict, "match") != 0) {
            /* The kiosk never decides identity: anything but a plain
             * "match" is a no. */
            r->err = ERR_REJECTED;
            r->problem = PROBLEM_FACE_NO_MATCH;
            snprintf(r->detail, sizeof r->detail, "verdict: %s", s.verdict);
        } else if (!rc) {
            memcpy(r->token, s.token, sizeof r->token);
        }
        explicit_bzero(&s, sizeof s);
        break;
    }
    case OP_PROPERTIES:
        rc = regjson_parse_properties(body, len, x->props, x->cursor, sizeof x->cursor, detail,
                                      sizeof detail);
        if (!rc && x->cursor[0]) {
            if (++x->pages >= PAGES_MAX) {
                rc = ERR_BADREPLY;
                snprintf(detail, sizeof detail, "next_cursor: more than %d pages", PAGES_MAX);
                break;
            }
            x->attempt = 0;
            xfer_launch(b, x, now);
            return false;
        }
        if (!rc) {
            r->props = x->props;
            x->props = NULL;
        }
        break;
    case OP_CERT: {
        struct certificate *c = malloc(sizeof *c);
        if (!c) {
            rc = ERR_NOMEM;
            snprintf(detail, sizeof detail, "out of memory");
            break;
        }
        rc = regjson_parse_certificate(body, len, c, detail, sizeof detail);
        if (rc) {
            explicit_bzero(c, sizeof *c);
            free(c);
        } else {
            r->cert = c;
        }
        break;
    }
    case OP_TICKET: {
        struct ticket *t = malloc(sizeof *t);
        if (!t) {
            rc = ERR_NOMEM;
            snprintf(detail, sizeof detail, "out of memory");
            break;
        }
        rc = regjson_parse_ticket(body, len, t, detail, sizeof detail);
        if (rc)
            free(t);
        else
            r->ticket = t;
        break;
    }
    default:
        break; /* ratings and ends: the status says it all */
    }
    if (rc)
        reply_fail(r, rc == ERR_NOMEM ? ERR_NOMEM : ERR_BADREPLY, PROBLEM_BAD_REPLY, detail);
    return true;
}

static void set_state(struct backend *b, bool up)
{
    if (b->state == (int)up)
        return;
    b->state = up;
    log_notice(MOD, "registry %s", up ? "reachable" : "unreachable");
    if (b->on_state)
        b->on_state(b->user, up);
}

static void xfer_done(struct backend *b, struct xfer *x, CURLcode cc)
{
    int64_t now = mono_ms();
    long status = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(b->multi, x->easy);
    curl_easy_cleanup(x->easy);
    x->easy = NULL;
    const char *method = op_info[x->op].method, *path = op_info[x->op].path;
    long elapsed = (long)(now - x->attempt_ms);
    bool too_big = x->too_big || cc == CURLE_FILESIZE_EXCEEDED;

    if (x->op == OP_HEALTH) {
        bool up = cc == CURLE_OK && status == 200 &&
                  regjson_parse_health((const char *)x->resp.data, x->resp.len) == 0;
        log_debug(MOD, "GET %s %ld %ld ms", path, status, elapsed);
        set_state(b, up);
        xfer_unlink(b, x);
        xfer_free(b, x);
        return;
    }

    bool retryable =
        (cc != CURLE_OK && !too_big && curl_is_retryable(cc)) || (cc == CURLE_OK && status == 503);
    if (cc != CURLE_OK)
        log_warn(MOD, "%s %s failed after %ld ms: %s", method, path, elapsed,
                 too_big ? "reply too big" : curl_easy_strerror(cc));
    if (retryable && x->attempt < b->cfg.retries) {
        int64_t delay = b->cfg.backoff_ms;
        for (int i = 0; i < x->attempt; i++)
            delay *= 3;
        if (now + delay < x->deadline_ms) {
            if (cc == CURLE_OK)
                log_info(MOD, "%s %s %ld %ld ms, retry %d in %lld ms", method, path, status,
                         elapsed, x->attempt + 1, (long long)delay);
            else
                log_info(MOD, "%s %s retry %d in %lld ms", method, path, x->attempt + 1,
                         (long long)delay);
            x->attempt++;
            x->retry_at_ms = now + delay;
            return;
        }
    }

    struct flow_reply *r = reply_new(x);
    if (!r) {
        log_err(MOD, "%s %s: out of memory for the reply", method, path);
        xfer_unlink(b, x);
        xfer_free(b, x);
        return;
    }
    bool complete = true;
    if (cc != CURLE_OK) {
        if (too_big)
            reply_fail(r, ERR_TOOBIG, PROBLEM_BAD_REPLY, "reply larger than 1 MiB");
        else
            reply_fail(r, cc == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_NETWORK,
                       PROBLEM_REGISTRY_DOWN, curl_easy_strerror(cc));
    } else if (status >= 200 && status <= 299) {
        complete = finish_ok(b, x, r, now);
        log_info(MOD, "%s %s %ld %ld ms%s%s", method, path, status, elapsed,
                 r->err ? ", refused: " : "", r->err ? r->detail : "");
    } else {
        finish_problem(r, status, &x->resp);
        log_info(MOD, "%s %s %ld %ld ms %s", method, path, status, elapsed, r->detail);
    }
    if (!complete) {
        backend_reply_free(r); /* the next page is on its way */
        return;
    }
    deliver(b, x, r);
    xfer_unlink(b, x);
    xfer_free(b, x);
}

/* ---- the worker ---- */

static void handle_msg(struct backend *b, struct msg *m, int64_t now)
{
    if (m->op == OP_CANCEL) {
        for (struct xfer *x = b->xfers; x; x = x->next) {
            if (x->req_id == m->req_id && x->op != OP_HEALTH && x->op != OP_END) {
                log_info(MOD, "%s %s cancelled", op_info[x->op].method, op_info[x->op].path);
                xfer_unlink(b, x);
                xfer_free(b, x);
                break;
            }
        }
        return;
    }
    struct xfer *x = xfer_new(b, m->op, m->req_id, m->submitted_ms);
    if (!x) {
        log_err(MOD, "%s %s: out of memory", op_info[m->op].method, op_info[m->op].path);
        return; /* m's body is wiped by the caller */
    }
    memcpy(x->token, m->token, sizeof x->token);
    x->body = m->body; /* moves the storage */
    buf_init(&m->body, 0);
    xfer_launch(b, x, now);
}

static void drain_inbox(struct backend *b, bool start)
{
    struct msg m;
    while (queue_pop(b->inbox, &m, 0) == 0) {
        if (start)
            handle_msg(b, &m, mono_ms());
        buf_fini(&m.body);
        explicit_bzero(&m, sizeof m);
    }
}

static void start_due(struct backend *b, int64_t now)
{
    for (struct xfer *x = b->xfers, *next; x; x = next) {
        next = x->next;
        if (x->retry_at_ms && x->retry_at_ms <= now)
            xfer_launch(b, x, now);
    }
    if (b->cfg.health_interval_ms > 0 && !b->health && now >= b->next_health_ms) {
        b->next_health_ms = now + b->cfg.health_interval_ms;
        struct xfer *h = xfer_new(b, OP_HEALTH, 0, now);
        if (h) {
            /* A poll never outlives its period: the next one starts fresh. */
            if (b->cfg.health_interval_ms < b->cfg.total_timeout_ms)
                h->deadline_ms = now + b->cfg.health_interval_ms;
            b->health = h;
            xfer_launch(b, h, now);
        }
    }
}

/* How long the worker may sleep: until curl's timer, a retry or a poll. */
static int sleep_ms(struct backend *b, int64_t now)
{
    long curl_to = -1;
    curl_multi_timeout(b->multi, &curl_to);
    int64_t wait = curl_to >= 0 && curl_to < 5000 ? curl_to : 5000;
    for (struct xfer *x = b->xfers; x; x = x->next)
        if (x->retry_at_ms && x->retry_at_ms - now < wait)
            wait = x->retry_at_ms - now;
    if (b->cfg.health_interval_ms > 0 && !b->health && b->next_health_ms - now < wait)
        wait = b->next_health_ms - now;
    return wait < 0 ? 0 : (int)wait;
}

static void *worker_main(void *arg)
{
    struct backend *b = arg;
    while (!atomic_load(&b->stop)) {
        drain_inbox(b, true);
        start_due(b, mono_ms());
        int running = 0;
        curl_multi_perform(b->multi, &running);
        CURLMsg *cm;
        int left;
        while ((cm = curl_multi_info_read(b->multi, &left))) {
            if (cm->msg != CURLMSG_DONE)
                continue;
            struct xfer *x = NULL;
            curl_easy_getinfo(cm->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            CURLcode cc = cm->data.result;
            if (x)
                xfer_done(b, x, cc); /* invalidates cm */
        }
        curl_multi_poll(b->multi, NULL, 0, sleep_ms(b, mono_ms()), NULL);
    }
    while (b->xfers) {
        struct xfer *x = b->xfers;
        xfer_unlink(b, x);
        xfer_free(b, x);
    }
    drain_inbox(b, false);
    return NULL;
}

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
    b->next_health_ms = mono_ms();
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
    m->submitted_ms = mono_ms();
    bool was_empty = false;
    int rc = queue_push(b->inbox, m, &was_empty);
    if (rc) {
        log_warn(MOD, "%s %s not queued: %s", op_info[m->op].method, op_info[m->op].path,
                 err_str(rc));
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

int backend_submit_rating(struct backend *b, uint32_t req_id, const char *token, int level,
                          const char *service)
{
    struct msg m;
    int rc = msg_init(&m, OP_RATING, req_id, token);
    if (!rc)
        rc = regjson_format_rating_request(level, service, &m.body);
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
