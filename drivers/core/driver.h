/* driver.h - the registry of device drivers and their static facts.
 *
 * Each driver publishes one const struct driver_info beside its ops: name,
 * device class, the USB ids it can drive and its capabilities. The
 * program registers the drivers it links in (the kiosk: app/devices.c)
 * and picks each device by class and the name its config gives, so a
 * name is unique within its class ("sim" is the simulated twin in every
 * class). Hotplug and staff diagnostics look drivers up here, and the
 * same id tables produce the udev rules, so a new reader model is one
 * table row. Registration happens at start-up on the main thread; lookups
 * are thread-safe afterwards.
 */
#ifndef DRIVERS_CORE_DRIVER_H
#define DRIVERS_CORE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

enum driver_class {
    DRIVER_CLASS_IDCARD = 1, /* ID card reader */
    DRIVER_CLASS_CAMERA,     /* face camera */
    DRIVER_CLASS_PRINTER     /* slip or A4 printer */
};

/* One USB vendor:product pair a driver claims; note says which product it
 * was seen on. Tables end with a {0, 0, NULL} row. */
struct driver_usb_id {
    uint16_t vid;
    uint16_t pid;
    const char *note;
};

/* Capability bits, class-specific meanings kept in one place. */
enum driver_cap {
    DRIVER_CAP_SIM = 1u << 0,         /* has a simulated twin transport */
    DRIVER_CAP_USB = 1u << 1,         /* can run over libusb */
    DRIVER_CAP_TTY = 1u << 2,         /* can run over a serial tty */
    DRIVER_CAP_PHOTO = 1u << 3,       /* idcard: returns the WLT photo block */
    DRIVER_CAP_FINGERPRINT = 1u << 4, /* idcard: can return fingerprint templates */
};

struct driver_info {
    const char *name;                    /* unique, e.g. "idcard-sam" */
    const char *description;             /* one line for staff diagnostics */
    enum driver_class cls;               /* what kind of device */
    const struct driver_usb_id *usb_ids; /* {0,0,NULL}-terminated; NULL if none */
    unsigned caps;                       /* enum driver_cap bits */
    const void *ops;                     /* the class's ops struct, e.g. struct idcard_ops */
    const void *binding; /* optional: how the program opens it from its settings; the
                          * program's own type, never read in drivers/ */
};

/* Parses "VVVV:PPPP", four hex digits on each side as lsusb prints them,
 * into *vid and *pid. Returns 0 or ERR_INVALID. Pure. */
int driver_usb_id_parse(const char *s, uint16_t *vid, uint16_t *pid);

#define DRIVER_MAX 16

/* Adds d (borrowed; must be static) to the registry. Returns 0,
 * ERR_INVALID (no name), ERR_BUSY (name taken in d's class), ERR_FULL. */
int driver_register(const struct driver_info *d);

/* Removes every registration (tests). */
void driver_clear(void);

/* Returns the first driver named name in any class, or NULL. */
const struct driver_info *driver_find(const char *name);

/* Returns the driver of class cls named name, or NULL. */
const struct driver_info *driver_find_class(enum driver_class cls, const char *name);

/* Writes the names of class cls's drivers, in registration order and
 * separated by ", ", into out (size bytes, always NUL-terminated), for
 * messages that list the allowed values. Returns the length written, or
 * ERR_TOOBIG if out is too small. */
int driver_format_names(enum driver_class cls, char *out, size_t size);

/* Returns the first driver of class cls whose id table lists vid:pid, or
 * NULL. */
const struct driver_info *driver_find_usb(enum driver_class cls, uint16_t vid, uint16_t pid);

/* Number of registered drivers, and the i-th one (NULL past the end). */
size_t driver_count(void);
const struct driver_info *driver_at(size_t i);

#endif
