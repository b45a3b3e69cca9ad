/* test_scaled_edges.c - at a fractional scale the software renderer's
 * pieces of one shape meet: no seam between a rounded rectangle's corners
 * and its edges.
 *
 * SDL's software renderer truncates a scaled rectangle's place and size
 * apart, which left a pixel of what was under it between a corner and
 * the fill beside it (a window of 1761x990, a 1366x768 screen); kit_snap
 * gives it rectangles whose edges meet. Headless, at the scales a window
 * and the common screens give, rounded rectangles of several places and
 * radii on a white canvas: every pixel inside the shape, away from the
 * corners' curves, must be the shape's colour. */
#include "tests/unit/check.h"
#include "ui/kit.h"
#include "ui/ui.h"
#include "ui/ui_internal.h"

#include <math.h>
#include <stdio.h>

#define INK 0x0B3D6Eu

/* Whether a and b differ by more than 64 in a channel (a seam shows the
 * white under the shape; the corners' anti-aliasing a step or two). */
static bool far(uint32_t a, uint32_t b)
{
    for (int sh = 0; sh < 24; sh += 8) {
        int d = (int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF);
        if (d > 64 || d < -64)
            return true;
    }
    return false;
}

/* Pixels inside r (canvas) that are not INK: an inset of two pixels,
 * each corner's square only inside its circle. */
static long seams(struct ui *ui, SDL_Rect r, int radius)
{
    struct kit *k = &ui->k;
    double s = k->geo.scale;
    double ox = (k->geo.px_w - k->w * s) / 2, oy = (k->geo.px_h - k->h * s) / 2;
    double X0 = ox + r.x * s, X1 = ox + (r.x + r.w) * s, Y0 = oy + r.y * s,
           Y1 = oy + (r.y + r.h) * s, R = radius * s;
    const SDL_Surface *sf = ui->surf;
    long bad = 0;
    for (int y = (int)ceil(Y0) + 2; y <= (int)floor(Y1) - 3; y++)
        for (int x = (int)ceil(X0) + 2; x <= (int)floor(X1) - 3; x++) {
            double px = x + 0.5, py = y + 0.5;
            double cx = px < X0 + R ? X0 + R : (px > X1 - R ? X1 - R : px);
            double cy = py < Y0 + R ? Y0 + R : (py > Y1 - R ? Y1 - R : py);
            if (hypot(px - cx, py - cy) > R - 2)
                continue; /* a corner's curve */
            const uint8_t *row = (const uint8_t *)sf->pixels + (size_t)y * (size_t)sf->pitch;
            uint32_t p = ((const uint32_t *)(const void *)row)[x] & 0xFFFFFFu;
            bad += far(p, INK);
        }
    return bad;
}

static void screen_case(int w, int h)
{
    struct ui_config cfg = {.width = w, .height = h, .headless = true};
    struct ui *ui = ui_create(&cfg);
    CHECK(ui != NULL);
    if (!ui)
        return;
    struct kit *k = &ui->k;
    k->density = k->geo.scale;
    long bad = 0;
    draw_fill(k, kit_rect(0, 0, k->w, k->h), 0xFFFFFF);
    static const int radii[] = {8, 12, 16, 24, 30};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 7; j++) {
            SDL_Rect r = {37 + 173 * j + i, 41 + 151 * i + j, 131 + j, 97 + i};
            draw_rrect(k, r, radii[i], INK);
        }
    SDL_RenderPresent(k->r);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 7; j++) {
            SDL_Rect r = {37 + 173 * j + i, 41 + 151 * i + j, 131 + j, 97 + i};
            bad += seams(ui, r, radii[i]);
        }
    if (bad)
        printf("  %dx%d (%.3f px each): %ld pixels of seams inside the shapes\n", w, h,
               k->geo.scale, bad);
    CHECK_EQ_INT(bad, 0);
    ui_destroy(ui);
}

int main(void)
{
    screen_case(1761, 990); /* the window on a 1920x1080 display */
    screen_case(1366, 768);
    screen_case(1280, 1024);
    screen_case(1024, 600);
    screen_case(1920, 1080); /* whole pixels: nothing to snap */
    return check_report("test_scaled_edges");
}
