/* ui_keys.c - the focus and the keys, for people who cannot use the
 * touchscreen; see ui.c for the window and the frame.
 *
 * Keys (for people who cannot use the touchscreen; a numeric keypad or
 * the arrow keys are enough). The focus walks the interactive, enabled
 * widgets of the frame in reading order (top to bottom, then left to
 * right); while an overlay shows (idle banner, end-visit question) only
 * its buttons. The ring (4 px in the theme's focus colour between two
 * 2 px rings of its outer colour, 4 px off the widget) shows once a key
 * was used and hides at the next touch. The focus stays on the same
 * widget (id and arg) across redraws of a screen and starts again on the
 * first widget of the content when the screen changes.
 *   Up / Down, keypad 8 / 2      the nearest widget above / below
 *   Left / Right, keypad 4 / 6   the previous / next in reading order
 *   Tab / Shift+Tab, keypad + -  next / previous
 *   Enter, keypad Enter, Space, keypad 5   activate the focused widget
 *                                (the first key only shows the ring)
 *   Escape                       close 放大查看; else 返回 where the screen
 *                                has one (IN_BACK); else 返回首页
 *   Backspace, keypad .          close 放大查看; else 返回 where there is one
 * On a screen with a numeric keypad (phone number, staff PIN) the digit
 * keys of both the main row and the keypad type their digit, and
 * Backspace / keypad . delete the last one; the arrows, Tab and Enter
 * still move and activate. While 放大查看 shows, the arrows (and keypad
 * 2 4 6 8) move the enlarged picture instead, and Enter closes it. A key
 * that only moves the focus still counts as the citizen being there
 * (IN_NONE goes to the flow, which keeps the idle timer fresh).
 */
#include "ui/ui_internal.h"

#include "ui/screens/screens.h"

#include <string.h>

/* ---- focus --------------------------------------------------------------- */

bool ui_interactive(const struct ui_widget *w)
{
    return w->input != IN_NONE && w->enabled;
}

/* a comes before b in reading order: rows first (two widgets side by side
 * share a row when they overlap by half the lower one), then left to right. */
static bool reads_before(const SDL_Rect *a, const SDL_Rect *b)
{
    int top = a->y > b->y ? a->y : b->y;
    int bot = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
    int minh = a->h < b->h ? a->h : b->h;
    if (bot - top >= minh / 2)
        return a->x < b->x || (a->x == b->x && a->y < b->y);
    return a->y < b->y;
}

/* The widgets the keys can reach, as indices in reading order. */
static int focus_order(const struct kit *k, int *order)
{
    int n = 0;
    size_t from = k->overlay_from >= 0 ? (size_t)k->overlay_from : 0;
    for (size_t i = from; i < k->nwidgets && n < FOCUS_MAX; i++) {
        const struct ui_widget *w = &k->widgets[i];
        if (!ui_interactive(w) || w->input == IN_CORNER) /* the hidden corner is for staff */
            continue;
        int j = n++;
        while (j > 0 && reads_before(&w->bounds, &k->widgets[order[j - 1]].bounds)) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = (int)i;
    }
    return n;
}

static void focus_take(struct ui *ui, const int *order, int n, int pos)
{
    if (n <= 0) {
        ui->focus_w = -1;
        return;
    }
    pos = pos < 0 ? 0 : (pos >= n ? n - 1 : pos);
    const struct ui_widget *w = &ui->k.widgets[order[pos]];
    ui->focus_w = order[pos];
    ui->focus_pos = pos;
    ui->focus_arg = w->arg;
    snprintf(ui->focus_id, sizeof ui->focus_id, "%s", w->id);
}

/* After a frame: the focused widget again (by id and arg), or, on a new
 * screen or when it is gone, the first of the content. */
