/* help.c - 使用帮助: how the kiosk is used, and the display settings that
 * must be one tap away (长辈模式, 高对比度, language). UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

static int setting(struct kit *k, SDL_Rect r, const char *id, const char *label, const char *desc,
                   bool on, enum flow_input in)
{
    const struct theme_colors *c = &k->th.c;
    bool pressed = kit_pressed(k, id);
    struct text_style t = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style s = text_role(k, TEXT_CAPTION, c->ink2);
    int tw = r.w - 2 * 32 - 140;
    r.h = 2 * 28 + t.line + text_box_height(k, desc, tw, &s);
    widget_card(k, r, pressed, false);
    int dy = pressed ? 2 : 0;
    text_draw(k, label, r.x + 32, r.y + 28 + dy, &t);
    text_box(k, desc, r.x + 32, r.y + 28 + t.line + dy, tw, &s);
    widget_switch(k, r.x + r.w - 32 - 104, r.y + (r.h - 56) / 2 + dy, 104, 56, on, c->line_strong);
    struct ui_widget *w = kit_add(k, id, label, UI_TOGGLE, r, in, 0);
    if (w)
        w->selected = on;
    return r.h;
}

void help_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    int y = chrome_title(k, cr.y, tr("help.title"), tr("help.lead"));
    bool land = k->landscape;
    int lw = land ? (cr.w - 40) / 2 : cr.w;
    /* how to use */
    struct text_style t = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style s = text_role(k, TEXT_BODY, c->ink2);
    int pad = 32, tx = cr.x + pad + 80, tw = lw - pad - 80 - pad;
    bool how = !k->th.elder;
    int h = pad + t.line + 16;
    for (int i = 1; i <= 4; i++) {
        char key[24];
        snprintf(key, sizeof key, "help.step%d", i);
        h += text_box_height(k, tr(key), tw, &s) + 20;
    }
    h += pad - 20;
    SDL_Rect card = {cr.x, y, lw, h};
    if (how) {
        widget_card_plain(k, card);
        text_draw(k, tr("help.how"), card.x + pad, card.y + pad, &t);
    }
    int yy = card.y + pad + t.line + 16;
    for (int i = 1; how && i <= 4; i++) {
        char key[24], num[16];
        snprintf(key, sizeof key, "help.step%d", i);
        snprintf(num, sizeof num, "%d", i);
        widget_badge(k, card.x + pad + 28, yy + s.line / 2, 24, num);
        yy += text_box(k, tr(key), tx, yy, tw, &s) + 20;
    }
    int sx = land ? cr.x + lw + 40 : cr.x;
    if (!how)
        h = -40;
    int sx2 = how ? sx : cr.x;
    (void)sx2;
    int sy = land || !how ? y : y + h + 40;
    if (!how)
        sx = cr.x;
    text_draw(k, tr("help.display"), sx, sy, &t);
    sy += t.line + 16;
    const struct flow *f = k->f;
    sy += setting(k, kit_rect(sx, sy, lw, 0), "set-elder", tr("header.elder"),
                  tr("help.elder_desc"), f->elder, IN_TOGGLE_ELDER) +
          24;
    sy += setting(k, kit_rect(sx, sy, lw, 0), "set-contrast", tr("help.contrast"),
                  tr("help.contrast_desc"), f->contrast, IN_TOGGLE_CONTRAST) +
          24;
    if (land && !how) {
        sx = cr.x + lw + 40;
        sy = y + t.line + 16;
    }
    sy += setting(k, kit_rect(sx, sy, lw, 0), "set-lang", tr("help.english"),
                  tr("help.english_desc"), f->english, IN_TOGGLE_LANG) +
          24;
    if (sy > cr.y + cr.h)
        kit_issue(k, "help settings run past the content");
}
