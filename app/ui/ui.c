/* ui.c - the window, the frame loop and input for the citizen screens.
 *
 * Owns the SDL window (the renderer and how frames reach the screen are
 * in ui_present.c: headless, a software renderer on a memory surface,
 * which is what the screenshot tests and the control socket's
 * screenshots use), the toolkit state, and the press/release
 * logic of TOKENS §6: press on finger down, fire on release inside,
 * sliding off cancels, hit rectangles reach into half the gap. Draws only
 * when the view changed or an animation step is due. UI thread only.
 *
 * The focus and the keys are in ui_keys.c; struct ui in ui_internal.h.
 */
#include "ui/ui.h"

#include "ui/kit.h"
#include "ui/screens/screens.h"
#include "ui/x11_screen.h"

#include "base/pixel.h"
#include "base/err.h"
#include "base/log.h"

#include <limits.h>
#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_internal.h"

typedef void (*screen_fn)(struct kit *k);

static const screen_fn screens[SCREEN_COUNT] = {
    [SCREEN_HOME] = home_draw,
    [SCREEN_INSERT_CARD] = insert_card_draw,
    [SCREEN_FACE_CONSENT] = face_consent_draw,
    [SCREEN_FACE_CAPTURE] = face_capture_draw,
    [SCREEN_COUNTER] = counter_draw,
    [SCREEN_LOADING] = loading_draw,
    [SCREEN_RECORDS] = records_draw,
    [SCREEN_RECORD_DETAIL] = record_detail_draw,
    [SCREEN_CERT_PURPOSE] = cert_purpose_draw,
    [SCREEN_CERT_PREVIEW] = cert_preview_draw,
    [SCREEN_PRINTING] = printing_draw,
    [SCREEN_RATING] = rating_draw,
    [SCREEN_GOODBYE] = goodbye_draw,
    [SCREEN_ERROR] = error_draw,
    [SCREEN_HELP] = help_draw,
    [SCREEN_TICKET] = ticket_draw,
    [SCREEN_SERVICES] = services_draw,
    [SCREEN_GUIDE] = guide_draw,
    [SCREEN_SLOTS] = slots_draw,
    [SCREEN_PHONE] = phone_draw,
    [SCREEN_BOOKED] = booked_draw,
    [SCREEN_PROGRESS] = progress_draw,
    [SCREEN_RECEIPT] = receipt_draw,
    [SCREEN_BOOKINGS] = bookings_draw,
    [SCREEN_ECERT] = ecert_draw,
    [SCREEN_STAFF_PIN] = staff_pin_draw,
    [SCREEN_STAFF] = staff_draw,
    [SCREEN_CLOSED] = closed_draw,
};

/* Lays the canvas out again for the renderer's output as it is now: the
 * geometry and the renderer's scaling (the text and mask caches follow
 * the density in build). */
void ui_relayout(struct ui *ui)
{
    struct kit *k = &ui->k;
    int pw = ui->surf ? ui->surf->w : 0, ph = ui->surf ? ui->surf->h : 0;
    if (!ui->surf && SDL_GetRendererOutputSize(k->r, &pw, &ph) != 0)
        return;
    if (pw <= 0 || ph <= 0)
        return;
    struct geometry g;
    geometry_fit(&g, pw, ph, ui->cfg.orientation, ui->cfg.diagonal_in);
    if (g.px_w == k->geo.px_w && g.px_h == k->geo.px_h && g.w == k->w && g.h == k->h &&
        g.scale == k->geo.scale && g.landscape == k->landscape)
        return;
    k->geo = g;
    k->w = g.w;
    k->h = g.h;
    k->landscape = g.landscape;
    SDL_RenderSetLogicalSize(k->r, g.w, g.h);
    ui->dirty = true;
    if (g.px_w == ui->logged_w && g.px_h == ui->logged_h)
        return; /* the same screen again (a headless panel turned back) */
    ui->logged_w = g.px_w;
    ui->logged_h = g.px_h;
    log_info("ui", "screen %dx%d px: %s canvas %dx%d, %.3f px each, %.3f mm%s", g.px_w, g.px_h,
             g.landscape ? "landscape" : "portrait", g.w, g.h, g.scale, g.mm_per_px,
             g.physical ? "" : " (diagonal unknown: assumed)");
    if (g.physical && g.mm_per_px < GEOMETRY_MM_PER_PX * 0.99)
        log_warn("ui",
                 "the screen is too small for the kiosk's sizes: text and targets are %.0f%% "
                 "of their size on the reference panel",
                 100.0 * g.mm_per_px / GEOMETRY_MM_PER_PX);
}

