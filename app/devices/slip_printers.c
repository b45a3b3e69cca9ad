/* slip_printers.c - the 80 mm slip printers [devices] slip_printer can
 * name, all ESC/POS: sim (renders each slip as a PNG into [slip] png_dir,
 * else OUTPUT_DIR/slips), lp (the kernel's usblp node, [slip] device) and
 * usb (USB printer class through libusb, [slip] usb_id).
 */
#include "devices.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "drivers/core/driver.h"
#include "drivers/escpos/printer.h"
#include "drivers/escpos/printer_lp.h"
#include "drivers/escpos/printer_usb.h"

#include <stdio.h>

static int sim_open(const struct config *cfg, struct device *d)
{
    struct printer_sim *sim = printer_sim_create(1 << 20);
    if (!sim)
        return ERR_NOMEM;
    char dir[512];
    if (cfg->slip_png_dir[0])
        str_copy(dir, sizeof dir, cfg->slip_png_dir);
    else
        snprintf(dir, sizeof dir, "%s/slips", cfg->output_dir);
    devices_make_dir(dir);
    printer_sim_set_png_dir(sim, dir);
    d->handle = d->ctx = sim;
    return ERR_OK;
}

static void sim_close(struct device *d)
{
    printer_sim_destroy(d->handle);
}

static const struct device_binding sim_binding = {.open = sim_open, .close = sim_close};

const struct driver_info slip_sim_device = {
    .name = "sim",
    .description = "simulated ESC/POS slip printer writing PNGs",
    .cls = DRIVER_CLASS_PRINTER,
    .caps = DRIVER_CAP_SIM,
    .ops = &printer_sim_ops,
    .binding = &sim_binding,
};

static int lp_open(const struct config *cfg, struct device *d)
{
    d->handle = d->ctx = printer_lp_create(cfg->slip_device);
    return d->handle ? ERR_OK : ERR_NOMEM;
}

static void lp_close(struct device *d)
{
    printer_lp_destroy(d->handle);
}

static const struct device_binding lp_binding = {.open = lp_open, .close = lp_close};

const struct driver_info slip_lp_device = {
    .name = "lp",
    .description = "ESC/POS slip printer on the kernel's usblp node",
    .cls = DRIVER_CLASS_PRINTER,
    .ops = &printer_lp_ops,
    .binding = &lp_binding,
};

static int usb_open(const struct config *cfg, struct device *d)
{
    struct printer_usb_config uc = {0};
    if (cfg->slip_usb_id[0] && driver_usb_id_parse(cfg->slip_usb_id, &uc.vid, &uc.pid)) {
        log_err("slip", "[slip] usb_id is not VVVV:PPPP");
        return ERR_INVALID;
    }
    d->handle = d->ctx = printer_usb_create(&uc);
    return d->handle ? ERR_OK : ERR_NOMEM;
}

static void usb_close(struct device *d)
{
    printer_usb_destroy(d->handle);
}

static const struct device_binding usb_binding = {.open = usb_open, .close = usb_close};

const struct driver_info slip_usb_device = {
    .name = "usb",
    .description = "ESC/POS slip printer, USB printer class through libusb",
    .cls = DRIVER_CLASS_PRINTER,
    .caps = DRIVER_CAP_USB,
    .ops = &printer_usb_ops,
    .binding = &usb_binding,
};
