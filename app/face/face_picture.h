/* face_picture.h - the camera's picture as the capture screen shows it.
 *
 * The screen shows the camera's frame mirrored (as a citizen sees
 * themself), cropped to the panel's shape (cover, centred) and filling it.
 * Made on the face thread, in the screen's own pixel format and size, so
 * the UI thread's draw is an unscaled copy. Pure, no allocation.
 */
#ifndef FACE_FACE_PICTURE_H
#define FACE_FACE_PICTURE_H

#include <stdint.h>

/* Widest picture made (real pixels); a wider panel gets the frame as it is. */
#define FACE_PICTURE_MAX_W 2048

/* Makes the out_w x out_h picture (out_w <= FACE_PICTURE_MAX_W; rows of
 * out_w pixels, 0xFFRRGGBB: ARGB8888 opaque) from the w x h RGB24 frame:
 * mirrored, the frame's centre cropped to out_w:out_h, scaled with
 * bilinear filtering. Returns 0, or -1 (nothing written) on a size out of
 * range. */
int face_picture_make(const uint8_t *rgb, int w, int h, uint32_t *out, int out_w, int out_h);

#endif
