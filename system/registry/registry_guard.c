/* registry_guard.c - the request deadline's watchdog and the limiter of
 * failed guesses; see registry_guard.h for the design. The watchdog is a
 * thread of its own; the notify, busy and idle calls come from
 * libmicrohttpd's threads, and all of them meet under one lock.
 */
#include "registry/registry_guard.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define WATCH_EVERY_MS 100

/* ---- request deadline -------------------------------------------------------- */

struct watch {
    struct watch *prev, *next;
    int fd;
    int64_t since_ms; /* when the current request may have started */
    bool busy;        /* the request arrived: the registry is answering */
    bool cut;         /* shut down by the watchdog; waiting for the close */
};

struct registry_guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stopping;
    int deadline_ms;
    struct watch *head;
    unsigned long cuts;
};

static void *watchdog_main(void *arg)
{
    struct registry_guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        struct timespec at = clock_deadline_in(WATCH_EVERY_MS);
        pthread_cond_timedwait(&g->wake, &g->lock, &at);
        int64_t now = clock_physical_ms();
        for (struct watch *w = g->head; w; w = w->next) {
            if (w->busy || w->cut || now - w->since_ms < g->deadline_ms)
                continue;
            /* The lock keeps w->fd open: libmicrohttpd reports the close
             * (and waits for this lock) before it closes the socket. */
            shutdown(w->fd, SHUT_RDWR);
            w->cut = true;
            g->cuts++;
        }
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

int registry_guard_start(int deadline_ms, struct registry_guard **out)
{
    *out = NULL;
    struct registry_guard *g = calloc(1, sizeof *g);
    if (!g)
        return ERR_NOMEM;
    g->deadline_ms = deadline_ms;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&g->lock, NULL);
    if (pthread_create(&g->thread, NULL, watchdog_main, g) != 0) {
        log_err("registry", "cannot start the request watchdog");
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return ERR_IO;
    }
    *out = g;
    return 0;
}

void registry_guard_stop(struct registry_guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stopping = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->thread, NULL);
    /* The daemon has stopped: it reported every connection closed. */
    while (g->head) {
        struct watch *w = g->head;
        g->head = w->next;
        free(w);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

void registry_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode toe)
{
    struct registry_guard *g = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct watch *w = ci ? calloc(1, sizeof *w) : NULL;
        if (!w)
            return; /* unwatched: libmicrohttpd's idle timeout still holds */
        w->fd = ci->connect_fd;
        w->since_ms = clock_physical_ms();
        pthread_mutex_lock(&g->lock);
        w->next = g->head;
        if (g->head)
            g->head->prev = w;
        g->head = w;
        pthread_mutex_unlock(&g->lock);
        *socket_context = w;
        return;
    }
    struct watch *w = *socket_context;
    if (!w)
        return;
    pthread_mutex_lock(&g->lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        g->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&g->lock);
    free(w);
    *socket_context = NULL;
}

static struct watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void registry_guard_busy(struct registry_guard *g, struct MHD_Connection *conn)
{
    struct watch *w = watch_of(conn);
    if (!w)
        return;
    pthread_mutex_lock(&g->lock);
    w->busy = true;
    pthread_mutex_unlock(&g->lock);
}

void registry_guard_idle(struct registry_guard *g, struct MHD_Connection *conn)
{
    struct watch *w = watch_of(conn);
    if (!w)
        return;
    pthread_mutex_lock(&g->lock);
    w->busy = false;
    w->since_ms = clock_physical_ms();
    pthread_mutex_unlock(&g->lock);
}

unsigned long registry_guard_cut_count(struct registry_guard *g)
{
    pthread_mutex_lock(&g->lock);
    unsigned long n = g->cuts;
    pthread_mutex_unlock(&g->lock);
    return n;
}

/* ---- failed guesses per address --------------------------------------------------- */

#define PROBE 16

void registry_limiter_init(struct registry_limiter *l, int burst, int64_t period_ms)
{
    memset(l, 0, sizeof *l);
    l->burst = burst < 1 ? 1 : burst;
    l->period_ms = period_ms < 1 ? 1 : period_ms;
}

static size_t slot_hash(const unsigned char addr[16])
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ addr[i]) * 16777619u;
    return h % REGISTRY_LIMITER_SLOTS;
}

/* The slot holding addr's debt, or NULL if it owes nothing. */
static const struct registry_limiter_slot *find(const struct registry_limiter *l,
                                                const unsigned char addr[16], int64_t now_ms)
{
    size_t h = slot_hash(addr);
    for (size_t i = 0; i < PROBE; i++) {
        const struct registry_limiter_slot *s = &l->slot[(h + i) % REGISTRY_LIMITER_SLOTS];
        if (s->paid_ms > now_ms && memcmp(s->addr, addr, 16) == 0)
            return s;
    }
    return NULL;
}

int registry_limiter_wait_s(const struct registry_limiter *l, const unsigned char addr[16],
                            int64_t now_ms)
{
    const struct registry_limiter_slot *s = find(l, addr, now_ms);
    if (!s)
        return 0;
    /* Allowed while one more failure would still fit in the burst. */
    int64_t over = s->paid_ms - now_ms - (int64_t)(l->burst - 1) * l->period_ms;
    if (over <= 0)
        return 0;
    return (int)((over + 999) / 1000);
}

void registry_limiter_charge(struct registry_limiter *l, const unsigned char addr[16],
                             int64_t now_ms)
{
    struct registry_limiter_slot *s = (struct registry_limiter_slot *)find(l, addr, now_ms);
    if (!s) {
        /* A slot paid off, else the one that owes least. */
        size_t h = slot_hash(addr);
        for (size_t i = 0; i < PROBE; i++) {
            struct registry_limiter_slot *t = &l->slot[(h + i) % REGISTRY_LIMITER_SLOTS];
            if (t->paid_ms <= now_ms) {
                s = t;
                break;
            }
            if (!s || t->paid_ms < s->paid_ms)
                s = t;
        }
        memcpy(s->addr, addr, 16);
        s->paid_ms = now_ms;
    }
    s->paid_ms = (s->paid_ms > now_ms ? s->paid_ms : now_ms) + l->period_ms;
}
