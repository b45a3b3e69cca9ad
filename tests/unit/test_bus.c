/* test_bus.c - wake-up on the empty edge only, payload ownership. */
#include "base/err.h"
#include "core/bus.h"
#include "check.h"

#include <stdlib.h>

static int wakes, frees;

static void wake(void *user)
{
    (void)user;
    wakes++;
}

static void free_payload(void *p)
{
    frees++;
    free(p);
}

int main(void)
{
    struct bus *b = bus_create(3, wake, NULL);
    CHECK_EQ_INT(bus_post_simple(b, BUS_CARD_REMOVED, 0, 0, 0, false), 0);
    CHECK_EQ_INT(bus_post_simple(b, BUS_READER_STATE, 0, 0, 0, true), 0);
    CHECK_EQ_INT(wakes, 1);
    struct bus_msg m = {
        .kind = BUS_CARD_INSERTED, .payload = malloc(8), .free_payload = free_payload};
    CHECK_EQ_INT(bus_post(b, &m), 0);
    CHECK_EQ_INT(bus_post_simple(b, BUS_REGISTRY_STATE, 0, 0, 0, false), ERR_FULL);
    struct bus_msg got;
    CHECK_EQ_INT(bus_pop(b, &got), 0);
    CHECK_EQ_INT(got.kind, BUS_CARD_REMOVED);
    CHECK_EQ_INT(bus_pop(b, &got), 0);
    CHECK(got.flag);
    CHECK_EQ_INT(bus_pop(b, &got), 0);
    CHECK_EQ_INT(got.kind, BUS_CARD_INSERTED);
    bus_msg_release(&got);
    CHECK_EQ_INT(frees, 1);
    CHECK_EQ_INT(bus_pop(b, &got), ERR_EMPTY);
    CHECK_EQ_INT(bus_post_simple(b, BUS_REGISTRY_STATE, 0, 0, 0, false), 0);
    CHECK_EQ_INT(wakes, 2);
    /* Payloads still queued are freed with the bus. */
    m.payload = malloc(8);
    CHECK_EQ_INT(bus_post(b, &m), 0);
    bus_destroy(b);
    CHECK_EQ_INT(frees, 2);
    return check_report("test_bus");
}
