/* staff_settings.c - maintenance mode's 设置 tab: what staff may change,
 * a row each with − / + or a pill per choice (no keyboard: every value is
 * a tap away), then the facts they may read but not change (kiosk id,
 * registry, version, uptime, the backlight). A tap goes to the flow as
 * IN_SETTING; what cannot be done (past a range, open after close) is
 * drawn disabled. UI thread.
 */
#include "ui/screens/screens.h"

#include <stdio.h>
#include <string.h>

/* The row's name at the left, vertically centred on the row, within w. */
static void row_name(struct kit *k, SDL_Rect r, int w, const char *name, const char *note)
{
    struct text_style n = text_role(k, TEXT_BODY, k->th.c.ink);
    n.bold = true;
    struct text_style c = text_role(k, TEXT_CAPTION, k->th.c.ink3);
    if (text_width(k, name, &n) > w - SP_16 ||
        (note && !k->th.elder && text_width(k, note, &c) > w - SP_16))
        kit_issue(k, "setting name too wide: %s", name);
    if (note && note[0] && !k->th.elder) { /* larger type: no room for the note */
        int y = r.y + (r.h - n.line - c.line) / 2;
        text_draw(k, name, r.x, y, &n);
        text_draw(k, note, r.x, y + n.line, &c);
    } else {
        text_draw(k, name, r.x, r.y + (r.h - n.line) / 2, &n);
    }
}

#define STEPPER_VALUE_W 140 /* "100%", "08:30" between − and + */

/* − value +: two square buttons and the value between them, at x. */
static void stepper(struct kit *k, SDL_Rect r, int x, enum settings_item item, const char *name,
                    const char *value)
{
    const struct settings *st = k->v.settings;
    int s = k->th.target_min, vw = STEPPER_VALUE_W;
    for (int op = 0; op < 2; op++) {
        char id[24], label[96];
        snprintf(id, sizeof id, "set%d%c", (int)item, op ? '+' : '-');
        snprintf(label, sizeof label, "%s %s", name, op ? "+" : "-");
        struct btn b = {.id = id,
                        .label = "",
                        .style = BTN_SECONDARY,
                        .icon = -1,
                        .disabled = !settings_can_step(st, item, op),
                        .input = IN_SETTING,
                        .arg = FLOW_SETTING_ARG(item, op)};
        SDL_Rect br = {op ? x + s + vw : x, r.y + (r.h - s) / 2, s, s};
        widget_button(k, br, &b);
        snprintf(k->widgets[k->nwidgets - 1].label, UI_WIDGET_LABEL_MAX, "%s", label);
        int isz = 36;
        icon_draw(k, op ? ICON_PLUS : ICON_MINUS, br.x + (s - isz) / 2, br.y + (s - isz) / 2, isz,
                  b.disabled ? k->th.c.dis_fg : k->th.c.ink);
    }
    struct text_style v = text_role(k, TEXT_TITLE3, k->th.c.ink);
    v.align = ALIGN_CENTER;
    v.tabular = true;
    text_draw(k, value, x + s + vw / 2, r.y + (r.h - v.line) / 2, &v);
    char id[24], label[128];
    snprintf(id, sizeof id, "set%d", (int)item);
    snprintf(label, sizeof label, "%s %s", name, value);
    kit_add(k, id, label, UI_LABEL, kit_rect(x + s, r.y, vw, r.h), IN_NONE, 0);
}

/* The check before the current pill's word: three quarters of the type,
 * never under 24 px. */
static int pill_check(const struct text_style *st)
{
    return st->size * 3 / 4 > 24 ? st->size * 3 / 4 : 24;
}

/* One choice: filled when it is the current one (and said so, not by
 * colour alone: the widget is selected), a narrow inner margin so five fit
 * a row. label names the row too, for the control socket. */
