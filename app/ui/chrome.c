/* chrome.c - what every screen shares (TOKENS §11): header A and B (one
 * navy row in landscape), the footer with 返回首页 / 呼叫工作人员, the
 * inline "end the visit?" question and the idle banner.
 *
 * chrome_begin draws the frame around the content and sets k->content;
 * the screen draws inside it; chrome_end draws the overlays last and drops
 * the widgets they cover, so a covered button can be neither seen nor
 * tapped. UI thread.
 */
#include "ui/kit.h"
#include "ui/mask.h"
#include "ui/screens/screens.h"

#include "base/clock.h"

#include <stdio.h>
#include <string.h>

static int header_bottom(const struct kit *k)
{
    if (k->landscape)
        return k->th.land_header_h;
    return k->th.header_a_h + k->th.header_b_h;
}

int chrome_footer_top(const struct kit *k)
{
    return k->h - (k->landscape ? k->th.land_footer_h : k->th.footer_h);
}

static bool in_visit(const struct kit *k)
{
    return k->s && k->s->active && k->s->has_card && k->s->name_masked[0];
}

static void logo(struct kit *k, int x, int y, int s)
{
    draw_rrect(k, kit_rect(x, y, s, s), s / 4, 0xFFFFFF);
    int is = s * 3 / 4;
    icon_draw(k, ICON_HOME, x + (s - is) / 2, y + s / 10, is, k->th.contrast ? 0x000000 : 0x0B2E55);
    draw_rrect(k, kit_rect(x + s / 5, y + s - s / 5, s * 3 / 5, s / 14 + 1), 2, 0xF2B705);
}

/* Office and hall at (x, y); returns the right edge. */
static int office_block(struct kit *k, int x, int y)
{
    const struct theme_colors *c = &k->th.c;
    char line[160];
    struct text_style a = text_role(k, TEXT_TITLE3, c->on_navy);
    a.size = 34;
    a.line = 44;
    struct text_style b = {24, 34, false, c->on_navy2};
    int w1 = text_draw(k, k->cfg->office ? k->cfg->office : "", x, y, &a);
    i18n_subst(line, sizeof line, tr("header.hall"), k->cfg->hall ? k->cfg->hall : "",
               k->cfg->terminal ? k->cfg->terminal : "", NULL);
    int w2 = text_draw(k, line, x, y + 42, &b);
    return x + (w1 > w2 ? w1 : w2);
}

static void clock_block(struct kit *k, int right, int y)
{
    const struct theme_colors *c = &k->th.c;
    struct clock_cst t;
    clock_to_cst(k->v.wall_s, &t);
    char hm[16], date[64], mo[16], da[16], wk[16];
    snprintf(hm, sizeof hm, "%02d:%02d", t.hour, t.minute);
    struct text_style a = text_role(k, TEXT_CLOCK, c->on_navy);
    a.tabular = true;
    a.align = ALIGN_RIGHT;
    text_draw(k, hm, right, y - 6, &a);
    /* the month as a number (zh) or a name (en): date.m1..m12 */
    char mkey[16];
    snprintf(mkey, sizeof mkey, "date.m%d", t.month);
    snprintf(mo, sizeof mo, "%s", tr(mkey));
    snprintf(da, sizeof da, "%d", t.day);
    snprintf(wk, sizeof wk, "week.%d", t.weekday);
    i18n_subst(date, sizeof date, tr("header.date"), mo, da, tr(wk));
    struct text_style b = {24, 34, false, c->on_navy2, 0, ALIGN_RIGHT};
    text_draw(k, date, right, y + 44, &b);
}

/* Status line or masked citizen; on navy in landscape. right: where the
 * header's toggles begin (a longer status line gives way to its short form). */
