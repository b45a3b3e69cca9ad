/* cascade_detect.c - a cascade run over a frame, as OpenCV's
 * detectMultiScale does; see cascade.h.
 *
 * A pyramid of bilinear downscales with their integral images
 * (cascade_pyramid.c), per-stride feature offsets flattened into stumps,
 * each level scanned (LBP trees here, stump LBP cascades by
 * cascade_lbp.c, Haar cascades by cascade_haar.c), then neighbour
 * grouping. Runs on the thread that owns the detector (the face thread,
 * the tool).
 */
#include "cascade_internal.h"

#include "base/err.h"
#include "base/util.h"
#include "base/pixel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 8192

struct cascade_detector {
    int max_w, max_h;
    uint8_t *small;
    uint32_t *sum, *sqsum;
    int32_t *offs;
    size_t offs_cap;
    struct lbp_stump *lbp;
    struct haar_stump *haar;
    size_t stump_cap;
    struct cascade_rect *hits;
    struct resize_scratch rs;
    int simd; /* enum cascade_simd_kind */
};

struct cascade_detector *cascade_detector_create(int max_w, int max_h)
{
    if (max_w <= 0 || max_h <= 0 || max_w > 8192 || max_h > 8192)
        return NULL;
    struct cascade_detector *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->max_w = max_w;
    d->max_h = max_h;
    size_t ii = px_area(max_w + 1, max_h + 1);
    d->small = malloc(px_area(max_w, max_h));
    /* Padding: a row is judged 8 windows at a time, which at a step of 2
     * reads up to 15 cells past the last window. */
    d->sum = calloc(ii + 16, sizeof *d->sum);
    d->sqsum = calloc(ii + 16, sizeof *d->sqsum);
    d->simd = lbp_simd_best();
    d->hits = malloc(MAX_HITS * sizeof *d->hits);
    d->rs.xofs = malloc((size_t)max_w * sizeof *d->rs.xofs);
    d->rs.xw = malloc((size_t)max_w * sizeof *d->rs.xw);
    d->rs.col = malloc((size_t)max_w * sizeof *d->rs.col);
    if (!d->small || !d->sum || !d->sqsum || !d->hits || !d->rs.xofs || !d->rs.xw || !d->rs.col) {
        cascade_detector_destroy(d);
        return NULL;
    }
    return d;
}

void cascade_detector_release(struct cascade_detector *d)
{
    if (!d)
        return;
    size_t ii = px_area(d->max_w + 1, d->max_h + 1);
    wipe_release(d->small, px_area(d->max_w, d->max_h));
    wipe_release(d->sum, (ii + 16) * sizeof *d->sum);
    wipe_release(d->sqsum, (ii + 16) * sizeof *d->sqsum);
}

void cascade_detector_destroy(struct cascade_detector *d)
{
    if (!d)
        return;
    free(d->small);
    free(d->sum);
    free(d->sqsum);
    free(d->offs);
    free(d->lbp);
    free(d->haar);
    free(d->hits);
    free(d->rs.xofs);
    free(d->rs.xw);
    free(d->rs.col);
    free(d);
}

int cascade_detector_set_simd(struct cascade_detector *d, enum cascade_simd_kind kind)
{
    int best = lbp_simd_best(), k = (int)kind;
    d->simd = k > best ? best : k < CASCADE_SIMD_NONE ? CASCADE_SIMD_NONE : k;
    return d->simd;
}

/* Per-feature integral offsets for one stride: 16 corners per LBP
 * feature, 4 per Haar rect (3 rects). */
static int make_offsets(struct cascade_detector *d, const struct cascade *c, int st)
{
    size_t per = c->lbp ? 16 : 12;
    size_t need = (size_t)c->nfeatures * per;
    if (need > d->offs_cap) {
        int32_t *o = realloc(d->offs, need * sizeof *o);
        if (!o)
            return ERR_NOMEM;
        d->offs = o;
        d->offs_cap = need;
    }
    for (int f = 0; f < c->nfeatures; f++) {
        int32_t *o = d->offs + (size_t)f * per;
        if (c->lbp) {
            const struct lbp_feature *lf = &c->lbpf[f];
            for (int j = 0; j < 4; j++)
                for (int i = 0; i < 4; i++)
                    o[j * 4 + i] = (lf->y + j * lf->h) * st + lf->x + i * lf->w;
        } else {
            const struct haar_feature *hf = &c->haar[f];
            for (int r = 0; r < 3; r++) {
                if (r >= hf->n) {
                    o[r * 4] = o[r * 4 + 1] = o[r * 4 + 2] = o[r * 4 + 3] = 0;
                    continue;
                }
                int x = hf->r[r].x, y = hf->r[r].y, w = hf->r[r].w, h = hf->r[r].h;
                o[r * 4 + 0] = y * st + x;
                o[r * 4 + 1] = y * st + x + w;
                o[r * 4 + 2] = (y + h) * st + x;
                o[r * 4 + 3] = (y + h) * st + x + w;
            }
        }
    }
    if (!c->stumps)
        return ERR_OK;
    if ((size_t)c->nweak > d->stump_cap) {
        free(d->lbp);
        free(d->haar);
        d->lbp = malloc((size_t)c->nweak * sizeof *d->lbp);
        d->haar = malloc((size_t)c->nweak * sizeof *d->haar);
        if (!d->lbp || !d->haar) {
            d->stump_cap = 0;
            return ERR_NOMEM;
        }
        d->stump_cap = (size_t)c->nweak;
    }
    for (int k = 0; k < c->nweak; k++) {
        const struct weak *wk = &c->weak[k];
        const struct node *no = &c->nodes[wk->node_first];
        /* A stump's children are leaves: -left and -right index them. */
        float l = c->leaves[wk->leaf_first - no->left], r = c->leaves[wk->leaf_first - no->right];
        const int32_t *o = d->offs + (size_t)no->feature * per;
        if (c->lbp) {
            memcpy(d->lbp[k].o, o, sizeof d->lbp[k].o);
            memcpy(d->lbp[k].subset, c->subsets + no->subset, sizeof d->lbp[k].subset);
            d->lbp[k].leaf[0] = l;
            d->lbp[k].leaf[1] = r;
        } else {
            const struct haar_feature *hf = &c->haar[no->feature];
            memcpy(d->haar[k].o, o, sizeof d->haar[k].o);
            for (int q = 0; q < 3; q++)
                d->haar[k].weight[q] = q < hf->n ? hf->r[q].weight : 0.0f;
            d->haar[k].threshold = no->threshold;
            d->haar[k].leaf[0] = l;
            d->haar[k].leaf[1] = r;
        }
    }
    return ERR_OK;
}

