/* face_picture.c - the capture screen's picture from a camera frame; see
 * face_picture.h.
 *
 * DESIGN: separable bilinear scaling in 16.16 fixed point with 8-bit
 * weights. Each source row the picture needs is scaled along x once (into
 * one of two cached rows, already mirrored and packed as ARGB), then each
 * output row blends its two cached rows, 4 pixels at a time. About 1.3 ms
 * for a 640x480 frame to a 760x820 picture on the face thread (the UI
 * thread did as much per frame before: a mirrored conversion, then SDL's
 * linear stretch); the UI thread then only copies it.
 */
#include "face_picture.h"

#include <stddef.h>
#include <string.h>

/* Source index and weight (0..255 of the next one) of output position i
 * of n along one axis: the crop from..from+len-1 spread over n. */
static void axis_at(int from, int len, int n, int i, int *idx, uint8_t *wt, int *next)
{
    int64_t lo = (int64_t)from << 16, hi = (int64_t)(from + len - 1) << 16;
    int64_t s = lo + ((int64_t)(2 * i + 1) * len << 15) / n - 32768;
    if (s < lo)
        s = lo;
    if (s > hi)
        s = hi;
    *idx = (int)(s >> 16);
    *wt = (uint8_t)((s >> 8) & 0xFF);
    *next = *idx < from + len - 1 ? *idx + 1 : *idx;
}

static inline uint32_t blend(uint32_t a, uint32_t b, uint32_t w)
{
    uint32_t iw = 256 - w;
    uint32_t rb = (((a & 0xFF00FFu) * iw + (b & 0xFF00FFu) * w) >> 8) & 0xFF00FFu;
    uint32_t g = (((a & 0x00FF00u) * iw + (b & 0x00FF00u) * w) >> 8) & 0x00FF00u;
    return 0xFF000000u | rb | g;
}

/* Two rows blended, 4 pixels at a time in 16-bit lanes (GCC/clang
 * vector extensions: SSE2 on any x86-64, NEON on ARM); the same sums as
 * blend(). */
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint16_t u16x16 __attribute__((vector_size(32)));

static void blend_rows(const uint32_t *a, const uint32_t *b, uint32_t w, uint32_t *o, int n)
{
    int x = 0;
    u16x16 wv = (u16x16){0} + (uint16_t)w, iv = (u16x16){0} + (uint16_t)(256 - w);
    for (; x + 4 <= n; x += 4) {
        u8x16 va, vb;
        memcpy(&va, a + x, 16);
        memcpy(&vb, b + x, 16);
        u16x16 s =
            __builtin_convertvector(va, u16x16) * iv + __builtin_convertvector(vb, u16x16) * wv;
        u8x16 r = __builtin_convertvector(s >> 8, u8x16);
        memcpy(o + x, &r, 16);
    }
    for (; x < n; x++)
        o[x] = blend(a[x], b[x], w);
}

/* One source row scaled along x, mirrored: out[x] shows column
 * out_w - 1 - x of the unmirrored picture. */
static void scale_row(const uint8_t *row, int out_w, const int *xi, const uint8_t *xw,
                      const int *xn, uint32_t *out)
{
    for (int x = 0; x < out_w; x++) {
        int m = out_w - 1 - x;
        const uint8_t *p = row + (size_t)xi[m] * 3, *q = row + (size_t)xn[m] * 3;
        uint32_t w = xw[m], iw = 256 - w;
        out[x] = 0xFF000000u | ((p[0] * iw + q[0] * w) >> 8) << 16 |
                 ((p[1] * iw + q[1] * w) >> 8) << 8 | ((p[2] * iw + q[2] * w) >> 8);
    }
}

int face_picture_make(const uint8_t *rgb, int w, int h, uint32_t *out, int out_w, int out_h)
{
    if (!rgb || !out || w <= 0 || h <= 0 || out_w <= 0 || out_h <= 0 ||
        out_w > FACE_PICTURE_MAX_W || out_h > 4 * FACE_PICTURE_MAX_W)
        return -1;
    /* Cover: the frame's centre in the picture's shape. */
    int cx = 0, cy = 0, cw = w, ch = h;
    if ((int64_t)w * out_h > (int64_t)h * out_w) {
        cw = (int)((int64_t)h * out_w / out_h);
        cw = cw < 1 ? 1 : cw;
        cx = (w - cw) / 2;
    } else {
        ch = (int)((int64_t)w * out_h / out_w);
        ch = ch < 1 ? 1 : ch;
        cy = (h - ch) / 2;
    }
    int xi[FACE_PICTURE_MAX_W], xn[FACE_PICTURE_MAX_W];
    uint8_t xw[FACE_PICTURE_MAX_W];
    for (int x = 0; x < out_w; x++)
        axis_at(cx, cw, out_w, x, &xi[x], &xw[x], &xn[x]);
    uint32_t rows[2][FACE_PICTURE_MAX_W] = {{0}};
    int cached[2] = {-1, -1}; /* the source row each cached row holds */
    size_t stride = (size_t)w * 3;
    for (int y = 0; y < out_h; y++) {
        int yi, yn;
        uint8_t yw;
        axis_at(cy, ch, out_h, y, &yi, &yw, &yn);
        /* the rows yi and yn scaled along x, each once while it is needed */
        int a = cached[0] == yi ? 0 : cached[1] == yi ? 1 : -1;
        if (a < 0) {
            a = cached[0] == yn ? 1 : 0;
            scale_row(rgb + (size_t)yi * stride, out_w, xi, xw, xn, rows[a]);
            cached[a] = yi;
        }
        int b = cached[a] == yn ? a : cached[1 - a] == yn ? 1 - a : -1;
        if (b < 0) {
            b = 1 - a;
            scale_row(rgb + (size_t)yn * stride, out_w, xi, xw, xn, rows[b]);
            cached[b] = yn;
        }
        const uint32_t *r[2] = {rows[a], rows[b]};
        uint32_t *o = out + (size_t)y * (size_t)out_w;
        if (yw == 0 || r[0] == r[1]) {
            for (int x = 0; x < out_w; x++)
                o[x] = r[0][x];
        } else {
            blend_rows(r[0], r[1], yw, o, out_w);
        }
    }
    return 0;
}
