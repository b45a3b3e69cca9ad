/* record_detail.c - one property: every registered field as a label/value
 * list, then the 权利限制 panel whose left bar takes the colour of the
 * restriction, with the details of each. In elder mode the chip glosses
 * (the legend of the list screen) are explained here. UI thread.
 */
#include "ui/screens/screens.h"

#include "base/util.h"
#include "core/model.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "2020-03-01" -> "2020年3月1日" / "1 March 2020" (or as given). */
static void date_text(const char *iso, char *out, size_t size)
{
    int y, m, d;
    if (i18n_date_parse(iso, &y, &m, &d))
        i18n_date(out, size, y, m, d, I18N_DATE_FULL);
    else
        snprintf(out, size, "%s", iso);
}

/* 1,200,000.00 yuan; in Chinese from 10,000 yuan on, 120.00 万元, as the
 * registry's own papers write it. */
static void money_text(int64_t fen, char *out, size_t size)
{
    char num[32];
    if (i18n_get_lang() == I18N_ZH && fen >= 1000000) {
        snprintf(num, sizeof num, "%" PRId64 ".%02" PRId64, fen / 1000000, (fen / 10000) % 100);
        i18n_subst(out, size, tr("detail.wan_yuan"), num, NULL, NULL);
    } else {
        fmt_fen(fen, num, sizeof num);
        i18n_subst(out, size, tr("detail.yuan"), num, NULL, NULL);
    }
}

struct row {
    const char *label;
    char value[300];
};

static int rows_height(struct kit *k, const struct row *rows, int n, int vw,
                       const struct text_style *vs)
{
    int h = 0;
    for (int i = 0; i < n; i++)
        h += text_box_height(k, rows[i].value, vw, vs) + 6;
    return h;
}

static int draw_rows(struct kit *k, const struct row *rows, int n, int x, int y, int lw, int vw,
                     const struct text_style *ls, const struct text_style *vs)
{
    for (int i = 0; i < n; i++) {
        text_draw(k, rows[i].label, x, y, ls);
        int h = text_box(k, rows[i].value, x + lw, y, vw, vs);
        kit_add(k, "field", rows[i].label, UI_LIST, kit_rect(x, y, lw + vw, h), IN_NONE, 0);
        y += h + 6;
    }
    return y;
}

static uint32_t enc_color(const struct kit *k, int kind)
{
    const struct theme_colors *c = &k->th.c;
    switch (kind) {
    case ENC_MORTGAGE:
        return c->warn_line;
    case ENC_SEIZURE:
        return c->bad_line;
    case ENC_OBJECTION:
        return c->vio_line;
    case ENC_PREREG:
        return k->th.contrast ? c->link : c->primary;
    case ENC_RESIDENCE:
        return c->line_strong;
    default:
        return c->ok_line;
    }
}

static int enc_rows(const struct encumbrance *e, struct row *rows, bool brief)
{
    char key[32];
    int n = 0;
    snprintf(key, sizeof key, "detail.holder_%d", (int)e->kind);
    rows[n].label = tr(key);
    snprintf(rows[n++].value, sizeof rows[0].value, "%s", e->holder);
    if (e->certificate_number[0] && !brief) {
        rows[n].label = tr("detail.enc_number");
        snprintf(rows[n++].value, sizeof rows[0].value, "%s", e->certificate_number);
    }
    if (e->amount_fen > 0) {
        rows[n].label = tr("detail.amount");
        money_text(e->amount_fen, rows[n++].value, sizeof rows[0].value);
    }
    if (e->period[0]) {
        rows[n].label = tr("detail.period");
        snprintf(rows[n++].value, sizeof rows[0].value, "%s", e->period);
    }
    if (e->registered_at[0]) {
        rows[n].label = tr("detail.enc_registered");
        date_text(e->registered_at, rows[n++].value, sizeof rows[0].value);
    }
    if (e->note[0]) {
        rows[n].label = tr("detail.note");
        snprintf(rows[n++].value, sizeof rows[0].value, "%s", e->note);
    }
    return n;
}