/* A window's place: the whole display in fullscreen; otherwise the
 * largest rectangle of the layout's shape that fits the display's usable
 * area with room for a title bar, never larger than the reference panel,
 * centred. */
static SDL_Rect window_rect(const struct ui_config *cfg)
{
    SDL_Rect d = {0, 0, GEOMETRY_REF_SHORT, GEOMETRY_REF_LONG}, u;
    if (SDL_GetDisplayBounds(0, &d) != 0)
        log_warn("ui", "display bounds unknown: %s", SDL_GetError());
    if (cfg->fullscreen)
        return d;
    if (SDL_GetDisplayUsableBounds(0, &u) != 0 || u.w <= 0 || u.h <= 0)
        u = d;
    bool land =
        cfg->orientation == ORIENT_LANDSCAPE || (cfg->orientation == ORIENT_AUTO && u.w > u.h);
    double rw = land ? GEOMETRY_REF_LONG : GEOMETRY_REF_SHORT;
    double rh = land ? GEOMETRY_REF_SHORT : GEOMETRY_REF_LONG;
    enum { DECOR = 48 }; /* a window manager's title bar and borders */
    double room_w = (u.w - DECOR) * 0.96, room_h = (u.h - DECOR) * 0.96;
    double s = fmin(1.0, fmin(room_w / rw, room_h / rh));
    int w = (int)(rw * s), h = (int)(rh * s);
    /* the frame's top left is where a window manager puts the title bar */
    return (SDL_Rect){u.x + (u.w - w) / 2, u.y + (u.h - h - DECOR) / 2, w, h};
}

/* The camera's picture, the certificate's preview and the enlarged frame,
 * overwritten where they can be, then destroyed. */
void ui_drop_pictures(struct ui *ui)
{
    struct kit *k = &ui->k;
    kit_texture_wipe(k->camera_tex);
    kit_texture_wipe(k->preview_tex);
    k->camera_tex = k->preview_tex = NULL;
    k->camera_tex_seq = 0;
    k->preview_src = NULL;
    if (ui->zoom_tex)
        SDL_DestroyTexture(ui->zoom_tex);
    ui->zoom_tex = NULL;
}

struct ui *ui_create(const struct ui_config *cfg)
{
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui)
        return NULL;
    ui->cfg = *cfg;
    struct kit *k = &ui->k;
    k->cfg = &ui->cfg;
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "1");
    if (SDL_InitSubSystem(cfg->headless ? SDL_INIT_EVENTS : SDL_INIT_VIDEO) != 0) {
        log_err("ui", "SDL init: %s", SDL_GetError());
        free(ui);
        return NULL;
    }
    if (!cfg->headless) {
        Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI |
                       (cfg->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE);
        SDL_Rect at = window_rect(cfg);
        ui->win = SDL_CreateWindow("bdc-kiosk", at.x, at.y, at.w, at.h, flags);
        if (!ui->win) {
            log_err("ui", "cannot open a window: %s", SDL_GetError());
            ui_destroy(ui);
            return NULL;
        }
        if (cfg->fullscreen)
            SDL_ShowCursor(SDL_DISABLE);
    }
    if (ui_renderer_make(ui) != 0 || text_cache_create(k) != 0 || tex_cache_create(k) != 0) {
        ui_destroy(ui);
        return NULL;
    }
    /* a screen turned with no window manager; once the renderer is made,
     * since making it may make the X window again */
    if (cfg->fullscreen)
        x11_screen_watch(ui->win);
    theme_init(&k->th, false, false);
    ui->focus_w = -1;
    ui->focus_screen = SCREEN_COUNT;
    ui->dirty = true;
    return ui;
}

