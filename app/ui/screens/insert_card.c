/* insert_card.c - 请放置身份证: step 1 of 3. A drawing shows how to lay the
 * card on the reader and a small cabinet shows where the reader is; the
 * waiting state is a sentence with waiting dots. Read failures, a missing
 * reader, and (in demo mode) a strip of demo citizens to present with a
 * tap or F2. 没带身份证 leads to the other routes. UI thread.
 */
#include "ui/screens/screens.h"

#include "base/err.h"

#include "base/util.h"
#include "demo/demo.h"

#include <stdio.h>

int kit_demo_count(void)
{
    int n = demo_citizen_count();
    return n > 6 ? 6 : n;
}

bool kit_demo_label(int i, char *name, size_t nsize, char *note, size_t notesize)
{
    struct demo_citizen c;
    if (!demo_citizen_get(i, &c))
        return false;
    mask_name(c.name, name, nsize);
    snprintf(note, notesize, "%s", c.note);
    return true;
}

static void illustration(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    widget_card_plain(k, r);
    int split = r.x + r.w * 64 / 100;
    draw_vline(k, split, r.y + 40, r.y + r.h - 40, 2, c->line);
    /* left: the card above the reader */
    int lw = split - r.x;
    int cw = lw * (r.h < 600 ? 34 : 50) / 100;
    int cx = r.x + (lw - cw) / 2;
    int cy = r.y + 48;
    art_card(k, cx, cy, cw);
    int ch = cw * 5 / 8;
    int ax = r.x + lw / 2;
    for (int i = 0; i < 3; i++)
        draw_circle(k, ax, cy + ch + 30 + i * 20, 5, k->th.contrast ? c->link : c->primary);
    icon_draw(k, ICON_ARROW_DOWN, ax - 20, cy + ch + 60, 40, k->th.contrast ? c->link : c->primary);
    int rw = lw * 70 / 100, rh = rw * 58 / 100;
    int label_h = k->th.type[TEXT_LABEL].line;
    int ry = cy + ch + 124;
    if (ry + rh + 32 + label_h > r.y + r.h - 24) {
        rh = r.y + r.h - 24 - label_h - 32 - ry;
        rw = rh * 100 / 58;
    }
    SDL_Rect reader = {r.x + (lw - rw) / 2, ry, rw, rh};
    art_reader(k, reader, true);
    struct text_style st = text_role(k, TEXT_LABEL, c->ink2);
    st.bold = true;
    st.align = ALIGN_CENTER;
    text_draw(k, tr("card.reader"), ax, reader.y + reader.h + 26, &st);
    /* right: where the reader is on this cabinet */
    int kw = (r.x + r.w - split) * 76 / 100;
    int kh = r.h - 2 * 48 - 2 * label_h - 16;
    if (kh > kw * 2)
        kh = kw * 2;
    SDL_Rect kiosk = {split + (r.x + r.w - split - kw) / 2, r.y + 48, kw, kh};
    art_kiosk(k, kiosk, ART_READER);
    struct text_style kt = text_role(k, TEXT_LABEL, k->th.contrast ? c->link : c->primary);
    kt.bold = true;
    kt.align = ALIGN_CENTER;
    text_box(k, tr("card.reader_where"), split + 12, kiosk.y + kiosk.h + 20, r.x + r.w - split - 24,
             &kt);
}

/* The waiting / problem line under the drawing. Returns its height. */
static int status(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    const struct flow *f = k->f;
    const char *title, *lead;
    uint32_t bg = c->surface, line = c->line, fg = c->ink;
    int ic = -1;
    if (!f->reader_connected) {
        title = tr("card.no_reader");
        lead = tr("card.no_reader_lead");
        bg = c->bad_bg, line = c->bad_line, fg = c->bad_fg, ic = ICON_ALERT_CIRCLE;
    } else if (f->card_notice == ERR_UNSUPPORTED) {
        /* Read fine, but a kind of card this kiosk cannot serve. */
        title = tr("card.unsupported");
        lead = tr("card.unsupported_lead");
        bg = c->warn_bg, line = c->warn_line, fg = c->warn_fg, ic = ICON_ALERT;
    } else if (f->card_notice) {
        title = tr("card.not_read");
        lead = tr("card.not_read_lead");
        bg = c->warn_bg, line = c->warn_line, fg = c->warn_fg, ic = ICON_ALERT;
    } else if (f->busy) {
        title = tr("card.reading");
        lead = tr("card.reading_lead");
    } else {
        title = tr("card.waiting");
        lead = tr("card.waiting_lead");
    }
    struct text_style t = text_role(k, TEXT_TITLE3, fg);
    struct text_style l = text_role(k, TEXT_CAPTION, k->th.contrast ? c->ink : c->ink2);
    int tx = r.x + 128, tw = r.w - 128 - 32;
    int h = 2 * 28 + text_box_height(k, title, tw, &t) + text_box_height(k, lead, tw, &l);
    r.h = h;
    if (k->th.edges)
        draw_rrect(k, kit_rect(r.x, r.y + 2, r.w, r.h), RADIUS_M, c->edge);
    draw_rrect_border(k, r, RADIUS_M, k->th.border, line, bg);
    if (ic >= 0)
        icon_draw(k, (enum icon)ic, r.x + 36, r.y + (h - 56) / 2, 56, fg);
    else
        widget_dots(k, r.x + 32, r.y + h / 2, 16, k->th.contrast ? c->link : c->primary);
    int y = r.y + 28;
    y += text_box(k, title, tx, y, tw, &t);
    text_box(k, lead, tx, y, tw, &l);
    kit_add(k, "card-status", title, UI_LABEL, r, IN_NONE, 0);
    return h;
}

