/* idcard_events.h - records a reader's sink callbacks for the device tests.
 *
 * The reader thread pushes; the test thread waits for the next event with
 * a deadline. Header-only, one recorder per test program.
 */
#ifndef TESTS_DEVICES_IDCARD_EVENTS_H
#define TESTS_DEVICES_IDCARD_EVENTS_H

#include "card_fixture.h"
#include "drivers/idcard/idcard_reader.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

enum ev_kind { EV_INSERTED = 1, EV_REMOVED, EV_FAILED, EV_STATE };

struct ev {
    enum ev_kind kind;
    int err, status;
    bool connected;
    char name[128];
    char id_number[20];
};

#define EV_MAX 64

static struct {
    pthread_mutex_t lock;
    struct ev ev[EV_MAX];
    int n, next;
} rec = {PTHREAD_MUTEX_INITIALIZER};

static void ev_push(const struct ev *e)
{
    pthread_mutex_lock(&rec.lock);
    if (rec.n < EV_MAX)
        rec.ev[rec.n++] = *e;
    pthread_mutex_unlock(&rec.lock);
}

static void ev_inserted(void *user, const struct idcard *card)
{
    (void)user;
    struct ev e = {.kind = EV_INSERTED};
    memcpy(e.name, card->name, sizeof e.name);
    memcpy(e.id_number, card->id_number, sizeof e.id_number);
    ev_push(&e);
}

static void ev_removed(void *user)
{
    (void)user;
    ev_push(&(struct ev){.kind = EV_REMOVED});
}

static void ev_failed(void *user, int err, int sam_status)
{
    (void)user;
    ev_push(&(struct ev){.kind = EV_FAILED, .err = err, .status = sam_status});
}

static void ev_state(void *user, bool connected)
{
    (void)user;
    ev_push(&(struct ev){.kind = EV_STATE, .connected = connected});
}

static const struct idcard_sink ev_sink = {
    .card_inserted = ev_inserted,
    .card_removed = ev_removed,
    .read_failed = ev_failed,
    .reader_state = ev_state,
};

static int64_t ev_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ev_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits up to ms for the next event of kind (others before it are
 * skipped and returned count in *skipped if not NULL). Returns a copy or
 * NULL. */
static const struct ev *ev_wait(enum ev_kind kind, int ms)
{
    static struct ev out;
    int64_t deadline = ev_now_ms() + ms;
    for (;;) {
        pthread_mutex_lock(&rec.lock);
        while (rec.next < rec.n) {
            out = rec.ev[rec.next++];
            if (out.kind == kind) {
                pthread_mutex_unlock(&rec.lock);
                return &out;
            }
        }
        pthread_mutex_unlock(&rec.lock);
        if (ev_now_ms() >= deadline)
            return NULL;
        ev_sleep_ms(2);
    }
}

static void ev_fast_config(struct idcard_reader_config *cfg)
{
    idcard_reader_config_init(cfg);
    cfg->poll_ms = 20;
    cfg->reconnect_ms = 50;
    cfg->status_timeout_ms = 300;
    cfg->find_timeout_ms = 200;
    cfg->select_timeout_ms = 200;
    cfg->read_timeout_ms = 500;
    cfg->address_timeout_ms = 300;
    cfg->removal_polls = 1;
}

#endif