void ui_destroy(struct ui *ui)
{
    if (!ui)
        return;
    ui_renderer_drop(ui);
    text_cache_destroy(&ui->k);
    tex_cache_destroy(&ui->k);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    SDL_QuitSubSystem(ui->cfg.headless ? SDL_INIT_EVENTS : SDL_INIT_VIDEO);
    free(ui);
}

/* What the UI drew of a visit outlives it in textures: its texts (the
 * name), the camera's picture, the certificate's preview, the enlarged
 * frame. They go when the visit ends, overwritten first. */
static void forget_visit(struct ui *ui)
{
    text_cache_forget_visit(&ui->k);
    ui_drop_pictures(ui);
}

void ui_set_view(struct ui *ui, const struct ui_view *v)
{
    bool visit = v->session && v->session->active;
    if (ui->in_visit && !visit)
        forget_visit(ui);
    ui->in_visit = visit;
    int64_t minute = v->wall_s / 60;
    if (!ui->have_view || v->generation != ui->gen || minute != ui->minute ||
        v->preview_argb != ui->preview)
        ui->dirty = true;
    else if (v->camera_seq != ui->cam_seq)
        ui->camera_due = true; /* only the camera's picture is new */
    ui->have_view = true;
    ui->gen = v->generation;
    ui->minute = minute;
    ui->cam_seq = v->camera_seq;
    ui->preview = v->preview_argb;
    ui->k.v = *v;
    ui->k.f = v->flow;
    ui->k.s = v->session;
}

static int64_t now_ticks(const struct ui *ui)
{
    return ui->cfg.still ? 0 : (int64_t)SDL_GetTicks64();
}

/* ---- 放大查看 ---------------------------------------------------------- */

static bool zoomable(enum flow_screen s)
{
    return s == SCREEN_RECORDS || s == SCREEN_RECORD_DETAIL || s == SCREEN_CERT_PREVIEW;
}

bool ui_zooming(const struct ui *ui)
{
    const struct flow *f = ui->k.f;
    return f && f->zoom && zoomable(f->screen);
}

/* How much sharper than the screen the frame is drawn to be enlarged:
 * twice the screen's density, so the enlarged part has a real pixel for
 * each of its own; at most 2 real pixels a design pixel (a HiDPI screen's
 * frame would make a texture of hundreds of megabytes). */
static double zoom_density(const struct kit *k)
{
    return fmin(2.0 * k->geo.scale, 2.0);
}

/* Draws the frame into the zoom texture from here on, at zoom_density;
 * false if it cannot. */
static bool zoom_begin(struct ui *ui)
{
    struct kit *k = &ui->k;
    double zd = zoom_density(k);
    int tw = (int)ceil(k->w * zd), th = (int)ceil(k->h * zd);
    if (ui->zoom_tex && (ui->zoom_tex_w != tw || ui->zoom_tex_h != th)) {
        SDL_DestroyTexture(ui->zoom_tex);
        ui->zoom_tex = NULL;
    }
    if (!ui->zoom_tex) {
        ui->zoom_tex =
            SDL_CreateTexture(k->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, tw, th);
        if (!ui->zoom_tex) {
            log_warn("ui", "no texture to enlarge into: %s", SDL_GetError());
            return false;
        }
        ui->zoom_tex_w = tw;
        ui->zoom_tex_h = th;
    }
    if (SDL_SetRenderTarget(k->r, ui->zoom_tex) != 0)
        return false;
    SDL_RenderSetScale(k->r, (float)zd, (float)zd);
    k->density = zd;
    return true;
}