static void context_block(struct kit *k, int x, int cy, int right, bool on_navy)
{
    const struct theme_colors *c = &k->th.c;
    const struct flow *f = k->f;
    uint32_t ink = on_navy ? c->on_navy : c->ink;
    uint32_t ink2 = on_navy ? c->on_navy2 : c->ink2;
    if (f->screen == SCREEN_STAFF) {
        /* Maintenance mode says so in the header, with who is in. */
        icon_draw(k, ICON_SHIELD, x, cy - 20, 40, on_navy ? c->on_navy : c->warn_fg);
        struct text_style n = text_role(k, TEXT_TITLE3, ink);
        char line[64];
        i18n_subst(line, sizeof line, tr("staff.header"), f->staff_no, NULL, NULL);
        /* the staff number gives way where the line would run under the toggles */
        if (x + 52 + text_width(k, line, &n) > right - SP_16)
            i18n_subst(line, sizeof line, tr("staff.header_short"), NULL, NULL, NULL);
        if (x + 52 + text_width(k, line, &n) > right - SP_16)
            kit_issue(k, "the maintenance line runs under the toggles: %s", line);
        text_draw(k, line, x + 52, cy - n.line / 2, &n);
        kit_add(k, "status", line, UI_LABEL, kit_rect(x, cy - 24, 400, 48), IN_NONE, 0);
        return;
    }
    if (in_visit(k) && f->registry_connected) {
        icon_draw(k, ICON_PERSON, x, cy - 20, 40, on_navy ? c->on_navy : c->link);
        struct text_style n = text_role(k, TEXT_TITLE3, ink);
        n.size = k->th.elder ? 36 : 34;
        int w = text_draw(k, k->s->name_masked, x + 52, cy - n.line / 2, &n);
        struct text_style id = text_role(k, TEXT_BODY, ink2);
        id.size = k->th.elder ? 30 : 28;
        text_draw(k, k->s->id_masked, x + 52 + w + 12, cy - id.line / 2 + 2, &id);
        kit_add(k, "citizen", k->s->name_masked, UI_LABEL, kit_rect(x, cy - 24, 400, 48), IN_NONE,
                0);
        return;
    }
    struct text_style st = text_role(k, TEXT_BODY, ink2);
    if (!f->registry_connected || f->screen == SCREEN_CLOSED) {
        const char *what = tr(f->screen != SCREEN_CLOSED ? "status.registry_down"
                              : f->hours_closed          ? "hours.status"
                                                         : "status.closed");
        uint32_t bad = on_navy ? c->navy_bad : c->bad_fg;
        icon_draw(k, ICON_ALERT_CIRCLE, x, cy - 18, 36, bad);
        st.color = bad;
        st.bold = true;
        if (x + 46 + text_width(k, what, &st) > right - SP_16)
            kit_issue(k, "status line runs under the toggles: %s", what);
        text_draw(k, what, x + 46, cy - st.line / 2, &st);
        kit_add(k, "status", what, UI_LABEL, kit_rect(x, cy - 22, 400, 44), IN_NONE, 0);
        return;
    }
    draw_circle(k, x + 8, cy, 8, on_navy ? c->navy_ok : c->ok_fg);
    const char *txt = k->th.elder ? tr("status.ok_short") : tr("status.ok");
    if (x + 28 + text_width(k, txt, &st) > right - SP_24)
        txt = tr("status.ok_short");
    if (x + 28 + text_width(k, txt, &st) > right - SP_16) {
        /* Three pills in the portrait header (home with 语音播报), large
         * type: the status line, which no step needs, at caption size. */
        st = text_role(k, TEXT_CAPTION, ink2);
    }
    if (x + 28 + text_width(k, txt, &st) > right - SP_16)
        kit_issue(k, "status line runs under the toggles: %s", txt);
    text_draw(k, txt, x + 28, cy - st.line / 2, &st);
    kit_add(k, "status", txt, UI_LABEL, kit_rect(x, cy - 22, 400, 44), IN_NONE, 0);
}

/* The loudspeaker of 语音播报 on the icons' 64-unit grid (icon.c's
 * stroke): sound waves when speech is on, a cross when it is off, so the
 * state shows without colour. */
struct speaker_args {
    float s; /* px per grid unit */
    bool on;
};

