/* widget.c - the controls of TOKENS §6-§7: buttons, cards, options, chips,
 * switch, stepper, progress, waiting dots, countdown ring, keypad.
 *
 * Each control draws itself in its current state (normal, pressed,
 * selected, disabled, busy) and, when it is interactive, registers itself
 * in the frame's widget list with the flow input it triggers. UI thread.
 */
#include "ui/kit.h"
#include "ui/screens/screens.h"

#include "core/model.h"

#include <stdio.h>
#include <string.h>

struct ui_widget *kit_add(struct kit *k, const char *id, const char *label,
                          enum ui_widget_kind kind, SDL_Rect r, enum flow_input in, int arg)
{
    if (k->nwidgets >= KIT_WIDGETS_MAX) {
        kit_issue(k, "too many widgets on one screen");
        return NULL;
    }
    struct ui_widget *w = &k->widgets[k->nwidgets++];
    memset(w, 0, sizeof *w);
    snprintf(w->id, sizeof w->id, "%s", id ? id : "");
    kit_plain(w->label, sizeof w->label, label ? label : "");
    for (char *p = w->label; *p; p++)
        if (*p == '\n')
            *p = ' ';
    w->kind = kind;
    w->bounds = r;
    w->enabled = true;
    w->input = in;
    w->arg = arg;
    return w;
}

bool kit_pressed(const struct kit *k, const char *id)
{
    return id && id[0] && strcmp(k->pressed_id, id) == 0;
}

const char *kit_itoa(char *buf, size_t size, long v)
{
    snprintf(buf, size, "%ld", v);
    return buf;
}

static void with_edge(struct kit *k, SDL_Rect r, int radius, uint32_t edge)
{
    if (k->th.edges)
        draw_rrect(k, kit_rect(r.x, r.y + 2, r.w, r.h), radius, edge);
}

void widget_button(struct kit *k, SDL_Rect r, const struct btn *b)
{
    const struct theme_colors *c = &k->th.c;
    bool pressed = kit_pressed(k, b->id) && !b->disabled && !b->busy;
    enum theme_text role =
        b->role ? b->role : (b->style == BTN_PRIMARY ? TEXT_BUTTON_PRIMARY : TEXT_BUTTON);
    uint32_t fg;
    SDL_Rect s = r;
    int bw = k->th.border;
    if (b->disabled) {
        draw_rrect_dashed(k, r, RADIUS_M, c->dis_fg, c->dis_bg);
        fg = c->dis_fg;
    } else if (b->style == BTN_PRIMARY) {
        if (pressed) {
            s.y += 2;
            draw_rrect(k, s, RADIUS_M, c->primary_press);
        } else {
            with_edge(k, r, RADIUS_M, c->primary_edge);
            draw_rrect(k, r, RADIUS_M, c->primary);
        }
        fg = c->on_primary;
    } else if (b->style == BTN_LINK) {
        fg = c->link;
        if (pressed)
            draw_rrect(k, r, RADIUS_M, c->tint);
    } else {
        uint32_t border =
            b->style == BTN_SECONDARY ? (k->th.contrast ? c->ink : c->primary) : c->line_strong;
        if (pressed) {
            s.y += 2;
            draw_rrect_border(k, s, RADIUS_M, bw, border, k->th.contrast ? c->surface : c->tint);
        } else {
            with_edge(k, r, RADIUS_M, c->edge);
            draw_rrect_border(k, r, RADIUS_M, bw, border, c->surface);
        }
        fg = b->style == BTN_SECONDARY ? (k->th.contrast ? c->ink : c->primary) : c->ink;
    }
    struct text_style st = text_role(k, role, fg);
    char label[160];
    snprintf(label, sizeof label, "%s", b->label ? b->label : "");
    int isz = st.size + 10;
    int tw = text_width(k, label, &st);
    int dots_w = b->busy ? 56 : 0;
    int total = tw + (b->icon >= 0 ? isz + 16 : 0) + dots_w;
    int inner = r.w - 2 * SP_24;
    if (b->sub) {
        struct text_style sub = text_role(k, TEXT_CAPTION, b->disabled ? c->dis_fg : c->ink3);
        sub.align = ALIGN_CENTER;
        int tot_h = st.line + sub.line;
        int y0 = s.y + (r.h - tot_h) / 2;
        st.align = ALIGN_CENTER;
        if (tw > inner || text_width(k, b->sub, &sub) > inner)
            kit_issue(k, "button label too wide: %s", label);
        text_draw(k, label, s.x + r.w / 2, y0, &st);
        text_draw(k, b->sub, s.x + r.w / 2, y0 + st.line, &sub);
    } else if (total > inner) {
        /* wrap onto two centred lines before giving up */
        st.align = ALIGN_CENTER;
        int lines = text_box_lines(k, label, inner, &st);
        if (lines > 2 || lines * st.line > r.h - 8)
            kit_issue(k, "button label too wide: %s", label);
        int h = text_box_height(k, label, inner, &st);
        text_box(k, label, s.x + SP_24, s.y + (r.h - h) / 2, inner, &st);
    } else {
        int x = s.x + (r.w - total) / 2;
        if (b->icon >= 0) {
            icon_draw(k, (enum icon)b->icon, x, s.y + (r.h - isz) / 2, isz, fg);
            x += isz + 16;
        }
        text_draw(k, label, x, s.y + (r.h - st.line) / 2, &st);
        if (b->busy)
            widget_dots(k, x + tw + 16, s.y + r.h / 2, 10, fg);
    }
    struct ui_widget *w = kit_add(k, b->id, label, UI_BUTTON, r, b->input, b->arg);
    if (w)
        w->enabled = !b->disabled && !b->busy;
}

