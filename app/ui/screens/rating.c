/* rating.c - 好差评: the five official levels as full-width rows with drawn
 * faces (colour + face + word). Select, then 提交评价, so a slip of the
 * finger is not final; 跳过 is always allowed. UI thread.
 */
#include "ui/screens/screens.h"

#include "ui/mask.h"

#include <stdio.h>

struct face_args {
    int level;
    float r;
};

static void paint_face(struct mask *m, const void *arg)
{
    const struct face_args *a = arg;
    float r = a->r, c = r + 1, s = r / 32.0f;
    mask_ring(m, c, c, r - 3 * s, 3 * s, MASK_ADD);
    float ey = c - 7 * s, ex = 11 * s;
    switch (a->level) {
    case 5: /* open smile */
        mask_circle(m, c - ex, ey, 3.5f * s, MASK_ADD);
        mask_circle(m, c + ex, ey, 3.5f * s, MASK_ADD);
        mask_ellipse(m, c, c + 6 * s, 14 * s, 11 * s, MASK_ADD);
        mask_rrect(m, c - 16 * s, c - 6 * s, 32 * s, 12 * s, 0, MASK_CUT);
        break;
    case 4:
        mask_circle(m, c - ex, ey, 3.5f * s, MASK_ADD);
        mask_circle(m, c + ex, ey, 3.5f * s, MASK_ADD);
        mask_arc(m, c, c + 1 * s, 12 * s, 2.5f * s, 2.1f, 4.2f, MASK_ADD);
        break;
    case 3:
        mask_circle(m, c - ex, ey, 3.5f * s, MASK_ADD);
        mask_circle(m, c + ex, ey, 3.5f * s, MASK_ADD);
        mask_line(m, c - 10 * s, c + 10 * s, c + 10 * s, c + 10 * s, 2.5f * s, MASK_ADD);
        break;
    case 2:
        mask_circle(m, c - ex, ey, 3.5f * s, MASK_ADD);
        mask_circle(m, c + ex, ey, 3.5f * s, MASK_ADD);
        mask_arc(m, c, c + 20 * s, 11 * s, 2.5f * s, -1.0f + 6.2832f, 6.2832f, MASK_ADD);
        mask_arc(m, c, c + 20 * s, 11 * s, 2.5f * s, 0.0f, 1.0f, MASK_ADD);
        break;
    default: /* angry brows and frown */
        mask_circle(m, c - ex, ey + 2 * s, 3.5f * s, MASK_ADD);
        mask_circle(m, c + ex, ey + 2 * s, 3.5f * s, MASK_ADD);
        mask_line(m, c - 17 * s, c - 15 * s, c - 6 * s, c - 10 * s, 2.5f * s, MASK_ADD);
        mask_line(m, c + 17 * s, c - 15 * s, c + 6 * s, c - 10 * s, 2.5f * s, MASK_ADD);
        mask_arc(m, c, c + 20 * s, 11 * s, 2.5f * s, -1.0f + 6.2832f, 6.2832f, MASK_ADD);
        mask_arc(m, c, c + 20 * s, 11 * s, 2.5f * s, 0.0f, 1.0f, MASK_ADD);
        break;
    }
}

static void face(struct kit *k, int level, int cx, int cy, int r)
{
    const struct theme_colors *c = &k->th.c;
    uint32_t fg, bg;
    switch (level) {
    case 5:
        fg = c->ok_fg, bg = c->ok_bg;
        break;
    case 4:
        fg = k->th.contrast ? c->ok_fg : 0x2E7D5B, bg = k->th.contrast ? 0 : 0xE8F5EE;
        break;
    case 3:
        fg = c->ink2, bg = c->subtle;
        break;
    case 2:
        fg = c->warn_fg, bg = c->warn_bg;
        break;
    default:
        fg = c->bad_fg, bg = c->bad_bg;
        break;
    }
    draw_circle(k, cx, cy, r - 2, bg);
    struct face_args a = {level, (float)r};
    uint64_t key = UINT64_C(0xFACE000000) ^ ((uint64_t)level << 12) ^ (uint64_t)r;
    draw_mask(k, key, 2 * r + 2, 2 * r + 2, paint_face, &a, cx - r - 1, cy - r - 1, fg);
}

