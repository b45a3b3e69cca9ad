/* printing.c - 正在打印证明: progress, the drawing of the A4 outlet with
 * paper coming out, and the take-your-paper instruction at the bottom,
 * nearest the outlet. 返回首页 is hidden here (chrome). When the pages
 * are out: 请从屏幕下方左侧的出纸口取走证明 and 我已取走. In demo mode the
 * PDF's path is shown small. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

void printing_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct flow *f = k->f;
    const char *steps[3] = {tr("step.print_1"), tr("step.print_2"), tr("step.print_3")};
    widget_stepper(k, cr.y, steps, f->printed ? 2 : 1);
    int y = cr.y + widget_stepper_height(k) + 32;
    struct text_style t = text_role(k, TEXT_TITLE1, c->ink);
    y += text_box(k, tr(f->printed ? "printing.done_title" : "printing.title"), cr.x, y, cr.w, &t);
    kit_add(k, "title", tr(f->printed ? "printing.done_title" : "printing.title"), UI_LABEL,
            kit_rect(cr.x, y - t.line, cr.w, t.line), IN_NONE, 0);
    y += 24;
    int copies = k->s && k->s->copies > 0 ? k->s->copies : 1;
    /* progress card */
    SDL_Rect pc = {cr.x, y, cr.w, 152};
    if (k->landscape)
        pc.w = 860;
    widget_card(k, pc, false, false);
    char a[16], b[16], line[96];
    snprintf(a, sizeof a, "%d", f->printed ? copies : 1);
    snprintf(b, sizeof b, "%d", copies);
    i18n_subst(line, sizeof line, tr("printing.pages"), a, b, NULL);
    struct text_style h3 = text_role(k, TEXT_TITLE3, c->ink);
    text_draw(k, line, pc.x + 36, pc.y + 28, &h3);
    struct text_style cap = text_role(k, TEXT_BODY, c->ink3);
    cap.align = ALIGN_RIGHT;
    text_draw(k, tr(f->printed ? "printing.finished" : "printing.eta"), pc.x + pc.w - 36, pc.y + 30,
              &cap);
    SDL_Rect bar = {pc.x + 36, pc.y + 100, pc.w - 72, 20};
    if (f->printed) {
        widget_progress(k, bar, 1.0f);
    } else {
        /* no page count from the printer: an honest moving segment */
        widget_progress(k, bar, 0);
        int step = (int)((k->anim_ms / 400) % 8);
        int sw = bar.w / 3;
        int sx = bar.x + step * (bar.w - sw) / 7;
        draw_rrect(k, kit_rect(sx, bar.y, sw, bar.h), bar.h / 2,
                   k->th.contrast ? c->link : c->primary);
        kit_want_frame_in(k, 400, bar);
    }
    y += pc.h + 24;
    /* drawing */
    int take_h = 160;
    int bottom = cr.y + cr.h - take_h - 24;
    SDL_Rect art = {cr.x, y, cr.w, bottom - y};
    if (k->landscape)
        art = kit_rect(cr.x + 900, cr.y, cr.w - 900, cr.h);
    if (art.h > 680)
        art.h = 680;
    widget_card_plain(k, art);
    int split = art.x + art.w * 66 / 100;
    draw_vline(k, split, art.y + 40, art.y + art.h - 40, 2, c->line);
    art_printer(k, kit_rect(art.x + 40, art.y + 40, split - art.x - 80, art.h - 80));
    struct text_style kl = text_role(k, TEXT_LABEL, k->th.contrast ? c->link : c->primary);
    kl.bold = true;
    kl.align = ALIGN_CENTER;
    int lh = 2 * kl.line + 8;
    int kw = (art.x + art.w - split) * 74 / 100;
    int kh = art.h - 80 - lh;
    if (kh > kw * 22 / 10)
        kh = kw * 22 / 10;
    SDL_Rect kiosk = {split + (art.x + art.w - split - kw) / 2, art.y + 40, kw, kh};
    art_kiosk(k, kiosk, ART_A4);
    text_box(k, tr("printing.outlet_where"), split + 12, kiosk.y + kiosk.h + 12,
             art.x + art.w - split - 24, &kl);
    /* take the paper: at the bottom, nearest the outlet */
    SDL_Rect take = {cr.x, cr.y + cr.h - take_h, cr.w, take_h};
    if (k->landscape)
        take =
            kit_rect(cr.x, cr.y + cr.h - take_h - (f->printed ? chrome_primary_height(k) + 24 : 0),
                     860, take_h);
    if (f->printed && !k->landscape) {
        take.y -= chrome_primary_height(k) + 24;
        if (take.y < art.y + art.h + 24) {
            art.h = take.y - 24 - art.y; /* the drawing already ran; report it */
            kit_issue(k, "printing drawing overlaps the take-paper notice");
        }
    }
    draw_rrect_border(k, take, RADIUS_M, k->th.border, k->th.contrast ? c->ink : c->primary,
                      c->tint);
    icon_draw(k, ICON_DOC, take.x + 32, take.y + (take_h - 64) / 2, 64,
              k->th.contrast ? c->link : c->primary);
    struct text_style tt = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style ts = text_role(k, TEXT_CAPTION, c->ink2);
    int tx = take.x + 120, tw = take.w - 120 - 32;
    const char *tk = tr(f->printed ? "printing.take" : "printing.take_after");
    const char *sk = tr(f->printed ? "printing.take_sub" : "printing.stay");
    int h = text_box_height(k, tk, tw, &tt) + text_box_height(k, sk, tw, &ts);
    int yy = take.y + (take_h - h) / 2;
    yy += text_box(k, tk, tx, yy, tw, &tt);
    text_box(k, sk, tx, yy, tw, &ts);
    kit_add(k, "take", tk, UI_LABEL, take, IN_NONE, 0);
    if (k->f->demo && k->v.pdf_path && k->v.pdf_path[0]) {
        char pl[300];
        i18n_subst(pl, sizeof pl, tr("printing.demo_pdf"), k->v.pdf_path, NULL, NULL);
        struct text_style ds = text_role(k, TEXT_CAPTION, c->ink3);
        ds.size = 22;
        ds.line = 30;
        text_draw(k, pl, cr.x, take.y - 32, &ds);
    }
    if (f->printed) {
        struct btn go = {.id = "paper-taken",
                         .label = tr("printing.continue"),
                         .style = BTN_PRIMARY,
                         .icon = -1,
                         .input = IN_CONTINUE};
        /* Beside it: a queue number for the counter, with the same card. */
        struct btn more = {.id = "more-services",
                           .label = tr("printing.more"),
                           .style = BTN_SECONDARY,
                           .icon = ICON_TICKET,
                           .input = IN_MORE_SERVICES};
        chrome_primary_pair(k, &more, &go);
    }
}
