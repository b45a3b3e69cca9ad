/* printer_usb.c - ESC/POS over the USB printer class; see printer_usb.h.
 *
 * Facts (shared hardware notes B5; USB printer class 1.1): interface class
 * 0x07, subclass 0x01, protocol 1 = bulk OUT only, 2 = bulk OUT + IN
 * (the one we prefer: DLE EOT replies and GS r job markers come back on
 * IN), 3 = IEEE 1284.4. Class requests on the default pipe:
 *   GET_DEVICE_ID   0xA1, 0, wValue config index, wIndex iface<<8 | alt
 *                   -> 2-byte big-endian length (including itself) + text
 *   GET_PORT_STATUS 0xA1, 1, 0, iface -> 1 byte: bit 5 paper empty,
 *                   bit 4 selected, bit 3 not error
 *   SOFT_RESET      0x23 (as usblp sends it), then 0x21 (the 1.1 spec)
 *                   if the printer stalls the first: CUPS does the same.
 * Endpoint addresses are read from the descriptors, never assumed.
 *
 * DESIGN: GET_PORT_STATUS travels on the control pipe, so it is safe at
 * any moment, also while the printer sits inside a raster band with its
 * buffer full. DLE EOT 2 and 4 (cover, near end) go down the same bulk
 * pipe as the slip, and inside a GS v 0 band they would be printed as
 * dots; they are asked only when the last write went out whole (the
 * worker asks for status between jobs, or after a stall: then the port
 * status alone answers). Bytes that arrive while waiting for a DLE EOT
 * reply (job markers, ASB frames) are kept for the next read.
 *
 * Worker thread only.
 */
#include "drivers/escpos/printer_usb.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "drivers/core/transport_usb.h"
#include "drivers/escpos/escpos.h"

#include <libusb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define MOD           "slip-usb"
#define STASH         256
#define DEVICE_ID_MAX 1024
#define CTRL_MS       500

#define REQ_GET_DEVICE_ID   0
#define REQ_GET_PORT_STATUS 1
#define REQ_SOFT_RESET      2

struct printer_usb {
    struct printer_usb_config cfg;
    libusb_context *ctx;
    libusb_device_handle *h;
    int iface, alt;
    uint8_t ep_out, ep_in; /* ep_in 0: a one-way printer */
    int in_packet;         /* wMaxPacketSize of ep_in */
    bool detached;
    bool gone;
    bool mid_write; /* the last write stopped short: the printer may be inside a command */
    uint16_t vid, pid;
    uint8_t stash[STASH];
    size_t stash_len;
    char desc[DEVICE_ID_MAX + 128];
};

/* transport_usb_error(), and the first ERR_NODEV of an open printer is
 * logged once as an unplug. */
static int map_err(struct printer_usb *p, int rc)
{
    int e = transport_usb_error(rc);
    if (e == ERR_NODEV && p && !p->gone) {
        p->gone = true;
        log_warn(MOD, "printer %04x:%04x unplugged", p->vid, p->pid);
    }
    return e;
}

int printer_usb_parse_device_id(const uint8_t *reply, size_t len, char *out, size_t size)
{
    if (size)
        out[0] = '\0';
    if (len < 2 || size == 0)
        return ERR_PROTOCOL;
    size_t n = (size_t)reply[0] << 8 | reply[1];
    if (n < 2 || n > len)
        return ERR_PROTOCOL;
    size_t k = 0;
    for (size_t i = 2; i < n && k + 1 < size; i++)
        if (reply[i] >= 0x20 && reply[i] < 0x7f)
            out[k++] = (char)reply[i];
    out[k] = '\0';
    return (int)k;
}

void printer_usb_port_status(uint8_t b, struct printer_status *out)
{
    bool paper_empty = b & 0x20, selected = b & 0x10, no_error = b & 0x08;
    *out = (struct printer_status){
        .online = selected && no_error && !paper_empty,
        .paper_out = paper_empty,
        .error = !no_error && !paper_empty, /* paper end also clears "no error" */
    };
}

