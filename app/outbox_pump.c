/* outbox_pump.c - the outbox's own thread: puts items, delivers the oldest
 * due one through the registry client when the registry is reachable, and
 * records each answer. See the DESIGN paragraph of outbox_pump.h. The pump
 * thread alone touches the outbox; the UI thread only pushes messages.
 */
#include "outbox_pump.h"

#include "backend/backend.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/queue.h"
#include "base/util.h"
#include "store/outbox.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MOD           "outbox"
#define OWN_BIT       0x80000000u
#define RETRY_SOON_MS 1000 /* the registry client's inbox was full */
#define PRUNE_AFTER_S (7 * 24 * 3600)
#define HELD_MAX      32   /* items the disk would not take, kept in memory */
#define HELD_RETRY_MS 5000 /* how often the disk is asked again */

enum pump_op { PUMP_PUT, PUMP_REPLY, PUMP_STATE };

/* One inbox message, copied by value; a put's body travels by pointer and
 * is the pump's once pushed. */
struct pump_msg {
    enum pump_op op;
    uint32_t req_id; /* PUMP_REPLY */
    int err, status; /* PUMP_REPLY */
    bool connected;  /* PUMP_STATE */
    char kind[OUTBOX_KIND_MAX];
    char method[OUTBOX_METHOD_MAX];
    char path[OUTBOX_PATH_MAX];
    char *body; /* PUMP_PUT, owned */
};

struct outbox_pump {
    struct outbox *outbox;
    struct backend *backend;
    struct queue *inbox;
    pthread_t thread;
    atomic_bool stopping;
    int stuck_ms;
    outbox_pump_settled_fn on_settled;
    void *user;

    /* the pump thread's alone */
    bool connected;
    uint32_t next_req;
    int64_t in_flight;      /* the item on its way; 0: none */
    uint32_t in_flight_req; /* its request id */
    int64_t sent_ms;        /* when it went (clock_mono_ms) */
    int64_t retry_soon_ms;  /* > 0: try to send again then */
    struct outbox_item item;
    struct pump_msg held[HELD_MAX]; /* puts the disk refused (full), oldest first */
    int nheld;
    int64_t held_retry_ms; /* when to put them again (clock_mono_ms) */
};

bool outbox_pump_owns(uint32_t req_id)
{
    return (req_id & OWN_BIT) != 0;
}

enum outbox_verdict outbox_pump_judge(int err, int status)
{
    if (err == 0 && status >= 200 && status <= 299)
        return OUTBOX_VERDICT_DELIVERED;
    /* 401 here means the registry does not know this kiosk (a rating needs
     * no visit): a setting staff can fix, not a bad item. 408, 425 and 429
     * say "later". */
    if (status >= 400 && status <= 499 && status != 401 && status != 408 && status != 425 &&
        status != 429)
        return OUTBOX_VERDICT_DROP;
    return OUTBOX_VERDICT_RETRY;
}

/* ---- the pump thread ---- */

static void settle(struct outbox_pump *p, int64_t id, enum outbox_verdict v)
{
    int rc = 0;
    const struct outbox_item *it = &p->item;
    int64_t now = clock_wall_s();
    switch (v) {
    case OUTBOX_VERDICT_DELIVERED:
        rc = outbox_delivered(p->outbox, id, now);
        if (!rc)
            log_info(MOD, "%s %lld delivered after %d failed attempt(s)", it->kind, (long long)id,
                     it->attempts);
        break;
    case OUTBOX_VERDICT_DROP:
        rc = outbox_failed(p->outbox, id, now, true);
        break;
    case OUTBOX_VERDICT_RETRY:
        rc = outbox_failed(p->outbox, id, now, false);
        if (!rc)
            log_info(MOD, "%s %lld not delivered (attempt %d); next in %lld s", it->kind,
                     (long long)id, it->attempts + 1,
                     (long long)outbox_backoff_s(it->attempts + 1));
        break;
    }
    p->in_flight = 0;
    p->in_flight_req = 0;
    if (rc)
        log_err(MOD, "%s %lld: the outcome is not recorded: %s", it->kind, (long long)id,
                err_str(rc));
    else if (p->on_settled)
        p->on_settled(p->user, id, v);
}

static int put(struct outbox_pump *p, const struct pump_msg *m)
{
    int64_t id = 0;
    int rc = outbox_put(p->outbox, m->kind, m->method, m->path, m->body, clock_wall_s(), &id);
    if (!rc)
        log_info(MOD, "%s %lld kept, %d waiting", m->kind, (long long)id, outbox_count(p->outbox));
    return rc;
}

/* Keeps in memory an item the disk refused (full, or a write that failed;
 * rc), to be put again, so a full disk loses nothing unless the kiosk
 * stops before space returns. Takes m->body. */
static void hold(struct outbox_pump *p, struct pump_msg *m, int rc)
{
    if ((rc != ERR_IO && rc != ERR_FULL) || p->nheld == HELD_MAX) {
        log_warn(MOD, "%s lost: %s", m->kind, err_str(rc)); /* outbox_put said why */
        return;
    }
    p->held[p->nheld++] = *m;
    m->body = NULL;
    if (!p->held_retry_ms)
        p->held_retry_ms = clock_mono_ms() + HELD_RETRY_MS;
    log_warn(MOD, "%s not on disk (%s): held in memory, %d held", m->kind, err_str(rc), p->nheld);
}