void widget_card(struct kit *k, SDL_Rect r, bool pressed, bool selected)
{
    const struct theme_colors *c = &k->th.c;
    if (selected) {
        draw_rrect_border(k, r, RADIUS_M, k->th.border_selected,
                          k->th.contrast ? c->link : c->primary, c->tint);
        return;
    }
    if (pressed) {
        SDL_Rect s = {r.x, r.y + 2, r.w, r.h};
        draw_rrect_border(k, s, RADIUS_M, k->th.border, k->th.contrast ? c->link : c->line,
                          k->th.contrast ? c->surface : c->tint);
        return;
    }
    with_edge(k, r, RADIUS_M, c->edge);
    draw_rrect_border(k, r, RADIUS_M, k->th.border, c->line, c->surface);
}

void widget_card_plain(struct kit *k, SDL_Rect r)
{
    draw_rrect_border(k, r, RADIUS_L, k->th.border, k->th.c.line, k->th.c.surface);
}

/* Colour is never the only cue of a choice: where a selected control's
 * mark is drawn (the check disc, the switch's knob on the right, a check
 * before a pill's word) it is also registered, in words, as the label
 * "selected-mark" inside the control, for the control socket and the
 * tests (which check that every selected control holds one, and that it
 * is seen: it contrasts with what is under it). Screens that draw a mark
 * of their own register it the same way. */
void widget_selected_mark(struct kit *k, SDL_Rect r)
{
    kit_add(k, "selected-mark", tr("mark.selected"), UI_LABEL, r, IN_NONE, 0);
}

void widget_radio(struct kit *k, int cx, int cy, bool selected)
{
    const struct theme_colors *c = &k->th.c;
    int r = k->th.elder ? 28 : 24;
    if (selected) {
        draw_circle(k, cx, cy, r, k->th.contrast ? c->link : c->primary);
        int s = r * 3 / 2;
        icon_draw(k, ICON_CHECK, cx - s / 2, cy - s / 2, s, k->th.contrast ? 0x000000 : 0xFFFFFF);
        widget_selected_mark(k, kit_rect(cx - r, cy - r, 2 * r, 2 * r));
    } else {
        draw_ring(k, cx, cy, r, k->th.border + (k->th.contrast ? 0 : 1), c->line_strong);
    }
}

