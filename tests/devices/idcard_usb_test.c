/* idcard_usb_test.c - the libusb transport and the reader loop against a
 * fake USB ID card reader (umockdev).
 *
 * umockdev's preload library fakes sysfs, /dev/bus/usb and the netlink
 * uevents; a UMockdevIoctlBase handler in this process plays the device
 * behind usbdevfs: OUT URBs are fed to the simulated SAM module
 * (idcard_sim, the same responder demo mode uses), IN URBs are answered
 * from its reply bytes, split across the head and body pipes the way a
 * native GA/T 467 reader does (7 bytes on 0x81, the rest on 0x85). So the
 * real libusb code path runs: enumeration, descriptors, kernel-driver
 * detach, claim, bulk transfers, timeouts (URB discard), unplug.
 *
 * The program re-executes itself under the preload (and tells ASan to
 * accept a library loaded ahead of it), so ctest runs it like any other.
 * The umockdev handler runs on umockdev's own thread; the fake's state is
 * guarded by one mutex.
 */
#include <sys/ioctl.h>

#include "base/err.h"
#include "base/log.h"
#include "check.h"
#include "drivers/core/transport_usb.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sam.h"
#include "drivers/idcard/idcard_sim.h"
#include "idcard_events.h"
#include "usb_fake.h"

#include <errno.h>
#include <linux/usbdevice_fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>
#include <unistd.h>

struct fake {
    struct usb_fake usb; /* first: the hooks cast back */
    const char *syspath, *devnode, *description;
    bool split;
    uint8_t in_head, in_body;
    struct idcard_sim *sim;
    uint8_t reply[4 * 1300];
    size_t reply_len;
    size_t head_left, body_left; /* split: what is left of the current frame */
};

static UMockdevTestbed *tb;

/* Pulls what the sim has queued into the reply buffer. */
static void pull_sim(struct fake *f)
{
    struct transport *t = idcard_sim_transport(f->sim);
    for (;;) {
        size_t room = sizeof f->reply - f->reply_len;
        if (room == 0)
            return;
        int n = transport_read(t, f->reply + f->reply_len, room, 0);
        if (n == ERR_NODEV)
            f->usb.unplugged = true;
        if (n <= 0)
            return;
        f->reply_len += (size_t)n;
    }
}

static void take(struct fake *f, size_t n)
{
    memmove(f->reply, f->reply + n, f->reply_len - n);
    f->reply_len -= n;
}

/* Bytes an IN URB on ep may take now. */
static size_t available(struct fake *f, uint8_t ep, size_t cap)
{
    if (!f->split)
        return f->reply_len < cap ? f->reply_len : cap;
    if (f->head_left == 0 && f->body_left == 0 && f->reply_len >= 7)
        f->head_left = 7, f->body_left = (size_t)f->reply[5] << 8 | f->reply[6];
    size_t n = 0;
    if (ep == f->in_head && f->head_left)
        n = f->head_left;
    else if (ep == f->in_body && !f->head_left && f->body_left)
        n = f->body_left;
    if (n > f->reply_len)
        n = f->reply_len;
    return n < cap ? n : cap;
}

/* Completes every pending IN URB that has data (or fails them all after
 * an unplug). */
static void serve(struct usb_fake *u)
{
    struct fake *f = (struct fake *)u;
    pull_sim(f);
    for (size_t i = 0; i < f->usb.n_pending;) {
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)f->usb.pending[i]->data;
        if (f->usb.unplugged) {
            usb_fake_finish(&f->usb, i, -ESHUTDOWN, 0);
            continue;
        }
        size_t n = available(f, urb->endpoint, (size_t)urb->buffer_length);
        if (n == 0) {
            i++;
            continue;
        }
        /* Same address space: urb->buffer is the client's buffer. */
        memcpy(urb->buffer, f->reply, n);
        take(f, n);
        if (f->split) {
            if (urb->endpoint == f->in_head)
                f->head_left -= n;
            else
                f->body_left -= n;
        }
        usb_fake_finish(&f->usb, i, 0, n);
    }
}

