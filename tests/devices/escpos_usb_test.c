/* escpos_usb_test.c - the USB printer-class transport and the slip worker
 * against a fake 80 mm printer on umockdev.
 *
 * umockdev's preload fakes sysfs, /dev/bus/usb and uevents; a
 * UMockdevIoctlBase handler in this process plays the printer behind
 * usbdevfs. Its brain is the simulated printer (printer_sim, the one demo
 * mode uses): bulk OUT bytes go to it and it decodes them into paper;
 * while it is out of paper it refuses them, so the OUT URB stays pending
 * (a NAKing printer) until libusb's timeout discards it. DLE EOT queries
 * are answered at once on bulk IN (real-time commands), job markers come
 * back from the sim. Control URBs answer the class requests GET_DEVICE_ID,
 * GET_PORT_STATUS and SOFT_RESET. usblp "holds" the interface at first.
 *
 * What it proves: a whole slip through the slip worker arrives and
 * decodes back to the composed image; paper out in the middle of a job
 * keeps the job, tells the citizen, and after the refill the slip comes
 * out once; unplugged, the worker reports the printer gone, and replugged
 * it prints again. The program re-executes itself under the preload.
 */
#include <sys/ioctl.h>

#include "base/pixel.h"
#include "base/err.h"
#include "base/log.h"
#include "check.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/printer.h"
#include "drivers/escpos/printer_usb.h"
#include "print/slip_compose.h"
#include "print/slip_worker.h"
#include "slip_record.h"
#include "slip_test_util.h"
#include "usb_fake.h"

#include <errno.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>
#include <unistd.h>

static const char syspath[] = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3";
static const char devnode[] = "/dev/bus/usb/001/007";
/* 0416:5011, one printer-class interface (07/01/02), bulk OUT 01, IN 82. */
static const char description[] = "P: /devices/pci0000:00/0000:00:14.0/usb1/1-3\n"
                                  "N: bus/usb/001/007\n"
                                  "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
                                  "E: BUSNUM=001\nE: DEVNUM=007\nE: DEVNAME=/dev/bus/usb/001/007\n"
                                  "A: busnum=1\\n\nA: devnum=7\\n\nA: speed=480\\n\n"
                                  "A: bConfigurationValue=1\\n\n"
                                  "H: descriptors=12010002000000401604115000010102030109022000"
                                  "0101"
                                  "00c032"
                                  "090400000207010200"
                                  "07050102000200"
                                  "07058202000200\n";

static const char device_id[] = "MFG:FAKE;MDL:POS-80;CMD:ESC/POS;CLS:PRINTER;";

static struct fake {
    struct usb_fake usb; /* usblp holds the interface at first */
    struct printer_sim *sim;
    uint8_t in[256]; /* DLE EOT replies not yet read */
    size_t in_len;
    int soft_resets, id_requests, port_requests;
} fk;

static UMockdevTestbed *tb;
static UMockdevIoctlBase *handler;

/* The sim's state as DLE EOT n would report it. */
static uint8_t dle_eot_reply(int n)
{
    struct printer_status ps = {0};
    bool off = printer_sim_ops.status(fk.sim, &ps) != 0;
    switch (n) {
    case 1:
        return (uint8_t)(0x12 | ((off || !ps.online) ? 0x08 : 0));
    case 2:
        return (uint8_t)(0x12 | (ps.cover_open ? 0x04 : 0) | (ps.paper_out ? 0x20 : 0) |
                         (ps.error ? 0x40 : 0));
    case 3:
        return 0x12;
    default:
        return (uint8_t)(0x12 | (ps.paper_near_end ? 0x0C : 0) | (ps.paper_out ? 0x60 : 0));
    }
}

static uint8_t port_status(void)
{
    struct printer_status ps = {0};
    if (printer_sim_ops.status(fk.sim, &ps) != 0)
        return 0x00;
    if (ps.paper_out)
        return 0x20; /* paper empty, not selected, error */
    if (ps.cover_open)
        return 0x00;
    return 0x18; /* selected, no error */
}

