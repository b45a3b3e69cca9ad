/* backend_worker.c - the worker thread: drains the inbox into transfers,
 * starts what is due (retries, the health poll), lets curl work, finishes
 * what completed, and sleeps in curl_multi_poll. See the DESIGN paragraph
 * of backend.c.
 */
#include "backend/backend_internal.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

/* ---- the worker ---- */

static void handle_msg(struct backend *b, struct msg *m, int64_t now)
{
    if (m->op == OP_CANCEL) {
        for (struct xfer *x = b->xfers; x; x = x->next) {
            if (x->req_id == m->req_id && x->op != OP_HEALTH && x->op != OP_END) {
                log_info(MOD, "%s %s cancelled", x->method, x->path);
                xfer_unlink(b, x);
                xfer_free(b, x);
                break;
            }
        }
        return;
    }
    struct xfer *x = xfer_new(b, m->op, m->req_id, m->submitted_ms);
    if (!x) {
        log_err(MOD, "%s %s: out of memory", m->method, m->path);
        return; /* m's body is wiped by the caller */
    }
    memcpy(x->token, m->token, sizeof x->token);
    memcpy(x->suffix, m->suffix, sizeof x->suffix);
    if (m->op == OP_DELIVER) {
        memcpy(x->method, m->method, sizeof x->method);
        memcpy(x->path, m->path, sizeof x->path);
        memcpy(x->idem, m->idem, sizeof x->idem);
    }
    x->body = m->body; /* moves the storage */
    buf_init(&m->body, 0);
    xfer_launch(b, x, now);
}

static void drain_inbox(struct backend *b, bool start)
{
    struct msg m;
    while (queue_pop(b->inbox, &m, 0) == 0) {
        if (start)
            handle_msg(b, &m, clock_physical_ms());
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

void *worker_main(void *arg)
{
    pthread_setname_np(pthread_self(), "registry");
    struct backend *b = arg;
    while (!atomic_load(&b->stop)) {
        drain_inbox(b, true);
        start_due(b, clock_physical_ms());
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
        curl_multi_poll(b->multi, NULL, 0, sleep_ms(b, clock_physical_ms()), NULL);
    }
    while (b->xfers) {
        struct xfer *x = b->xfers;
        xfer_unlink(b, x);
        xfer_free(b, x);
    }
    drain_inbox(b, false);
    return NULL;
}
