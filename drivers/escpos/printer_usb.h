/* printer_usb.h - the slip printer over the USB printer class on libusb.
 *
 * Finds the printer by its class-7 interface (or by a configured VID:PID),
 * takes the interface from the kernel's usblp driver (and logs it), sends
 * ESC/POS on bulk OUT in chunks with a deadline, reads status replies and
 * job markers on bulk IN, and asks the class requests GET_DEVICE_ID and
 * GET_PORT_STATUS on the default pipe. reset() is the class SOFT_RESET.
 * An unplugged printer answers ERR_NODEV; the slip worker closes it and
 * opens it again when it is back (open() rescans the bus each time).
 *
 * Worker thread only: the libusb context is private to the printer, so
 * every libusb event is handled inside these calls.
 */
#ifndef ESCPOS_PRINTER_USB_H
#define ESCPOS_PRINTER_USB_H

#include "drivers/escpos/printer.h"

#include <stddef.h>
#include <stdint.h>

struct printer_usb_config {
    uint16_t vid, pid; /* 0:0: the first device with a printer-class interface */
    int chunk;         /* bytes per bulk OUT transfer; 0: 4096 */
};

struct printer_usb;

extern const struct printer_ops printer_usb_ops;

/* Starts a private libusb context; the printer is not opened yet. cfg
 * borrowed (may be NULL: defaults). NULL if libusb cannot start. */
struct printer_usb *printer_usb_create(const struct printer_usb_config *cfg);
void printer_usb_destroy(struct printer_usb *p);

/* What the printer is, for staff and logs: "usb 0416:5011 if 0 out 01 in
 * 82 on /dev/bus/usb/001/007 MFG:...;MDL:...;" or why there is none.
 * Borrowed; valid until the next open. Worker thread. */
const char *printer_usb_describe(const struct printer_usb *p);

/* Parses the IEEE 1284 device id reply of GET_DEVICE_ID (two bytes of
 * big-endian length that includes themselves, then the text) into out
 * (NUL-terminated, control characters dropped). Returns the text length
 * or ERR_PROTOCOL. Pure. */
int printer_usb_parse_device_id(const uint8_t *reply, size_t len, char *out, size_t size);

/* Maps a GET_PORT_STATUS byte (bit 5 paper empty, bit 4 selected, bit 3
 * not error). Pure. */
void printer_usb_port_status(uint8_t b, struct printer_status *out);

#endif
