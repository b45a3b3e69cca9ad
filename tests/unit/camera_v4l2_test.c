/* camera_v4l2_test.c - the real V4L2 capture code against an in-process
 * fake camera behind the system-call seam (these machines have no video
 * devices): format negotiation, YUYV and MJPEG streaming at 640x480 and
 * 1280x720, a frame flagged corrupt, and the camera unplugged mid-stream
 * and plugged back in. Test thread only. */
#include "base/pixel.h"
#include "base/err.h"
#include "check.h"
#include "drivers/camera/camera_v4l2.h"

#include <errno.h>
#include <linux/videodev2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <turbojpeg.h>

#define FAKE_FD 42

static struct {
    bool present;
    bool yuyv, mjpeg; /* what the camera offers */
    uint32_t fourcc;
    int w, h;
    struct {
        uint8_t *mem;
        size_t len;
        bool queued;
    } buf[8];
    int nbuf, next;
    int streaming;
    uint32_t frames;
    uint32_t corrupt_at; /* frame number flagged with V4L2_BUF_FLAG_ERROR */
    uint32_t unplug_at;  /* frame number after which the camera vanishes */
    uint8_t *jpeg;
    unsigned long jpeg_len;
    int opens;
} fake;

static int f_open(const char *path, int flags)
{
    (void)path;
    (void)flags;
    if (!fake.present) {
        errno = ENOENT;
        return -1;
    }
    fake.opens++;
    return FAKE_FD;
}

static int f_close(int fd)
{
    return fd == FAKE_FD ? 0 : -1;
}

/* A frame: left half red, right half blue, in the negotiated format. */
static void fill_frame(int i)
{
    if (fake.fourcc == V4L2_PIX_FMT_YUYV) {
        uint8_t *p = fake.buf[i].mem;
        for (int y = 0; y < fake.h; y++)
            for (int x = 0; x < fake.w; x += 2) {
                uint8_t *q = p + px_at(x, y, fake.w) * 2;
                bool left = x < fake.w / 2;
                /* BT.601 limited: red (81, 90, 240), blue (41, 240, 110) */
                q[0] = q[2] = left ? 81 : 41;
                q[1] = left ? 90 : 240;
                q[3] = left ? 240 : 110;
            }
    } else {
        memcpy(fake.buf[i].mem, fake.jpeg, fake.jpeg_len);
    }
}

