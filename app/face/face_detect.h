/* face_detect.h - faces and their eyes in one gray frame.
 *
 * Wraps two cascades (a frontal face cascade, by default opencv-data's
 * lbpcascade_frontalface_improved, and an eye cascade, haarcascade_eye)
 * with the scan parameters that follow from the kiosk: a face in front of
 * the screen is between min_face_pct and max_face_pct of the frame width.
 * Eyes are searched inside each face's upper half only. One detector per
 * thread (it owns scratch images); the cascades are read-only.
 */
#ifndef FACE_FACE_DETECT_H
#define FACE_FACE_DETECT_H

#include "face/cascade.h"

#include <stdbool.h>
#include <stdint.h>

#define FACE_CASCADE_DIR     "/usr/share/opencv4"
#define FACE_CASCADE_DEFAULT FACE_CASCADE_DIR "/lbpcascades/lbpcascade_frontalface_improved.xml"
#define FACE_EYE_DEFAULT     FACE_CASCADE_DIR "/haarcascades/haarcascade_eye.xml"
#define FACE_MAX_FACES       8

struct face_detect_config {
    const char *face_cascade; /* NULL: FACE_CASCADE_DEFAULT */
    const char *eye_cascade;  /* NULL: FACE_EYE_DEFAULT; "" = no eye search */
    int min_face_pct;         /* smallest face, % of frame width (15) */
    int max_face_pct;         /* largest (60) */
    double scale_factor;      /* pyramid step (1.2) */
    int min_neighbours;       /* 3 */
};

struct face_box {
    int x, y, w, h;
    int neighbours;
    int eyes;                   /* 0..2 eyes found in the upper half */
    struct cascade_rect eye[2]; /* image coordinates, left of image first */
};

struct face_detector;

/* Loads the cascades and sizes scratch for frames up to max_w x max_h.
 * Returns 0, or the cascade_load error (ERR_NOTFOUND when opencv-data is
 * not installed). */
int face_detector_create(const struct face_detect_config *cfg, int max_w, int max_h,
                         struct face_detector **out);
void face_detector_destroy(struct face_detector *d);
/* Wipes the scratch of the last frames (the picture and its integrals)
 * and hands its pages back until the next frame. */
void face_detector_release(struct face_detector *d);

/* Finds faces (largest first) and, if eyes, their eyes. Returns the count
 * (at most max) or a negative ERR_*. Caller's thread. */
int face_detector_run(struct face_detector *d, const uint8_t *gray, int w, int h,
                      struct face_box *out, int max, bool eyes);

/* Searches the eyes of one face (fills f->eyes, f->eye). */
void face_detector_eyes(struct face_detector *d, const uint8_t *gray, int w, int h,
                        struct face_box *f);

/* The cascade in use (for the bench and the tool). */
const struct cascade *face_detector_cascade(const struct face_detector *d);
void face_detector_params(const struct face_detector *d, int frame_w, struct cascade_params *p);

#endif
