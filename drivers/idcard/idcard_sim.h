/* idcard_sim.h - a simulated GA/T 467 SAM module behind a transport.
 *
 * The sim answers request frames with real reply frames built by the same
 * codec (sam_frame, idcard_encode_text) from the card the app says is
 * lying on it, so demo mode and tests run the real reader loop and
 * decoder. Its transport is handed to idcard_reader_create like a usb or
 * tty one. The control calls (present, remove, fault) are thread-safe:
 * the UI thread, the control socket or a test drives them while the
 * reader thread talks to the transport.
 */
#ifndef IDCARD_IDCARD_SIM_H
#define IDCARD_IDCARD_SIM_H

#include "drivers/core/transport.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/sam_frame.h"

enum idcard_sim_fault {
    IDCARD_SIM_FAULT_NONE = 0,       /* clears armed and persistent faults (not unplug) */
    IDCARD_SIM_FAULT_NO_CARD,        /* persistent: find answers 80 even with a card */
    IDCARD_SIM_FAULT_CHECKSUM,       /* once: the next 30 01 / 30 10 reply has a wrong CHK */
    IDCARD_SIM_FAULT_TRUNCATED,      /* once: the next 30 01 / 30 10 reply stops halfway */
    IDCARD_SIM_FAULT_READ_FAILED,    /* once: the next 30 01 / 30 10 answers SW3 41 */
    IDCARD_SIM_FAULT_FIND_FAILED,    /* once: the next find answers SW3 80 */
    IDCARD_SIM_FAULT_SELECT_FAILED,  /* once: the next select answers SW3 81 */
    IDCARD_SIM_FAULT_SILENT,         /* once: the next request gets no reply at all */
    IDCARD_SIM_FAULT_SAM_DEAD,       /* persistent: every request answers SW3 60 */
    IDCARD_SIM_FAULT_UNPLUG,         /* transport calls fail with ERR_NODEV until REPLUG */
    IDCARD_SIM_FAULT_UNPLUG_ON_READ, /* once: unplugged when the next 30 01 / 30 10 arrives */
    IDCARD_SIM_FAULT_REPLUG,         /* plugged in again (a fresh module) */
    IDCARD_SIM_FAULT_WEDGED          /* persistent: the next transport call never returns (a
                                        USB stack stuck in the kernel), whatever its timeout
                                        or a close, until NONE */
};

struct idcard_sim;

/* Creates a plugged-in module with no card. Returns NULL on ERR_NOMEM. */
struct idcard_sim *idcard_sim_create(void);

/* Frees the sim and wipes the card it held. Stop and destroy every reader
 * using its transport first. NULL is a no-op. */
void idcard_sim_destroy(struct idcard_sim *sim);

/* The sim's transport (borrowed; lives as long as the sim). */
struct transport *idcard_sim_transport(struct idcard_sim *sim);

/* Puts card (copied; the caller keeps and wipes its own) on the reader,
 * replacing any card there. The card's address goes in the text block;
 * use idcard_sim_append_address for a 30 03 appended address. Returns 0,
 * or an idcard_encode_text error (ERR_TOOBIG, ERR_INVALID) and then no
 * card is present. Any thread. */
int idcard_sim_present(struct idcard_sim *sim, const struct idcard *card);

/* Gives the present card an appended address (30 03); NULL clears it.
 * Returns 0, ERR_NOTFOUND (no card), ERR_TOOBIG, ERR_INVALID. */
int idcard_sim_append_address(struct idcard_sim *sim, const char *address);

/* Gives the present card a fingerprint block of len bytes (0, 512 or 1024;
 * made-up bytes, not a fingerprint) that a 30 10 read returns; a card has
 * none until this is called. Returns 0, ERR_NOTFOUND (no card),
 * ERR_INVALID (over 1024). Any thread. */
int idcard_sim_set_fingerprint(struct idcard_sim *sim, size_t len);

/* Takes the card away (wiped). Any thread. */
void idcard_sim_remove(struct idcard_sim *sim);

/* Injects a fault (see the enum). One-shot faults queue: injecting
 * CHECKSUM twice spoils two reads. Any thread. */
void idcard_sim_fault(struct idcard_sim *sim, enum idcard_sim_fault fault);

/* Once: the next reply to command c carries status sw3 (any SW3 code) and
 * no data. Any thread. */
void idcard_sim_fault_status(struct idcard_sim *sim, enum sam_command c, uint8_t sw3);

/* How many requests of command c the sim has answered or swallowed since
 * creation (tests check retries). Any thread. */
unsigned idcard_sim_requests(struct idcard_sim *sim, enum sam_command c);

#endif