static void pill(struct kit *k, SDL_Rect r, const char *id, const char *text, const char *label,
                 bool on, int arg)
{
    const struct theme_colors *c = &k->th.c;
    bool pressed = kit_pressed(k, id);
    uint32_t ink = k->th.contrast ? c->ink : c->primary;
    if (on)
        draw_rrect(k, r, RADIUS_M, pressed ? c->primary_press : c->primary);
    else
        draw_rrect_border(k, r, RADIUS_M, k->th.border, ink, pressed ? c->tint : c->surface);
    struct text_style st = text_role(k, TEXT_LABEL, on ? c->on_primary : ink);
    st.bold = on;
    st.align = ALIGN_CENTER;
    /* the current one also carries a check before its word */
    int cs = on ? pill_check(&st) : 0, gap = on ? 4 : 0, tw = text_width(k, text, &st);
    if (cs + gap + tw > r.w - 2 * SP_8)
        kit_issue(k, "pill label too wide: %s", text);
    int x0 = r.x + (r.w - cs - gap - tw) / 2;
    if (on) {
        SDL_Rect m = {x0, r.y + (r.h - cs) / 2, cs, cs};
        icon_draw(k, ICON_CHECK, m.x, m.y, cs, c->on_primary);
        widget_selected_mark(k, m);
    }
    text_draw(k, text, x0 + cs + gap + tw / 2, r.y + (r.h - st.line) / 2, &st);
    struct ui_widget *w = kit_add(k, id, label, UI_TOGGLE, r, IN_SETTING, arg);
    if (w)
        w->selected = on;
}

/* What pill i needs: its word, room for the check, the inner margins. */
static int pill_need(struct kit *k, const char *const *keys, int i)
{
    struct text_style st = text_role(k, TEXT_LABEL, 0);
    st.bold = true;
    return pill_check(&st) + 4 + text_width(k, tr(keys[i]), &st) + 2 * SP_8;
}

/* A pill per choice from x to the row's right end; the current one filled
 * and checked. Each pill is as wide as its word needs, the room left
 * shared out evenly (so the row does not move when the choice changes).
 * keys[i] names choice i. */
static void pills(struct kit *k, SDL_Rect r, int x, enum settings_item item, const char *name,
                  const char *const *keys, int count, int current)
{
    int gap = SP_8 + 4, h = k->th.target_min, need = 0;
    for (int i = 0; i < count; i++)
        need += pill_need(k, keys, i);
    int extra = (r.x + r.w - x - (count - 1) * gap - need) / count;
    for (int i = 0; i < count; i++) {
        char id[24], label[96];
        snprintf(id, sizeof id, "set%d-%d", (int)item, i);
        i18n_subst(label, sizeof label, tr("settings.choice"), name, tr(keys[i]), NULL);
        int w = pill_need(k, keys, i) + extra;
        pill(k, kit_rect(x, r.y + (r.h - h) / 2, w, h), id, tr(keys[i]), label, i == current,
             FLOW_SETTING_ARG(item, i));
        x += w + gap;
    }
}

/* Whether count pills named by keys fit from x to the row's right end. */
static bool pills_fit(struct kit *k, SDL_Rect r, int x, const char *const *keys, int count)
{
    int need = (count - 1) * (SP_8 + 4);
    for (int i = 0; i < count; i++)
        need += pill_need(k, keys, i);
    return need <= r.x + r.w - x;
}

/* A row of pills: the name at the left, or above them across the width
 * when they do not fit beside it (portrait, larger type). Returns the
 * row's height. */
static int pill_row(struct kit *k, SDL_Rect r, int x, enum settings_item item, const char *key,
                    const char *note, const char *const *keys, int count, int current)
{
    if (pills_fit(k, r, x, keys, count)) {
        row_name(k, r, x - r.x, tr(key), note ? tr(note) : NULL);
        pills(k, r, x, item, tr(key), keys, count, current);
        return r.h;
    }
    struct text_style n = text_role(k, TEXT_BODY, k->th.c.ink);
    n.bold = true;
    char line[160];
    bool with_note = note && !k->th.elder;
    snprintf(line, sizeof line, "%s%s%s", tr(key), with_note ? " · " : "",
             with_note ? tr(note) : "");
    text_draw(k, line, r.x, r.y, &n);
    r.y += n.line + 4;
    r.h = k->th.target_min;
    pills(k, r, r.x, item, tr(key), keys, count, current);
    return n.line + 4 + r.h;
}