static void paint_speaker(struct mask *m, const void *arg)
{
    const struct speaker_args *a = arg;
    float s = a->s, hw = 2.5f * s;
    static const float cone[][4] = {{8, 24, 20, 24},  {8, 24, 8, 40},   {8, 40, 20, 40},
                                    {20, 24, 34, 12}, {20, 40, 34, 52}, {34, 12, 34, 52}};
    for (size_t i = 0; i < sizeof cone / sizeof cone[0]; i++)
        mask_line(m, cone[i][0] * s, cone[i][1] * s, cone[i][2] * s, cone[i][3] * s, hw, MASK_ADD);
    if (a->on) {
        /* degrees as icon.c: 0 = 12 o'clock, clockwise */
        float a0 = 50.0f * 3.14159265f / 180.0f, a1 = 130.0f * 3.14159265f / 180.0f;
        mask_arc(m, 36 * s, 32 * s, 10 * s, hw, a0, a1, MASK_ADD);
        mask_arc(m, 36 * s, 32 * s, 20 * s, hw, a0, a1, MASK_ADD);
    } else {
        mask_line(m, 42 * s, 24 * s, 56 * s, 40 * s, hw, MASK_ADD);
        mask_line(m, 56 * s, 24 * s, 42 * s, 40 * s, hw, MASK_ADD);
    }
}

static void speaker_draw(struct kit *k, int x, int y, int size, bool on, uint32_t rgb)
{
    struct speaker_args a = {(float)size / 64.0f, on};
    uint64_t key = UINT64_C(0x5BEA0000000) ^ ((uint64_t)on << 16) ^ (uint64_t)size;
    draw_mask(k, key, size, size, paint_speaker, &a, x, y, rgb);
}

/* 语音播报 on the home screen where the kiosk has a speaker: speech for
 * this visit, on or off, right-aligned at right; returns its left edge.
 * The state shows without colour: the speaker's waves (on) or cross
 * (off), besides the fill when on. No switch: three pills and the status
 * line share the portrait header's row. */
static int speech_pill(struct kit *k, int right, int cy, bool on_navy)
{
    const struct theme_colors *c = &k->th.c;
    bool on = k->v.speech;
    int h = k->th.target_min, isz = 36;
    struct text_style st = text_role(k, TEXT_LABEL, on_navy ? c->on_navy : c->ink);
    st.bold = true;
    st.size = 28;
    const char *label = tr("header.speech");
    int w = 18 + isz + 8 + text_width(k, label, &st) + 24;
    SDL_Rect r = {right - w, cy - h / 2, w, h};
    bool pressed = kit_pressed(k, "speech");
    bool filled = on && !k->th.contrast;
    if (filled) {
        draw_rrect(k, r, h / 2, pressed ? c->primary_press : c->primary);
    } else {
        uint32_t fill = on_navy ? c->navy : c->surface;
        if (pressed)
            fill = on_navy ? c->navy_press : c->tint;
        /* high contrast: the edge in the link colour when on */
        uint32_t edge = on && k->th.contrast ? c->link : on_navy ? c->on_navy2 : c->line_strong;
        draw_rrect_border(k, r, h / 2, on ? k->th.border + 1 : k->th.border, edge, fill);
    }
    uint32_t ink = filled ? 0xFFFFFF : (on_navy ? c->on_navy : c->ink);
    if (on && k->th.contrast)
        ink = c->link;
    speaker_draw(k, r.x + 18, cy - isz / 2, isz, on, ink);
    if (on) /* the waves say it, not the fill alone */
        widget_selected_mark(k, kit_rect(r.x + 18, cy - isz / 2, isz, isz));
    st.color = ink;
    text_draw(k, label, r.x + 18 + isz + 8, cy - st.line / 2, &st);
    struct ui_widget *wd = kit_add(k, "speech", label, UI_TOGGLE, r, IN_SPEECH, on ? 0 : 1);
    if (wd)
        wd->selected = on;
    return r.x;
}

/* The 长辈模式 pill and the language pill, right-aligned at right, and
 * on the home screen 语音播报 left of them. Returns the left edge. */
