/* home.c - 您好！请选择要办理的业务: the hero tile 查询不动产, the other
 * services as tiles, the registry's notice and the opening hours (the
 * configured hours while the registry's are not known). Elder mode: one column of big
 * tiles, plainer words, a one-line notice. Landscape: greeting and notice
 * on the left, tiles on the right. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>

struct tile_def {
    const char *id;
    enum icon icon;
    const char *name, *desc, *desc_elder;
    int service;
};

static const struct tile_def tiles[] = {
    {"print", ICON_PRINTER, "home.print", "home.print_desc", "home.print_desc_elder",
     SERVICE_PRINT_CERT},
    {"ticket", ICON_TICKET, "home.ticket", "home.ticket_desc", "home.ticket_desc_elder",
     SERVICE_TICKET},
    {"booking", ICON_CALENDAR, "home.booking", "home.booking_desc", "home.booking_desc_elder",
     SERVICE_BOOKING},
    {"progress", ICON_CLOCK, "home.progress", "home.progress_desc", "home.progress_desc_elder",
     SERVICE_PROGRESS},
    {"guide", ICON_BOOK, "home.guide", "home.guide_desc", "home.guide_desc", SERVICE_GUIDE},
    {"rate", ICON_SMILE, "home.rate", "home.rate_desc", "home.rate_desc", SERVICE_RATE},
};

static bool off(const struct kit *k, int service)
{
    return k->f && (k->f->services_off & (1u << service));
}

/* A service the registry's settings switched off here keeps its place, so
 * the others do not move: a dashed, greyed card that says so, and takes
 * no tap (the flow refuses it too). */
static void off_tile(struct kit *k, SDL_Rect r, const char *id, enum icon ic, const char *name_key)
{
    const struct theme_colors *c = &k->th.c;
    draw_rrect_dashed(k, r, RADIUS_M, c->dis_fg, c->dis_bg);
    int ps = r.h >= 160 ? (k->th.elder ? 96 : 88) : 64;
    int pad = r.h >= 160 ? 28 : 24;
    SDL_Rect plate = {r.x + pad, r.y + (r.h - ps) / 2, ps, ps};
    icon_plate(k, ic, plate, c->dis_bg, c->dis_fg);
    int tx = plate.x + ps + 20, tw = r.x + r.w - tx - 24;
    struct text_style name = text_role(k, TEXT_TITLE2, c->dis_fg);
    struct text_style note = text_role(k, TEXT_CAPTION, c->dis_fg);
    const char *why = tr(r.h >= 160 ? "home.off" : "home.off_short"); /* light tiles: short */
    int h = text_box_height(k, tr(name_key), tw, &name) + text_box_height(k, why, tw, &note);
    if (h > r.h - 16) { /* a light tile in elder mode: the name a size down */
        name = text_role(k, TEXT_BODY, c->dis_fg);
        h = text_box_height(k, tr(name_key), tw, &name) + text_box_height(k, why, tw, &note);
    }
    int y = r.y + (r.h - h) / 2;
    if (h > r.h - 16)
        kit_issue(k, "tile %s text too tall", id);
    y += text_box(k, tr(name_key), tx, y, tw, &name);
    text_box(k, why, tx, y, tw, &note);
    struct ui_widget *w = kit_add(k, id, tr(name_key), UI_TILE, r, IN_NONE, 0);
    if (w)
        w->enabled = false;
}

