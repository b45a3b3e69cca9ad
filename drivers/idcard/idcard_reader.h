/* idcard_reader.h - the ID card reader: a thread that watches for cards.
 *
 * The reader owns one transport (usb, tty or sim) and one protocol (struct
 * idcard_ops, normally idcard_sam_ops) and runs the read loop on its own
 * thread: open and status-check the module, poll for a card, select, read
 * text and photo (30 01, or 30 10 where configured), read the appended
 * address, report, then wait until the card has left the field before
 * accepting another. It tells the app what happened through a sink of
 * callbacks; it never sees screens or the bus.
 *
 * Usage (as app/devices/readers.c does in demo mode):
 *
 *     struct idcard_sim *sim = idcard_sim_create();
 *     struct idcard_sink sink = {.card_inserted = on_card, .card_removed = on_gone,
 *                                .read_failed = on_fail, .reader_state = on_state,
 *                                .user = bus};
 *     struct idcard_reader *r =
 *         idcard_reader_create(&idcard_sam_ops, idcard_sim_transport(sim), &sink, NULL);
 *     idcard_reader_start(r);
 *     ...  idcard_sim_present(sim, &demo_card);  idcard_sim_remove(sim);
 *     idcard_reader_stop(r);
 *     idcard_reader_destroy(r);
 *     idcard_sim_destroy(sim);
 */
#ifndef IDCARD_IDCARD_READER_H
#define IDCARD_IDCARD_READER_H

#include "drivers/core/transport.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/idcard_sam.h"

#include <stdbool.h>

/* Events, called on the reader thread. Each callback must return quickly
 * (copy what it needs and post it to the bus); any may be NULL. */
struct idcard_sink {
    /* A card was read. card is borrowed for the call only: the driver
     * wipes its copy (explicit_bzero) as soon as the callback returns. */
    void (*card_inserted)(void *user, const struct idcard *card);

    /* The card reported by card_inserted has left the field. */
    void (*card_removed)(void *user);

    /* A card was found but could not be read after the retries. err is an
     * ERR_* code (ERR_CHECKSUM, ERR_TIMEOUT, ERR_IO with the module's
     * failure status, ERR_PROTOCOL, ERR_UNSUPPORTED card type); sam_status
     * is the last SW3 (enum sam_status) or SAM_STATUS_NONE. The reader then
     * waits for that card to leave before trying again; no card_removed
     * follows. */
    void (*read_failed)(void *user, int err, int sam_status);

    /* The module became reachable and healthy (true) or was lost (false:
     * unplugged, not answering, failing its self-test). */
    void (*reader_state)(void *user, bool connected);

    void *user; /* passed back to every callback */
};

/* Timings and policy. idcard_reader_config_init fills the defaults shown. */
struct idcard_reader_config {
    int poll_ms;            /* 300: find interval while idle and while a card lies there */
    int wait_poll_ms;       /* 50: find interval while idle and the kiosk waits for a card
                             * (idcard_reader_set_waiting); a find is a 10-byte request and
                             * an 11-byte answer, about 2 ms of a 115200 baud line */
    int reconnect_ms;       /* 1000: pause before reopening a lost module */
    int status_timeout_ms;  /* 500 */
    int find_timeout_ms;    /* 300 */
    int select_timeout_ms;  /* 300 */
    int read_timeout_ms;    /* 2000: 1295-byte reply, ~112 ms on the wire at 115200 */
    int full_timeout_ms;    /* 3000: the 30 10 read (read_fingerprint), up to 2321 bytes */
    int address_timeout_ms; /* 1500 */
    int read_retries;       /* 2: further find/select/read rounds after a failed read */
    int removal_polls;      /* 2: consecutive "no card" answers that mean removed */
    int lost_after;         /* 3: consecutive timeouts that mean the module is gone */
    bool read_address;      /* true: ask for the appended address (30 03) */
    /* false: read with 30 01 (text, photo). true: with 30 10, which some
     * readers are set up to answer, keeping the fingerprint block's size
     * only (ops->read_full; 30 01 where the ops have none). */
    bool read_fingerprint;
};

void idcard_reader_config_init(struct idcard_reader_config *cfg);

struct idcard_reader;

/* Creates a stopped reader. ops: the protocol (NULL = idcard_sam_ops);
 * t: borrowed, must outlive the reader, not opened yet (the reader opens
 * and closes it on its thread); sink and cfg are copied (cfg NULL =
 * defaults). Returns NULL on ERR_NOMEM or a NULL t. Main thread. */
struct idcard_reader *idcard_reader_create(const struct idcard_ops *ops, struct transport *t,
                                           const struct idcard_sink *sink,
                                           const struct idcard_reader_config *cfg);

/* Starts the reader thread. Returns 0, ERR_BUSY (already running),
 * ERR_NOMEM (thread creation failed). */
int idcard_reader_start(struct idcard_reader *r);

/* Stops the thread and waits for it (within about 100 ms: every wait and
 * transfer is sliced), then closes the transport. No callback runs after
 * this returns. Safe when not running. Never call from a sink callback. */
void idcard_reader_stop(struct idcard_reader *r);

/* The kiosk waits for a card (its card screen shows): while true and no
 * card lies on the reader, find is sent every wait_poll_ms instead of
 * poll_ms, and a pause of poll_ms already begun ends at once, so a card
 * laid right after the screen showed is found within wait_poll_ms. Polls
 * for removal keep poll_ms. Any thread; cheap when nothing changes. */
void idcard_reader_set_waiting(struct idcard_reader *r, bool waiting);

/* What idcard_reader_set_waiting last set (false for NULL). Any thread. */
bool idcard_reader_is_waiting(struct idcard_reader *r);

/* Writes a short status for staff and logs into out (size bytes, always
 * NUL-terminated; never personal data): "connected usb 0400:c35a split
 * 02/06 81/85 on /dev/bus/usb/001/004", "no reader found", "permission
 * denied on /dev/bus/usb/001/004", "module not answering (usb ...)",
 * "module failed its self-test", "stopped". Any thread. */
void idcard_reader_status(struct idcard_reader *r, char *out, size_t size);

/* Stops if needed and frees. NULL is a no-op. */
void idcard_reader_destroy(struct idcard_reader *r);

#endif
