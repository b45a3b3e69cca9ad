/* printer.h - the slip printer seam: one ops struct per transport.
 *
 * The slip worker thread (the only caller) sends ESC/POS bytes, reads what
 * the printer sends back on its IN pipe, and asks for the real-time
 * status. Three transports: the simulated printer (here), the USB printer
 * class over libusb (printer_usb.h) and the kernel's /dev/usb/lp* node
 * (printer_lp.h). The simulated printer decodes the real byte stream, so
 * demo mode and tests print through the same encoder as a hall.
 */
#ifndef ESCPOS_PRINTER_H
#define ESCPOS_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Real-time status, from DLE EOT 1/2/4 (or ASB, or the USB port status). */
struct printer_status {
    bool online;
    bool cover_open;
    bool paper_out;
    bool paper_near_end;
    bool error; /* cutter, mechanical, unrecoverable or auto-recoverable error */
};

struct printer_ops {
    const char *name;
    /* Opens the printer. Worker thread; may block up to 1 s. 0, ERR_NODEV
     * (absent: the worker retries later), ERR_BUSY, ERR_IO. Required. */
    int (*open)(void *ctx);
    /* Sends all len bytes (borrowed) within timeout_ms. 0, ERR_TIMEOUT (the
     * printer stopped taking bytes: paper out, cover open), ERR_IO,
     * ERR_NODEV (unplugged: close, then open again). *sent (may be NULL)
     * receives the bytes the printer accepted, also on error. Required. */
    int (*write)(void *ctx, const uint8_t *data, size_t len, int timeout_ms, size_t *sent);
    /* Reads up to cap bytes the printer sent back (status replies, ASB
     * frames, job markers) within timeout_ms (0: only what is there).
     * Returns the count (> 0), ERR_TIMEOUT, ERR_NODEV, ERR_IO,
     * ERR_UNSUPPORTED (a one-way printer). Required. */
    int (*read)(void *ctx, uint8_t *data, size_t cap, int timeout_ms);
    /* Reads the real-time status (DLE EOT 1, 2, 3, 4 after draining the IN
     * pipe; or the USB port status on a one-way printer). 0, ERR_TIMEOUT,
     * ERR_NODEV, ERR_IO. Required. */
    int (*status)(void *ctx, struct printer_status *out);
    /* Drops whatever the printer holds of an interrupted job (USB
     * SOFT_RESET, or padding that completes a cut-off raster band) so the
     * next bytes start a command. 0 or an error. Required. */
    int (*reset)(void *ctx);
    /* Closes the printer; safe when not open. Required. */
    void (*close)(void *ctx);
};

/* ---- the simulated printer -------------------------------------------------- */

enum printer_sim_state {
    PRINTER_SIM_READY = 0,
    PRINTER_SIM_PAPER_OUT,
    PRINTER_SIM_NEAR_END,
    PRINTER_SIM_COVER_OPEN,
    PRINTER_SIM_OFFLINE
};

struct printer_sim;

extern const struct printer_ops printer_sim_ops;

/* A simulated printer that keeps the bytes it was sent (up to max) and
 * decodes them into slips. Any thread; destroy when no worker uses it. */
struct printer_sim *printer_sim_create(size_t max);
void printer_sim_destroy(struct printer_sim *p);

/* Every slip it cuts is written as dir/slip-NNNN.png (dir borrowed,
 * copied; NULL or "" keeps no pictures). Any thread. */
void printer_sim_set_png_dir(struct printer_sim *p, const char *dir);

/* Puts the simulated printer in a state. Refilling paper (READY after
 * PAPER_OUT) keeps what the printer holds, as a real one does. Any thread. */
void printer_sim_set_state(struct printer_sim *p, enum printer_sim_state s);

/* Paper left on the roll in dot rows; when printing reaches it the
 * printer goes PAPER_OUT in the middle of the slip. < 0: endless (the
 * default). Any thread. */
void printer_sim_set_paper(struct printer_sim *p, long rows);

/* Parses "ready", "paper-out", "near-end", "cover-open", "offline"; -1 if unknown. */
int printer_sim_state_parse(const char *name);

/* Bytes received so far (copied into out, at most cap). Any thread. */
size_t printer_sim_take(struct printer_sim *p, uint8_t *out, size_t cap);

/* Slips cut so far, and partial slips torn off by a reset. Any thread. */
int printer_sim_slips(struct printer_sim *p);

#endif
