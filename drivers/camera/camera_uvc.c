/* camera_uvc.c - the libuvc camera source; see camera_uvc.h.
 *
 * Two threads meet here: libuvc's streaming thread runs on_frame, which
 * copies the camera's bytes into the mailbox slot under the lock and
 * signals; the face thread runs every camera_ops function and, in read,
 * swaps the slot with its own buffer (a pointer swap under the lock) and
 * converts outside it. So the callback never waits on a conversion, and
 * the face thread always gets the newest frame.
 *
 * libuvc 0.0.6 (Debian 12) notes: uvc_init with a NULL libusb context
 * makes its own and starts its event thread in uvc_open; uvc_find_device
 * takes 0 as "any" for VID and PID; uvc_get_stream_ctrl_format_size with
 * fps 0 accepts the first frame interval offered. libuvc does not report
 * an unplug to the callback, so a silent read asks libusb whether the
 * device is still there (libusb_get_configuration answers NO_DEVICE).
 */
#include "camera_uvc.h"

#include "base/pixel.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "camera_image.h"

#include <errno.h>
#include <libusb.h>
#include <libuvc/libuvc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>

#define UVC_MAX_W   1280
#define UVC_MAX_H   720
#define UVC_RAW_MAX ((size_t)UVC_MAX_W * UVC_MAX_H * 2) /* a YUYV frame; MJPEG is smaller */
#define UVC_RGB_MAX ((size_t)UVC_MAX_W * UVC_MAX_H * 3)
#define RETRY_MS    500

struct camera_uvc {
    struct camera_uvc_config cfg;
    uvc_context_t *ctx;
    uvc_device_t *dev;
    uvc_device_handle_t *devh;
    uvc_stream_ctrl_t ctrl;
    bool mjpeg;
    int w, h;
    bool streaming, want_stream;
    int64_t lost_since, last_retry; /* 0: not lost */

    /* The mailbox, shared with libuvc's thread under lock. */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    uint8_t *slot;
    size_t slot_len;
    int slot_w, slot_h;
    bool slot_mjpeg, slot_full;

    /* Face thread only. */
    uint8_t *mine; /* swapped with slot */
    uint8_t *rgb;
    tjhandle tj;
    uint32_t seq;
};

int camera_uvc_error(int e)
{
    switch (e) {
    case UVC_SUCCESS:
        return ERR_OK;
    case UVC_ERROR_NO_DEVICE:
    case UVC_ERROR_NOT_FOUND:
    case UVC_ERROR_INVALID_DEVICE:
        return ERR_NODEV;
    case UVC_ERROR_ACCESS:
    case UVC_ERROR_BUSY:
        return ERR_BUSY;
    case UVC_ERROR_TIMEOUT:
        return ERR_TIMEOUT;
    case UVC_ERROR_NO_MEM:
        return ERR_NOMEM;
    case UVC_ERROR_NOT_SUPPORTED:
    case UVC_ERROR_INVALID_MODE:
        return ERR_UNSUPPORTED;
    case UVC_ERROR_INVALID_PARAM:
    case UVC_ERROR_CALLBACK_EXISTS:
        return ERR_INVALID;
    default: /* IO, PIPE, OVERFLOW, INTERRUPTED, OTHER */
        return ERR_IO;
    }
}

struct camera_uvc *camera_uvc_create(const struct camera_uvc_config *cfg)
{
    struct camera_uvc *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cfg = *cfg;
    if (c->cfg.width <= 0 || c->cfg.height <= 0) {
        c->cfg.width = 640;
        c->cfg.height = 480;
    }
    if (c->cfg.lost_ms <= 0)
        c->cfg.lost_ms = 3000;
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->cond, &ca);
    pthread_condattr_destroy(&ca);
    c->slot = malloc(UVC_RAW_MAX);
    c->mine = malloc(UVC_RAW_MAX);
    c->rgb = malloc(UVC_RGB_MAX);
    c->tj = tjInitDecompress();
    if (!c->slot || !c->mine || !c->rgb || !c->tj) {
        camera_uvc_destroy(c);
        return NULL;
    }
    return c;
}

void camera_uvc_format(const struct camera_uvc *c, bool *mjpeg, int *w, int *h)
{
    *mjpeg = c->mjpeg;
    *w = c->w;
    *h = c->h;
}

