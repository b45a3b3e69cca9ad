/* bookings.c - 我的预约: the citizen's appointments from today on, each
 * with its time, number, windows and state in words; a booking still
 * booked offers 取消预约, which asks on the booking's own card before
 * anything happens. Nothing booked is said plainly. Pages, never smaller
 * type. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

static const char *state_key(const char *state)
{
    static const char *const states[][2] = {{"booked", "bookings.state.booked"},
                                            {"checked_in", "bookings.state.checked_in"},
                                            {"cancelled", "bookings.state.cancelled"},
                                            {"missed", "bookings.state.missed"}};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (strcmp(state, states[i][0]) == 0)
            return states[i][1];
    return "bookings.state.booked";
}

/* The question in place of the cancel button, in w at (x, y): 确定取消 /
 * 不取消. Returns its height (draw false: measure only). */
static int ask(struct kit *k, int x, int y, int w, bool draw)
{
    struct text_style q = text_role(k, TEXT_TITLE3, k->th.c.bad_fg);
    int qh = text_box_height(k, tr("bookings.ask"), w, &q), bh = k->th.btn_h;
    if (!draw)
        return qh + SP_16 + bh;
    text_box(k, tr("bookings.ask"), x, y, w, &q);
    kit_add(k, "ask", tr("bookings.ask"), UI_LABEL, kit_rect(x, y, w, qh), IN_NONE, 0);
    y += qh + SP_16;
    /* As the home question does: keeping is the primary, ending the secondary. */
    struct btn keep = {.id = "unbook-keep",
                       .label = tr("bookings.keep"),
                       .style = BTN_PRIMARY,
                       .icon = -1,
                       .input = IN_UNBOOK_KEEP};
    struct btn yes = {.id = "unbook-confirm",
                      .label = tr("bookings.confirm"),
                      .style = BTN_SECONDARY,
                      .icon = -1,
                      .input = IN_UNBOOK_CONFIRM};
    int bw = (w - 24) / 2;
    widget_button(k, kit_rect(x, y, bw, bh), &yes);
    widget_button(k, kit_rect(x + bw + 24, y, w - bw - 24, bh), &keep);
    return qh + SP_16 + bh;
}

/* What a booking offers: 取消预约 while booked, the question once asked,
 * nothing otherwise. Returns its height (draw false: measure only). */
static int actions(struct kit *k, int i, int x, int y, int w, bool draw)
{
    const struct ticket *t = &k->s->bookings.items[i];
    if (k->f->unbook == i + 1)
        return ask(k, x, y, w, draw);
    if (strcmp(t->state, "booked") != 0)
        return 0;
    if (draw) {
        char id[24];
        snprintf(id, sizeof id, "unbook%d", i);
        struct btn b = {.id = id,
                        .label = tr("bookings.cancel"),
                        .style = BTN_SECONDARY,
                        .icon = -1,
                        .input = IN_UNBOOK,
                        .arg = i};
        widget_button(k, kit_rect(x, y, w, k->th.btn_h), &b);
    }
    return k->th.btn_h;
}

/* One booking's card: its words, and its actions under them (portrait) or
 * on their right (landscape). Returns its height (draw false: measure). */