static int toggles(struct kit *k, int right, int cy, bool on_navy)
{
    const struct theme_colors *c = &k->th.c;
    int h = k->th.target_min;
    int y = cy - h / 2;
    /* language pill */
    struct text_style st = text_role(k, TEXT_LABEL, on_navy ? c->on_navy : c->ink);
    st.bold = true;
    st.size = 28;
    const char *lang = tr("header.lang_other");
    int lw = 24 + 36 + 12 + text_width(k, lang, &st) + 28;
    SDL_Rect lr = {right - lw, y, lw, h};
    bool lp = kit_pressed(k, "lang");
    uint32_t pill_fill = on_navy ? c->navy : c->surface;
    if (lp)
        pill_fill = on_navy ? c->navy_press : c->tint;
    draw_rrect_border(k, lr, h / 2, k->th.border, on_navy ? c->on_navy2 : c->line_strong,
                      pill_fill);
    icon_draw(k, ICON_GLOBE, lr.x + 24, cy - 18, 36, on_navy ? c->on_navy : c->ink);
    text_draw(k, lang, lr.x + 24 + 36 + 12, cy - st.line / 2, &st);
    kit_add(k, "lang", lang, UI_TOGGLE, lr, IN_TOGGLE_LANG, 0);

    /* elder pill */
    bool on = k->f->elder;
    const char *el = tr("header.elder");
    int tw = 56, th = 32;
    int ew = 24 + tw + 14 + text_width(k, el, &st) + 28;
    SDL_Rect er = {lr.x - 16 - ew, y, ew, h};
    bool ep = kit_pressed(k, "elder");
    if (on && !k->th.contrast) {
        draw_rrect(k, er, h / 2, ep ? c->primary_press : c->primary);
    } else {
        uint32_t fill = on_navy ? c->navy : c->surface;
        if (ep)
            fill = on_navy ? c->navy_press : c->tint;
        draw_rrect_border(k, er, h / 2, k->th.border, on_navy ? c->on_navy2 : c->line_strong, fill);
    }
    widget_switch(k, er.x + 24, cy - th / 2, tw, th, on, on_navy ? c->navy_track : c->line_strong);
    struct text_style es = st;
    es.color = on && !k->th.contrast ? 0xFFFFFF : (on_navy ? c->on_navy : c->ink);
    text_draw(k, el, er.x + 24 + tw + 14, cy - es.line / 2, &es);
    struct ui_widget *w = kit_add(k, "elder", el, UI_TOGGLE, er, IN_TOGGLE_ELDER, 0);
    if (w)
        w->selected = on;
    if (k->f->screen == SCREEN_HOME && k->f->speaker)
        return speech_pill(k, er.x - 16, cy, on_navy);
    return er.x;
}

