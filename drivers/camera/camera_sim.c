/* camera_sim.c - a simulated camera showing scenes built from a photograph.
 *
 * At open it decodes the portrait; each 640x480 still (the face straight
 * on, eyes closed, head turned to either side, two people, a printed
 * photo with its white border) is rendered from it when a frame first
 * shows it, one still kept at a time, and the portrait let go after (a
 * few milliseconds a pose change to decode it again; about 4 MB less
 * than keeping it and all six). On the caller's (face) thread it
 * plays them at 15 frames a second as the scene asks: a living
 * person sways a few pixels and blinks or turns now and then, a photo
 * never changes. Turning is a smooth horizontal warp of the face that
 * moves the eyes and nose towards one side while the head's outline stays,
 * as a real head turn does; a blink paints the eyes over with skin. The
 * frames carry no account of what they show: the face module has to see
 * it. Scene changes come from any thread (atomic), and so does an unplug:
 * open and read then answer ERR_NODEV, as an unplugged UVC camera does,
 * until it is plugged back.
 */
#include "camera.h"

#include "base/pixel.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "camera_image.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIM_W         640
#define SIM_H         480
#define SIM_PX        ((size_t)SIM_W * SIM_H * 3)
#define SIM_FRAME_MS  66
#define SIM_MAX_FILES 64

enum still { ST_OPEN, ST_CLOSED, ST_LEFT, ST_RIGHT, ST_TWO, ST_PHOTO, ST_COUNT };

struct camera_sim {
    _Atomic int scene;
    atomic_bool unplugged;
    uint8_t *pixels; /* the frame handed out */
    uint8_t *src;    /* the decoded portrait while a still is made from it, else NULL */
    int src_w, src_h;
    bool portrait_ok; /* a portrait was decoded: the stills are made from it */
    struct camera_sim_portrait portrait;
    uint8_t *still;         /* the still last shown, rendered from src */
    int still_of;           /* which (enum still), -1: none yet */
    bool portrait_tried;    /* the packaged photograph was looked for */
    bool portrait_packaged; /* the stills are the packaged photograph's: made again at open */
    uint8_t *files[SIM_MAX_FILES];
    int nfiles;
    uint32_t seq;
    int64_t next_ms;
    int streaming;
};

/* The astronaut portrait (512x512): face box and eye centres measured
 * with the kiosk's detector (bdc-kiosk-tool face detect). */
static const struct camera_sim_portrait astronaut = {
    .path = CAMERA_SIM_PORTRAIT_DEFAULT,
    .face_x = 187,
    .face_y = 85,
    .face_w = 77,
    .eye_x = {202, 246},
    .eye_y = {101, 104},
    .eye_r = 10,
};

static void paint_eyes(uint8_t *img, int w, int h, const struct camera_sim_portrait *p)
{
    for (int e = 0; e < 2; e++) {
        int cx = p->eye_x[e], cy = p->eye_y[e], r = p->eye_r;
        int lid_rx = r + r / 3, lid_ry = r * 3 / 4; /* the lid's half-axes, whole pixels */
        /* Skin from just below the eye. */
        int sy = cy + r + r / 2 < h ? cy + r + r / 2 : h - 1;
        const uint8_t *skin = img + px_at(cx, sy, w) * 3;
        uint8_t col[3] = {skin[0], skin[1], skin[2]};
        for (int y = cy - r * 3 / 4; y <= cy + r * 3 / 4; y++)
            for (int x = cx - r - r / 3; x <= cx + r + r / 3; x++) {
                if (x < 0 || y < 0 || x >= w || y >= h)
                    continue;
                double dx = (double)(x - cx) / lid_rx, dy = (double)(y - cy) / lid_ry;
                if (dx * dx + dy * dy > 1.0)
                    continue;
                uint8_t *q = img + px_at(x, y, w) * 3;
                /* A closed lid: skin with a darker lash line. */
                int lash = y >= cy && y <= cy + 1;
                for (int c = 0; c < 3; c++)
                    q[c] = lash ? (uint8_t)(col[c] / 2) : col[c];
            }
    }
}

/* Moves the face's inner features by up to shift pixels (positive: to
 * the right of the image) while the edges of the head stay put. */