void widget_option(struct kit *k, SDL_Rect r, const char *id, const char *label, bool selected,
                   enum flow_input in, int arg)
{
    bool pressed = kit_pressed(k, id);
    widget_card(k, r, pressed && !selected, selected);
    int dy = pressed && !selected ? 2 : 0;
    struct text_style st = text_role(k, TEXT_TITLE3, k->th.c.ink);
    int rr = k->th.elder ? 28 : 24;
    int tw = r.w - SP_32 - SP_24 - 2 * rr - SP_16;
    int h = text_box_height(k, label, tw, &st);
    if (h > r.h - 16)
        kit_issue(k, "option label too tall: %s", label);
    text_box(k, label, r.x + SP_32 - 4, r.y + dy + (r.h - h) / 2, tw, &st);
    widget_radio(k, r.x + r.w - SP_24 - rr - 4, r.y + dy + r.h / 2, selected);
    struct ui_widget *w = kit_add(k, id, label, UI_OPTION, r, in, arg);
    if (w)
        w->selected = selected;
}

int widget_chip_height(const struct kit *k)
{
    return k->th.elder ? 64 : 52;
}

int widget_chip(struct kit *k, int x, int y, int kind, const char *text)
{
    const struct theme_colors *c = &k->th.c;
    uint32_t fg, bg, line;
    enum icon ic;
    switch (kind) {
    case ENC_MORTGAGE:
        fg = c->warn_fg, bg = c->warn_bg, line = c->warn_line, ic = ICON_LOCK;
        break;
    case ENC_SEIZURE:
        fg = c->bad_fg, bg = c->bad_bg, line = c->bad_line, ic = ICON_PROHIBIT;
        break;
    case ENC_OBJECTION:
        fg = c->vio_fg, bg = c->vio_bg, line = c->vio_line, ic = ICON_FLAG;
        break;
    case ENC_PREREG:
        fg = c->primary, bg = c->tint, line = k->th.contrast ? c->link : 0x9DB8DA, ic = ICON_DOC;
        if (k->th.contrast)
            fg = c->link;
        break;
    case ENC_RESIDENCE:
        fg = c->ink2, bg = c->subtle, line = c->line_strong, ic = ICON_PERSON;
        break;
    default:
        fg = c->ok_fg, bg = c->ok_bg, line = c->ok_line, ic = ICON_CHECK_CIRCLE;
        break;
    }
    struct text_style st = text_role(k, TEXT_LABEL, fg);
    st.bold = true;
    int h = widget_chip_height(k);
    int isz = k->th.elder ? 40 : 32;
    int tw = text_width(k, text, &st);
    int w = 16 + isz + 8 + tw + 16;
    int radius = k->th.elder ? 10 : RADIUS_S;
    draw_rrect_border(k, kit_rect(x, y, w, h), radius, k->th.contrast ? 3 : 2, line, bg);
    icon_draw(k, ic, x + 14, y + (h - isz) / 2, isz, fg);
    text_draw(k, text, x + 16 + isz + 8, y + (h - st.line) / 2, &st);
    kit_add(k, "chip", text, UI_CHIP, kit_rect(x, y, w, h), IN_NONE, 0);
    return w;
}

void widget_switch(struct kit *k, int x, int y, int w, int h, bool on, uint32_t off_track)
{
    const struct theme_colors *c = &k->th.c;
    if (k->th.contrast) {
        draw_rrect_border(k, kit_rect(x, y, w, h), h / 2, 3, c->ink, on ? c->link : 0x000000);
        int kr = h / 2 - 7;
        int kx = on ? x + w - h / 2 : x + h / 2;
        draw_circle(k, kx, y + h / 2, kr, on ? 0x000000 : c->ink);
    } else {
        draw_rrect(k, kit_rect(x, y, w, h), h / 2, on ? 0xFFFFFF : off_track);
        int kr = h / 2 - 4;
        int kx = on ? x + w - h / 2 : x + h / 2;
        draw_circle(k, kx, y + h / 2, kr, on ? c->primary : 0xFFFFFF);
    }
    if (on) /* the knob on the right */
        widget_selected_mark(k, kit_rect(x, y, w, h));
}