void camera_uvc_deliver(struct camera_uvc *c, const uint8_t *data, size_t len, int w, int h,
                        bool mjpeg)
{
    if (!data || len > UVC_RAW_MAX || w <= 0 || h <= 0 || w > UVC_MAX_W || h > UVC_MAX_H)
        return; /* not a frame we could use; the next one may be */
    pthread_mutex_lock(&c->lock);
    memcpy(c->slot, data, len);
    c->slot_len = len;
    c->slot_w = w;
    c->slot_h = h;
    c->slot_mjpeg = mjpeg;
    c->slot_full = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

/* libuvc's streaming thread. */
static void on_frame(uvc_frame_t *f, void *user)
{
    struct camera_uvc *c = user;
    if (f->frame_format != UVC_FRAME_FORMAT_YUYV && f->frame_format != UVC_FRAME_FORMAT_MJPEG)
        return;
    camera_uvc_deliver(c, f->data, f->data_bytes, (int)f->width, (int)f->height,
                       f->frame_format == UVC_FRAME_FORMAT_MJPEG);
}

static void close_dev(struct camera_uvc *c)
{
    if (c->devh) {
        if (c->streaming)
            uvc_stop_streaming(c->devh); /* joins libuvc's callback thread */
        uvc_close(c->devh);
    }
    c->devh = NULL;
    c->streaming = false;
    if (c->dev)
        uvc_unref_device(c->dev);
    c->dev = NULL;
    if (c->ctx)
        uvc_exit(c->ctx);
    c->ctx = NULL;
}

/* Asks the camera for a format at the configured size: 15 frames/s if it
 * offers that, else its first rate. */
static int negotiate(struct camera_uvc *c, bool mjpeg)
{
    enum uvc_frame_format fmt = mjpeg ? UVC_FRAME_FORMAT_MJPEG : UVC_FRAME_FORMAT_YUYV;
    uvc_error_t e =
        uvc_get_stream_ctrl_format_size(c->devh, &c->ctrl, fmt, c->cfg.width, c->cfg.height, 15);
    if (e != UVC_SUCCESS)
        e = uvc_get_stream_ctrl_format_size(c->devh, &c->ctrl, fmt, c->cfg.width, c->cfg.height, 0);
    if (e != UVC_SUCCESS)
        return camera_uvc_error(e);
    c->mjpeg = mjpeg;
    c->w = c->cfg.width;
    c->h = c->cfg.height;
    return ERR_OK;
}

/* Opens without logging failures (the caller decides). */
static int open_dev(struct camera_uvc *c, const char **what, int *uvc_err)
{
    uvc_error_t e = uvc_init(&c->ctx, NULL);
    *what = "uvc_init";
    if (e == UVC_SUCCESS) {
        *what = "no UVC camera";
        e = uvc_find_device(c->ctx, &c->dev, c->cfg.vid, c->cfg.pid, NULL);
    }
    if (e == UVC_SUCCESS) {
        *what = "uvc_open";
        e = uvc_open(c->dev, &c->devh);
    }
    *uvc_err = e;
    if (e != UVC_SUCCESS) {
        close_dev(c);
        return camera_uvc_error(e);
    }
    bool first = c->cfg.mjpeg != 0;
    int rc = negotiate(c, first);
    if (rc != 0)
        rc = negotiate(c, !first);
    if (rc != 0) {
        *what = "neither YUYV nor MJPEG at the configured size";
        *uvc_err = UVC_ERROR_INVALID_MODE;
        close_dev(c);
        return ERR_UNSUPPORTED;
    }
    return ERR_OK;
}

static int uvc_src_open(void *ctx)
{
    struct camera_uvc *c = ctx;
    if (c->devh)
        return ERR_OK;
    const char *what = "";
    int ue = 0;
    int rc = open_dev(c, &what, &ue);
    if (rc != 0) {
        log_err("camera", "uvc %04x:%04x: %s: %s", c->cfg.vid, c->cfg.pid, what,
                uvc_strerror((uvc_error_t)ue));
        return rc;
    }
    log_info("camera", "uvc %04x:%04x: %s %dx%d", c->cfg.vid, c->cfg.pid,
             c->mjpeg ? "MJPEG" : "YUYV", c->w, c->h);
    return ERR_OK;
}

static int start_stream(struct camera_uvc *c)
{
    pthread_mutex_lock(&c->lock);
    c->slot_full = false;
    pthread_mutex_unlock(&c->lock);
    uvc_error_t e = uvc_start_streaming(c->devh, &c->ctrl, on_frame, c, 0);
    if (e != UVC_SUCCESS)
        return camera_uvc_error(e);
    c->streaming = true;
    return ERR_OK;
}

static int uvc_src_start(void *ctx)
{
    struct camera_uvc *c = ctx;
    if (!c->devh)
        return ERR_NODEV;
    if (c->streaming)
        return ERR_OK;
    int rc = start_stream(c);
    if (rc != 0) {
        log_err("camera", "uvc: streaming did not start (%s)", err_str(rc));
        return rc;
    }
    c->want_stream = true;
    c->lost_since = 0;
    return ERR_OK;
}

/* Whether libusb still sees the device behind the open handle. */
static bool still_there(struct camera_uvc *c)
{
    int cfg;
    struct libusb_device_handle *h = c->devh ? uvc_get_libusb_handle(c->devh) : NULL;
    return h && libusb_get_configuration(h, &cfg) != LIBUSB_ERROR_NO_DEVICE;
}

static void lost(struct camera_uvc *c)
{
    if (!c->lost_since) {
        log_warn("camera", "uvc camera disappeared; waiting for it to come back");
        c->lost_since = clock_mono_ms();
        if (c->lost_since == 0)
            c->lost_since = 1;
    }
    close_dev(c);
}

/* Looks for the camera again at most every RETRY_MS. */
static int reopen(struct camera_uvc *c, int timeout_ms)
{
    int64_t now = clock_mono_ms();
    int64_t wait = c->last_retry + RETRY_MS - now;
    if (wait > 0) {
        int64_t nap = wait < timeout_ms ? wait : timeout_ms;
        struct timespec ts = {(time_t)(nap / 1000), (long)(nap % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        if (nap < wait)
            return now - c->lost_since > c->cfg.lost_ms ? ERR_NODEV : ERR_TIMEOUT;
        now = clock_mono_ms();
    }
    c->last_retry = now;
    const char *what;
    int ue;
    if (open_dev(c, &what, &ue) == 0 && start_stream(c) == 0) {
        log_info("camera", "uvc camera is back");
        c->lost_since = 0;
        return ERR_OK;
    }
    close_dev(c);
    return now - c->lost_since > c->cfg.lost_ms ? ERR_NODEV : ERR_TIMEOUT;
}

static int uvc_src_read(void *ctx, struct camera_frame *frame, int timeout_ms)
{
    struct camera_uvc *c = ctx;
    if (c->want_stream && c->lost_since) {
        int rc = reopen(c, timeout_ms);
        if (rc != 0)
            return rc;
    }
    struct timespec until = clock_deadline_in(timeout_ms);
    pthread_mutex_lock(&c->lock);
    while (!c->slot_full && c->streaming) {
        if (pthread_cond_timedwait(&c->cond, &c->lock, &until) == ETIMEDOUT)
            break;
    }
    bool got = c->slot_full;
    size_t len = c->slot_len;
    int w = c->slot_w, h = c->slot_h;
    bool mjpeg = c->slot_mjpeg;
    if (got) {
        uint8_t *t = c->slot;
        c->slot = c->mine;
        c->mine = t;
        c->slot_full = false;
    }
    pthread_mutex_unlock(&c->lock);
    if (!got) {
        if (!c->streaming)
            return c->want_stream ? ERR_TIMEOUT : ERR_IO;
        if (!still_there(c))
            lost(c);
        return ERR_TIMEOUT;
    }
    int rc;
    if (mjpeg) {
        rc = camera_jpeg_decode(c->tj, c->mine, len, c->rgb, UVC_RGB_MAX, &frame->width,
                                &frame->height);
    } else {
        rc = camera_yuyv_to_rgb(c->mine, len, w, h, c->rgb);
        frame->width = w;
        frame->height = h;
    }
    if (rc != 0)
        return ERR_IO; /* a corrupt frame: the caller skips it */
    frame->format = CAMERA_RGB24;
    frame->data = c->rgb;
    frame->len = px_area(frame->width, frame->height) * 3;
    frame->seq = ++c->seq;
    frame->time_ms = clock_mono_ms();
    return ERR_OK;
}

static void wipe(struct camera_uvc *c)
{
    pthread_mutex_lock(&c->lock);
    explicit_bzero(c->slot, UVC_RAW_MAX);
    c->slot_full = false;
    pthread_mutex_unlock(&c->lock);
    explicit_bzero(c->mine, UVC_RAW_MAX);
    explicit_bzero(c->rgb, UVC_RGB_MAX);
}

static void uvc_src_stop(void *ctx)
{
    struct camera_uvc *c = ctx;
    c->want_stream = false;
    if (c->devh && c->streaming)
        uvc_stop_streaming(c->devh);
    c->streaming = false;
    c->lost_since = 0;
    wipe(c);
}

static void uvc_src_close(void *ctx)
{
    close_dev(ctx);
}

void camera_uvc_destroy(struct camera_uvc *c)
{
    if (!c)
        return;
    close_dev(c);
    if (c->slot && c->mine && c->rgb)
        wipe(c);
    free(c->slot);
    free(c->mine);
    free(c->rgb);
    if (c->tj)
        tjDestroy(c->tj);
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

const struct camera_ops camera_uvc_ops = {
    .name = "uvc",
    .open = uvc_src_open,
    .start = uvc_src_start,
    .read = uvc_src_read,
    .stop = uvc_src_stop,
    .close = uvc_src_close,
};
