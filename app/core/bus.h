/* bus.h - the event bus: how every thread talks to the UI thread.
 *
 * Device threads, the registry worker, the print worker and the control
 * socket post messages; the UI thread pops them between frames. The bus
 * is one bounded inbox (base/queue) plus a wake-up hook: when the inbox
 * goes from empty to non-empty, wake() is called once (the composition
 * root pushes one registered SDL event, which ends SDL_WaitEventTimeout),
 * so an idle kiosk sleeps and a busy one is not flooded with wake-ups.
 *
 * A message may carry one heap payload with its own free function (which
 * wipes it: card fields and replies are personal). Ownership passes to the
 * bus on a successful post, and to the UI thread on pop; bus_msg_release
 * frees it. On a failed post the sender still owns it.
 */
#ifndef CORE_BUS_H
#define CORE_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bus_kind {
    BUS_CARD_INSERTED, /* payload: struct idcard */
    BUS_CARD_REMOVED,
    BUS_CARD_FAILED,    /* err: ERR_*, arg: SAM status byte */
    BUS_READER_STATE,   /* flag: connected */
    BUS_FACE_GUIDANCE,  /* arg: enum face_guidance */
    BUS_FACE_CAPTURED,  /* a live frame is held by the face module */
    BUS_FACE_FAILED,    /* arg: enum face_guidance */
    BUS_CAMERA_FRAME,   /* a new preview frame is in the mailbox */
    BUS_REPLY,          /* req_id, payload: struct flow_reply */
    BUS_REGISTRY_STATE, /* flag: connected */
    BUS_PRINT_RESULT,   /* req_id, err, payload: print result */
    BUS_SLIP_RESULT,    /* req_id, err, payload: struct slip_result */
    BUS_SLIP_STATUS,    /* payload: struct slip_status */
    BUS_CONTROL,        /* payload: a control-socket command */
};

struct bus_msg {
    enum bus_kind kind;
    uint32_t req_id;
    int err;
    int arg;
    bool flag;
    void *payload;
    void (*free_payload)(void *payload); /* NULL: payload is not owned */
};

typedef void (*bus_wake_fn)(void *user);

struct bus;

/* Returns a bus holding up to capacity messages, or NULL. wake is called
 * from the posting thread on the empty -> non-empty edge. */
struct bus *bus_create(size_t capacity, bus_wake_fn wake, void *user);

/* Releases the bus and every payload still queued. NULL is a no-op. */
void bus_destroy(struct bus *b);

/* Posts a copy of msg. Returns 0 (the bus owns the payload now), ERR_FULL
 * or ERR_CLOSED (the caller still owns it). Any thread. */
int bus_post(struct bus *b, const struct bus_msg *msg);

/* Takes the oldest message without waiting. Returns 0 or ERR_EMPTY.
 * UI thread. The caller owns msg's payload. */
int bus_pop(struct bus *b, struct bus_msg *msg);

/* Frees msg's payload through its free function. */
void bus_msg_release(struct bus_msg *msg);

/* Convenience for payload-free messages. */
int bus_post_simple(struct bus *b, enum bus_kind kind, uint32_t req_id, int err, int arg,
                    bool flag);

#endif
