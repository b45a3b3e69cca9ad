/* records.c - 您名下共有 N 处不动产: one card per property with 坐落
 * (wrapped at an address boundary), 不动产单元号 grouped 6-6-7-9, 面积,
 * 用途 and the encumbrance chips; the whole card opens the detail. A
 * legend explains the chips. Pages instead of scrolling: 3 per page, and
 * 2 per page in elder mode with 上一页 / 下一页. Landscape puts the cards
 * side by side. No property: the 没有查到… sentence. UI thread.
 */
#include "ui/screens/screens.h"

#include "base/util.h"

#include "core/model.h"

#include <stdio.h>
#include <string.h>

/* "2025-09-16T09:43:00+08:00" -> "2025年9月16日 09:43" / "16 September
 * 2025 09:43" (short: "9月16日 09:43" / "16 Sep 09:43"; or as given). */
static void as_of_text(const char *iso, char *out, size_t size, bool short_form)
{
    i18n_when(out, size, iso, short_form ? I18N_DATE_DAY : I18N_DATE_FULL);
}

/* Chips of a property in one row (wrapping is not needed: 5 kinds max). */
static int chips(struct kit *k, const struct property *p, int x, int y, int maxw, bool draw)
{
    bool seen[ENC_KIND_COUNT] = {false};
    for (int i = 0; i < p->enc_count && i < PROPERTY_ENC_MAX; i++)
        if (p->enc[i].kind >= 0 && p->enc[i].kind < ENC_KIND_COUNT)
            seen[p->enc[i].kind] = true;
    int cx = x, rows = 1;
    bool any = false;
    for (int kind = 0; kind < ENC_KIND_COUNT; kind++) {
        if (!seen[kind])
            continue;
        any = true;
        char key[24];
        snprintf(key, sizeof key, "enc.%d", kind);
        if (draw)
            cx += widget_chip(k, cx, y, kind, tr(key)) + 12;
        else
            cx += 120;
        if (cx - x > maxw)
            rows++;
    }
    if (!any && draw)
        widget_chip(k, x, y, -1, tr("enc.none"));
    return rows * widget_chip_height(k);
}

static void field(struct kit *k, int x, int y, const char *label, const char *value, int lw,
                  const struct text_style *ls, const struct text_style *vs)
{
    text_draw(k, label, x, y + (vs->line - ls->line) / 2, ls);
    text_draw(k, value, x + lw, y, vs);
}

/* One record card; returns its height (measure when !draw). */
static int card(struct kit *k, int idx, SDL_Rect r, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    const struct property *p = &k->s->props.items[idx];
    bool elder = k->th.elder, land = k->landscape;
    char id[24], num[16], unit[40], area[64];
    snprintf(id, sizeof id, "record%d", idx);
    snprintf(num, sizeof num, "%d", idx + 1);
    art_unit_number(p->unit_number, unit, sizeof unit);
    i18n_subst(area, sizeof area, tr("records.area_value"), p->area, NULL, NULL);
    bool pressed = kit_pressed(k, id);
    int pad = 28, badge = elder ? 30 : 26;
    int tx = r.x + pad + 2 * badge + 20;
    int right = land ? 28 : (elder ? 28 : 110);
    int tw = r.x + r.w - tx - right;
    if (land)
        tx = r.x + pad, tw = r.w - 2 * pad;
    struct text_style t = text_role(k, TEXT_TITLE3, c->ink);
    t.address = true;
    struct text_style ls = text_role(k, TEXT_LABEL, c->ink3);
    struct text_style vs = text_role(k, TEXT_BODY, c->ink);
    int dy = pressed ? 2 : 0;
    int y = r.y + pad + dy;
    if (draw) {
        widget_card(k, r, pressed, false);
        widget_badge(k, r.x + pad + badge, y + t.line / 2, badge, num);
    }
    int title_x = land ? tx + 2 * badge + 16 : tx;
    int title_w = land ? tw - 2 * badge - 16 : tw;
    int th = text_box_height(k, p->location, title_w, &t);
    if (draw)
        text_box(k, p->location, title_x, y, title_w, &t);
    y += th + 12;
    const char *unit_label = tr("records.unit");
    int lw = text_width(k, unit_label, &ls) + 16;
    if (land || elder) {
        if (draw)
            text_draw(k, unit_label, tx, y, &ls);
        y += ls.line;
        if (draw)
            text_draw(k, unit, tx, y, &vs);
        y += vs.line + 8;
    } else {
        if (draw)
            field(k, tx, y, unit_label, unit, lw, &ls, &vs);
        y += vs.line + 4;
    }
    if (land) {
        int col = tw * 45 / 100;
        if (draw) {
            text_draw(k, tr("records.area"), tx, y, &ls);
            text_draw(k, tr("records.use"), tx + col, y, &ls);
            text_draw(k, area, tx, y + ls.line, &vs);
            text_draw(k, p->use, tx + col, y + ls.line, &vs);
        }
        y += ls.line + vs.line + 16;
    } else {
        const char *al = tr("records.area"), *ul = tr("records.use");
        int aw = elder ? text_width(k, al, &ls) + 16 : lw;
        if (draw) {
            field(k, tx, y, al, area, aw, &ls, &vs);
            int ux = tx + aw + text_width(k, area, &vs) + 48;
            field(k, ux, y, ul, p->use, text_width(k, ul, &ls) + 16, &ls, &vs);
        }
        y += vs.line + 12;
    }
    y += chips(k, p, tx, y, land ? tw : tw - 140, draw);
    y += pad;
    if (land && !elder) {
        /* divider and 查看详情 */
        if (draw) {
            draw_hline(k, tx, tx + tw, y - 8, 2, c->line);
            struct text_style lk = text_role(k, TEXT_BODY, c->link);
            lk.bold = true;
            text_draw(k, tr("records.details_long"), tx, y + 10, &lk);
            icon_draw(k, ICON_CHEVRON_R, tx + tw - 40, y + 12, 40, c->link);
        }
        y += 72;
    }
    if (draw && (!land || elder)) {
        struct text_style lk = text_role(k, TEXT_LABEL, c->link);
        lk.bold = true;
        if (elder) {
            int w = text_width(k, tr("records.details"), &lk);
            int by = r.y + r.h - pad - widget_chip_height(k) / 2 + dy;
            text_draw(k, tr("records.details"), r.x + r.w - pad - 44 - w, by - lk.line / 2, &lk);
            icon_draw(k, ICON_CHEVRON_R, r.x + r.w - pad - 40, by - 20, 40, c->link);
        } else {
            lk.align = ALIGN_CENTER;
            int cx = r.x + r.w - 56, cy = r.y + r.h / 2 + dy;
            icon_draw(k, ICON_CHEVRON_R, cx - 24, cy - 44, 48, c->link);
            text_draw(k, tr("records.details"), cx, cy + 8, &lk);
        }
    }
    if (draw) {
        /* The widget label is cut at its limit on a character boundary. */
        char label[UI_WIDGET_LABEL_MAX], full[UI_WIDGET_LABEL_MAX + sizeof p->location];
        snprintf(full, sizeof full, "%s %s", num, p->location);
        str_copy(label, sizeof label, full);
        kit_add(k, id, label, UI_CARD, r, IN_OPEN_RECORD, idx);
    }
    return y - r.y - dy;
}

