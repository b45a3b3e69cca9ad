/* devices.h - how the kiosk opens a driver the config names.
 *
 * DESIGN: [devices] reader, camera and slip_printer each name a driver in
 * the driver registry (drivers/core/driver.h) of that class. Every driver
 * the kiosk can use is one const struct driver_info in app/devices/, whose
 * binding (struct device_binding) opens it from struct config, and one
 * line in devices.c's list; nothing else names it. A reader is the
 * GA/T 467 protocol (idcard_sam_ops) over a transport, so its drivers
 * differ in the transport they open; cameras and printers are an ops
 * struct and an instance. Main thread, at start-up and shutdown.
 */
#ifndef APP_DEVICES_H
#define APP_DEVICES_H

#include "core/config.h"
#include "drivers/core/driver.h"

/* One opened device. */
struct device {
    const struct driver_info *driver; /* the registry's entry; NULL: not open */
    void *handle;                     /* what the binding created and closes (the sim twins: the
                                       * handle tests and the control socket drive) */
    void *ctx;                        /* what the class's ops take: a struct transport for a reader,
                                       * the instance for a camera or printer */
};

struct device_binding {
    /* Creates the device from cfg into d (handle and ctx). Returns 0, or an
     * err after logging which setting is wrong. */
    int (*open)(const struct config *cfg, struct device *d);
    /* Releases what open created. Called only after a successful open. */
    void (*close)(struct device *d);
};

/* Makes dir (one level) unless it exists; logs why not. */
void devices_make_dir(const char *dir);

/* A file of the kiosk's own state (outbox, guide copy, staff PINs): the
 * configured path, else <output_dir>/name with the folder made. */
void devices_state_path(const struct config *cfg, const char *configured, const char *name,
                        char *out, size_t size);

/* Demo mode saves certificates into [print] output_dir instead of sending
 * them to CUPS, and they show a (demo) citizen's masked name and homes:
 * the certificates (and their unfinished temporary files) are removed at
 * start-up and at the end of every visit; at start-up also what the
 * simulated slip printer drew and the staff's test pages. A file still
 * being written when a visit ends goes at the next. */
void devices_clean_demo_output(const struct config *cfg, bool at_start);

/* app/devices/readers.c: the GA/T 467 reader over each transport. */
extern const struct driver_info reader_sim_device, reader_usb_device, reader_tty_device;

/* app/devices/cameras.c */
extern const struct driver_info camera_sim_device, camera_v4l2_device, camera_uvc_device;

/* app/devices/slip_printers.c: ESC/POS slip printers. */
extern const struct driver_info slip_sim_device, slip_lp_device, slip_usb_device;

#endif