int widget_stepper_height(const struct kit *k)
{
    return k->th.elder ? 72 : 64;
}

void widget_stepper(struct kit *k, int y, const char *const labels[3], int current)
{
    const struct theme_colors *c = &k->th.c;
    const struct theme_type *lt = &k->th.type[TEXT_LABEL];
    int d = k->th.elder ? 56 : 48;
    int x0 = k->content.x, wtot = k->content.w;
    int cy = y + widget_stepper_height(k) / 2;
    int lw[3], sum = 0;
    for (int i = 0; i < 3; i++) {
        struct text_style st = {lt->size, lt->line, i == current, c->ink};
        lw[i] = text_width(k, labels[i], &st);
        sum += d + 12 + lw[i];
    }
    int gap = (wtot - sum - 4 * SP_16) / 2;
    if (gap < 24)
        kit_issue(k, "stepper too wide");
    int x = x0;
    for (int i = 0; i < 3; i++) {
        int cx = x + d / 2;
        char num[16];
        snprintf(num, sizeof num, "%d", i + 1);
        if (i < current) {
            draw_circle(k, cx, cy, d / 2, k->th.contrast ? c->link : c->primary);
            icon_draw(k, ICON_CHECK, cx - d / 3, cy - d / 3, 2 * d / 3,
                      k->th.contrast ? 0x000000 : 0xFFFFFF);
        } else if (i == current) {
            if (!k->th.contrast)
                draw_circle(k, cx, cy, d / 2 + 5, c->tint);
            draw_circle(k, cx, cy, d / 2, k->th.contrast ? c->link : c->primary);
            struct text_style ns = text_role(k, TEXT_LABEL, c->on_primary);
            ns.bold = true;
            ns.align = ALIGN_CENTER;
            text_draw(k, num, cx, cy - ns.line / 2, &ns);
        } else {
            draw_ring(k, cx, cy, d / 2, k->th.border, c->line_strong);
            struct text_style ns = text_role(k, TEXT_LABEL, c->ink2);
            ns.bold = true;
            ns.align = ALIGN_CENTER;
            text_draw(k, num, cx, cy - ns.line / 2, &ns);
        }
        struct text_style st = text_role(k, TEXT_LABEL, i == current ? c->ink : c->ink3);
        st.bold = i == current;
        text_draw(k, labels[i], x + d + 12, cy - st.line / 2, &st);
        x += d + 12 + lw[i];
        if (i < 2) {
            uint32_t lc = i < current ? (k->th.contrast ? c->link : c->primary) : c->line;
            draw_hline(k, x + SP_16, x + SP_16 + gap, cy - 2, 4, lc);
            x += gap + 2 * SP_16;
        }
    }
    struct ui_widget *w = kit_add(k, "stepper", labels[current < 3 ? current : 2], UI_LABEL,
                                  kit_rect(x0, y, wtot, widget_stepper_height(k)), IN_NONE, 0);
    if (w)
        w->arg = current;
}

void widget_progress(struct kit *k, SDL_Rect r, float frac)
{
    const struct theme_colors *c = &k->th.c;
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    if (k->th.contrast)
        draw_rrect_border(k, r, r.h / 2, 2, c->ink, 0x000000);
    else
        draw_rrect_border(k, r, r.h / 2, 1, c->line, c->subtle);
    int w = (int)((float)r.w * frac);
    if (w > 0)
        draw_rrect(k, kit_rect(r.x, r.y, w < r.h ? r.h : w, r.h), r.h / 2,
                   k->th.contrast ? c->link : c->primary);
}

void kit_want_frame(struct kit *k, int period)
{
    if (k->anim_period_ms == 0 || period < k->anim_period_ms)
        k->anim_period_ms = period;
    k->anim_whole = true;
}

