/* icon.c - the icon set of TOKENS §8, drawn from primitives.
 *
 * 64-unit grid, 5-unit stroke with round caps, outline style, one colour.
 * Each icon is painted once per size into a coverage mask and cached as a
 * texture, then tinted where it is used. UI thread.
 */
#include "ui/kit.h"
#include "ui/mask.h"

#include <math.h>

struct icon_args {
    enum icon ic;
    float s; /* px per grid unit */
};

#define U(v) ((v)*a->s)

static void L(struct mask *m, const struct icon_args *a, float x0, float y0, float x1, float y1)
{
    mask_line(m, U(x0), U(y0), U(x1), U(y1), U(2.5f), MASK_ADD);
}

static void RR(struct mask *m, const struct icon_args *a, float x, float y, float w, float h,
               float r)
{
    mask_rrect_stroke(m, U(x), U(y), U(w), U(h), U(r), U(2.5f), MASK_ADD);
}

static void RING(struct mask *m, const struct icon_args *a, float cx, float cy, float r)
{
    mask_ring(m, U(cx), U(cy), U(r), U(2.5f), MASK_ADD);
}

static void DOT(struct mask *m, const struct icon_args *a, float cx, float cy, float r)
{
    mask_circle(m, U(cx), U(cy), U(r), MASK_ADD);
}

static void ARC(struct mask *m, const struct icon_args *a, float cx, float cy, float r, float a0,
                float a1)
{
    /* degrees, 0 = 12 o'clock, clockwise */
    mask_arc(m, U(cx), U(cy), U(r), U(2.5f), a0 * (float)M_PI / 180.0f, a1 * (float)M_PI / 180.0f,
             MASK_ADD);
}

static void house(struct mask *m, const struct icon_args *a, float ox, float oy, float sc)
{
    /* roof and walls of a house in a box of 40 units scaled by sc */
    float x0 = ox, y0 = oy;
    L(m, a, x0 + 2 * sc, y0 + 20 * sc, x0 + 22 * sc, y0 + 2 * sc);
    L(m, a, x0 + 22 * sc, y0 + 2 * sc, x0 + 42 * sc, y0 + 20 * sc);
    L(m, a, x0 + 8 * sc, y0 + 15 * sc, x0 + 8 * sc, y0 + 40 * sc);
    L(m, a, x0 + 36 * sc, y0 + 15 * sc, x0 + 36 * sc, y0 + 24 * sc);
}