static int booking(struct kit *k, SDL_Rect r, int i, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    const struct ticket *t = &k->s->bookings.items[i];
    struct text_style name = text_role(k, TEXT_TITLE2, c->ink);
    struct text_style when = text_role(k, TEXT_TITLE3, c->primary);
    struct text_style body = text_role(k, TEXT_BODY, c->ink2);
    bool side = k->landscape;
    int pad = 28, aw = side ? 560 : r.w - 2 * pad, tw = side ? r.w - 2 * pad - aw - SP_24 : aw;
    int ax = side ? r.x + r.w - pad - aw : r.x + pad;
    /* The number and the counters wrap in their column, never under the
     * actions beside them. */
    char line[200];
    snprintf(line, sizeof line, "%s %s · %s %s", tr("bookings.number"), t->number,
             tr("bookings.windows"), t->windows_text);
    int text_h = name.line + when.line + text_box_height(k, line, tw, &body);
    int act_h = actions(k, i, 0, 0, aw, false);
    int h = side ? (text_h > act_h ? text_h : act_h) : text_h + (act_h ? SP_16 + act_h : 0);
    h += 2 * pad;
    if (!draw)
        return h;
    r.h = h;
    widget_card_plain(k, r);
    int y = r.y + pad;
    text_draw(k, t->service_name, r.x + pad, y, &name);
    /* The state in words, not by colour alone. */
    bool active = strcmp(t->state, "booked") == 0;
    const char *st = tr(state_key(t->state));
    struct text_style sst = text_role(k, TEXT_TITLE3, active ? c->ok_fg : c->ink3);
    sst.align = ALIGN_RIGHT;
    text_draw(k, st, r.x + pad + tw, y, &sst);
    char at[96];
    i18n_when(at, sizeof at, t->appointment, I18N_DATE_WEEKDAY);
    text_draw(k, at, r.x + pad, y + name.line, &when);
    char label[300], id[24];
    text_box(k, line, r.x + pad, y + name.line + when.line, tw, &body);
    snprintf(id, sizeof id, "booking%d", i);
    snprintf(label, sizeof label, "%s %s %s %s", t->service_name, at, t->number, st);
    kit_add(k, id, label, UI_LABEL, r, IN_NONE, 0);
    actions(k, i, ax, side ? r.y + (h - act_h) / 2 : y + text_h + SP_16, aw, true);
    return h;
}

/* How many cards from the first fit in room, one under another. */
static int fitting(struct kit *k, SDL_Rect col, int count, int room)
{
    int n = 0;
    for (int used = 0; n < count; n++) {
        used += booking(k, col, n, false) + SP_16;
        if (used - SP_16 > room)
            break;
    }
    return n;
}

void bookings_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    int y = screens_back(k, tr("bookings.back"));
    /* The lead gives way where it would leave no room for one whole
     * booking and the pager (landscape, large type, English). */
    const char *lead = tr("bookings.lead");
    if (k->landscape && s->has_bookings && s->bookings.count > 0) {
        struct text_style l = text_role(k, TEXT_LEAD, c->ink2);
        struct text_style t = text_role(k, TEXT_TITLE1, c->ink);
        SDL_Rect col = {cr.x, 0, cr.w - 560 - SP_24, 0};
        int below = y + text_box_height(k, tr("bookings.title"), cr.w, &t) + SP_8 / 2 +
                    text_box_height(k, lead, cr.w, &l) + SP_24;
        int pager = s->bookings.count > 1 ? k->th.btn_h + SP_24 : 0;
        if (fitting(k, col, 1, cr.y + cr.h - below - pager) < 1)
            lead = NULL;
    }
    y = chrome_title(k, y, tr("bookings.title"), lead);
    struct btn done = {.id = "bookings-done",
                       .label = tr("bookings.done"),
                       .style = BTN_PRIMARY,
                       .icon = -1,
                       .input = IN_CONTINUE};
    int top = chrome_primary(k, &done);
    if (!s->has_bookings || s->bookings.count == 0) {
        struct text_style t = text_role(k, TEXT_TITLE3, c->ink2);
        int h = text_box(k, tr("bookings.none"), cr.x, y, cr.w, &t);
        kit_add(k, "none", tr("bookings.none"), UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
        return;
    }
    /* Cards from the page's first while they fit, then the pager under
     * them; in landscape the cards and the pager keep left of the button. */
    SDL_Rect col = {cr.x, 0, k->landscape ? cr.w - 560 - SP_24 : cr.w, 0};
    int bottom = k->landscape ? cr.y + cr.h : top - SP_24;
    int count = s->bookings.count, per = fitting(k, col, count, bottom - y);
    if (per < count)
        per = fitting(k, col, count, bottom - y - k->th.btn_h - SP_24);
    if (per < 1)
        per = 1;
    int pages = (count + per - 1) / per, page = k->f->page < pages ? k->f->page : pages - 1;
    for (int i = page * per; i < count && i < (page + 1) * per; i++)
        y += booking(k, kit_rect(col.x, y, col.w, 0), i, true) + SP_16;
    if (pages > 1) {
        screens_pager(k, bottom - k->th.btn_h, page, pages, col);
        bottom -= k->th.btn_h + SP_24;
    }
    if (y - SP_16 > bottom)
        kit_issue(k, "a booking runs into the buttons");
}
