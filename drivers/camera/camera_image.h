/* camera_image.h - pixel conversions and still images for the camera sources.
 *
 * YUYV and MJPEG (libturbojpeg) to RGB24, RGB24 to 8-bit gray, and image
 * files (JPEG, PNG through cairo, binary PGM/PPM) read into RGB24 for the
 * simulated camera's photographic scenes and the command-line tool. Pure
 * functions; any thread. Camera bytes and image files are outside input:
 * every size is checked against the buffer before it is read.
 */
#ifndef CAMERA_CAMERA_IMAGE_H
#define CAMERA_CAMERA_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define CAMERA_IMAGE_MAX_SIDE 4096

/* YUYV 4:2:2 (w even) to RGB24 (BT.601, limited range). Returns 0 or
 * ERR_INVALID when len is short. */
int camera_yuyv_to_rgb(const uint8_t *yuyv, size_t len, int w, int h, uint8_t *rgb);

/* The Y plane of YUYV straight into gray. */
int camera_yuyv_to_gray(const uint8_t *yuyv, size_t len, int w, int h, uint8_t *gray);

/* RGB24 to gray with OpenCV's weights (0.299, 0.587, 0.114). */
void camera_rgb_to_gray(const uint8_t *rgb, int w, int h, uint8_t *gray);

/* Decodes a JPEG into rgb (cap bytes), which must hold w*h*3 for the
 * declared w x h: returns 0 and the size, ERR_TOOBIG if it does not fit,
 * ERR_INVALID for a corrupt stream. tj is a tjhandle from
 * tjInitDecompress(), or NULL to make one for this call. */
int camera_jpeg_decode(void *tj, const uint8_t *jpeg, size_t len, uint8_t *rgb, size_t cap, int *w,
                       int *h);

/* Reads an image file (.jpg/.jpeg, .png, .pgm/.ppm by content) into a new
 * RGB24 buffer (caller frees). Returns 0, ERR_NOTFOUND, ERR_INVALID,
 * ERR_TOOBIG or ERR_NOMEM. */
int camera_image_load(const char *path, uint8_t **rgb, int *w, int *h);

/* Bilinear resample of an RGB24 crop (sx, sy, sw, sh of src) to dw x dh. */
void camera_rgb_resample(const uint8_t *src, int src_w, int src_h, int sx, int sy, int sw, int sh,
                         uint8_t *dst, int dw, int dh);

#endif
