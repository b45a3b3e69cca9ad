/* idcard_reader.c - the reader thread: one state machine over struct idcard_ops.
 *
 * Runs on its own thread (started by idcard_reader_start); the only data
 * shared with other threads is the stop flag and the condition variable
 * that wakes its sleeps.
 *
 * DESIGN: an enum of states and one switch (STYLE.md "Drivers").
 *
 *   CONNECT  open the transport, ask status (11 FF) -> reader_state(true)
 *   IDLE     find (20 01) every poll_ms, or every wait_poll_ms while the
 *            kiosk waits for a card (idcard_reader_set_waiting); 9F -> SELECT
 *   SELECT   select (20 02); READ reads text + photo (30 01);
 *   ADDRESS  appended address (30 03, 91 = none; failure only logged)
 *   REPORT   card_inserted, wipe our copy -> PRESENT
 *   PRESENT  find every poll_ms until removal_polls answers of "no card"
 *            -> card_removed -> IDLE
 *   RETRY    after a damaged or failed step: find again and redo select
 *            and read (the module needs find + select before each read),
 *            read_retries times, then read_failed -> WAIT_GONE
 *   WAIT_GONE like PRESENT but silent: the failed card must leave first
 *
 * A card must leave the field before the next one is accepted: a module
 * will not find a card again until it has left (waitingsong/
 * node-idcard-reader README), and a kiosk must not read the same card
 * twice. Caveat (reference part A11): some modules answer find with 80
 * right after a read while the card still lies there; on those,
 * card_removed means "read done, card may be taken", and only a physical
 * lift and replace reads it again. Check on the real module.
 *
 * Losing the module (ERR_NODEV, or lost_after timeouts in a row) closes the
 * transport, reports reader_state(false) and reconnects every
 * reconnect_ms. A card reported before the loss is not reported removed
 * at once: after reconnection PRESENT polling decides, so a USB hiccup
 * does not end a citizen's visit.
 */
#include "idcard_reader.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MOD "idcard"

enum reader_state {
    RS_CONNECT,
    RS_IDLE,
    RS_SELECT,
    RS_READ,
    RS_ADDRESS,
    RS_REPORT,
    RS_PRESENT,
    RS_RETRY,
    RS_WAIT_GONE
};

struct idcard_reader {
    const struct idcard_ops *ops;
    struct transport *t;
    struct idcard_sink sink;
    struct idcard_reader_config cfg;

    pthread_t thread;
    bool running;
    atomic_bool stop;
    atomic_bool waiting;  /* idcard_reader_set_waiting; a change wakes the nap */
    pthread_mutex_t lock; /* guards the sleeps' condition and status */
    pthread_cond_t wake;
    char status[200]; /* staff status text, under lock */

    /* Reader thread only: */
    struct idcard_link link;
    enum reader_state state;
    bool connected;
    bool present; /* card_inserted sent, card_removed not yet */
    int attempt;  /* read rounds used for the current card */
    int misses;   /* consecutive "no card" answers while PRESENT / WAIT_GONE */
    int timeouts; /* consecutive timeouts, any command */
    int last_err, last_status;
    struct idcard card; /* the card being read; wiped after each report */
};

void idcard_reader_config_init(struct idcard_reader_config *cfg)
{
    *cfg = (struct idcard_reader_config){
        .poll_ms = 300,
        .wait_poll_ms = 50,
        .reconnect_ms = 1000,
        .status_timeout_ms = 500,
        .find_timeout_ms = 300,
        .select_timeout_ms = 300,
        .read_timeout_ms = 2000,
        .address_timeout_ms = 1500,
        .read_retries = 2,
        .removal_polls = 2,
        .lost_after = 3,
        .read_address = true,
        .read_fingerprint = false,
        .full_timeout_ms = 3000,
    };
}

/* Sleeps ms or until stop; returns false when stopping. */
static bool nap(struct idcard_reader *r, int ms)
{
    struct timespec ts = clock_deadline_in(ms);
    pthread_mutex_lock(&r->lock);
    while (!atomic_load(&r->stop))
        if (pthread_cond_timedwait(&r->wake, &r->lock, &ts) != 0)
            break;
    pthread_mutex_unlock(&r->lock);
    return !atomic_load(&r->stop);
}

