/* test_geometry.c - from a screen's pixels and diagonal to the canvas the
 * screens are laid out on (geometry.h): the shape taken without cutting
 * or letterboxing, the reference never shrunk, the orientation from the
 * shape unless forced, and millimetres kept where the diagonal is known. */
#include "ui/geometry.h"

#include "tests/unit/check.h"

#include <math.h>

static bool near(double a, double b, double tol)
{
    return fabs(a - b) <= tol;
}

/* The canvas fills the output at one scale: no black margin wider than a
 * real pixel, and never smaller than the reference in either direction. */
static void fills(int pw, int ph, enum geometry_orientation o, double diag)
{
    struct geometry g;
    geometry_fit(&g, pw, ph, o, diag);
    int rw = g.landscape ? GEOMETRY_REF_LONG : GEOMETRY_REF_SHORT;
    int rh = g.landscape ? GEOMETRY_REF_SHORT : GEOMETRY_REF_LONG;
    CHECK(g.w >= rw && g.h >= rh);
    CHECK(g.w * g.scale <= pw + 0.5 && g.h * g.scale <= ph + 0.5);
    CHECK(g.w * g.scale > pw - 1.5 && g.h * g.scale > ph - 1.5);
    CHECK_EQ_INT(g.landscape, pw > ph);
}

int main(void)
{
    struct geometry g;
    /* the reference panel: one pixel each, 0.248 mm assumed */
    geometry_fit(&g, 1080, 1920, ORIENT_AUTO, 0);
    CHECK_EQ_INT(g.w, 1080);
    CHECK_EQ_INT(g.h, 1920);
    CHECK(g.scale == 1.0 && !g.landscape && !g.physical);
    CHECK(near(g.mm_per_px, 0.248, 1e-9));
    /* ... and given its diagonal, measured: the same */
    geometry_fit(&g, 1080, 1920, ORIENT_PORTRAIT, 21.5);
    CHECK(g.physical && near(g.mm_per_px, 0.248, 0.001) && near(g.scale, 1.0, 0.01));
    CHECK_EQ_INT(g.w, 1080);

    /* every size the kiosk meets fills its screen */
    const int sizes[][2] = {{1920, 1080}, {1080, 1920}, {1366, 768}, {1280, 1024},
                            {1024, 1280}, {1024, 600},  {600, 1024}, {3840, 2160},
                            {2160, 3840}, {2560, 1080}, {800, 1280}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        fills(sizes[i][0], sizes[i][1], ORIENT_AUTO, 0);

    /* 5:4 landscape: taller than the reference, not letterboxed */
    geometry_fit(&g, 1280, 1024, ORIENT_AUTO, 0);
    CHECK_EQ_INT(g.w, 1920);
    CHECK_EQ_INT(g.h, 1536);
    /* 4K: the reference canvas, two real pixels each (text drawn at that density) */
    geometry_fit(&g, 3840, 2160, ORIENT_AUTO, 0);
    CHECK_EQ_INT(g.w, 1920);
    CHECK(near(g.scale, 2.0, 1e-9));

    /* a layout forced against the screen's shape stays the reference, letterboxed */
    geometry_fit(&g, 1920, 1080, ORIENT_PORTRAIT, 0);
    CHECK(!g.landscape);
    CHECK_EQ_INT(g.w, 1080);
    CHECK_EQ_INT(g.h, 1920);
    CHECK(near(g.scale, 0.5625, 1e-9));

    /* a 32 in portrait totem at 1080x1920: the same millimetres, more room */
    geometry_fit(&g, 1080, 1920, ORIENT_AUTO, 32.0);
    CHECK(near(g.mm_per_px, GEOMETRY_MM_PER_PX, 1e-6));
    CHECK(g.w > 1500 && g.h > 2800);
    CHECK(near(geometry_mm(&g, 72), 17.86, 0.01));
    /* a 13.3 in laptop at 1920x1080: too small to keep them; the reference
     * canvas fits, and says how much smaller everything is */
    geometry_fit(&g, 1920, 1080, ORIENT_AUTO, 13.3);
    CHECK_EQ_INT(g.w, 1920);
    CHECK(g.mm_per_px < 0.16 && g.mm_per_px > 0.14);
    CHECK(geometry_dp(&g, 72) < GEOMETRY_ELDER_TARGET_DP);
    return check_report("test_geometry");
}