/* The restrictions panel; returns its height. */
static int restrictions(struct kit *k, const struct property *p, SDL_Rect r, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style hd = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style ls = text_role(k, TEXT_BODY, c->ink2);
    ls.bold = true;
    struct text_style vs = text_role(k, TEXT_BODY, c->ink);
    struct text_style gs = text_role(k, TEXT_CAPTION, c->ink2);
    int pad = 32, bar = 10;
    int x = r.x + bar + pad, w = r.w - bar - 2 * pad;
    int lw = k->th.elder ? 220 : 170;
    int y = r.y + pad;
    int first_kind = p->enc_count > 0 ? (int)p->enc[0].kind : -1;
    if (draw) {
        draw_rrect_border(k, r, RADIUS_M, k->th.border, c->line, c->surface);
        draw_rrect(k, kit_rect(r.x, r.y, bar + RADIUS_M, r.h), RADIUS_M, enc_color(k, first_kind));
        draw_fill(k, kit_rect(r.x + bar, r.y + k->th.border, RADIUS_M, r.h - 2 * k->th.border),
                  c->surface);
        text_draw(k, tr("detail.restrictions"), x, y + 2, &hd);
    }
    int hw = text_width(k, tr("detail.restrictions"), &hd);
    int chip_y = y + (hd.line - widget_chip_height(k)) / 2 + 2;
    int counts[ENC_KIND_COUNT] = {0};
    for (int i = 0; i < p->enc_count && i < PROPERTY_ENC_MAX; i++)
        if (p->enc[i].kind >= 0 && p->enc[i].kind < ENC_KIND_COUNT)
            counts[p->enc[i].kind]++;
    int cx = x + hw + 20;
    for (int kind = 0; kind < ENC_KIND_COUNT; kind++) {
        if (!counts[kind])
            continue;
        char key[24], n[16], txt[48];
        snprintf(key, sizeof key, "enc.%d", kind);
        snprintf(n, sizeof n, "%d", counts[kind]);
        i18n_subst(txt, sizeof txt, tr("detail.count"), tr(key), n, NULL);
        if (draw)
            cx += widget_chip(k, cx, chip_y, kind, txt) + 12;
    }
    /* what is absent, in green words */
    if (p->enc_count > 0 && !k->th.elder) {
        const char *none = counts[ENC_SEIZURE] || counts[ENC_OBJECTION]
                               ? (counts[ENC_MORTGAGE] ? NULL : tr("detail.no_mortgage"))
                               : tr("detail.no_seizure");
        if (none && draw) {
            struct text_style ok = text_role(k, TEXT_LABEL, c->ok_fg);
            ok.bold = true;
            int ow = text_width(k, none, &ok);
            if (cx + 40 + ow < x + w) {
                icon_draw(k, ICON_CHECK_CIRCLE, x + w - ow - 40, y + (hd.line - 30) / 2 + 2, 30,
                          c->ok_fg);
                text_draw(k, none, x + w - ow, y + (hd.line - ok.line) / 2 + 2, &ok);
            }
        }
    }
    y += hd.line + 16;
    if (p->enc_count == 0) {
        if (draw)
            widget_chip(k, x, y, -1, tr("enc.none"));
        y += widget_chip_height(k) + pad;
        return y - r.y;
    }
    int max_shown = k->th.elder ? 1 : 2;
    int shown = p->enc_count < max_shown ? p->enc_count : max_shown;
    for (int i = 0; i < shown; i++) {
        struct row rows[6];
        int n = enc_rows(&p->enc[i], rows, k->th.elder);
        if (k->th.elder) {
            char gk[24];
            snprintf(gk, sizeof gk, "enc.gloss_%d", (int)p->enc[i].kind);
            if (draw)
                text_box(k, tr(gk), x, y, w, &gs);
            y += text_box_height(k, tr(gk), w, &gs) + 8;
        }
        if (draw)
            y = draw_rows(k, rows, n, x, y, lw, w - lw, &ls, &vs);
        else
            y += rows_height(k, rows, n, w - lw, &vs);
        y += 12;
    }
    if (p->enc_count > shown) {
        char more[64], n[16];
        snprintf(n, sizeof n, "%d", p->enc_count - shown);
        i18n_subst(more, sizeof more, tr("detail.more"), n, NULL, NULL);
        if (draw)
            text_draw(k, more, x, y, &gs);
        y += gs.line;
    }
    return y + pad - 12 - r.y;
}

