/* camera.h - the camera seam: one ops struct per source.
 *
 * A source delivers frames on the face thread (the only caller). V4L2 and
 * libuvc sources slot in beside the simulated one without the face module
 * noticing. A frame's pixels are owned by the source and stay valid until
 * the next read or stop; the caller copies what it keeps.
 */
#ifndef CAMERA_CAMERA_H
#define CAMERA_CAMERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum camera_format {
    CAMERA_RGB24 = 0, /* packed R, G, B */
    CAMERA_YUYV,
    CAMERA_MJPEG
};

struct camera_frame {
    int width, height;
    enum camera_format format;
    const uint8_t *data; /* borrowed from the source */
    size_t len;
    uint32_t seq;
    int64_t time_ms;
};

struct camera_ops {
    const char *name;
    /* Opens the device. Face thread; may block up to 1 s. Returns 0,
     * ERR_NODEV (no such camera) or another ERR_* (there but unusable:
     * ERR_BUSY no access, ERR_UNSUPPORTED no usable format, ERR_IO). */
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

/* The simulated camera, 640x480 RGB24 at 15 frames/s. Its scenes are
 * built from a real photograph (by default the public-domain astronaut
 * portrait that python3-skimage ships) so the real detector, quality gates
 * and liveness code run on them: the photo is warped to turn the head and
 * the eyes painted over to blink. Without the photograph it falls back to
 * a drawn face, which the detector does not take for a face. */
enum camera_sim_scene {
    CAMERA_SIM_LIVE = 0,   /* a person who blinks and turns now and then */
    CAMERA_SIM_ABSENT,     /* nobody in front of the kiosk */
    CAMERA_SIM_PHOTO,      /* a printed photo held up: never moves or blinks */
    CAMERA_SIM_TWO,        /* two people */
    CAMERA_SIM_DARK,       /* a person in a dark hall */
    CAMERA_SIM_BLINK,      /* a person who only blinks */
    CAMERA_SIM_TURN_LEFT,  /* only turns the head to their left */
    CAMERA_SIM_TURN_RIGHT, /* only turns to their right */
    CAMERA_SIM_FILES       /* the image sequence given to camera_sim_play */
};

#define CAMERA_SIM_PORTRAIT_DEFAULT "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"

/* Where the face is in the portrait, in its own pixels. */
struct camera_sim_portrait {
    const char *path;              /* read again at each pose change: lives as long as the camera */
    int face_x, face_y, face_w;    /* the face box */
    int eye_x[2], eye_y[2], eye_r; /* eye centres and radius */
};

struct camera_sim;

extern const struct camera_ops camera_sim_ops;

/* Returns a simulated camera (ctx for camera_sim_ops), or NULL. It loads
 * CAMERA_SIM_PORTRAIT_DEFAULT if present. */
struct camera_sim *camera_sim_create(void);
void camera_sim_destroy(struct camera_sim *sim);

/* Builds the scenes from another portrait. Not while the camera streams.
 * Without a call, the packaged astronaut photograph is loaded on the
 * first open. Returns 0 or the image loader's error. */
int camera_sim_load_portrait(struct camera_sim *sim, const struct camera_sim_portrait *p);

/* Whether the scenes come from a photograph (false: drawn fallback);
 * loads the packaged one if that has not been tried yet. */
int camera_sim_has_portrait(struct camera_sim *sim);

/* Plays still images or a sequence from files (JPEG, PNG, PGM/PPM; each
 * scaled to 640x480), looping, as scene CAMERA_SIM_FILES. Start-up thread.
 * Returns 0 or the loader's error for the first bad file. */
int camera_sim_play(struct camera_sim *sim, const char *const *paths, int n);

/* Changes what the camera shows. Any thread. */
void camera_sim_set_scene(struct camera_sim *sim, enum camera_sim_scene scene);

/* Unplugs the simulated camera (open and read answer ERR_NODEV) or plugs
 * it back. Any thread. */
void camera_sim_set_plugged(struct camera_sim *sim, bool plugged);

/* Parses "live", "absent", "photo", "two", "dark", "blink", "turn-left",
 * "turn-right", "files"; returns -1 if unknown. */
int camera_sim_scene_parse(const char *name);

/* The scene names, for help texts: "live|absent|...". */
const char *camera_sim_scene_names(void);

#endif
