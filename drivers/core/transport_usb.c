/* transport_usb.c - libusb bulk transport: device search, endpoint layout,
 * kernel-driver detach, timed transfers, hotplug departure.
 *
 * Runs on the thread of the driver that owns it (the ID card reader
 * thread); the libusb context is private to the transport, so libusb
 * events (transfer completions, hotplug callbacks) are handled on that
 * thread inside its own calls and nowhere else.
 *
 * Endpoint facts (shared hardware notes, part A): GA/T 467 native USB
 * readers (0400:c35a) expose bulk OUT 0x02 + 0x06 and IN 0x81 + 0x85; the
 * preamble and length (7 bytes) travel on 02 / 81 and the rest on 06 / 85
 * (e-com-net copy of the SAM protocol document, tables 5-8; AuroraRAS/
 * openiDR200 idrusb.cpp). Other models put whole frames on one pipe pair
 * and answer in 64-byte packets. Endpoint addresses are read from the
 * descriptors, never assumed, unless a model row in config says otherwise.
 *
 * DESIGN: reads go through one fixed buffer (no allocation per frame),
 * one bulk transfer at a time; in the split layout the IN side reads the
 * head pipe until head_len bytes came, then the body pipe until a short
 * transfer ends the reply. A write starts a new exchange and resets that.
 */
#include "transport_usb.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <libusb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define MOD    "usb"
#define RX_CAP 4096 /* a multiple of every bulk packet size; > the largest reply */

struct usb {
    struct transport t;
    struct transport_usb_config cfg;
    libusb_context *ctx;
    libusb_hotplug_callback_handle hotplug;
    bool hotplug_on;

    /* While open: */
    libusb_device_handle *h;
    libusb_device *dev; /* referenced, compared in the hotplug callback */
    int iface;
    bool detached; /* we took the interface from a kernel driver */
    uint16_t vid, pid;
    uint8_t out_head, out_body, in_head, in_body;
    bool split;
    atomic_bool gone; /* hotplug said it left */

    /* Split-layout read state and the read buffer: */
    bool in_body_phase;
    size_t head_seen;
    uint8_t rx[RX_CAP];
    size_t rx_off, rx_len;

    char status[192];
};

static struct usb *usb_of(struct transport *t)
{
    return t->priv;
}

int transport_usb_error(int rc)
{
    switch (rc) {
    case LIBUSB_SUCCESS:
        return 0;
    case LIBUSB_ERROR_INVALID_PARAM:
        return ERR_INVALID;
    case LIBUSB_ERROR_ACCESS:
    case LIBUSB_ERROR_BUSY:
        return ERR_BUSY;
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
        return ERR_NODEV;
    case LIBUSB_ERROR_TIMEOUT:
        return ERR_TIMEOUT;
    case LIBUSB_ERROR_OVERFLOW:
        return ERR_PROTOCOL;
    case LIBUSB_ERROR_NO_MEM:
        return ERR_NOMEM;
    case LIBUSB_ERROR_NOT_SUPPORTED:
        return ERR_UNSUPPORTED;
    case LIBUSB_ERROR_INTERRUPTED:
        return ERR_CANCELLED;
    case LIBUSB_ERROR_IO:
    case LIBUSB_ERROR_PIPE:
    case LIBUSB_ERROR_OTHER:
    default:
        return rc > 0 ? 0 : ERR_IO;
    }
}

void transport_usb_config_init(struct transport_usb_config *cfg, const struct driver_usb_id *ids)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->ids = ids;
    cfg->head_len = 7;
    cfg->hotplug = true;
}

static int parse_hex(const char *s, size_t n, unsigned max, unsigned *out)
{
    if (n == 0 || n > 4)
        return ERR_INVALID;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return ERR_INVALID;
        v = v * 16 + d;
    }
    if (v > max)
        return ERR_INVALID;
    *out = v;
    return 0;
}

