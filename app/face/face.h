/* face.h - face capture on its own thread: preview, guidance, liveness.
 *
 * DESIGN: the face thread owns the camera. Between face_start and
 * face_stop it reads frames, puts the newest into a one-slot mailbox for
 * the preview (latest frame wins; the UI is never handed a queue of stale
 * frames), judges each frame (is there one face, is it lit, are the eyes
 * open), runs a blink challenge over consecutive frames, and when a live
 * face has been seen keeps that frame as a JPEG for the registry. It tells
 * the UI thread what to say through the bus (BUS_FACE_GUIDANCE on change,
 * BUS_FACE_CAPTURED, BUS_FACE_FAILED, BUS_CAMERA_FRAME).
 *
 * Judging a face: until the cascade detector lands, face presence and eye
 * state come from the simulated camera's own account of its scene; the
 * light level is measured from the pixels. A real camera therefore never
 * passes here, which is the safe failure. No image is written anywhere;
 * every buffer is wiped on face_stop and face_wipe.
 */
#ifndef FACE_FACE_H
#define FACE_FACE_H

#include "core/bus.h"
#include "drivers/camera/camera.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct face;

struct face_config {
    int challenge_ms; /* time allowed for the blink (8000) */
    int jpeg_quality; /* 85 */
};

/* Starts the face thread over a camera (borrowed: ops and ctx outlive the
 * face). Posts to bus (borrowed). Returns NULL on failure. */
struct face *face_create(const struct camera_ops *ops, void *cam, struct bus *bus,
                         const struct face_config *cfg);

/* Stops the thread, wipes and frees everything. NULL is a no-op. */
void face_destroy(struct face *f);

/* Begins a capture: camera on, guidance from scratch. UI thread. */
void face_start(struct face *f);

/* The current capture's number. Every BUS_FACE_* message carries the
 * number of the capture it belongs to in req_id; the UI drops the ones of
 * a capture that has since stopped. Any thread. */
uint32_t face_generation(struct face *f);

/* Ends a capture: camera off, frame buffers wiped. UI thread. */
void face_stop(struct face *f);

/* Hands over the captured JPEG: *jpeg is owned by the caller, who wipes
 * and frees it. Returns 0 or ERR_EMPTY. UI thread. */
int face_take_jpeg(struct face *f, uint8_t **jpeg, size_t *len);

/* Copies the newest preview frame (RGB24) into out if it is newer than
 * *seq. Returns true and updates *seq, *w, *h when it copied. UI thread. */
bool face_preview(struct face *f, uint8_t *out, size_t cap, int *w, int *h, uint32_t *seq);

/* Wipes the captured JPEG and the mailbox (the visit ended). UI thread. */
void face_wipe(struct face *f);

/* The judgement of one frame, exposed for tests. */
struct face_judgement {
    bool face; /* exactly one face in place */
    bool many; /* more than one face */
    bool eyes_closed;
    bool still; /* simulated photo: no motion */
    bool dark;  /* mean luminance below the threshold */
    int luma;   /* mean luminance 0..255 */
};
void face_judge(const struct camera_frame *frame, struct face_judgement *out);

#endif
