/* booked.c - 预约成功: the appointment as the slip prints it (number, day
 * and time, windows, the check-in code), the materials to bring, and the
 * truth about the slip. Then on to the rating. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

void booked_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    const struct ticket *t = &s->ticket;
    char lead[160];
    i18n_subst(lead, sizeof lead, tr("booked.lead"), t->phone_masked, NULL, NULL);
    int y = chrome_title(k, cr.y, tr("booked.title"), lead);
    kit_add(k, "lead", lead, UI_LABEL, kit_rect(cr.x, cr.y, cr.w, y - cr.y), IN_NONE, 0);
    struct text_style big = text_role(k, TEXT_TITLE1, c->primary);
    struct text_style body = text_role(k, TEXT_BODY, c->ink);
    struct text_style lab = text_role(k, TEXT_BODY, c->ink2);
    if (k->landscape)
        cr.w = cr.w / 2 - SP_24;
    int pad = 36, lw = k->th.elder ? 200 : 168, w = cr.w - 2 * pad - lw;
    char when[96];
    i18n_when(when, sizeof when, t->appointment, I18N_DATE_WEEKDAY);
    const char *rows[5][2] = {{tr("booked.service"), t->service_name},
                              {tr("booked.when"), when},
                              {tr("booked.windows"), t->windows_text},
                              {tr("booked.number"), t->number},
                              {tr("booked.code"), t->code}};
    int h = pad + big.line + SP_16;
    for (int i = 0; i < 5; i++)
        h += text_box_height(k, rows[i][1], w, &body) + SP_8;
    h += pad;
    widget_card_plain(k, kit_rect(cr.x, y, cr.w, h));
    int yy = y + pad;
    text_box(k, when, cr.x + pad, yy, cr.w - 2 * pad, &big);
    kit_add(k, "when", when, UI_LABEL, kit_rect(cr.x + pad, yy, cr.w, big.line), IN_NONE, 0);
    yy += big.line + SP_16;
    static const char *const ids[5] = {"service", "slot", "windows", "number", "code"};
    for (int i = 0; i < 5; i++) {
        text_draw(k, rows[i][0], cr.x + pad, yy, &lab);
        int th = text_box(k, rows[i][1], cr.x + pad + lw, yy, w, &body);
        kit_add(k, ids[i], rows[i][1], UI_LABEL, kit_rect(cr.x + pad + lw, yy, w, th), IN_NONE, 0);
        yy += th + SP_8;
    }
    if (k->landscape) {
        /* The card on the left; materials and the slip on the right. */
        cr.x = k->content.x + k->content.w / 2 + SP_24;
        cr.w = k->content.w / 2 - SP_24;
    } else {
        y += h + SP_24;
    }
    struct text_style hd = text_role(k, TEXT_TITLE3, c->ink);
    text_draw(k, tr("booked.bring"), cr.x, y, &hd);
    y += hd.line + SP_8;
    for (int i = 0; i < t->material_count; i++) {
        icon_draw(k, ICON_CHECK, cr.x, y + (body.line - 32) / 2, 32,
                  k->th.contrast ? c->link : c->primary);
        y += text_box(k, t->materials[i], cr.x + 48, y, cr.w - 48, &body) + SP_4;
    }
    y += SP_24;
    bool trouble = k->f->slip == FLOW_SLIP_PAPER_OUT || k->f->slip == FLOW_SLIP_COVER_OPEN ||
                   k->f->slip == FLOW_SLIP_OFFLINE || k->f->slip == FLOW_SLIP_FAILED ||
                   k->f->slip == FLOW_SLIP_EXPIRED;
    const char *msg = tr(k->f->slip == FLOW_SLIP_PRINTED ? "booked.printed"
                         : trouble                       ? "booked.no_slip"
                                                         : "booked.printing");
    struct text_style st = text_role(k, TEXT_TITLE3, trouble ? c->bad_fg : c->ink);
    icon_draw(k,
              trouble                           ? ICON_ALERT
              : k->f->slip == FLOW_SLIP_PRINTED ? ICON_CHECK_CIRCLE
                                                : ICON_PRINTER,
              cr.x, y + (st.line - 40) / 2, 40, trouble ? c->bad_fg : c->primary);
    int mh = text_box(k, msg, cr.x + 56, y, cr.w - 56, &st);
    kit_add(k, "slip", msg, UI_LABEL, kit_rect(cr.x + 56, y, cr.w - 56, mh), IN_NONE, 0);
    if (k->f->slip == FLOW_SLIP_PRINTING)
        kit_want_frame(k, 400);
    struct btn b = {.id = "booked-done",
                    .label = tr("booked.done"),
                    .style = BTN_PRIMARY,
                    .icon = -1,
                    .input = IN_CONTINUE};
    chrome_primary(k, &b);
}