/* One row "VID:PID=EP/EP[/EP/EP]" of s[0..n), spaces allowed around. */
static int parse_row(const char *s, size_t n, struct transport_usb_model *m)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char row[64];
    if (n == 0 || n >= sizeof row)
        return ERR_INVALID;
    memcpy(row, s, n);
    row[n] = '\0';
    char *eq = strchr(row, '=');
    if (!eq)
        return ERR_INVALID;
    *eq = '\0';
    if (driver_usb_id_parse(row, &m->vid, &m->pid))
        return ERR_INVALID;
    unsigned ep[4];
    size_t k = 0;
    for (char *p = eq + 1; k < 4;) {
        char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (parse_hex(p, len, 0xFF, &ep[k]))
            return ERR_INVALID;
        k++;
        if (!slash)
            break;
        p = slash + 1;
    }
    if (k == 2) {
        ep[3] = ep[2] = ep[1];
        ep[1] = ep[0];
    } else if (k != 4) {
        return ERR_INVALID;
    }
    /* OUT pipes have bit 7 clear, IN pipes set. */
    if ((ep[0] & 0x80) || (ep[1] & 0x80) || !(ep[2] & 0x80) || !(ep[3] & 0x80))
        return ERR_INVALID;
    m->out_head = (uint8_t)ep[0];
    m->out_body = (uint8_t)ep[1];
    m->in_head = (uint8_t)ep[2];
    m->in_body = (uint8_t)ep[3];
    return 0;
}

int transport_usb_parse_models(const char *text, struct transport_usb_config *cfg)
{
    if (!text)
        return 0;
    struct transport_usb_model rows[TRANSPORT_USB_MODELS_MAX];
    size_t n = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ";,");
        bool blank = true;
        for (size_t i = 0; i < len; i++)
            if (p[i] != ' ' && p[i] != '\t')
                blank = false;
        if (!blank) {
            if (n == TRANSPORT_USB_MODELS_MAX)
                return ERR_FULL;
            if (parse_row(p, len, &rows[n]))
                return ERR_INVALID;
            n++;
        }
        p += len;
        if (*p)
            p++;
    }
    if (cfg->n_models + n > TRANSPORT_USB_MODELS_MAX)
        return ERR_FULL;
    memcpy(cfg->models + cfg->n_models, rows, n * sizeof rows[0]);
    cfg->n_models += n;
    return 0;
}

/* ---- open ---- */

static bool wanted(const struct usb *u, uint16_t vid, uint16_t pid)
{
    if ((u->cfg.extra_vid || u->cfg.extra_pid) && vid == u->cfg.extra_vid &&
        pid == u->cfg.extra_pid)
        return true;
    for (const struct driver_usb_id *id = u->cfg.ids; id && (id->vid || id->pid); id++)
        if (id->vid == vid && id->pid == pid)
            return true;
    for (size_t i = 0; i < u->cfg.n_models; i++)
        if (u->cfg.models[i].vid == vid && u->cfg.models[i].pid == pid)
            return true;
    return false;
}

static const struct transport_usb_model *model_row(const struct usb *u)
{
    for (size_t i = 0; i < u->cfg.n_models; i++)
        if (u->cfg.models[i].vid == u->vid && u->cfg.models[i].pid == u->pid)
            return &u->cfg.models[i];
    return NULL;
}

static bool iface_has(const struct libusb_interface_descriptor *alt, uint8_t ep)
{
    for (int e = 0; e < alt->bNumEndpoints; e++)
        if (alt->endpoint[e].bEndpointAddress == ep)
            return true;
    return false;
}

/* Picks interface and endpoints from the model row or the descriptors.
 * Returns 0 or ERR_UNSUPPORTED (no usable bulk pipes). */