void ui_focus_settle(struct ui *ui)
{
    struct kit *k = &ui->k;
    int order[FOCUS_MAX];
    int n = focus_order(k, order);
    bool zoom_changed = ui_zooming(ui) != ui->focus_zoom;
    ui->focus_zoom = ui_zooming(ui);
    if (k->f->screen != ui->focus_screen) {
        ui->focus_screen = k->f->screen;
        ui->focus_id[0] = '\0';
    } else if (zoom_changed) {
        /* 放大查看 opened: on 缩小; closed: back on 放大查看 */
        snprintf(ui->focus_id, sizeof ui->focus_id, "%s", ui->focus_zoom ? "zoom-close" : "zoom");
        ui->focus_arg = ui->focus_zoom ? 0 : 1;
    }
    if (ui->focus_id[0]) {
        for (int p = 0; p < n; p++) {
            const struct ui_widget *w = &k->widgets[order[p]];
            if (!strcmp(w->id, ui->focus_id) && w->arg == ui->focus_arg) {
                focus_take(ui, order, n, p);
                return;
            }
        }
        /* gone (an overlay came or went, a button turned disabled) */
        if (k->overlay_from < 0) {
            focus_take(ui, order, n, ui->focus_pos);
            return;
        }
    }
    int first = 0;
    while (first < n && k->widgets[order[first]].bounds.y < k->content.y)
        first++;
    focus_take(ui, order, n, first < n ? first : 0);
}

void ui_focus_ring(struct kit *k, SDL_Rect b)
{
    const struct theme_colors *c = &k->th.c;
    for (int i = 0; i < 3; i++) {
        static const int off[3] = {12, 10, 6}; /* outer dark, focus, inner dark */
        static const int wid[3] = {2, 4, 2};
        int o = off[i], t = wid[i];
        uint32_t col = i == 1 ? c->focus : c->focus_outer;
        SDL_Rect r = {b.x - o, b.y - o, b.w + 2 * o, b.h + 2 * o};
        draw_fill(k, kit_rect(r.x, r.y, r.w, t), col);
        draw_fill(k, kit_rect(r.x, r.y + r.h - t, r.w, t), col);
        draw_fill(k, kit_rect(r.x, r.y, t, r.h), col);
        draw_fill(k, kit_rect(r.x + r.w - t, r.y, t, r.h), col);
    }
}

const char *ui_focus_id(const struct ui *ui)
{
    if (!ui->keys || ui->focus_w < 0 || (size_t)ui->focus_w >= ui->k.nwidgets)
        return "";
    return ui->k.widgets[ui->focus_w].id;
}

/* ---- keys ------------------------------------------------------------------ */

enum key_act {
    KA_NONE = 0,
    KA_UP,
    KA_DOWN,
    KA_LEFT,
    KA_RIGHT,
    KA_NEXT,
    KA_PREV,
    KA_ENTER,
    KA_ESC,
    KA_BACK
};

/* The digit a key types (main row or keypad), or -1. */
static int key_digit(SDL_Keycode sym)
{
    if (sym >= SDLK_0 && sym <= SDLK_9)
        return (int)(sym - SDLK_0);
    if (sym == SDLK_KP_0)
        return 0;
    if (sym >= SDLK_KP_1 && sym <= SDLK_KP_9)
        return (int)(sym - SDLK_KP_1) + 1;
    return -1;
}

static enum key_act key_act(const SDL_Keysym *ks)
{
    switch (ks->sym) {
    case SDLK_UP:
    case SDLK_KP_8:
        return KA_UP;
    case SDLK_DOWN:
    case SDLK_KP_2:
        return KA_DOWN;
    case SDLK_LEFT:
    case SDLK_KP_4:
        return KA_LEFT;
    case SDLK_RIGHT:
    case SDLK_KP_6:
        return KA_RIGHT;
    case SDLK_TAB:
        return (ks->mod & KMOD_SHIFT) ? KA_PREV : KA_NEXT;
    case SDLK_KP_PLUS:
        return KA_NEXT;
    case SDLK_KP_MINUS:
        return KA_PREV;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
    case SDLK_KP_5:
        return KA_ENTER;
    case SDLK_ESCAPE:
        return KA_ESC;
    case SDLK_BACKSPACE:
    case SDLK_KP_PERIOD:
        return KA_BACK;
    default:
        return KA_NONE;
    }
}

/* The first interactive widget taking input (and, arg >= 0, that arg). */
static const struct ui_widget *widget_with(const struct kit *k, enum flow_input input, int arg)
{
    for (size_t i = 0; i < k->nwidgets; i++)
        if (ui_interactive(&k->widgets[i]) && k->widgets[i].input == input &&
            (arg < 0 || k->widgets[i].arg == arg))
            return &k->widgets[i];
    return NULL;
}

static const struct ui_widget *keypad_key(const struct kit *k, int arg)
{
    for (size_t i = 0; i < k->nwidgets; i++)
        if (ui_interactive(&k->widgets[i]) && k->widgets[i].kind == UI_KEY &&
            k->widgets[i].arg == arg)
            return &k->widgets[i];
    return NULL;
}