/* OUT: the module takes the bytes at once; IN waits for serve(). */
static void submit(struct usb_fake *u, struct usbdevfs_urb *urb, UMockdevIoctlData *buf)
{
    struct fake *f = (struct fake *)u;
    if (!(urb->endpoint & 0x80)) {
        transport_write(idcard_sim_transport(f->sim), buf->data, (size_t)urb->buffer_length, 0);
        usb_fake_finish(u, u->n_pending - 1, 0, (size_t)urb->buffer_length);
    }
}

/* Device 1: a native GA/T 467 reader, 0400:c35a, split pipes 02/06 81/85. */
static struct fake split_reader = {
    .syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1",
    .devnode = "/dev/bus/usb/001/004",
    .description = "P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\n"
                   "N: bus/usb/001/004\n"
                   "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
                   "E: BUSNUM=001\nE: DEVNUM=004\nE: DEVNAME=/dev/bus/usb/001/004\n"
                   "A: busnum=1\\n\nA: devnum=4\\n\nA: speed=12\\n\nA: bConfigurationValue=1\\n\n"
                   "H: descriptors=12011001000000400004"
                   "5ac30001010203"
                   "01"
                   "09022e00010100803209040000"
                   "04ff000000"
                   "0705020240000007050602400000"
                   "0705810240000007058502400000\n",
    .split = true,
    .in_head = 0x81,
    .in_body = 0x85,
    .usb = {.lock = PTHREAD_MUTEX_INITIALIZER,
            .driver_name = "usbhid",
            .submit = submit,
            .serve = serve},
};

/* Device 2: a single-pipe model, 1a2b:3c4d, OUT 01 IN 82, known only from
 * the configured model table. */
static struct fake single_reader = {
    .syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2",
    .devnode = "/dev/bus/usb/001/005",
    .description = "P: /devices/pci0000:00/0000:00:14.0/usb1/1-2\n"
                   "N: bus/usb/001/005\n"
                   "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
                   "E: BUSNUM=001\nE: DEVNUM=005\nE: DEVNAME=/dev/bus/usb/001/005\n"
                   "A: busnum=1\\n\nA: devnum=5\\n\nA: speed=12\\n\nA: bConfigurationValue=1\\n\n"
                   "H: descriptors=1201100100000040"
                   "2b1a4d3c0001010203"
                   "01"
                   "09022000010100803209040000"
                   "02ff000000"
                   "07050102400000"
                   "07058202400000\n",
    .split = false,
    .in_head = 0x82,
    .in_body = 0x82,
    .usb = {.lock = PTHREAD_MUTEX_INITIALIZER,
            .driver_name = "usbhid",
            .submit = submit,
            .serve = serve},
};

static UMockdevIoctlBase *handlers[2];

static void plug(struct fake *f, UMockdevIoctlBase **h)
{
    GError *err = NULL;
    pthread_mutex_lock(&f->usb.lock);
    f->usb.unplugged = false;
    f->reply_len = f->head_left = f->body_left = 0;
    idcard_sim_fault(f->sim, IDCARD_SIM_FAULT_REPLUG);
    transport_open(idcard_sim_transport(f->sim));
    pthread_mutex_unlock(&f->usb.lock);
    if (!*h) {
        *h = umockdev_ioctl_base_new();
        g_signal_connect(*h, "handle-ioctl", G_CALLBACK(usb_fake_ioctl), &f->usb);
    }
    if (!umockdev_testbed_attach_ioctl(tb, f->devnode, *h, &err)) {
        fprintf(stderr, "attach_ioctl %s: %s\n", f->devnode, err ? err->message : "?");
        g_clear_error(&err);
    }
    gboolean added = umockdev_testbed_add_from_string(tb, f->description, &err);
    CHECK(added);
    if (!added)
        fprintf(stderr, "add_from_string: %s\n", err ? err->message : "?");
    g_clear_error(&err);
}