static void hero(struct kit *k, SDL_Rect r)
{
    const struct theme_colors *c = &k->th.c;
    if (off(k, SERVICE_QUERY)) {
        off_tile(k, r, "query", ICON_HOUSE_SEARCH, "home.query");
        return;
    }
    bool pressed = kit_pressed(k, "query");
    bool elder = k->th.elder;
    SDL_Rect s = r;
    if (pressed) {
        s.y += 2;
        draw_rrect(k, s, RADIUS_M, c->primary_press);
    } else {
        if (k->th.edges)
            draw_rrect(k, kit_rect(r.x, r.y + 2, r.w, r.h), RADIUS_M, c->primary_edge);
        draw_rrect(k, r, RADIUS_M, c->primary);
    }
    int ps = elder ? 112 : 136;
    SDL_Rect plate = {s.x + 40, s.y + (r.h - ps) / 2, ps, ps};
    draw_rrect(k, plate, ps / 4, k->th.contrast ? 0x000000 : 0xFFFFFF);
    int is = ps * 62 / 100;
    icon_draw(k, ICON_HOUSE_SEARCH, plate.x + (ps - is) / 2, plate.y + (ps - is) / 2, is,
              k->th.contrast ? c->link : c->primary);
    int tx = plate.x + ps + 32, tw = r.x + r.w - tx - 100;
    struct text_style name = text_role(k, TEXT_HERO, c->on_primary);
    struct text_style desc = text_role(k, TEXT_BODY, c->hero_desc);
    struct text_style need = text_role(k, TEXT_CAPTION, c->hero_desc);
    const char *d = tr(elder ? "home.query_desc_elder" : "home.query_desc");
    int h = name.line + text_box_height(k, d, tw, &desc) + (elder ? 0 : need.line + 4);
    int y = s.y + (r.h - h) / 2;
    text_draw(k, tr("home.query"), tx, y, &name);
    y += name.line;
    y += text_box(k, d, tx, y, tw, &desc);
    if (!elder) {
        icon_draw(k, ICON_IDCARD, tx, y + 4 + (need.line - 30) / 2, 30, c->hero_desc);
        text_draw(k, tr("home.need_id"), tx + 40, y + 4, &need);
    }
    icon_draw(k, ICON_CHEVRON_R, r.x + r.w - 84, s.y + (r.h - 56) / 2, 56, c->on_primary);
    kit_add(k, "query", tr("home.query"), UI_TILE, r, IN_SERVICE, SERVICE_QUERY);
}

static void tile(struct kit *k, SDL_Rect r, const struct tile_def *t, bool light)
{
    const struct theme_colors *c = &k->th.c;
    if (off(k, t->service)) {
        off_tile(k, r, t->id, t->icon, t->name);
        return;
    }
    bool elder = k->th.elder;
    bool pressed = kit_pressed(k, t->id);
    SDL_Rect s = r;
    widget_card(k, r, pressed, false);
    if (pressed)
        s.y += 2;
    int ps = light ? (elder ? 80 : 72) : (elder ? 112 : 88);
    int pad = light ? 24 : (elder ? 32 : 28);
    SDL_Rect plate = {s.x + pad, s.y + (r.h - ps) / 2, ps, ps};
    icon_plate(k, t->icon, plate, c->tint, k->th.contrast ? c->link : c->primary);
    int tx = plate.x + ps + (light ? 20 : 24);
    int tw = r.x + r.w - tx - 64;
    struct text_style name = text_role(k, TEXT_TITLE2, c->ink);
    if (light && !elder) {
        name.size = 34;
        name.line = 46;
    }
    struct text_style desc = text_role(k, TEXT_CAPTION, c->ink3);
    if (elder && !light)
        desc = text_role(k, TEXT_CAPTION, c->ink2);
    const char *d = light && elder ? NULL : tr(elder ? t->desc_elder : t->desc);
    /* a longer name (English) takes two lines and pushes the description down */
    int nh = text_box_height(k, tr(t->name), tw, &name);
    int h = nh + (d ? text_box_height(k, d, tw, &desc) : 0);
    int y = s.y + (r.h - h) / 2;
    if (h > r.h - 16)
        kit_issue(k, "tile %s text too tall", t->id);
    text_box(k, tr(t->name), tx, y, tw, &name);
    y += nh;
    if (d)
        text_box(k, d, tx, y, tw, &desc);
    int cs = elder ? 48 : 40;
    icon_draw(k, ICON_CHEVRON_R, r.x + r.w - 24 - cs, s.y + (r.h - cs) / 2, cs,
              k->th.contrast ? c->link : c->primary);
    kit_add(k, t->id, tr(t->name), UI_TILE, r, IN_SERVICE, t->service);
}

/* While the registry is out of reach the notice says so, and what still
 * works; otherwise the registry's notice, or "" while it is not known
 * (nothing stale is shown in its place). */
static bool offline(const struct kit *k)
{
    return !k->f->registry_connected;
}

