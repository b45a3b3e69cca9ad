/* mask.c - signed-distance rasteriser for coverage masks. UI thread. */
#include "ui/mask.h"

#include "base/err.h"

#include <math.h>
#include <stdlib.h>

int mask_init(struct mask *m, int w, int h)
{
    m->w = w;
    m->h = h;
    m->scale = 1.0f;
    m->a = calloc((size_t)(w > 0 ? w : 1) * (size_t)(h > 0 ? h : 1), 1);
    return m->a ? 0 : ERR_NOMEM;
}

void mask_fini(struct mask *m)
{
    free(m->a);
    m->a = NULL;
}

typedef float (*sdf_fn)(const void *p, float x, float y);

/* Evaluates f over the bounding box and merges coverage into the mask.
 * Coordinates and f's distances are in the units drawn with; the mask
 * has m->scale pixels for each. */
static void apply(struct mask *m, float x0, float y0, float x1, float y1, sdf_fn f, const void *p,
                  enum mask_op op)
{
    float sc = m->scale;
    int ix0 = (int)floorf(x0 * sc) - 1, iy0 = (int)floorf(y0 * sc) - 1;
    int ix1 = (int)ceilf(x1 * sc) + 1, iy1 = (int)ceilf(y1 * sc) + 1;
    if (ix0 < 0)
        ix0 = 0;
    if (iy0 < 0)
        iy0 = 0;
    if (ix1 > m->w)
        ix1 = m->w;
    if (iy1 > m->h)
        iy1 = m->h;
    for (int y = iy0; y < iy1; y++) {
        for (int x = ix0; x < ix1; x++) {
            float d = sc == 1.0f ? f(p, (float)x + 0.5f, (float)y + 0.5f)
                                 : f(p, ((float)x + 0.5f) / sc, ((float)y + 0.5f) / sc) * sc;
            float cov = 0.5f - d;
            if (cov <= 0.0f)
                continue;
            if (cov > 1.0f)
                cov = 1.0f;
            uint8_t *px = &m->a[y * m->w + x];
            int v = (int)(cov * 255.0f + 0.5f);
            if (op == MASK_ADD) {
                if (v > *px)
                    *px = (uint8_t)v;
            } else {
                *px = (uint8_t)(*px * (255 - v) / 255);
            }
        }
    }
}

struct seg {
    float x0, y0, x1, y1, hw;
};

static float seg_sdf(const void *pp, float x, float y)
{
    const struct seg *s = pp;
    float dx = s->x1 - s->x0, dy = s->y1 - s->y0;
    float l2 = dx * dx + dy * dy;
    float t = l2 > 0 ? ((x - s->x0) * dx + (y - s->y0) * dy) / l2 : 0;
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    float px = s->x0 + t * dx - x, py = s->y0 + t * dy - y;
    return sqrtf(px * px + py * py) - s->hw;
}

void mask_line(struct mask *m, float x0, float y0, float x1, float y1, float hw, enum mask_op op)
{
    struct seg s = {x0, y0, x1, y1, hw};
    apply(m, fminf(x0, x1) - hw, fminf(y0, y1) - hw, fmaxf(x0, x1) + hw, fmaxf(y0, y1) + hw,
          seg_sdf, &s, op);
}

struct circ {
    float cx, cy, r, hw, a0, a1;
};

static float circle_sdf(const void *pp, float x, float y)
{
    const struct circ *c = pp;
    return hypotf(x - c->cx, y - c->cy) - c->r;
}

void mask_circle(struct mask *m, float cx, float cy, float r, enum mask_op op)
{
    struct circ c = {cx, cy, r, 0, 0, 0};
    apply(m, cx - r, cy - r, cx + r, cy + r, circle_sdf, &c, op);
}

static float ring_sdf(const void *pp, float x, float y)
{
    const struct circ *c = pp;
    return fabsf(hypotf(x - c->cx, y - c->cy) - c->r) - c->hw;
}

void mask_ring(struct mask *m, float cx, float cy, float r, float hw, enum mask_op op)
{
    struct circ c = {cx, cy, r, hw, 0, 0};
    float e = r + hw;
    apply(m, cx - e, cy - e, cx + e, cy + e, ring_sdf, &c, op);
}

static float arc_sdf(const void *pp, float x, float y)
{
    const struct circ *c = pp;
    float dx = x - c->cx, dy = y - c->cy;
    float a = atan2f(dx, -dy); /* 0 at 12 o'clock, clockwise */
    if (a < 0)
        a += 2.0f * (float)M_PI;
    if (a >= c->a0 && a <= c->a1)
        return fabsf(hypotf(dx, dy) - c->r) - c->hw;
    float ex0 = c->cx + c->r * sinf(c->a0), ey0 = c->cy - c->r * cosf(c->a0);
    float ex1 = c->cx + c->r * sinf(c->a1), ey1 = c->cy - c->r * cosf(c->a1);
    float d0 = hypotf(x - ex0, y - ey0), d1 = hypotf(x - ex1, y - ey1);
    return fminf(d0, d1) - c->hw;
}

