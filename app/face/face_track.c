/* face_track.c - per-frame judgement and the liveness challenge; see
 * face.h. Runs on the face thread (or a test's thread); no locking. */
#include "face/face.h"

#include "base/pixel.h"
#include "base/err.h"
#include "base/util.h"
#include "drivers/camera/camera_image.h"
#include "face/face_detect.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <turbojpeg.h>

#define TRACK_MAX_W      1280
#define TRACK_MAX_H      720
#define STEADY_FRAMES    4 /* good frames in a row before the challenge */
#define EYES_GONE_FRAMES 6 /* frames without eyes before 请露出眼睛 */
#define LOST_FRAMES      5 /* frames without the face before starting over */
#define BLINK_MAX_CLOSED 8 /* a blink is shorter than this many frames */
#define TURN_YAW_PCT     5 /* eye midpoint shift, % of face width */
#define TURN_FRAMES      2

enum phase { PH_FIND, PH_CHALLENGE, PH_DONE };

struct face_track {
    struct face_config cfg;
    struct face_detector *det;
    uint8_t *gray;
    /* The sharpest good frame so far, as the JPEG sent for verification:
     * kept encoded (about 50 kB at 640x480) rather than as a copy of the
     * frame (0.9 MB, 2.7 MB at 1280x720); encoded again only when a
     * sharper frame comes, a few times a capture. */
    uint8_t *best;
    size_t best_len;
    int best_sharp;
    struct face_judgement j;
    enum phase phase;
    enum face_guidance challenge;
    int64_t deadline;
    int steady, eyes_gone, lost;
    /* Where the face was when the challenge began. */
    int base_cx, base_w;
    long yaw_sum;
    int yaw_n;
    /* The neck and shoulders below the face at the challenge's start: a
     * turning head moves its features against them, a photo moved
     * sideways moves them along. */
    uint8_t *band;
    int band_x, band_y, band_w, band_h;
    int base_mid;
    /* Blink and turn progress. */
    int open_frames, closed_frames, turn_frames;
    /* The frontal pose a turn is measured from: the features' shift and
     * the eye gap of the frame with the widest eye gap so far (a turned
     * head foreshortens the gap, so the widest is the most frontal). */
    int front_d, front_gap;
    uint32_t rng;
};

int face_track_create(const struct face_config *cfg, struct face_track **out)
{
    *out = NULL;
    struct face_track *t = calloc(1, sizeof *t);
    if (!t)
        return ERR_NOMEM;
    t->cfg = *cfg;
    if (t->cfg.challenge_ms <= 0)
        t->cfg.challenge_ms = 8000;
    if (t->cfg.near_face_pct <= 0)
        t->cfg.near_face_pct = 20;
    if (t->cfg.blur_min <= 0)
        t->cfg.blur_min = 30;
    if (t->cfg.jpeg_quality <= 0)
        t->cfg.jpeg_quality = 85;
    if ((t->cfg.challenges & 7) == 0)
        t->cfg.challenges = FACE_CHALLENGE_BLINK | FACE_CHALLENGE_LEFT | FACE_CHALLENGE_RIGHT;
    struct face_detect_config dc = {.face_cascade = cfg->face_cascade,
                                    .eye_cascade = cfg->eye_cascade,
                                    .min_face_pct = cfg->min_face_pct};
    int rc = face_detector_create(&dc, TRACK_MAX_W, TRACK_MAX_H, &t->det);
    t->gray = malloc((size_t)TRACK_MAX_W * TRACK_MAX_H);
    t->band = malloc((size_t)TRACK_MAX_W * TRACK_MAX_H / 4);
    if (rc == 0 && (!t->gray || !t->band))
        rc = ERR_NOMEM;
    if (rc != 0) {
        face_track_destroy(t);
        return rc;
    }
    if (getrandom(&t->rng, sizeof t->rng, 0) != sizeof t->rng)
        t->rng = 0x9e3779b9u;
    t->rng |= 1;
    *out = t;
    return ERR_OK;
}

void face_track_wipe(struct face_track *t)
{
    if (t->best) {
        explicit_bzero(t->best, t->best_len);
        free(t->best);
        t->best = NULL;
        t->best_len = 0;
    }
    if (t->gray)
        wipe_release(t->gray, (size_t)TRACK_MAX_W * TRACK_MAX_H);
    if (t->band && t->band_w)
        wipe_release(t->band, px_area(t->band_w, t->band_h));
    if (t->det)
        face_detector_release(t->det);
    t->band_w = t->band_h = 0;
    t->best_sharp = -1;
}

void face_track_destroy(struct face_track *t)
{
    if (!t)
        return;
    face_track_wipe(t);
    face_detector_destroy(t->det);
    free(t->gray);
    free(t->band);
    free(t);
}