static void warp_turn(uint8_t *img, int w, int h, const struct camera_sim_portrait *p, int shift)
{
    int x0 = p->face_x - p->face_w / 6, x1 = p->face_x + p->face_w + p->face_w / 6;
    int y0 = p->face_y - p->face_w / 4, y1 = p->face_y + p->face_w + p->face_w / 5;
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > w)
        x1 = w;
    if (y1 > h)
        y1 = h;
    int rw = x1 - x0;
    uint8_t *row = malloc((size_t)rw * 3);
    if (!row)
        return;
    for (int y = y0; y < y1; y++) {
        double fy = sin(M_PI * (y - y0) / (y1 - y0)); /* fades out at top and bottom */
        uint8_t *line = img + px_at(x0, y, w) * 3;
        memcpy(row, line, (size_t)rw * 3);
        for (int x = 0; x < rw; x++) {
            double d = shift * fy * sin(M_PI * x / rw);
            double sx = x - d;
            int i0 = (int)floor(sx);
            double a = sx - i0;
            if (i0 < 0) {
                i0 = 0;
                a = 0;
            }
            int i1 = i0 + 1 < rw ? i0 + 1 : rw - 1;
            if (i0 >= rw)
                i0 = i1 = rw - 1;
            for (int c = 0; c < 3; c++)
                line[x * 3 + c] = (uint8_t)(row[i0 * 3 + c] * (1 - a) + row[i1 * 3 + c] * a + 0.5);
        }
    }
    free(row);
}

static void free_stills(struct camera_sim *s)
{
    free(s->src);
    free(s->still);
    s->src = s->still = NULL;
    s->still_of = -1;
    s->portrait_ok = false;
}

int camera_sim_load_portrait(struct camera_sim *sim, const struct camera_sim_portrait *p)
{
    uint8_t *src = NULL;
    int w = 0, h = 0;
    sim->portrait_tried = true;
    int rc = camera_image_load(p->path, &src, &w, &h);
    if (rc != 0)
        return rc;
    free_stills(sim);
    sim->still = malloc(SIM_PX);
    if (!sim->still) {
        free(src);
        return ERR_NOMEM;
    }
    sim->src = src;
    sim->src_w = w;
    sim->src_h = h;
    sim->portrait = *p;
    sim->portrait_ok = true;
    return ERR_OK;
}

/* Renders still i into out: the face about 160 px wide (a quarter of the
 * frame) in the middle of the picture. */