void mask_arc(struct mask *m, float cx, float cy, float r, float hw, float a0, float a1,
              enum mask_op op)
{
    struct circ c = {cx, cy, r, hw, a0, a1};
    float e = r + hw;
    apply(m, cx - e, cy - e, cx + e, cy + e, arc_sdf, &c, op);
}

struct rr {
    float cx, cy, hx, hy, r, hw;
};

static float rr_dist(const struct rr *q, float x, float y)
{
    float px = fabsf(x - q->cx) - (q->hx - q->r);
    float py = fabsf(y - q->cy) - (q->hy - q->r);
    float ox = fmaxf(px, 0), oy = fmaxf(py, 0);
    return hypotf(ox, oy) + fminf(fmaxf(px, py), 0) - q->r;
}

static float rr_sdf(const void *pp, float x, float y)
{
    return rr_dist(pp, x, y);
}

static float rr_stroke_sdf(const void *pp, float x, float y)
{
    const struct rr *q = pp;
    return fabsf(rr_dist(q, x, y)) - q->hw;
}

void mask_rrect(struct mask *m, float x, float y, float w, float h, float r, enum mask_op op)
{
    struct rr q = {x + w / 2, y + h / 2, w / 2, h / 2, fminf(r, fminf(w, h) / 2), 0};
    apply(m, x, y, x + w, y + h, rr_sdf, &q, op);
}

void mask_rrect_stroke(struct mask *m, float x, float y, float w, float h, float r, float hw,
                       enum mask_op op)
{
    struct rr q = {x + w / 2, y + h / 2, w / 2, h / 2, fminf(r, fminf(w, h) / 2), hw};
    apply(m, x - hw, y - hw, x + w + hw, y + h + hw, rr_stroke_sdf, &q, op);
}

struct ell {
    float cx, cy, rx, ry, hw;
};

/* First-order distance to an ellipse: f / |grad f|, exact enough at the
 * curve for anti-aliasing. */
static float ell_dist(const struct ell *e, float x, float y)
{
    float dx = (x - e->cx) / e->rx, dy = (y - e->cy) / e->ry;
    float f = sqrtf(dx * dx + dy * dy);
    if (f < 1e-6f)
        return -fminf(e->rx, e->ry);
    float gx = dx / (f * e->rx), gy = dy / (f * e->ry);
    return (f - 1.0f) / sqrtf(gx * gx + gy * gy);
}

static float ell_stroke_sdf(const void *pp, float x, float y)
{
    const struct ell *e = pp;
    return fabsf(ell_dist(e, x, y)) - e->hw;
}

static float ell_sdf(const void *pp, float x, float y)
{
    return ell_dist(pp, x, y);
}

void mask_ellipse_stroke(struct mask *m, float cx, float cy, float rx, float ry, float hw,
                         enum mask_op op)
{
    struct ell e = {cx, cy, rx, ry, hw};
    apply(m, cx - rx - hw, cy - ry - hw, cx + rx + hw, cy + ry + hw, ell_stroke_sdf, &e, op);
}

void mask_ellipse(struct mask *m, float cx, float cy, float rx, float ry, enum mask_op op)
{
    struct ell e = {cx, cy, rx, ry, 0};
    apply(m, cx - rx, cy - ry, cx + rx, cy + ry, ell_sdf, &e, op);
}

struct poly {
    float p[16];
    int n;
    float sign;
};

static float poly_sdf(const void *pp, float x, float y)
{
    const struct poly *q = pp;
    float d = -1e9f;
    for (int i = 0; i < q->n; i++) {
        float ax = q->p[2 * i], ay = q->p[2 * i + 1];
        int j = (i + 1) % q->n;
        float bx = q->p[2 * j], by = q->p[2 * j + 1];
        float ex = bx - ax, ey = by - ay;
        float len = sqrtf(ex * ex + ey * ey);
        if (len < 1e-6f)
            continue;
        /* outward normal distance */
        float s = q->sign * ((x - ax) * ey - (y - ay) * ex) / len;
        if (s > d)
            d = s;
    }
    return d;
}

void mask_poly(struct mask *m, const float *pts, int n, enum mask_op op)
{
    if (n < 3 || n > 8)
        return;
    struct poly q = {.n = n};
    float minx = 1e9f, miny = 1e9f, maxx = -1e9f, maxy = -1e9f, area = 0;
    for (int i = 0; i < n; i++) {
        q.p[2 * i] = pts[2 * i];
        q.p[2 * i + 1] = pts[2 * i + 1];
        minx = fminf(minx, pts[2 * i]);
        maxx = fmaxf(maxx, pts[2 * i]);
        miny = fminf(miny, pts[2 * i + 1]);
        maxy = fmaxf(maxy, pts[2 * i + 1]);
        int j = (i + 1) % n;
        area += pts[2 * i] * pts[2 * j + 1] - pts[2 * j] * pts[2 * i + 1];
    }
    q.sign = area > 0 ? 1.0f : -1.0f;
    apply(m, minx, miny, maxx, maxy, poly_sdf, &q, op);
}