static void paint_icon(struct mask *m, const void *arg)
{
    const struct icon_args *a = arg;
    switch (a->ic) {
    case ICON_HOUSE_SEARCH:
        L(m, a, 6, 30, 30, 8);
        L(m, a, 30, 8, 54, 30);
        L(m, a, 13, 24, 13, 54);
        L(m, a, 13, 54, 28, 54);
        RING(m, a, 40, 42, 9);
        L(m, a, 47, 49, 56, 58);
        break;
    case ICON_HOME:
        L(m, a, 8, 30, 32, 8);
        L(m, a, 32, 8, 56, 30);
        L(m, a, 15, 24, 15, 55);
        L(m, a, 49, 24, 49, 55);
        L(m, a, 15, 55, 49, 55);
        L(m, a, 26, 55, 26, 38);
        L(m, a, 26, 38, 38, 38);
        L(m, a, 38, 38, 38, 55);
        break;
    case ICON_PRINTER:
        RR(m, a, 8, 24, 48, 22, 6);
        L(m, a, 18, 24, 18, 8);
        L(m, a, 18, 8, 46, 8);
        L(m, a, 46, 8, 46, 24);
        mask_rrect(m, U(16), U(36), U(32), U(22), U(2), MASK_CUT);
        RR(m, a, 18, 38, 28, 18, 2);
        L(m, a, 24, 45, 40, 45);
        L(m, a, 24, 51, 36, 51);
        DOT(m, a, 47, 31, 3);
        break;
    case ICON_TICKET:
        L(m, a, 8, 16, 56, 16);
        L(m, a, 8, 48, 56, 48);
        L(m, a, 8, 16, 8, 26);
        L(m, a, 8, 38, 8, 48);
        L(m, a, 56, 16, 56, 26);
        L(m, a, 56, 38, 56, 48);
        ARC(m, a, 8, 32, 6, 0, 180);
        ARC(m, a, 56, 32, 6, 180, 360);
        L(m, a, 24, 26, 40, 26);
        L(m, a, 24, 38, 40, 38);
        break;
    case ICON_CALENDAR:
        RR(m, a, 8, 12, 48, 44, 6);
        L(m, a, 8, 24, 56, 24);
        L(m, a, 20, 6, 20, 16);
        L(m, a, 44, 6, 44, 16);
        L(m, a, 22, 40, 29, 47);
        L(m, a, 29, 47, 42, 33);
        break;
    case ICON_CLOCK:
        RING(m, a, 32, 32, 24);
        L(m, a, 32, 18, 32, 32);
        L(m, a, 32, 32, 41, 40);
        break;
    case ICON_BOOK:
        L(m, a, 32, 16, 32, 52);
        L(m, a, 32, 16, 8, 12);
        L(m, a, 8, 12, 8, 48);
        L(m, a, 8, 48, 32, 52);
        L(m, a, 32, 16, 56, 12);
        L(m, a, 56, 12, 56, 48);
        L(m, a, 56, 48, 32, 52);
        break;
    case ICON_SMILE:
        RING(m, a, 32, 32, 24);
        DOT(m, a, 24, 27, 3.5f);
        DOT(m, a, 40, 27, 3.5f);
        ARC(m, a, 32, 32, 12, 120, 240);
        break;
    case ICON_BELL:
        L(m, a, 14, 46, 50, 46);
        L(m, a, 18, 46, 18, 30);
        L(m, a, 46, 46, 46, 30);
        ARC(m, a, 32, 30, 14, 270, 360);
        ARC(m, a, 32, 30, 14, 0, 90);
        L(m, a, 32, 10, 32, 16);
        L(m, a, 27, 54, 37, 54);
        break;
    case ICON_QUESTION:
        RING(m, a, 32, 32, 24);
        ARC(m, a, 32, 26, 8, 270, 360);
        ARC(m, a, 32, 26, 8, 0, 140);
        L(m, a, 37, 32, 32, 36);
        L(m, a, 32, 36, 32, 38);
        DOT(m, a, 32, 46, 3.5f);
        break;
    case ICON_GLOBE:
        RING(m, a, 32, 32, 24);
        mask_ellipse_stroke(m, U(32), U(32), U(10), U(24), U(2.5f), MASK_ADD);
        L(m, a, 8, 32, 56, 32);
        break;
    case ICON_PERSON:
        RING(m, a, 32, 20, 10);
        ARC(m, a, 32, 56, 20, 270, 360);
        ARC(m, a, 32, 56, 20, 0, 90);
        break;
    case ICON_IDCARD:
        RR(m, a, 6, 14, 52, 36, 6);
        RING(m, a, 21, 28, 5);
        L(m, a, 13, 42, 29, 42);
        L(m, a, 36, 26, 50, 26);
        L(m, a, 36, 36, 50, 36);
        break;
    case ICON_LOCK:
        RR(m, a, 12, 28, 40, 28, 6);
        ARC(m, a, 32, 24, 12, 270, 360);
        ARC(m, a, 32, 24, 12, 0, 90);
        L(m, a, 20, 24, 20, 28);
        L(m, a, 44, 24, 44, 28);
        L(m, a, 32, 38, 32, 46);
        break;
    case ICON_PROHIBIT:
        RING(m, a, 32, 32, 23);
        L(m, a, 16, 48, 48, 16);
        break;
    case ICON_FLAG:
        L(m, a, 14, 8, 14, 58);
        L(m, a, 14, 10, 48, 10);
        L(m, a, 48, 10, 40, 22);
        L(m, a, 40, 22, 48, 34);
        L(m, a, 48, 34, 14, 34);
        break;
    case ICON_CHECK_CIRCLE:
        RING(m, a, 32, 32, 24);
        L(m, a, 21, 33, 29, 41);
        L(m, a, 29, 41, 44, 25);
        break;
    case ICON_CHECK:
        mask_line(m, U(12), U(33), U(26), U(47), U(3.5f), MASK_ADD);
        mask_line(m, U(26), U(47), U(52), U(19), U(3.5f), MASK_ADD);
        break;
    case ICON_ALERT:
        L(m, a, 32, 8, 58, 54);
        L(m, a, 58, 54, 6, 54);
        L(m, a, 6, 54, 32, 8);
        L(m, a, 32, 24, 32, 38);
        DOT(m, a, 32, 46, 3.5f);
        break;
    case ICON_ALERT_CIRCLE:
        RING(m, a, 32, 32, 24);
        L(m, a, 32, 18, 32, 34);
        DOT(m, a, 32, 44, 3.5f);
        break;
    case ICON_INFO:
        RING(m, a, 32, 32, 24);
        L(m, a, 32, 30, 32, 46);
        DOT(m, a, 32, 20, 3.5f);
        break;
    case ICON_CLOUD_OFF:
        ARC(m, a, 22, 38, 10, 180, 360);
        ARC(m, a, 34, 28, 14, 290, 360);
        ARC(m, a, 34, 28, 14, 0, 70);
        ARC(m, a, 46, 38, 10, 0, 180);
        L(m, a, 22, 48, 46, 48);
        mask_line(m, U(10), U(8), U(54), U(56), U(6), MASK_CUT);
        L(m, a, 12, 10, 52, 54);
        break;
    case ICON_SHIELD:
        L(m, a, 32, 6, 52, 14);
        L(m, a, 52, 14, 52, 30);
        L(m, a, 12, 14, 32, 6);
        L(m, a, 12, 14, 12, 30);
        ARC(m, a, 32, 26, 20, 90, 180);
        ARC(m, a, 32, 26, 20, 180, 270);
        L(m, a, 23, 31, 30, 38);
        L(m, a, 30, 38, 42, 25);
        break;
    case ICON_FACE:
        L(m, a, 8, 8, 8, 20);
        L(m, a, 8, 8, 20, 8);
        L(m, a, 56, 8, 44, 8);
        L(m, a, 56, 8, 56, 20);
        L(m, a, 8, 56, 8, 44);
        L(m, a, 8, 56, 20, 56);
        L(m, a, 56, 56, 44, 56);
        L(m, a, 56, 56, 56, 44);
        DOT(m, a, 24, 27, 3.5f);
        DOT(m, a, 40, 27, 3.5f);
        ARC(m, a, 32, 34, 9, 120, 240);
        break;
    case ICON_COUNTER:
        RING(m, a, 32, 14, 7);
        L(m, a, 20, 32, 44, 32);
        ARC(m, a, 32, 32, 12, 270, 360);
        ARC(m, a, 32, 32, 12, 0, 90);
        L(m, a, 6, 38, 58, 38);
        L(m, a, 14, 38, 14, 58);
        L(m, a, 50, 38, 50, 58);
        break;
    case ICON_CHEVRON_R:
        mask_line(m, U(24), U(12), U(44), U(32), U(3.5f), MASK_ADD);
        mask_line(m, U(44), U(32), U(24), U(52), U(3.5f), MASK_ADD);
        break;
    case ICON_CHEVRON_L:
        mask_line(m, U(40), U(12), U(20), U(32), U(3.5f), MASK_ADD);
        mask_line(m, U(20), U(32), U(40), U(52), U(3.5f), MASK_ADD);
        break;
    case ICON_REFRESH:
        ARC(m, a, 32, 32, 20, 30, 170);
        ARC(m, a, 32, 32, 20, 210, 350);
        L(m, a, 42, 15, 52, 15);
        L(m, a, 52, 15, 52, 5);
        L(m, a, 22, 49, 12, 49);
        L(m, a, 12, 49, 12, 59);
        break;
    case ICON_DOC:
        L(m, a, 14, 6, 38, 6);
        L(m, a, 38, 6, 50, 18);
        L(m, a, 50, 18, 50, 58);
        L(m, a, 50, 58, 14, 58);
        L(m, a, 14, 58, 14, 6);
        L(m, a, 22, 30, 42, 30);
        L(m, a, 22, 40, 42, 40);
        L(m, a, 22, 50, 34, 50);
        break;
    case ICON_ZOOM:
        RING(m, a, 27, 27, 17);
        L(m, a, 40, 40, 54, 54);
        L(m, a, 20, 27, 34, 27);
        L(m, a, 27, 20, 27, 34);
        break;
    case ICON_MINUS:
        L(m, a, 14, 32, 50, 32);
        break;
    case ICON_PLUS:
        L(m, a, 14, 32, 50, 32);
        L(m, a, 32, 14, 32, 50);
        break;
    case ICON_WIFI:
        ARC(m, a, 32, 50, 36, 305, 360);
        ARC(m, a, 32, 50, 36, 0, 55);
        ARC(m, a, 32, 50, 24, 305, 360);
        ARC(m, a, 32, 50, 24, 0, 55);
        ARC(m, a, 32, 50, 12, 305, 360);
        ARC(m, a, 32, 50, 12, 0, 55);
        DOT(m, a, 32, 52, 4);
        break;
    case ICON_ARROW_UP:
        L(m, a, 32, 58, 32, 8);
        L(m, a, 32, 8, 20, 20);
        L(m, a, 32, 8, 44, 20);
        break;
    case ICON_ARROW_DOWN:
        L(m, a, 32, 6, 32, 56);
        L(m, a, 32, 56, 20, 44);
        L(m, a, 32, 56, 44, 44);
        break;
    case ICON_PAUSE:
        L(m, a, 24, 16, 24, 48);
        L(m, a, 40, 16, 40, 48);
        break;
    case ICON_KEY_BACK:
        L(m, a, 20, 16, 56, 16);
        L(m, a, 56, 16, 56, 48);
        L(m, a, 56, 48, 20, 48);
        L(m, a, 20, 48, 6, 32);
        L(m, a, 6, 32, 20, 16);
        L(m, a, 28, 24, 44, 40);
        L(m, a, 44, 24, 28, 40);
        break;
    case ICON_COUNT:
        break;
    }
    (void)house;
}

void icon_draw(struct kit *k, enum icon ic, int x, int y, int size, uint32_t rgb)
{
    struct icon_args a = {ic, (float)size / 64.0f};
    uint64_t key = UINT64_C(0x1C0000000) ^ ((uint64_t)ic << 16) ^ (uint64_t)size;
    draw_mask(k, key, size, size, paint_icon, &a, x, y, rgb);
}

void icon_plate(struct kit *k, enum icon ic, SDL_Rect plate, uint32_t plate_rgb, uint32_t rgb)
{
    if (!k->th.contrast)
        draw_rrect(k, plate, plate.w / 4, plate_rgb);
    else
        draw_rrect_border(k, plate, plate.w / 4, 2, k->th.c.line, k->th.c.surface);
    int s = plate.w * 60 / 100;
    icon_draw(k, ic, plate.x + (plate.w - s) / 2, plate.y + (plate.h - s) / 2, s, rgb);
}
