/* face_detect.c - faces and eyes; see face_detect.h. Caller's thread. */
#include "face/face_detect.h"

#include "base/pixel.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

struct face_detector {
    struct cascade *face, *eye;
    struct cascade_detector *scan;
    struct face_detect_config cfg;
};

int face_detector_create(const struct face_detect_config *cfg, int max_w, int max_h,
                         struct face_detector **out)
{
    *out = NULL;
    struct face_detector *d = calloc(1, sizeof *d);
    if (!d)
        return ERR_NOMEM;
    d->cfg = *cfg;
    if (d->cfg.min_face_pct <= 0)
        d->cfg.min_face_pct = 15;
    if (d->cfg.max_face_pct <= 0)
        d->cfg.max_face_pct = 60;
    if (d->cfg.scale_factor <= 1.0)
        d->cfg.scale_factor = 1.2;
    if (d->cfg.min_neighbours <= 0)
        d->cfg.min_neighbours = 3;
    const char *fp =
        cfg->face_cascade && *cfg->face_cascade ? cfg->face_cascade : FACE_CASCADE_DEFAULT;
    const char *ep = cfg->eye_cascade ? cfg->eye_cascade : FACE_EYE_DEFAULT;
    int rc = cascade_load(fp, &d->face);
    if (rc == 0 && *ep)
        rc = cascade_load(ep, &d->eye);
    d->cfg.face_cascade = d->cfg.eye_cascade = NULL; /* not kept */
    if (rc == 0) {
        d->scan = cascade_detector_create(max_w, max_h);
        if (!d->scan)
            rc = ERR_NOMEM;
    }
    if (rc != 0) {
        face_detector_destroy(d);
        return rc;
    }
    *out = d;
    return ERR_OK;
}

void face_detector_release(struct face_detector *d)
{
    cascade_detector_release(d->scan);
}

void face_detector_destroy(struct face_detector *d)
{
    if (!d)
        return;
    cascade_free(d->face);
    cascade_free(d->eye);
    cascade_detector_destroy(d->scan);
    free(d);
}

const struct cascade *face_detector_cascade(const struct face_detector *d)
{
    return d->face;
}

void face_detector_params(const struct face_detector *d, int frame_w, struct cascade_params *p)
{
    p->scale_factor = d->cfg.scale_factor;
    p->min_neighbours = d->cfg.min_neighbours;
    p->min_size = frame_w * d->cfg.min_face_pct / 100;
    p->max_size = frame_w * d->cfg.max_face_pct / 100;
}

/* Eyes in the upper part of the face box (the LBP box starts at the brows:
 * rows -5%..60%), each at most half the face wide; two kept: the
 * best-supported one per side. */
void face_detector_eyes(struct face_detector *d, const uint8_t *gray, int w, int h,
                        struct face_box *f)
{
    f->eyes = 0;
    if (!d->eye)
        return;
    int rx = f->x, ry = f->y - f->h * 5 / 100, rw = f->w, rh = f->h * 65 / 100;
    if (ry < 0) {
        rh += ry;
        ry = 0;
    }
    if (rx < 0 || rx + rw > w || ry + rh > h || rw < 24 || rh < 24)
        return;
    struct cascade_params p = {.scale_factor = 1.1,
                               .min_neighbours = 2,
                               .min_size = f->w / 5 > 12 ? f->w / 5 : 12,
                               .max_size = f->w * 45 / 100};
    struct cascade_rect eyes[8];
    int n = cascade_detect(d->scan, d->eye, gray + px_at(rx, ry, w), rw, rh, w, &p, eyes, 8);
    if (n > 8)
        n = 8;
    int best[2] = {-1, -1};
    for (int i = 0; i < n; i++) {
        int side = eyes[i].x + eyes[i].w / 2 < rw / 2 ? 0 : 1;
        if (best[side] < 0 || eyes[i].neighbours > eyes[best[side]].neighbours)
            best[side] = i;
    }
    for (int s = 0; s < 2; s++)
        if (best[s] >= 0) {
            struct cascade_rect e = eyes[best[s]];
            e.x += rx;
            e.y += ry;
            f->eye[f->eyes++] = e;
        }
}

int face_detector_run(struct face_detector *d, const uint8_t *gray, int w, int h,
                      struct face_box *out, int max, bool eyes)
{
    struct cascade_params p;
    face_detector_params(d, w, &p);
    struct cascade_rect r[FACE_MAX_FACES];
    int n = cascade_detect(d->scan, d->face, gray, w, h, w, &p, r, FACE_MAX_FACES);
    if (n < 0)
        return n;
    if (n > FACE_MAX_FACES)
        n = FACE_MAX_FACES;
    if (n > max)
        n = max;
    for (int i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].x = r[i].x;
        out[i].y = r[i].y;
        out[i].w = r[i].w;
        out[i].h = r[i].h;
        out[i].neighbours = r[i].neighbours;
        if (eyes)
            face_detector_eyes(d, gray, w, h, &out[i]);
    }
    return n;
}