/* IDLE's pause between finds: poll_ms, or wait_poll_ms while the kiosk
 * waits for a card. Waiting set during the pause shortens it at once (to
 * what is left of wait_poll_ms). */
static void nap_idle(struct idcard_reader *r)
{
    int64_t start = clock_physical_ms();
    pthread_mutex_lock(&r->lock);
    while (!atomic_load(&r->stop)) {
        int ms = atomic_load(&r->waiting) ? r->cfg.wait_poll_ms : r->cfg.poll_ms;
        int64_t left = start + ms - clock_physical_ms();
        if (left <= 0)
            break;
        struct timespec ts = clock_deadline_in(left);
        if (pthread_cond_timedwait(&r->wake, &r->lock, &ts) != 0)
            break;
    }
    pthread_mutex_unlock(&r->lock);
}

bool idcard_reader_is_waiting(struct idcard_reader *r)
{
    return r && atomic_load(&r->waiting);
}

void idcard_reader_set_waiting(struct idcard_reader *r, bool waiting)
{
    if (!r || atomic_load(&r->waiting) == waiting)
        return;
    pthread_mutex_lock(&r->lock);
    atomic_store(&r->waiting, waiting);
    pthread_cond_broadcast(&r->wake);
    pthread_mutex_unlock(&r->lock);
}

static void set_status(struct idcard_reader *r, const char *prefix, bool with_transport)
{
    char t[160] = "";
    if (with_transport)
        transport_describe(r->t, t, sizeof t);
    pthread_mutex_lock(&r->lock);
    if (prefix && t[0])
        snprintf(r->status, sizeof r->status, "%s%s", prefix, t);
    else
        snprintf(r->status, sizeof r->status, "%s", prefix ? prefix : t);
    pthread_mutex_unlock(&r->lock);
}

void idcard_reader_status(struct idcard_reader *r, char *out, size_t size)
{
    if (!out || size == 0)
        return;
    pthread_mutex_lock(&r->lock);
    snprintf(out, size, "%s", r->status);
    pthread_mutex_unlock(&r->lock);
}

static void emit_state(struct idcard_reader *r, bool connected)
{
    if (r->connected == connected)
        return;
    r->connected = connected;
    log_info(MOD, "reader %s", connected ? "connected" : "lost");
    if (r->sink.reader_state)
        r->sink.reader_state(r->sink.user, connected);
}

static void disconnect(struct idcard_reader *r)
{
    transport_close(r->t);
    sam_frame_decoder_reset(&r->link.dec);
    idcard_wipe(&r->card);
    emit_state(r, false);
    r->timeouts = 0;
    r->state = RS_CONNECT;
}

/* Bookkeeping common to every call's result. Returns true if the link is
 * gone (the caller leaves the state machine to CONNECT). */
static bool link_lost(struct idcard_reader *r, int rc)
{
    if (rc == ERR_TIMEOUT) {
        if (++r->timeouts >= r->cfg.lost_after) {
            log_warn(MOD, "module not answering");
            set_status(r, "module not answering", false);
            disconnect(r);
            return true;
        }
        return false;
    }
    r->timeouts = 0;
    if (rc == ERR_CANCELLED)
        return true; /* stopping: the thread closes the transport on exit */
    if (rc == ERR_NODEV) {
        set_status(r, NULL, true);
        log_warn(MOD, "reader lost: %s", r->status);
        disconnect(r);
        return true;
    }
    return false;
}

/* A module that failed its self-test accepts no commands (SW3 60): treat
 * it as lost, so staff see it and the reconnect loop's status check tells
 * when it recovers. */
static bool module_dead(struct idcard_reader *r, int rc, int status)
{
    if (rc != ERR_IO || status != SAM_STATUS_SELF_TEST)
        return false;
    log_warn(MOD, "module failed its self-test");
    set_status(r, "module failed its self-test", false);
    disconnect(r);
    return true;
}