/* Offers pending OUT data to the printer and fills pending IN URBs. */
static void serve(struct usb_fake *u)
{
    (void)u;
    for (size_t i = 0; i < fk.usb.n_pending;) {
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)fk.usb.pending[i]->data;
        if (fk.usb.unplugged) {
            usb_fake_finish(&fk.usb, i, -ESHUTDOWN, 0);
            continue;
        }
        if (!(urb->endpoint & 0x80)) {
            size_t sent = 0;
            int rc =
                printer_sim_ops.write(fk.sim, urb->buffer, (size_t)urb->buffer_length, 0, &sent);
            if (rc == 0) {
                usb_fake_finish(&fk.usb, i, 0, (size_t)urb->buffer_length);
                continue;
            }
            i++; /* NAK: the printer takes nothing now */
            continue;
        }
        uint8_t *b = urb->buffer;
        size_t cap = (size_t)urb->buffer_length, n = 0;
        if (fk.in_len) {
            n = fk.in_len < cap ? fk.in_len : cap;
            memcpy(b, fk.in, n);
            memmove(fk.in, fk.in + n, fk.in_len - n);
            fk.in_len -= n;
        } else {
            int k = printer_sim_ops.read(fk.sim, b, cap, 0);
            n = k > 0 ? (size_t)k : 0;
        }
        if (n) {
            usb_fake_finish(&fk.usb, i, 0, n);
            continue;
        }
        i++;
    }
}

static void on_submit_control(struct usbdevfs_urb *urb)
{
    struct usb_ctrlrequest *s = urb->buffer;
    uint8_t *data = (uint8_t *)urb->buffer + 8;
    size_t n = 0;
    int status = 0;
    if (s->bRequestType == 0xA1 && s->bRequest == 0) {
        fk.id_requests++;
        size_t len = strlen(device_id) + 2;
        data[0] = (uint8_t)(len >> 8);
        data[1] = (uint8_t)len;
        memcpy(data + 2, device_id, len - 2);
        n = len < s->wLength ? len : s->wLength;
    } else if (s->bRequestType == 0xA1 && s->bRequest == 1) {
        fk.port_requests++;
        data[0] = port_status();
        n = 1;
    } else if ((s->bRequestType == 0x23 || s->bRequestType == 0x21) && s->bRequest == 2) {
        fk.soft_resets++;
        printer_sim_ops.reset(fk.sim);
        fk.in_len = 0;
    } else {
        status = -EPIPE;
    }
    usb_fake_finish(&fk.usb, fk.usb.n_pending - 1, status, n);
}

static void submit(struct usb_fake *u, struct usbdevfs_urb *urb, UMockdevIoctlData *buf)
{
    (void)buf; /* same address space: urb->buffer is the client's buffer */
    if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
        on_submit_control(urb);
    } else if (!(urb->endpoint & 0x80) && urb->buffer_length == 3 &&
               ((uint8_t *)urb->buffer)[0] == 0x10 && ((uint8_t *)urb->buffer)[1] == 0x04) {
        /* DLE EOT: real-time, answered even by a stopped printer */
        int n = ((uint8_t *)urb->buffer)[2];
        if (fk.in_len < sizeof fk.in)
            fk.in[fk.in_len++] = dle_eot_reply(n);
        usb_fake_finish(u, u->n_pending - 1, 0, 3);
    } else {
        serve(u);
    }
}

static void plug(void)
{
    GError *err = NULL;
    pthread_mutex_lock(&fk.usb.lock);
    usb_fake_reset(&fk.usb);
    fk.in_len = 0;
    pthread_mutex_unlock(&fk.usb.lock);
    if (!handler) {
        handler = umockdev_ioctl_base_new();
        g_signal_connect(handler, "handle-ioctl", G_CALLBACK(usb_fake_ioctl), &fk.usb);
    }
    if (!umockdev_testbed_attach_ioctl(tb, devnode, handler, &err))
        g_clear_error(&err);
    CHECK(umockdev_testbed_add_from_string(tb, description, &err));
    g_clear_error(&err);
}

static void unplug(void)
{
    pthread_mutex_lock(&fk.usb.lock);
    fk.usb.unplugged = true;
    pthread_mutex_unlock(&fk.usb.lock);
    umockdev_testbed_uevent(tb, syspath, "remove");
    umockdev_testbed_remove_device(tb, syspath);
    GError *err = NULL;
    umockdev_testbed_detach_ioctl(tb, devnode, &err);
    g_clear_error(&err);
}