static int demo_strip(struct kit *k, SDL_Rect r, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    int n = kit_demo_count();
    if (!k->f->demo || n <= 0)
        return 0;
    int cols = k->landscape && !k->th.elder ? 3 : 2; /* the 860 px column holds 2 in large type */
    int rows = (n + cols - 1) / cols;
    if (k->th.elder && rows > 2)
        rows = 2, n = 2 * cols;
    int bh = k->th.btn_h, gap = 24;
    struct text_style t = text_role(k, TEXT_LABEL, c->ink2);
    t.bold = true;
    int h = t.line + 12 + rows * bh + (rows - 1) * gap;
    if (!draw)
        return h;
    text_draw(k, tr("card.demo_title"), r.x, r.y, &t);
    int bw = (r.w - (cols - 1) * gap) / cols;
    for (int i = 0; i < n; i++) {
        char name[64], note[64], label[UI_WIDGET_LABEL_MAX], id[16];
        if (!kit_demo_label(i, name, sizeof name, note, sizeof note))
            continue;
        snprintf(id, sizeof id, "demo%d", i);
        snprintf(label, sizeof label, "%s", name);
        struct btn b = {.id = id,
                        .label = label,
                        .sub = note,
                        .style = BTN_QUIET,
                        .icon = -1,
                        .input = IN_DEMO_CARD,
                        .arg = i,
                        .role = TEXT_LABEL};
        SDL_Rect br = {r.x + (i % cols) * (bw + gap), r.y + t.line + 12 + (i / cols) * (bh + gap),
                       bw, bh};
        widget_button(k, br, &b);
        snprintf(k->widgets[k->nwidgets - 1].label, UI_WIDGET_LABEL_MAX, "%s %s", name, note);
    }
    return h;
}

void insert_card_draw(struct kit *k)
{
    SDL_Rect cr = k->content;
    const char *steps[3] = {tr("step.id_1"), tr("step.id_2"), tr("step.id_3")};
    bool progress = k->s && k->s->service == SERVICE_PROGRESS;
    struct btn no = {.id = "no-card",
                     .label = tr(progress ? "card.by_receipt" : "card.no_card"),
                     .style = BTN_QUIET,
                     .icon = ICON_QUESTION,
                     .input = IN_NO_CARD};
    int bh = k->th.btn_h;
    if (k->landscape) {
        int lw = 860;
        widget_stepper(k, cr.y, steps, 0);
        int y = cr.y + widget_stepper_height(k) + 24;
        SDL_Rect left = k->content;
        k->content.w = lw;
        y = chrome_title(k, y, tr("card.title"), tr("card.lead"));
        k->content = left;
        y += status(k, kit_rect(cr.x, y, lw, 0)) + 24;
        SDL_Rect ds = {cr.x, y, lw, 0};
        if (demo_strip(k, ds, false) <= cr.y + cr.h - bh - 24 - y)
            demo_strip(k, ds, true);
        widget_button(k, kit_rect(cr.x, cr.y + cr.h - bh, lw, bh), &no);
        illustration(k, kit_rect(cr.x + lw + 40, cr.y, cr.w - lw - 40, cr.h));
        return;
    }
    widget_stepper(k, cr.y, steps, 0);
    int y = cr.y + widget_stepper_height(k) + 32;
    y = chrome_title(k, y, tr("card.title"), tr("card.lead"));
    SDL_Rect ds = {cr.x, 0, cr.w, 0};
    int demo_h = demo_strip(k, ds, false);
    int bottom = cr.y + cr.h - bh;
    /* status height is measured by drawing off-screen first: keep it simple */
    int status_h = k->th.elder ? 220 : 150;
    int ill_h = bottom - y - status_h - 2 * 24 - (demo_h ? demo_h + 24 : 0) - 24;
    if (ill_h > 820)
        ill_h = 820;
    if (ill_h < 360) {
        /* elder mode with a demo strip: drop the drawing's height first */
        ill_h = 360;
    }
    illustration(k, kit_rect(cr.x, y, cr.w, ill_h));
    y += ill_h + 24;
    y += status(k, kit_rect(cr.x, y, cr.w, 0)) + 24;
    if (demo_h) {
        ds.y = y;
        demo_strip(k, ds, true);
    }
    widget_button(k, kit_rect(cr.x, bottom, cr.w, bh), &no);
}