void ui_clamp_pan(struct ui *ui)
{
    const SDL_Rect cr = ui->k.content;
    int mx = cr.w - ui->zoom_view.w / 2, my = cr.h - ui->zoom_view.h / 2;
    ui->pan_x = ui->pan_x < 0 ? 0 : (ui->pan_x > mx ? mx : ui->pan_x);
    ui->pan_y = ui->pan_y < 0 ? 0 : (ui->pan_y > my ? my : ui->pan_y);
}

/* The frame is in the texture: shows it, the content twice as large in
 * the content area (the part the pan points at), the hint and 缩小 below
 * it. The content's own widgets are dropped: what they were is shown,
 * not there to be tapped. */
static void zoom_end(struct ui *ui)
{
    struct kit *k = &ui->k;
    const struct theme_colors *c = &k->th.c;
    SDL_Rect cr = k->content;
    double zd = k->density;
    SDL_SetRenderTarget(k->r, NULL); /* the screen's scaling again */
    SDL_RenderCopy(k->r, ui->zoom_tex, NULL, NULL);
    size_t w = 0;
    for (size_t i = 0; i < k->nwidgets; i++) {
        SDL_Rect x;
        if (!SDL_IntersectRect(&k->widgets[i].bounds, &cr, &x))
            k->widgets[w++] = k->widgets[i];
    }
    k->nwidgets = w;
    int bh = k->th.btn_h, bar_h = bh + 2 * SP_16;
    SDL_Rect view = {cr.x, cr.y, cr.w, cr.h - bar_h - SP_16};
    ui->zoom_view = view;
    ui_clamp_pan(ui);
    SDL_Rect src = {(int)lround((cr.x + ui->pan_x) * zd), (int)lround((cr.y + ui->pan_y) * zd),
                    (int)lround(view.w * zd / 2), (int)lround(view.h * zd / 2)};
    int foot = chrome_footer_top(k);
    draw_fill(k, kit_rect(cr.x - 8, cr.y - 8, cr.w + 16, foot - cr.y + 8), c->canvas);
    SDL_RenderCopy(k->r, ui->zoom_tex, &src, &view);
    int bw = k->th.border + 1;
    draw_fill(k, kit_rect(view.x - bw, view.y - bw, view.w + 2 * bw, bw), c->line_strong);
    draw_fill(k, kit_rect(view.x - bw, view.y + view.h, view.w + 2 * bw, bw), c->line_strong);
    draw_fill(k, kit_rect(view.x - bw, view.y, bw, view.h), c->line_strong);
    draw_fill(k, kit_rect(view.x + view.w, view.y, bw, view.h), c->line_strong);
    kit_add(k, "zoom-view", tr("zoom.view"), UI_LABEL, view, IN_NONE, 0);
    SDL_Rect bar = {cr.x, cr.y + cr.h - bar_h, cr.w, bar_h};
    widget_card_plain(k, bar);
    int cw = k->landscape ? 420 : 300;
    struct btn close = {.id = "zoom-close",
                        .label = tr("zoom.close"),
                        .style = BTN_PRIMARY,
                        .icon = ICON_MINUS,
                        .input = IN_ZOOM,
                        .arg = 0};
    widget_button(k, kit_rect(bar.x + bar.w - SP_16 - cw, bar.y + SP_16, cw, bh), &close);
    struct text_style hs = text_role(k, TEXT_BODY, c->ink);
    int tx = bar.x + SP_24, tw = bar.w - 2 * SP_24 - cw - SP_16;
    int th = text_box_height(k, tr("zoom.hint"), tw, &hs);
    if (th > bar_h - 8)
        kit_issue(k, "zoom hint too long");
    text_box(k, tr("zoom.hint"), tx, bar.y + (bar_h - th) / 2, tw, &hs);
}