struct printer_usb *printer_usb_create(const struct printer_usb_config *cfg)
{
    struct printer_usb *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (cfg)
        p->cfg = *cfg;
    if (p->cfg.chunk <= 0)
        p->cfg.chunk = 4096;
    int rc = libusb_init(&p->ctx);
    if (rc) {
        log_err(MOD, "libusb cannot start: %s", libusb_error_name(rc));
        free(p);
        return NULL;
    }
    str_copy(p->desc, sizeof p->desc, "not opened");
    return p;
}

static void usb_close(void *ctx)
{
    struct printer_usb *p = ctx;
    if (p->h) {
        libusb_release_interface(p->h, p->iface);
        if (p->detached && !p->gone && libusb_attach_kernel_driver(p->h, p->iface) == 0)
            log_info(MOD, "gave interface %d of %04x:%04x back to usblp", p->iface, p->vid, p->pid);
        libusb_close(p->h);
        p->h = NULL;
    }
    p->detached = false;
    p->stash_len = 0;
    p->mid_write = false;
}

void printer_usb_destroy(struct printer_usb *p)
{
    if (!p)
        return;
    usb_close(p);
    libusb_exit(p->ctx);
    free(p);
}

const char *printer_usb_describe(const struct printer_usb *p)
{
    return p->desc;
}

/* The printer-class interface of a configuration, preferring protocol 2
 * (bidirectional); with a configured VID:PID any interface with a bulk OUT
 * will do. Fills iface, alt, ep_out, ep_in. */
static bool choose(struct printer_usb *p, const struct libusb_config_descriptor *cd, bool any)
{
    int best = -1;
    for (int i = 0; i < cd->bNumInterfaces; i++) {
        for (int a = 0; a < cd->interface[i].num_altsetting; a++) {
            const struct libusb_interface_descriptor *d = &cd->interface[i].altsetting[a];
            if (d->bInterfaceClass != LIBUSB_CLASS_PRINTER && !any)
                continue;
            uint8_t out = 0, in = 0;
            int in_packet = 0;
            for (int e = 0; e < d->bNumEndpoints; e++) {
                const struct libusb_endpoint_descriptor *ep = &d->endpoint[e];
                if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
                    continue;
                if (ep->bEndpointAddress & 0x80) {
                    if (!in) {
                        in = ep->bEndpointAddress;
                        in_packet = ep->wMaxPacketSize;
                    }
                } else if (!out) {
                    out = ep->bEndpointAddress;
                }
            }
            if (!out)
                continue;
            int score = (d->bInterfaceClass == LIBUSB_CLASS_PRINTER ? 4 : 0) +
                        (d->bInterfaceProtocol == 2 ? 2 : 0) + (in ? 1 : 0);
            if (score > best) {
                best = score;
                p->iface = d->bInterfaceNumber;
                p->alt = d->bAlternateSetting;
                p->ep_out = out;
                p->ep_in = d->bInterfaceProtocol == 1 ? 0 : in;
                p->in_packet = in_packet > 0 ? in_packet : 64;
            }
        }
    }
    return best >= 0;
}

static void pump(struct printer_usb *p)
{
    struct timeval zero = {0, 0};
    libusb_handle_events_timeout_completed(p->ctx, &zero, NULL);
}

