/* mask.h - anti-aliased 8-bit coverage masks drawn from signed distances.
 *
 * DESIGN: SDL's renderer draws only axis-aligned rectangles and textures,
 * so every curve on the kiosk (corners, circles, rings, icons, the face
 * guide) is rasterised once into a coverage mask here, uploaded as a white
 * texture with alpha, cached, and tinted at draw time. Each primitive is a
 * signed distance function evaluated at pixel centres, which gives clean
 * edges without a vector library. Pure CPU code, UI thread.
 */
#ifndef UI_MASK_H
#define UI_MASK_H

#include <stdint.h>

struct mask {
    int w, h;
    uint8_t *a; /* w*h coverage, 0..255; owned */
    float
        scale; /* mask pixels per unit of the coordinates drawn with (1; more on a dense screen) */
};

enum mask_op { MASK_ADD = 0, MASK_CUT };

/* Allocates a clear mask, scale 1. Returns 0 or ERR_NOMEM. */
int mask_init(struct mask *m, int w, int h);
void mask_fini(struct mask *m);

/* Line with round caps, half-width hw. */
void mask_line(struct mask *m, float x0, float y0, float x1, float y1, float hw, enum mask_op op);
void mask_circle(struct mask *m, float cx, float cy, float r, enum mask_op op);
void mask_ring(struct mask *m, float cx, float cy, float r, float hw, enum mask_op op);
/* Arc from angle a0 to a1 (radians, 0 = 12 o'clock, clockwise), round caps. */
void mask_arc(struct mask *m, float cx, float cy, float r, float hw, float a0, float a1,
              enum mask_op op);
void mask_rrect(struct mask *m, float x, float y, float w, float h, float r, enum mask_op op);
void mask_rrect_stroke(struct mask *m, float x, float y, float w, float h, float r, float hw,
                       enum mask_op op);
void mask_ellipse_stroke(struct mask *m, float cx, float cy, float rx, float ry, float hw,
                         enum mask_op op);
void mask_ellipse(struct mask *m, float cx, float cy, float rx, float ry, enum mask_op op);
/* Convex polygon, n <= 8 points as x,y pairs, either winding. */
void mask_poly(struct mask *m, const float *pts, int n, enum mask_op op);

#endif