static void footer(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    const struct flow *f = k->f;
    int top = chrome_footer_top(k);
    draw_fill(k, kit_rect(0, top, k->w, k->h - top), c->surface);
    draw_hline(k, 0, k->w, top, k->th.contrast ? 3 : 2, c->line);
    int bh = k->th.btn_h;
    int bw = 420;
    int y = top + (k->h - top - bh) / 2;
    /* Maintenance mode has its own ways out; the closed screen has none. */
    bool staff = f->screen == SCREEN_STAFF || f->screen == SCREEN_STAFF_PIN;
    bool hide_home = f->screen == SCREEN_PRINTING || f->screen == SCREEN_GOODBYE || staff ||
                     f->screen == SCREEN_CLOSED;
    if (k->v.speech && !staff) {
        /* Speech is on: 再听一遍, the screen's instruction again, in the
         * middle (three buttons share the row) or where 返回首页 is not. */
        bool left_free = hide_home && f->screen != SCREEN_HOME;
        int third = (k->w - 2 * MARGIN - 2 * SP_24) / 3;
        if (!left_free)
            bw = third < bw ? third : bw;
        struct btn l = {.id = "listen",
                        .label = tr("voice.listen"),
                        .style = BTN_SECONDARY,
                        .icon = ICON_REFRESH,
                        .input = IN_LISTEN};
        widget_button(k, kit_rect(left_free ? MARGIN : (k->w - bw) / 2, y, bw, bh), &l);
    }
    if (f->screen == SCREEN_HOME) {
        struct btn b = {.id = "help",
                        .label = tr("footer.help"),
                        .style = BTN_SECONDARY,
                        .icon = ICON_QUESTION,
                        .input = IN_HELP};
        widget_button(k, kit_rect(MARGIN, y, bw, bh), &b);
    } else if (!hide_home) {
        struct btn b = {.id = "home",
                        .label = tr("footer.home"),
                        .style = BTN_SECONDARY,
                        .icon = ICON_HOME,
                        .input = IN_HOME};
        widget_button(k, kit_rect(MARGIN, y, bw, bh), &b);
    }
    if (f->screen == SCREEN_STAFF) {
        /* Maintenance mode's footer: the three views not showing (设备状态,
         * 运行日志, 打印记录, 设置), then 重启程序. */
        static const struct {
            const char *id, *key;
            enum icon icon;
        } tabs[] = {{"devices", "staff.devices", ICON_WIFI},
                    {"log", "staff.log", ICON_DOC},
                    {"jobs", "staff.jobs", ICON_PRINTER},
                    {"settings", "settings.tab", ICON_INFO}};
        int gap = SP_16, tw = (k->w - 2 * MARGIN - 3 * gap) / 4, x = MARGIN;
        for (int t = 0; t < 4; t++) {
            if (t == f->staff_tab)
                continue;
            struct btn l = {.id = tabs[t].id,
                            .label = tr(tabs[t].key),
                            .style = BTN_SECONDARY,
                            .icon = (int)tabs[t].icon,
                            .input = IN_STAFF_TAB,
                            .arg = t};
            widget_button(k, kit_rect(x, y, tw, bh), &l);
            x += tw + gap;
        }
        struct btn r = {.id = "restart",
                        .label = tr("staff.restart"),
                        .style = BTN_SECONDARY,
                        .icon = ICON_REFRESH,
                        .input = IN_STAFF_ACTION,
                        .arg = STAFF_RESTART};
        widget_button(k, kit_rect(k->w - MARGIN - tw, y, tw, bh), &r);
    }
    if (staff)
        return;
    struct btn s = {.id = "staff",
                    .label = f->staff_called ? tr("footer.staff_called") : tr("footer.staff"),
                    .style = BTN_SECONDARY,
                    .icon = f->staff_called ? ICON_CHECK : ICON_BELL,
                    .input = IN_CALL_STAFF};
    widget_button(k, kit_rect(k->w - MARGIN - bw, y, bw, bh), &s);
}

void chrome_begin(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    /* Not where only the camera's picture is drawn again: it paints all
     * of it (face_capture.c, picture or silhouette). */
    SDL_Rect shown;
    if (!(k->frame_cover.w > 0 && SDL_IntersectRect(&k->frame_clip, &k->frame_cover, &shown) &&
          SDL_RectEquals(&shown, &k->frame_clip)))
        draw_fill(k, kit_rect(0, 0, k->w, k->h), c->canvas);
    if (k->landscape) {
        int h = k->th.land_header_h;
        draw_fill(k, kit_rect(0, 0, k->w, h), c->navy);
        if (k->th.contrast)
            draw_hline(k, 0, k->w, h - 3, 3, c->line);
        logo(k, MARGIN, (h - 64) / 2, 64);
        int right = office_block(k, MARGIN + 64 + 20, 18);
        draw_vline(k, right + 32, 28, h - 28, 2, 0x2E4D73);
        clock_block(k, k->w - MARGIN, 18);
        int left = toggles(k, k->w - MARGIN - 200, h / 2, true);
        context_block(k, right + 64, h / 2, left, true);
    } else {
        int ha = k->th.header_a_h, hb = k->th.header_b_h;
        draw_fill(k, kit_rect(0, 0, k->w, ha), c->navy);
        logo(k, MARGIN, (ha - 64) / 2, 64);
        office_block(k, MARGIN + 64 + 20, (ha - 78) / 2);
        clock_block(k, k->w - MARGIN, (ha - 78) / 2);
        draw_fill(k, kit_rect(0, ha, k->w, hb), c->surface);
        if (k->th.contrast)
            draw_hline(k, 0, k->w, ha, 3, c->line);
        draw_hline(k, 0, k->w, ha + hb - 2, k->th.contrast ? 3 : 2, c->line);
        int left = toggles(k, k->w - MARGIN, ha + hb / 2, false);
        context_block(k, MARGIN, ha + hb / 2, left, false);
    }
    int top = header_bottom(k) + (k->landscape ? 32 : SP_40);
    int bottom = chrome_footer_top(k) - (k->landscape ? 32 : SP_40);
    k->content = kit_rect(MARGIN, top, k->w - 2 * MARGIN, bottom - top);
    footer(k);
    /* The hidden corner over the logo: five taps in 3 s open staff entry. */
    if (k->f->screen == SCREEN_HOME || k->f->screen == SCREEN_CLOSED)
        kit_add(k, "corner", "", UI_BUTTON, kit_rect(0, 0, 120, 120), IN_CORNER, 0);
}