static int usb_open(void *ctx)
{
    struct printer_usb *p = ctx;
    if (p->h && !p->gone)
        return 0;
    usb_close(p);
    pump(p);
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(p->ctx, &list);
    if (n < 0)
        return map_err(NULL, (int)n) == ERR_NODEV ? ERR_NODEV : ERR_IO;
    libusb_device *dev = NULL;
    bool any = p->cfg.vid || p->cfg.pid;
    for (ssize_t i = 0; i < n && !dev; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd))
            continue;
        if (any && (dd.idVendor != p->cfg.vid || dd.idProduct != p->cfg.pid))
            continue;
        struct libusb_config_descriptor *cd = NULL;
        if (libusb_get_active_config_descriptor(list[i], &cd) &&
            libusb_get_config_descriptor(list[i], 0, &cd))
            continue;
        if (choose(p, cd, any)) {
            dev = list[i];
            p->vid = dd.idVendor;
            p->pid = dd.idProduct;
        }
        libusb_free_config_descriptor(cd);
    }
    int rc = ERR_NODEV;
    char node[40] = "";
    if (!dev) {
        str_copy(p->desc, sizeof p->desc, "no USB printer found");
        goto out;
    }
    snprintf(node, sizeof node, "/dev/bus/usb/%03u/%03u", libusb_get_bus_number(dev),
             libusb_get_device_address(dev));
    int u = libusb_open(dev, &p->h);
    if (u) {
        p->h = NULL;
        snprintf(p->desc, sizeof p->desc, "cannot open usb %04x:%04x on %s: %s", p->vid, p->pid,
                 node, libusb_error_name(u));
        rc = u == LIBUSB_ERROR_ACCESS ? ERR_IO : map_err(NULL, u);
        goto out;
    }
    p->gone = false;
    if (libusb_kernel_driver_active(p->h, p->iface) == 1) {
        u = libusb_detach_kernel_driver(p->h, p->iface);
        if (u == 0) {
            p->detached = true;
            log_info(MOD, "detached usblp from interface %d of %04x:%04x", p->iface, p->vid,
                     p->pid);
        } else {
            log_warn(MOD, "cannot detach usblp from %04x:%04x: %s", p->vid, p->pid,
                     libusb_error_name(u));
        }
    }
    u = libusb_claim_interface(p->h, p->iface);
    if (u == 0 && p->alt)
        u = libusb_set_interface_alt_setting(p->h, p->iface, p->alt);
    if (u) {
        snprintf(p->desc, sizeof p->desc, "usb %04x:%04x on %s: %s", p->vid, p->pid, node,
                 u == LIBUSB_ERROR_BUSY ? "held by another program" : libusb_error_name(u));
        rc = map_err(NULL, u);
        usb_close(p);
        goto out;
    }
    uint8_t idbuf[DEVICE_ID_MAX];
    char id[DEVICE_ID_MAX] = "";
    int k =
        libusb_control_transfer(p->h, 0xA1, REQ_GET_DEVICE_ID, 0,
                                (uint16_t)(p->iface << 8 | p->alt), idbuf, sizeof idbuf, CTRL_MS);
    if (k > 0)
        printer_usb_parse_device_id(idbuf, (size_t)k, id, sizeof id);
    snprintf(p->desc, sizeof p->desc, "usb %04x:%04x if %d out %02x in %02x on %s %s", p->vid,
             p->pid, p->iface, p->ep_out, p->ep_in, node, id[0] ? id : "(no device id)");
    log_info(MOD, "slip printer %s", p->desc);
    rc = 0;
out:
    libusb_free_device_list(list, 1);
    return rc;
}

static int usb_write(void *ctx, const uint8_t *data, size_t len, int timeout_ms, size_t *sent)
{
    struct printer_usb *p = ctx;
    if (sent)
        *sent = 0;
    if (!p->h || p->gone)
        return ERR_NODEV;
    int64_t end = clock_physical_ms() + timeout_ms;
    size_t off = 0;
    while (off < len) {
        int64_t left = end - clock_physical_ms();
        if (left < 1) {
            p->mid_write = true;
            return ERR_TIMEOUT;
        }
        size_t n = len - off < (size_t)p->cfg.chunk ? len - off : (size_t)p->cfg.chunk;
        int got = 0;
        int rc = libusb_bulk_transfer(p->h, p->ep_out, (uint8_t *)data + off, (int)n, &got,
                                      (unsigned)left);
        off += (size_t)(got > 0 ? got : 0);
        if (sent)
            *sent = off;
        if (rc == LIBUSB_ERROR_PIPE)
            libusb_clear_halt(p->h, p->ep_out);
        if (rc) {
            p->mid_write = true;
            return map_err(p, rc);
        }
    }
    p->mid_write = false;
    return 0;
}

/* One bulk IN transfer into a whole-packet buffer (a shorter one could
 * overflow); what does not fit cap goes to the stash. */
static int raw_read(struct printer_usb *p, uint8_t *data, size_t cap, int timeout_ms)
{
    uint8_t b[512];
    int want = p->in_packet <= (int)sizeof b ? p->in_packet : (int)sizeof b;
    int got = 0;
    int rc = libusb_bulk_transfer(p->h, p->ep_in, b, want, &got,
                                  timeout_ms < 1 ? 1u : (unsigned)timeout_ms);
    if (rc == LIBUSB_ERROR_TIMEOUT && got > 0)
        rc = 0;
    if (rc == LIBUSB_ERROR_PIPE)
        libusb_clear_halt(p->h, p->ep_in);
    if (rc)
        return map_err(p, rc);
    if (got == 0)
        return ERR_TIMEOUT;
    size_t n = (size_t)got < cap ? (size_t)got : cap;
    memcpy(data, b, n);
    for (size_t i = n; i < (size_t)got && p->stash_len < STASH; i++)
        p->stash[p->stash_len++] = b[i];
    return (int)n;
}

