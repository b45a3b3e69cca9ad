/* usb_fake.h - the usbdevfs half of a fake USB device on umockdev, shared
 * by the reader and printer tests.
 *
 * umockdev's preload fakes sysfs, /dev/bus/usb and uevents; the ioctls
 * libusb sends to the device node reach usb_fake_ioctl() in this process.
 * It answers what every device answers the same way (capabilities, the
 * kernel driver that holds interface 0 until libusb detaches it, claim
 * and release, resets, the URB queue: submit, reap, discard, and ENODEV
 * for everything but reaping once unplugged) and hands the device's own
 * behaviour to two hooks: submit, for a URB just queued, and serve, to
 * complete what it can of the queue. Both run with the lock held.
 *
 * A test embeds struct usb_fake first in its own fake, so the hooks can
 * cast back to it, and connects usb_fake_ioctl with the fake as user data.
 */
#ifndef TESTS_USB_FAKE_H
#define TESTS_USB_FAKE_H

#include <sys/ioctl.h> /* before linux/usbdevice_fs.h, whose requests it spells */

#include <errno.h>
#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>
#include <unistd.h>

#define USB_FAKE_URB_MAX 64

struct usb_fake {
    pthread_mutex_t lock;
    bool unplugged;
    bool kernel_driver;      /* a kernel driver holds interface 0 */
    const char *driver_name; /* what USBDEVFS_GETDRIVER reports then */
    bool control;            /* control URBs are the device's too (else EINVAL) */
    UMockdevIoctlData *pending[USB_FAKE_URB_MAX];
    size_t n_pending;
    UMockdevIoctlData *done[USB_FAKE_URB_MAX];
    size_t n_done;
    unsigned submits;
    /* The URB at pending[n_pending - 1] was just queued; buf is its data. */
    void (*submit)(struct usb_fake *u, struct usbdevfs_urb *urb, UMockdevIoctlData *buf);
    void (*serve)(struct usb_fake *u);
};

/* Completes pending[i] with status and len bytes, ready to be reaped. */
static inline void usb_fake_finish(struct usb_fake *u, size_t i, int status, size_t len)
{
    UMockdevIoctlData *d = u->pending[i];
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)d->data;
    urb->status = status;
    urb->actual_length = (int)len;
    for (size_t k = i; k + 1 < u->n_pending; k++)
        u->pending[k] = u->pending[k + 1];
    u->n_pending--;
    if (u->n_done < USB_FAKE_URB_MAX)
        u->done[u->n_done++] = d;
}

/* Forgets every URB (a replug). Lock held. */
static inline void usb_fake_reset(struct usb_fake *u)
{
    u->unplugged = false;
    u->n_pending = u->n_done = 0;
}

static inline void usb_fake_submit(struct usb_fake *u, UMockdevIoctlClient *client,
                                   UMockdevIoctlData *arg)
{
    UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)d->data;
    UMockdevIoctlData *buf = umockdev_ioctl_data_resolve(
        d, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer), (gsize)urb->buffer_length, NULL);
    u->submits++;
    bool type_ok = urb->type == USBDEVFS_URB_TYPE_BULK ||
                   (u->control && urb->type == USBDEVFS_URB_TYPE_CONTROL);
    if (!type_ok || u->n_pending == USB_FAKE_URB_MAX) {
        umockdev_ioctl_data_unref(buf);
        umockdev_ioctl_data_unref(d);
        umockdev_ioctl_client_complete(client, -1, EINVAL);
        return;
    }
    u->pending[u->n_pending++] = d;
    u->submit(u, urb, buf);
    umockdev_ioctl_data_unref(buf);
    umockdev_ioctl_client_complete(client, 0, 0);
}

static inline void usb_fake_reap(struct usb_fake *u, UMockdevIoctlClient *client,
                                 UMockdevIoctlData *arg)
{
    u->serve(u);
    if (u->n_done == 0) {
        umockdev_ioctl_client_complete(client, -1, u->unplugged ? ENODEV : EAGAIN);
        return;
    }
    UMockdevIoctlData *d = u->done[0];
    for (size_t k = 0; k + 1 < u->n_done; k++)
        u->done[k] = u->done[k + 1];
    u->n_done--;
    UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
    umockdev_ioctl_data_set_ptr(ptr, 0, d);
    umockdev_ioctl_data_unref(ptr);
    umockdev_ioctl_data_unref(d);
    umockdev_ioctl_client_complete(client, 0, 0);
}