static int choose_layout(struct usb *u, const struct libusb_config_descriptor *cd)
{
    const struct transport_usb_model *m = model_row(u);
    for (int i = 0; i < cd->bNumInterfaces; i++) {
        if (cd->interface[i].num_altsetting < 1)
            continue;
        const struct libusb_interface_descriptor *alt = &cd->interface[i].altsetting[0];
        if (m) {
            if (!iface_has(alt, m->out_head) || !iface_has(alt, m->in_head))
                continue;
            u->iface = alt->bInterfaceNumber;
            u->out_head = m->out_head;
            u->out_body = m->out_body;
            u->in_head = m->in_head;
            u->in_body = m->in_body;
            u->split = m->out_head != m->out_body || m->in_head != m->in_body;
            return 0;
        }
        uint8_t outs[4], ins[4];
        size_t no = 0, ni = 0;
        for (int e = 0; e < alt->bNumEndpoints; e++) {
            const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
            if ((ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK)
                continue;
            if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) {
                if (ni < 4)
                    ins[ni++] = ep->bEndpointAddress;
            } else if (no < 4) {
                outs[no++] = ep->bEndpointAddress;
            }
        }
        if (no == 0 || ni == 0)
            continue;
        u->iface = alt->bInterfaceNumber;
        u->split = no >= 2 && ni >= 2;
        /* Lower addresses carry the head (02 before 06, 81 before 85). */
        uint8_t oh = outs[0], ob = no >= 2 ? outs[1] : outs[0];
        uint8_t ih = ins[0], ib = ni >= 2 ? ins[1] : ins[0];
        u->out_head = oh < ob ? oh : ob;
        u->out_body = oh < ob ? ob : oh;
        u->in_head = ih < ib ? ih : ib;
        u->in_body = ih < ib ? ib : ih;
        if (!u->split) {
            u->out_body = u->out_head = outs[0];
            u->in_body = u->in_head = ins[0];
        }
        return 0;
    }
    return ERR_UNSUPPORTED;
}

static void usb_close(struct transport *t)
{
    struct usb *u = usb_of(t);
    if (u->h) {
        libusb_release_interface(u->h, u->iface);
        if (u->detached && !atomic_load(&u->gone) &&
            libusb_attach_kernel_driver(u->h, u->iface) == 0)
            log_info(MOD, "gave interface %d of %04x:%04x back to its kernel driver", u->iface,
                     u->vid, u->pid);
        libusb_close(u->h);
        u->h = NULL;
    }
    if (u->dev) {
        libusb_unref_device(u->dev);
        u->dev = NULL;
    }
    u->detached = false;
    explicit_bzero(u->rx, sizeof u->rx);
    u->rx_off = u->rx_len = 0;
    u->in_body_phase = false;
    u->head_seen = 0;
}

static void pump_events(struct usb *u)
{
    if (!u->hotplug_on)
        return;
    struct timeval zero = {0, 0};
    libusb_handle_events_timeout_completed(u->ctx, &zero, NULL);
}

