/* draw.c - fills, anti-aliased rounded shapes and the mask texture cache.
 *
 * Rounded rectangles are a 9-slice: the four quadrants of a cached circle
 * mask of the corner radius, tinted, plus three solid rectangles. Circles,
 * rings, arcs and ellipses are cached masks of their own. The cache is
 * bounded in entries and bytes (least recently used entries go first,
 * never one the frame being drawn uses), and a large mask lasts only as
 * long as frames draw it. UI thread.
 */
#include "ui/kit.h"
#include "ui/mask.h"

#include "base/err.h"
#include "base/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TEX_CACHE_MAX 192
/* Pixels of masks kept: a screen's shapes are a few hundred kB; the face
 * capture's oval (about 1 MB) and its silhouette before the first picture
 * (0.8 MB) are the large ones, and need not outlive their screen. */
#define TEX_CACHE_BYTES (1536u * 1024u)
/* A mask this large that the last frame did not draw is dropped as the
 * next begins (the face capture's silhouette, once the picture came). */
#define TEX_BIG_BYTES (256u * 1024u)

struct tex_entry {
    uint64_t key;
    SDL_Texture *tex;
    int w, h;
    size_t bytes;
    uint32_t used;
};

struct tex_cache {
    struct tex_entry e[TEX_CACHE_MAX];
    int count;
    size_t bytes;
    uint32_t clock;
    uint32_t frame; /* the clock when the frame being drawn began */
};

int tex_cache_create(struct kit *k)
{
    k->masks = calloc(1, sizeof *k->masks);
    return k->masks ? 0 : ERR_NOMEM;
}

void tex_cache_flush(struct kit *k)
{
    if (!k->masks)
        return;
    for (int i = 0; i < k->masks->count; i++)
        SDL_DestroyTexture(k->masks->e[i].tex);
    k->masks->count = 0;
    k->masks->bytes = 0;
}

size_t tex_cache_bytes(const struct kit *k)
{
    return k->masks ? k->masks->bytes : 0;
}

void tex_cache_frame(struct kit *k)
{
    struct tex_cache *c = k->masks;
    if (!c)
        return;
    for (int i = 0; i < c->count;) {
        struct tex_entry *e = &c->e[i];
        if (e->bytes < TEX_BIG_BYTES || e->used >= c->frame) {
            i++;
            continue;
        }
        SDL_DestroyTexture(e->tex);
        c->bytes -= e->bytes;
        *e = c->e[--c->count];
    }
    c->frame = ++c->clock;
}

void tex_cache_destroy(struct kit *k)
{
    tex_cache_flush(k);
    free(k->masks);
    k->masks = NULL;
}