int face_challenges_parse(const char *list)
{
    int bits = 0;
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && *p == ' ') {
            p++;
            n--;
        }
        while (n && p[n - 1] == ' ')
            n--;
        if (n == 5 && !memcmp(p, "blink", 5))
            bits |= FACE_CHALLENGE_BLINK;
        else if (n == 9 && !memcmp(p, "turn-left", 9))
            bits |= FACE_CHALLENGE_LEFT;
        else if (n == 10 && !memcmp(p, "turn-right", 10))
            bits |= FACE_CHALLENGE_RIGHT;
        else
            return 0;
        p = e ? e + 1 : NULL;
    }
    return bits;
}

static uint32_t next_rand(struct face_track *t)
{
    /* xorshift32: the challenge only has to be unpredictable to a person
     * holding up a photo, not cryptographically. */
    uint32_t x = t->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return t->rng = x;
}

void face_track_reset(struct face_track *t, enum face_guidance challenge)
{
    face_track_wipe(t);
    memset(&t->j, 0, sizeof t->j);
    t->phase = PH_FIND;
    t->steady = t->eyes_gone = t->lost = 0;
    t->yaw_sum = t->yaw_n = 0;
    t->challenge = FACE_NONE;
    if (challenge == FACE_BLINK || challenge == FACE_TURN_LEFT || challenge == FACE_TURN_RIGHT) {
        t->challenge = challenge;
    } else {
        enum face_guidance pool[3];
        int n = 0;
        if (t->cfg.challenges & FACE_CHALLENGE_BLINK)
            pool[n++] = FACE_BLINK;
        if (t->cfg.challenges & FACE_CHALLENGE_LEFT)
            pool[n++] = FACE_TURN_LEFT;
        if (t->cfg.challenges & FACE_CHALLENGE_RIGHT)
            pool[n++] = FACE_TURN_RIGHT;
        if (n == 0) /* no challenge configured: a blink, never a division by zero */
            pool[n++] = FACE_BLINK;
        t->challenge = pool[next_rand(t) % (uint32_t)n];
    }
}

/* Variance of the 4-neighbour Laplacian over the middle of the box. */
static int sharpness(const uint8_t *g, int w, int x0, int y0, int bw, int bh)
{
    int xs = x0 + bw / 5, xe = x0 + bw * 4 / 5, ys = y0 + bh / 5, ye = y0 + bh * 4 / 5;
    double sum = 0, sq = 0;
    long n = 0;
    for (int y = ys; y < ye; y++) {
        const uint8_t *r = g + px_at(0, y, w);
        for (int x = xs; x < xe; x++) {
            int v = 4 * r[x] - r[x - 1] - r[x + 1] - r[x - w] - r[x + w];
            sum += v;
            sq += (double)v * v;
            n++;
        }
    }
    if (n == 0)
        return 0;
    double m = sum / (double)n;
    return (int)(sq / (double)n - m * m);
}

static int mean(const uint8_t *g, int w, int x0, int y0, int bw, int bh, int step)
{
    uint64_t s = 0, n = 0;
    for (int y = y0; y < y0 + bh; y += step)
        for (int x = x0; x < x0 + bw; x += step) {
            s += g[px_at(x, y, w)];
            n++;
        }
    return n ? (int)(s / n) : 0;
}

static void judge(struct face_track *t, const uint8_t *rgb, int w, int h)
{
    struct face_judgement *j = &t->j;
    memset(j, 0, sizeof *j);
    camera_rgb_to_gray(rgb, w, h, t->gray);
    j->luma = mean(t->gray, w, 0, 0, w, h, 4);
    struct face_box f[FACE_MAX_FACES];
    int n = face_detector_run(t->det, t->gray, w, h, f, FACE_MAX_FACES, false);
    if (n <= 0) {
        j->guidance = j->luma < 50 ? FACE_TOO_DARK : FACE_NONE;
        return;
    }
    for (int i = 0; i < n; i++)
        if (f[i].w * 10 >= f[0].w * 6)
            j->faces++;
    struct face_box *m = &f[0];
    face_detector_eyes(t->det, t->gray, w, h, m);
    j->x = m->x;
    j->y = m->y;
    j->w = m->w;
    j->h = m->h;
    j->eyes = m->eyes;
    if (m->eyes == 2) {
        j->eye_mid_x = (m->eye[0].x + m->eye[0].w / 2 + m->eye[1].x + m->eye[1].w / 2) / 2;
        j->eye_gap = m->eye[1].x + m->eye[1].w / 2 - m->eye[0].x - m->eye[0].w / 2;
    }
    j->face_luma = mean(t->gray, w, m->x, m->y, m->w, m->h, 2);
    j->sharpness = sharpness(t->gray, w, m->x, m->y, m->w, m->h);
    int cx = m->x + m->w / 2, cy = m->y + m->h / 2;
    if (j->faces >= 2)
        j->guidance = FACE_MANY;
    else if (j->face_luma < 60 || j->face_luma * 100 < j->luma * 55)
        j->guidance = FACE_TOO_DARK; /* dark, or a bright window behind */
    else if (m->w * 100 < w * t->cfg.near_face_pct)
        j->guidance = FACE_TOO_FAR;
    else if (abs(cx - w / 2) * 100 > w * 15 || abs(cy - h / 2) * 100 > h * 20)
        j->guidance = FACE_OFF_CENTRE;
    else if (j->sharpness < t->cfg.blur_min)
        j->guidance = FACE_BLURRED;
    else
        j->guidance = FACE_OK;
}