static int legend(struct kit *k, int x, int y, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style hd = text_role(k, TEXT_LABEL, c->ink2);
    hd.bold = true;
    struct text_style g = text_role(k, TEXT_LABEL, c->ink2);
    static const int kinds[3] = {ENC_MORTGAGE, ENC_SEIZURE, ENC_OBJECTION};
    const uint32_t cols[3] = {c->warn_fg, c->bad_fg, c->vio_fg};
    static const enum icon icons[3] = {ICON_LOCK, ICON_PROHIBIT, ICON_FLAG};
    if (draw)
        text_draw(k, tr("records.legend"), x, y, &hd);
    int yy = y + hd.line + 4;
    for (int i = 0; i < 3; i++) {
        if (draw) {
            char key[24], gk[24];
            snprintf(key, sizeof key, "enc.%d", kinds[i]);
            snprintf(gk, sizeof gk, "enc.gloss_%d", kinds[i]);
            icon_draw(k, icons[i], x, yy + 4, 28, cols[i]);
            struct text_style w = g;
            w.bold = true;
            w.color = cols[i];
            int ww = text_draw(k, tr(key), x + 34, yy, &w);
            text_draw(k, tr(gk), x + 34 + ww + 16, yy, &g);
        }
        yy += g.line + 2;
    }
    return yy - y;
}

void screens_pager(struct kit *k, int y, int page, int pages, SDL_Rect cr)
{
    const struct theme_colors *c = &k->th.c;
    int bw = 260, bh = k->th.btn_h;
    struct btn prev = {.id = "page-prev",
                       .label = tr("records.prev"),
                       .style = BTN_SECONDARY,
                       .icon = ICON_CHEVRON_L,
                       .disabled = page <= 0,
                       .input = IN_PAGE,
                       .arg = -1};
    struct btn next = {.id = "page-next",
                       .label = tr("records.next"),
                       .style = BTN_SECONDARY,
                       .icon = ICON_CHEVRON_R,
                       .disabled = page >= pages - 1,
                       .input = IN_PAGE,
                       .arg = 1};
    widget_button(k, kit_rect(cr.x, y, bw, bh), &prev);
    widget_button(k, kit_rect(cr.x + cr.w - bw, y, bw, bh), &next);
    char p1[16], p2[16], txt[64];
    snprintf(p1, sizeof p1, "%d", page + 1);
    snprintf(p2, sizeof p2, "%d", pages);
    i18n_subst(txt, sizeof txt, tr("records.page"), p1, p2, NULL);
    struct text_style st = text_role(k, TEXT_TITLE3, c->ink);
    st.align = ALIGN_CENTER;
    text_draw(k, txt, cr.x + cr.w / 2, y + (bh - st.line) / 2, &st);
    kit_add(k, "page", txt, UI_LABEL, kit_rect(cr.x + bw + 24, y, cr.w - 2 * bw - 48, bh), IN_NONE,
            0);
}