static bool fire(const struct ui_widget *w, enum flow_input *in, int *arg)
{
    if (!w)
        return false;
    *in = w->input;
    *arg = w->arg;
    return true;
}

/* Up or down: the nearest widget whose centre lies that way, the
 * sideways distance weighing double; none: the previous or next. */
static int focus_vertical(const struct kit *k, const int *order, int n, int pos, bool down)
{
    const SDL_Rect *a = &k->widgets[order[pos]].bounds;
    int ax = a->x + a->w / 2, best = -1;
    long best_d = 0;
    for (int p = 0; p < n; p++) {
        const SDL_Rect *b = &k->widgets[order[p]].bounds;
        bool ahead = down ? b->y >= a->y + a->h / 2 + 1 && b->y + b->h > a->y + a->h
                          : b->y + b->h <= a->y + a->h / 2 && b->y < a->y;
        if (p == pos || !ahead)
            continue;
        long dy = down ? b->y - (a->y + a->h) : a->y - (b->y + b->h);
        long dx = labs((long)(b->x + b->w / 2) - ax);
        if (b->x <= ax && ax < b->x + b->w)
            dx = 0;
        long d = (dy < 0 ? 0 : dy) + 2 * dx;
        if (best < 0 || d < best_d) {
            best = p;
            best_d = d;
        }
    }
    if (best >= 0)
        return best;
    return down ? (pos + 1) % n : (pos + n - 1) % n;
}

bool ui_key(struct ui *ui, const SDL_Keysym *ks, enum flow_input *in, int *arg)
{
    struct kit *k = &ui->k;
    if (!k->f)
        return false;
    enum key_act act = key_act(ks);
    int digit = key_digit(ks->sym);
    bool was_keys = ui->keys;
    if (act != KA_NONE || digit >= 0) {
        ui->keys = true;
        ui->dirty = true;
    }
    /* 放大查看: the arrows move the picture, Enter and the ways back close it */
    if (ui_zooming(ui)) {
        int step = ui->zoom_view.h / 8;
        switch (act) {
        case KA_UP:
        case KA_DOWN:
        case KA_LEFT:
        case KA_RIGHT:
            ui->pan_x += act == KA_LEFT ? -step : act == KA_RIGHT ? step : 0;
            ui->pan_y += act == KA_UP ? -step : act == KA_DOWN ? step : 0;
            ui_clamp_pan(ui);
            return true; /* IN_NONE: the citizen is there */
        case KA_ESC:
        case KA_BACK:
            *in = IN_ZOOM;
            *arg = 0;
            return true;
        default:
            break;
        }
    }
    /* a numeric keypad on the screen: digits type, Backspace deletes */
    const struct ui_widget *pad0 = keypad_key(k, FLOW_KEY_DELETE);
    if (pad0 && digit >= 0)
        return fire(keypad_key(k, digit), in, arg);
    if (pad0 && act == KA_BACK)
        return fire(pad0, in, arg);
    if (digit >= 0 && (act == KA_NONE || pad0))
        return false;
    int order[FOCUS_MAX];
    int n = focus_order(k, order);
    int pos = -1;
    for (int p = 0; p < n; p++)
        if (order[p] == ui->focus_w)
            pos = p;
    switch (act) {
    case KA_ESC: {
        const struct ui_widget *back = widget_with(k, IN_BACK, -1);
        if (back)
            return fire(back, in, arg);
        *in = IN_HOME;
        return true;
    }
    case KA_BACK:
        fire(widget_with(k, IN_BACK, -1), in, arg); /* none: only the citizen is there */
        return true;
    case KA_ENTER:
        if (!was_keys || pos < 0)
            return true; /* the first key shows where the focus is */
        return fire(&k->widgets[order[pos]], in, arg);
    case KA_NONE:
        return false;
    default:
        break;
    }
    if (!was_keys || n == 0 || pos < 0)
        return true;
    int to;
    if (act == KA_NEXT || act == KA_RIGHT)
        to = (pos + 1) % n;
    else if (act == KA_PREV || act == KA_LEFT)
        to = (pos + n - 1) % n;
    else
        to = focus_vertical(k, order, n, pos, act == KA_DOWN);
    focus_take(ui, order, n, to);
    return true;
}
