/* face.c - the face thread: camera, preview mailbox, tracker, JPEG; see
 * face.h. The UI thread calls the public functions; the face thread runs
 * face_main and capture. Shared fields are under lock. */
#include "face.h"
#include "face_picture.h"

#include "base/pixel.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "base/log.h"
#include "core/flow.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FACE_MAX_PIXELS (1280 * 720 * 3)
/* The screen's picture at most this often (its draw costs the UI thread a
 * copy of the whole panel, about 0.1 % of a core for each picture a
 * second): 10 a second from a 30 fps camera, 7.5 from 15 fps, enough to
 * see oneself move into the frame; every frame is still judged. */
#define FACE_PICTURE_MS 90

struct face {
    const struct camera_ops *ops;
    void *cam;
    struct bus *bus;
    struct face_config cfg;
    struct face_track *track; /* NULL: cascades missing, captures fail */
    char challenge[16];       /* of the last capture (under lock) */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool quit;
    bool want_capture;   /* set by the UI thread */
    bool preview_only;   /* maintenance: frames and the detector's box, no capture */
    uint32_t generation; /* bumped by every start/stop */

    /* Mailbox (under lock). */
    uint8_t *mail;
    int mail_w, mail_h;
    size_t mail_len;  /* bytes: the frame's RGB24 or the picture's ARGB */
    int pic_w, pic_h; /* face_set_preview_size; 0: the frame as it is */
    uint32_t mail_seq;
    int64_t pic_ms;                    /* when the last picture was made (face thread) */
    bool mail_posted;                  /* a BUS_CAMERA_FRAME is in flight */
    struct face_judgement mail_judged; /* the detector on the newest judged frame */

    /* Result (under lock). */
    uint8_t *jpeg;
    size_t jpeg_len;
};

static void post_guidance(struct face *f, uint32_t gen, enum face_guidance g,
                          enum face_guidance *last)
{
    if (g == *last)
        return;
    *last = g;
    bus_post_simple(f->bus, BUS_FACE_GUIDANCE, gen, 0, (int)g, false);
}

static void publish(struct face *f, const struct camera_frame *fr)
{
    if (fr->format != CAMERA_RGB24 || fr->len > FACE_MAX_PIXELS)
        return;
    int64_t now = clock_physical_ms();
    bool post = false;
    pthread_mutex_lock(&f->lock);
    if (f->pic_w > 0 && f->mail_w && now - f->pic_ms < FACE_PICTURE_MS) {
        pthread_mutex_unlock(&f->lock);
        return; /* the screen has a picture that new */
    }
    f->pic_ms = now;
    if (f->pic_w > 0 && face_picture_make(fr->data, fr->width, fr->height, (uint32_t *)f->mail,
                                          f->pic_w, f->pic_h) == 0) {
        f->mail_w = f->pic_w;
        f->mail_h = f->pic_h;
        f->mail_len = px_area(f->pic_w, f->pic_h) * 4;
    } else {
        memcpy(f->mail, fr->data, fr->len);
        f->mail_w = fr->width;
        f->mail_h = fr->height;
        f->mail_len = px_area(fr->width, fr->height) * 3;
    }
    f->mail_seq = fr->seq;
    if (!f->mail_posted) {
        f->mail_posted = true;
        post = true;
    }
    pthread_mutex_unlock(&f->lock);
    if (post && bus_post_simple(f->bus, BUS_CAMERA_FRAME, 0, 0, 0, false) != 0) {
        pthread_mutex_lock(&f->lock);
        f->mail_posted = false;
        pthread_mutex_unlock(&f->lock);
    }
}

/* Keeps a copy of the chosen frame's JPEG for face_take_jpeg. */
static int keep_jpeg(struct face *f, const uint8_t *jpeg, size_t len)
{
    uint8_t *copy = malloc(len);
    if (!copy)
        return ERR_NOMEM;
    memcpy(copy, jpeg, len);
    pthread_mutex_lock(&f->lock);
    if (f->jpeg) {
        explicit_bzero(f->jpeg, f->jpeg_len);
        free(f->jpeg);
    }
    f->jpeg = copy;
    f->jpeg_len = len;
    pthread_mutex_unlock(&f->lock);
    return ERR_OK;
}

static const char *challenge_name(enum face_guidance g)
{
    return g == FACE_BLINK        ? "blink"
           : g == FACE_TURN_LEFT  ? "turn-left"
           : g == FACE_TURN_RIGHT ? "turn-right"
                                  : "";
}