static int f_ioctl(int fd, unsigned long req, void *arg)
{
    if (fd != FAKE_FD) {
        errno = EBADF;
        return -1;
    }
    if (!fake.present) {
        errno = ENODEV;
        return -1;
    }
    switch (req) {
    case VIDIOC_QUERYCAP: {
        struct v4l2_capability *c = arg;
        memset(c, 0, sizeof *c);
        c->capabilities = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING | V4L2_CAP_DEVICE_CAPS;
        c->device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
        return 0;
    }
    case VIDIOC_S_FMT: {
        struct v4l2_format *f = arg;
        uint32_t pf = f->fmt.pix.pixelformat;
        /* Like a driver: fall back to what it has, snap to its sizes. */
        if (!((pf == V4L2_PIX_FMT_YUYV && fake.yuyv) || (pf == V4L2_PIX_FMT_MJPEG && fake.mjpeg)))
            pf = fake.yuyv ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_MJPEG;
        if (f->fmt.pix.width >= 1280) {
            f->fmt.pix.width = 1280;
            f->fmt.pix.height = 720;
        } else {
            f->fmt.pix.width = 640;
            f->fmt.pix.height = 480;
        }
        f->fmt.pix.pixelformat = pf;
        fake.fourcc = pf;
        fake.w = (int)f->fmt.pix.width;
        fake.h = (int)f->fmt.pix.height;
        return 0;
    }
    case VIDIOC_S_PARM:
        return 0;
    case VIDIOC_REQBUFS: {
        struct v4l2_requestbuffers *r = arg;
        fake.nbuf = r->count > 8 ? 8 : (int)r->count;
        r->count = (uint32_t)fake.nbuf;
        for (int i = 0; i < fake.nbuf; i++) {
            fake.buf[i].len = px_area(fake.w, fake.h) * 2;
            free(fake.buf[i].mem);
            fake.buf[i].mem = calloc(1, fake.buf[i].len);
            fake.buf[i].queued = false;
        }
        return 0;
    }
    case VIDIOC_QUERYBUF: {
        struct v4l2_buffer *b = arg;
        if (b->index >= (uint32_t)fake.nbuf) {
            errno = EINVAL;
            return -1;
        }
        b->length = (uint32_t)fake.buf[b->index].len;
        b->m.offset = b->index * 4096;
        return 0;
    }
    case VIDIOC_QBUF: {
        struct v4l2_buffer *b = arg;
        fake.buf[b->index].queued = true;
        return 0;
    }
    case VIDIOC_DQBUF: {
        struct v4l2_buffer *b = arg;
        int i = fake.next;
        if (!fake.streaming || !fake.buf[i].queued) {
            errno = EAGAIN;
            return -1;
        }
        fake.next = (fake.next + 1) % fake.nbuf;
        fake.buf[i].queued = false;
        fill_frame(i);
        fake.frames++;
        b->index = (uint32_t)i;
        b->bytesused = fake.fourcc == V4L2_PIX_FMT_YUYV ? (uint32_t)(fake.w * fake.h * 2)
                                                        : (uint32_t)fake.jpeg_len;
        b->flags = fake.frames == fake.corrupt_at ? V4L2_BUF_FLAG_ERROR : 0;
        b->sequence = fake.frames;
        if (fake.frames == fake.unplug_at)
            fake.present = false; /* gone right after this frame */
        return 0;
    }
    case VIDIOC_STREAMON:
        fake.streaming = 1;
        return 0;
    case VIDIOC_STREAMOFF:
        fake.streaming = 0;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

static void *f_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    (void)addr;
    (void)prot;
    (void)flags;
    int i = (int)(off / 4096);
    if (fd != FAKE_FD || i >= fake.nbuf || len > fake.buf[i].len)
        return MAP_FAILED;
    return fake.buf[i].mem;
}

static int f_munmap(void *addr, size_t len)
{
    (void)addr;
    (void)len;
    return 0;
}

static int f_poll(struct pollfd *fds, nfds_t n, int timeout)
{
    (void)n;
    (void)timeout;
    fds[0].revents = fake.present ? POLLIN : POLLERR;
    return 1;
}

static const struct camera_v4l2_sys fake_sys = {f_open, f_close, f_ioctl, f_mmap, f_munmap, f_poll};

static void reset_fake(bool yuyv, bool mjpeg)
{
    for (int i = 0; i < 8; i++)
        free(fake.buf[i].mem);
    uint8_t *jpeg = fake.jpeg;
    unsigned long jl = fake.jpeg_len;
    memset(&fake, 0, sizeof fake);
    fake.jpeg = jpeg;
    fake.jpeg_len = jl;
    fake.present = true;
    fake.yuyv = yuyv;
    fake.mjpeg = mjpeg;
}

/* Red left, blue right, within a tolerance. */
static bool looks_right(const struct camera_frame *f)
{
    const uint8_t *l = f->data + px_at(f->width / 4, f->height / 2, f->width) * 3;
    const uint8_t *r = f->data + px_at(f->width * 3 / 4, f->height / 2, f->width) * 3;
    return l[0] > 200 && l[2] < 60 && r[2] > 200 && r[0] < 60;
}

static int read_one(struct camera_v4l2 *c, struct camera_frame *f)
{
    int rc;
    for (int i = 0; i < 50; i++) {
        rc = camera_v4l2_ops.read(c, f, 100);
        if (rc != ERR_TIMEOUT)
            return rc;
    }
    return rc;
}

int main(void)
{
    /* An MJPEG picture for the fake, 1280x720, red and blue halves. */
    static uint8_t rgb[1280 * 720 * 3];
    for (int y = 0; y < 720; y++)
        for (int x = 0; x < 1280; x++) {
            uint8_t *p = rgb + px_at(x, y, 1280) * 3;
            p[0] = x < 640 ? 255 : 0;
            p[2] = x < 640 ? 0 : 255;
        }
    tjhandle tj = tjInitCompress();
    CHECK(tjCompress2(tj, rgb, 1280, 0, 720, TJPF_RGB, &fake.jpeg, &fake.jpeg_len, TJSAMP_420, 90,
                      0) == 0);
    tjDestroy(tj);

    /* YUYV 640x480: frames arrive, one is flagged corrupt and skipped. */
    reset_fake(true, true);
    fake.corrupt_at = 3;
    struct camera_v4l2_config cfg = {
        .device = "/dev/video0", .width = 640, .height = 480, .lost_ms = 300};
    struct camera_v4l2 *c = camera_v4l2_create(&cfg, &fake_sys);
    CHECK(c != NULL);
    CHECK_EQ_INT(camera_v4l2_ops.open(c), 0);
    uint32_t fourcc;
    int w, h;
    camera_v4l2_format(c, &fourcc, &w, &h);
    CHECK_EQ_INT(fourcc, V4L2_PIX_FMT_YUYV);
    CHECK_EQ_INT(w, 640);
    CHECK_EQ_INT(h, 480);
    CHECK_EQ_INT(camera_v4l2_ops.start(c), 0);
    struct camera_frame f;
    int ok = 0, corrupt = 0;
    for (int i = 0; i < 6; i++) {
        int rc = read_one(c, &f);
        if (rc == 0) {
            ok++;
            CHECK(f.format == CAMERA_RGB24 && f.width == 640 && f.height == 480);
            CHECK(looks_right(&f));
        } else if (rc == ERR_IO) {
            corrupt++;
        }
    }
    CHECK_EQ_INT(ok, 5);
    CHECK_EQ_INT(corrupt, 1);

    /* Unplugged mid-stream, plugged back in: frames resume, reopened. */
    fake.unplug_at = fake.frames + 2;
    CHECK_EQ_INT(read_one(c, &f), 0);
    CHECK_EQ_INT(read_one(c, &f), 0); /* the last frame before it vanished */
    int opens = fake.opens;
    CHECK_EQ_INT(camera_v4l2_ops.read(c, &f, 100), ERR_TIMEOUT);
    fake.present = true;
    CHECK_EQ_INT(read_one(c, &f), 0);
    CHECK(looks_right(&f));
    CHECK_EQ_INT(fake.opens, opens + 1);

    /* Gone for good: after lost_ms the source says so. */
    fake.unplug_at = fake.frames + 1;
    CHECK_EQ_INT(read_one(c, &f), 0);
    CHECK_EQ_INT(read_one(c, &f), ERR_NODEV);
    camera_v4l2_ops.stop(c);
    camera_v4l2_ops.close(c);
    camera_v4l2_destroy(c);

    /* MJPEG 1280x720 asked for and decoded. */
    reset_fake(true, true);
    cfg.width = 1280;
    cfg.height = 720;
    cfg.mjpeg = 1;
    c = camera_v4l2_create(&cfg, &fake_sys);
    CHECK_EQ_INT(camera_v4l2_ops.open(c), 0);
    camera_v4l2_format(c, &fourcc, &w, &h);
    CHECK_EQ_INT(fourcc, V4L2_PIX_FMT_MJPEG);
    CHECK_EQ_INT(w, 1280);
    CHECK_EQ_INT(camera_v4l2_ops.start(c), 0);
    CHECK_EQ_INT(read_one(c, &f), 0);
    CHECK(f.width == 1280 && f.height == 720 && looks_right(&f));
    camera_v4l2_ops.stop(c);
    camera_v4l2_ops.close(c);
    camera_v4l2_destroy(c);

    /* A camera without MJPEG: negotiation falls back to YUYV. */
    reset_fake(true, false);
    c = camera_v4l2_create(&cfg, &fake_sys);
    CHECK_EQ_INT(camera_v4l2_ops.open(c), 0);
    camera_v4l2_format(c, &fourcc, &w, &h);
    CHECK_EQ_INT(fourcc, V4L2_PIX_FMT_YUYV);
    camera_v4l2_ops.close(c);
    camera_v4l2_destroy(c);

    /* No camera at all. */
    reset_fake(true, true);
    fake.present = false;
    c = camera_v4l2_create(&cfg, &fake_sys);
    CHECK_EQ_INT(camera_v4l2_ops.open(c), ERR_NODEV);
    camera_v4l2_destroy(c);

    reset_fake(false, false);
    tjFree(fake.jpeg);
    return check_report("camera_v4l2_test");
}
