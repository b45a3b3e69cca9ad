/* backend_retry.c - finishing a transfer: the reply for the UI, problem
 * mapping, the next page of a property list, retries with backoff inside
 * the request's deadline (network errors, timeouts and 503 only), and the
 * registry's up/down state from the health poll. Runs on the worker
 * thread; backend_reply_free on any.
 */
#include "backend/backend_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- replies ---- */

void backend_reply_free(struct flow_reply *reply)
{
    if (!reply)
        return;
    /* Personal or not, every payload is wiped: one rule for all. */
    const struct {
        const void *p;
        size_t size;
    } payloads[] = {
        {reply->props, sizeof *reply->props},   {reply->cert, sizeof *reply->cert},
        {reply->ticket, sizeof *reply->ticket}, {reply->services, sizeof *reply->services},
        {reply->notice, sizeof *reply->notice}, {reply->slots, sizeof *reply->slots},
        {reply->apps, sizeof *reply->apps},     {reply->bookings, sizeof *reply->bookings},
        {reply->link, sizeof *reply->link},     {reply->staff, sizeof *reply->staff},
    };
    for (size_t i = 0; i < ARRAY_LEN(payloads); i++) {
        if (payloads[i].p) {
            explicit_bzero((void *)payloads[i].p, payloads[i].size);
            free((void *)payloads[i].p);
        }
    }
    if (reply->raw) {
        explicit_bzero(reply->raw, reply->raw_len);
        free(reply->raw);
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
    case OP_SERVICES:
        return REPLY_SERVICES;
    case OP_NOTICE:
        return REPLY_NOTICE;
    case OP_SLOTS:
        return REPLY_SLOTS;
    case OP_BOOK:
        return REPLY_BOOKING;
    case OP_APPLICATIONS:
    case OP_APPLICATION:
        return REPLY_APPLICATIONS;
    case OP_BOOKINGS:
        return REPLY_BOOKINGS;
    case OP_UNBOOK:
        return REPLY_UNBOOKED;
    case OP_LINK:
        return REPLY_LINK;
    case OP_STAFF:
        return REPLY_STAFF;
    default: /* OP_DELIVER; ends and health polls, whose replies no one takes */
        return REPLY_DELIVERY;
    }
}

/* Hands reply to the owner of the backend; frees it if there is no one to
 * take it (a fire-and-forget request). */
void deliver(struct backend *b, struct xfer *x, struct flow_reply *r)
{
    if (x->op == OP_END || x->op == OP_HEALTH) {
        backend_reply_free(r);
        return;
    }
    b->on_reply(b->user, x->req_id, r);
}

struct flow_reply *reply_new(struct xfer *x)
{
    struct flow_reply *r = calloc(1, sizeof *r);
    if (r)
        r->kind = reply_kind(x->op);
    return r;
}

void reply_fail(struct flow_reply *r, int err, enum flow_problem problem, const char *detail)
{
    r->err = err;
    r->problem = problem;
    str_copy(r->detail, sizeof r->detail, detail ? detail : "");
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

/* Parses body into a new T with fn and hands it to dst (a reply field);
 * rc and detail as finish_ok uses them. (T is a type: no parentheses.) */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define PARSE_INTO(T, fn, dst)                                                                     \
    do {                                                                                           \
        T *p_ = malloc(sizeof *p_);                                                                \
        if (!p_) {                                                                                 \
            rc = ERR_NOMEM;                                                                        \
            snprintf(detail, sizeof detail, "out of memory");                                      \
            break;                                                                                 \
        }                                                                                          \
        rc = fn(body, len, p_, detail, sizeof detail);                                             \
        if (rc) {                                                                                  \
            explicit_bzero(p_, sizeof *p_);                                                        \
            free(p_);                                                                              \
        } else {                                                                                   \
            (dst) = p_;                                                                            \
        }                                                                                          \
    } while (0)
/* NOLINTEND(bugprone-macro-parentheses) */

/* Hands r a copy of the body that parsed, for the app to keep on disk;
 * without memory the reply goes without it. */
static void keep_body(struct flow_reply *r, const char *body, size_t len)
{
    r->raw = malloc(len ? len : 1);
    if (r->raw) {
        memcpy(r->raw, body, len);
        r->raw_len = len;
    }
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
    case OP_TICKET:
        PARSE_INTO(struct ticket, regjson_parse_ticket, r->ticket);
        break;
    case OP_BOOK:
        PARSE_INTO(struct ticket, regjson_parse_appointment, r->ticket);
        break;
    case OP_SERVICES:
        PARSE_INTO(struct service_list, regjson_parse_services, r->services);
        if (!rc)
            keep_body(r, body, len);
        break;
    case OP_NOTICE:
        PARSE_INTO(struct hall_notice, regjson_parse_notice, r->notice);
        break;
    case OP_SLOTS:
        PARSE_INTO(struct slot_list, regjson_parse_slots, r->slots);
        break;
    case OP_APPLICATIONS:
        PARSE_INTO(struct application_list, regjson_parse_applications, r->apps);
        break;
    case OP_BOOKINGS:
        PARSE_INTO(struct booking_list, regjson_parse_bookings, r->bookings);
        break;
    case OP_LINK:
        PARSE_INTO(struct cert_link, regjson_parse_cert_link, r->link);
        break;
    case OP_STAFF:
        PARSE_INTO(struct staff_info, regjson_parse_staff, r->staff);
        break;
    case OP_APPLICATION: {
        /* One application, delivered as a list of one. */
        struct application_list *l = calloc(1, sizeof *l);
        if (!l) {
            rc = ERR_NOMEM;
            snprintf(detail, sizeof detail, "out of memory");
            break;
        }
        rc = regjson_parse_application(body, len, &l->items[0], detail, sizeof detail);
        if (rc) {
            free(l);
        } else {
            l->count = 1;
            r->apps = l;
        }
        break;
    }
    case OP_HEARTBEAT:
    case OP_KIOSK_SETTINGS:
        keep_body(r, body, len); /* heartbeat.c reads it */
        break;
    case OP_DELIVER:
        /* An outbox item leaves the outbox on this answer alone: a 2xx
         * without the registry's id may come from something in between
         * (204, No Content, is whole without a body). */
        if (r->status != 204)
            rc = regjson_parse_created(body, len, detail, sizeof detail);
        break;
    default:
        break; /* cancelled bookings and ends: the status says it all */
    }
    if (rc)
        reply_fail(r, rc == ERR_NOMEM ? ERR_NOMEM : ERR_BADREPLY, PROBLEM_BAD_REPLY, detail);
    return true;
}