static int usb_open(struct transport *t)
{
    struct usb *u = usb_of(t);
    usb_close(t);
    pump_events(u);

    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    if (n < 0) {
        snprintf(u->status, sizeof u->status, "cannot list USB devices: %s",
                 libusb_error_name((int)n));
        return transport_usb_error((int)n);
    }
    libusb_device *dev = NULL;
    struct libusb_device_descriptor dd;
    for (ssize_t i = 0; i < n && !dev; i++)
        if (libusb_get_device_descriptor(list[i], &dd) == 0 && wanted(u, dd.idVendor, dd.idProduct))
            dev = libusb_ref_device(list[i]);
    libusb_free_device_list(list, 1);
    if (!dev) {
        str_copy(u->status, sizeof u->status, "no reader found");
        return ERR_NODEV;
    }

    u->dev = dev;
    u->vid = dd.idVendor;
    u->pid = dd.idProduct;
    unsigned bus = libusb_get_bus_number(dev), addr = libusb_get_device_address(dev);
    char node[40];
    snprintf(node, sizeof node, "/dev/bus/usb/%03u/%03u", bus, addr);
    atomic_store(&u->gone, false);

    int rc = libusb_open(dev, &u->h);
    if (rc) {
        u->h = NULL;
        if (rc == LIBUSB_ERROR_ACCESS)
            snprintf(u->status, sizeof u->status, "permission denied on %s", node);
        else
            snprintf(u->status, sizeof u->status, "cannot open usb %04x:%04x on %s: %s", u->vid,
                     u->pid, node, libusb_error_name(rc));
        usb_close(t);
        return transport_usb_error(rc);
    }

    struct libusb_config_descriptor *cd = NULL;
    rc = libusb_get_active_config_descriptor(dev, &cd);
    if (rc)
        rc = libusb_get_config_descriptor(dev, 0, &cd);
    if (rc) {
        snprintf(u->status, sizeof u->status, "usb %04x:%04x on %s: no configuration (%s)", u->vid,
                 u->pid, node, libusb_error_name(rc));
        usb_close(t);
        return transport_usb_error(rc) == ERR_NODEV ? ERR_NODEV : ERR_IO;
    }
    rc = choose_layout(u, cd);
    libusb_free_config_descriptor(cd);
    if (rc) {
        snprintf(u->status, sizeof u->status, "usb %04x:%04x on %s has no bulk pipes", u->vid,
                 u->pid, node);
        usb_close(t);
        return ERR_UNSUPPORTED;
    }

    /* HID-class readers get grabbed by usbhid; a vendor-class one may be
     * held by a generic driver. Take it, and say so: staff reading the log
     * after "the keyboard stopped working" need to know. */
    rc = libusb_kernel_driver_active(u->h, u->iface);
    if (rc == 1) {
        rc = libusb_detach_kernel_driver(u->h, u->iface);
        if (rc == 0) {
            u->detached = true;
            log_info(MOD, "detached the kernel driver from interface %d of %04x:%04x", u->iface,
                     u->vid, u->pid);
        } else {
            log_warn(MOD, "cannot detach the kernel driver from %04x:%04x: %s", u->vid, u->pid,
                     libusb_error_name(rc));
        }
    }
    rc = libusb_claim_interface(u->h, u->iface);
    if (rc) {
        if (rc == LIBUSB_ERROR_BUSY)
            snprintf(u->status, sizeof u->status, "usb %04x:%04x on %s is held by another program",
                     u->vid, u->pid, node);
        else if (rc == LIBUSB_ERROR_ACCESS)
            snprintf(u->status, sizeof u->status, "permission denied on %s", node);
        else
            snprintf(u->status, sizeof u->status, "cannot claim usb %04x:%04x on %s: %s", u->vid,
                     u->pid, node, libusb_error_name(rc));
        int e = transport_usb_error(rc);
        usb_close(t);
        return e;
    }
    if (u->split)
        snprintf(u->status, sizeof u->status, "usb %04x:%04x split %02x/%02x %02x/%02x on %s",
                 u->vid, u->pid, u->out_head, u->out_body, u->in_head, u->in_body, node);
    else
        snprintf(u->status, sizeof u->status, "usb %04x:%04x single %02x/%02x on %s", u->vid,
                 u->pid, u->out_head, u->in_head, node);
    return 0;
}

/* ---- transfers ---- */

static int gone(struct usb *u)
{
    snprintf(u->status, sizeof u->status, "usb %04x:%04x unplugged", u->vid, u->pid);
    atomic_store(&u->gone, true);
    return ERR_NODEV;
}

/* One bulk transfer with the time left; maps the result. */
static int bulk(struct usb *u, uint8_t ep, uint8_t *data, int len, int *got, int64_t deadline)
{
    int64_t left = deadline - clock_physical_ms();
    /* libusb takes 0 as "wait forever": never pass it. */
    unsigned timeout = left < 1 ? 1u : (unsigned)left;
    *got = 0;
    int rc = libusb_bulk_transfer(u->h, ep, data, len, got, timeout);
    if (rc == LIBUSB_ERROR_TIMEOUT && *got > 0)
        rc = 0; /* a partial transfer is data; the decoder reassembles */
    if (rc == LIBUSB_ERROR_PIPE)
        libusb_clear_halt(u->h, ep);
    int e = transport_usb_error(rc);
    if (e == ERR_NODEV)
        return gone(u);
    return e;
}