static inline void usb_fake_simple(struct usb_fake *u, UMockdevIoctlClient *client,
                                   UMockdevIoctlData *arg, gulong request)
{
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        *(guint32 *)d->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                              USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        umockdev_ioctl_data_unref(d);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_GETDRIVER: {
        UMockdevIoctlData *d =
            umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_getdriver), NULL);
        struct usbdevfs_getdriver *gd = (struct usbdevfs_getdriver *)d->data;
        if (u->kernel_driver) {
            snprintf(gd->driver, sizeof gd->driver, "%s", u->driver_name);
            umockdev_ioctl_client_complete(client, 0, 0);
        } else {
            umockdev_ioctl_client_complete(client, -1, ENODATA);
        }
        umockdev_ioctl_data_unref(d);
        break;
    }
    case USBDEVFS_IOCTL: {
        UMockdevIoctlData *d =
            umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), NULL);
        struct usbdevfs_ioctl *io = (struct usbdevfs_ioctl *)d->data;
        if (io->ioctl_code == (int)USBDEVFS_DISCONNECT)
            u->kernel_driver = false;
        else if (io->ioctl_code == (int)USBDEVFS_CONNECT)
            u->kernel_driver = true;
        umockdev_ioctl_data_unref(d);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_CLAIMINTERFACE:
        umockdev_ioctl_client_complete(client, u->kernel_driver ? -1 : 0,
                                       u->kernel_driver ? EBUSY : 0);
        break;
    default: /* release, clear halt, resets, set interface */
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
}

/* The "handle-ioctl" signal handler; user is the struct usb_fake. */
static inline gboolean usb_fake_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *client,
                                      gpointer user)
{
    (void)h;
    struct usb_fake *u = user;
    gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    pthread_mutex_lock(&u->lock);
    gboolean handled = TRUE;
    if (u->unplugged && request != USBDEVFS_REAPURB && request != USBDEVFS_REAPURBNDELAY &&
        request != USBDEVFS_DISCARDURB) {
        umockdev_ioctl_client_complete(client, -1, ENODEV);
        pthread_mutex_unlock(&u->lock);
        return TRUE;
    }
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES:
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
    case USBDEVFS_SETINTERFACE:
        usb_fake_simple(u, client, arg, request);
        break;
    case USBDEVFS_SUBMITURB:
        usb_fake_submit(u, client, arg);
        break;
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
        usb_fake_reap(u, client, arg);
        break;
    case USBDEVFS_DISCARDURB: {
        gulong addr = *(gulong *)arg->data;
        bool found = false;
        for (size_t i = 0; i < u->n_pending; i++)
            if (u->pending[i]->client_addr == addr) {
                usb_fake_finish(u, i, -ENOENT, 0);
                found = true;
                break;
            }
        umockdev_ioctl_client_complete(client, found ? 0 : -1, found ? 0 : EINVAL);
        break;
    }
    default:
        fprintf(stderr, "fake usb: unhandled ioctl 0x%lx\n", request);
        handled = FALSE;
        break;
    }
    pthread_mutex_unlock(&u->lock);
    return handled;
}

/* Runs the program again under umockdev's preload (ASan must then accept
 * a library ahead of its runtime). Returns in the re-run program; the
 * first one becomes it, or returns false if it cannot. */
static inline bool usb_fake_preload(char **argv)
{
    if (getenv("KIOSK_UMOCKDEV_CHILD"))
        return true;
    setenv("KIOSK_UMOCKDEV_CHILD", "1", 1);
    setenv("LD_PRELOAD", "libumockdev-preload.so.0", 1);
    const char *asan = getenv("ASAN_OPTIONS");
    char opts[512];
    snprintf(opts, sizeof opts, "%s%sverify_asan_link_order=0", asan ? asan : "",
             asan && asan[0] ? ":" : "");
    setenv("ASAN_OPTIONS", opts, 1);
    execv("/proc/self/exe", argv);
    perror("execv");
    return false;
}

#endif
