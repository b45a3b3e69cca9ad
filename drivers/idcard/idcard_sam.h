/* idcard_sam.h - the ID card reader driver ops, and the GA/T 467 SAM driver.
 *
 * struct idcard_ops is the contract between the reader loop
 * (idcard_reader.c: when to poll, retry, report) and one reader protocol
 * (how to ask the module). idcard_sam_ops speaks GA/T 467 SAM frames over
 * any transport (usb, tty, sim). Every member runs on the reader thread,
 * blocks at most its timeout, and honours the link's stop flag within
 * about 50 ms.
 */
#ifndef IDCARD_IDCARD_SAM_H
#define IDCARD_IDCARD_SAM_H

#include "drivers/core/driver.h"
#include "drivers/core/transport.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/sam_frame.h"

#include <stdatomic.h>

/* One reader's connection state, owned by the reader thread. */
struct idcard_link {
    struct transport *t;          /* borrowed; opened and closed by the reader */
    const atomic_bool *stop;      /* when set, calls return ERR_CANCELLED soon */
    struct sam_frame_decoder dec; /* reassembles replies; wiped between commands */
    uint8_t rx[512];              /* one transport read */
};

/* Initialises l over t (borrowed) with stop (borrowed, may be NULL). */
void idcard_sam_link_init(struct idcard_link *l, struct transport *t, const atomic_bool *stop);

/* Wipes the decoder and scratch (card text may have passed through). */
void idcard_sam_link_fini(struct idcard_link *l);

/* Common returns of every member below: 0 success; ERR_TIMEOUT no complete
 * reply in time; ERR_CHECKSUM the reply failed its check, or the module
 * saw our frame damaged (SW3 10; retry); ERR_PROTOCOL malformed reply;
 * ERR_NODEV transport unplugged; ERR_CANCELLED stop requested; ERR_IO the
 * module answered with a failure status. *sam_status receives SW3 when a
 * checked reply arrived, else SAM_STATUS_NONE. */
struct idcard_ops {
    /* Short name for logs ("sam"). Required. */
    const char *name;

    /* Asks whether the module is healthy (SAM 11 FF, SW3 90). Called after
     * every open. Required. */
    int (*status)(struct idcard_link *l, int timeout_ms, int *sam_status);

    /* Looks for a card in the field (20 01). Returns 0 when one answers
     * (SW3 9F), ERR_NOTFOUND when none (SW3 80), or a common error.
     * Required. */
    int (*find)(struct idcard_link *l, int timeout_ms, int *sam_status);

    /* Selects the found card (20 02, SW3 90). Must follow a successful
     * find before every read. Required. */
    int (*select)(struct idcard_link *l, int timeout_ms, int *sam_status);

    /* Reads text and photo (30 01) into out (cleared first): the text
     * block parsed, the WLT photo copied. ERR_UNSUPPORTED for an unknown
     * card type. On failure out holds nothing of the card. Required. */
    int (*read_base)(struct idcard_link *l, int timeout_ms, struct idcard *out, int *sam_status);

    /* Reads text, photo and the fingerprint block's size (30 10) into out,
     * as read_base does, and sets out->fingerprint_asked and
     * fingerprint_len; the fingerprint bytes are wiped from the link, never
     * copied. Optional (NULL: the reader reads with read_base). */
    int (*read_full)(struct idcard_link *l, int timeout_ms, struct idcard *out, int *sam_status);

    /* Reads the latest appended address (30 03) and joins it to
     * card->address. ERR_NOTFOUND when the card has none (SW3 91).
     * Optional (NULL: never asked). */
    int (*read_address)(struct idcard_link *l, int timeout_ms, struct idcard *card,
                        int *sam_status);
};

/* The GA/T 467 SAM protocol over any transport. */
extern const struct idcard_ops idcard_sam_ops;

/* Static facts: name "idcard-sam", class DRIVER_CLASS_IDCARD, USB ids of
 * native SAM readers, caps; .ops points at idcard_sam_ops. Register it
 * with driver_register(&idcard_sam_driver); the kiosk does so in
 * app/devices.c, and picks it by the [devices] reader name. */
extern const struct driver_info idcard_sam_driver;

#endif