static void build(struct ui *ui)
{
    struct kit *k = &ui->k;
    k->nwidgets = 0;
    k->overlay_from = -1;
    k->issues = 0;
    k->text_min = INT_MAX;
    k->anim_period_ms = 0;
    k->anim_rect = k->camera_rect = kit_rect(0, 0, 0, 0);
    k->anim_whole = false;
    k->anim_ms = now_ticks(ui);
    if (!k->f)
        return;
    if (i18n_get_lang() != (k->f->english ? I18N_EN : I18N_ZH))
        i18n_set_lang(k->f->english ? I18N_EN : I18N_ZH);
    theme_init(&k->th, k->f->contrast, k->f->elder);
    k->density = k->geo.scale;
    bool zoom = ui_zooming(ui) && zoom_begin(ui);
    if (k->density != k->cached_density) { /* a new screen, or 放大查看 opened or closed */
        text_cache_flush(k);
        tex_cache_flush(k);
        k->cached_density = k->density;
    }
    text_cache_frame(k);
    tex_cache_frame(k);
    if (!zoom) {
        if (ui->zoom_tex) { /* tens of megabytes, for 放大查看 only */
            SDL_DestroyTexture(ui->zoom_tex);
            ui->zoom_tex = NULL;
        }
        ui->zoom_view = kit_rect(0, 0, 0, 0);
        ui->pan_x = ui->pan_y = 0;
        ui->dragging = false;
    }
    chrome_begin(k);
    enum flow_screen s = k->f->screen;
    if (s >= 0 && s < SCREEN_COUNT && screens[s])
        screens[s](k);
    if (zoom)
        zoom_end(ui);
    chrome_end(k);
    ui_focus_settle(ui);
    if (ui->keys && ui->focus_w >= 0)
        ui_focus_ring(k, k->widgets[ui->focus_w].bounds);
    if (k->anim_period_ms > 0 && !ui->cfg.still) {
        int64_t p = k->anim_period_ms;
        ui->next_anim = (k->anim_ms / p + 1) * p;
    } else {
        ui->next_anim = 0;
    }
    ui->anim_rect = k->anim_whole ? kit_rect(0, 0, 0, 0) : k->anim_rect;
    ui->camera_rect = k->camera_rect;
}

/* Draws the frame; only inside clip when its w is not 0 (the rest of
 * the last frame stays as it was). */
static void draw_frame(struct ui *ui, bool present, SDL_Rect clip)
{
    struct kit *k = &ui->k;
    bool partial = clip.w > 0 && clip.h > 0;
    k->frame_clip = partial ? clip : kit_rect(0, 0, 0, 0);
    k->frame_cover = partial ? ui->camera_rect : kit_rect(0, 0, 0, 0);
    SDL_RenderSetClipRect(k->r, partial ? &clip : NULL);
    build(ui);
    SDL_RenderSetClipRect(k->r, NULL);
    k->frame_clip = kit_rect(0, 0, 0, 0);
    if (present)
        ui_present(ui, partial ? clip : kit_rect(0, 0, 0, 0));
    ui->dirty = false;
    ui->camera_due = false;
    ui->drew_once = true;
    ui->frames++;
    ui->frames_partial += partial;
}

/* Adds r to the area *u to draw again; false if r is none (the whole
 * frame must be drawn). */
static bool add_area(SDL_Rect *u, SDL_Rect r)
{
    if (r.w <= 0 || r.h <= 0)
        return false;
    SDL_Rect x = r;
    if (u->w > 0 && u->h > 0)
        SDL_UnionRect(u, &r, &x);
    *u = x;
    return true;
}

bool ui_render(struct ui *ui)
{
    if (!ui->have_view)
        return false;
    ui_renderer_follow(ui); /* a window's framebuffer made again: all of it anew */
    bool due = ui->next_anim && now_ticks(ui) >= ui->next_anim;
    if (!ui->dirty && !due && !ui->camera_due)
        return false;
    /* Only an animation's step or a camera picture: draw only its area
     * when the target still holds the last frame. */
    SDL_Rect clip = {0, 0, 0, 0};
    bool part = !ui->dirty && ui->keeps_frame && ui->drew_once && !ui_zooming(ui);
    if (part && due)
        part = add_area(&clip, ui->anim_rect);
    if (part && ui->camera_due)
        part = add_area(&clip, ui->camera_rect);
    if (!part)
        clip = kit_rect(0, 0, 0, 0);
    draw_frame(ui, true, clip);
    return true;
}