static int usb_read(void *ctx, uint8_t *data, size_t cap, int timeout_ms)
{
    struct printer_usb *p = ctx;
    if (!p->h || p->gone)
        return ERR_NODEV;
    if (!p->ep_in)
        return ERR_UNSUPPORTED;
    if (p->stash_len) {
        size_t n = p->stash_len < cap ? p->stash_len : cap;
        memcpy(data, p->stash, n);
        memmove(p->stash, p->stash + n, p->stash_len - n);
        p->stash_len -= n;
        return (int)n;
    }
    return raw_read(p, data, cap, timeout_ms);
}

/* DLE EOT n and its reply; other bytes are kept for usb_read. The wait
 * for the reply is printer_lp.c's too, each over its own raw_read. */
static int query(struct printer_usb *p, int n, struct escpos_status *st)
{
    uint8_t q[3];
    escpos_encode_status_query(q, n);
    int rc = usb_write(p, q, 3, CTRL_MS, NULL);
    if (rc)
        return rc;
    int64_t end = clock_physical_ms() + CTRL_MS;
    for (;;) {
        int left = (int)(end - clock_physical_ms());
        if (left <= 0)
            return ERR_TIMEOUT;
        uint8_t b[64];
        int k = raw_read(p, b, sizeof b, left);
        if (k == ERR_TIMEOUT)
            continue;
        if (k < 0)
            return k;
        if (escpos_take_status(n, b, (size_t)k, st, p->stash, &p->stash_len, STASH) == 0)
            return 0;
    }
}

static int usb_status(void *ctx, struct printer_status *out)
{
    struct printer_usb *p = ctx;
    if (!p->h || p->gone)
        return ERR_NODEV;
    uint8_t ps = 0;
    int k = libusb_control_transfer(p->h, 0xA1, REQ_GET_PORT_STATUS, 0, (uint16_t)p->iface, &ps, 1,
                                    CTRL_MS);
    if (k < 0)
        return map_err(p, k);
    if (k != 1)
        return ERR_PROTOCOL;
    printer_usb_port_status(ps, out);
    if (!p->ep_in || p->mid_write)
        return 0;
    /* Between commands: the details the port status lacks. */
    struct escpos_status st = {0};
    if (query(p, 2, &st) == 0 && query(p, 4, &st) == 0) {
        out->cover_open = st.cover_open;
        out->paper_near_end = st.paper_near_end;
        if (st.cover_open || st.paper_end_stop || st.paper_end)
            out->online = false;
        if (st.paper_end || st.paper_end_stop)
            out->paper_out = true;
    } else if (p->gone) {
        return ERR_NODEV;
    }
    return 0;
}

static int usb_reset(void *ctx)
{
    struct printer_usb *p = ctx;
    if (!p->h || p->gone)
        return ERR_NODEV;
    int rc = libusb_control_transfer(p->h, 0x23, REQ_SOFT_RESET, 0, (uint16_t)p->iface, NULL, 0,
                                     CTRL_MS);
    if (rc == LIBUSB_ERROR_PIPE)
        rc = libusb_control_transfer(p->h, 0x21, REQ_SOFT_RESET, 0, (uint16_t)p->iface, NULL, 0,
                                     CTRL_MS);
    if (rc < 0)
        return map_err(p, rc);
    libusb_clear_halt(p->h, p->ep_out);
    if (p->ep_in)
        libusb_clear_halt(p->h, p->ep_in);
    p->stash_len = 0;
    p->mid_write = false;
    log_info(MOD, "printer %04x:%04x soft reset", p->vid, p->pid);
    return 0;
}

const struct printer_ops printer_usb_ops = {
    .name = "usb",
    .open = usb_open,
    .write = usb_write,
    .read = usb_read,
    .status = usb_status,
    .reset = usb_reset,
    .close = usb_close,
};