static const char *const lang_keys[] = {"settings.lang.0", "settings.lang.1"};
static const char *const notice_keys[SETTINGS_NOTICE_COUNT] = {
    "settings.notice.0", "settings.notice.1", "settings.notice.2", "settings.notice.3",
    "settings.notice.4"};
static const char *const days_keys[SETTINGS_DAYS_COUNT] = {"settings.days.0", "settings.days.1",
                                                           "settings.days.2", "settings.days.3"};

/* A URL too wide for w broken after a '/' (it has no spaces to break
 * at), into out. */
static void wrap_url(struct kit *k, const char *url, int w, const struct text_style *st, char *out,
                     size_t size)
{
    size_t n = 0, line = 0;
    out[0] = '\0';
    for (const char *p = url; *p && n + 2 < size; p++) {
        out[n++] = *p;
        out[n] = '\0';
        const char *next = strchr(p + 1, '/');
        if (!next)
            next = p + strlen(p) - 1;
        if (*p != '/' || !p[1])
            continue;
        char piece[256];
        snprintf(piece, sizeof piece, "%.*s", (int)(next - url - (long)line + 1), url + line);
        if (text_width(k, piece, st) > w && n + 2 < size) {
            out[n++] = '\n';
            out[n] = '\0';
            line = (size_t)(p - url) + 1;
        }
    }
}

/* The facts staff read: label and value, a line each. Returns the y below. */
static int facts(struct kit *k, int x, int y, int w)
{
    const struct ui_facts *v = k->v.facts;
    struct text_style hd = text_role(k, TEXT_TITLE3, k->th.c.ink);
    text_draw(k, tr("settings.facts"), x, y, &hd);
    y += hd.line + SP_8;
    struct text_style lab = text_role(k, TEXT_CAPTION, k->th.c.ink2);
    struct text_style val = text_role(k, TEXT_CAPTION, k->th.c.ink);
    const char *rows[][2] = {
        {"settings.kiosk_id", v ? v->kiosk_id : ""},
        {"settings.registry", v ? v->registry : ""},
        {"settings.version", v ? v->version : ""},
        {"settings.uptime", v ? v->uptime : ""},
        {"settings.backlight", v && v->backlight[0] ? v->backlight : tr("settings.backlight_none")},
    };
    int lw = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int tw = text_width(k, tr(rows[i][0]), &lab) + SP_16;
        lw = tw > lw ? tw : lw;
    }
    char url[320], path[320];
    wrap_url(k, rows[1][1], w - lw, &val, url, sizeof url);
    rows[1][1] = url;
    wrap_url(k, rows[4][1], w - lw, &val, path, sizeof path);
    rows[4][1] = path;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        text_draw(k, tr(rows[i][0]), x, y, &lab);
        int h = text_box(k, rows[i][1], x + lw, y, w - lw, &val);
        char id[16], label[256];
        snprintf(id, sizeof id, "fact%d", (int)i);
        snprintf(label, sizeof label, "%s %s", tr(rows[i][0]), rows[i][1]);
        kit_add(k, id, label, UI_LABEL, kit_rect(x, y, w, h), IN_NONE, 0);
        y += h;
    }
    return y;
}

