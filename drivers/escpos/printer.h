/* printer.h - the slip printer seam: one ops struct per transport.
 *
 * The printer thread (the only caller) sends ESC/POS bytes and asks for
 * the real-time status. USB printer-class and /dev/usb/lp transports slot
 * in beside the simulated printer.
 */
#ifndef ESCPOS_PRINTER_H
#define ESCPOS_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Real-time status as DLE EOT reports it. */
struct printer_status {
    bool online;
    bool cover_open;
    bool paper_out;
    bool paper_near_end;
    bool error;
};

struct printer_ops {
    const char *name;
    /* Opens the printer. Printer thread; may block up to 1 s. 0 or ERR_NODEV. */
    int (*open)(void *ctx);
    /* Sends len bytes within timeout_ms. 0, ERR_TIMEOUT, ERR_IO, ERR_NODEV. */
    int (*write)(void *ctx, const uint8_t *data, size_t len, int timeout_ms);
    /* Reads the real-time status. 0, ERR_TIMEOUT, ERR_NODEV. */
    int (*status)(void *ctx, struct printer_status *out);
    /* Closes the printer. */
    void (*close)(void *ctx);
};

enum printer_sim_state {
    PRINTER_SIM_READY = 0,
    PRINTER_SIM_PAPER_OUT,
    PRINTER_SIM_NEAR_END,
    PRINTER_SIM_COVER_OPEN,
    PRINTER_SIM_OFFLINE
};

struct printer_sim;

extern const struct printer_ops printer_sim_ops;

/* A simulated printer that keeps the bytes it was sent (up to max). */
struct printer_sim *printer_sim_create(size_t max);
void printer_sim_destroy(struct printer_sim *p);

/* Puts the simulated printer in a state. Any thread. */
void printer_sim_set_state(struct printer_sim *p, enum printer_sim_state s);

/* Parses "ready", "paper-out", "near-end", "cover-open", "offline"; -1 if unknown. */
int printer_sim_state_parse(const char *name);

/* Bytes received so far (copied into out, at most cap). Any thread. */
size_t printer_sim_take(struct printer_sim *p, uint8_t *out, size_t cap);

#endif