/* ---- the worker's answers ---- */

/* The last slip the printer cut equals the raster composed from t. */
static void check_last_slip(const struct slip_ticket *t)
{
    static uint8_t bytes[8 << 20];
    size_t n = printer_sim_take(fk.sim, bytes, sizeof bytes);
    struct escpos_page pages[16];
    int k = escpos_decode_all(bytes, n, pages, 16);
    CHECK(k >= 1);
    struct slip_raster r;
    CHECK_EQ_INT(slip_compose(t, NULL, &r), 0);
    if (k >= 1 && r.bits) {
        const struct escpos_page *p = &pages[k - 1];
        CHECK_EQ_INT(p->width, r.width);
        CHECK(p->rows >= r.rows);
        int diff = 0;
        for (int y = 0; y < r.rows && y < p->rows; y++)
            diff += memcmp(p->bits + px_at(0, y, p->stride), r.bits + px_at(0, y, r.stride),
                           (size_t)r.stride) != 0;
        CHECK_EQ_INT(diff, 0);
    }
    for (int i = 0; i < k; i++)
        escpos_page_fini(&pages[i]);
    slip_raster_fini(&r);
}

static void test_transport_alone(void)
{
    struct printer_usb *p = printer_usb_create(NULL);
    CHECK(p != NULL);
    fk.usb.kernel_driver = true;
    CHECK_EQ_INT(printer_usb_ops.open(p), 0);
    CHECK(!fk.usb.kernel_driver); /* taken from usblp */
    CHECK(strstr(printer_usb_describe(p), "usb 0416:5011 if 0 out 01 in 82") != NULL);
    CHECK(strstr(printer_usb_describe(p), "MDL:POS-80") != NULL);
    struct printer_status ps;
    CHECK_EQ_INT(printer_usb_ops.status(p, &ps), 0);
    CHECK(ps.online && !ps.paper_out);
    printer_sim_set_state(fk.sim, PRINTER_SIM_NEAR_END);
    CHECK_EQ_INT(printer_usb_ops.status(p, &ps), 0);
    CHECK(ps.online && ps.paper_near_end); /* from DLE EOT 4 on bulk IN */
    printer_sim_set_state(fk.sim, PRINTER_SIM_COVER_OPEN);
    CHECK_EQ_INT(printer_usb_ops.status(p, &ps), 0);
    CHECK(!ps.online && ps.cover_open);
    printer_sim_set_state(fk.sim, PRINTER_SIM_PAPER_OUT);
    CHECK_EQ_INT(printer_usb_ops.status(p, &ps), 0);
    CHECK(!ps.online && ps.paper_out);
    /* A stopped printer takes nothing: the write times out, 0 bytes sent. */
    size_t sent = 99;
    CHECK_EQ_INT(printer_usb_ops.write(p, (const uint8_t *)"\x1b@", 2, 150, &sent), ERR_TIMEOUT);
    CHECK_EQ_INT(sent, 0);
    printer_sim_set_state(fk.sim, PRINTER_SIM_READY);
    int resets = fk.soft_resets;
    CHECK_EQ_INT(printer_usb_ops.reset(p), 0);
    CHECK_EQ_INT(fk.soft_resets, resets + 1);
    /* A job marker travels back on bulk IN. */
    CHECK_EQ_INT(printer_usb_ops.write(p, (const uint8_t *)"\x1b@\x1dr\x01", 5, 500, &sent), 0);
    CHECK_EQ_INT(sent, 5);
    uint8_t b[16];
    CHECK_EQ_INT(printer_usb_ops.read(p, b, sizeof b, 300), 1);
    CHECK_EQ_INT(printer_usb_ops.read(p, b, sizeof b, 50), ERR_TIMEOUT);
    printer_usb_ops.close(p);
    printer_usb_destroy(p);

    /* Pure helpers. */
    char id[64];
    CHECK_EQ_INT(printer_usb_parse_device_id((const uint8_t *)"\x00\x06MFG:", 6, id, sizeof id), 4);
    CHECK_EQ_STR(id, "MFG:");
    CHECK_EQ_INT(printer_usb_parse_device_id((const uint8_t *)"\x00\x09MFG:", 6, id, sizeof id),
                 ERR_PROTOCOL);
    printer_usb_port_status(0x18, &ps);
    CHECK(ps.online && !ps.paper_out && !ps.error);
    printer_usb_port_status(0x30, &ps);
    CHECK(!ps.online && ps.paper_out);
    printer_usb_port_status(0x10, &ps);
    CHECK(!ps.online && ps.error && !ps.paper_out);
}