/* WHY says, for staff, what the failed health check met. */
static void set_state(struct backend *b, bool up, const char *why)
{
    if (b->state == (int)up)
        return;
    b->state = up;
    if (up)
        log_notice(MOD, "registry reachable");
    else
        log_notice(MOD, "registry unreachable: %s", why);
    if (b->on_state)
        b->on_state(b->user, up);
}

void xfer_done(struct backend *b, struct xfer *x, CURLcode cc)
{
    int64_t now = clock_physical_ms();
    long status = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(b->multi, x->easy);
    curl_easy_cleanup(x->easy);
    x->easy = NULL;
    const char *method = x->method, *path = x->path;
    long elapsed = (long)(now - x->attempt_ms);
    bool too_big = x->too_big || cc == CURLE_FILESIZE_EXCEEDED;

    if (x->op == OP_HEALTH) {
        int64_t their = 0;
        bool up = cc == CURLE_OK && status == 200 &&
                  regjson_parse_health((const char *)x->resp.data, x->resp.len, &their) == 0;
        if (up) {
            /* Their clock read half way through the round trip. */
            int64_t ours = clock_wall_s() - elapsed / 2000;
            atomic_store(&b->health_rtt_ms, elapsed > INT32_MAX ? INT32_MAX : (int)elapsed);
            atomic_store(&b->health_at_s, clock_wall_s());
            atomic_store(&b->health_skew_s, their ? their - ours : 0);
            atomic_store(&b->health_skew_known, their != 0);
        }
        log_debug(MOD, "GET %s %ld %ld ms", path, status, elapsed);
        char answered[32];
        snprintf(answered, sizeof answered, "health answered %ld", status);
        set_state(b, up,
                  cc != CURLE_OK  ? curl_easy_strerror(cc)
                  : status != 200 ? answered
                                  : "health reply not understood");
        xfer_unlink(b, x);
        xfer_free(b, x);
        return;
    }

    bool retryable =
        (cc != CURLE_OK && !too_big && curl_is_retryable(cc)) || (cc == CURLE_OK && status == 503);
    if (cc != CURLE_OK)
        log_warn(MOD, "%s %s failed after %ld ms: %s", method, path, elapsed,
                 too_big ? "reply too big" : curl_easy_strerror(cc));
    /* An outbox item is retried by the outbox, the heartbeat by heartbeat.c,
     * each with its own backoff. */
    if (retryable && x->op != OP_DELIVER && x->op != OP_HEARTBEAT && x->op != OP_KIOSK_SETTINGS &&
        x->attempt < b->cfg.retries) {
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
    r->status = cc == CURLE_OK ? (int)status : 0;
    if (cc != CURLE_OK) {
        if (too_big)
            reply_fail(r, ERR_TOOBIG, PROBLEM_BAD_REPLY, "reply larger than 1 MiB");
        else
            reply_fail(r, cc == CURLE_OPERATION_TIMEDOUT ? ERR_TIMEOUT : ERR_NETWORK,
                       PROBLEM_REGISTRY_DOWN, curl_easy_strerror(cc));
    } else if (status >= 200 && status <= 299) {
        complete = finish_ok(b, x, r, now);
        /* A heartbeat a minute would push the rest out of staff's log view. */
        log_msg(x->op == OP_HEARTBEAT && !r->err ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, MOD,
                "%s %s %ld %ld ms%s%s", method, path, status, elapsed, r->err ? ", refused: " : "",
                r->err ? r->detail : "");
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
