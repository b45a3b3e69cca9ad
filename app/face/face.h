/* face.h - face capture on its own thread: preview, guidance, liveness.
 *
 * DESIGN: the face thread owns the camera. Between face_start and
 * face_stop it reads frames, puts the newest into a one-slot mailbox for
 * the preview (latest frame wins; the UI is never handed a queue of stale
 * frames) and feeds each frame to a tracker (face_track_*): the cascade
 * detector finds the faces and eyes, quality gates turn them into one
 * instruction (come closer, move into the frame, more light, hold still,
 * only one person, show your eyes), and once a good face has been steady
 * for a few frames a randomly chosen challenge (blink, turn left, turn
 * right) is checked over the following frames within a time limit. A
 * still photo neither blinks nor turns, so it fails. The sharpest good
 * frame becomes the JPEG for the registry. The thread tells the UI thread
 * what to say through the bus (BUS_FACE_GUIDANCE on change,
 * BUS_FACE_CAPTURED, BUS_FACE_FAILED, BUS_CAMERA_FRAME). No image is
 * written anywhere; every buffer is wiped on face_stop and face_wipe.
 */
#ifndef FACE_FACE_H
#define FACE_FACE_H

#include "core/bus.h"
#include "core/flow.h"
#include "drivers/camera/camera.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct face;

struct face_config {
    int challenge_ms; /* time allowed for the challenge (8000) */
    int jpeg_quality; /* 85 */
    /* Detector: NULL paths mean opencv-data's install path. */
    const char *face_cascade;
    const char *eye_cascade;
    int min_face_pct;  /* smallest face searched, % of frame width (15) */
    int near_face_pct; /* smaller than this: 请靠近一点 (20) */
    int challenges;    /* bits of enum face_challenge allowed (0: all) */
    int blur_min;      /* least variance of the Laplacian in the face (30) */
};

enum face_challenge {
    FACE_CHALLENGE_BLINK = 1 << 0,
    FACE_CHALLENGE_LEFT = 1 << 1,
    FACE_CHALLENGE_RIGHT = 1 << 2,
};

/* Starts the face thread over a camera (borrowed: ops and ctx outlive the
 * face). Posts to bus (borrowed). Returns NULL on failure. If the cascades
 * cannot be loaded it still returns the face module, whose captures then
 * fail at once (BUS_FACE_FAILED, ERR_UNSUPPORTED): the counter path. */
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

/* Maintenance mode's camera test: camera on, preview frames as in a
 * capture, each judged by the detector (face_preview_judged), and nothing
 * captured, encoded or kept; it runs until face_stop. UI thread. */
void face_start_preview(struct face *f);

/* Ends a capture: camera off, frame buffers wiped. UI thread. */
void face_stop(struct face *f);

/* Hands over the captured JPEG: *jpeg is owned by the caller, who wipes
 * and frees it. Returns 0 or ERR_EMPTY. UI thread. */
int face_take_jpeg(struct face *f, uint8_t **jpeg, size_t *len);

/* Copies the newest preview frame (RGB24) into out if it is newer than
 * *seq. Returns true and updates *seq, *w, *h when it copied. Returns
 * false while pictures are made (face_set_preview_size). UI thread. */
bool face_preview(struct face *f, uint8_t *out, size_t cap, int *w, int *h, uint32_t *seq);

/* The preview as the capture screen shows it: each frame made into a
 * w x h picture on the face thread (mirrored, cropped to cover, scaled,
 * ARGB8888: face_picture.h), which the UI copies straight into its frame
 * or texture (face_picture_copy); 0 x 0, and a size the mailbox cannot hold, hands
 * over the frames as they are (face_preview: the camera test marks the
 * detector's box in frame pixels). A change empties the mailbox. Returns
 * whether pictures are made. UI thread. */
bool face_set_preview_size(struct face *f, int w, int h);

/* Whether a picture newer than *seq waits; then sets *seq, *w, *h.
 * UI thread. */
bool face_picture_peek(struct face *f, int *w, int *h, uint32_t *seq);

/* Copies area a of the newest picture, if it is w x h, to dst (a's top
 * left; rows pitch bytes apart). Returns whether it copied. UI thread. */
struct face_area {
    int x, y, w, h;
};
bool face_picture_copy(struct face *f, uint32_t *dst, int pitch, const struct face_area *a, int w,
                       int h);

struct face_judgement;

/* The detector's judgement of the newest frame judged (the face box in
 * frame pixels, how many faces, light, sharpness). Returns true while a
 * preview (face_start_preview) runs. UI thread. */
bool face_preview_judged(struct face *f, struct face_judgement *out);

/* Wipes the captured JPEG and the mailbox (the visit ended). UI thread. */
void face_wipe(struct face *f);

/* Parses a comma-separated list of "blink", "turn-left", "turn-right"
 * into enum face_challenge bits; 0 if empty or any name is unknown. */
int face_challenges_parse(const char *list);

/* The challenge of the last capture, as the registry API names it:
 * "blink", "turn-left", "turn-right" ("" before any). UI thread. */
const char *face_challenge_name(struct face *f);

/* ---- the tracker: per-frame judgement and liveness, no thread ---------- */

/* The judgement of one frame. */
struct face_judgement {
    int faces;                   /* faces of a size that matters (>= 60% of the largest) */
    int x, y, w, h;              /* the main face */
    int eyes;                    /* eyes found in its upper half */
    int eye_mid_x;               /* centre between two eyes (when eyes == 2) */
    int eye_gap;                 /* distance between the eye centres (eyes == 2) */
    int luma;                    /* mean luminance of the frame 0..255 */
    int face_luma;               /* of the face box */
    int sharpness;               /* variance of the Laplacian in the face box */
    enum face_guidance guidance; /* FACE_OK or what to fix */
};

struct face_track;

/* Loads the detector. Returns 0 or the cascade loader's error. */
int face_track_create(const struct face_config *cfg, struct face_track **out);
void face_track_destroy(struct face_track *t);

/* Starts a capture; challenge is FACE_BLINK, FACE_TURN_LEFT or
 * FACE_TURN_RIGHT, or FACE_NONE to draw one at random from the allowed. */
void face_track_reset(struct face_track *t, enum face_guidance challenge);

enum face_step {
    FACE_STEP_GUIDE = 0, /* keep going; *guidance says what to show */
    FACE_STEP_CAPTURED,  /* live: face_track_best holds the frame's JPEG */
    FACE_STEP_NOT_LIVE   /* the challenge timed out */
};

/* Judges one RGB24 frame taken at now_ms. */
enum face_step face_track_frame(struct face_track *t, const uint8_t *rgb, int w, int h,
                                int64_t now_ms, enum face_guidance *guidance);

/* The last frame's judgement, and the challenge in force (FACE_NONE
 * before it starts). */
const struct face_judgement *face_track_judgement(const struct face_track *t);
enum face_guidance face_track_challenge(const struct face_track *t);

/* The sharpest good frame of this capture as a JPEG of cfg's quality
 * (borrowed until the next frame, reset or wipe), or NULL. */
const uint8_t *face_track_best(const struct face_track *t, size_t *len);

/* Wipes every frame the tracker holds. */
void face_track_wipe(struct face_track *t);

#endif