/* Returns 1 (passed every stage), 0 (rejected at stage 0) or -1. */
static int run_lbp(const struct cascade *c, const int32_t *offs, const uint32_t *p)
{
    for (int s = 0; s < c->nstages; s++) {
        const struct stage *st = &c->stages[s];
        float sum = 0;
        for (int k = st->first; k < st->first + st->count; k++) {
            const struct weak *wk = &c->weak[k];
            int idx = 0;
            for (;;) {
                const struct node *no = &c->nodes[wk->node_first + idx];
                int code = lbp_code(p, offs + (size_t)no->feature * 16);
                int bit = (c->subsets[no->subset + (code >> 5)] >> (code & 31)) & 1;
                int next = bit ? no->left : no->right;
                if (next > 0) {
                    idx = next;
                    continue;
                }
                sum += c->leaves[wk->leaf_first - next];
                break;
            }
        }
        if (sum < st->threshold)
            return s == 0 ? 0 : -1;
    }
    return 1;
}

/* One pyramid level's hits into the detector's list, in image pixels. */
struct hit_ctx {
    struct cascade_detector *d;
    float f;
    int w, h;
    int *n;
};

static void add_hit(void *ctx, int x, int y)
{
    struct hit_ctx *hc = ctx;
    if (*hc->n >= MAX_HITS)
        return;
    struct cascade_rect *r = &hc->d->hits[(*hc->n)++];
    r->x = (int)lroundf((float)x * hc->f);
    r->y = (int)lroundf((float)y * hc->f);
    r->w = hc->w;
    r->h = hc->h;
    r->neighbours = 1;
}

static int cmp_area(const void *a, const void *b)
{
    const struct cascade_rect *x = a, *y = b;
    long ax = (long)x->w * x->h, ay = (long)y->w * y->h;
    return ax < ay ? 1 : ax > ay ? -1 : 0;
}

static bool similar(const struct cascade_rect *a, const struct cascade_rect *b, double eps)
{
    double delta = eps * ((a->w < b->w ? a->w : b->w) + (a->h < b->h ? a->h : b->h)) * 0.5;
    return fabs((double)(a->x - b->x)) <= delta && fabs((double)(a->y - b->y)) <= delta &&
           fabs((double)(a->x + a->w - b->x - b->w)) <= delta &&
           fabs((double)(a->y + a->h - b->y - b->h)) <= delta;
}

