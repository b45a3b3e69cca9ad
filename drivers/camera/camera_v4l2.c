/* camera_v4l2.c - V4L2 mmap capture; see camera_v4l2.h. Face thread. */
#include "camera_v4l2.h"

#include "base/pixel.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "camera_image.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <turbojpeg.h>
#include <unistd.h>

#define V4L2_BUFFERS 4
#define V4L2_MAX_W   1280
#define V4L2_MAX_H   720
#define RETRY_MS     500

struct camera_v4l2 {
    const struct camera_v4l2_sys *sys;
    char device[128];
    int want_w, want_h, mjpeg_first, lost_ms;
    int fd;
    uint32_t fourcc;
    int w, h;
    struct {
        void *mem;
        size_t len;
    } buf[V4L2_BUFFERS];
    int nbuf;
    bool streaming, want_stream;
    int64_t lost_since, last_retry; /* 0: not lost */
    uint8_t *rgb;
    tjhandle tj;
    uint32_t seq;
};

static int sys_open(const char *path, int flags)
{
    return open(path, flags);
}

static int sys_ioctl(int fd, unsigned long req, void *arg)
{
    int r;
    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r;
}

const struct camera_v4l2_sys camera_v4l2_kernel = {
    .open = sys_open,
    .close = close,
    .ioctl = sys_ioctl,
    .mmap = mmap,
    .munmap = munmap,
    .poll = poll,
};

struct camera_v4l2 *camera_v4l2_create(const struct camera_v4l2_config *cfg,
                                       const struct camera_v4l2_sys *sys)
{
    struct camera_v4l2 *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->sys = sys ? sys : &camera_v4l2_kernel;
    snprintf(c->device, sizeof c->device, "%s",
             cfg->device && *cfg->device ? cfg->device : "/dev/video0");
    c->want_w = cfg->width > 0 ? cfg->width : 640;
    c->want_h = cfg->height > 0 ? cfg->height : 480;
    c->mjpeg_first = cfg->mjpeg;
    c->lost_ms = cfg->lost_ms > 0 ? cfg->lost_ms : 3000;
    c->fd = -1;
    c->rgb = malloc((size_t)V4L2_MAX_W * V4L2_MAX_H * 3);
    c->tj = tjInitDecompress();
    if (!c->rgb || !c->tj) {
        camera_v4l2_destroy(c);
        return NULL;
    }
    return c;
}

void camera_v4l2_format(const struct camera_v4l2 *c, uint32_t *fourcc, int *w, int *h)
{
    *fourcc = c->fourcc;
    *w = c->w;
    *h = c->h;
}

static int try_format(struct camera_v4l2 *c, uint32_t fourcc)
{
    struct v4l2_format f;
    memset(&f, 0, sizeof f);
    f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    f.fmt.pix.width = (uint32_t)c->want_w;
    f.fmt.pix.height = (uint32_t)c->want_h;
    f.fmt.pix.pixelformat = fourcc;
    f.fmt.pix.field = V4L2_FIELD_NONE;
    if (c->sys->ioctl(c->fd, VIDIOC_S_FMT, &f) < 0)
        return ERR_UNSUPPORTED;
    /* The driver may have changed anything: take only what we handle. */
    uint32_t w = f.fmt.pix.width, h = f.fmt.pix.height;
    if (f.fmt.pix.pixelformat != fourcc || w < 160 || h < 120 || w > V4L2_MAX_W || h > V4L2_MAX_H ||
        (w & 1))
        return ERR_UNSUPPORTED;
    c->fourcc = fourcc;
    c->w = (int)w;
    c->h = (int)h;
    return ERR_OK;
}

static void close_dev(struct camera_v4l2 *c)
{
    for (int i = 0; i < c->nbuf; i++)
        if (c->buf[i].mem)
            c->sys->munmap(c->buf[i].mem, c->buf[i].len);
    c->nbuf = 0;
    c->streaming = false;
    if (c->fd >= 0)
        c->sys->close(c->fd);
    c->fd = -1;
}

