/* services.c - the hall's counter services as one list: read the guide
 * (办事指南), take a walk-in number (取号排队) or book (预约办理), whichever
 * the visit came for; the guide's copy is the registry's, kept by the app.
 * A ticket visit also offers check-in of a booking by card, a booking
 * visit the citizen's own appointments (list, cancel). Two columns
 * (one in elder mode), pages instead of scrolling. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

int screens_back(struct kit *k, const char *label)
{
    struct btn back = {.id = "back",
                       .label = label,
                       .style = BTN_QUIET,
                       .icon = ICON_CHEVRON_L,
                       .input = IN_BACK,
                       .role = TEXT_LABEL};
    int bw = k->th.elder ? 280 : 232, bh = k->th.target_min;
    /* as wide as a longer (English) label needs: chevron, gap, padding */
    struct text_style st = text_role(k, TEXT_LABEL, k->th.c.ink);
    int need = text_width(k, label, &st) + st.size + 10 + 16 + 2 * SP_24 + 8;
    if (need > bw)
        bw = need < k->content.w ? need : k->content.w;
    widget_button(k, kit_rect(k->content.x, k->content.y, bw, bh), &back);
    k->widgets[k->nwidgets - 1].kind = UI_BUTTON;
    return k->content.y + bh + SP_24;
}

static bool offered(enum session_service v, const struct service_info *si)
{
    return v == SERVICE_TICKET ? si->walk_in : v == SERVICE_BOOKING ? si->bookable : true;
}

static const char *title_key(enum session_service v)
{
    return v == SERVICE_TICKET    ? "services.title_ticket"
           : v == SERVICE_BOOKING ? "services.title_booking"
                                  : "services.title_guide";
}

static void entry(struct kit *k, SDL_Rect r, int i, const struct service_info *si)
{
    const struct theme_colors *c = &k->th.c;
    char id[UI_WIDGET_ID_MAX];
    snprintf(id, sizeof id, "svc-%.27s", si->code);
    bool pressed = kit_pressed(k, id);
    widget_card(k, r, pressed, false);
    int pad = 28, tw = r.w - 2 * pad - 48;
    struct text_style name = text_role(k, TEXT_TITLE2, c->ink);
    struct text_style sub = text_role(k, TEXT_CAPTION, c->ink3);
    int h = name.line + (k->th.elder ? 0 : sub.line);
    int y = r.y + (pressed ? 2 : 0) + (r.h - h) / 2;
    text_box(k, si->name, r.x + pad, y, tw, &name);
    if (!k->th.elder)
        text_box(k, si->time_limit, r.x + pad, y + name.line, tw, &sub);
    int cs = k->th.elder ? 48 : 40;
    icon_draw(k, ICON_CHEVRON_R, r.x + r.w - pad - cs, r.y + (r.h - cs) / 2, cs,
              k->th.contrast ? c->link : c->primary);
    kit_add(k, id, si->name, UI_TILE, r, IN_PICK_SERVICE, i);
}

void services_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    enum session_service v = k->s ? k->s->service : SERVICE_GUIDE;
    int y = screens_back(k, tr("services.back"));
    y = chrome_title(k, y, tr(title_key(v)),
                     tr(v == SERVICE_TICKET    ? "services.lead_ticket"
                        : v == SERVICE_BOOKING ? "services.lead_booking"
                                               : "services.lead_guide"));
    const struct service_list *l = k->f->services;
    if (!l || l->count == 0) {
        struct text_style t = text_role(k, TEXT_TITLE3, c->ink2);
        int h = text_box(k, tr("services.none"), cr.x, y, cr.w, &t);
        kit_add(k, "none", tr("services.none"), UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
        return;
    }
    /* As many as fit, a page at a time: never smaller type. */
    int cols = k->landscape ? 3 : (k->th.elder ? 1 : 2), gap = 24;
    int eh = k->th.elder ? 120 : 132;
    int ew = (cr.w - (cols - 1) * gap) / cols;
    bool extra = v == SERVICE_TICKET || v == SERVICE_BOOKING;
    int bottom = cr.y + cr.h - (extra ? k->th.primary_h + SP_24 : 0);
    int shown[SERVICE_LIST_MAX], count = 0;
    for (int i = 0; i < l->count; i++)
        if (offered(v, &l->items[i]))
            shown[count++] = i;
    int rows = (bottom - y + gap) / (eh + gap);
    if (rows * cols < count)
        rows = (bottom - y - k->th.btn_h - SP_24 + gap) / (eh + gap); /* room for the pager */
    int per = rows > 0 ? rows * cols : 1;
    if (count == 0) {
        struct text_style t = text_role(k, TEXT_TITLE3, c->ink2);
        int h = text_box(k, tr("services.none"), cr.x, y, cr.w, &t);
        kit_add(k, "none", tr("services.none"), UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
        return;
    }
    int pages = (count + per - 1) / per, page = k->f->page < pages ? k->f->page : pages - 1;
    for (int n = 0; n < per && page * per + n < count; n++) {
        int i = shown[page * per + n];
        SDL_Rect r = {cr.x + (n % cols) * (ew + gap), y + (n / cols) * (eh + gap), ew, eh};
        entry(k, r, i, &l->items[i]);
    }
    if (pages > 1)
        screens_pager(k, bottom - k->th.btn_h, page, pages, cr);
    if (extra) {
        bool ticket = v == SERVICE_TICKET;
        struct btn b = {.id = ticket ? "check-in" : "my-bookings",
                        .label = tr(ticket ? "services.check_in" : "services.my_bookings"),
                        .style = BTN_SECONDARY,
                        .icon = ticket ? ICON_IDCARD : ICON_CALENDAR,
                        .input = ticket ? IN_CHECK_IN : IN_MY_BOOKINGS};
        chrome_primary(k, &b);
    }
}