static const char *notice_text(const struct kit *k)
{
    static const char *const presets[SETTINGS_NOTICE_PRESETS] = {
        "settings.notice_text.0", "settings.notice_text.1", "settings.notice_text.2"};
    if (offline(k))
        return tr("home.offline");
    /* Staff may show one of the kiosk's own notices instead, or none. */
    int chosen = k->v.settings ? k->v.settings->notice : SETTINGS_NOTICE_REGISTRY;
    if (chosen == SETTINGS_NOTICE_NONE)
        return "";
    if (chosen >= 2 && chosen < SETTINGS_NOTICE_COUNT)
        return tr(presets[chosen - 2]);
    return k->v.notice ? k->v.notice->notice : "";
}

static void notice_icon(struct kit *k, int x, int y, int size)
{
    const struct theme_colors *c = &k->th.c;
    if (offline(k))
        icon_draw(k, ICON_CLOUD_OFF, x, y, size, c->bad_fg);
    else
        icon_draw(k, ICON_INFO, x, y, size, k->th.contrast ? c->link : c->primary);
}

/* Office hours: the registry's rows, else the configured strings. */
static int hours_rows(const struct kit *k, const char *rows[NOTICE_HOURS_MAX][2])
{
    const struct hall_notice *n = k->v.notice;
    if (n && n->hours_count > 0) {
        for (int i = 0; i < n->hours_count; i++) {
            rows[i][0] = n->hours[i].label;
            rows[i][1] = n->hours[i].text;
        }
        return n->hours_count;
    }
    rows[0][0] = tr("home.hours_window_label");
    rows[0][1] = tr("home.hours_window");
    rows[1][0] = tr("home.hours_kiosk_label");
    rows[1][1] = tr("home.hours_kiosk");
    return 2;
}

static int notice(struct kit *k, SDL_Rect r, bool draw)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style hd = text_role(k, TEXT_TITLE3, c->ink);
    hd.size = 30;
    hd.line = 44;
    struct text_style body = text_role(k, TEXT_BODY, c->ink);
    struct text_style lab = text_role(k, TEXT_BODY, c->ink2);
    int pad = 28, tx = r.x + pad + 48, tw = r.w - 2 * pad - 48;
    int y = r.y + pad;
    int lw = k->landscape ? 120 : 168;
    if (draw)
        widget_card_plain(k, r);
    const char *text = notice_text(k);
    if (text[0]) {
        if (draw) {
            notice_icon(k, r.x + pad, y + 4, 36);
            text_draw(k, tr(offline(k) ? "home.offline_title" : "home.notice_title"), tx, y, &hd);
            int h = text_box(k, text, tx, y + hd.line + 4, tw, &body);
            kit_add(k, "notice", text, UI_LABEL, kit_rect(tx, y + hd.line + 4, tw, h), IN_NONE, 0);
        }
        y += hd.line + 4 + text_box_height(k, text, tw, &body) + SP_24;
    }
    if (draw) {
        icon_draw(k, ICON_CLOCK, r.x + pad, y + 4, 36, c->ink2);
        text_draw(k, tr("home.hours_title"), tx, y, &hd);
    }
    y += hd.line + 4;
    const char *rows[NOTICE_HOURS_MAX][2];
    int n = hours_rows(k, rows);
    for (int i = 0; i < n; i++) {
        int h = text_box_height(k, rows[i][1], tw - lw, &body);
        if (draw) {
            text_draw(k, rows[i][0], tx, y, &lab);
            text_box(k, rows[i][1], tx + lw, y, tw - lw, &body);
        }
        y += h;
    }
    return y + pad - r.y;
}

