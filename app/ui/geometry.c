/* geometry.c - see geometry.h. */
#include "ui/geometry.h"

#include <math.h>

void geometry_fit(struct geometry *g, int px_w, int px_h, enum geometry_orientation o,
                  double diag_in)
{
    g->px_w = px_w;
    g->px_h = px_h;
    g->landscape = o == ORIENT_LANDSCAPE || (o == ORIENT_AUTO && px_w > px_h);
    int ref_w = g->landscape ? GEOMETRY_REF_LONG : GEOMETRY_REF_SHORT;
    int ref_h = g->landscape ? GEOMETRY_REF_SHORT : GEOMETRY_REF_LONG;
    /* the largest scale at which the reference canvas still fits */
    double fit = fmin((double)px_w / ref_w, (double)px_h / ref_h);
    double scale = fit;
    double mm_per_real = 0;
    g->physical = diag_in > 0;
    if (g->physical) {
        mm_per_real = diag_in * 25.4 / hypot(px_w, px_h);
        double at_size = GEOMETRY_MM_PER_PX / mm_per_real;
        if (at_size < fit)
            scale = at_size; /* a larger screen: the same millimetres, more room */
    }
    g->scale = scale;
    g->mm_per_px = g->physical ? scale * mm_per_real : GEOMETRY_MM_PER_PX;
    /* the canvas takes the output's shape, never below the reference;
     * a layout turned against the output's shape (portrait forced on a
     * wide screen) stays the reference canvas, letterboxed on purpose */
    if (g->landscape != (px_w > px_h) && px_w != px_h) {
        g->w = ref_w;
        g->h = ref_h;
        return;
    }
    int w = (int)floor(px_w / scale + 1e-6), h = (int)floor(px_h / scale + 1e-6);
    g->w = w < ref_w ? ref_w : w;
    g->h = h < ref_h ? ref_h : h;
}

double geometry_mm(const struct geometry *g, double d)
{
    return d * g->mm_per_px;
}

double geometry_dp(const struct geometry *g, double d)
{
    return geometry_mm(g, d) / GEOMETRY_MM_PER_DP;
}
