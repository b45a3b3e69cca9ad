/* cascade.h - OpenCV boosted cascades (LBP and Haar) evaluated in C.
 *
 * Loads the trained cascades Debian's opencv-data ships (the new-style
 * <opencv_storage><cascade> XML; the file is outside input, so the parser
 * bounds everything and fails cleanly) and scans a grayscale image the way
 * OpenCV's CascadeClassifier::detectMultiScale does: a pyramid of down-
 * scaled images, integral images, the base window slid with a step of 1
 * (2 below scale 2, and one extra step after a stage-0 rejection), then
 * groupRectangles-style neighbour grouping with eps 0.2. Stumps and trees,
 * untilted Haar features and multi-block LBP are supported; tilted Haar
 * features (not used by the face and eye cascades) are refused.
 *
 * A cascade is read-only after loading and may be shared between threads;
 * a detector (its scratch images) belongs to one thread.
 */
#ifndef FACE_CASCADE_H
#define FACE_CASCADE_H

#include <stddef.h>
#include <stdint.h>

#define CASCADE_MAX_BYTES (8u << 20) /* larger files are refused */

struct cascade;

/* Parses cascade XML (len bytes, need not be NUL-terminated). Returns 0 and
 * *out, or ERR_INVALID (malformed), ERR_UNSUPPORTED (old format, tilted
 * features, unknown feature type), ERR_TOOBIG, ERR_NOMEM. */
int cascade_parse(const char *xml, size_t len, struct cascade **out);

/* Reads and parses a file. Also ERR_NOTFOUND / ERR_IO. */
int cascade_load(const char *path, struct cascade **out);

void cascade_free(struct cascade *c);

/* The base window, e.g. 45x45 for lbpcascade_frontalface_improved. */
void cascade_window(const struct cascade *c, int *w, int *h);

/* Number of stages and whether it is an LBP cascade (for the tool). */
int cascade_stages(const struct cascade *c);
int cascade_is_lbp(const struct cascade *c);

struct cascade_rect {
    int x, y, w, h;
    int neighbours; /* raw hits grouped into this rect */
};

struct cascade_params {
    double scale_factor; /* 1.1 */
    int min_neighbours;  /* 3; 0 returns the raw hits ungrouped */
    int min_size;        /* smallest window side in image pixels */
    int max_size;        /* largest; 0 = the image */
};

struct cascade_detector;

/* Scratch for images up to max_w x max_h. NULL on allocation failure. */
struct cascade_detector *cascade_detector_create(int max_w, int max_h);
void cascade_detector_destroy(struct cascade_detector *d);
/* Wipes the scaled picture and its integrals, their pages handed back. */
void cascade_detector_release(struct cascade_detector *d);

/* Finds objects in an 8-bit gray image (stride bytes per row). Writes up
 * to max_out rects, largest first; returns how many were found (may
 * exceed max_out) or ERR_INVALID / ERR_TOOBIG. */
int cascade_detect(struct cascade_detector *d, const struct cascade *c, const uint8_t *gray, int w,
                   int h, int stride, const struct cascade_params *p, struct cascade_rect *out,
                   int max_out);

/* How stump LBP cascades are scanned. Every way finds the same windows;
 * the default is the fastest the CPU has. */
enum cascade_simd_kind {
    CASCADE_SIMD_NONE,   /* plain C, window by window (the reference) */
    CASCADE_SIMD_VECTOR, /* GCC/clang vector extensions (SSE2, NEON, or plain) */
    CASCADE_SIMD_AVX2,   /* x86-64 CPUs with AVX2 */
};

/* Chooses the way for detector d (tests and the bench compare them);
 * returns the one in effect: AVX2 falls back to VECTOR where the CPU or
 * the build lacks it. */
int cascade_detector_set_simd(struct cascade_detector *d, enum cascade_simd_kind kind);

/* OpenCV's groupRectangles(rects, group_threshold, eps) in place; returns
 * the new count. Exposed for tests. */
int cascade_group(struct cascade_rect *r, int n, int group_threshold, double eps);

#endif