/* One capture, from camera on to verdict or stop. Face thread. */
static void capture(struct face *f, uint32_t generation)
{
    if (!f->track) {
        bus_post_simple(f->bus, BUS_FACE_FAILED, generation, ERR_UNSUPPORTED, FACE_NONE, false);
        return;
    }
    if (f->ops->open(f->cam) != 0 || f->ops->start(f->cam) != 0) {
        log_err("face", "camera %s did not start", f->ops->name);
        bus_post_simple(f->bus, BUS_FACE_FAILED, generation, ERR_NODEV, FACE_NONE, false);
        f->ops->close(f->cam);
        return;
    }
    face_track_reset(f->track, FACE_NONE);
    enum face_guidance last = (enum face_guidance) - 1;
    uint32_t frames = 0;
    bool done = false;
    while (!done) {
        pthread_mutex_lock(&f->lock);
        bool go_on = !f->quit && f->want_capture && f->generation == generation;
        pthread_mutex_unlock(&f->lock);
        if (!go_on)
            break;
        struct camera_frame fr;
        int rc = f->ops->read(f->cam, &fr, 200);
        if (rc == ERR_TIMEOUT || rc == ERR_IO)
            continue;
        if (rc != 0) {
            log_err("face", "camera %s lost mid-capture: %s", f->ops->name, err_str(rc));
            bus_post_simple(f->bus, BUS_FACE_FAILED, generation, rc, FACE_NONE, false);
            break;
        }
        if (fr.format != CAMERA_RGB24 || fr.len < px_area(fr.width, fr.height) * 3)
            continue;
        frames++;
        publish(f, &fr);
        enum face_guidance g;
        enum face_step step =
            face_track_frame(f->track, fr.data, fr.width, fr.height, clock_mono_ms(), &g);
        pthread_mutex_lock(&f->lock);
        f->mail_judged = *face_track_judgement(f->track);
        bool preview_only = f->preview_only;
        pthread_mutex_unlock(&f->lock);
        if (preview_only) {
            /* Staff look at the picture and the box: nothing is captured,
             * and a challenge that ends starts again. */
            if (step != FACE_STEP_GUIDE)
                face_track_reset(f->track, FACE_NONE);
            continue;
        }
        if (step == FACE_STEP_GUIDE) {
            post_guidance(f, generation, g, &last);
            continue;
        }
        done = true;
        enum face_guidance ch = face_track_challenge(f->track);
        pthread_mutex_lock(&f->lock);
        snprintf(f->challenge, sizeof f->challenge, "%s", challenge_name(ch));
        pthread_mutex_unlock(&f->lock);
        if (step == FACE_STEP_NOT_LIVE) {
            log_notice("face", "challenge %s not met within %d ms: liveness failed",
                       challenge_name(ch), f->cfg.challenge_ms);
            bus_post_simple(f->bus, BUS_FACE_FAILED, generation, 0, FACE_NOT_LIVE, false);
            break;
        }
        size_t best_len = 0;
        const uint8_t *best = face_track_best(f->track, &best_len);
        if (best && keep_jpeg(f, best, best_len) == 0) {
            bus_post_simple(f->bus, BUS_FACE_CAPTURED, generation, 0, 0, false);
            log_info("face", "live face captured after %u frames (%s)", frames, challenge_name(ch));
        } else {
            bus_post_simple(f->bus, BUS_FACE_FAILED, generation, ERR_IO, FACE_NONE, false);
        }
    }
    face_track_wipe(f->track);
    f->ops->stop(f->cam);
    f->ops->close(f->cam);
}

static void *face_main(void *arg)
{
    pthread_setname_np(pthread_self(), "face");
    struct face *f = arg;
    pthread_mutex_lock(&f->lock);
    while (!f->quit) {
        if (!f->want_capture) {
            pthread_cond_wait(&f->cond, &f->lock);
            continue;
        }
        uint32_t gen = f->generation;
        pthread_mutex_unlock(&f->lock);
        capture(f, gen);
        pthread_mutex_lock(&f->lock);
        if (f->generation == gen)
            f->want_capture = false; /* done on its own; wait for the next start */
    }
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

struct face *face_create(const struct camera_ops *ops, void *cam, struct bus *bus,
                         const struct face_config *cfg)
{
    struct face *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->mail = malloc(FACE_MAX_PIXELS);
    if (!f->mail) {
        free(f);
        return NULL;
    }
    f->ops = ops;
    f->cam = cam;
    f->bus = bus;
    f->cfg = *cfg;
    if (f->cfg.challenge_ms <= 0)
        f->cfg.challenge_ms = 8000;
    if (f->cfg.jpeg_quality <= 0)
        f->cfg.jpeg_quality = 85;
    int trc = face_track_create(&f->cfg, &f->track);
    if (trc != 0)
        log_err("face", "face detector not loaded (%s): captures go to the counter path",
                err_str(trc));
    f->cfg.face_cascade = f->cfg.eye_cascade = NULL; /* borrowed only during create */
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->cond, NULL);
    if (pthread_create(&f->thread, NULL, face_main, f) != 0) {
        face_track_destroy(f->track);
        free(f->mail);
        free(f);
        return NULL;
    }
    return f;
}

void face_wipe(struct face *f)
{
    pthread_mutex_lock(&f->lock);
    if (f->jpeg) {
        explicit_bzero(f->jpeg, f->jpeg_len);
        free(f->jpeg);
        f->jpeg = NULL;
        f->jpeg_len = 0;
    }
    wipe_release(f->mail, FACE_MAX_PIXELS);
    f->mail_seq = 0;
    f->mail_w = f->mail_h = 0;
    pthread_mutex_unlock(&f->lock);
}