static void test_worker(const char *dir)
{
    char journal[600];
    snprintf(journal, sizeof journal, "%s/journal.sqlite", dir);
    struct printer_usb *p = printer_usb_create(NULL);
    struct slip_worker_config cfg = {.ops = &printer_usb_ops,
                                     .printer = p,
                                     .journal_path = journal,
                                     .poll_ms = 20,
                                     .write_timeout_ms = 200,
                                     .confirm_timeout_ms = 500};
    struct slip_worker *w = slip_worker_start(&cfg, rec_done, rec_status, NULL);
    CHECK(w != NULL);

    /* A. a whole slip */
    struct slip_ticket t;
    slip_test_queue(&t, 31);
    int slips = printer_sim_slips(fk.sim);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 1), 0);
    CHECK(rec_wait(&rec.finals, 1, 5000));
    CHECK_EQ_INT(rec_get(&rec.printed), 1);
    CHECK_EQ_INT(printer_sim_slips(fk.sim), slips + 1);
    check_last_slip(&t);

    /* B. paper runs out in the middle of the slip: kept, citizen told,
     * finished once after the refill */
    printer_sim_set_paper(fk.sim, 300);
    slip_test_queue(&t, 32);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 2), 0);
    CHECK(rec_wait(&rec.waits, 1, 5000));
    CHECK_EQ_INT(rec_get(&rec.last_paper_out), 1);
    usleep(200000);
    CHECK_EQ_INT(rec_get(&rec.finals), 1);
    CHECK_EQ_INT(printer_sim_slips(fk.sim), slips + 1);
    printer_sim_set_state(fk.sim, PRINTER_SIM_READY);
    CHECK(rec_wait(&rec.finals, 2, 5000));
    CHECK_EQ_INT(rec_get(&rec.printed), 2);
    CHECK_EQ_INT(printer_sim_slips(fk.sim), slips + 2);
    check_last_slip(&t);

    /* C. unplugged: the worker sees the printer go; replugged, it prints */
    int off = rec_get(&rec.offline);
    unplug();
    CHECK(rec_wait(&rec.offline, off + 1, 3000));
    int on = rec_get(&rec.online);
    plug();
    CHECK(rec_wait(&rec.online, on + 1, 3000));
    slip_test_queue(&t, 33);
    CHECK_EQ_INT(slip_worker_submit(w, &t, 3), 0);
    CHECK(rec_wait(&rec.finals, 3, 5000));
    CHECK_EQ_INT(rec_get(&rec.printed), 3);
    CHECK_EQ_INT(printer_sim_slips(fk.sim), slips + 3);
    check_last_slip(&t);

    slip_worker_stop(w);
    printer_usb_destroy(p);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!usb_fake_preload(argv))
        return 1;
    log_set_level(LOG_LEVEL_WARNING);
    char dir[] = "/tmp/escpos_usb_test_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    tb = umockdev_testbed_new();
    fk.usb = (struct usb_fake){.lock = PTHREAD_MUTEX_INITIALIZER,
                               .driver_name = "usblp",
                               .control = true,
                               .submit = submit,
                               .serve = serve};
    fk.sim = printer_sim_create(8 << 20);
    plug();

    test_transport_alone();
    test_worker(dir);

    g_clear_object(&handler);
    g_clear_object(&tb);
    printer_sim_destroy(fk.sim);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_EQ_INT(system(cmd), 0);
    return check_report("escpos_usb_test");
}

/* fontconfig keeps process-wide caches it never frees. Read by LSan only. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