/* The held items onto the disk, oldest first, until the disk refuses. */
static void put_held(struct outbox_pump *p)
{
    int n = 0;
    while (n < p->nheld && put(p, &p->held[n]) == 0)
        free(p->held[n++].body);
    memmove(p->held, p->held + n, (size_t)(p->nheld - n) * sizeof p->held[0]);
    p->nheld -= n;
    p->held_retry_ms = p->nheld ? clock_mono_ms() + HELD_RETRY_MS : 0;
    if (n > 0)
        log_info(MOD, "%d held item(s) now on disk, %d still held", n, p->nheld);
}

/* A new item goes after the held ones, so the outbox keeps their order. */
static void on_put(struct outbox_pump *p, struct pump_msg *m)
{
    if (p->nheld)
        put_held(p);
    int rc = p->nheld ? ERR_FULL : put(p, m);
    if (rc)
        hold(p, m, rc);
}

static void on_reply(struct outbox_pump *p, const struct pump_msg *m)
{
    if (!p->in_flight || m->req_id != p->in_flight_req) {
        log_info(MOD, "a late answer (%d) is ignored", m->status);
        return;
    }
    enum outbox_verdict v = outbox_pump_judge(m->err, m->status);
    if (v == OUTBOX_VERDICT_DROP)
        log_warn(MOD, "%s %lld refused by the registry (HTTP %d): dropped", p->item.kind,
                 (long long)p->in_flight, m->status);
    else if (v == OUTBOX_VERDICT_RETRY && m->status)
        log_info(MOD, "%s %lld: HTTP %d", p->item.kind, (long long)p->in_flight, m->status);
    else if (v == OUTBOX_VERDICT_RETRY)
        log_info(MOD, "%s %lld: %s", p->item.kind, (long long)p->in_flight, err_str(m->err));
    settle(p, p->in_flight, v);
}

static void on_state(struct outbox_pump *p, const struct pump_msg *m)
{
    if (m->connected && !p->connected) {
        int n = outbox_hurry(p->outbox, clock_wall_s());
        if (n > 0)
            log_info(MOD, "registry reachable: %d item(s) no longer wait", n);
    }
    p->connected = m->connected;
}

/* Sends the oldest due item, if the registry is reachable and nothing is
 * on its way. */
static void send_next(struct outbox_pump *p)
{
    int64_t now_ms = clock_mono_ms();
    if (p->in_flight && now_ms - p->sent_ms >= p->stuck_ms) {
        log_warn(MOD, "%s %lld: no answer after %d ms", p->item.kind, (long long)p->in_flight,
                 p->stuck_ms);
        settle(p, p->in_flight, OUTBOX_VERDICT_RETRY);
    }
    if (!p->connected || p->in_flight || atomic_load(&p->stopping) ||
        (p->retry_soon_ms && now_ms < p->retry_soon_ms))
        return;
    p->retry_soon_ms = 0;
    int rc = outbox_next_due(p->outbox, clock_wall_s(), &p->item);
    if (rc == ERR_IO)
        p->retry_soon_ms = now_ms + RETRY_SOON_MS; /* the file misbehaves: do not spin */
    if (rc)
        return;
    uint32_t req = OWN_BIT | (p->next_req++ & ~OWN_BIT);
    rc = backend_deliver(p->backend, req, p->item.method, p->item.path, p->item.key, p->item.body);
    if (rc == ERR_INVALID) {
        log_warn(MOD, "%s %lld cannot be sent as stored: dropped", p->item.kind,
                 (long long)p->item.id);
        p->in_flight = p->item.id;
        settle(p, p->item.id, OUTBOX_VERDICT_DROP);
        return;
    }
    if (rc) {
        p->retry_soon_ms = now_ms + RETRY_SOON_MS;
        return;
    }
    p->in_flight = p->item.id;
    p->in_flight_req = req;
    p->sent_ms = now_ms;
}

/* How long the pump may sleep: until the answer is overdue, the next item
 * is due, or for ever (a message wakes it). */
static int sleep_until_ms(struct outbox_pump *p)
{
    int64_t now_ms = clock_mono_ms();
    if (p->in_flight)
        return (int)(p->sent_ms + p->stuck_ms > now_ms ? p->sent_ms + p->stuck_ms - now_ms : 0);
    if (!p->connected)
        return -1;
    if (p->retry_soon_ms)
        return (int)(p->retry_soon_ms > now_ms ? p->retry_soon_ms - now_ms : 0);
    int64_t at = 0;
    if (outbox_next_at(p->outbox, &at) != 0)
        return -1;
    int64_t wait_s = at - clock_wall_s();
    if (wait_s <= 0)
        return 0;
    /* A clock set back makes the item due at once (outbox_next_due). */
    return wait_s > OUTBOX_BACKOFF_MAX_S ? 0 : (int)(wait_s * 1000);
}