static void render_still(struct camera_sim *sim, enum still i, uint8_t *out)
{
    const struct camera_sim_portrait *p = &sim->portrait;
    int w = sim->src_w, h = sim->src_h;
    /* A closed lid or a turn changes only the face and its surround:
     * that region of the portrait is saved, changed in place for this
     * still, and put back (a copy of the whole portrait cost 0.8 MB). */
    int rx0 = p->face_x - p->face_w / 6, rx1 = p->face_x + p->face_w + p->face_w / 6;
    int ry0 = p->face_y - p->face_w / 4, ry1 = p->face_y + p->face_w + p->face_w / 5;
    for (int e = 0; e < 2; e++) { /* the lids and the skin below them */
        int ex0 = p->eye_x[e] - 2 * p->eye_r, ex1 = p->eye_x[e] + 2 * p->eye_r + 1;
        int ey0 = p->eye_y[e] - 2 * p->eye_r, ey1 = p->eye_y[e] + 2 * p->eye_r + 1;
        rx0 = ex0 < rx0 ? ex0 : rx0;
        rx1 = ex1 > rx1 ? ex1 : rx1;
        ry0 = ey0 < ry0 ? ey0 : ry0;
        ry1 = ey1 > ry1 ? ey1 : ry1;
    }
    rx0 = rx0 < 0 ? 0 : rx0;
    ry0 = ry0 < 0 ? 0 : ry0;
    rx1 = rx1 > w ? w : rx1;
    ry1 = ry1 > h ? h : ry1;
    uint8_t *saved = NULL;
    size_t row = (size_t)(rx1 - rx0) * 3;
    if (i == ST_CLOSED || i == ST_LEFT || i == ST_RIGHT) {
        saved = rx1 > rx0 && ry1 > ry0 ? malloc(row * (size_t)(ry1 - ry0)) : NULL;
        if (!saved) {
            memset(out, 0, SIM_PX);
            return;
        }
        for (int y = ry0; y < ry1; y++)
            memcpy(saved + row * (size_t)(y - ry0), sim->src + px_at(rx0, y, w) * 3, row);
        if (i == ST_CLOSED)
            paint_eyes(sim->src, w, h, p);
        else
            warp_turn(sim->src, w, h, p, (i == ST_LEFT ? 1 : -1) * p->face_w / 6);
    }
    const uint8_t *img = sim->src;
    double zoom = 160.0 / p->face_w; /* frame pixels per portrait pixel */
    int cw = (int)(SIM_W / zoom), ch = (int)(SIM_H / zoom);
    int fcx = p->face_x + p->face_w / 2, fcy = p->face_y + p->face_w / 2;
    int cx = fcx - cw / 2, cy = fcy - ch / 2 + ch / 16;
    if (i == ST_TWO) {
        /* Two people side by side, each face about 105 px. */
        double z2 = 105.0 / p->face_w;
        int w2 = (int)(SIM_W / 2.0 / z2), h2 = (int)(SIM_H / z2);
        uint8_t *half = malloc((size_t)SIM_W / 2 * SIM_H * 3);
        if (!half) {
            memset(out, 0, SIM_PX);
            return;
        }
        camera_rgb_resample(img, w, h, fcx - w2 / 2, fcy - h2 / 3, w2, h2, half, SIM_W / 2, SIM_H);
        for (int y = 0; y < SIM_H; y++)
            for (int k = 0; k < 2; k++)
                memcpy(out + px_at(k * SIM_W / 2, y, SIM_W) * 3, half + (size_t)y * SIM_W / 2 * 3,
                       SIM_W / 2 * 3);
        free(half);
        return;
    }
    camera_rgb_resample(img, w, h, cx, cy, cw, ch, out, SIM_W, SIM_H);
    if (saved) {
        for (int y = ry0; y < ry1; y++)
            memcpy(sim->src + px_at(rx0, y, w) * 3, saved + row * (size_t)(y - ry0), row);
        free(saved);
    }
    if (i == ST_PHOTO) {
        /* The print's white border and the hall around it. */
        for (int y = 0; y < SIM_H; y++)
            for (int x = 0; x < SIM_W; x++) {
                int edge = x < 70 || x >= SIM_W - 70 || y < 20 || y >= SIM_H - 20;
                int paper = x < 90 || x >= SIM_W - 90 || y < 35 || y >= SIM_H - 35;
                uint8_t *q = out + px_at(x, y, SIM_W) * 3;
                if (edge)
                    q[0] = 150, q[1] = 160, q[2] = 172;
                else if (paper)
                    q[0] = 244, q[1] = 244, q[2] = 240;
            }
    }
}

/* Still i, rendered now if another one was shown last. The portrait is
 * decoded for it and let go after: a pose changes a few times a capture
 * (a decode, a few milliseconds), and holding it cost 0.8 MB. */
static const uint8_t *still_get(struct camera_sim *s, enum still i)
{
    if (s->still_of == (int)i)
        return s->still;
    s->still_of = (int)i;
    if (!s->src && camera_image_load(s->portrait.path, &s->src, &s->src_w, &s->src_h) != 0) {
        memset(s->still, 0, SIM_PX); /* the file went away: a black picture */
        return s->still;
    }
    render_still(s, i, s->still);
    free(s->src);
    s->src = NULL;
    return s->still;
}

/* The photograph is decoded on first use, on the face thread: a kiosk
 * that never scans a face never holds the scenes in memory. */
static void ensure_portrait(struct camera_sim *s)
{
    if (s->portrait_tried)
        return;
    s->portrait_tried = true;
    if (camera_sim_load_portrait(s, &astronaut) != 0)
        log_warn("camera", "simulated camera: no portrait photograph, drawing a face instead");
    else
        s->portrait_packaged = true;
}

int camera_sim_has_portrait(struct camera_sim *sim)
{
    ensure_portrait(sim);
    return sim->portrait_ok;
}

