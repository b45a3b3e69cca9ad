/* outbox.h - the kiosk's outbox: writes to the registry that must arrive
 * exactly once, kept in SQLite until the registry has them.
 *
 * DESIGN: an item is (kind, Idempotency-Key, method, path, JSON body,
 * created, attempts, next attempt, state). outbox_put draws the key from
 * getrandom and stores it with the item, in the same committed
 * transaction, before anything is sent; every attempt at delivering the
 * item, across retries and restarts, carries that same key. The registry
 * answers a repeated key with its first answer (system/api/README.md,
 * "Idempotency-Key"), so an answer lost on the way back costs one more
 * attempt, never a second rating. That holds while the registry keeps the
 * key: 24 hours, far beyond the longest backoff (1 hour).
 *
 * Each change (put, delivered, failed, dropped) is one committed
 * transaction (WAL, synchronous=FULL): after a kill -9 or a power cut the
 * outbox holds exactly the items the registry may not have yet. Delivered
 * and dropped items stay as finished rows (for staff) until outbox_prune.
 *
 * Bound: at most max_items waiting items. Beyond it, outbox_put drops the
 * oldest waiting rating (OUTBOX_KIND_RATING, logged) to make room; other
 * kinds (staff audit records) are never dropped for room, so a full outbox
 * without a rating refuses the put (ERR_FULL).
 *
 * Privacy: nothing personal may be put here. A rating's body is its level,
 * service, reasons and ref (a queue number or certificate number) only:
 * never the registry token, a name, an ID number or a face. The caller
 * builds bodies from a whitelist (app/rating.h); the outbox stores what
 * it is given, and the file outlives every visit.
 *
 * Times are wall-clock seconds (they must survive a restart); a next
 * attempt further ahead than the longest backoff (the clock was set back)
 * counts as due.
 *
 * Threads: one struct outbox per thread; the outbox pump (app/outbox_pump.h)
 * owns the kiosk's. Calls block on the disk (an fsync per change): never
 * from the UI thread.
 */
#ifndef STORE_OUTBOX_H
#define STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum outbox_state {
    OUTBOX_WAITING = 0, /* not delivered yet: due at next_at */
    OUTBOX_DELIVERED,   /* the registry has it (2xx) */
    OUTBOX_DROPPED      /* given up: refused for good (4xx), or dropped for room */
};

#define OUTBOX_KIND_RATING   "rating"
#define OUTBOX_KIND_MAX      16   /* kind: 1..15 bytes of [a-z_] */
#define OUTBOX_KEY_MAX       40   /* the Idempotency-Key: 32 hex digits */
#define OUTBOX_METHOD_MAX    8    /* POST, PUT, PATCH, DELETE */
#define OUTBOX_PATH_MAX      128  /* "/v1/ratings": '/' then printable ASCII, no spaces */
#define OUTBOX_BODY_MAX      4096 /* JSON text, bytes */
#define OUTBOX_ITEMS_MAX     10000
#define OUTBOX_BACKOFF_MAX_S 3600

struct outbox_item {
    int64_t id;
    enum outbox_state state;
    char kind[OUTBOX_KIND_MAX];
    char key[OUTBOX_KEY_MAX];
    char method[OUTBOX_METHOD_MAX];
    char path[OUTBOX_PATH_MAX];
    int64_t created; /* wall clock, seconds */
    int attempts;    /* failed deliveries so far */
    int64_t next_at; /* wall clock, seconds */
    size_t body_len;
    char body[OUTBOX_BODY_MAX]; /* NUL-terminated */
};

struct outbox;

/* Opens (creating) the outbox at path; its folder must exist. max_items
 * bounds the waiting items (0: OUTBOX_ITEMS_MAX). Returns 0, ERR_IO (cannot
 * open or create; logged), ERR_NOMEM. */
int outbox_open(const char *path, int max_items, struct outbox **out);

/* Closes; NULL is a no-op. */
void outbox_close(struct outbox *o);

/* Adds a waiting item, due at once (now, wall seconds), with a fresh
 * Idempotency-Key. kind, method, path and body are borrowed and copied.
 * *id (may be NULL) is the new item's id.
 * Returns 0;
 *   ERR_INVALID  a bad kind, method or path, or an empty body;
 *   ERR_TOOBIG   body of OUTBOX_BODY_MAX bytes or more;
 *   ERR_FULL     the disk is full, or max_items are waiting and none of
 *                them is a rating that could make room;
 *   ERR_IO       any other storage failure (no randomness, locked,
 *                damaged file).
 * Nothing was stored unless it returns 0; the error is logged here, the
 * caller decides what to tell (for a rating: nothing, it is dropped). */
int outbox_put(struct outbox *o, const char *kind, const char *method, const char *path,
               const char *body, int64_t now, int64_t *id);

/* The oldest waiting item that is due at now into out. Returns 0,
 * ERR_EMPTY (nothing due), ERR_IO. */
int outbox_next_due(struct outbox *o, int64_t now, struct outbox_item *out);

/* When the next waiting item is due (*at, wall seconds; may be <= now).
 * Returns 0, ERR_EMPTY (nothing waits), ERR_IO. */
int outbox_next_at(struct outbox *o, int64_t *at);

/* Item id reached the registry (at now): finished. Returns 0,
 * ERR_NOTFOUND (no waiting item id), ERR_IO. */
int outbox_delivered(struct outbox *o, int64_t id, int64_t now);

/* A delivery of item id failed at now. permanent (a 4xx that will never
 * succeed): dropped, logged. Otherwise attempts += 1 and the next attempt
 * waits outbox_backoff_s(attempts). Returns 0, ERR_NOTFOUND, ERR_IO. */
int outbox_failed(struct outbox *o, int64_t id, int64_t now, bool permanent);

/* Makes every waiting item due at now (the registry is back: no need to
 * wait out an hour's backoff). Returns the number moved or ERR_IO. */
int outbox_hurry(struct outbox *o, int64_t now);

/* Waiting items; ERR_IO. */
int outbox_count(struct outbox *o);

/* Reads item id (any state) into out. Returns 0, ERR_NOTFOUND, ERR_IO. */
int outbox_get(struct outbox *o, int64_t id, struct outbox_item *out);

/* Deletes finished items (delivered, dropped) finished before before_s.
 * Returns the number deleted or ERR_IO. */
int outbox_prune(struct outbox *o, int64_t before_s);

/* Seconds to wait after the attempts-th failure: 10 s, 30 s, 2 min,
 * 10 min, then 1 hour. */
int64_t outbox_backoff_s(int attempts);

/* Stable lowercase name of a state. */
const char *outbox_state_name(enum outbox_state s);

#endif