void rating_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    int y = chrome_title(k, cr.y, tr("rating.title"), tr("rating.lead"));
    int sel = k->s ? k->s->rating : 0;
    int bh = chrome_primary_height(k);
    struct text_style note = text_role(k, TEXT_CAPTION, c->ink3);
    /* With a low level the reasons take the room of the note. */
    bool low = sel >= 1 && sel <= FLOW_REASON_LOW;
    /* Portrait: under the levels; landscape: beside them. */
    int cols = 2, oh = k->th.elder ? 88 : 72, og = 12;
    struct text_style why = text_role(k, TEXT_TITLE3, c->ink);
    int reasons_h = low && !k->landscape ? why.line + SP_8 + 3 * (oh + og) + SP_8 : 0;
    int avail = cr.y + cr.h - bh - 32 - (low ? reasons_h : note.line) - 16 - y;
    int top_y = y;
    int rh = (avail - 4 * 24) / 5;
    if (rh > (k->th.elder ? 176 : 160))
        rh = k->th.elder ? 176 : 160;
    int rw = cr.w;
    if (k->landscape) {
        /* The levels take the left column down to the bottom, clear of
         * the buttons on the right; the reasons (wider in large type,
         * where English runs long) or the note take the right column. */
        rw = low ? cr.w - (k->th.elder ? 960 : 820) - SP_48 : 860;
        if (rw > 860)
            rw = 860;
        rh = (cr.y + cr.h - y - 4 * 16) / 5;
        if (rh > (k->th.elder ? 176 : 160))
            rh = k->th.elder ? 176 : 160;
    }
    for (int i = 0; i < 5; i++) {
        int level = 5 - i;
        char id[16], key[16];
        snprintf(id, sizeof id, "rate%d", level);
        snprintf(key, sizeof key, "rating.%d", level);
        SDL_Rect r = {cr.x, y + i * (rh + (k->landscape ? 16 : 24)), rw, rh};
        bool on = level == sel;
        bool pressed = kit_pressed(k, id) && !on;
        widget_card(k, r, pressed, on);
        int dy = pressed ? 2 : 0;
        int fr = rh * 30 / 100;
        if (fr > 50)
            fr = 50;
        face(k, level, r.x + 28 + fr, r.y + dy + rh / 2, fr);
        struct text_style t = text_role(k, TEXT_TITLE2, c->ink);
        text_draw(k, tr(key), r.x + 28 + 2 * fr + 32, r.y + dy + (rh - t.line) / 2, &t);
        widget_radio(k, r.x + r.w - 28 - 24, r.y + dy + rh / 2, on);
        if (on) {
            struct text_style sl = text_role(k, TEXT_LABEL, k->th.contrast ? c->link : c->primary);
            sl.bold = true;
            sl.align = ALIGN_RIGHT;
            text_draw(k, tr("rating.selected"), r.x + r.w - 28 - 48 - 16,
                      r.y + dy + (rh - sl.line) / 2, &sl);
        }
        struct ui_widget *w = kit_add(k, id, tr(key), UI_OPTION, r, IN_RATE, level);
        if (w)
            w->selected = on;
    }
    int ny = y + 5 * rh + 4 * (k->landscape ? 16 : 24) + 16;
    if (low) {
        int rx = k->landscape ? cr.x + rw + SP_48 : cr.x;
        int ww = k->landscape ? cr.w - rw - SP_48 : cr.w;
        if (k->landscape) {
            ny = top_y;
            int fit = (cr.y + cr.h - bh - SP_24 - ny - why.line - SP_8) / 3 - og;
            oh = fit < oh ? fit : oh;
        }
        text_draw(k, tr("rating.why"), rx, ny, &why);
        ny += why.line + SP_8;
        int ow = (ww - (cols - 1) * og) / cols;
        for (int i = 0; i < FLOW_REASON_COUNT; i++) {
            char id[16];
            snprintf(id, sizeof id, "reason%d", i);
            SDL_Rect r = {rx + (i % cols) * (ow + og), ny + (i / cols) * (oh + og), ow, oh};
            bool on = k->s && (k->s->reasons & (1u << i));
            widget_option(k, r, id, tr(flow_reason_key(i)), on, IN_REASON, i);
        }
    } else if (k->landscape) {
        text_box(k, tr("rating.note"), cr.x + rw + SP_48, top_y, cr.w - rw - SP_48, &note);
    } else {
        text_box(k, tr("rating.note"), cr.x, ny, cr.w, &note);
    }
    struct btn skip = {.id = "rate-skip",
                       .label = tr("rating.skip"),
                       .style = BTN_QUIET,
                       .icon = -1,
                       .input = IN_RATE_SKIP};
    struct btn submit = {.id = "rate-submit",
                         .label = tr("rating.submit"),
                         .style = BTN_PRIMARY,
                         .icon = -1,
                         .disabled = sel < 1 || sel > 5,
                         .input = IN_RATE_SUBMIT,
                         .busy = k->f->busy};
    int top = cr.y + cr.h - bh;
    if (k->landscape) {
        widget_button(k, kit_rect(cr.x + cr.w - 560, top, 560, bh), &submit);
        widget_button(k, kit_rect(cr.x + cr.w - 560 - 32 - 300, top, 300, bh), &skip);
    } else {
        widget_button(k, kit_rect(cr.x, top, 300, bh), &skip);
        widget_button(k, kit_rect(cr.x + 300 + 32, top, cr.w - 332, bh), &submit);
    }
}
