/* phone.c - 请输入手机号码: the hall texts the booking to this number. The
 * digits typed so far in large type grouped 3-4-4, a keypad (删除, 确认),
 * and what is wrong with the number in words when 确认 cannot take it.
 * The number stays in the visit and is wiped with it. The entry itself
 * (screens_number_entry) serves the receipt screen too. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>
#include <string.h>

void screens_number_entry(struct kit *k, int y, const char *shown, const char *placeholder,
                          bool bad, const char *note)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    /* Landscape: the number and the note on the left, the keypad in a
     * column of its own on the right from the top of the content, so its
     * keys keep their size in large type; portrait: one under the other. */
    int kw = k->landscape ? 720 : cr.w;
    int lw = k->landscape ? cr.w - kw - SP_48 : cr.w;
    int bh = k->th.elder ? 136 : 120;
    SDL_Rect box = {cr.x, y, lw, bh};
    draw_rrect_border(k, box, RADIUS_M, 3, bad ? c->bad_fg : c->line_strong, c->surface);
    struct text_style num = text_role(k, TEXT_DISPLAY, c->ink);
    num.tabular = true;
    num.align = ALIGN_CENTER;
    const char *text = shown[0] ? shown : placeholder;
    if (!shown[0])
        num.color = c->ink3, num.size = num.size * 2 / 3, num.line = num.line * 2 / 3;
    text_draw(k, text, box.x + box.w / 2, box.y + (bh - num.line) / 2, &num);
    kit_add(k, "number", shown, UI_LABEL, box, IN_NONE, 0);
    y += bh + SP_16;
    struct text_style ns = text_role(k, TEXT_BODY, bad ? c->bad_fg : c->ink2);
    /* an error in words and with an icon, not by its colour alone */
    int is = bad ? ns.size : 0, ix = bad ? is + SP_12 : 0;
    if (bad)
        icon_draw(k, ICON_ALERT, cr.x, y + (ns.line - is) / 2, is, c->bad_fg);
    int h = text_box(k, note, cr.x + ix, y, lw - ix, &ns);
    kit_add(k, "note", note, UI_LABEL, kit_rect(cr.x, y, lw, h), IN_NONE, 0);
    y += h + SP_32;
    int kx = k->landscape ? cr.x + cr.w - kw : cr.x;
    int ky = k->landscape ? cr.y : y;
    int kh = cr.y + cr.h - ky;
    if (kh > (k->th.elder ? 720 : 640))
        kh = k->th.elder ? 720 : 640;
    widget_keypad(k, kit_rect(kx, ky, kw, kh), IN_KEY, "key");
}

void phone_draw(struct kit *k)
{
    const struct session *s = k->s;
    int y = screens_back(k, tr("phone.back"));
    char when[96];
    i18n_when(when, sizeof when, s->slot_text, I18N_DATE_WEEKDAY);
    y = chrome_title(k, y, tr("phone.title"), when);
    /* 138 1234 5678, with room for what is still to come. */
    char shown[32] = "";
    size_t n = strlen(s->phone), o = 0;
    for (size_t i = 0; i < n && o + 2 < sizeof shown; i++) {
        if (i == 3 || i == 7)
            shown[o++] = ' ';
        shown[o++] = s->phone[i];
    }
    shown[o] = '\0';
    bool bad = k->f->problem == PROBLEM_PHONE_INVALID;
    screens_number_entry(k, y, shown, tr("phone.placeholder"), bad,
                         tr(bad ? "phone.invalid" : "phone.why"));
}