/* A step of reading the current card failed: retry or give up. */
static void read_step_failed(struct idcard_reader *r, int rc, int status)
{
    idcard_wipe(&r->card);
    if (link_lost(r, rc) || module_dead(r, rc, status))
        return;
    r->last_err = rc;
    r->last_status = status;
    /* An unknown card type will not read better the second time. */
    if (rc != ERR_UNSUPPORTED && r->attempt < r->cfg.read_retries) {
        r->attempt++;
        log_debug(MOD, "read step failed (%s, SW3 %02x), retry %d", err_name(rc),
                  status < 0 ? 0 : status, r->attempt);
        r->state = RS_RETRY;
        return;
    }
    log_warn(MOD, "card read failed: %s, SW3 %s", err_name(rc),
             status == SAM_STATUS_NONE ? "none" : sam_frame_status_name(status));
    if (r->sink.read_failed)
        r->sink.read_failed(r->sink.user, rc, status);
    r->misses = 0;
    r->state = RS_WAIT_GONE;
}

/* PRESENT and WAIT_GONE: has the card left? */
static void poll_gone(struct idcard_reader *r)
{
    int status;
    int rc = r->ops->find(&r->link, r->cfg.find_timeout_ms, &status);
    if (link_lost(r, rc) || module_dead(r, rc, status))
        return;
    if (rc == ERR_NOTFOUND) {
        if (++r->misses >= r->cfg.removal_polls) {
            if (r->state == RS_PRESENT && r->present) {
                r->present = false;
                log_info(MOD, "card removed");
                if (r->sink.card_removed)
                    r->sink.card_removed(r->sink.user);
            }
            r->state = RS_IDLE;
            return; /* look for the next card at once */
        }
    } else if (rc == 0) {
        r->misses = 0;
    }
    nap(r, r->cfg.poll_ms);
}

static void step(struct idcard_reader *r)
{
    int rc, status;
    switch (r->state) {
    case RS_CONNECT:
        rc = transport_open(r->t);
        if (rc == 0) {
            rc = r->ops->status(&r->link, r->cfg.status_timeout_ms, &status);
            if (rc == 0) {
                r->timeouts = 0;
                set_status(r, "connected ", true);
                emit_state(r, true);
                /* A card reported before the loss: let polling decide. */
                r->misses = 0;
                r->state = r->present ? RS_PRESENT : RS_IDLE;
                return;
            }
            log_debug(MOD, "status check failed: %s, SW3 %s", err_name(rc),
                      sam_frame_status_name(status));
            if (status == SAM_STATUS_SELF_TEST)
                set_status(r, "module failed its self-test", false);
            else if (status != SAM_STATUS_NONE)
                set_status(r, "module refused the status check", false);
            else
                set_status(r, "module not answering on ", true);
            transport_close(r->t);
        } else {
            char before[sizeof r->status];
            idcard_reader_status(r, before, sizeof before);
            set_status(r, NULL, true);
            /* Say it once per change, not every reconnect_ms. */
            if (strcmp(before, r->status) != 0)
                log_info(MOD, "reader: %s", r->status);
        }
        nap(r, r->cfg.reconnect_ms);
        return;

    case RS_IDLE:
        rc = r->ops->find(&r->link, r->cfg.find_timeout_ms, &status);
        if (link_lost(r, rc) || module_dead(r, rc, status))
            return;
        if (rc == 0) {
            r->attempt = 0;
            r->state = RS_SELECT;
            return;
        }
        /* No card, or a damaged answer to a poll: ask again later. */
        nap_idle(r);
        return;

    case RS_RETRY:
        rc = r->ops->find(&r->link, r->cfg.find_timeout_ms, &status);
        if (rc == ERR_NOTFOUND) {
            /* Gone mid-read: report the failure that made us retry. */
            r->attempt = r->cfg.read_retries;
            read_step_failed(r, r->last_err, r->last_status);
            return;
        }
        if (rc) {
            read_step_failed(r, rc, status);
            return;
        }
        r->state = RS_SELECT;
        return;

    case RS_SELECT:
        rc = r->ops->select(&r->link, r->cfg.select_timeout_ms, &status);
        if (rc) {
            read_step_failed(r, rc, status);
            return;
        }
        r->state = RS_READ;
        return;

    case RS_READ:
        if (r->cfg.read_fingerprint && r->ops->read_full)
            rc = r->ops->read_full(&r->link, r->cfg.full_timeout_ms, &r->card, &status);
        else
            rc = r->ops->read_base(&r->link, r->cfg.read_timeout_ms, &r->card, &status);
        if (rc) {
            read_step_failed(r, rc, status);
            return;
        }
        r->timeouts = 0;
        r->state = r->cfg.read_address && r->ops->read_address ? RS_ADDRESS : RS_REPORT;
        return;

    case RS_ADDRESS:
        /* The appended address is optional: one more try on a damaged
         * frame, then report the card without it. */
        for (int i = 0; i < 2; i++) {
            rc = r->ops->read_address(&r->link, r->cfg.address_timeout_ms, &r->card, &status);
            if (rc != ERR_CHECKSUM)
                break;
        }
        if (rc == ERR_NODEV || rc == ERR_CANCELLED) {
            link_lost(r, rc);
            return;
        }
        if (rc && rc != ERR_NOTFOUND)
            log_debug(MOD, "appended address not read: %s", err_name(rc));
        r->state = RS_REPORT;
        return;

    case RS_REPORT:
        r->present = true;
        r->misses = 0;
        log_info(MOD, "card read (%s)", idcard_type_name(r->card.type));
        if (r->sink.card_inserted)
            r->sink.card_inserted(r->sink.user, &r->card);
        idcard_wipe(&r->card);
        r->state = RS_PRESENT;
        nap(r, r->cfg.poll_ms);
        return;

    case RS_PRESENT:
    case RS_WAIT_GONE:
        poll_gone(r);
        return;
    }
}

