/* goodbye.c - 请取走您的身份证 at display size, the card lifting off the
 * reader, a checklist of what happened to the citizen's data, and the
 * countdown ring back to the home screen, with 轻触屏幕可延长时间 under it
 * (a tap anywhere or a key starts it again). 返回首页 is hidden (chrome);
 * the primary is for people who want to leave now. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

static void check_item(struct kit *k, int x, int y, int w, const char *title, const char *sub,
                       bool ok)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style t = text_role(k, TEXT_BODY, c->ink);
    t.bold = true;
    struct text_style s = text_role(k, TEXT_CAPTION, c->ink2);
    icon_draw(k, ok ? ICON_CHECK_CIRCLE : ICON_INFO, x, y + (t.line - 40) / 2, 40,
              ok ? c->ok_fg : c->ink3);
    text_box(k, title, x + 56, y, w - 56, &t);
    text_box(k, sub, x + 56, y + t.line, w - 56, &s);
    kit_add(k, "check", title, UI_LABEL, kit_rect(x + 56, y, w - 56, t.line), IN_NONE, 0);
}

void goodbye_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    const struct flow *f = k->f;
    SDL_Rect cr = k->content;
    bool land = k->landscape;
    int ill_h = land ? 520 : (k->th.elder ? 440 : 520);
    SDL_Rect ill = {cr.x, cr.y, land ? 760 : cr.w, ill_h};
    widget_card_plain(k, ill);
    int rw = ill.w * 44 / 100, rh = rw * 58 / 100;
    SDL_Rect reader = {ill.x + (ill.w - rw) / 2, ill.y + ill.h - rh - 48, rw, rh};
    art_reader(k, reader, f->card_present);
    int cw = rw * 66 / 100;
    art_card(k, ill.x + (ill.w - cw) / 2, reader.y - cw * 5 / 8 - 32, cw);
    int ax = reader.x + reader.w - 6;
    draw_vline(k, ax - 4, reader.y - 140, reader.y + 40, 8, k->th.contrast ? c->link : c->primary);
    icon_draw(k, ICON_ARROW_UP, ax - 32, reader.y - 190, 56, k->th.contrast ? c->link : c->primary);
    int x = land ? cr.x + 760 + 48 : cr.x, w = land ? cr.w - 760 - 48 : cr.w;
    int y = land ? cr.y : ill.y + ill.h + 40;
    struct text_style d = text_role(k, TEXT_DISPLAY, c->ink);
    struct text_style l = text_role(k, TEXT_LEAD, c->ink2);
    if (!land)
        d.align = l.align = ALIGN_CENTER;
    const char *title = tr(f->card_present ? "bye.title" : "bye.title_done");
    y += text_box(k, title, x, y, w, &d);
    kit_add(k, "title", title, UI_LABEL, kit_rect(x, y - d.line, w, d.line), IN_NONE, 0);
    y += text_box(k, tr(f->card_present ? "bye.lead" : "bye.lead_done"), x, y, w, &l) + 32;
    /* checklist and countdown */
    int ring_w = 300;
    SDL_Rect list = {x, y, w - ring_w - 24, 0};
    SDL_Rect ring = {x + w - ring_w, y, ring_w, 0};
    char n[16], printed[96];
    /* The session is already wiped here; the flow remembers the count. */
    snprintf(n, sizeof n, "%d", f->printed_copies);
    bool did_print = f->printed_copies > 0;
    i18n_subst(printed, sizeof printed, tr(did_print ? "bye.printed" : "bye.not_printed"), n, NULL,
               NULL);
    struct text_style t = text_role(k, TEXT_BODY, c->ink);
    struct text_style sub = text_role(k, TEXT_CAPTION, c->ink2);
    int item_h = t.line + sub.line + 16;
    list.h = 2 * 32 + 3 * item_h - 16;
    ring.h = list.h;
    widget_card_plain(k, list);
    int iy = list.y + 32;
    check_item(k, list.x + 32, iy, list.w - 64, printed,
               tr(did_print ? "bye.printed_sub" : "bye.not_printed_sub"), did_print);
    iy += item_h;
    check_item(k, list.x + 32, iy, list.w - 64, tr("bye.face_deleted"), tr("bye.face_deleted_sub"),
               true);
    iy += item_h;
    check_item(k, list.x + 32, iy, list.w - 64, tr("bye.cleared"), tr("bye.cleared_sub"), true);
    widget_card_plain(k, ring);
    int total = f->timing.goodbye_ms > 0 ? f->timing.goodbye_ms / 1000 : 15;
    int left = total;
    if (f->screen_deadline_ms > 0) {
        int64_t ms = f->screen_deadline_ms - f->now_ms;
        left = ms > 0 ? (int)((ms + 999) / 1000) : 0;
    }
    int rr = k->th.elder ? 72 : 80;
    struct text_style rl = text_role(k, TEXT_CAPTION, c->ink2);
    rl.align = ALIGN_CENTER;
    /* Time to act: a tap anywhere or a key starts the countdown again (the
     * flow), and the ring says so under its caption. */
    struct text_style hint = text_role(k, TEXT_CAPTION, c->ink);
    hint.bold = true;
    hint.align = ALIGN_CENTER;
    const char *more = tr("bye.more_time");
    int hint_w = ring.w - 32, hint_h = text_box_height(k, more, hint_w, &hint);
    int block = 2 * rr + 12 + rl.line + 8 + hint_h;
    int cy = ring.y + (ring.h - block) / 2 + rr;
    widget_countdown(k, ring.x + ring.w / 2, cy, rr, left, total);
    text_draw(k, tr("bye.countdown"), ring.x + ring.w / 2, cy + rr + 12, &rl);
    int hy = cy + rr + 12 + rl.line + 8;
    text_box(k, more, ring.x + 16, hy, hint_w, &hint);
    kit_add(k, "more-time-hint", more, UI_LABEL, kit_rect(ring.x + 16, hy, hint_w, hint_h), IN_NONE,
            0);
    if (block > ring.h - 16)
        kit_issue(k, "goodbye countdown and its hint run out of their card");
    struct btn b = {.id = "leave",
                    .label = tr("bye.leave"),
                    .style = BTN_PRIMARY,
                    .icon = -1,
                    .input = IN_LEAVE_NOW};
    int top = chrome_primary(k, &b);
    if (list.y + list.h > top - 16)
        kit_issue(k, "goodbye checklist runs into the button");
}