void staff_settings_draw(struct kit *k, int y, int top)
{
    const struct settings *st = k->v.settings;
    SDL_Rect cr = k->content;
    if (!st)
        return;
    /* Landscape: the settings at the left, the facts over the exit button. */
    int lw = k->landscape ? cr.w - 560 - SP_40 : cr.w;
    int rh = k->th.elder ? 80 : k->landscape ? 76 : 92, name_w = 0;
    /* The names' column as wide as the widest name (the pills get the rest). */
    static const char *const names[] = {
        "settings.volume", "settings.bright_day", "settings.bright_night", "settings.language",
        "settings.notice", "settings.days",       "settings.hours"};
    struct text_style nst = text_role(k, TEXT_BODY, 0);
    nst.bold = true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int w = text_width(k, tr(names[i]), &nst) + SP_24;
        name_w = w > name_w ? w : name_w;
    }
    if (!k->th.elder) { /* the notes under two names */
        struct text_style cst = text_role(k, TEXT_CAPTION, 0);
        int w1 = text_width(k, tr("settings.volume_note"), &cst) + SP_24;
        int w2 = text_width(k, tr("settings.language_note"), &cst) + SP_24;
        name_w = w1 > name_w ? w1 : name_w;
        name_w = w2 > name_w ? w2 : name_w;
    }
    name_w = name_w < 220 ? 220 : name_w;
    int x = cr.x + name_w, gap = k->landscape ? 0 : 4;
    char v[32], pct[32];
    struct {
        enum settings_item item;
        const char *key, *note;
    } steps[] = {
        {SETTINGS_VOLUME, "settings.volume", "settings.volume_note"},
        {SETTINGS_BRIGHT_DAY, "settings.bright_day", NULL},
        {SETTINGS_BRIGHT_NIGHT, "settings.bright_night", NULL},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        SDL_Rect r = {cr.x, y, lw, rh};
        row_name(k, r, name_w, tr(steps[i].key), steps[i].note ? tr(steps[i].note) : NULL);
        settings_value(st, steps[i].item, v, sizeof v);
        i18n_subst(pct, sizeof pct, tr("settings.pct"), v, NULL, NULL);
        stepper(k, r, x, steps[i].item, tr(steps[i].key), pct);
        y += rh + gap;
    }
    SDL_Rect r = {cr.x, y, lw, rh};
    row_name(k, r, name_w, tr("settings.language"), tr("settings.language_note"));
    pills(k, r, x, SETTINGS_LANGUAGE, tr("settings.language"), lang_keys, 2, st->english ? 1 : 0);
    y += rh + gap;
    r.y = y;
    y += pill_row(k, r, x, SETTINGS_NOTICE, "settings.notice", NULL, notice_keys,
                  SETTINGS_NOTICE_COUNT, st->notice) +
         gap + SP_8;
    r.y = y;
    y += pill_row(k, r, x, SETTINGS_DAYS, "settings.days", NULL, days_keys, SETTINGS_DAYS_COUNT,
                  st->days) +
         gap + SP_8;
    /* Opening and closing time side by side. */
    r.y = y;
    row_name(k, r, name_w, tr("settings.hours"), NULL);
    settings_value(st, SETTINGS_OPEN, v, sizeof v);
    stepper(k, r, x, SETTINGS_OPEN, tr("settings.open"), v);
    int sw = 2 * k->th.target_min + STEPPER_VALUE_W;
    settings_value(st, SETTINGS_CLOSE, v, sizeof v);
    struct text_style dash = text_role(k, TEXT_TITLE3, k->th.c.ink2);
    text_draw(k, "–", x + sw + SP_16, y + (rh - dash.line) / 2, &dash);
    stepper(k, r, x + sw + SP_40 + SP_8, SETTINGS_CLOSE, tr("settings.close"), v);
    y += rh + SP_24;
    int fx = k->landscape ? cr.x + cr.w - 560 : cr.x;
    int fy = k->landscape ? cr.y : y;
    int fw = k->landscape ? 560 : cr.w;
    int bottom = facts(k, fx, fy, fw);
    if (bottom > top - SP_16 || y > (k->landscape ? cr.y + cr.h : top))
        kit_issue(k, "the settings run into the exit button");
    if (!k->landscape && bottom + SP_8 <= top - SP_16) {
        struct text_style cap = text_role(k, TEXT_CAPTION, k->th.c.ink3);
        text_box(k, tr("settings.audit_note"), cr.x, bottom + SP_8, cr.w, &cap);
    }
    kit_want_frame(k, 60000); /* the uptime's minutes */
}
