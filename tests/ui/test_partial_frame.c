/* test_partial_frame.c - a frame drawn only where something moved is the
 * frame drawn whole.
 *
 * On a screen with a waiting animation (the spinner, the card's dots and
 * "look here" ring) the next step draws only the animation's area, and on
 * the face capture screen a new camera picture only the picture's area.
 * Each such frame must leave the headless surface exactly as a whole
 * frame drawn at the same moment does, and must be partial (counted). */
#include "core/i18n.h"
#include "tests/unit/check.h"
#include "ui/ui.h"
#include "ui/text_internal.h"
#include "ui/ui_internal.h"
#include "ui_fixtures.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct flow g_flow;
static struct session g_session;
static unsigned g_gen;
static uint8_t g_camera[320 * 240 * 3];
static unsigned g_seq;
/* The picture made for the screen (ui_view.camera_fill), as the face
 * thread makes it: g_pic_w x g_pic_h, opaque ARGB. */
static uint32_t *g_pic;
static int g_pic_w, g_pic_h;
static int g_fills;

static bool fill_picture(void *user, uint32_t *dst, int pitch, SDL_Rect a, int w, int h)
{
    (void)user;
    if (!g_pic || w != g_pic_w || h != g_pic_h || a.x < 0 || a.y < 0 || a.x + a.w > w ||
        a.y + a.h > h)
        return false;
    for (int y = 0; y < a.h; y++)
        memcpy((uint8_t *)dst + (size_t)y * (size_t)pitch,
               g_pic + (size_t)(a.y + y) * (size_t)w + (size_t)a.x, (size_t)a.w * 4);
    g_fills++;
    return true;
}

static void paint_picture(int shift)
{
    for (int y = 0; y < g_pic_h; y++)
        for (int x = 0; x < g_pic_w; x++)
            g_pic[(size_t)y * (size_t)g_pic_w + (size_t)x] =
                0xFF000000u | (uint32_t)((x + shift) & 0xFF) << 16 |
                (uint32_t)((y * 3 + shift) & 0xFF) << 8 | (uint32_t)((x ^ y) & 0xFF);
}

static void paint_camera(int shift)
{
    for (int y = 0; y < 240; y++)
        for (int x = 0; x < 320; x++) {
            uint8_t *p = g_camera + ((size_t)y * 320 + (size_t)x) * 3;
            p[0] = (uint8_t)(x + shift);
            p[1] = (uint8_t)(y * 2 + shift);
            p[2] = (uint8_t)((x ^ y) + shift * 3);
        }
}

static void set_view(struct ui *ui, enum flow_screen screen, bool new_generation)
{
    if (new_generation) {
        fixture_flow(&g_flow, screen);
        g_gen++;
    }
    struct ui_view v = {.generation = g_gen, .flow = &g_flow, .session = &g_session};
    if (screen == SCREEN_FACE_CAPTURE && g_pic) {
        v.camera_fill = fill_picture;
        v.camera_w = g_pic_w;
        v.camera_h = g_pic_h;
        v.camera_seq = g_seq;
    } else if (screen == SCREEN_FACE_CAPTURE) {
        v.camera_rgb = g_camera;
        v.camera_w = 320;
        v.camera_h = 240;
        v.camera_seq = g_seq;
    }
    ui_set_view(ui, &v);
}

/* The surface as the last frame left it. */
static uint32_t *surface_copy(const struct ui *ui)
{
    size_t n = (size_t)ui->surf->pitch * (size_t)ui->surf->h;
    uint32_t *p = malloc(n);
    if (p)
        memcpy(p, ui->surf->pixels, n);
    return p;
}

/* Whether the two frames are the same pixels. ui_read_pixels draws the
 * whole frame again (then its copy is compared with the partial one). */
static bool same_as_whole(struct ui *ui, const uint32_t *partial)
{
    int w, h;
    uint32_t *whole = ui_read_pixels(ui, &w, &h);
    bool same = whole != NULL;
    for (int y = 0; same && y < h; y++)
        same = memcmp(whole + (size_t)y * (size_t)w,
                      (const uint8_t *)partial + (size_t)y * (size_t)ui->surf->pitch,
                      (size_t)w * 4) == 0;
    free(whole);
    return same;
}

/* All the animations' steps (125, 400, 500 ms) the same at a and b. */
static bool same_step(uint64_t a, uint64_t b)
{
    return a / 125 == b / 125 && a / 400 == b / 400 && a / 500 == b / 500;
}

/* Waits for the screen's next animation step, draws it, and compares it
 * with the whole frame; a step that turns between the two is tried again. */