static void *reader_main(void *arg)
{
    pthread_setname_np(pthread_self(), "reader");
    struct idcard_reader *r = arg;
    r->state = RS_CONNECT;
    while (!atomic_load(&r->stop))
        step(r);
    transport_close(r->t);
    idcard_wipe(&r->card);
    idcard_sam_link_fini(&r->link);
    set_status(r, "stopped", false);
    return NULL;
}

struct idcard_reader *idcard_reader_create(const struct idcard_ops *ops, struct transport *t,
                                           const struct idcard_sink *sink,
                                           const struct idcard_reader_config *cfg)
{
    if (!t)
        return NULL;
    struct idcard_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ops = ops ? ops : &idcard_sam_ops;
    r->t = t;
    if (sink)
        r->sink = *sink;
    if (cfg)
        r->cfg = *cfg;
    else
        idcard_reader_config_init(&r->cfg);
    if (r->cfg.poll_ms < 10)
        r->cfg.poll_ms = 10;
    if (r->cfg.wait_poll_ms < 10 || r->cfg.wait_poll_ms > r->cfg.poll_ms)
        r->cfg.wait_poll_ms = r->cfg.poll_ms;
    if (r->cfg.removal_polls < 1)
        r->cfg.removal_polls = 1;
    if (r->cfg.lost_after < 1)
        r->cfg.lost_after = 1;
    atomic_init(&r->stop, false);
    atomic_init(&r->waiting, false);
    pthread_mutex_init(&r->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->wake, &ca);
    pthread_condattr_destroy(&ca);
    idcard_sam_link_init(&r->link, t, &r->stop);
    snprintf(r->status, sizeof r->status, "not started");
    return r;
}

int idcard_reader_start(struct idcard_reader *r)
{
    if (r->running)
        return ERR_BUSY;
    atomic_store(&r->stop, false);
    set_status(r, "starting", false);
    r->connected = false;
    r->present = false;
    r->timeouts = 0;
    if (pthread_create(&r->thread, NULL, reader_main, r) != 0)
        return ERR_NOMEM;
    r->running = true;
    return 0;
}

void idcard_reader_stop(struct idcard_reader *r)
{
    if (!r || !r->running)
        return;
    pthread_mutex_lock(&r->lock);
    atomic_store(&r->stop, true);
    pthread_cond_broadcast(&r->wake);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    r->running = false;
}

void idcard_reader_destroy(struct idcard_reader *r)
{
    if (!r)
        return;
    idcard_reader_stop(r);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->lock);
    idcard_wipe(&r->card);
    free(r);
}