static void unplug(struct fake *f)
{
    pthread_mutex_lock(&f->usb.lock);
    f->usb.unplugged = true;
    pthread_mutex_unlock(&f->usb.lock);
    umockdev_testbed_uevent(tb, f->syspath, "remove");
    umockdev_testbed_remove_device(tb, f->syspath);
    GError *err = NULL;
    umockdev_testbed_detach_ioctl(tb, f->devnode, &err);
    g_clear_error(&err);
}

static struct transport *split_transport(void)
{
    struct transport_usb_config cfg;
    transport_usb_config_init(&cfg, idcard_sam_driver.usb_ids);
    return transport_usb_create(&cfg);
}

static struct idcard_reader *start_reader(struct transport *t)
{
    struct idcard_reader_config rc;
    ev_fast_config(&rc);
    struct idcard_reader *r = idcard_reader_create(&idcard_sam_ops, t, &ev_sink, &rc);
    CHECK(r != NULL);
    CHECK_EQ_INT(idcard_reader_start(r), 0);
    return r;
}

/* Find, select, read over split pipes; the kernel driver is detached. */
static void test_split_read(void)
{
    split_reader.usb.kernel_driver = true;
    struct transport *t = split_transport();
    CHECK(t != NULL);
    struct idcard_reader *r = start_reader(t);
    const struct ev *e = ev_wait(EV_STATE, 3000);
    CHECK(e && e->connected);
    char status[200];
    idcard_reader_status(r, status, sizeof status);
    CHECK_EQ_STR(status, "connected usb 0400:c35a split 02/06 81/85 on /dev/bus/usb/001/004");
    CHECK(!split_reader.usb.kernel_driver);

    struct idcard card = fixture_card_with_photo();
    CHECK_EQ_INT(idcard_sim_present(split_reader.sim, &card), 0);
    e = ev_wait(EV_INSERTED, 3000);
    CHECK(e != NULL);
    if (e) {
        CHECK_EQ_STR(e->name, "张三");
        CHECK_EQ_STR(e->id_number, FIXTURE_ID_NUMBER);
    }
    idcard_sim_remove(split_reader.sim);
    CHECK(ev_wait(EV_REMOVED, 3000) != NULL);

    /* A damaged 30 01 reply is read again, not reported. */
    unsigned reads = idcard_sim_requests(split_reader.sim, SAM_CMD_READ_BASE);
    idcard_sim_fault(split_reader.sim, IDCARD_SIM_FAULT_CHECKSUM);
    idcard_sim_present(split_reader.sim, &card);
    e = ev_wait(EV_INSERTED, 3000);
    CHECK(e != NULL);
    CHECK_EQ_INT(idcard_sim_requests(split_reader.sim, SAM_CMD_READ_BASE) - reads, 2);
    idcard_sim_remove(split_reader.sim);
    CHECK(ev_wait(EV_REMOVED, 3000) != NULL);

    /* A module that stays silent once: the reader waits out the timeout
     * and carries on connected. */
    idcard_sim_fault(split_reader.sim, IDCARD_SIM_FAULT_SILENT);
    idcard_sim_present(split_reader.sim, &card);
    CHECK(ev_wait(EV_INSERTED, 3000) != NULL);
    idcard_sim_remove(split_reader.sim);
    CHECK(ev_wait(EV_REMOVED, 3000) != NULL);

    /* Unplugged in the middle of a read: lost, status says why, and the
     * reader is picked up again when it is plugged back. */
    idcard_sim_fault(split_reader.sim, IDCARD_SIM_FAULT_UNPLUG_ON_READ);
    idcard_sim_present(split_reader.sim, &card);
    e = ev_wait(EV_STATE, 3000);
    CHECK(e && !e->connected);
    unplug(&split_reader);
    ev_sleep_ms(150);
    idcard_reader_status(r, status, sizeof status);
    CHECK_EQ_STR(status, "no reader found");
    CHECK(ev_wait(EV_INSERTED, 200) == NULL);

    plug(&split_reader, &handlers[0]);
    e = ev_wait(EV_STATE, 3000);
    CHECK(e && e->connected);
    idcard_sim_present(split_reader.sim, &card);
    CHECK(ev_wait(EV_INSERTED, 3000) != NULL);
    idcard_sim_remove(split_reader.sim);
    CHECK(ev_wait(EV_REMOVED, 3000) != NULL);

    idcard_reader_destroy(r);
    transport_usb_destroy(t);
    idcard_wipe(&card);
}

