/* camera_sim.c - a simulated camera that draws a scene per frame.
 *
 * Frames are real RGB24 pictures (a face shape with eyes that blink, a
 * printed photo that never does, an empty hall), produced at 15 frames a
 * second on the caller's (face) thread, so the preview, the mailbox and
 * the frame hand-over run exactly as with a real camera. Each frame also
 * says what it shows (camera_frame.truth) for the stand-in analysis.
 */
#include "camera.h"

#include "base/clock.h"
#include "base/err.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIM_W        640
#define SIM_H        480
#define SIM_FRAME_MS 66

struct camera_sim {
    _Atomic int scene;
    uint8_t *pixels;
    uint32_t seq;
    int64_t next_ms;
    int streaming;
};

struct camera_sim *camera_sim_create(void)
{
    struct camera_sim *s = calloc(1, sizeof *s);
    return s;
}

void camera_sim_destroy(struct camera_sim *sim)
{
    if (!sim)
        return;
    if (sim->pixels) {
        explicit_bzero(sim->pixels, SIM_W * SIM_H * 3);
        free(sim->pixels);
    }
    free(sim);
}

void camera_sim_set_scene(struct camera_sim *sim, enum camera_sim_scene scene)
{
    atomic_store(&sim->scene, (int)scene);
}

int camera_sim_scene_parse(const char *name)
{
    static const char *const names[] = {"live", "absent", "photo", "two", "dark"};
    for (int i = 0; i < 5; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

static int sim_open(void *ctx)
{
    struct camera_sim *s = ctx;
    if (!s->pixels)
        s->pixels = malloc(SIM_W * SIM_H * 3);
    return s->pixels ? ERR_OK : ERR_NOMEM;
}

static int sim_start(void *ctx)
{
    struct camera_sim *s = ctx;
    s->streaming = 1;
    s->next_ms = clock_mono_ms();
    return ERR_OK;
}

static void fill(uint8_t *px, int x0, int y0, int x1, int y1, uint8_t r, uint8_t g, uint8_t b)
{
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < SIM_H; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < SIM_W; x++) {
            uint8_t *p = px + (y * SIM_W + x) * 3;
            p[0] = r;
            p[1] = g;
            p[2] = b;
        }
}

static void ellipse(uint8_t *px, int cx, int cy, int rx, int ry, uint8_t r, uint8_t g, uint8_t b)
{
    for (int y = cy - ry; y <= cy + ry; y++)
        for (int x = cx - rx; x <= cx + rx; x++) {
            if (x < 0 || y < 0 || x >= SIM_W || y >= SIM_H)
                continue;
            long dx = x - cx, dy = y - cy;
            if (dx * dx * ry * ry + dy * dy * rx * rx <= (long)rx * rx * ry * ry) {
                uint8_t *p = px + (y * SIM_W + x) * 3;
                p[0] = r;
                p[1] = g;
                p[2] = b;
            }
        }
}

static void draw_face(uint8_t *px, int cx, int cy, int scale, int eyes_closed, int dim)
{
    int k = dim ? 3 : 1;
    ellipse(px, cx, cy + scale * 150 / 100, scale * 150 / 100, scale * 70 / 100, 40 / k, 70 / k,
            110 / k);                                                        /* shoulders */
    ellipse(px, cx, cy, scale * 78 / 100, scale, 224 / k, 184 / k, 150 / k); /* face */
    ellipse(px, cx, cy - scale * 80 / 100, scale * 80 / 100, scale * 35 / 100, 40 / k, 30 / k,
            25 / k); /* hair */
    int ey = cy - scale * 18 / 100, ex = scale * 30 / 100;
    if (eyes_closed) {
        fill(px, cx - ex - 14, ey, cx - ex + 14, ey + 3, 60 / k, 40 / k, 30 / k);
        fill(px, cx + ex - 14, ey, cx + ex + 14, ey + 3, 60 / k, 40 / k, 30 / k);
    } else {
        ellipse(px, cx - ex, ey, 14, 8, 250 / k, 250 / k, 250 / k);
        ellipse(px, cx + ex, ey, 14, 8, 250 / k, 250 / k, 250 / k);
        ellipse(px, cx - ex, ey, 6, 6, 30 / k, 20 / k, 20 / k);
        ellipse(px, cx + ex, ey, 6, 6, 30 / k, 20 / k, 20 / k);
    }
    fill(px, cx - 25, cy + scale * 45 / 100, cx + 25, cy + scale * 45 / 100 + 5, 170 / k, 90 / k,
         90 / k); /* mouth */
}

static int sim_read(void *ctx, struct camera_frame *frame, int timeout_ms)
{
    struct camera_sim *s = ctx;
    if (!s->streaming)
        return ERR_IO;
    int64_t now = clock_mono_ms();
    int64_t wait = s->next_ms - now;
    if (wait > timeout_ms)
        return ERR_TIMEOUT;
    if (wait > 0) {
        struct timespec ts = {0, (long)wait * 1000000L};
        nanosleep(&ts, NULL);
    }
    s->next_ms = (wait > 0 ? s->next_ms : now) + SIM_FRAME_MS;

    enum camera_sim_scene scene = (enum camera_sim_scene)atomic_load(&s->scene);
    uint32_t truth = CAMERA_TRUTH_SIM;
    int dark = scene == CAMERA_SIM_DARK;
    /* The hall behind the citizen: a wall and a counter. */
    fill(s->pixels, 0, 0, SIM_W, SIM_H, dark ? 30 : 196, dark ? 32 : 204, dark ? 36 : 214);
    fill(s->pixels, 0, 330, SIM_W, SIM_H, dark ? 20 : 150, dark ? 22 : 160, dark ? 26 : 172);
    /* Breathing sway: a living person is never perfectly still. */
    int sway = (int)((s->seq / 3) % 6) - 3;
    int blink = (s->seq % 20) >= 17; /* eyes closed 3 frames in 20: about every 1.3 s */
    switch (scene) {
    case CAMERA_SIM_LIVE:
    case CAMERA_SIM_DARK:
        draw_face(s->pixels, SIM_W / 2 + sway, SIM_H / 2 - 10, 120, blink, dark);
        truth |= CAMERA_TRUTH_FACE | (blink ? CAMERA_TRUTH_EYES_CLOSED : 0) |
                 (dark ? CAMERA_TRUTH_DARK : 0);
        break;
    case CAMERA_SIM_PHOTO:
        fill(s->pixels, SIM_W / 2 - 120, SIM_H / 2 - 160, SIM_W / 2 + 120, SIM_H / 2 + 150, 240,
             240, 236);
        draw_face(s->pixels, SIM_W / 2, SIM_H / 2 - 20, 95, 0, 0);
        truth |= CAMERA_TRUTH_FACE | CAMERA_TRUTH_STILL;
        break;
    case CAMERA_SIM_TWO:
        draw_face(s->pixels, SIM_W / 2 - 150 + sway, SIM_H / 2, 95, blink, 0);
        draw_face(s->pixels, SIM_W / 2 + 150, SIM_H / 2 - 20, 90, 0, 0);
        truth |= CAMERA_TRUTH_FACE | CAMERA_TRUTH_TWO;
        break;
    case CAMERA_SIM_ABSENT:
        break;
    }
    frame->width = SIM_W;
    frame->height = SIM_H;
    frame->format = CAMERA_RGB24;
    frame->data = s->pixels;
    frame->len = SIM_W * SIM_H * 3;
    frame->seq = ++s->seq;
    frame->time_ms = clock_mono_ms();
    frame->truth = truth;
    return ERR_OK;
}

static void sim_stop(void *ctx)
{
    struct camera_sim *s = ctx;
    s->streaming = 0;
    if (s->pixels)
        explicit_bzero(s->pixels, SIM_W * SIM_H * 3);
}

static void sim_close(void *ctx)
{
    (void)ctx;
}

const struct camera_ops camera_sim_ops = {
    .name = "sim",
    .open = sim_open,
    .start = sim_start,
    .read = sim_read,
    .stop = sim_stop,
    .close = sim_close,
};