static int v4l2_open(void *ctx)
{
    struct camera_v4l2 *c = ctx;
    if (c->fd >= 0)
        return ERR_OK;
    c->fd = c->sys->open(c->device, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (c->fd < 0)
        return ERR_NODEV;
    struct v4l2_capability cap;
    memset(&cap, 0, sizeof cap);
    if (c->sys->ioctl(c->fd, VIDIOC_QUERYCAP, &cap) < 0) {
        close_dev(c);
        return ERR_NODEV;
    }
    uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
    if (!(caps & V4L2_CAP_VIDEO_CAPTURE) || !(caps & V4L2_CAP_STREAMING)) {
        log_err("camera", "%s cannot stream video", c->device);
        close_dev(c);
        return ERR_UNSUPPORTED;
    }
    uint32_t first = c->mjpeg_first ? V4L2_PIX_FMT_MJPEG : V4L2_PIX_FMT_YUYV;
    uint32_t second = c->mjpeg_first ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_MJPEG;
    if (try_format(c, first) != 0 && try_format(c, second) != 0) {
        log_err("camera", "%s offers neither YUYV nor MJPEG at a usable size", c->device);
        close_dev(c);
        return ERR_UNSUPPORTED;
    }
    struct v4l2_streamparm parm;
    memset(&parm, 0, sizeof parm);
    parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    parm.parm.capture.timeperframe.numerator = 1;
    parm.parm.capture.timeperframe.denominator = 15;
    (void)c->sys->ioctl(c->fd, VIDIOC_S_PARM, &parm); /* a wish, not a must */
    log_info("camera", "%s: %s %dx%d", c->device,
             c->fourcc == V4L2_PIX_FMT_MJPEG ? "MJPEG" : "YUYV", c->w, c->h);
    return ERR_OK;
}

static int v4l2_start(void *ctx)
{
    struct camera_v4l2 *c = ctx;
    if (c->fd < 0)
        return ERR_NODEV;
    if (c->streaming)
        return ERR_OK;
    struct v4l2_requestbuffers req;
    memset(&req, 0, sizeof req);
    req.count = V4L2_BUFFERS;
    req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    req.memory = V4L2_MEMORY_MMAP;
    if (c->sys->ioctl(c->fd, VIDIOC_REQBUFS, &req) < 0 || req.count < 2)
        return ERR_IO;
    int n = req.count > V4L2_BUFFERS ? V4L2_BUFFERS : (int)req.count;
    for (int i = 0; i < n; i++) {
        struct v4l2_buffer b;
        memset(&b, 0, sizeof b);
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        b.index = (uint32_t)i;
        if (c->sys->ioctl(c->fd, VIDIOC_QUERYBUF, &b) < 0)
            return ERR_IO;
        void *m = c->sys->mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
                               (off_t)b.m.offset);
        if (m == MAP_FAILED)
            return ERR_IO;
        c->buf[i].mem = m;
        c->buf[i].len = b.length;
        c->nbuf = i + 1;
        if (c->sys->ioctl(c->fd, VIDIOC_QBUF, &b) < 0)
            return ERR_IO;
    }
    int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (c->sys->ioctl(c->fd, VIDIOC_STREAMON, &type) < 0)
        return ERR_IO;
    c->streaming = c->want_stream = true;
    c->lost_since = 0;
    return ERR_OK;
}

/* The camera went away: close it and remember since when. */
static void lost(struct camera_v4l2 *c)
{
    if (!c->lost_since) {
        log_warn("camera", "%s disappeared; waiting for it to come back", c->device);
        c->lost_since = clock_mono_ms();
    }
    close_dev(c);
}

/* Tries to open the camera again, at most every RETRY_MS; waits up to
 * timeout_ms for the next try. */
