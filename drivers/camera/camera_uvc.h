/* camera_uvc.h - the libuvc camera source, for systems without uvcvideo.
 *
 * libuvc drives a UVC camera from user space over libusb: the kiosk finds
 * it by VID:PID (or takes the first UVC device), negotiates YUYV or MJPEG
 * at 640x480 or 1280x720, and libuvc's own thread hands each frame to a
 * callback that copies it into a one-slot mailbox (latest frame wins: a
 * frame not yet read is overwritten). read, on the face thread, takes the
 * newest frame out of the slot and converts it to RGB24 with
 * camera_image.c (MJPEG through libturbojpeg). An unplugged camera is
 * closed and looked for again every 500 ms; only if it stays away longer
 * than lost_ms does read say ERR_NODEV. libuvc's errors map to enum err.
 *
 * Built only where pkg-config finds libuvc (kiosk_drv_camera_uvc); the
 * rest of the camera library does not need it.
 */
#ifndef CAMERA_CAMERA_UVC_H
#define CAMERA_CAMERA_UVC_H

#include "camera.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct camera_uvc_config {
    uint16_t vid, pid; /* 0:0 = the first UVC camera */
    int width, height; /* 640x480 (or 1280x720) */
    int mjpeg;         /* ask for MJPEG first (else YUYV first) */
    int lost_ms;       /* unplugged longer than this: ERR_NODEV (3000) */
};

struct camera_uvc;

extern const struct camera_ops camera_uvc_ops;

/* Returns a source (ctx for camera_uvc_ops) or NULL. Nothing is opened
 * until ops.open: libuvc (and libusb) start there, so a camera plugged in
 * after start-up is found. */
struct camera_uvc *camera_uvc_create(const struct camera_uvc_config *cfg);
void camera_uvc_destroy(struct camera_uvc *c);

/* Translates a uvc_error_t into enum err. */
int camera_uvc_error(int uvc_err);

/* Puts one camera frame into the mailbox, replacing any unread one: what
 * libuvc's frame callback does (its thread). Frames larger than a
 * 1280x720 YUYV frame are dropped. Public so tests can feed frames. */
void camera_uvc_deliver(struct camera_uvc *c, const uint8_t *data, size_t len, int w, int h,
                        bool mjpeg);

/* What was negotiated (after open): MJPEG or YUYV, and the size. */
void camera_uvc_format(const struct camera_uvc *c, bool *mjpeg, int *w, int *h);

#endif
