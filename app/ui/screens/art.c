/* art.c - the flat illustrations that point at the machine (README
 * principle 3): the ID card, the reader pad, this cabinet with the reader
 * (right of the shelf) or the A4 outlet (left) highlighted, the printer
 * with paper coming out. Same palette and primitives as everything else.
 * UI thread.
 */
#include "ui/screens/screens.h"

#include <string.h>

void art_unit_number(const char *raw, char *out, size_t size)
{
    /* 28 characters grouped 6-6-7-9; anything else is shown as it came */
    static const int groups[4] = {6, 6, 7, 9};
    size_t n = strlen(raw);
    if (n != 28 || size < 32) {
        snprintf(out, size, "%s", raw);
        return;
    }
    size_t w = 0, r = 0;
    for (int g = 0; g < 4; g++) {
        if (g)
            out[w++] = ' ';
        memcpy(out + w, raw + r, (size_t)groups[g]);
        w += (size_t)groups[g];
        r += (size_t)groups[g];
    }
    out[w] = '\0';
}

void art_card(struct kit *k, int x, int y, int w)
{
    const struct theme_colors *c = &k->th.c;
    int h = w * 5 / 8;
    bool hc = k->th.contrast;
    if (!hc)
        draw_rrect(k, kit_rect(x, y + 3, w, h), 12, c->edge);
    draw_rrect_border(k, kit_rect(x, y, w, h), 12, 3, hc ? c->ink : 0x7C8898,
                      hc ? 0x000000 : 0xFFFFFF);
    uint32_t bar = hc ? 0x777777 : 0xDCE5F0, ln = hc ? 0x888888 : 0xAEBACB;
    draw_rrect(k, kit_rect(x + w / 20, y + h / 10, w * 9 / 10, h / 12), 4, bar);
    for (int i = 0; i < 4; i++)
        draw_rrect(k,
                   kit_rect(x + w / 14, y + h * (28 + 14 * i) / 100, w * (40 - (i % 2) * 8) / 100,
                            h / 22 + 2),
                   3, ln);
    draw_rrect(k, kit_rect(x + w / 14, y + h * 84 / 100, w * 66 / 100, h / 20 + 2), 3,
               hc ? 0x999999 : 0x8C98A8);
    SDL_Rect ph = {x + w * 66 / 100, y + h * 26 / 100, w * 28 / 100, h * 54 / 100};
    draw_rrect(k, ph, 6, hc ? 0x333333 : 0xE8EDF3);
    int cx = ph.x + ph.w / 2;
    draw_circle(k, cx, ph.y + ph.h * 36 / 100, ph.w / 5, hc ? 0x999999 : 0x9AA8B9);
    draw_rrect(
        k, kit_rect(cx - ph.w * 35 / 100, ph.y + ph.h * 70 / 100, ph.w * 70 / 100, ph.h * 30 / 100),
        ph.w / 3, hc ? 0x999999 : 0x9AA8B9);
}

void art_reader(struct kit *k, SDL_Rect r, bool look)
{
    const struct theme_colors *c = &k->th.c;
    bool hc = k->th.contrast;
    if (look)
        widget_look_ring(k, r, 32);
    draw_rrect(k, r, 28, hc ? 0x333333 : 0x3A4350);
    SDL_Rect in = {r.x + 18, r.y + 18, r.w - 36, r.h - 36};
    draw_rrect(k, in, 18, hc ? 0x1A1A1A : 0x4E5A6A);
    int s = r.h * 45 / 100;
    icon_draw(k, ICON_WIFI, r.x + (r.w - s) / 2, r.y + (r.h - s) / 2, s, 0xFFFFFF);
    draw_circle(k, r.x + r.w - 30, r.y + 30, 9, 0x3DCB6C);
    (void)c;
}

