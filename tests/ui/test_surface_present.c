/* test_surface_present.c - on a real X display, a partial frame of the
 * surface presentation sends its own area and nothing else, and the
 * screen then shows what a whole frame shows.
 *
 * Run by surface_present.sh on a private Xvfb (DISPLAY set). The kiosk's
 * window, renderer = surface: no OpenGL library is mapped. The X window
 * is painted a marker colour behind the kiosk's back (another X
 * connection), then an animation's step is drawn: the X screen must show
 * the marker everywhere outside the step's area (it was not sent again)
 * and, inside it, exactly the pixels of the whole frame drawn at the same
 * moment. A presentation that sent the whole window, nothing, or another
 * area fails. Then the window is resized: the framebuffer and the
 * renderer are made again (every texture with them) and the screen shows
 * the whole new frame. */
#include "core/i18n.h"
#include "tests/unit/check.h"
#include "ui/ui.h"
#include "ui/ui_internal.h"
#include "ui_fixtures.h"

#include <SDL2/SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARKER 0xFF00FFu

static struct flow g_flow;
static struct session g_session;
static unsigned g_gen;

static void set_view(struct ui *ui, enum flow_screen screen, bool new_generation)
{
    if (new_generation) {
        fixture_flow(&g_flow, screen);
        g_gen++;
    }
    struct ui_view v = {.generation = g_gen, .flow = &g_flow, .session = &g_session};
    ui_set_view(ui, &v);
}

/* Whether a library of OpenGL (Mesa, LLVM, GLX, EGL) is mapped. */
static bool gl_mapped(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return true;
    char line[512];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, "libGL") || strstr(line, "libEGL") || strstr(line, "libLLVM") ||
                strstr(line, "_dri.so");
    fclose(f);
    return found;
}

/* Lets the kiosk take its window's events (map, expose, size) and draws
 * what they ask for. */
static void pump(struct ui *ui, int ms)
{
    uint64_t end = SDL_GetTicks64() + (uint64_t)ms;
    do {
        SDL_Event e;
        enum flow_input in;
        int arg;
        while (SDL_PollEvent(&e))
            ui_handle_event(ui, &e, &in, &arg);
        set_view(ui, g_flow.screen, false);
        ui_render(ui);
        SDL_Delay(10);
    } while (SDL_GetTicks64() < end);
}

static Window x_window(struct ui *ui)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!SDL_GetWindowWMInfo(ui->win, &info) || info.subsystem != SDL_SYSWM_X11)
        return 0;
    return info.info.x11.window;
}

/* The window's pixels as the X server holds them (0xRRGGBB). */
static uint32_t *x_pixels(Display *d, Window w, int *pw, int *ph)
{
    XWindowAttributes at;
    XGetWindowAttributes(d, w, &at);
    XImage *img =
        XGetImage(d, w, 0, 0, (unsigned)at.width, (unsigned)at.height, AllPlanes, ZPixmap);
    if (!img)
        return NULL;
    uint32_t *px = malloc((size_t)at.width * (size_t)at.height * 4);
    for (int y = 0; px && y < at.height; y++)
        for (int x = 0; x < at.width; x++)
            px[(size_t)y * (size_t)at.width + (size_t)x] =
                (uint32_t)XGetPixel(img, x, y) & 0xFFFFFFu;
    XDestroyImage(img);
    *pw = at.width;
    *ph = at.height;
    return px;
}

static void paint_marker(Display *d, Window w)
{
    GC gc = XCreateGC(d, w, 0, NULL);
    XSetForeground(d, gc, MARKER);
    XFillRectangle(d, w, gc, 0, 0, 10000, 10000);
    XFreeGC(d, gc);
    XSync(d, False);
}

/* All the animations' steps (125, 400, 500 ms) the same at a and b. */
static bool same_step(uint64_t a, uint64_t b)
{
    return a / 125 == b / 125 && a / 400 == b / 400 && a / 500 == b / 500;
}

/* The area r of the canvas in the window's pixels, grown by g. */
static SDL_Rect area_px(const struct ui *ui, SDL_Rect r, int g)
{
    const struct kit *k = &ui->k;
    double s = k->geo.scale;
    double ox = (k->geo.px_w - k->w * s) / 2, oy = (k->geo.px_h - k->h * s) / 2;
    return (SDL_Rect){(int)(ox + r.x * s) - g, (int)(oy + r.y * s) - g, (int)(r.w * s) + 2 * g + 1,
                      (int)(r.h * s) + 2 * g + 1};
}

/* One animation step on screen: only its area sent, the same pixels as
 * the whole frame there. */