void face_destroy(struct face *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->lock);
    f->quit = true;
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
    face_wipe(f);
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->cond);
    face_track_destroy(f->track);
    free(f->mail);
    free(f);
}

uint32_t face_generation(struct face *f)
{
    pthread_mutex_lock(&f->lock);
    uint32_t g = f->generation;
    pthread_mutex_unlock(&f->lock);
    return g;
}

static void start(struct face *f, bool preview_only)
{
    face_wipe(f);
    pthread_mutex_lock(&f->lock);
    f->challenge[0] = '\0';
    f->generation++;
    f->want_capture = true;
    f->preview_only = preview_only;
    f->mail_judged = (struct face_judgement){0};
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->lock);
}

void face_start(struct face *f)
{
    start(f, false);
}

void face_start_preview(struct face *f)
{
    start(f, true);
}

void face_stop(struct face *f)
{
    pthread_mutex_lock(&f->lock);
    f->generation++;
    f->want_capture = false;
    wipe_release(f->mail, FACE_MAX_PIXELS);
    f->mail_w = f->mail_h = 0;
    f->mail_judged = (struct face_judgement){0};
    pthread_mutex_unlock(&f->lock);
}

const char *face_challenge_name(struct face *f)
{
    /* The UI thread reads it after BUS_FACE_CAPTURED; the face thread
     * wrote it before posting and does not change it until the next
     * face_start. */
    pthread_mutex_lock(&f->lock);
    const char *c = f->challenge;
    pthread_mutex_unlock(&f->lock);
    return c;
}

int face_take_jpeg(struct face *f, uint8_t **jpeg, size_t *len)
{
    pthread_mutex_lock(&f->lock);
    int rc = ERR_EMPTY;
    if (f->jpeg) {
        *jpeg = f->jpeg;
        *len = f->jpeg_len;
        f->jpeg = NULL;
        f->jpeg_len = 0;
        rc = ERR_OK;
    }
    pthread_mutex_unlock(&f->lock);
    return rc;
}

bool face_preview(struct face *f, uint8_t *out, size_t cap, int *w, int *h, uint32_t *seq)
{
    bool copied = false;
    pthread_mutex_lock(&f->lock);
    f->mail_posted = false;
    size_t n = f->mail_len;
    if (f->mail_w && !f->pic_w && f->mail_seq != *seq && n <= cap) {
        memcpy(out, f->mail, n);
        *w = f->mail_w;
        *h = f->mail_h;
        *seq = f->mail_seq;
        copied = true;
    }
    pthread_mutex_unlock(&f->lock);
    return copied;
}

bool face_set_preview_size(struct face *f, int w, int h)
{
    if (w <= 0 || h <= 0 || w > FACE_PICTURE_MAX_W || px_area(w, h) * 4 > (size_t)FACE_MAX_PIXELS)
        w = h = 0;
    pthread_mutex_lock(&f->lock);
    if (w != f->pic_w || h != f->pic_h) {
        /* what the mailbox holds is of the other kind: the next frame */
        f->pic_w = w;
        f->pic_h = h;
        f->mail_w = f->mail_h = 0;
        f->mail_len = 0;
    }
    pthread_mutex_unlock(&f->lock);
    return w > 0;
}

bool face_picture_peek(struct face *f, int *w, int *h, uint32_t *seq)
{
    bool newer = false;
    pthread_mutex_lock(&f->lock);
    f->mail_posted = false;
    if (f->pic_w && f->mail_w && f->mail_seq != *seq) {
        *w = f->mail_w;
        *h = f->mail_h;
        *seq = f->mail_seq;
        newer = true;
    }
    pthread_mutex_unlock(&f->lock);
    return newer;
}

bool face_picture_copy(struct face *f, uint32_t *dst, int pitch, const struct face_area *a, int w,
                       int h)
{
    bool copied = false;
    if (a->x < 0 || a->y < 0 || a->w <= 0 || a->h <= 0 || a->x + a->w > w || a->y + a->h > h)
        return false;
    pthread_mutex_lock(&f->lock);
    if (f->pic_w && f->mail_w == w && f->mail_h == h) {
        const uint8_t *src = f->mail + px_at(a->x * 4, a->y, w * 4);
        for (int y = 0; y < a->h; y++)
            memcpy((uint8_t *)dst + (size_t)y * (size_t)pitch, src + (size_t)y * (size_t)w * 4,
                   (size_t)a->w * 4);
        copied = true;
    }
    pthread_mutex_unlock(&f->lock);
    return copied;
}

bool face_preview_judged(struct face *f, struct face_judgement *out)
{
    pthread_mutex_lock(&f->lock);
    *out = f->mail_judged;
    bool on = f->want_capture && f->preview_only;
    pthread_mutex_unlock(&f->lock);
    return on;
}