void ui_frames(const struct ui *ui, uint64_t *all, uint64_t *partial)
{
    *all = ui->frames;
    *partial = ui->frames_partial;
}

struct ui_cache_bytes ui_cache_bytes(const struct ui *ui)
{
    return (struct ui_cache_bytes){text_cache_bytes(&ui->k), tex_cache_bytes(&ui->k),
                                   text_cache_frame_most(&ui->k), TEXT_CACHE_BYTES};
}

void ui_camera_size(const struct ui *ui, int *w, int *h)
{
    double s = ui->k.geo.scale > 0 ? ui->k.geo.scale : 1.0;
    *w = (int)(ui->camera_rect.w * s + 0.5);
    *h = (int)(ui->camera_rect.h * s + 0.5);
}

int ui_next_frame_ms(const struct ui *ui)
{
    if (ui->dirty || ui->camera_due)
        return 0;
    if (!ui->next_anim)
        return -1;
    int64_t d = ui->next_anim - now_ticks(ui);
    return d > 0 ? (int)d : 0;
}

size_t ui_widgets(const struct ui *ui, const struct ui_widget **out)
{
    *out = ui->k.widgets;
    return ui->k.nwidgets;
}

const struct ui_widget *ui_find(const struct ui *ui, const char *label)
{
    const struct kit *k = &ui->k;
    for (size_t i = 0; i < k->nwidgets; i++)
        if (ui_interactive(&k->widgets[i]) && strcmp(k->widgets[i].label, label) == 0)
            return &k->widgets[i];
    for (size_t i = 0; i < k->nwidgets; i++)
        if (ui_interactive(&k->widgets[i]) && strstr(k->widgets[i].label, label))
            return &k->widgets[i];
    return NULL;
}

static SDL_Rect grow(SDL_Rect r, int d)
{
    SDL_Rect g = {r.x - d, r.y - d, r.w + 2 * d, r.h + 2 * d};
    return g;
}

static const struct ui_widget *hit(const struct ui *ui, int x, int y)
{
    const struct kit *k = &ui->k;
    SDL_Point p = {x, y};
    /* exact bounds first, so the slop never steals from a neighbour;
     * the last drawn wins (overlays are drawn last) */
    for (size_t i = k->nwidgets; i-- > 0;)
        if (ui_interactive(&k->widgets[i]) && SDL_PointInRect(&p, &k->widgets[i].bounds))
            return &k->widgets[i];
    for (size_t i = k->nwidgets; i-- > 0;) {
        SDL_Rect g = grow(k->widgets[i].bounds, HIT_SLOP);
        if (ui_interactive(&k->widgets[i]) && SDL_PointInRect(&p, &g))
            return &k->widgets[i];
    }
    return NULL;
}

static void press(struct ui *ui, int x, int y)
{
    const struct ui_widget *w = hit(ui, x, y);
    const struct flow *f = ui->k.f;
    if (ui->keys) {
        ui->keys = false; /* a touch: the ring goes */
        ui->dirty = true;
    }
    SDL_Point p = {x, y};
    if (!w && ui_zooming(ui) && SDL_PointInRect(&p, &ui->zoom_view)) {
        ui->dragging = true; /* 放大查看: the finger moves the picture */
        ui->drag_x = x;
        ui->drag_y = y;
        return;
    }
    if (!w && f && f->screen == SCREEN_CLOSED && f->hours_closed) {
        /* After office hours a touch anywhere off the widgets (the corner)
         * lights the closed screen. */
        ui->pressing = true;
        ui->press_rect = kit_rect(0, 0, ui->k.w, ui->k.h);
        ui->press_in = IN_WAKE;
        ui->press_arg = 0;
        return;
    }
    if (!w)
        return;
    ui->pressing = true;
    ui->press_rect = grow(w->bounds, HIT_SLOP);
    ui->press_in = w->input;
    ui->press_arg = w->arg;
    snprintf(ui->k.pressed_id, sizeof ui->k.pressed_id, "%s", w->id);
    ui->dirty = true;
}

