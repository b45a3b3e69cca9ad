/* camera.h - the camera seam: one ops struct per source.
 *
 * A source delivers frames on the face thread (the only caller). V4L2 and
 * libuvc sources slot in beside the simulated one without the face module
 * noticing. A frame's pixels are owned by the source and stay valid until
 * the next read or stop; the caller copies what it keeps.
 */
#ifndef CAMERA_CAMERA_H
#define CAMERA_CAMERA_H

#include <stddef.h>
#include <stdint.h>

enum camera_format {
    CAMERA_RGB24 = 0, /* packed R, G, B */
    CAMERA_YUYV,
    CAMERA_MJPEG
};

/* What the simulated camera knows it is showing. Real sources leave it 0;
 * only the stand-in analysis of the simulated camera reads it. */
enum camera_sim_truth {
    CAMERA_TRUTH_FACE = 1 << 0, /* one face in the oval */
    CAMERA_TRUTH_EYES_CLOSED = 1 << 1,
    CAMERA_TRUTH_STILL = 1 << 2, /* a printed photo: no motion, no blink */
    CAMERA_TRUTH_TWO = 1 << 3,   /* a second person */
    CAMERA_TRUTH_DARK = 1 << 4,
    CAMERA_TRUTH_SIM = 1 << 31 /* the frame comes from the simulator */
};

struct camera_frame {
    int width, height;
    enum camera_format format;
    const uint8_t *data; /* borrowed from the source */
    size_t len;
    uint32_t seq;
    int64_t time_ms;
    uint32_t truth; /* enum camera_sim_truth bits, simulator only */
};

struct camera_ops {
    const char *name;
    /* Opens the device. Face thread; may block up to 1 s. Returns 0 or ERR_NODEV. */
    int (*open)(void *ctx);
    /* Starts streaming. Face thread. Returns 0 or an ERR_*. */
    int (*start)(void *ctx);
    /* Waits up to timeout_ms for the next frame. Returns 0 (frame filled),
     * ERR_TIMEOUT, ERR_IO (corrupt frame: skip it) or ERR_NODEV (unplugged). */
    int (*read)(void *ctx, struct camera_frame *frame, int timeout_ms);
    /* Stops streaming and wipes the frame buffers. Face thread. */
    void (*stop)(void *ctx);
    /* Closes the device. Face thread. */
    void (*close)(void *ctx);
};

/* The simulated camera: scenes drawn in RGB24 at 640x480, 15 frames/s. */
enum camera_sim_scene {
    CAMERA_SIM_LIVE = 0, /* a person who blinks now and then */
    CAMERA_SIM_ABSENT,   /* nobody in front of the kiosk */
    CAMERA_SIM_PHOTO,    /* a printed photo held up: never blinks */
    CAMERA_SIM_TWO,      /* two people */
    CAMERA_SIM_DARK      /* a person against a dark scene */
};

struct camera_sim;

extern const struct camera_ops camera_sim_ops;

/* Returns a simulated camera (ctx for camera_sim_ops), or NULL. */
struct camera_sim *camera_sim_create(void);
void camera_sim_destroy(struct camera_sim *sim);

/* Changes what the camera shows. Any thread. */
void camera_sim_set_scene(struct camera_sim *sim, enum camera_sim_scene scene);

/* Parses "live", "absent", "photo", "two", "dark"; returns -1 if unknown. */
int camera_sim_scene_parse(const char *name);

#endif