static int info_rows(struct kit *k, const struct property *p, struct row *rows)
{
    int n = 0;
    char area[128];
    rows[n].label = tr("detail.cert_number");
    snprintf(rows[n++].value, sizeof rows[0].value, "%s", p->certificate_number);
    if (!k->th.elder) {
        rows[n].label = tr("records.unit");
        art_unit_number(p->unit_number, rows[n++].value, sizeof rows[0].value);
    }
    rows[n].label = tr("detail.owner");
    i18n_subst(rows[n++].value, sizeof rows[0].value, tr("detail.owner_value"), k->s->name_masked,
               p->ownership, NULL);
    if (p->co_owners[0]) {
        rows[n].label = tr("detail.co_owners");
        snprintf(rows[n++].value, sizeof rows[0].value, "%s", p->co_owners);
    }
    if (!k->th.elder) {
        rows[n].label = tr("detail.right_type");
        snprintf(rows[n++].value, sizeof rows[0].value, "%s", p->right_type);
    }
    if (!k->th.elder) {
        rows[n].label = tr("detail.right_nature");
        snprintf(rows[n++].value, sizeof rows[0].value, "%s", p->right_nature);
    }
    rows[n].label = tr("records.use");
    snprintf(rows[n++].value, sizeof rows[0].value, "%s", p->use);
    rows[n].label = tr("records.area");
    i18n_subst(area, sizeof area, tr("detail.area_value"), p->area, NULL, NULL);
    if (p->land_area[0]) {
        char land[128];
        i18n_subst(land, sizeof land, tr("detail.land_area_value"), p->land_area, NULL, NULL);
        snprintf(rows[n++].value, sizeof rows[0].value, "%s\n%s", area, land);
    } else {
        snprintf(rows[n++].value, sizeof rows[0].value, "%s", area);
    }
    if (!k->th.elder) {
        rows[n].label = tr("detail.registered");
        date_text(p->registered_at, rows[n++].value, sizeof rows[0].value);
    }
    return n;
}

void record_detail_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    int idx = s->selected;
    if (!s->has_props || idx < 0 || idx >= s->props.count || idx >= PROPERTY_LIST_MAX)
        return;
    const struct property *p = &s->props.items[idx];
    /* back link and position */
    struct btn back = {.id = "back",
                       .label = tr("detail.back"),
                       .style = BTN_QUIET,
                       .icon = ICON_CHEVRON_L,
                       .input = IN_BACK,
                       .role = TEXT_LABEL};
    int bw = k->th.elder ? 280 : 232, bh = k->th.target_min;
    widget_button(k, kit_rect(cr.x, cr.y, bw, bh), &back);
    k->widgets[k->nwidgets - 1].kind = UI_BUTTON;
    char pos[64], a[16], b[16];
    snprintf(a, sizeof a, "%d", idx + 1);
    snprintf(b, sizeof b, "%d", s->props.count);
    i18n_subst(pos, sizeof pos, tr("detail.position"), a, b, NULL);
    struct text_style ps = text_role(k, TEXT_BODY, c->ink3);
    text_draw(k, pos, cr.x + bw + 24, cr.y + (bh - ps.line) / 2, &ps);
    int zw = k->th.elder ? 330 : 280;
    chrome_zoom_button(k, kit_rect(cr.x + cr.w - zw, cr.y, zw, bh));
    int y = cr.y + bh + 32;
    struct text_style t = text_role(k, k->landscape ? TEXT_TITLE2 : TEXT_TITLE1, c->ink);
    t.address = true;
    int title_w = cr.w;
    y += text_box(k, p->location, cr.x, y, title_w, &t) + 24;
    kit_add(k, "title", p->location, UI_LABEL, kit_rect(cr.x, y, cr.w, t.line), IN_NONE, 0);

    struct row rows[10];
    int n = info_rows(k, p, rows);
    struct text_style hd = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style ls = text_role(k, TEXT_BODY, c->ink2);
    ls.bold = true;
    struct text_style vs = text_role(k, TEXT_BODY, c->ink);
    int pad = 36, lw = k->th.elder ? 260 : 224;
    int info_w = k->landscape ? (cr.w - 32) / 2 : cr.w;
    int vw = info_w - 2 * pad - lw;
    SDL_Rect info = {cr.x, y, info_w, 0};
    info.h = pad + hd.line + 12 + rows_height(k, rows, n, vw, &vs) + pad - 6;
    widget_card_plain(k, info);
    text_draw(k, tr("detail.info"), info.x + pad, info.y + pad, &hd);
    draw_rows(k, rows, n, info.x + pad, info.y + pad + hd.line + 12, lw, vw, &ls, &vs);
    SDL_Rect rr;
    if (k->landscape) {
        rr = kit_rect(cr.x + info_w + 32, y, info_w, 0);
    } else {
        rr = kit_rect(cr.x, y + info.h + 24, cr.w, 0);
    }
    rr.h = restrictions(k, p, rr, false);
    restrictions(k, p, rr, true);
    int bottom = k->landscape ? info.y + info.h : rr.y + rr.h;
    if (rr.y + rr.h > cr.y + cr.h || bottom > cr.y + cr.h)
        kit_issue(k, "record detail runs past the content area");
}
