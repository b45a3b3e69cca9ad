/* transport.h - the byte seam between a device driver and its hardware.
 *
 * A driver speaks its protocol (GA/T 467 frames, ESC/POS) in whole
 * messages and never knows whether the bytes go over libusb bulk pipes, a
 * tty, or a simulated device in the same process. Each transport is one
 * const struct transport_ops plus an instance; tests and demo mode swap in
 * a sim transport and the real codec and driver loop still run.
 *
 * DESIGN: every call is synchronous with a timeout, because each driver
 * runs on its own thread and owns its transport (STYLE.md "Drivers"). A
 * driver that must stop promptly reads in short slices (<= 50 ms) and
 * checks its stop flag between them, so no cancel operation is needed.
 * A transport instance belongs to one thread at a time; the sim's control
 * API is the only part that other threads may call.
 */
#ifndef DRIVERS_CORE_TRANSPORT_H
#define DRIVERS_CORE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct transport;

struct transport_ops {
    /* Short stable name for logs and config ("sim", "usb", "tty"). Required. */
    const char *name;

    /* Claims the device (opens the tty, claims the USB interface, resets the
     * sim's link state). Called on the driver thread; may block up to about
     * one second. Returns 0, ERR_NODEV when the device is absent (the driver
     * retries later), ERR_BUSY when another owner holds it, ERR_IO.
     * Required. */
    int (*open)(struct transport *t);

    /* Releases what open claimed and drops buffered bytes. Called on the
     * driver thread; never fails; safe to call when not open. Required. */
    void (*close)(struct transport *t);

    /* Sends len bytes from data (borrowed for the call), which the driver
     * always passes as one whole protocol message (one frame), so a
     * transport that must split a frame across pipes (GA/T 467 USB mode:
     * preamble+length on EP 0x02, the rest on EP 0x06) can do so. Sends
     * all of it or fails. Blocks at most timeout_ms. Returns 0,
     * ERR_TIMEOUT, ERR_NODEV (unplugged: the driver closes and reopens),
     * ERR_IO. Required. */
    int (*write)(struct transport *t, const uint8_t *data, size_t len, int timeout_ms);

    /* Receives up to cap bytes into data (borrowed) as they arrive: any
     * split, possibly part of a frame or several frames; the driver's
     * stream decoder reassembles. Blocks at most timeout_ms (0 = only what
     * is already buffered). Returns the byte count (> 0), ERR_TIMEOUT when
     * nothing arrived, ERR_NODEV, ERR_IO. Required. */
    int (*read)(struct transport *t, uint8_t *data, size_t cap, int timeout_ms);

    /* Writes a short status for logs and staff into out (size bytes, always
     * NUL-terminated, no personal data): what is open ("usb 0400:c35a
     * split 02/06 81/85 on /dev/bus/usb/001/004", "tty /dev/ttyUSB0
     * 115200 8N1") or why the last open failed ("no reader found",
     * "permission denied on /dev/bus/usb/001/004"). Called on the driver
     * thread only. Optional (NULL: the name is used). */
    void (*describe)(struct transport *t, char *out, size_t size);
};

/* An instance: the ops and the transport's own state. The creator of the
 * transport (usb, tty, sim constructor) owns it and outlives every driver
 * that borrows it. */
struct transport {
    const struct transport_ops *ops;
    void *priv;
};

static inline int transport_open(struct transport *t)
{
    return t->ops->open(t);
}

static inline void transport_close(struct transport *t)
{
    t->ops->close(t);
}

static inline int transport_write(struct transport *t, const uint8_t *data, size_t len,
                                  int timeout_ms)
{
    return t->ops->write(t, data, len, timeout_ms);
}

static inline int transport_read(struct transport *t, uint8_t *data, size_t cap, int timeout_ms)
{
    return t->ops->read(t, data, cap, timeout_ms);
}

/* The transport's status text (see describe), or its name. */
void transport_describe(struct transport *t, char *out, size_t size);

#endif
