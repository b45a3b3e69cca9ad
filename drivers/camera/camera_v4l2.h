/* camera_v4l2.h - the V4L2 camera source (the default on real kiosks).
 *
 * mmap streaming from /dev/videoN in YUYV or MJPEG at 640x480 or 1280x720,
 * delivered as RGB24 (MJPEG decoded with libturbojpeg). Frames the driver
 * flags with V4L2_BUF_FLAG_ERROR are skipped (ERR_IO). When the camera is
 * unplugged the source closes it and quietly reopens it when it comes
 * back; only if it stays away longer than lost_ms does read say ERR_NODEV.
 *
 * The kernel is reached only through struct camera_v4l2_sys (open, close,
 * ioctl, mmap, munmap, poll), so the real capture code runs in tests
 * against an in-process fake camera. Face thread only.
 */
#ifndef CAMERA_CAMERA_V4L2_H
#define CAMERA_CAMERA_V4L2_H

#include "camera.h"

#include <poll.h>
#include <sys/types.h>

struct camera_v4l2_sys {
    int (*open)(const char *path, int flags);
    int (*close)(int fd);
    int (*ioctl)(int fd, unsigned long request, void *arg);
    void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
    int (*munmap)(void *addr, size_t len);
    int (*poll)(struct pollfd *fds, nfds_t n, int timeout_ms);
};

/* The real system calls. */
extern const struct camera_v4l2_sys camera_v4l2_kernel;

struct camera_v4l2_config {
    const char *device; /* "/dev/video0" */
    int width, height;  /* 640x480 (or 1280x720) */
    int mjpeg;          /* ask for MJPEG first (else YUYV first) */
    int lost_ms;        /* unplugged longer than this: ERR_NODEV (3000) */
};

struct camera_v4l2;

extern const struct camera_ops camera_v4l2_ops;

/* Returns a source (ctx for camera_v4l2_ops) or NULL. sys NULL = kernel.
 * The device path is copied. */
struct camera_v4l2 *camera_v4l2_create(const struct camera_v4l2_config *cfg,
                                       const struct camera_v4l2_sys *sys);
void camera_v4l2_destroy(struct camera_v4l2 *c);

/* What was negotiated (after open): fourcc and size. */
void camera_v4l2_format(const struct camera_v4l2 *c, uint32_t *fourcc, int *w, int *h);

#endif