int camera_sim_play(struct camera_sim *sim, const char *const *paths, int n)
{
    for (int i = 0; i < sim->nfiles; i++)
        free(sim->files[i]);
    sim->nfiles = 0;
    for (int i = 0; i < n && i < SIM_MAX_FILES; i++) {
        uint8_t *rgb = NULL;
        int w = 0, h = 0;
        int rc = camera_image_load(paths[i], &rgb, &w, &h);
        if (rc != 0)
            return rc;
        uint8_t *f = malloc(SIM_PX);
        if (!f) {
            free(rgb);
            return ERR_NOMEM;
        }
        camera_rgb_resample(rgb, w, h, 0, 0, w, h, f, SIM_W, SIM_H);
        free(rgb);
        sim->files[sim->nfiles++] = f;
    }
    return ERR_OK;
}

struct camera_sim *camera_sim_create(void)
{
    struct camera_sim *s = calloc(1, sizeof(struct camera_sim));
    if (s)
        s->still_of = -1;
    return s;
}

void camera_sim_destroy(struct camera_sim *sim)
{
    if (!sim)
        return;
    if (sim->pixels) {
        explicit_bzero(sim->pixels, SIM_PX);
        free(sim->pixels);
    }
    free_stills(sim);
    for (int i = 0; i < sim->nfiles; i++)
        free(sim->files[i]);
    free(sim);
}

void camera_sim_set_scene(struct camera_sim *sim, enum camera_sim_scene scene)
{
    atomic_store(&sim->scene, (int)scene);
}

void camera_sim_set_plugged(struct camera_sim *sim, bool plugged)
{
    atomic_store(&sim->unplugged, !plugged);
}

static const char *const scene_names[] = {"live",  "absent",    "photo",      "two",  "dark",
                                          "blink", "turn-left", "turn-right", "files"};

int camera_sim_scene_parse(const char *name)
{
    for (int i = 0; i < (int)(sizeof scene_names / sizeof scene_names[0]); i++)
        if (strcmp(scene_names[i], name) == 0)
            return i;
    return -1;
}

const char *camera_sim_scene_names(void)
{
    return "live|absent|photo|two|dark|blink|turn-left|turn-right|files";
}

