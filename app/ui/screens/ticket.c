/* ticket.c - a queue number for the counter (the route without a face
 * scan): the number at the largest size on screen, people ahead and the
 * wait, the windows, and the truth about the slip (printing, printed, or
 * waiting for paper with the number kept). The number is on screen
 * before any paper moves, so a printer fault never costs the citizen
 * their place. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

static const char *slip_key(enum flow_slip s)
{
    switch (s) {
    case FLOW_SLIP_PRINTED:
        return "slip.printed";
    case FLOW_SLIP_PAPER_OUT:
        return "slip.paper_out";
    case FLOW_SLIP_COVER_OPEN:
        return "slip.cover_open";
    case FLOW_SLIP_OFFLINE:
        return "slip.offline";
    case FLOW_SLIP_FAILED:
        return "slip.failed";
    case FLOW_SLIP_EXPIRED:
        return "slip.expired";
    default:
        return "slip.printing";
    }
}

void ticket_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct flow *f = k->f;
    const struct session *s = k->s;
    if (f->busy || !s || !s->has_ticket) {
        int cy = cr.y + cr.h * 38 / 100;
        widget_spinner(k, cr.x + cr.w / 2, cy, 64);
        struct text_style t = text_role(k, TEXT_TITLE1, c->ink);
        t.align = ALIGN_CENTER;
        text_box(k, tr("ticket.taking"), cr.x, cy + 112, cr.w, &t);
        kit_add(k, "taking", tr("ticket.taking"), UI_LABEL, kit_rect(cr.x, cy, cr.w, 200), IN_NONE,
                0);
        return;
    }
    const struct ticket *tk = &s->ticket;
    int w = k->landscape ? 1100 : cr.w;
    SDL_Rect save = k->content;
    k->content.w = w;
    char lead[128];
    /* A checked-in appointment: a priority number, and the booked time. */
    bool checked_in = tk->appointment[0] != '\0';
    char when[96];
    i18n_when(when, sizeof when, tk->appointment, I18N_DATE_WEEKDAY);
    i18n_subst(lead, sizeof lead, tr(checked_in ? "ticket.lead_checkin" : "ticket.lead"),
               tk->windows_text, when, NULL);
    int y = chrome_title(k, cr.y, tr(checked_in ? "ticket.title_checkin" : "ticket.title"), lead);
    kit_add(k, "lead", lead, UI_LABEL, kit_rect(cr.x, cr.y, w, y - cr.y), IN_NONE, 0);
    k->content = save;

    /* The number, as large as the screen allows: what the citizen keeps. */
    struct text_style num = text_role(k, TEXT_DISPLAY, c->primary);
    num.size = k->th.elder ? 200 : 176;
    num.line = num.size * 5 / 4;
    num.align = ALIGN_CENTER;
    num.tabular = true;
    struct text_style body = text_role(k, TEXT_LEAD, c->ink);
    body.align = ALIGN_CENTER;
    struct text_style cap = text_role(k, TEXT_BODY, c->ink2);
    cap.align = ALIGN_CENTER;
    char ahead[16], wait[16], line[128];
    i18n_subst(line, sizeof line, tr("ticket.ahead"), kit_itoa(ahead, sizeof ahead, tk->ahead),
               kit_itoa(wait, sizeof wait, tk->wait_minutes), NULL);
    int pad = 40;
    int h = pad + num.line + body.line + 16 +
            text_box_height(k, tk->service_name, w - 2 * pad, &cap) +
            text_box_height(k, tk->time_limit, w - 2 * pad, &cap) + pad;
    SDL_Rect card = {cr.x, y, w, h};
    widget_card_plain(k, card);
    int yy = card.y + pad;
    text_draw(k, tk->number, card.x + w / 2, yy, &num);
    kit_add(k, "number", tk->number, UI_LABEL, kit_rect(card.x, yy, w, num.line), IN_NONE, 0);
    yy += num.line;
    text_box(k, line, card.x + pad, yy, w - 2 * pad, &body);
    kit_add(k, "ahead", line, UI_LABEL, kit_rect(card.x, yy, w, body.line), IN_NONE, 0);
    yy += body.line + 16;
    yy += text_box(k, tk->service_name, card.x + pad, yy, w - 2 * pad, &cap);
    text_box(k, tk->time_limit, card.x + pad, yy, w - 2 * pad, &cap);

    /* The slip: printing, printed, or kept until the printer is back. */
    y = card.y + card.h + 32;
    bool trouble = f->slip == FLOW_SLIP_PAPER_OUT || f->slip == FLOW_SLIP_COVER_OPEN ||
                   f->slip == FLOW_SLIP_OFFLINE || f->slip == FLOW_SLIP_FAILED ||
                   f->slip == FLOW_SLIP_EXPIRED;
    struct text_style st = text_role(k, TEXT_TITLE3, trouble ? c->bad_fg : c->ink);
    const char *msg = tr(slip_key(f->slip));
    int icon_x = cr.x, text_x = cr.x + 56;
    icon_draw(k,
              trouble                        ? ICON_ALERT
              : f->slip == FLOW_SLIP_PRINTED ? ICON_CHECK_CIRCLE
                                             : ICON_PRINTER,
              icon_x, y + (st.line - 40) / 2, 40,
              trouble                        ? c->bad_fg
              : f->slip == FLOW_SLIP_PRINTED ? c->ok_fg
                                             : c->primary);
    int mh = text_box(k, msg, text_x, y, w - 56, &st);
    kit_add(k, "slip", msg, UI_LABEL, kit_rect(text_x, y, w - 56, mh), IN_NONE, 0);
    y += mh + 8;
    if (trouble && f->slip != FLOW_SLIP_FAILED) {
        /* Waiting: it prints if the printer is back in time. Withdrawn: it
         * never prints, and the number on screen is still theirs. */
        struct text_style sub = text_role(k, TEXT_BODY, c->ink2);
        text_box(k, tr(f->slip == FLOW_SLIP_EXPIRED ? "slip.expired_sub" : "slip.waiting"), text_x,
                 y, w - 56, &sub);
    }
    if (f->slip == FLOW_SLIP_PRINTING)
        kit_want_frame(k, 400); /* the waiting dots in the button below */

    struct btn b = {.id = "ticket-done",
                    .label = tr("ticket.done"),
                    .style = BTN_PRIMARY,
                    .icon = -1,
                    .input = IN_LEAVE_NOW};
    int top = chrome_primary(k, &b);
    /* Rating is offered, never in the way. */
    struct btn rate = {.id = "ticket-rate",
                       .label = tr("ticket.rate"),
                       .style = BTN_QUIET,
                       .icon = ICON_SMILE,
                       .input = IN_CONTINUE,
                       .role = TEXT_LABEL};
    int rw = k->th.elder ? 360 : 320;
    widget_button(
        k, kit_rect(cr.x + cr.w - rw, top - k->th.target_min - SP_16, rw, k->th.target_min), &rate);
}