static void cancel_press(struct ui *ui)
{
    ui->pressing = false;
    if (ui->k.pressed_id[0]) {
        ui->k.pressed_id[0] = '\0';
        ui->dirty = true;
    }
}

static bool release(struct ui *ui, int x, int y, enum flow_input *in, int *arg)
{
    ui->dragging = false;
    if (!ui->pressing)
        return false;
    SDL_Point p = {x, y};
    bool inside = SDL_PointInRect(&p, &ui->press_rect);
    enum flow_input pin = ui->press_in;
    int parg = ui->press_arg;
    cancel_press(ui);
    if (!inside)
        return false;
    *in = pin;
    *arg = parg;
    return true;
}

static void motion(struct ui *ui, int x, int y)
{
    if (ui->dragging) {
        /* the picture follows the finger: half the way in content pixels */
        ui->pan_x -= (x - ui->drag_x) / 2;
        ui->pan_y -= (y - ui->drag_y) / 2;
        ui->drag_x = x;
        ui->drag_y = y;
        ui_clamp_pan(ui);
        ui->dirty = true;
        return;
    }
    if (!ui->pressing)
        return;
    SDL_Point p = {x, y};
    if (!SDL_PointInRect(&p, &ui->press_rect))
        cancel_press(ui); /* sliding off cancels */
}

bool ui_handle_event(struct ui *ui, const SDL_Event *e, enum flow_input *in, int *arg)
{
    struct kit *k = &ui->k;
    *in = IN_NONE;
    *arg = 0;
    switch (e->type) {
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            press(ui, e->button.x, e->button.y);
        return false;
    case SDL_MOUSEBUTTONUP:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            return release(ui, e->button.x, e->button.y, in, arg);
        return false;
    case SDL_MOUSEMOTION:
        if (e->motion.which != SDL_TOUCH_MOUSEID)
            motion(ui, e->motion.x, e->motion.y);
        return false;
    case SDL_FINGERDOWN:
        press(ui, (int)(e->tfinger.x * (float)k->w), (int)(e->tfinger.y * (float)k->h));
        return false;
    case SDL_FINGERUP:
        return release(ui, (int)(e->tfinger.x * (float)k->w), (int)(e->tfinger.y * (float)k->h), in,
                       arg);
    case SDL_FINGERMOTION:
        motion(ui, (int)(e->tfinger.x * (float)k->w), (int)(e->tfinger.y * (float)k->h));
        return false;
    case SDL_KEYDOWN:
        if (e->key.keysym.sym == SDLK_F2 && k->f && k->f->demo &&
            k->f->screen == SCREEN_INSERT_CARD && kit_demo_count() > 0) {
            *in = IN_DEMO_CARD;
            *arg = k->demo_pick % kit_demo_count();
            k->demo_pick++;
            return true;
        }
        return ui_key(ui, &e->key.keysym, in, arg);
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            ui_relayout(ui);
            cancel_press(ui);
        }
        if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
            e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            ui->dirty = true;
        return false;
    case SDL_DISPLAYEVENT: /* a display turned or changed its mode */
        if (ui->win && ui->cfg.fullscreen) {
            SDL_Rect d;
            if (SDL_GetDisplayBounds(SDL_GetWindowDisplayIndex(ui->win), &d) == 0)
                SDL_SetWindowSize(ui->win, d.w, d.h);
        }
        ui_relayout(ui);
        ui->dirty = true;
        return false;
    case SDL_SYSWMEVENT:
        if (ui->cfg.fullscreen)
            x11_screen_follow(ui->win, e); /* SIZE_CHANGED follows */
        return false;
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        text_cache_flush(k);
        tex_cache_flush(k);
        ui->dirty = true;
        return false;
    default:
        return false;
    }
}

