/* ui_present.c - the renderer and how a frame reaches the screen.
 *
 * Three targets:
 * - headless: SDL's software renderer on a memory surface (the tests, the
 *   control socket's screenshots);
 * - surface: the same software renderer drawing into the window's own
 *   framebuffer (on X11 an XShm image), and only the area drawn sent to
 *   the X server (SDL_UpdateWindowSurfaceRects). The framebuffer keeps
 *   the last frame, so an animation's step or a camera picture draws and
 *   sends its own area alone; no OpenGL is loaded at all (the window is
 *   made without SDL_WINDOW_OPENGL and SDL is told not to emulate the
 *   framebuffer with a GL texture), which on a display without a GPU
 *   (Mesa's llvmpipe) saves its threads' whole-frame redraws and about
 *   100 MB of Mesa and LLVM;
 * - gl: SDL's accelerated renderer (OpenGL, vsync): every frame whole,
 *   for a hall whose PC has a GPU that draws them for nothing.
 * [display] renderer = auto takes surface on X11 and gl elsewhere: under
 * Wayland (cage) SDL2 has no framebuffer of its own and emulates one
 * with a GL renderer that sends the whole window each time, so surface
 * gains nothing there (app/ui/README.md, Presentation, has the figures).
 *
 * The window's framebuffer is made again by SDL whenever the window
 * changes size (a resize, a display turned, fullscreen): the renderer
 * drew into the old one, so it is made again too, and every texture it
 * made (text and mask caches, camera picture, preview, zoom) dropped to
 * be made again on the next frame. SDL converts a window's mouse and
 * finger positions to the canvas for a renderer it knows the window of;
 * this renderer has none, so an event watch here does the same. UI
 * thread only (the watch reads the ui only for input events, which SDL
 * pumps on the UI thread).
 */
#include "base/err.h"
#include "base/log.h"
#include "ui/kit.h"
#include "ui/ui_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The reference panel in the configured orientation: a headless screen
 * of no given size. */
static void reference_size(const struct ui_config *cfg, int *w, int *h)
{
    bool land = cfg->orientation == ORIENT_LANDSCAPE;
    *w = land ? GEOMETRY_REF_LONG : GEOMETRY_REF_SHORT;
    *h = land ? GEOMETRY_REF_SHORT : GEOMETRY_REF_LONG;
}

static bool on_x11(void)
{
    const char *d = SDL_GetCurrentVideoDriver();
    return d && strcmp(d, "x11") == 0;
}

static bool want_surface(const struct ui_config *cfg)
{
    if (cfg->renderer != UI_RENDERER_AUTO)
        return cfg->renderer == UI_RENDERER_SURFACE;
    /* a renderer named in SDL's own variable (SDL_RENDER_DRIVER) is SDL's to make */
    const char *named = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
    return on_x11() && !(named && *named);
}

/* The canvas's place on the output: real pixels per canvas pixel and the
 * letterbox's offsets, as SDL_RenderSetLogicalSize lays it out. */
void kit_canvas_place(const struct kit *k, float *s, float *ox, float *oy)
{
    float sy;
    SDL_RenderGetScale(k->r, s, &sy);
    if (*s <= 0)
        *s = 1;
    *ox = ((float)k->geo.px_w - (float)k->w * *s) / 2;
    *oy = ((float)k->geo.px_h - (float)k->h * *s) / 2;
}

/* A window's pointer and fingers, from the window's coordinates to the
 * canvas's (what SDL does for a renderer of its window). */
static int SDLCALL to_canvas(void *data, SDL_Event *e)
{
    switch (e->type) {
    case SDL_MOUSEMOTION:
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
        break;
    default:
        return 1; /* any thread's events: the ui is not touched */
    }
    struct ui *ui = data;
    const struct kit *k = &ui->k;
    if (!ui->surface_mode || !k->r || k->w <= 0 || k->h <= 0)
        return 1;
    int ww = 0, wh = 0, pw = 0, ph = 0;
    SDL_GetWindowSize(ui->win, &ww, &wh);
    SDL_GetWindowSizeInPixels(ui->win, &pw, &ph);
    if (ww <= 0 || wh <= 0)
        return 1;
    float dx = (float)pw / (float)ww, dy = (float)ph / (float)wh, s, ox, oy;
    kit_canvas_place(&ui->k, &s, &ox, &oy);
#define CX(x) ((int)floorf(((float)(x)*dx - ox) / s))
#define CY(y) ((int)floorf(((float)(y)*dy - oy) / s))
    switch (e->type) {
    case SDL_MOUSEMOTION:
        e->motion.x = CX(e->motion.x);
        e->motion.y = CY(e->motion.y);
        e->motion.xrel = (int)lroundf((float)e->motion.xrel * dx / s);
        e->motion.yrel = (int)lroundf((float)e->motion.yrel * dy / s);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        e->button.x = CX(e->button.x);
        e->button.y = CY(e->button.y);
        break;
    default: { /* a finger: 0..1 of the window, then of the canvas */
        float fx = ((float)pw * e->tfinger.x - ox) / s / (float)k->w;
        float fy = ((float)ph * e->tfinger.y - oy) / s / (float)k->h;
        e->tfinger.x = fx < 0 ? 0 : (fx > 1 ? 1 : fx);
        e->tfinger.y = fy < 0 ? 0 : (fy > 1 ? 1 : fy);
        break;
    }
    }
#undef CX
#undef CY
    return 1;
}

/* The software renderer into the window's framebuffer; ERR_IO if SDL
 * has none to give. */
