/* udev_tables.h - what 70-bdc-kiosk.rules grants the kiosk's group, as
 * tables: the drivers whose VID:PID tables name their devices (the driver's
 * own struct driver_info, so a new reader model is one row there), the
 * USB-serial bridges a reader may sit behind (no driver claims them by id:
 * the tty transport opens the node it is given), and the device classes
 * matched by kind rather than id (printers, cameras). The generator
 * (gen_udev_rules.c) and its test read these and nothing else. Pure data.
 */
#ifndef DEPLOY_UDEV_TABLES_H
#define DEPLOY_UDEV_TABLES_H

#include "drivers/core/driver.h"

#include <stddef.h>

/* The drivers whose usb_ids become one rule each (raw USB via libusb). */
extern const struct driver_info *const udev_drivers[];
extern const size_t udev_drivers_len;

/* USB-serial bridges: one rule each on the tty they make. {0,0,NULL}-ended. */
extern const struct driver_usb_id udev_serial_bridges[];

/* A device matched by its kind: one rule line's matches, and why. */
struct udev_class_rule {
    const char *match; /* udev match keys, e.g. SUBSYSTEM=="video4linux" */
    const char *note;  /* the comment above it */
};
extern const struct udev_class_rule udev_class_rules[];
extern const size_t udev_class_rules_len;

#endif