int chrome_primary_height(const struct kit *k)
{
    return k->th.primary_h;
}

int chrome_primary(struct kit *k, const struct btn *b)
{
    int h = k->th.primary_h;
    SDL_Rect r = {k->content.x, k->content.y + k->content.h - h, k->content.w, h};
    if (k->landscape) {
        r.w = 560;
        r.x = k->content.x + k->content.w - r.w;
    }
    widget_button(k, r, b);
    return r.y;
}

int chrome_primary_pair(struct kit *k, const struct btn *secondary, const struct btn *primary)
{
    SDL_Rect cr = k->content;
    int bh = k->th.primary_h, by = cr.y + cr.h - bh;
    if (k->landscape) {
        /* The right column: the content on the left often reaches the bottom. */
        chrome_primary(k, primary);
        by -= bh + SP_16;
        widget_button(k, kit_rect(cr.x + cr.w - 560, by, 560, bh), secondary);
    } else {
        int w2 = (cr.w - 24) / 2;
        widget_button(k, kit_rect(cr.x, by, w2, bh), secondary);
        widget_button(k, kit_rect(cr.x + w2 + 24, by, cr.w - w2 - 24, bh), primary);
    }
    return by;
}

int chrome_title(struct kit *k, int y, const char *title, const char *lead)
{
    const struct theme_colors *c = &k->th.c;
    struct text_style t = text_role(k, TEXT_TITLE1, c->ink);
    y += text_box(k, title, k->content.x, y, k->content.w, &t);
    kit_add(k, "title", title, UI_LABEL, kit_rect(k->content.x, y - t.line, k->content.w, t.line),
            IN_NONE, 0);
    if (lead && lead[0]) {
        struct text_style l = text_role(k, TEXT_LEAD, c->ink2);
        y += SP_8 / 2;
        int lh = text_box(k, lead, k->content.x, y, k->content.w, &l);
        /* the lead's words for the control socket and the tests */
        kit_add(k, "title-lead", lead, UI_LABEL, kit_rect(k->content.x, y, k->content.w, lh),
                IN_NONE, 0);
        y += lh;
    }
    return y + SP_24;
}

/* Drops the widgets an overlay covers (they can be neither seen nor tapped). */
static void cover(struct kit *k, SDL_Rect band)
{
    size_t w = 0;
    for (size_t i = 0; i < k->nwidgets; i++) {
        SDL_Rect x;
        if (SDL_IntersectRect(&k->widgets[i].bounds, &band, &x))
            continue;
        k->widgets[w++] = k->widgets[i];
    }
    k->nwidgets = w;
}

static void band(struct kit *k, SDL_Rect r, uint32_t bg, uint32_t line)
{
    cover(k, r);
    k->overlay_from = (int)k->nwidgets; /* the keys stay on the overlay's buttons */
    draw_fill(k, r, bg);
    draw_hline(k, 0, k->w, r.y, 4, line);
}

