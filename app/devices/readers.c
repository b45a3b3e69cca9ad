/* readers.c - the ID card readers [devices] reader can name.
 *
 * Every reader speaks GA/T 467 SAM frames (idcard_sam_ops); they differ in
 * the transport: sim (the simulated module, speaking the same bytes), usb
 * (native readers through libusb; the ids are idcard_sam's table plus
 * [idcard] usb_id and usb_models) and tty (a reader behind a USB-serial
 * bridge, [idcard] tty).
 */
#include "devices.h"

#include "base/err.h"
#include "base/log.h"
#include "drivers/core/transport_tty.h"
#include "drivers/core/transport_usb.h"
#include "drivers/idcard/idcard_sam.h"
#include "drivers/idcard/idcard_sim.h"

static int sim_open(const struct config *cfg, struct device *d)
{
    (void)cfg;
    struct idcard_sim *sim = idcard_sim_create();
    if (!sim)
        return ERR_NOMEM;
    d->handle = sim;
    d->ctx = idcard_sim_transport(sim);
    return ERR_OK;
}

static void sim_close(struct device *d)
{
    idcard_sim_destroy(d->handle); /* owns its transport */
}

static const struct device_binding sim_binding = {.open = sim_open, .close = sim_close};

const struct driver_info reader_sim_device = {
    .name = "sim",
    .description = "simulated GA/T 467 reader module, demo citizens' cards",
    .cls = DRIVER_CLASS_IDCARD,
    .caps = DRIVER_CAP_SIM | DRIVER_CAP_PHOTO,
    .ops = &idcard_sam_ops,
    .binding = &sim_binding,
};

static int usb_open(const struct config *cfg, struct device *d)
{
    struct transport_usb_config uc;
    transport_usb_config_init(&uc, idcard_sam_driver.usb_ids);
    if ((cfg->idcard_usb_id[0] &&
         driver_usb_id_parse(cfg->idcard_usb_id, &uc.extra_vid, &uc.extra_pid) != 0) ||
        transport_usb_parse_models(cfg->idcard_usb_models, &uc) != 0) {
        log_err("idcard", "[idcard] usb_id or usb_models is not valid");
        return ERR_INVALID;
    }
    d->handle = d->ctx = transport_usb_create(&uc);
    return d->handle ? ERR_OK : ERR_NOMEM;
}

static void usb_close(struct device *d)
{
    transport_usb_destroy(d->handle);
}

static const struct device_binding usb_binding = {.open = usb_open, .close = usb_close};

/* The USB ids are idcard_sam_driver's (not a constant here); the open
 * passes them to the transport. */
const struct driver_info reader_usb_device = {
    .name = "usb",
    .description = "GA/T 467 SAM reader over libusb",
    .cls = DRIVER_CLASS_IDCARD,
    .caps = DRIVER_CAP_USB | DRIVER_CAP_PHOTO,
    .ops = &idcard_sam_ops,
    .binding = &usb_binding,
};

static int tty_open(const struct config *cfg, struct device *d)
{
    d->handle = d->ctx = transport_tty_create(cfg->idcard_tty, 115200);
    return d->handle ? ERR_OK : ERR_NOMEM;
}

static void tty_close(struct device *d)
{
    transport_tty_destroy(d->handle);
}

static const struct device_binding tty_binding = {.open = tty_open, .close = tty_close};

const struct driver_info reader_tty_device = {
    .name = "tty",
    .description = "GA/T 467 SAM reader behind a USB-serial bridge (CH340, CP210x, PL2303)",
    .cls = DRIVER_CLASS_IDCARD,
    .caps = DRIVER_CAP_TTY | DRIVER_CAP_PHOTO,
    .ops = &idcard_sam_ops,
    .binding = &tty_binding,
};
