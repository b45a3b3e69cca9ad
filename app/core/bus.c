/* bus.c - bounded inbox of the UI thread with an edge-triggered wake-up. */
#include "bus.h"

#include "base/err.h"
#include "base/queue.h"

#include <stdlib.h>

struct bus {
    struct queue *q;
    bus_wake_fn wake;
    void *user;
};

struct bus *bus_create(size_t capacity, bus_wake_fn wake, void *user)
{
    struct bus *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->q = queue_create(sizeof(struct bus_msg), capacity);
    if (!b->q) {
        free(b);
        return NULL;
    }
    b->wake = wake;
    b->user = user;
    return b;
}

void bus_destroy(struct bus *b)
{
    if (!b)
        return;
    queue_close(b->q);
    struct bus_msg m;
    while (queue_pop(b->q, &m, 0) == 0)
        bus_msg_release(&m);
    queue_destroy(b->q);
    free(b);
}

int bus_post(struct bus *b, const struct bus_msg *msg)
{
    bool was_empty = false;
    int rc = queue_push(b->q, msg, &was_empty);
    if (rc == 0 && was_empty && b->wake)
        b->wake(b->user);
    return rc;
}

int bus_pop(struct bus *b, struct bus_msg *msg)
{
    return queue_pop(b->q, msg, 0);
}

void bus_msg_release(struct bus_msg *msg)
{
    if (msg->payload && msg->free_payload)
        msg->free_payload(msg->payload);
    msg->payload = NULL;
}

int bus_post_simple(struct bus *b, enum bus_kind kind, uint32_t req_id, int err, int arg, bool flag)
{
    struct bus_msg m = {.kind = kind, .req_id = req_id, .err = err, .arg = arg, .flag = flag};
    return bus_post(b, &m);
}
