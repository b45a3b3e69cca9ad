/* cert_preview.c - the page as it will print: a thumbnail of the composed
 * page (preview_argb), three checks of what it contains, the purpose,
 * copies 1-3, and the primary action naming the result: 打印证明（N 份）.
 * UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

static void thumbnail(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    const struct ui_view *v = &k->v;
    draw_fill(k, kit_rect(r.x - 2, r.y - 2, r.w + 4, r.h + 4), c->line_strong);
    draw_fill(k, r, 0xFFFFFF);
    if (v->preview_argb && v->preview_w > 0 && v->preview_h > 0) {
        if (!k->preview_tex || k->preview_src != v->preview_argb) {
            if (k->preview_tex)
                SDL_DestroyTexture(k->preview_tex);
            k->preview_tex =
                SDL_CreateTexture(k->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC,
                                  v->preview_w, v->preview_h);
            if (k->preview_tex)
                SDL_UpdateTexture(k->preview_tex, NULL, v->preview_argb, v->preview_w * 4);
            k->preview_src = v->preview_argb;
        }
        if (k->preview_tex)
            SDL_RenderCopy(k->r, k->preview_tex, NULL, &r);
        return;
    }
    /* not composed yet: a page outline, its title a dark bar and its text
     * grey lines (no words: words this small could not be read) */
    draw_fill(k, kit_rect(r.x + r.w / 5, r.y + 32, r.w * 3 / 5, 12), 0x17202B);
    for (int i = 0; i < 12; i++)
        draw_fill(k, kit_rect(r.x + 24, r.y + 72 + i * 20, r.w - 48 - (i % 3) * 30, 6), 0xC9D2DE);
    draw_ring(k, r.x + r.w - 60, r.y + r.h - 60, 28, 3, 0xC8102E);
}

void cert_preview_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    const char *steps[3] = {tr("step.print_1"), tr("step.print_2"), tr("step.print_3")};
    widget_stepper(k, cr.y, steps, 1);
    int y = chrome_title(k, cr.y + widget_stepper_height(k) + 32, tr("preview.title"),
                         tr("preview.lead"));
    int pad = 36;
    int tw = k->landscape ? 360 : 300, th = tw * 1414 / 1000;
    int cw = k->landscape ? 1200 : cr.w;
    int x = cr.x + pad + tw + 40, w = cr.x + cw - pad - x;
    struct text_style cap = text_role(k, TEXT_CAPTION, c->ink3);
    struct text_style t3 = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style body = text_role(k, TEXT_BODY, c->ink);

    int count = s->has_cert ? s->cert.props.count : (s->has_props ? s->props.count : 0);
    char n[16], line[128], pl[128] = "";
    snprintf(n, sizeof n, "%d", count);
    i18n_subst(line, sizeof line, tr(count ? "preview.check_props" : "preview.check_none"), n, NULL,
               NULL);
    const char *checks[3] = {line, tr("preview.check_masked"), tr("preview.check_qr")};
    if (s->purpose >= 0 && s->purpose < FLOW_PURPOSE_COUNT) {
        char key[16];
        snprintf(key, sizeof key, "purpose.%d", s->purpose);
        i18n_subst(pl, sizeof pl, tr("preview.purpose"), tr(key), NULL, NULL);
    }

    /* The card grows with its text (elder mode, English) so the copies
     * stepper never lands on the lines above it. */
    int text_h = cap.line + 4 + text_box_height(k, tr("preview.doc_title"), w, &t3) + 8;
    for (int i = 0; i < 3; i++)
        text_h += text_box_height(k, checks[i], w - 44, &body);
    if (pl[0])
        text_h += 8 + text_box_height(k, pl, w, &body);
    text_h += 4 + text_box_height(k, tr("preview.paper"), w, &cap) + 16 + k->th.target_min;
    SDL_Rect card = {cr.x, y, cw, (th > text_h ? th : text_h) + 2 * pad};
    widget_card_plain(k, card);
    thumbnail(k, kit_rect(card.x + pad, card.y + pad, tw, th));
    int yy = card.y + pad;
    text_draw(k, tr("preview.caption"), x, yy, &cap);
    yy += cap.line + 4;
    yy += text_box(k, tr("preview.doc_title"), x, yy, w, &t3) + 8;
    for (int i = 0; i < 3; i++) {
        icon_draw(k, ICON_CHECK, x, yy + (body.line - 32) / 2, 32, c->ok_fg);
        yy += text_box(k, checks[i], x + 44, yy, w - 44, &body);
    }
    if (pl[0]) {
        yy += 8;
        yy += text_box(k, pl, x, yy, w, &body);
    }
    yy += 4;
    yy += text_box(k, tr("preview.paper"), x, yy, w, &cap) + 16;
    struct text_style lab = text_role(k, TEXT_BODY, c->ink);
    lab.bold = true;
    int lw = text_width(k, tr("preview.copies"), &lab);
    int copies = s->copies >= 1 && s->copies <= 3 ? s->copies : 1;
    if (yy + k->th.target_min > card.y + card.h - pad)
        yy = card.y + card.h - pad - k->th.target_min;
    text_draw(k, tr("preview.copies"), x, yy + (k->th.target_min - lab.line) / 2, &lab);
    widget_plusminus(k, x + lw + 24, yy, copies, 1, 3, IN_COPIES);
    char cn[16], label[64];
    snprintf(cn, sizeof cn, "%d", copies);
    i18n_subst(label, sizeof label, tr("preview.print"), cn, NULL, NULL);
    struct btn b = {.id = "print-confirm",
                    .label = label,
                    .style = BTN_PRIMARY,
                    .icon = ICON_PRINTER,
                    .input = IN_PRINT_CONFIRM,
                    .busy = k->f->busy};
    /* Beside it: the same proof on the citizen's phone (电子证照). */
    struct btn phone = {.id = "phone-link",
                        .label = tr("preview.phone"),
                        .style = BTN_SECONDARY,
                        .icon = -1,
                        .input = IN_PHONE_LINK,
                        .disabled = k->f->busy};
    int top = chrome_primary_pair(k, &phone, &b);
    /* 放大查看: under the card (portrait), atop the right column (landscape) */
    int zw = k->th.elder ? 330 : 280, zh = k->th.btn_h;
    if (k->landscape)
        chrome_zoom_button(k, kit_rect(cr.x + cr.w - 560, card.y, 560, zh));
    else
        chrome_zoom_button(k, kit_rect(cr.x, card.y + card.h + 24, zw, zh));
    if (!k->landscape && card.y + card.h + 24 + zh > top - 24)
        kit_issue(k, "preview card runs into the print button");
}
