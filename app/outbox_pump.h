/* outbox_pump.h - the thread that owns the kiosk's outbox and delivers it.
 *
 * DESIGN: the UI thread must never wait on the disk or the network. The
 * outbox (store/outbox.h) fsyncs on every change, so it lives on this
 * small thread of its own, and the UI only pushes messages onto the
 * pump's bounded inbox: an item to put, a registry answer, the registry's
 * up/down state. The pump keeps at most one item in flight: when the
 * registry is reachable and nothing is in flight, it takes the oldest due
 * item and submits it with backend_deliver (the item's own
 * Idempotency-Key, no bearer token); the answer comes back through the
 * UI's bus (the backend has one reply callback) and the UI hands it here.
 * Then:
 *
 *   2xx                          delivered
 *   4xx that will never succeed  dropped, with a log line
 *   network, timeout, 5xx, 401   failed: retried after the backoff with
 *   (kiosk unknown), 408, 425,   the same key
 *   429
 *
 * When the registry comes back after being down, waiting items stop
 * waiting out their backoff. An item the disk refuses (full) is held in
 * memory, in order, and put again every 5 s and before the next put. An answer that never comes
 * (stuck_ms) counts as a failure; a late one is then ignored, and the retry's same key makes the
 * registry answer it as the first time.
 *
 * Request ids: the pump's have the top bit set (outbox_pump_owns), the
 * flow's count up from 1, so the two never meet.
 *
 * Threads: start, stop, put, reply and set_connected from one thread (the
 * UI thread); on_settled runs on the pump's thread.
 */
#ifndef APP_OUTBOX_PUMP_H
#define APP_OUTBOX_PUMP_H

#include "core/flow.h"

#include <stdbool.h>
#include <stdint.h>

struct backend;
struct outbox_pump;

/* What became of one delivery attempt. */
enum outbox_verdict {
    OUTBOX_VERDICT_DELIVERED,
    OUTBOX_VERDICT_RETRY, /* failed for now: the backoff, then again */
    OUTBOX_VERDICT_DROP   /* refused for good */
};

/* Pump thread, after the outcome is committed to the outbox: item id's
 * attempt ended as v. Must not block. */
typedef void (*outbox_pump_settled_fn)(void *user, int64_t id, enum outbox_verdict v);

struct outbox_pump_config {
    const char *path;                  /* the outbox file; its folder must exist. Required. */
    int max_items;                     /* waiting items kept; 0: OUTBOX_ITEMS_MAX */
    struct backend *backend;           /* borrowed; must outlive the pump. Required. */
    int inbox_capacity;                /* 0: 64 */
    int stuck_ms;                      /* an answer later than this is a failure; 0: 60000 */
    outbox_pump_settled_fn on_settled; /* optional */
    void *user;
};

/* Opens the outbox (on the caller's thread: start-up) and starts the pump.
 * It sends nothing until told the registry is reachable. Returns 0,
 * ERR_INVALID, ERR_IO (the outbox cannot be opened; logged), ERR_NOMEM. */
int outbox_pump_start(const struct outbox_pump_config *cfg, struct outbox_pump **out);

/* Writes every item still on its way into the outbox, stops the thread
 * (abandoning an answer in flight: the item stays, with its key) and
 * closes the outbox. Call before the backend is destroyed. NULL is a
 * no-op. */
void outbox_pump_stop(struct outbox_pump *p);

/* Hands one item to the pump, which puts it into the outbox (see
 * outbox_put for kind, method, path and body; all copied here). Never
 * blocks. Returns 0; ERR_INVALID (a missing argument), ERR_TOOBIG (body
 * too long), ERR_FULL (the pump's inbox is full), ERR_NOMEM, ERR_CLOSED.
 * Failures later are logged by the pump: an item the disk refuses (full,
 * a write that fails) is held in memory (up to 32) and put again every
 * 5 s, lost only if the kiosk stops before the disk takes it; any other
 * refusal loses it. */
int outbox_pump_put(struct outbox_pump *p, const char *kind, const char *method, const char *path,
                    const char *body);

/* Whether req_id is one of the pump's requests. Any thread. */
bool outbox_pump_owns(uint32_t req_id);

/* The registry's answer r (borrowed: its err and status are copied) to
 * the pump's request req_id. NULL p is a no-op. */
void outbox_pump_reply(struct outbox_pump *p, uint32_t req_id, const struct flow_reply *r);

/* The registry is reachable (health poll) or not. NULL p is a no-op. */
void outbox_pump_set_connected(struct outbox_pump *p, bool connected);

/* The verdict on an answer: err and HTTP status (0: none came) of a
 * REPLY_DELIVERY. Pure. */
enum outbox_verdict outbox_pump_judge(int err, int status);

#endif
