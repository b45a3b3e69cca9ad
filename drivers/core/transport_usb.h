/* transport_usb.h - a transport over libusb bulk pipes (native USB readers).
 *
 * Finds the first device whose VID:PID is in the driver's id table (or a
 * configured extra id), claims its interface (detaching a kernel driver
 * that holds it, and logging that), and picks the endpoint layout:
 *
 *   split   two bulk OUT and two bulk IN pipes: the first head_len bytes
 *           of each frame go to the head OUT pipe and the rest to the body
 *           OUT pipe; replies arrive the same way (GA/T 467 native USB
 *           mode: OUT 02/06, IN 81/85, head 7 bytes);
 *   single  one bulk OUT and one bulk IN pipe carry whole frames.
 *
 * The layout comes from a per-model table row when one matches the
 * device (config: "VID:PID=OUT/IN" or "VID:PID=OUTH/OUTB/INH/INB", hex),
 * else from the interface's descriptors (2+2 bulk pipes: split, lower
 * addresses carry the head; 1+1: single). Every transfer has a timeout.
 * With libusb hotplug support a departure is seen at once; the driver's
 * periodic reopen (every reconnect interval) picks the reader up again.
 *
 * libusb errors become enum err here and nowhere else
 * (transport_usb_error). A usb transport belongs to its driver's thread;
 * create and destroy on the main thread while no driver uses it. Each has
 * its own libusb context.
 */
#ifndef DRIVERS_CORE_TRANSPORT_USB_H
#define DRIVERS_CORE_TRANSPORT_USB_H

#include "drivers/core/driver.h"
#include "drivers/core/transport.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRANSPORT_USB_MODELS_MAX 8

/* One model's endpoint layout. split: out_head != out_body. */
struct transport_usb_model {
    uint16_t vid, pid;
    uint8_t out_head, out_body; /* equal in the single-pipe layout */
    uint8_t in_head, in_body;   /* equal in the single-pipe layout */
};

struct transport_usb_config {
    const struct driver_usb_id *ids; /* borrowed, {0,0,NULL}-terminated; NULL = none */
    uint16_t extra_vid, extra_pid;   /* a configured id tried as well; 0:0 = none */
    struct transport_usb_model models[TRANSPORT_USB_MODELS_MAX];
    size_t n_models;
    size_t head_len; /* split layout: bytes of a frame on the head pipe (7 for GA/T 467) */
    bool hotplug;    /* use libusb hotplug events where supported (default true) */
};

/* Fills cfg with ids (borrowed), no models, head_len 7, hotplug on. */
void transport_usb_config_init(struct transport_usb_config *cfg, const struct driver_usb_id *ids);

/* Parses a model table, rows separated by ';' or ',':
 *   "0400:c35a=02/06/81/85; 1a2b:3c4d=01/82"
 * and appends the rows to cfg->models. Empty text adds nothing. Returns 0,
 * ERR_INVALID (with nothing added), ERR_FULL (too many rows). */
int transport_usb_parse_models(const char *text, struct transport_usb_config *cfg);

/* Creates a closed usb transport (cfg copied; cfg->ids borrowed, must be
 * static). Returns NULL on ERR_NOMEM or when libusb cannot start (then
 * the log says why). Main thread. */
struct transport *transport_usb_create(const struct transport_usb_config *cfg);

/* Closes and frees, ending the libusb context. NULL is a no-op. */
void transport_usb_destroy(struct transport *t);

/* The enum err for a libusb return code (LIBUSB_ERROR_NO_DEVICE ->
 * ERR_NODEV, TIMEOUT -> ERR_TIMEOUT, ACCESS/BUSY -> ERR_BUSY, ...). */
int transport_usb_error(int libusb_rc);

#endif