void kit_want_frame_in(struct kit *k, int period, SDL_Rect r)
{
    if (k->anim_period_ms == 0 || period < k->anim_period_ms)
        k->anim_period_ms = period;
    SDL_Rect u = r;
    if (k->anim_rect.w > 0 && k->anim_rect.h > 0)
        SDL_UnionRect(&k->anim_rect, &r, &u);
    k->anim_rect = u;
}

void kit_clip(struct kit *k, const SDL_Rect *r)
{
    bool partial = k->frame_clip.w > 0 && k->frame_clip.h > 0;
    if (!r) {
        SDL_RenderSetClipRect(k->r, partial ? &k->frame_clip : NULL);
        return;
    }
    SDL_Rect x = *r;
    if (partial && !SDL_IntersectRect(r, &k->frame_clip, &x))
        x = kit_rect(k->frame_clip.x, k->frame_clip.y, 0, 0); /* nothing of it is drawn */
    SDL_RenderSetClipRect(k->r, &x);
}

void widget_dots(struct kit *k, int x, int cy, int d, uint32_t rgb)
{
    int step = (int)((k->anim_ms / 400) % 3);
    kit_want_frame_in(k, 400, kit_rect(x - 1, cy - d / 2 - 1, 3 * d + 2 * (d / 2 + 2) + 2, d + 2));
    for (int i = 0; i < 3; i++) {
        uint32_t col = i == step ? rgb : (k->th.contrast ? 0x666666 : 0xA9BCD3);
        draw_circle(k, x + d / 2 + i * (d + d / 2 + 2), cy, d / 2, col);
    }
}

void widget_spinner(struct kit *k, int cx, int cy, int r)
{
    const struct theme_colors *c = &k->th.c;
    int step = (int)((k->anim_ms / 125) % 8);
    kit_want_frame_in(k, 125, kit_rect(cx - r - 1, cy - r - 1, 2 * r + 2, 2 * r + 2));
    static const float dx[8] = {0, 0.707f, 1, 0.707f, 0, -0.707f, -1, -0.707f};
    static const float dy[8] = {-1, -0.707f, 0, 0.707f, 1, 0.707f, 0, -0.707f};
    int dr = r / 5;
    for (int i = 0; i < 8; i++) {
        int age = (step - i + 8) % 8;
        uint32_t col = age == 0  ? (k->th.contrast ? c->link : c->primary)
                       : age < 3 ? (k->th.contrast ? 0xAAAAAA : 0x7FA3CC)
                                 : (k->th.contrast ? 0x555555 : c->line);
        draw_circle(k, cx + (int)(dx[i] * (float)(r - dr)), cy + (int)(dy[i] * (float)(r - dr)), dr,
                    col);
    }
}

void widget_countdown(struct kit *k, int cx, int cy, int r, int seconds, int total)
{
    const struct theme_colors *c = &k->th.c;
    int w = r / 6;
    draw_ring(k, cx, cy, r, w, k->th.contrast ? 0x444444 : c->subtle);
    float frac = total > 0 ? (float)seconds / (float)total : 0;
    draw_arc(k, cx, cy, r, w, frac, k->th.contrast ? c->link : c->primary);
    char num[16];
    snprintf(num, sizeof num, "%d", seconds);
    struct text_style st = text_role(k, TEXT_TITLE1, c->ink);
    st.size = r * 7 / 10;
    st.line = r;
    st.tabular = true;
    st.align = ALIGN_CENTER;
    text_draw(k, num, cx, cy - st.line / 2, &st);
}

