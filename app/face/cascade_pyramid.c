/* cascade_pyramid.c - one level of the detector's image pyramid: the
 * frame scaled down, then its integral images; see cascade_internal.h.
 *
 * The bilinear resize is OpenCV's fixed-point one (11-bit weights,
 * INTER_RESIZE_COEF_BITS, pixel centres aligned): each output pixel is
 * (sum of the four source pixels times their weight products + 2^21) >>
 * 22. The sum can be formed along the rows first (plain C) or down the
 * columns first (AVX2: the output row's two source rows blended over the
 * whole width, 8 columns at a time, then two of those columns per pixel).
 * The products are the same integers, so is their sum (the largest,
 * 255 * 2048 * 2048 + 2^21, fits in 31 bits), and so is every pixel.
 */
#include "cascade_internal.h"

#include "base/pixel.h"

#include <math.h>
#include <string.h>

/* Source column and weight of the right-hand one for each output x. */
static void columns(int sw, int dw, int *xofs, int *xw)
{
    double fx = (double)sw / dw;
    for (int x = 0; x < dw; x++) {
        double sx = (x + 0.5) * fx - 0.5;
        int ix = (int)floor(sx);
        int a = (int)lround((sx - ix) * 2048);
        if (ix < 0) {
            ix = 0;
            a = 0;
        }
        if (ix >= sw - 1) {
            ix = sw - 1;
            a = 0;
        }
        xofs[x] = ix;
        xw[x] = a;
    }
}

/* Source row and weight of the lower one for output row y. */
static void row_of(int sh, int dh, int y, int *iy_out, int *b_out)
{
    double sy = (y + 0.5) * ((double)sh / dh) - 0.5;
    int iy = (int)floor(sy);
    int b = (int)lround((sy - iy) * 2048);
    if (iy < 0) {
        iy = 0;
        b = 0;
    }
    if (iy >= sh - 1) {
        iy = sh - 1;
        b = 0;
    }
    *iy_out = iy;
    *b_out = b;
}

static void resize_plain(const uint8_t *src, int sh, int stride, uint8_t *dst, int dw, int dh,
                         const int *xofs, const int *xw)
{
    for (int y = 0; y < dh; y++) {
        int iy, b;
        row_of(sh, dh, y, &iy, &b);
        const uint8_t *r0 = src + px_at(0, iy, stride);
        const uint8_t *r1 = b ? r0 + stride : r0;
        uint8_t *o = dst + px_at(0, y, dw);
        for (int x = 0; x < dw; x++) {
            int ix = xofs[x], a = xw[x];
            int ix1 = a ? ix + 1 : ix;
            int top = r0[ix] * (2048 - a) + r0[ix1] * a;
            int bot = r1[ix] * (2048 - a) + r1[ix1] * a;
            o[x] = (uint8_t)((top * (2048 - b) + bot * b + (1 << 21)) >> 22);
        }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1

/* col[x] = r0[x] * (2048 - b) + r1[x] * b for the whole source width:
 * each pair of 16-bit (pixel, pixel below) times (2048 - b, b), summed in
 * 32 bits (pmaddwd). */
__attribute__((target("avx2"))) static void resize_avx2(const uint8_t *src, int sw, int sh,
                                                        int stride, uint8_t *dst, int dw, int dh,
                                                        const int *xofs, const int *xw,
                                                        int32_t *col)
{
    for (int y = 0; y < dh; y++) {
        int iy, b;
        row_of(sh, dh, y, &iy, &b);
        const uint8_t *r0 = src + px_at(0, iy, stride);
        const uint8_t *r1 = b ? r0 + stride : r0;
        __m256i w = _mm256_set1_epi32((int)((uint32_t)b << 16 | (uint32_t)(2048 - b)));
        int x = 0;
        for (; x + 8 <= sw; x += 8) {
            __m256i p0 =
                _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(r0 + x)));
            __m256i p1 =
                _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)(r1 + x)));
            __m256i v = _mm256_madd_epi16(_mm256_or_si256(p0, _mm256_slli_epi32(p1, 16)), w);
            _mm256_storeu_si256((__m256i *)(void *)(col + x), v);
        }
        for (; x < sw; x++)
            col[x] = r0[x] * (2048 - b) + r1[x] * b;
        uint8_t *o = dst + px_at(0, y, dw);
        for (x = 0; x < dw; x++) {
            int ix = xofs[x], a = xw[x];
            int ix1 = a ? ix + 1 : ix;
            o[x] = (uint8_t)((col[ix] * (2048 - a) + col[ix1] * a + (1 << 21)) >> 22);
        }
    }
}
#endif

void cascade_resize(const uint8_t *src, int sw, int sh, int stride, uint8_t *dst, int dw, int dh,
                    struct resize_scratch *s, int simd)
{
    columns(sw, dw, s->xofs, s->xw);
#ifdef HAVE_AVX2_PATH
    if (simd == CASCADE_SIMD_AVX2) {
        resize_avx2(src, sw, sh, stride, dst, dw, dh, s->xofs, s->xw, s->col);
        return;
    }
#endif
    (void)simd;
    resize_plain(src, sh, stride, dst, dw, dh, s->xofs, s->xw);
}

/* Integral images with stride w + 1; 32-bit wrap-around is fine because
 * only differences over a window are used (as OpenCV's 32-bit sqsum). */
void cascade_integral(const uint8_t *img, int w, int h, uint32_t *sum, uint32_t *sq)
{
    int st = w + 1;
    memset(sum, 0, (size_t)st * sizeof *sum);
    if (sq)
        memset(sq, 0, (size_t)st * sizeof *sq);
    for (int y = 0; y < h; y++) {
        uint32_t *s = sum + px_at(0, y + 1, st), *sp = s - st;
        uint32_t rs = 0, rq = 0;
        s[0] = 0;
        const uint8_t *row = img + px_at(0, y, w);
        if (sq) {
            uint32_t *q = sq + px_at(0, y + 1, st), *qp = q - st;
            q[0] = 0;
            for (int x = 0; x < w; x++) {
                rs += row[x];
                rq += (uint32_t)row[x] * row[x];
                s[x + 1] = sp[x + 1] + rs;
                q[x + 1] = qp[x + 1] + rq;
            }
        } else {
            for (int x = 0; x < w; x++) {
                rs += row[x];
                s[x + 1] = sp[x + 1] + rs;
            }
        }
    }
}