static uint64_t key_of(uint32_t kind, int a, int b, int c, int d)
{
    uint64_t h = 1469598103934665603ULL ^ kind;
    int v[4] = {a, b, c, d};
    for (int i = 0; i < 4; i++) {
        h ^= (uint32_t)v[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#define MASK_BAND 32 /* rows converted at a time */

/* The mask as a white texture with its alpha, filled a band of rows at a
 * time: no whole ARGB copy beside the texture (a large mask, the face
 * capture's oval, would otherwise take twice its size while it is made). */
static SDL_Texture *mask_texture(struct kit *k, const struct mask *m)
{
    SDL_Texture *t =
        SDL_CreateTexture(k->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, m->w, m->h);
    uint32_t *band = t ? malloc((size_t)m->w * MASK_BAND * 4) : NULL;
    if (!band) {
        if (t)
            SDL_DestroyTexture(t);
        return NULL;
    }
    for (int y0 = 0; y0 < m->h; y0 += MASK_BAND) {
        int rows = m->h - y0 < MASK_BAND ? m->h - y0 : MASK_BAND;
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < m->w; x++)
                band[y * m->w + x] = ((uint32_t)m->a[(y0 + y) * m->w + x] << 24) | 0xFFFFFFu;
        SDL_UpdateTexture(t, &(SDL_Rect){0, y0, m->w, rows}, band, m->w * 4);
    }
    free(band);
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

static struct tex_entry *cache_get(struct kit *k, uint64_t key, int w, int h, kit_paint_fn paint,
                                   const void *arg)
{
    struct tex_cache *c = k->masks;
    c->clock++;
    for (int i = 0; i < c->count; i++) {
        if (c->e[i].key == key && c->e[i].w == w && c->e[i].h == h) {
            c->e[i].used = c->clock;
            return &c->e[i];
        }
    }
    if (w <= 0 || h <= 0)
        return NULL;
    /* on a dense screen the mask has the real pixels the shape covers */
    int tw = kit_dense(k) ? (int)lround(w * k->density) : w;
    int th = kit_dense(k) ? (int)lround(h * k->density) : h;
    struct mask m;
    if (mask_init(&m, tw > 0 ? tw : 1, th > 0 ? th : 1) != 0)
        return NULL;
    m.scale = (float)m.w / (float)w;
    paint(&m, arg);
    SDL_Texture *t = mask_texture(k, &m);
    size_t bytes = (size_t)m.w * (size_t)m.h * 4;
    mask_fini(&m);
    if (!t)
        return NULL;
    /* least recently used out until the new one fits; what this frame
     * drew stays, unless the table is full */
    while (c->count > 0 && (c->count == TEX_CACHE_MAX || c->bytes + bytes > TEX_CACHE_BYTES)) {
        int lru = 0;
        for (int i = 1; i < c->count; i++)
            if (c->e[i].used < c->e[lru].used)
                lru = i;
        if (c->e[lru].used >= c->frame && c->count < TEX_CACHE_MAX)
            break;
        SDL_DestroyTexture(c->e[lru].tex);
        c->bytes -= c->e[lru].bytes;
        c->e[lru] = c->e[--c->count];
    }
    int slot = c->count++;
    c->bytes += bytes;
    c->e[slot] = (struct tex_entry){key, t, w, h, bytes, c->clock};
    return &c->e[slot];
}

static void tint(SDL_Texture *t, uint32_t rgb)
{
    SDL_SetTextureColorMod(t, (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
}

SDL_FRect kit_snap(const struct kit *k, SDL_FRect r)
{
    float sx = 1, sy = 1;
    if (k->soft)
        SDL_RenderGetScale(k->r, &sx, &sy);
    if (sx == 1 && sy == 1)
        return r;
    /* each edge's pixel a function of the edge alone (floor, as SDL's
     * truncation at whole scales) */
    float x0 = floorf(r.x * sx + 1e-3f), x1 = floorf((r.x + r.w) * sx + 1e-3f);
    float y0 = floorf(r.y * sy + 1e-3f), y1 = floorf((r.y + r.h) * sy + 1e-3f);
    /* half a pixel in: truncating x * s and w * s apart finds the edges */
    return (SDL_FRect){(x0 + 0.5f) / sx, (y0 + 0.5f) / sy, (x1 - x0 + 0.5f) / sx,
                       (y1 - y0 + 0.5f) / sy};
}

static SDL_FRect snap_rect(const struct kit *k, SDL_Rect r)
{
    return kit_snap(k, (SDL_FRect){(float)r.x, (float)r.y, (float)r.w, (float)r.h});
}

void draw_mask(struct kit *k, uint64_t key, int w, int h, kit_paint_fn paint, const void *arg,
               int x, int y, uint32_t rgb)
{
    struct tex_entry *e = cache_get(k, key, w, h, paint, arg);
    if (!e)
        return;
    tint(e->tex, rgb);
    SDL_FRect dst = snap_rect(k, (SDL_Rect){x, y, w, h});
    SDL_RenderCopyF(k->r, e->tex, NULL, &dst);
}

void draw_color(struct kit *k, uint32_t rgb)
{
    SDL_SetRenderDrawColor(k->r, (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, 255);
}

void draw_fill(struct kit *k, SDL_Rect r, uint32_t rgb)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    /* A partial frame: only the part inside its area (SDL's software
     * renderer walks the whole rectangle otherwise, clip or not). */
    if (k->frame_clip.w > 0 && !SDL_IntersectRect(&r, &k->frame_clip, &r))
        return;
    draw_color(k, rgb);
    /* Opaque: a plain fill, the same pixels as blending at alpha 255 and
     * several times cheaper in the software renderer. */
    SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_NONE);
    SDL_FRect f = snap_rect(k, r);
    SDL_RenderFillRectF(k->r, &f);
    SDL_SetRenderDrawBlendMode(k->r, SDL_BLENDMODE_BLEND);
}

struct circle_args {
    float r;
};

static void paint_circle(struct mask *m, const void *arg)
{
    const struct circle_args *a = arg;
    mask_circle(m, a->r, a->r, a->r, MASK_ADD);
}

/* The four quarters of a 2d x 2d texture (more real pixels on a dense
 * screen) drawn into r's corners. */
static void blit_corners(struct kit *k, SDL_Texture *tex, SDL_Rect r, int d)
{
    int tw = 2 * d;
    SDL_QueryTexture(tex, NULL, NULL, &tw, NULL);
    int q = tw / 2, o = tw - q;
    SDL_Rect src[4] = {{0, 0, q, q}, {o, 0, q, q}, {0, o, q, q}, {o, o, q, q}};
    SDL_Rect dst[4] = {{r.x, r.y, d, d},
                       {r.x + r.w - d, r.y, d, d},
                       {r.x, r.y + r.h - d, d, d},
                       {r.x + r.w - d, r.y + r.h - d, d, d}};
    for (int i = 0; i < 4; i++) {
        SDL_FRect f = snap_rect(k, dst[i]);
        SDL_RenderCopyF(k->r, tex, &src[i], &f);
    }
}

void draw_rrect(struct kit *k, SDL_Rect r, int radius, uint32_t rgb)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    if (radius * 2 > r.w)
        radius = r.w / 2;
    if (radius * 2 > r.h)
        radius = r.h / 2;
    if (radius <= 0) {
        draw_fill(k, r, rgb);
        return;
    }
    struct circle_args ca = {(float)radius};
    struct tex_entry *e =
        cache_get(k, key_of(1, radius, 0, 0, 0), radius * 2, radius * 2, paint_circle, &ca);
    if (!e) {
        draw_fill(k, r, rgb);
        return;
    }
    tint(e->tex, rgb);
    blit_corners(k, e->tex, r, radius);
    int d = radius;
    draw_fill(k, kit_rect(r.x + d, r.y, r.w - 2 * d, r.h), rgb);
    draw_fill(k, kit_rect(r.x, r.y + d, d, r.h - 2 * d), rgb);
    draw_fill(k, kit_rect(r.x + r.w - d, r.y + d, d, r.h - 2 * d), rgb);
}

void draw_rrect_border(struct kit *k, SDL_Rect r, int radius, int bw, uint32_t border,
                       uint32_t fill)
{
    draw_rrect(k, r, radius, border);
    SDL_Rect in = {r.x + bw, r.y + bw, r.w - 2 * bw, r.h - 2 * bw};
    draw_rrect(k, in, radius > bw ? radius - bw : 0, fill);
}

void draw_rrect_dashed(struct kit *k, SDL_Rect r, int radius, uint32_t dash, uint32_t fill)
{
    const int seg = 10, gap = 7, bw = 2;
    /* solid corners, then the straight parts cleared and dashed */
    draw_rrect_border(k, r, radius, bw, dash, fill);
    draw_fill(k, kit_rect(r.x + radius, r.y, r.w - 2 * radius, bw), fill);
    draw_fill(k, kit_rect(r.x + radius, r.y + r.h - bw, r.w - 2 * radius, bw), fill);
    draw_fill(k, kit_rect(r.x, r.y + radius, bw, r.h - 2 * radius), fill);
    draw_fill(k, kit_rect(r.x + r.w - bw, r.y + radius, bw, r.h - 2 * radius), fill);
    for (int x = r.x + radius; x < r.x + r.w - radius; x += seg + gap) {
        int l = x + seg > r.x + r.w - radius ? r.x + r.w - radius - x : seg;
        draw_fill(k, kit_rect(x, r.y, l, bw), dash);
        draw_fill(k, kit_rect(x, r.y + r.h - bw, l, bw), dash);
    }
    for (int y = r.y + radius; y < r.y + r.h - radius; y += seg + gap) {
        int l = y + seg > r.y + r.h - radius ? r.y + r.h - radius - y : seg;
        draw_fill(k, kit_rect(r.x, y, bw, l), dash);
        draw_fill(k, kit_rect(r.x + r.w - bw, y, bw, l), dash);
    }
}

struct ring_args {
    float r, hw, frac;
    float rx, ry;
};

static void paint_ring(struct mask *m, const void *arg)
{
    const struct ring_args *a = arg;
    float c = a->r + a->hw + 1;
    mask_ring(m, c, c, a->r, a->hw, MASK_ADD);
}

static void paint_arc(struct mask *m, const void *arg)
{
    const struct ring_args *a = arg;
    float c = a->r + a->hw + 1;
    mask_arc(m, c, c, a->r, a->hw, 0.0f, a->frac * 2.0f * (float)M_PI, MASK_ADD);
}

#define ELLIPSE_BAND 16 /* rows per band of an ellipse ring's stroke */

static void paint_ellipse_ring(struct mask *m, const void *arg)
{
    const struct ring_args *a = arg;
    mask_ellipse_stroke(m, a->rx + a->hw + 1, a->ry + a->hw + 1, a->rx, a->ry, a->hw, MASK_ADD);
}

void draw_circle(struct kit *k, int cx, int cy, int r, uint32_t rgb)
{
    draw_rrect(k, kit_rect(cx - r, cy - r, 2 * r, 2 * r), r, rgb);
}

void draw_ring(struct kit *k, int cx, int cy, int r, int w, uint32_t rgb)
{
    /* r is the outer radius; the stroke lies inside it */
    struct ring_args a = {(float)r - (float)w / 2.0f, (float)w / 2.0f, 0, 0, 0};
    int half = (int)ceilf(a.r + a.hw + 1);
    draw_mask(k, key_of(2, r, w, 0, 0), 2 * half, 2 * half, paint_ring, &a, cx - half, cy - half,
              rgb);
}

void draw_arc(struct kit *k, int cx, int cy, int r, int w, float frac, uint32_t rgb)
{
    if (frac <= 0)
        return;
    if (frac >= 1) {
        draw_ring(k, cx, cy, r, w, rgb);
        return;
    }
    int steps = (int)(frac * 1000);
    struct ring_args a = {(float)r - (float)w / 2.0f, (float)w / 2.0f, (float)steps / 1000.0f, 0,
                          0};
    int half = (int)ceilf(a.r + a.hw + 1);
    draw_mask(k, key_of(3, r, w, steps, 0), 2 * half, 2 * half, paint_arc, &a, cx - half, cy - half,
              rgb);
}

void draw_ellipse_ring(struct kit *k, int cx, int cy, int rx, int ry, int w, uint32_t rgb)
{
    struct ring_args a = {0, (float)w / 2.0f, 0, (float)rx, (float)ry};
    int hx = (int)ceilf(a.rx + a.hw + 1), hy = (int)ceilf(a.ry + a.hw + 1);
    if (kit_dense(k)) {
        draw_mask(k, key_of(4, rx, ry, w, 0), 2 * hx, 2 * hy, paint_ellipse_ring, &a, cx - hx,
                  cy - hy, rgb);
        return;
    }
    struct tex_entry *e =
        cache_get(k, key_of(4, rx, ry, w, 0), 2 * hx, 2 * hy, paint_ellipse_ring, &a);
    if (!e)
        return;
    tint(e->tex, rgb);
    /* Only the bands of the stroke: the inside is transparent, and
     * blending it costs (it is drawn over every camera picture). Each band
     * of rows gets the columns between the outer and the inner ellipse
     * widened by 2 px (the anti-aliased edge is 1 px); outside them the
     * mask is 0 and blending changes nothing, so the pixels are those of
     * one whole copy. */
    float oa = a.rx + a.hw + 2, ob = a.ry + a.hw + 2, ia = a.rx - a.hw - 2, ib = a.ry - a.hw - 2;
    for (int y0 = 0; y0 < 2 * hy; y0 += ELLIPSE_BAND) {
        int y1 = y0 + ELLIPSE_BAND < 2 * hy ? y0 + ELLIPSE_BAND : 2 * hy;
        float d0 = fabsf((float)y0 - (float)hy), d1 = fabsf((float)y1 - (float)hy);
        float near = (y0 <= hy && y1 >= hy) ? 0 : fminf(d0, d1), far = fmaxf(d0, d1);
        float ow = near < ob ? oa * sqrtf(1 - (near / ob) * (near / ob)) : 0;
        float iw = ia > 0 && far < ib ? ia * sqrtf(1 - (far / ib) * (far / ib)) : 0;
        int o = (int)ceilf(ow) + 1, in = (int)floorf(iw) - 1;
        if (o > hx)
            o = hx;
        SDL_Rect spans[2] = {{hx - o, y0, o - (in > 0 ? in : -o), y1 - y0},
                             {hx + (in > 0 ? in : o), y0, in > 0 ? o - in : 0, y1 - y0}};
        for (int i = 0; i < 2; i++) {
            if (spans[i].w <= 0)
                continue;
            SDL_Rect dst = {cx - hx + spans[i].x, cy - hy + spans[i].y, spans[i].w, spans[i].h};
            if (k->frame_clip.w > 0 && !SDL_HasIntersection(&dst, &k->frame_clip))
                continue;
            SDL_RenderCopy(k->r, e->tex, &spans[i], &dst);
        }
    }
}

static void paint_corner_cut(struct mask *m, const void *arg)
{
    const struct circle_args *a = arg;
    memset(m->a, 255, (size_t)m->w * (size_t)m->h);
    mask_circle(m, a->r, a->r, a->r, MASK_CUT);
}

void draw_corner_cut(struct kit *k, SDL_Rect r, int radius, uint32_t rgb)
{
    struct circle_args ca = {(float)radius};
    struct tex_entry *e =
        cache_get(k, key_of(5, radius, 0, 0, 0), radius * 2, radius * 2, paint_corner_cut, &ca);
    if (!e)
        return;
    tint(e->tex, rgb);
    blit_corners(k, e->tex, r, radius);
}

void draw_hline(struct kit *k, int x0, int x1, int y, int w, uint32_t rgb)
{
    draw_fill(k, kit_rect(x0, y, x1 - x0, w), rgb);
}

void draw_vline(struct kit *k, int x, int y0, int y1, int w, uint32_t rgb)
{
    draw_fill(k, kit_rect(x, y0, w, y1 - y0), rgb);
}

struct line_args {
    float x0, y0, x1, y1, hw;
};

static void paint_line(struct mask *m, const void *arg)
{
    const struct line_args *a = arg;
    mask_line(m, a->x0, a->y0, a->x1, a->y1, a->hw, MASK_ADD);
}

void draw_line(struct kit *k, int x0, int y0, int x1, int y1, int w, uint32_t rgb)
{
    int minx = (x0 < x1 ? x0 : x1) - w, miny = (y0 < y1 ? y0 : y1) - w;
    int bw = abs(x1 - x0) + 2 * w, bh = abs(y1 - y0) + 2 * w;
    struct line_args a = {(float)(x0 - minx), (float)(y0 - miny), (float)(x1 - minx),
                          (float)(y1 - miny), (float)w / 2.0f};
    draw_mask(k, key_of(6, x1 - x0, y1 - y0, w, 0), bw, bh, paint_line, &a, minx, miny, rgb);
}