/* A raw exchange over the single-pipe model from the config table, and a
 * read timeout through libusb. */
static void test_single_pipe(void)
{
    struct transport_usb_config cfg;
    transport_usb_config_init(&cfg, NULL);
    CHECK_EQ_INT(transport_usb_parse_models("1a2b:3c4d=01/82", &cfg), 0);
    struct transport *t = transport_usb_create(&cfg);
    CHECK(t != NULL);
    CHECK_EQ_INT(transport_open(t), 0);
    char status[200];
    transport_describe(t, status, sizeof status);
    CHECK_EQ_STR(status, "usb 1a2b:3c4d single 01/82 on /dev/bus/usb/001/005");

    uint8_t req[16], rx[64];
    int n = sam_frame_encode_command(SAM_CMD_STATUS, NULL, 0, req, sizeof req);
    CHECK_EQ_INT(transport_write(t, req, (size_t)n, 200), 0);
    n = transport_read(t, rx, sizeof rx, 500);
    static const uint8_t ok[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x90, 0x94};
    CHECK_EQ_INT(n, (int)sizeof ok);
    CHECK(n == (int)sizeof ok && memcmp(rx, ok, sizeof ok) == 0);

    int64_t t0 = ev_now_ms();
    CHECK_EQ_INT(transport_read(t, rx, sizeof rx, 120), ERR_TIMEOUT);
    int64_t took = ev_now_ms() - t0;
    CHECK(took >= 100 && took < 1000);

    transport_close(t);
    transport_usb_destroy(t);
}

static void test_no_reader(void)
{
    struct transport_usb_config cfg;
    transport_usb_config_init(&cfg, NULL);
    CHECK_EQ_INT(driver_usb_id_parse("dead:beef", &cfg.extra_vid, &cfg.extra_pid), 0);
    struct transport *t = transport_usb_create(&cfg);
    CHECK_EQ_INT(transport_open(t), ERR_NODEV);
    char status[200];
    transport_describe(t, status, sizeof status);
    CHECK_EQ_STR(status, "no reader found");
    transport_usb_destroy(t);

    /* The table parser refuses what it cannot mean. */
    transport_usb_config_init(&cfg, NULL);
    CHECK_EQ_INT(transport_usb_parse_models("0400:c35a=02/06/81/85; 1a2b:3c4d=01/82", &cfg), 0);
    CHECK_EQ_INT(cfg.n_models, 2);
    CHECK_EQ_INT(cfg.models[0].in_body, 0x85);
    CHECK_EQ_INT(transport_usb_parse_models("0400:c35a=81/02", &cfg), ERR_INVALID);
    CHECK_EQ_INT(transport_usb_parse_models("0400=02/81", &cfg), ERR_INVALID);
    CHECK_EQ_INT(cfg.n_models, 2);
    CHECK_EQ_INT(transport_usb_error(-4 /* LIBUSB_ERROR_NO_DEVICE */), ERR_NODEV);
    CHECK_EQ_INT(transport_usb_error(-7 /* LIBUSB_ERROR_TIMEOUT */), ERR_TIMEOUT);
}

int main(int argc, char **argv)
{
    (void)argc;
    if (!usb_fake_preload(argv))
        return 1;
    log_set_level(LOG_LEVEL_WARNING);
    tb = umockdev_testbed_new();
    split_reader.sim = idcard_sim_create();
    single_reader.sim = idcard_sim_create();
    plug(&split_reader, &handlers[0]);
    plug(&single_reader, &handlers[1]);

    test_no_reader();
    test_single_pipe();
    test_split_read();

    g_clear_object(&handlers[0]);
    g_clear_object(&handlers[1]);
    g_clear_object(&tb);
    idcard_sim_destroy(split_reader.sim);
    idcard_sim_destroy(single_reader.sim);
    return check_report("idcard_usb_test");
}