/* The frame as JPEG, in a block of its own size (owned, wiped by the
 * caller), or NULL. The encoder's working buffer is wiped here. */
static uint8_t *encode_jpeg(const uint8_t *rgb, int w, int h, int quality, size_t *len)
{
    tjhandle tj = tjInitCompress();
    if (!tj)
        return NULL;
    unsigned char *out = NULL;
    unsigned long out_len = 0;
    uint8_t *copy = NULL;
    if (tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &out, &out_len, TJSAMP_420, quality,
                    TJFLAG_FASTDCT) == 0 &&
        (copy = malloc(out_len)) != NULL) {
        memcpy(copy, out, out_len);
        *len = out_len;
    }
    if (out) {
        explicit_bzero(out, out_len);
        tjFree(out);
    }
    tjDestroy(tj);
    return copy;
}

static void keep_best(struct face_track *t, const uint8_t *rgb, int w, int h)
{
    if (t->j.sharpness <= t->best_sharp)
        return;
    size_t len = 0;
    uint8_t *jpeg = encode_jpeg(rgb, w, h, t->cfg.jpeg_quality, &len);
    if (!jpeg)
        return; /* the sharpest kept so far stays */
    if (t->best) {
        explicit_bzero(t->best, t->best_len);
        free(t->best);
    }
    t->best = jpeg;
    t->best_len = len;
    t->best_sharp = t->j.sharpness;
}

/* Takes the band under the face: twice the face wide, from 1.25 to 1.55
 * face heights below its top. Leaves band_w 0 if it is off the frame. */
static void take_band(struct face_track *t, int w, int h)
{
    const struct face_judgement *j = &t->j;
    int bx = j->x - j->w / 2, by = j->y + j->h * 125 / 100;
    int bw = j->w * 2, bh = j->h * 30 / 100;
    if (bx < 0) {
        bw += bx;
        bx = 0;
    }
    if (bx + bw > w)
        bw = w - bx;
    if (by + bh > h)
        bh = h - by;
    t->band_w = 0;
    if (bw < j->w || bh < 8 || px_area(bw, bh) > px_area(TRACK_MAX_W, TRACK_MAX_H) / 4)
        return;
    for (int y = 0; y < bh; y++)
        memcpy(t->band + px_at(0, y, bw), t->gray + px_at(bx, by + y, w), (size_t)bw);
    t->band_x = bx;
    t->band_y = by;
    t->band_w = bw;
    t->band_h = bh;
}

/* How far the band has moved sideways since the challenge began: the
 * shift within +-range with the least mean absolute difference. */
static int band_shift(const struct face_track *t, int w, int range)
{
    long best = -1;
    int best_dx = 0;
    for (int dx = -range; dx <= range; dx++) {
        int x0 = dx < 0 ? -dx : 0, x1 = t->band_w - (dx > 0 ? dx : 0);
        if (t->band_x + x0 + dx < 0 || t->band_x + x1 + dx > w || x1 - x0 < t->band_w / 2)
            continue;
        long sad = 0, n = 0;
        for (int y = 0; y < t->band_h; y += 2) {
            const uint8_t *a = t->band + px_at(0, y, t->band_w);
            const uint8_t *b = t->gray + px_at(t->band_x + dx, t->band_y + y, w);
            for (int x = x0; x < x1; x += 2) {
                sad += abs(a[x] - b[x]);
                n++;
            }
        }
        sad = n ? sad * 256 / n : 0;
        if (best < 0 || sad < best) {
            best = sad;
            best_dx = dx;
        }
    }
    return best_dx;
}