static int make_surface(struct ui *ui)
{
    struct kit *k = &ui->k;
    /* SDL would otherwise make the framebuffer a GL texture (and load
     * Mesa); on X11 its own framebuffer is an XShm image. Elsewhere
     * (Wayland) SDL has nothing else: it emulates one. */
    if (on_x11())
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_Surface *ws = SDL_GetWindowSurface(ui->win);
    if (!ws) {
        log_warn("ui", "no framebuffer of the window: %s", SDL_GetError());
        return ERR_IO;
    }
    k->r = SDL_CreateSoftwareRenderer(ws);
    if (!k->r) {
        log_warn("ui", "no software renderer on the window's framebuffer: %s", SDL_GetError());
        return ERR_IO;
    }
    ui->surface_mode = true;
    k->frame_surf = ws;
    ui->win_surf = ws;
    ui->win_pixels = ws->pixels;
    ui->win_w = ws->w;
    ui->win_h = ws->h;
    snprintf(ui->renderer_name, sizeof ui->renderer_name, "surface");
    SDL_AddEventWatch(to_canvas, ui);
    return 0;
}

int ui_renderer_make(struct ui *ui)
{
    struct kit *k = &ui->k;
    if (ui->cfg.headless) {
        int w = ui->cfg.width, h = ui->cfg.height;
        if (w <= 0 || h <= 0)
            reference_size(&ui->cfg, &w, &h);
        ui->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!ui->surf)
            return ERR_NOMEM;
        k->r = SDL_CreateSoftwareRenderer(ui->surf);
        k->frame_surf = ui->surf;
        snprintf(ui->renderer_name, sizeof ui->renderer_name, "headless");
    } else if (!(want_surface(&ui->cfg) && make_surface(ui) == 0)) {
        k->r =
            SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        if (!k->r)
            k->r = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
        SDL_RendererInfo info;
        if (k->r && SDL_GetRendererInfo(k->r, &info) == 0)
            snprintf(ui->renderer_name, sizeof ui->renderer_name, "%s",
                     strcmp(info.name, "opengl") == 0 ? "gl" : info.name);
    }
    if (!k->r) {
        log_err("ui", "cannot create a renderer: %s", SDL_GetError());
        return ERR_IO;
    }
    SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_BLEND);
    SDL_RendererInfo info;
    k->target_format = ui->surface_mode ? ui->win_surf->format->format : SDL_PIXELFORMAT_ARGB8888;
    k->soft = SDL_GetRendererInfo(k->r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    ui->keeps_frame =
        ui->cfg.headless || ui->surface_mode ||
        (SDL_GetRendererInfo(k->r, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE));
    k->geo = (struct geometry){0};
    ui_relayout(ui);
    return 0;
}

void ui_renderer_drop(struct ui *ui)
{
    struct kit *k = &ui->k;
    text_cache_flush(k);
    tex_cache_flush(k);
    ui_drop_pictures(ui);
    if (k->r)
        SDL_DestroyRenderer(k->r);
    k->r = NULL;
    k->frame_surf = NULL;
    if (ui->surf)
        SDL_FreeSurface(ui->surf);
    ui->surf = NULL;
    if (ui->surface_mode)
        SDL_DelEventWatch(to_canvas, ui);
    ui->surface_mode = false;
    ui->win_surf = NULL; /* the window's own: SDL frees it with the window */
    ui->win_pixels = NULL;
}

bool ui_renderer_follow(struct ui *ui)
{
    if (!ui->surface_mode)
        return false;
    SDL_Surface *ws = SDL_GetWindowSurface(ui->win);
    if (ws && ws == ui->win_surf && ws->pixels == ui->win_pixels && ws->w == ui->win_w &&
        ws->h == ui->win_h)
        return false;
    /* SDL made the framebuffer again (a new size), or freed the old one
     * and could not: the renderer and its textures belonged to the old
     * one (with none, make falls back to SDL's renderer, and logs it) */
    ui_renderer_drop(ui);
    if (ui_renderer_make(ui) != 0)
        log_err("ui", "the renderer could not be made again after the window changed");
    ui->dirty = true;
    return true;
}

/* clip (canvas pixels) as the window's pixels, a little larger so that
 * scaling's rounding never leaves a drawn pixel unsent. */
static SDL_Rect to_pixels(const struct ui *ui, SDL_Rect clip)
{
    float s, ox, oy;
    kit_canvas_place(&ui->k, &s, &ox, &oy);
    int pad = (int)ceilf(s) + 1;
    int x0 = (int)floorf(ox + (float)clip.x * s) - pad;
    int y0 = (int)floorf(oy + (float)clip.y * s) - pad;
    int x1 = (int)ceilf(ox + (float)(clip.x + clip.w) * s) + pad;
    int y1 = (int)ceilf(oy + (float)(clip.y + clip.h) * s) + pad;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > ui->win_w ? ui->win_w : x1;
    y1 = y1 > ui->win_h ? ui->win_h : y1;
    return (SDL_Rect){x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

void ui_present(struct ui *ui, SDL_Rect clip)
{
    struct kit *k = &ui->k;
    /* runs the frame's queued drawing; on a surface of its own the
     * software renderer sends nothing */
    SDL_RenderPresent(k->r);
    if (!ui->surface_mode)
        return;
    int rc;
    if (clip.w > 0 && clip.h > 0) {
        SDL_Rect px = to_pixels(ui, clip);
        rc = px.w > 0 && px.h > 0 ? SDL_UpdateWindowSurfaceRects(ui->win, &px, 1) : 0;
    } else {
        rc = SDL_UpdateWindowSurface(ui->win);
    }
    if (rc != 0 && !ui->present_failed) {
        ui->present_failed = true;
        log_warn("ui", "the frame did not reach the window: %s", SDL_GetError());
    }
}

const char *ui_renderer_name(const struct ui *ui)
{
    return ui->renderer_name;
}