void widget_keypad(struct kit *k, SDL_Rect r, enum flow_input in, const char *id_prefix)
{
    static const char *const digits[12] = {"1", "2", "3", "4",  "5", "6",
                                           "7", "8", "9", NULL, "0", NULL};
    int gap = SP_24;
    int kw = (r.w - 2 * gap) / 3, kh = (r.h - 3 * gap) / 4;
    for (int i = 0; i < 12; i++) {
        int col = i % 3, row = i / 3;
        SDL_Rect kr = {r.x + col * (kw + gap), r.y + row * (kh + gap), kw, kh};
        char id[UI_WIDGET_ID_MAX];
        const char *label = digits[i];
        int arg = label ? label[0] - '0' : (i == 9 ? 10 : 11);
        if (!label)
            label = i == 9 ? tr("keypad.back") : tr("keypad.ok");
        snprintf(id, sizeof id, "%s%d", id_prefix, arg);
        struct btn b = {.id = id,
                        .label = label,
                        .style = i == 11 ? BTN_PRIMARY : BTN_QUIET,
                        .icon = -1,
                        .input = in,
                        .arg = arg,
                        .role = TEXT_TITLE2};
        widget_button(k, kr, &b);
        k->widgets[k->nwidgets - 1].kind = UI_KEY;
    }
}

void widget_badge(struct kit *k, int cx, int cy, int r, const char *num)
{
    const struct theme_colors *c = &k->th.c;
    if (k->th.contrast)
        draw_rrect_border(k, kit_rect(cx - r, cy - r, 2 * r, 2 * r), r, 3, c->ink, 0x000000);
    else
        draw_circle(k, cx, cy, r, c->tint);
    struct text_style st = text_role(k, TEXT_LABEL, k->th.contrast ? c->link : c->primary);
    st.bold = true;
    st.align = ALIGN_CENTER;
    text_draw(k, num, cx, cy - st.line / 2, &st);
}

int widget_plusminus(struct kit *k, int x, int y, int value, int min, int max, enum flow_input in)
{
    int s = k->th.target_min;
    struct btn minus = {.id = "copies-",
                        .label = "",
                        .style = BTN_QUIET,
                        .icon = -1,
                        .disabled = value <= min,
                        .input = in,
                        .arg = -1};
    struct btn plus = {.id = "copies+",
                       .label = "",
                       .style = BTN_QUIET,
                       .icon = -1,
                       .disabled = value >= max,
                       .input = in,
                       .arg = 1};
    SDL_Rect mr = {x, y, s, s}, pr = {x + s + 96, y, s, s};
    widget_button(k, mr, &minus);
    snprintf(k->widgets[k->nwidgets - 1].label, UI_WIDGET_LABEL_MAX, "%s", tr("preview.less"));
    int isz = 40;
    icon_draw(k, ICON_MINUS, mr.x + (s - isz) / 2, mr.y + (s - isz) / 2, isz,
              minus.disabled ? k->th.c.dis_fg : k->th.c.ink);
    widget_button(k, pr, &plus);
    snprintf(k->widgets[k->nwidgets - 1].label, UI_WIDGET_LABEL_MAX, "%s", tr("preview.more"));
    icon_draw(k, ICON_PLUS, pr.x + (s - isz) / 2, pr.y + (s - isz) / 2, isz,
              plus.disabled ? k->th.c.dis_fg : k->th.c.ink);
    char num[16];
    snprintf(num, sizeof num, "%d", value);
    struct text_style st = text_role(k, TEXT_TITLE2, k->th.c.ink);
    st.align = ALIGN_CENTER;
    st.tabular = true;
    text_draw(k, num, x + s + 48, y + (s - st.line) / 2, &st);
    return 2 * s + 96;
}

void widget_look_ring(struct kit *k, SDL_Rect r, int radius)
{
    bool on = ((k->anim_ms / 500) % 2) == 0;
    const struct theme_colors *c = &k->th.c;
    SDL_Rect o = {r.x - 14, r.y - 14, r.w + 28, r.h + 28};
    kit_want_frame_in(k, 500, o);
    uint32_t col = on ? (k->th.contrast ? c->link : 0xA9C1DE) : c->surface;
    draw_rrect_border(k, o, radius + 14, 4, col, c->surface);
    SDL_Rect m = {r.x - 6, r.y - 6, r.w + 12, r.h + 12};
    draw_rrect_border(k, m, radius + 6, 6, k->th.contrast ? c->link : c->primary, c->surface);
}