static void confirm_home(struct kit *k)
{
    const struct theme_colors *c = &k->th.c;
    int h = k->th.idle_h + (k->th.elder ? 40 : 0);
    int top = chrome_footer_top(k);
    SDL_Rect r = {0, top - h, k->w, h};
    band(k, r, k->th.contrast ? 0x000000 : c->tint, k->th.contrast ? c->link : c->primary);
    int bh = k->th.btn_h;
    int by = r.y + (h - bh) / 2;
    int cw = k->landscape ? 440 : 330, hw = k->landscape ? 360 : 250;
    if (k->th.elder && !k->landscape) {
        cw = 300;
        hw = 260;
    }
    int tx = MARGIN, tw = k->w - 2 * MARGIN - cw - hw - 2 * SP_24;
    struct text_style t = text_role(k, TEXT_TITLE3, c->ink);
    struct text_style s = text_role(k, TEXT_CAPTION, c->ink2);
    int th = text_box_height(k, tr("confirm.title"), tw, &t) +
             text_box_height(k, tr("confirm.lead"), tw, &s);
    int ty = r.y + (h - th) / 2;
    ty += text_box(k, tr("confirm.title"), tx, ty, tw, &t);
    text_box(k, tr("confirm.lead"), tx, ty, tw, &s);
    struct btn end = {.id = "home-confirm",
                      .label = tr("confirm.end"),
                      .style = BTN_SECONDARY,
                      .icon = -1,
                      .input = IN_HOME_CONFIRM};
    widget_button(k, kit_rect(k->w - MARGIN - cw - SP_24 - hw, by, hw, bh), &end);
    struct btn cont = {.id = "home-cancel",
                       .label = tr("confirm.continue"),
                       .style = BTN_PRIMARY,
                       .icon = -1,
                       .input = IN_HOME_CANCEL};
    widget_button(k, kit_rect(k->w - MARGIN - cw, by - 8, cw, bh + 16), &cont);
}

static void idle_banner(struct kit *k, int left_ms)
{
    const struct theme_colors *c = &k->th.c;
    int h = k->th.idle_h + (k->th.elder ? 40 : 0);
    int top = chrome_footer_top(k);
    SDL_Rect r = {0, top - h, k->w, h};
    band(k, r, c->idle_bg, c->idle_line);
    int bw = k->landscape ? 420 : 300, bh = k->th.btn_h;
    int isz = k->th.elder ? 64 : 56;
    icon_draw(k, ICON_CLOCK, MARGIN, r.y + (h - isz) / 2, isz, c->idle_fg);
    int tx = MARGIN + isz + SP_24, tw = k->w - tx - MARGIN - bw - SP_24;
    char secs[16], line[200];
    kit_itoa(secs, sizeof secs, (left_ms + 999) / 1000);
    bool visit = k->s && k->s->active;
    i18n_subst(line, sizeof line, tr(visit ? "idle.lead_visit" : "idle.lead"), secs, NULL, NULL);
    struct text_style t = text_role(k, TEXT_TITLE3, c->idle_fg);
    struct text_style s = text_role(k, TEXT_BODY, c->idle_fg);
    int th = text_box_height(k, tr("idle.title"), tw, &t) + text_box_height(k, line, tw, &s);
    int ty = r.y + (h - th) / 2;
    ty += text_box(k, tr("idle.title"), tx, ty, tw, &t);
    text_box(k, line, tx, ty, tw, &s);
    kit_add(k, "idle", line, UI_LABEL, kit_rect(tx, r.y, tw, h), IN_NONE, 0);
    struct btn b = {.id = "more-time",
                    .label = tr("idle.continue"),
                    .style = BTN_PRIMARY,
                    .icon = -1,
                    .input = IN_MORE_TIME,
                    .role = TEXT_BUTTON};
    widget_button(k, kit_rect(k->w - MARGIN - bw, r.y + (h - bh) / 2, bw, bh), &b);
}

void chrome_zoom_button(struct kit *k, SDL_Rect r)
{
    struct btn b = {.id = "zoom",
                    .label = tr("zoom.open"),
                    .style = BTN_SECONDARY,
                    .icon = ICON_ZOOM,
                    .input = IN_ZOOM,
                    .arg = 1};
    widget_button(k, r, &b);
}

void chrome_end(struct kit *k)
{
    const struct flow *f = k->f;
    int left = 0;
    if (f->idle_deadline_ms > 0) {
        int64_t d = f->idle_deadline_ms - f->now_ms;
        left = d > 0 ? (int)d : 0;
    }
    if (left > 0)
        idle_banner(k, left);
    else if (f->confirm_home)
        confirm_home(k);
}