enum face_step face_track_frame(struct face_track *t, const uint8_t *rgb, int w, int h,
                                int64_t now_ms, enum face_guidance *guidance)
{
    if (w <= 0 || h <= 0 || w > TRACK_MAX_W || h > TRACK_MAX_H || t->phase == PH_DONE) {
        *guidance = FACE_NONE;
        return FACE_STEP_GUIDE;
    }
    judge(t, rgb, w, h);
    const struct face_judgement *j = &t->j;
    if (t->phase == PH_FIND) {
        enum face_guidance g = j->guidance;
        if (g == FACE_OK && j->eyes == 0) {
            /* Eyes can close for a moment; only a run of frames without
             * them asks to show the eyes. */
            if (++t->eyes_gone >= EYES_GONE_FRAMES) {
                g = FACE_EYES;
                t->steady = 0;
            }
            *guidance = g;
            return FACE_STEP_GUIDE;
        }
        *guidance = g;
        if (g != FACE_OK) {
            t->steady = 0;
            return FACE_STEP_GUIDE;
        }
        t->eyes_gone = 0;
        keep_best(t, rgb, w, h);
        if (j->eyes == 2) {
            t->yaw_sum += j->eye_mid_x;
            t->yaw_n++;
        }
        if (++t->steady < STEADY_FRAMES)
            return FACE_STEP_GUIDE;
        t->phase = PH_CHALLENGE;
        t->deadline = now_ms + t->cfg.challenge_ms;
        t->base_cx = j->x + j->w / 2;
        t->base_w = j->w;
        t->base_mid = t->yaw_n ? (int)(t->yaw_sum / t->yaw_n) : j->x + j->w / 2;
        take_band(t, w, h);
        t->open_frames = j->eyes > 0 ? 1 : 0;
        t->closed_frames = t->turn_frames = t->lost = 0;
        t->front_d = j->eyes == 2 ? j->eye_mid_x - t->base_mid : 0;
        t->front_gap = j->eyes == 2 ? j->eye_gap : 0;
        *guidance = t->challenge;
        return FACE_STEP_GUIDE;
    }
    /* PH_CHALLENGE */
    *guidance = t->challenge;
    if (now_ms > t->deadline) {
        t->phase = PH_DONE;
        return FACE_STEP_NOT_LIVE;
    }
    bool same_person = j->w > 0 && j->faces == 1 && abs(j->x + j->w / 2 - t->base_cx) < t->base_w;
    if (j->faces >= 2 || (!same_person && ++t->lost > LOST_FRAMES)) {
        /* Someone else, or the face went away: start over. */
        t->phase = PH_FIND;
        t->steady = 0;
        t->yaw_sum = t->yaw_n = 0;
        *guidance = j->guidance;
        return FACE_STEP_GUIDE;
    }
    if (!same_person)
        return FACE_STEP_GUIDE;
    t->lost = 0;
    bool passed = false;
    if (t->challenge == FACE_BLINK) {
        if (j->eyes > 0) {
            if (t->closed_frames > 0 && t->closed_frames <= BLINK_MAX_CLOSED && t->open_frames >= 1)
                passed = true;
            t->open_frames++;
            t->closed_frames = 0;
        } else if (++t->closed_frames > BLINK_MAX_CLOSED) {
            t->open_frames = 0; /* eyes covered, not a blink */
        }
    } else if (j->eyes == 2 && t->band_w) {
        /* The features' shift against the neck band, in image x (the
         * person's left is the camera's right). */
        int d = j->eye_mid_x - t->base_mid - band_shift(t, w, t->base_w / 4);
        int dir = t->challenge == FACE_TURN_LEFT ? 1 : -1;
        /* Only a turn in the asked direction away from the frontal pose
         * counts. A head already turned when the challenge began shows a
         * wider eye gap on coming back to the front: that frame becomes
         * the reference, so coming back from the other side is no turn. */
        if (j->eye_gap > t->front_gap) {
            t->front_gap = j->eye_gap;
            t->front_d = d;
        }
        if ((d - t->front_d) * dir * 100 >= TURN_YAW_PCT * t->base_w)
            passed = ++t->turn_frames >= TURN_FRAMES;
        else
            t->turn_frames = 0;
    }
    if (!passed)
        return FACE_STEP_GUIDE;
    if (!t->best)
        keep_best(t, rgb, w, h);
    t->phase = PH_DONE;
    return FACE_STEP_CAPTURED;
}

const struct face_judgement *face_track_judgement(const struct face_track *t)
{
    return &t->j;
}

enum face_guidance face_track_challenge(const struct face_track *t)
{
    return t->phase == PH_FIND ? FACE_NONE : t->challenge;
}

const uint8_t *face_track_best(const struct face_track *t, size_t *len)
{
    *len = t->best_len;
    return t->best;
}