static int sim_open(void *ctx)
{
    struct camera_sim *s = ctx;
    if (atomic_load(&s->unplugged))
        return ERR_NODEV;
    ensure_portrait(s);
    if (!s->pixels)
        s->pixels = malloc(SIM_PX);
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

/* The fallback: a drawn face (no photograph installed). */
static void draw_face(uint8_t *px, int cx, int cy, int scale, int eyes_closed)
{
    ellipse(px, cx, cy + scale * 150 / 100, scale * 150 / 100, scale * 70 / 100, 40, 70, 110);
    ellipse(px, cx, cy, scale * 78 / 100, scale, 224, 184, 150);
    ellipse(px, cx, cy - scale * 80 / 100, scale * 80 / 100, scale * 35 / 100, 40, 30, 25);
    int ey = cy - scale * 18 / 100, ex = scale * 30 / 100;
    if (eyes_closed) {
        fill(px, cx - ex - 14, ey, cx - ex + 14, ey + 3, 60, 40, 30);
        fill(px, cx + ex - 14, ey, cx + ex + 14, ey + 3, 60, 40, 30);
    } else {
        ellipse(px, cx - ex, ey, 14, 8, 250, 250, 250);
        ellipse(px, cx + ex, ey, 14, 8, 250, 250, 250);
        ellipse(px, cx - ex, ey, 6, 6, 30, 20, 20);
        ellipse(px, cx + ex, ey, 6, 6, 30, 20, 20);
    }
    fill(px, cx - 25, cy + scale * 45 / 100, cx + 25, cy + scale * 45 / 100 + 5, 170, 90, 90);
}

/* Copies a still shifted by dx pixels (edges repeated), scaled in
 * brightness by percent. */
static void blit(uint8_t *dst, const uint8_t *src, int dx, int percent)
{
    for (int y = 0; y < SIM_H; y++) {
        const uint8_t *s = src + (size_t)y * SIM_W * 3;
        uint8_t *d = dst + (size_t)y * SIM_W * 3;
        if (dx == 0)
            memcpy(d, s, SIM_W * 3);
        else
            for (int x = 0; x < SIM_W; x++) {
                int sx = x - dx < 0 ? 0 : x - dx >= SIM_W ? SIM_W - 1 : x - dx;
                memcpy(d + x * 3, s + sx * 3, 3);
            }
        if (percent != 100)
            for (int i = 0; i < SIM_W * 3; i++)
                d[i] = (uint8_t)(d[i] * percent / 100);
    }
}

/* What a living person does in a 2-second cycle (30 frames). */
static enum still live_pose(enum camera_sim_scene scene, uint32_t seq)
{
    int t = (int)(seq % 30);
    bool blink = t >= 5 && t < 8, left = t >= 12 && t < 18, right = t >= 21 && t < 27;
    switch (scene) {
    case CAMERA_SIM_BLINK:
        return blink || (t >= 20 && t < 23) ? ST_CLOSED : ST_OPEN;
    case CAMERA_SIM_TURN_LEFT:
        return t >= 8 && t < 20 ? ST_LEFT : ST_OPEN;
    case CAMERA_SIM_TURN_RIGHT:
        return t >= 8 && t < 20 ? ST_RIGHT : ST_OPEN;
    default:
        return blink ? ST_CLOSED : left ? ST_LEFT : right ? ST_RIGHT : ST_OPEN;
    }
}

static int sim_read(void *ctx, struct camera_frame *frame, int timeout_ms)
{
    struct camera_sim *s = ctx;
    if (atomic_load(&s->unplugged))
        return ERR_NODEV;
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
    uint32_t seq = s->seq;
    /* Breathing sway: a living person is never perfectly still. */
    int sway = (int)((seq / 2) % 4) - 2;
    if (scene == CAMERA_SIM_FILES && s->nfiles > 0) {
        memcpy(s->pixels, s->files[seq % (uint32_t)s->nfiles], SIM_PX);
    } else if (scene == CAMERA_SIM_ABSENT || !s->portrait_ok) {
        /* The hall: a wall and a counter (and the drawn fallback face). */
        int dark = scene == CAMERA_SIM_DARK;
        fill(s->pixels, 0, 0, SIM_W, SIM_H, dark ? 30 : 196, dark ? 32 : 204, dark ? 36 : 214);
        fill(s->pixels, 0, 330, SIM_W, SIM_H, dark ? 20 : 150, dark ? 22 : 160, dark ? 26 : 172);
        if (scene != CAMERA_SIM_ABSENT)
            draw_face(s->pixels, SIM_W / 2 + sway, SIM_H / 2 - 10, 120, seq % 20 >= 17);
    } else if (scene == CAMERA_SIM_PHOTO) {
        blit(s->pixels, still_get(s, ST_PHOTO), 0, 100);
    } else if (scene == CAMERA_SIM_TWO) {
        blit(s->pixels, still_get(s, ST_TWO), sway, 100);
    } else {
        blit(s->pixels, still_get(s, live_pose(scene, seq)), sway,
             scene == CAMERA_SIM_DARK ? 22 : 100);
    }
    frame->width = SIM_W;
    frame->height = SIM_H;
    frame->format = CAMERA_RGB24;
    frame->data = s->pixels;
    frame->len = SIM_PX;
    frame->seq = ++s->seq;
    frame->time_ms = clock_mono_ms();
    return ERR_OK;
}

static void sim_stop(void *ctx)
{
    struct camera_sim *s = ctx;
    s->streaming = 0;
    if (s->pixels)
        explicit_bzero(s->pixels, SIM_PX);
}

/* Closed between captures: the frame, the packaged photograph and its still
 * (2.6 MB) are not kept while no face is scanned; open makes them again. */
static void sim_close(void *ctx)
{
    struct camera_sim *s = ctx;
    free(s->pixels);
    s->pixels = NULL;
    if (s->portrait_packaged) {
        free_stills(s);
        s->portrait_packaged = false;
        s->portrait_tried = false;
    }
}

const struct camera_ops camera_sim_ops = {
    .name = "sim",
    .open = sim_open,
    .start = sim_start,
    .read = sim_read,
    .stop = sim_stop,
    .close = sim_close,
};