/* (camera_uvc.c paces its retries the same way over its own device.) */
static int reopen(struct camera_v4l2 *c, int timeout_ms)
{
    int64_t now = clock_mono_ms();
    int64_t wait = c->last_retry + RETRY_MS - now;
    if (wait > 0) {
        int64_t nap = wait < timeout_ms ? wait : timeout_ms;
        struct timespec ts = {(time_t)(nap / 1000), (long)(nap % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        if (nap < wait)
            return ERR_TIMEOUT; /* ERR_NODEV only after a failed try */
        now = clock_mono_ms();
    }
    c->last_retry = now;
    if (v4l2_open(c) == 0 && v4l2_start(c) == 0) {
        log_info("camera", "%s is back", c->device);
        c->lost_since = 0;
        return ERR_OK;
    }
    close_dev(c);
    return now - c->lost_since > c->lost_ms ? ERR_NODEV : ERR_TIMEOUT;
}

static int v4l2_read(void *ctx, struct camera_frame *frame, int timeout_ms)
{
    struct camera_v4l2 *c = ctx;
    if (!c->want_stream)
        return ERR_IO;
    if (c->lost_since || !c->streaming) {
        int rc = reopen(c, timeout_ms);
        if (rc != 0)
            return rc;
    }
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    int pr = c->sys->poll(&p, 1, timeout_ms);
    if (pr == 0 || (pr < 0 && errno == EINTR))
        return ERR_TIMEOUT;
    if (pr < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
        lost(c);
        return ERR_TIMEOUT;
    }
    struct v4l2_buffer b;
    memset(&b, 0, sizeof b);
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    if (c->sys->ioctl(c->fd, VIDIOC_DQBUF, &b) < 0) {
        if (errno == EAGAIN)
            return ERR_TIMEOUT;
        lost(c); /* ENODEV, EIO: unplugged */
        return ERR_TIMEOUT;
    }
    int rc = ERR_IO;
    if (b.index < (uint32_t)c->nbuf && !(b.flags & V4L2_BUF_FLAG_ERROR) &&
        b.bytesused <= c->buf[b.index].len) {
        const uint8_t *data = c->buf[b.index].mem;
        if (c->fourcc == V4L2_PIX_FMT_YUYV) {
            rc = camera_yuyv_to_rgb(data, b.bytesused, c->w, c->h, c->rgb);
            frame->width = c->w;
            frame->height = c->h;
        } else {
            rc = camera_jpeg_decode(c->tj, data, b.bytesused, c->rgb,
                                    (size_t)V4L2_MAX_W * V4L2_MAX_H * 3, &frame->width,
                                    &frame->height);
        }
        if (rc != 0)
            rc = ERR_IO;
    }
    if (b.index < (uint32_t)c->nbuf && c->sys->ioctl(c->fd, VIDIOC_QBUF, &b) < 0)
        lost(c); /* this frame is still good; the next read reopens */
    if (rc != 0)
        return ERR_IO; /* corrupt frame: the caller skips it */
    frame->format = CAMERA_RGB24;
    frame->data = c->rgb;
    frame->len = px_area(frame->width, frame->height) * 3;
    frame->seq = ++c->seq;
    frame->time_ms = clock_mono_ms();
    return ERR_OK;
}

static void v4l2_stop(void *ctx)
{
    struct camera_v4l2 *c = ctx;
    c->want_stream = false;
    if (c->fd >= 0 && c->streaming) {
        int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        (void)c->sys->ioctl(c->fd, VIDIOC_STREAMOFF, &type);
    }
    for (int i = 0; i < c->nbuf; i++)
        if (c->buf[i].mem) {
            c->sys->munmap(c->buf[i].mem, c->buf[i].len);
            c->buf[i].mem = NULL;
        }
    c->nbuf = 0;
    c->streaming = false;
    c->lost_since = 0;
    explicit_bzero(c->rgb, (size_t)V4L2_MAX_W * V4L2_MAX_H * 3);
}

static void v4l2_close(void *ctx)
{
    struct camera_v4l2 *c = ctx;
    close_dev(c);
}

void camera_v4l2_destroy(struct camera_v4l2 *c)
{
    if (!c)
        return;
    close_dev(c);
    if (c->rgb) {
        explicit_bzero(c->rgb, (size_t)V4L2_MAX_W * V4L2_MAX_H * 3);
        free(c->rgb);
    }
    if (c->tj)
        tjDestroy(c->tj);
    free(c);
}

const struct camera_ops camera_v4l2_ops = {
    .name = "v4l2",
    .open = v4l2_open,
    .start = v4l2_start,
    .read = v4l2_read,
    .stop = v4l2_stop,
    .close = v4l2_close,
};