static void step_case(struct ui *ui, Display *d, Window xw, enum flow_screen screen,
                      const char *name)
{
    set_view(ui, screen, true);
    pump(ui, 300);
    bool compared = false;
    for (int attempt = 0; attempt < 20 && !compared; attempt++) {
        paint_marker(d, xw);
        uint64_t t0 = 0;
        int step = fixture_next_step(ui, set_view, screen, &t0);
        CHECK(step >= 0); /* it animates */
        if (step < 0)
            return;
        CHECK(step == 1); /* drawn only in its area */
        int w = 0, h = 0, ww = 0, wh = 0;
        uint32_t *screen_px = x_pixels(d, xw, &w, &h);
        uint32_t *whole = ui_read_pixels(ui, &ww, &wh);
        if (!same_step(t0, SDL_GetTicks64())) {
            free(screen_px);
            free(whole);
            continue; /* the step turned between the two: again */
        }
        compared = true;
        CHECK(screen_px && whole && w == ww && h == wh);
        if (!screen_px || !whole || w != ww || h != wh) {
            free(screen_px);
            free(whole);
            return;
        }
        SDL_Rect in = area_px(ui, ui->anim_rect, -2), out = area_px(ui, ui->anim_rect, 6);
        long inside = 0, inside_bad = 0, outside = 0, outside_sent = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                SDL_Point p = {x, y};
                uint32_t s = screen_px[(size_t)y * (size_t)w + (size_t)x];
                if (SDL_PointInRect(&p, &in)) {
                    inside++;
                    inside_bad += s != (whole[(size_t)y * (size_t)w + (size_t)x] & 0xFFFFFFu);
                } else if (!SDL_PointInRect(&p, &out)) {
                    outside++;
                    outside_sent += s != MARKER;
                }
            }
        if (inside_bad || outside_sent || !inside)
            printf("  %s: %ld of %ld pixels in the step's area differ from the whole frame, "
                   "%ld of %ld outside it were sent\n",
                   name, inside_bad, inside, outside_sent, outside);
        CHECK(inside > 0 && inside_bad == 0);
        CHECK(outside > 0 && outside_sent == 0);
        free(screen_px);
        free(whole);
    }
    CHECK(compared);
}

/* The window resized: a new framebuffer, the renderer and its textures
 * made again; the screen shows the whole new frame. */
static void resize_case(struct ui *ui, Display *d, Window xw)
{
    set_view(ui, SCREEN_RECORDS, true);
    pump(ui, 300);
    SDL_SetWindowSize(ui->win, 1200, 700);
    pump(ui, 800);
    CHECK_EQ_STR(ui_renderer_name(ui), "surface");
    CHECK_EQ_INT(ui->k.geo.px_w, 1200);
    CHECK_EQ_INT(ui->k.geo.px_h, 700);
    int w = 0, h = 0, ww = 0, wh = 0;
    uint32_t *screen_px = x_pixels(d, xw, &w, &h);
    uint32_t *whole = ui_read_pixels(ui, &ww, &wh);
    CHECK(screen_px && whole && w == ww && h == wh);
    long differ = 0;
    for (size_t i = 0; screen_px && whole && w == ww && h == wh && i < (size_t)w * (size_t)h; i++)
        differ += screen_px[i] != (whole[i] & 0xFFFFFFu);
    if (differ)
        printf("  resized: %ld pixels of the screen differ from the whole frame\n", differ);
    CHECK_EQ_INT(differ, 0);
    free(screen_px);
    free(whole);
}

int main(void)
{
    if (!getenv("DISPLAY")) {
        fprintf(stderr, "test_surface_present: no DISPLAY (surface_present.sh starts Xvfb)\n");
        return 1;
    }
    CHECK_EQ_INT(i18n_load("assets/strings"), 0);
    struct ui_config cfg = {.renderer = UI_RENDERER_SURFACE,
                            .office = "焦作市不动产登记中心",
                            .hall = "解放区服务大厅",
                            .terminal = "03"};
    struct ui *ui = ui_create(&cfg);
    CHECK(ui != NULL);
    Display *d = XOpenDisplay(NULL);
    CHECK(d != NULL);
    if (!ui || !d)
        return check_report("test_surface_present");
    CHECK_EQ_STR(ui_renderer_name(ui), "surface");
    CHECK(!gl_mapped());
    Window xw = x_window(ui);
    CHECK(xw != 0);
    fixture_session(&g_session, 3);
    step_case(ui, d, xw, SCREEN_LOADING, "spinner");
    step_case(ui, d, xw, SCREEN_INSERT_CARD, "dots");
    resize_case(ui, d, xw);
    CHECK(!gl_mapped());
    XCloseDisplay(d);
    ui_destroy(ui);
    i18n_unload();
    return check_report("test_surface_present");
}