static void animation_case(struct ui *ui, enum flow_screen screen, const char *name)
{
    set_view(ui, screen, true);
    CHECK(ui_render(ui)); /* a new screen: whole */
    bool compared = false;
    for (int attempt = 0; attempt < 20 && !compared; attempt++) {
        uint64_t t0 = 0;
        int step = fixture_next_step(ui, set_view, screen, &t0);
        CHECK(step >= 0); /* it animates */
        if (step < 0)
            return;
        CHECK(step == 1); /* drawn, and only the area */
        uint32_t *partial = surface_copy(ui);
        bool same = partial && same_as_whole(ui, partial);
        if (same_step(t0, SDL_GetTicks64())) {
            compared = true;
            if (!same)
                printf("  %s: the partial frame differs from the whole one\n", name);
            CHECK(same);
        }
        free(partial);
    }
    CHECK(compared);
}

/* A new camera picture with the view otherwise the same: only the
 * picture's area, the same pixels as the whole frame. */
static void camera_case(struct ui *ui)
{
    g_seq = 1;
    paint_camera(0);
    set_view(ui, SCREEN_FACE_CAPTURE, true);
    CHECK(ui_render(ui));
    for (int i = 1; i <= 3; i++) {
        g_seq++;
        paint_camera(i * 40);
        uint64_t all0, part0, all1, part1;
        ui_frames(ui, &all0, &part0);
        set_view(ui, SCREEN_FACE_CAPTURE, false);
        CHECK(ui_next_frame_ms(ui) == 0);
        CHECK(ui_render(ui));
        ui_frames(ui, &all1, &part1);
        CHECK(all1 == all0 + 1 && part1 == part0 + 1);
        uint32_t *partial = surface_copy(ui);
        CHECK(partial && same_as_whole(ui, partial));
        free(partial);
    }
    /* The same texts laid out again measure nothing: every width is in
     * the cache, a piece at two sizes (the guidance's first character at
     * display and body size) in two places. */
    unsigned long measured = text_cache_measured(&ui->k);
    g_seq++;
    set_view(ui, SCREEN_FACE_CAPTURE, false);
    CHECK(ui_render(ui));
    CHECK(text_cache_measured(&ui->k) == measured);
}

/* The picture made at the panel's size (ui_camera_size): copied straight
 * into the frame (headless, one canvas pixel a real pixel: no texture of
 * it is made), only its area, the same pixels as the whole frame (the
 * canvas under it left unfilled). */
static void picture_case(struct ui *ui)
{
    int w = 0, h = 0;
    ui_camera_size(ui, &w, &h); /* the frame camera_case drew last */
    CHECK(w > 300 && h > 300);
    g_pic_w = w;
    g_pic_h = h;
    g_pic = malloc((size_t)w * (size_t)h * 4);
    CHECK(g_pic != NULL);
    if (!g_pic)
        return;
    g_seq = 1;
    paint_picture(0);
    set_view(ui, SCREEN_FACE_CAPTURE, true);
    CHECK(ui_render(ui));
    for (int i = 1; i <= 3; i++) {
        g_seq++;
        paint_picture(i * 40);
        int fills = g_fills;
        uint64_t all0, part0, all1, part1;
        ui_frames(ui, &all0, &part0);
        set_view(ui, SCREEN_FACE_CAPTURE, false);
        CHECK(ui_render(ui));
        ui_frames(ui, &all1, &part1);
        CHECK(all1 == all0 + 1 && part1 == part0 + 1);
        CHECK_EQ_INT(g_fills, fills + 1);
        CHECK(ui->k.camera_tex == NULL);
        uint32_t *partial = surface_copy(ui);
        CHECK(partial && same_as_whole(ui, partial));
        CHECK_EQ_INT(g_fills, fills + 2); /* the whole frame copied the same picture again */
        /* the picture itself, unscaled, where the panel is */
        SDL_Rect r = ui->camera_rect;
        const uint8_t *row =
            (const uint8_t *)partial + (size_t)(r.y + h / 2) * (size_t)ui->surf->pitch;
        CHECK(partial && ((const uint32_t *)(const void *)row)[r.x + w / 2] ==
                             g_pic[(size_t)(h / 2) * (size_t)w + (size_t)(w / 2)]);
        free(partial);
    }
    free(g_pic);
    g_pic = NULL;
}

int main(void)
{
    CHECK_EQ_INT(i18n_load("assets/strings"), 0);
    struct ui_config cfg = {.width = 1080,
                            .height = 1920,
                            .headless = true,
                            .office = "焦作市不动产登记中心",
                            .hall = "解放区服务大厅",
                            .terminal = "03"};
    struct ui *ui = ui_create(&cfg);
    CHECK(ui != NULL);
    if (!ui)
        return check_report("test_partial_frame");
    fixture_session(&g_session, 3);
    animation_case(ui, SCREEN_LOADING, "loading");
    animation_case(ui, SCREEN_INSERT_CARD, "insert_card");
    camera_case(ui);
    picture_case(ui);
    memset(&g_session, 0, sizeof g_session);
    set_view(ui, SCREEN_HOME, true);
    ui_render(ui);
    CHECK(ui_next_frame_ms(ui) == -1); /* home: nothing moves, no frame due */
    ui_destroy(ui);
    i18n_unload();
    return check_report("test_partial_frame");
}