static int uf_find(int *parent, int i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

int cascade_group(struct cascade_rect *r, int n, int group_threshold, double eps)
{
    if (group_threshold <= 0 || n <= 0)
        return n;
    int *parent = malloc((size_t)n * sizeof *parent);
    int *label = malloc((size_t)n * sizeof *label);
    double(*acc)[5] = calloc((size_t)n, sizeof *acc);
    if (!parent || !label || !acc) {
        free(parent);
        free(label);
        free(acc);
        return 0;
    }
    for (int i = 0; i < n; i++)
        parent[i] = i;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (similar(&r[i], &r[j], eps)) {
                int a = uf_find(parent, i), b = uf_find(parent, j);
                if (a != b)
                    parent[b] = a;
            }
    int classes = 0;
    for (int i = 0; i < n; i++) {
        int root = uf_find(parent, i);
        if (root == i)
            label[i] = classes++;
    }
    for (int i = 0; i < n; i++) {
        int l = label[uf_find(parent, i)];
        acc[l][0] += r[i].x;
        acc[l][1] += r[i].y;
        acc[l][2] += r[i].w;
        acc[l][3] += r[i].h;
        acc[l][4] += 1;
    }
    /* n > 0, so classes >= 1: the first rectangle is its own root. */
    struct cascade_rect *avg =
        malloc((size_t)classes * sizeof *avg); // NOLINT(clang-analyzer-optin.portability.UnixAPI)
    if (!avg) {
        free(parent);
        free(label);
        free(acc);
        return 0;
    }
    for (int l = 0; l < classes; l++) {
        double s = 1.0 / acc[l][4];
        avg[l].x = (int)lround(acc[l][0] * s);
        avg[l].y = (int)lround(acc[l][1] * s);
        avg[l].w = (int)lround(acc[l][2] * s);
        avg[l].h = (int)lround(acc[l][3] * s);
        avg[l].neighbours = (int)acc[l][4];
    }
    int out = 0;
    for (int i = 0; i < classes; i++) {
        int n1 = avg[i].neighbours;
        if (n1 <= group_threshold)
            continue;
        const struct cascade_rect *r1 = &avg[i];
        int j;
        for (j = 0; j < classes; j++) {
            int n2 = avg[j].neighbours;
            if (j == i || n2 <= group_threshold)
                continue;
            const struct cascade_rect *r2 = &avg[j];
            int dx = (int)lround(r2->w * eps), dy = (int)lround(r2->h * eps);
            if (r1->x >= r2->x - dx && r1->y >= r2->y - dy && r1->x + r1->w <= r2->x + r2->w + dx &&
                r1->y + r1->h <= r2->y + r2->h + dy && (n2 > (n1 > 3 ? n1 : 3) || n1 < 3))
                break;
        }
        if (j == classes)
            r[out++] = *r1;
    }
    free(avg);
    free(parent);
    free(label);
    free(acc);
    return out;
}

int cascade_detect(struct cascade_detector *d, const struct cascade *c, const uint8_t *gray, int w,
                   int h, int stride, const struct cascade_params *p, struct cascade_rect *out,
                   int max_out)
{
    if (!d || !c || !gray || w <= 0 || h <= 0 || stride < w || !p || p->scale_factor <= 1.0)
        return ERR_INVALID;
    if (w > d->max_w || h > d->max_h)
        return ERR_TOOBIG;
    int W = c->win_w, H = c->win_h;
    int max_size = p->max_size > 0 ? p->max_size : (w > h ? w : h);
    int nhits = 0;
    int offs_stride = -1;
    for (float f = 1.0f;; f *= (float)p->scale_factor) {
        int ww = (int)lroundf((float)W * f), wh = (int)lroundf((float)H * f);
        if (ww > max_size || wh > max_size || ww > w || wh > h)
            break;
        if (ww < p->min_size || wh < p->min_size)
            continue;
        int sw = (int)lroundf((float)w / f), sh = (int)lroundf((float)h / f);
        if (sw < W || sh < H)
            break;
        const uint8_t *img = gray;
        int img_stride = stride;
        if (sw != w || sh != h || stride != w) {
            cascade_resize(gray, w, h, stride, d->small, sw, sh, &d->rs, d->simd);
            img = d->small;
            img_stride = sw;
        }
        (void)img_stride;
        cascade_integral(img, sw, sh, d->sum, c->lbp ? NULL : d->sqsum);
        int st = sw + 1;
        if (st != offs_stride) {
            if (make_offsets(d, c, st) != 0)
                return ERR_NOMEM;
            offs_stride = st;
        }
        int step = f >= 2.0f ? 1 : 2;
        struct hit_ctx hc = {.d = d, .f = f, .w = ww, .h = wh, .n = &nhits};
        struct scan_level lv = {.sum = d->sum,
                                .sqsum = d->sqsum,
                                .st = st,
                                .nx = sw - W + 1,
                                .ny = sh - H + 1,
                                .step = step};
        if (c->lbp && c->stumps) {
            lbp_scan_level(c, d->lbp, &lv, d->simd, add_hit, &hc);
            continue;
        }
        if (!c->lbp) {
            haar_scan_level(c, d->offs, c->stumps ? d->haar : NULL, &lv, d->simd, add_hit, &hc);
            continue;
        }
        for (int y = 0; y <= sh - H; y += step) {
            for (int x = 0; x <= sw - W; x += step) {
                int res = run_lbp(c, d->offs, d->sum + px_at(x, y, st));
                if (res > 0)
                    add_hit(&hc, x, y);
                else if (res == 0)
                    x += step;
            }
        }
    }
    int n = cascade_group(d->hits, nhits, p->min_neighbours, 0.2);
    for (int i = 0; i < n; i++) {
        struct cascade_rect *r = &d->hits[i];
        if (r->x < 0) {
            r->w += r->x;
            r->x = 0;
        }
        if (r->y < 0) {
            r->h += r->y;
            r->y = 0;
        }
        if (r->x + r->w > w)
            r->w = w - r->x;
        if (r->y + r->h > h)
            r->h = h - r->y;
    }
    qsort(d->hits, (size_t)n, sizeof *d->hits, cmp_area);
    for (int i = 0; i < n && i < max_out; i++)
        out[i] = d->hits[i];
    return n;
}