void records_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    int n = s->has_props ? s->props.count : 0;
    if (n > PROPERTY_LIST_MAX)
        n = PROPERTY_LIST_MAX;
    struct btn print = {.id = "print",
                        .label = tr(n ? "records.print" : "records.print_none"),
                        .style = BTN_PRIMARY,
                        .icon = ICON_PRINTER,
                        .input = IN_PRINT_CERT};
    char when[64], meta[160], title[96], cnt[16];
    as_of_text(s->props.as_of, when, sizeof when, k->th.elder);
    i18n_subst(meta, sizeof meta, tr(k->th.elder ? "records.meta_elder" : "records.meta"), when,
               NULL, NULL);
    snprintf(cnt, sizeof cnt, "%d", n);
    if (n == 0) {
        int y = chrome_title(k, cr.y, tr("records.none_title"), tr("records.none_lead"));
        struct text_style m = text_role(k, TEXT_CAPTION, c->ink3);
        text_box(k, meta, cr.x, y, cr.w, &m);
        chrome_primary(k, &print);
        return;
    }
    i18n_subst(title, sizeof title, tr(k->th.elder ? "records.title_elder" : "records.title"), cnt,
               NULL, NULL);
    struct text_style t = text_role(k, TEXT_TITLE1, c->ink);
    struct text_style m = text_role(k, TEXT_CAPTION, c->ink3);
    int per = k->th.elder ? 2 : 3;
    (void)0;
    int pages = (n + per - 1) / per;
    int page = k->f->page;
    if (page < 0)
        page = 0;
    if (page >= pages)
        page = pages - 1;
    int first = page * per, last = first + per < n ? first + per : n;
    int ph = chrome_primary_height(k);
    int bh = k->th.btn_h;
    /* 放大查看 at the top right, beside the title; in portrait below it
     * when the title would need another line beside it */
    int zw = k->th.elder ? 330 : 280, zh = k->landscape ? k->th.target_min : bh;
    int narrow = cr.w - zw - 24;
    bool beside =
        k->landscape || text_box_lines(k, title, narrow, &t) <= text_box_lines(k, title, cr.w, &t);
    if (!beside)
        zh = k->th.target_min;
    if (k->landscape) {
        chrome_zoom_button(k, kit_rect(cr.x + cr.w - zw, cr.y, zw, zh));
        int tw = text_draw(k, title, cr.x, cr.y, &t);
        text_draw(k, meta, cr.x + tw + 32, cr.y + t.line - m.line - 4, &m);
        kit_add(k, "title", title, UI_LABEL, kit_rect(cr.x, cr.y, tw, t.line), IN_NONE, 0);
        int y = cr.y + (t.line > zh ? t.line : zh) + 24;
        int cw = (cr.w - (per - 1) * 32) / per;
        int ch = 0;
        for (int i = first; i < last; i++) {
            int h = card(k, i, kit_rect(0, 0, cw, 0), false);
            ch = h > ch ? h : ch;
        }
        for (int i = first; i < last; i++)
            card(k, i, kit_rect(cr.x + (i - first) * (cw + 32), y, cw, ch), true);
        y += ch + 24;
        if (pages > 1)
            screens_pager(k, cr.y + cr.h - bh, page, pages, kit_rect(cr.x, 0, cr.w - 560 - 48, 0));
        if (y - 24 > cr.y + cr.h - chrome_primary_height(k) - 24)
            kit_issue(k, "record cards run into the print button");
        /* the legend where the cards leave room for it (tall cards, as
         * long addresses make them, leave none: the chips say their
         * words, and the detail screen explains them) */
        if (!k->th.elder && pages == 1) {
            int lh = legend(k, 0, 0, false);
            if (y + lh <= cr.y + cr.h)
                legend(k, cr.x, cr.y + cr.h - lh, true);
        }
        chrome_primary(k, &print);
        return;
    }
    int y = cr.y;
    y += text_box(k, title, cr.x, y, beside ? narrow : cr.w, &t);
    kit_add(k, "title", title, UI_LABEL, kit_rect(cr.x, cr.y, beside ? narrow : cr.w, t.line),
            IN_NONE, 0);
    int zy = beside ? cr.y : y;
    chrome_zoom_button(k, kit_rect(cr.x + cr.w - zw, zy, zw, zh));
    y += text_box(k, meta, cr.x, y, narrow, &m) + 24;
    if (y < zy + zh + 24)
        y = zy + zh + 24;
    int bottom = cr.y + cr.h - ph - 32;
    if (pages > 1)
        bottom -= bh + 24;
    for (int i = first; i < last; i++) {
        SDL_Rect r = {cr.x, y, cr.w, 0};
        r.h = card(k, i, r, false);
        card(k, i, r, true);
        y += r.h + 24;
    }
    if (y - 24 > bottom)
        kit_issue(k, "record cards run past the print button");
    if (pages > 1)
        screens_pager(k, bottom + 24, page, pages, cr);
    if (!k->th.elder && pages == 1) {
        int lh = legend(k, 0, 0, false);
        if (y + lh <= bottom)
            legend(k, cr.x, y, true);
    }
    chrome_primary(k, &print);
}