void art_kiosk(struct kit *k, SDL_Rect r, enum art_spot spot)
{
    const struct theme_colors *c = &k->th.c;
    bool hc = k->th.contrast;
    uint32_t body = hc ? 0x000000 : 0xDCE2EA, outline = hc ? c->ink : 0x6E7D8F;
    int w = r.w, x = r.x, y = r.y;
    int bw = w * 80 / 100, bx = x + (w - bw) / 2;
    /* cabinet */
    draw_rrect_border(k, kit_rect(bx, y, bw, r.h), 22, 3, outline, body);
    draw_circle(k, bx + bw / 2, y + 18, 6, hc ? c->ink : 0x3A4350);
    /* screen */
    SDL_Rect scr = {bx + bw / 10, y + 36, bw * 8 / 10, r.h * 54 / 100};
    draw_rrect(k, scr, 8, hc ? 0x222222 : 0x0B2E55);
    draw_rrect(k, kit_rect(scr.x + scr.w / 10, scr.y + 22, scr.w * 55 / 100, 10), 5, 0xFFFFFF);
    draw_rrect(k, kit_rect(scr.x + scr.w / 10, scr.y + 48, scr.w * 8 / 10, scr.h / 7), 6,
               hc ? 0x666666 : 0x0B4F96);
    int tw = scr.w * 38 / 100, th = scr.h / 6;
    for (int i = 0; i < 4; i++)
        draw_rrect(k,
                   kit_rect(scr.x + scr.w / 10 + (i % 2) * (tw + scr.w * 4 / 100),
                            scr.y + 48 + scr.h / 7 + 12 + (i / 2) * (th + 10), tw, th),
                   5, hc ? 0x555555 : 0xDCE2EA);
    /* shelf */
    int sy = scr.y + scr.h + 22;
    int sh = r.h / 16;
    draw_fill(k, kit_rect(x, sy, w, sh), hc ? 0x444444 : 0xB4BFCC);
    draw_hline(k, x, x + w, sy, 2, outline);
    draw_hline(k, x, x + w, sy + sh, 2, outline);
    /* reader pad right of the shelf */
    SDL_Rect pad = {x + w - w * 32 / 100 - 6, sy + sh / 2 - sh * 3 / 10, w * 28 / 100, sh * 6 / 10};
    /* outlets below: A4 on the left, slip in the centre */
    SDL_Rect a4 = {bx + bw / 10, sy + sh + r.h / 14, bw * 40 / 100, r.h / 40 + 4};
    SDL_Rect slip = {bx + bw * 60 / 100, a4.y, bw * 18 / 100, a4.h};
    if (spot == ART_READER) {
        draw_rrect_border(k, kit_rect(pad.x - 10, pad.y - 10, pad.w + 20, pad.h + 20), 10, 3,
                          hc ? c->link : 0xA9C1DE, body);
        draw_rrect_border(k, kit_rect(pad.x - 4, pad.y - 4, pad.w + 8, pad.h + 8), 8, 5,
                          hc ? c->link : c->primary, body);
    }
    draw_rrect(k, pad, 6, hc ? 0x888888 : 0x3A4350);
    if (spot == ART_A4) {
        draw_rrect_border(k, kit_rect(a4.x - 12, a4.y - 12, a4.w + 24, a4.h + 24), 12, 5,
                          hc ? c->link : c->primary, body);
    }
    draw_rrect(k, a4, 5, hc ? 0x888888 : 0x3A4350);
    draw_rrect(k, slip, 5, hc ? 0x888888 : 0x3A4350);
    if (spot == ART_A4) {
        SDL_Rect paper = {a4.x + a4.w / 8, a4.y + a4.h / 2, a4.w * 3 / 4, r.h / 10};
        draw_rrect_border(k, paper, 2, 2, outline, 0xFFFFFF);
        for (int i = 0; i < 3; i++)
            draw_hline(k, paper.x + 8, paper.x + paper.w - 10 - i * 6,
                       paper.y + paper.h / 4 + i * paper.h / 5, 2, 0xAEBACB);
    }
}

void art_printer(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    bool hc = k->th.contrast;
    uint32_t outline = hc ? c->ink : 0x6E7D8F;
    draw_hline(k, r.x, r.x + r.w, r.y, 3, outline);
    SDL_Rect body = {r.x, r.y + 10, r.w, r.h * 36 / 100};
    draw_rrect_border(k, body, 20, 3, outline, hc ? 0x000000 : 0xDCE2EA);
    SDL_Rect slot = {r.x + r.w * 9 / 100, body.y + body.h * 30 / 100, r.w * 56 / 100,
                     body.h * 30 / 100};
    draw_rrect_border(k, kit_rect(slot.x - 8, slot.y - 8, slot.w + 16, slot.h + 16), 16, 5,
                      hc ? c->link : c->primary, hc ? 0x000000 : 0xDCE2EA);
    draw_rrect(k, slot, 10, hc ? 0x888888 : 0x3A4350);
    /* slip outlet and its label */
    draw_rrect(k, kit_rect(r.x + r.w * 74 / 100, slot.y + 6, r.w * 16 / 100, slot.h - 12), 8,
               hc ? 0x888888 : 0x9AA8B9);
    struct text_style st = text_role(k, TEXT_LABEL, c->ink2);
    st.bold = true;
    st.align = ALIGN_CENTER;
    text_draw(k, tr("art.slip_outlet"), r.x + r.w * 82 / 100, slot.y + slot.h + 14, &st);
    /* paper coming out */
    SDL_Rect paper = {slot.x + slot.w * 14 / 100, slot.y + slot.h / 2, slot.w * 72 / 100,
                      r.h * 38 / 100};
    draw_rrect_border(k, paper, 3, 2, outline, 0xFFFFFF);
    draw_rrect(k, kit_rect(paper.x + paper.w / 6, paper.y + 24, paper.w * 2 / 3, 10), 5,
               hc ? 0x999999 : 0x9AA8B9);
    for (int i = 0; i < 4; i++)
        draw_rrect(k,
                   kit_rect(paper.x + paper.w / 9, paper.y + 56 + i * 22,
                            paper.w * (78 - (i % 2) * 14) / 100, 6),
                   3, hc ? 0x777777 : 0xC9D2DE);
    draw_ring(k, paper.x + paper.w * 78 / 100, paper.y + paper.h - 36, 18, 3,
              hc ? 0xFF9B94 : 0xC8102E);
    /* dotted arrow down */
    int ax = paper.x + paper.w / 2;
    int ay = paper.y + paper.h + 24;
    for (int i = 0; i < 5; i++)
        draw_circle(k, ax, ay + i * 22, 5, hc ? c->link : c->primary);
    icon_draw(k, ICON_ARROW_DOWN, ax - 24, ay + 86, 48, hc ? c->link : c->primary);
}
