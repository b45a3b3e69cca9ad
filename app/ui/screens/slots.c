/* slots.c - 选择预约时间: the next working days as tabs, the chosen day's
 * time slots as large cards with the places left; a full slot says so
 * and cannot be tapped. When another kiosk took the last place a moment
 * ago, that is said on top and the slots shown are fresh. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

void slots_draw(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    const struct session *s = k->s;
    int y = screens_back(k, tr("slots.back"));
    const struct service_info *si = service_list_find(k->f->services, s->svc);
    char lead[160];
    i18n_subst(lead, sizeof lead, tr("slots.lead"), si ? si->name : s->svc, NULL, NULL);
    y = chrome_title(k, y, tr("slots.title"), lead);
    if (k->f->problem == PROBLEM_SLOT_FULL) {
        struct text_style n = text_role(k, TEXT_BODY, c->bad_fg);
        icon_draw(k, ICON_ALERT, cr.x, y + (n.line - 36) / 2, 36, c->bad_fg);
        int h = text_box(k, tr("slots.taken"), cr.x + 52, y, cr.w - 52, &n);
        kit_add(k, "notice", tr("slots.taken"), UI_LABEL, kit_rect(cr.x + 52, y, cr.w - 52, h),
                IN_NONE, 0);
        y += h + SP_16;
    }
    if (!s->has_slots || s->slots.day_count == 0) {
        struct text_style t = text_role(k, TEXT_TITLE3, c->ink2);
        int h = text_box(k, tr("slots.none"), cr.x, y, cr.w, &t);
        kit_add(k, "none", tr("slots.none"), UI_LABEL, kit_rect(cr.x, y, cr.w, h), IN_NONE, 0);
        return;
    }

    /* The days: a row of tabs. */
    int days = s->slots.day_count, gap = 16;
    int tw = (cr.w - (days - 1) * gap) / days, th = k->landscape ? 96 : (k->th.elder ? 128 : 112);
    struct text_style dst = text_role(k, TEXT_TITLE3, c->ink);
    dst.align = ALIGN_CENTER;
    struct text_style wst = text_role(k, TEXT_BODY, c->ink2);
    wst.align = ALIGN_CENTER;
    if (th < dst.line + wst.line) /* the day and its weekday inside the tab (large type) */
        th = dst.line + wst.line;
    for (int d = 0; d < days; d++) {
        const struct slot_day *day = &s->slots.days[d];
        char id[24], date[48], label[96], wkey[16];
        snprintf(id, sizeof id, "day%d", d);
        /* "9月18日" / "18 Sep" from the ISO date, the weekday below: both
         * in the visit's language (the registry's weekday is Chinese). */
        int yy, mon, dd;
        const char *wday = day->weekday;
        if (i18n_date_parse(day->date, &yy, &mon, &dd)) {
            i18n_date(date, sizeof date, yy, mon, dd, I18N_DATE_DAY);
            snprintf(wkey, sizeof wkey, "date.w%d", i18n_weekday(yy, mon, dd));
            wday = tr(wkey);
        } else {
            snprintf(date, sizeof date, "%s", day->date);
        }
        snprintf(label, sizeof label, "%s %s", date, wday);
        SDL_Rect r = {cr.x + d * (tw + gap), y, tw, th};
        bool sel = d == s->slot_day;
        widget_card(k, r, kit_pressed(k, id), sel);
        if (sel)
            draw_rrect_border(k, r, RADIUS_M, 4, k->th.contrast ? c->link : c->primary, c->tint);
        int ty = r.y + (th - dst.line - wst.line) / 2;
        text_draw(k, date, r.x + tw / 2, ty, &dst);
        if (sel) { /* not by colour alone: a check before the weekday */
            int cs = wst.size, ww = text_width(k, wday, &wst), x0 = r.x + (tw - cs - 6 - ww) / 2;
            SDL_Rect m = {x0, ty + dst.line + (wst.line - cs) / 2, cs, cs};
            icon_draw(k, ICON_CHECK, m.x, m.y, cs, k->th.contrast ? c->link : c->primary);
            widget_selected_mark(k, m);
            text_draw(k, wday, x0 + cs + 6 + ww / 2, ty + dst.line, &wst);
        } else {
            text_draw(k, wday, r.x + tw / 2, ty + dst.line, &wst);
        }
        struct ui_widget *w = kit_add(k, id, label, UI_OPTION, r, IN_SLOT_DAY, d);
        if (w)
            w->selected = sel;
    }
    y += th + (k->landscape ? SP_24 : SP_32);

    /* The slots of the day shown. */
    const struct slot_day *day = &s->slots.days[s->slot_day];
    int cols = k->landscape ? 3 : 2, sh = k->landscape ? 104 : (k->th.elder ? 144 : 128);
    int sw = (cr.w - (cols - 1) * 24) / cols;
    int sgap = k->landscape ? 16 : 24;
    struct text_style time = text_role(k, TEXT_TITLE2, c->ink);
    struct text_style left = text_role(k, TEXT_BODY, c->ok_fg);
    struct text_style full = text_role(k, TEXT_BODY, c->dis_fg);
    if (sh < time.line + left.line) /* the time and the places inside (large type) */
        sh = time.line + left.line;
    for (int i = 0; i < day->slot_count; i++) {
        const struct slot *sl = &day->slots[i];
        SDL_Rect r = {cr.x + (i % cols) * (sw + 24), y + (i / cols) * (sh + sgap), sw, sh};
        if (r.y + r.h > cr.y + cr.h) {
            kit_issue(k, "slots run past the screen (%d of %d shown)", i, day->slot_count);
            break;
        }
        char id[24], when[32], places[64], label[96], n[16];
        snprintf(id, sizeof id, "slot%d", i);
        snprintf(when, sizeof when, "%s–%s", sl->start, sl->end);
        bool open = sl->remaining > 0;
        i18n_subst(places, sizeof places, tr(open ? "slots.left" : "slots.full"),
                   kit_itoa(n, sizeof n, sl->remaining), NULL, NULL);
        snprintf(label, sizeof label, "%s %s", when, places);
        if (open) {
            bool pressed = kit_pressed(k, id);
            widget_card(k, r, pressed, false);
        } else {
            draw_rrect_dashed(k, r, RADIUS_M, c->dis_fg, k->th.contrast ? 0x000000 : 0xF7F8FA);
        }
        int ty = r.y + (r.h - time.line - left.line) / 2;
        struct text_style t = time;
        if (!open)
            t.color = c->ink2;
        text_draw(k, when, r.x + 28, ty, &t);
        text_draw(k, places, r.x + 28, ty + time.line, open ? &left : &full);
        struct ui_widget *w = kit_add(k, id, label, UI_OPTION, r, IN_SLOT, i);
        if (w && !open)
            w->enabled = false;
    }
}