uint32_t *ui_read_pixels(struct ui *ui, int *w, int *h)
{
    struct kit *k = &ui->k;
    if (!ui->have_view)
        return NULL;
    ui_renderer_follow(ui);
    /* the back buffer is undefined after a present: draw again, read, present */
    draw_frame(ui, false, kit_rect(0, 0, 0, 0));
    int pw = k->geo.px_w, ph = k->geo.px_h;
    uint32_t *px = malloc(px_area(pw, ph) * 4);
    if (!px)
        return NULL;
    if (ui->surf) {
        for (int y = 0; y < ph; y++)
            memcpy(px + px_at(0, y, pw), (uint8_t *)ui->surf->pixels + px_at(0, y, ui->surf->pitch),
                   (size_t)pw * 4);
    } else {
        /* the whole output, the scaling to the canvas set aside */
        SDL_RenderSetLogicalSize(k->r, 0, 0);
        int rc = SDL_RenderReadPixels(k->r, NULL, SDL_PIXELFORMAT_ARGB8888, px, pw * 4);
        SDL_RenderSetLogicalSize(k->r, k->w, k->h);
        if (rc != 0) {
            free(px);
            return NULL;
        }
    }
    ui_present(ui, kit_rect(0, 0, 0, 0));
    *w = pw;
    *h = ph;
    return px;
}

int ui_screenshot(struct ui *ui, const char *png_path)
{
    int w, h;
    uint32_t *px = ui_read_pixels(ui, &w, &h);
    if (!px)
        return ERR_IO;
    /* 0xXXRRGGBB pixels as RGB, packed in place (libpng's simplified writer) */
    uint8_t *rgb = (uint8_t *)px;
    for (size_t i = 0, n = (size_t)w * (size_t)h; i < n; i++) {
        uint32_t v = px[i];
        rgb[i * 3] = (uint8_t)(v >> 16);
        rgb[i * 3 + 1] = (uint8_t)(v >> 8);
        rgb[i * 3 + 2] = (uint8_t)v;
    }
    png_image img = {.version = PNG_IMAGE_VERSION,
                     .width = (png_uint_32)w,
                     .height = (png_uint_32)h,
                     .format = PNG_FORMAT_RGB};
    int ok = png_image_write_to_file(&img, png_path, 0, rgb, 0, NULL);
    free(px);
    return ok ? 0 : ERR_IO;
}

void ui_set_orientation(struct ui *ui, bool landscape)
{
    struct kit *k = &ui->k;
    enum geometry_orientation o = landscape ? ORIENT_LANDSCAPE : ORIENT_PORTRAIT;
    if (o == ui->cfg.orientation && landscape == k->landscape)
        return;
    ui->cfg.orientation = o;
    if (ui->cfg.headless) {
        /* the same panel turned */
        if (landscape != (k->geo.px_w > k->geo.px_h)) {
            ui->cfg.width = k->geo.px_h;
            ui->cfg.height = k->geo.px_w;
        }
        ui_renderer_drop(ui);
        ui_renderer_make(ui);
    } else if (!ui->cfg.fullscreen) {
        SDL_Rect at = window_rect(&ui->cfg);
        SDL_SetWindowSize(ui->win, at.w, at.h);
        SDL_SetWindowPosition(ui->win, at.x, at.y);
    }
    ui_relayout(ui);
    cancel_press(ui);
    ui->dirty = true;
}

const struct geometry *ui_geometry(const struct ui *ui)
{
    return &ui->k.geo;
}

int ui_text_min(const struct ui *ui)
{
    return ui->k.text_min;
}

int ui_layout_issues(const struct ui *ui, const char **first)
{
    if (first)
        *first = ui->k.issues ? ui->k.issue[0] : NULL;
    return ui->k.issues;
}