/* As above, and no longer than the held items may wait. */
static int sleep_ms(struct outbox_pump *p)
{
    int ms = sleep_until_ms(p);
    if (!p->nheld)
        return ms;
    int64_t left = p->held_retry_ms - clock_mono_ms();
    int held_ms = left > 0 ? (int)left : 0;
    return ms < 0 || held_ms < ms ? held_ms : ms;
}

static void *pump_main(void *arg)
{
    pthread_setname_np(pthread_self(), "outbox");
    struct outbox_pump *p = arg;
    int pruned = outbox_prune(p->outbox, clock_wall_s() - PRUNE_AFTER_S);
    if (pruned > 0)
        log_info(MOD, "%d finished item(s) pruned", pruned);
    int waiting = outbox_count(p->outbox);
    if (waiting > 0)
        log_notice(MOD, "%d item(s) wait from before the start", waiting);
    for (;;) {
        struct pump_msg m;
        int rc = queue_pop(p->inbox, &m, sleep_ms(p));
        if (rc == ERR_CLOSED)
            break;
        if (rc == 0) {
            if (m.op == PUMP_PUT)
                on_put(p, &m);
            else if (m.op == PUMP_REPLY)
                on_reply(p, &m);
            else
                on_state(p, &m);
            free(m.body);
        }
        if (p->nheld && clock_mono_ms() >= p->held_retry_ms)
            put_held(p);
        send_next(p);
    }
    if (p->nheld)
        put_held(p);
    for (int i = 0; i < p->nheld; i++) {
        log_warn(MOD, "%s lost at the stop: the disk did not take it", p->held[i].kind);
        free(p->held[i].body);
    }
    return NULL;
}

/* ---- the UI side ---- */

int outbox_pump_start(const struct outbox_pump_config *cfg, struct outbox_pump **out)
{
    *out = NULL;
    if (!cfg || !cfg->path || !cfg->path[0] || !cfg->backend)
        return ERR_INVALID;
    struct outbox_pump *p = calloc(1, sizeof *p);
    if (!p)
        return ERR_NOMEM;
    p->backend = cfg->backend;
    p->stuck_ms = cfg->stuck_ms > 0 ? cfg->stuck_ms : 60000;
    p->on_settled = cfg->on_settled;
    p->user = cfg->user;
    p->next_req = 1;
    atomic_init(&p->stopping, false);
    int rc = outbox_open(cfg->path, cfg->max_items, &p->outbox);
    if (!rc) {
        size_t cap = cfg->inbox_capacity > 0 ? (size_t)cfg->inbox_capacity : 64;
        p->inbox = queue_create(sizeof(struct pump_msg), cap);
        rc = p->inbox ? 0 : ERR_NOMEM;
    }
    if (!rc && pthread_create(&p->thread, NULL, pump_main, p) != 0) {
        log_err(MOD, "cannot start the outbox thread");
        rc = ERR_NOMEM;
    }
    if (rc) {
        queue_destroy(p->inbox);
        outbox_close(p->outbox);
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void outbox_pump_stop(struct outbox_pump *p)
{
    if (!p)
        return;
    atomic_store(&p->stopping, true);
    queue_close(p->inbox); /* the thread drains it (puts are written) and ends */
    pthread_join(p->thread, NULL);
    queue_destroy(p->inbox);
    if (p->in_flight)
        log_info(MOD, "%s %lld was on its way at the stop; it is sent again with its key",
                 p->item.kind, (long long)p->in_flight);
    outbox_close(p->outbox);
    free(p);
}

static int push(struct outbox_pump *p, struct pump_msg *m)
{
    int rc = queue_push(p->inbox, m, NULL);
    if (rc)
        free(m->body);
    return rc;
}

int outbox_pump_put(struct outbox_pump *p, const char *kind, const char *method, const char *path,
                    const char *body)
{
    if (!p || !kind || !method || !path || !body)
        return ERR_INVALID;
    if (strnlen(body, OUTBOX_BODY_MAX) == OUTBOX_BODY_MAX)
        return ERR_TOOBIG;
    struct pump_msg m = {.op = PUMP_PUT};
    if (!str_copy(m.kind, sizeof m.kind, kind) || !str_copy(m.method, sizeof m.method, method) ||
        !str_copy(m.path, sizeof m.path, path))
        return ERR_INVALID;
    m.body = strdup(body);
    if (!m.body)
        return ERR_NOMEM;
    return push(p, &m);
}

void outbox_pump_reply(struct outbox_pump *p, uint32_t req_id, const struct flow_reply *r)
{
    if (!p || !r)
        return;
    struct pump_msg m = {.op = PUMP_REPLY, .req_id = req_id, .err = r->err, .status = r->status};
    if (push(p, &m) != 0)
        log_warn(MOD, "an answer is lost: the outbox's inbox is full"); /* stuck_ms covers it */
}

void outbox_pump_set_connected(struct outbox_pump *p, bool connected)
{
    if (!p)
        return;
    struct pump_msg m = {.op = PUMP_STATE, .connected = connected};
    if (push(p, &m) != 0)
        log_warn(MOD, "the registry's state is lost: the outbox's inbox is full");
}