static void portrait(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    bool elder = k->th.elder;
    SDL_Rect cr = k->content;
    int y = chrome_title(k, cr.y, tr(elder ? "home.title_elder" : "home.title"),
                         tr(elder ? "home.lead_elder" : "home.lead"));
    int hh = elder ? 172 : 252;
    hero(k, kit_rect(cr.x, y, cr.w, hh));
    y += hh + (elder ? 24 : 28);
    if (elder) {
        for (int i = 0; i < 4; i++) {
            tile(k, kit_rect(cr.x, y, cr.w, 172), &tiles[i], false);
            y += 172 + 24;
        }
        int w2 = (cr.w - 24) / 2;
        tile(k, kit_rect(cr.x, y, w2, 136), &tiles[4], true);
        tile(k, kit_rect(cr.x + w2 + 24, y, w2, 136), &tiles[5], true);
        y += 136 + 40;
        struct text_style n = text_role(k, TEXT_BODY, c->ink);
        if (notice_text(k)[0]) {
            notice_icon(k, cr.x, y + 8, 44);
            text_box(k, notice_text(k), cr.x + 64, y, cr.w - 64, &n);
        }
        return;
    }
    int w2 = (cr.w - 32) / 2;
    for (int i = 0; i < 4; i++) {
        SDL_Rect r = {cr.x + (i % 2) * (w2 + 32), y + (i / 2) * (196 + 28), w2, 196};
        tile(k, r, &tiles[i], false);
    }
    y += 2 * (196 + 28);
    tile(k, kit_rect(cr.x, y, w2, 128), &tiles[4], true);
    tile(k, kit_rect(cr.x + w2 + 32, y, w2, 128), &tiles[5], true);
    y += 128 + 48;
    SDL_Rect nr = {cr.x, y, cr.w, 0};
    nr.h = notice(k, nr, false);
    int bottom = cr.y + cr.h;
    if (nr.y + nr.h < bottom)
        nr.y = bottom - nr.h;
    notice(k, nr, true);
}

static void landscape(struct kit *k)
{
    SDL_Rect cr = k->content;
    int lw = 560;
    bool elder = k->th.elder;
    struct text_style t = text_role(k, TEXT_TITLE1, k->th.c.ink);
    struct text_style l = text_role(k, TEXT_LEAD, k->th.c.ink2);
    int y = cr.y;
    y += text_box(k, tr(elder ? "home.title_elder" : "home.title_land"), cr.x, y, lw, &t);
    y += 12;
    /* The greeting's lead gives way to a notice that needs its room (the
     * registry out of reach, said in English). */
    const char *lead = tr(elder ? "home.lead_elder" : "home.lead");
    int nh_full = elder ? 0 : notice(k, (SDL_Rect){cr.x, 0, lw, 0}, false);
    if (elder || cr.y + cr.h - nh_full >= y + text_box_height(k, lead, lw, &l) + 24)
        y += text_box(k, lead, cr.x, y, lw, &l);
    if (elder) {
        struct text_style n = text_role(k, TEXT_BODY, k->th.c.ink);
        const char *text = notice_text(k);
        int nh = text_box_height(k, text, lw - 64, &n);
        if (text[0]) {
            notice_icon(k, cr.x, cr.y + cr.h - nh + 8, 44);
            text_box(k, text, cr.x + 64, cr.y + cr.h - nh, lw - 64, &n);
        }
    } else {
        SDL_Rect nr = {cr.x, 0, lw, 0};
        nr.h = notice(k, nr, false);
        nr.y = cr.y + cr.h - nr.h;
        if (nr.y < y + 24)
            kit_issue(k, "home notice overlaps the greeting");
        notice(k, nr, true);
    }
    int rx = cr.x + lw + 32, rw = cr.x + cr.w - rx;
    int hh = elder ? 200 : 240;
    hero(k, kit_rect(rx, cr.y, rw, hh));
    int ty = cr.y + hh + 24;
    int light_h = 124;
    int th = (cr.y + cr.h - ty - light_h - 2 * 24) / 2;
    int w2 = (rw - 32) / 2;
    for (int i = 0; i < 4; i++)
        tile(k, kit_rect(rx + (i % 2) * (w2 + 32), ty + (i / 2) * (th + 24), w2, th), &tiles[i],
             false);
    ty += 2 * (th + 24);
    tile(k, kit_rect(rx, ty, w2, light_h), &tiles[4], true);
    tile(k, kit_rect(rx + w2 + 32, ty, w2, light_h), &tiles[5], true);
}

void home_draw(struct kit *k)
{
    if (k->landscape)
        landscape(k);
    else
        portrait(k);
}