static int usb_write(struct transport *t, const uint8_t *data, size_t len, int timeout_ms)
{
    struct usb *u = usb_of(t);
    if (!u->h)
        return ERR_NODEV;
    if (atomic_load(&u->gone))
        return gone(u);
    /* A request starts a new exchange: forget the last reply's state. */
    u->rx_off = u->rx_len = 0;
    u->in_body_phase = false;
    u->head_seen = 0;
    int64_t deadline = clock_physical_ms() + (timeout_ms > 0 ? timeout_ms : 1);
    size_t head = u->split && len > u->cfg.head_len ? u->cfg.head_len : len;
    uint8_t *p = (uint8_t *)(uintptr_t)data; /* libusb's API is not const */
    int got;
    int rc = bulk(u, u->out_head, p, (int)head, &got, deadline);
    if (rc)
        return rc;
    if ((size_t)got != head)
        return ERR_TIMEOUT;
    if (head < len) {
        rc = bulk(u, u->out_body, p + head, (int)(len - head), &got, deadline);
        if (rc)
            return rc;
        if ((size_t)got != len - head)
            return ERR_TIMEOUT;
    }
    return 0;
}

static int usb_read(struct transport *t, uint8_t *data, size_t cap, int timeout_ms)
{
    struct usb *u = usb_of(t);
    if (!u->h)
        return ERR_NODEV;
    if (u->rx_off == u->rx_len) {
        if (atomic_load(&u->gone))
            return gone(u);
        int64_t deadline = clock_physical_ms() + (timeout_ms > 0 ? timeout_ms : 1);
        uint8_t ep = u->split && u->in_body_phase ? u->in_body : u->in_head;
        int got;
        int rc = bulk(u, ep, u->rx, (int)sizeof u->rx, &got, deadline);
        if (rc)
            return rc;
        if (got <= 0)
            return ERR_TIMEOUT; /* a zero-length packet carries nothing */
        u->rx_off = 0;
        u->rx_len = (size_t)got;
        if (u->split) {
            if (!u->in_body_phase) {
                u->head_seen += (size_t)got;
                if (u->head_seen >= u->cfg.head_len)
                    u->in_body_phase = true;
            } else if ((size_t)got < sizeof u->rx) {
                /* A short transfer ends the reply's body. */
                u->in_body_phase = false;
                u->head_seen = 0;
            }
        }
        pump_events(u);
    }
    size_t n = u->rx_len - u->rx_off;
    if (n > cap)
        n = cap;
    memcpy(data, u->rx + u->rx_off, n);
    u->rx_off += n;
    if (u->rx_off == u->rx_len) {
        explicit_bzero(u->rx, u->rx_len);
        u->rx_off = u->rx_len = 0;
    }
    return (int)n;
}

static void usb_describe(struct transport *t, char *out, size_t size)
{
    str_copy(out, size, usb_of(t)->status);
}

static const struct transport_ops usb_ops = {
    .name = "usb",
    .open = usb_open,
    .close = usb_close,
    .write = usb_write,
    .read = usb_read,
    .describe = usb_describe,
};

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user)
{
    (void)ctx;
    struct usb *u = user;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && u->dev == dev) {
        atomic_store(&u->gone, true);
        log_info(MOD, "usb %04x:%04x left", u->vid, u->pid);
    }
    return 0; /* stay registered */
}

struct transport *transport_usb_create(const struct transport_usb_config *cfg)
{
    struct usb *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->cfg = *cfg;
    int rc = libusb_init(&u->ctx);
    if (rc) {
        log_err(MOD, "libusb cannot start: %s", libusb_error_name(rc));
        free(u);
        return NULL;
    }
    atomic_init(&u->gone, false);
    if (cfg->hotplug && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        rc = libusb_hotplug_register_callback(u->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
                                              LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                                              LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, u, &u->hotplug);
        u->hotplug_on = rc == 0;
    }
    str_copy(u->status, sizeof u->status, "usb not opened yet");
    u->t.ops = &usb_ops;
    u->t.priv = u;
    return &u->t;
}

void transport_usb_destroy(struct transport *t)
{
    if (!t)
        return;
    struct usb *u = usb_of(t);
    usb_close(t);
    if (u->hotplug_on)
        libusb_hotplug_deregister_callback(u->ctx, u->hotplug);
    libusb_exit(u->ctx);
    free(u);
}
