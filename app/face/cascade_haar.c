/* cascade_haar.c - a Haar cascade over one pyramid level; see
 * cascade_internal.h.
 *
 * Two ways through a level give the same hits, float for float:
 *
 * - plain C (CASCADE_SIMD_NONE and CASCADE_SIMD_VECTOR, and any cascade
 *   with trees): each window in OpenCV's order, stage after stage;
 * - AVX2 (CASCADE_SIMD_AVX2, stump cascades: x86-64 CPUs that have it,
 *   asked at run time), 8 windows of a row at a time: neighbouring ones
 *   on a level scanned with a step of 1 (one contiguous load per corner),
 *   every other one with a step of 2 (16 cells loaded, the even ones
 *   kept).
 *
 * A window first gets OpenCV's variance normalisation over its inner
 * (1, 1, W-2, H-2) box; a flat one (standard deviation 10 or less) is
 * rejected before stage 0, which does not make the scan skip the next
 * window, while a stage-0 rejection does. The AVX2 way computes every
 * lane with the very operations of the plain one, in the same order:
 * the normalisation in double (products, difference, square root,
 * quotient: all correctly rounded), then each feature as float weight
 * times float rect sum, added rect by rect, times the window's inverse
 * factor, compared with the node's threshold; no fused multiply-add.
 */
#include "cascade_internal.h"

#include "base/pixel.h"

#include <math.h>
#include <string.h>

#define BOX(p, o, a, b, c_, d_) ((p)[(o)[a]] - (p)[(o)[b]] - (p)[(o)[c_]] + (p)[(o)[d_]])

/* ---- plain C ---------------------------------------------------------- */

/* Returns 1 (passed every stage), 0 (rejected at stage 0) or -1 (flat, or
 * rejected later). */
static int run_haar(const struct cascade *c, const int32_t *offs, const struct haar_stump *stumps,
                    const uint32_t *p, const uint32_t *q, int st_w)
{
    /* Variance normalisation over (1,1,W-2,H-2), as OpenCV. */
    int W = c->win_w, H = c->win_h;
    int a = st_w + 1, b = st_w + W - 1, cc = (H - 1) * st_w + 1, dd = (H - 1) * st_w + W - 1;
    int32_t s1 = (int32_t)(p[a] - p[b] - p[cc] + p[dd]);
    uint32_t s2 = q[a] - q[b] - q[cc] + q[dd];
    double area = (double)(W - 2) * (H - 2);
    double nf = area * s2 - (double)s1 * s1;
    if (nf <= 0)
        return -1;
    nf = sqrt(nf);
    if (area / nf >= 0.1)
        return -1; /* flat window: stddev 10 or less */
    float inv = (float)(1.0 / nf);
    if (stumps) {
        for (int s = 0; s < c->nstages; s++) {
            const struct stage *stg = &c->stages[s];
            const struct haar_stump *k = stumps + stg->first, *e = k + stg->count;
            float sum = 0;
            for (; k < e; k++) {
                const int32_t *o = k->o;
                float v = k->weight[0] * (float)(int32_t)BOX(p, o, 0, 1, 2, 3) +
                          k->weight[1] * (float)(int32_t)BOX(p, o, 4, 5, 6, 7);
                if (k->weight[2] != 0.0f)
                    v += k->weight[2] * (float)(int32_t)BOX(p, o, 8, 9, 10, 11);
                sum += k->leaf[v * inv < k->threshold ? 0 : 1];
            }
            if (sum < stg->threshold)
                return s == 0 ? 0 : -1;
        }
        return 1;
    }
    for (int s = 0; s < c->nstages; s++) {
        const struct stage *stg = &c->stages[s];
        float sum = 0;
        for (int k = stg->first; k < stg->first + stg->count; k++) {
            const struct weak *wk = &c->weak[k];
            int idx = 0;
            for (;;) {
                const struct node *no = &c->nodes[wk->node_first + idx];
                const struct haar_feature *hf = &c->haar[no->feature];
                const int32_t *o = offs + (size_t)no->feature * 12;
                float v = hf->r[0].weight * (float)(int32_t)BOX(p, o, 0, 1, 2, 3) +
                          hf->r[1].weight * (float)(int32_t)BOX(p, o, 4, 5, 6, 7);
                if (hf->n > 2 && hf->r[2].weight != 0.0f)
                    v += hf->r[2].weight * (float)(int32_t)BOX(p, o, 8, 9, 10, 11);
                int next = v * inv < no->threshold ? no->left : no->right;
                if (next > 0) {
                    idx = next;
                    continue;
                }
                sum += c->leaves[wk->leaf_first - next];
                break;
            }
        }
        if (sum < stg->threshold)
            return s == 0 ? 0 : -1;
    }
    return 1;
}

static void scan_plain(const struct cascade *c, const int32_t *offs,
                       const struct haar_stump *stumps, const struct scan_level *lv,
                       scan_hit_fn hit, void *ctx)
{
    for (int y = 0; y < lv->ny; y += lv->step)
        for (int x = 0; x < lv->nx; x += lv->step) {
            size_t base = px_at(x, y, lv->st);
            int res = run_haar(c, offs, stumps, lv->sum + base, lv->sqsum + base, lv->st);
            if (res > 0)
                hit(ctx, x, y);
            else if (res == 0)
                x += lv->step;
        }
}

/* ---- AVX2 ------------------------------------------------------------- */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#define AVX2           __attribute__((target("avx2")))

/* 8 windows' cells at offset o from p: neighbours (step 1) or every other
 * one (step 2: 16 cells, the even ones, in order). */
AVX2 static inline __m256i cells8(const uint32_t *p, int32_t o, int step)
{
    const __m256i *a = (const __m256i *)(const void *)(p + o);
    if (step == 1)
        return _mm256_loadu_si256(a);
    __m256 lo = _mm256_castsi256_ps(_mm256_loadu_si256(a));
    __m256 hi = _mm256_castsi256_ps(_mm256_loadu_si256(a + 1));
    /* lo0 lo2 hi0 hi2 | lo4 lo6 hi4 hi6, then the middle halves swapped */
    __m256 ev = _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_permute4x64_epi64(_mm256_castps_si256(ev), _MM_SHUFFLE(3, 1, 2, 0));
}

AVX2 static inline __m256i box8(const uint32_t *p, const int32_t *o, int step)
{
    __m256i a = cells8(p, o[0], step), b = cells8(p, o[1], step);
    __m256i c = cells8(p, o[2], step), d = cells8(p, o[3], step);
    return _mm256_add_epi32(_mm256_sub_epi32(_mm256_sub_epi32(a, b), c), d);
}

/* A uint32 lane as double, exactly. */
AVX2 static inline __m256d u32_to_pd(__m128i v)
{
    __m128i s = _mm_xor_si128(v, _mm_set1_epi32(INT32_MIN));
    return _mm256_add_pd(_mm256_cvtepi32_pd(s), _mm256_set1_pd(2147483648.0));
}

/* The normalisation of 8 windows at p (sum) and q (squares): their
 * inverse factors into *inv; returns the bits of the windows that are not
 * flat. */
AVX2 static int normalise8(const struct cascade *c, const uint32_t *p, const uint32_t *q, int st,
                           int step, __m256 *inv)
{
    int W = c->win_w, H = c->win_h;
    const int32_t o[4] = {st + 1, st + W - 1, (H - 1) * st + 1, (H - 1) * st + W - 1};
    __m256i s1 = box8(p, o, step), s2 = box8(q, o, step);
    __m256d area = _mm256_set1_pd((double)(W - 2) * (H - 2));
    __m128 half[2];
    int ok = 0;
    for (int i = 0; i < 2; i++) {
        __m128i a = i ? _mm256_extracti128_si256(s1, 1) : _mm256_castsi256_si128(s1);
        __m128i b = i ? _mm256_extracti128_si256(s2, 1) : _mm256_castsi256_si128(s2);
        __m256d d1 = _mm256_cvtepi32_pd(a);
        __m256d nf = _mm256_sub_pd(_mm256_mul_pd(area, u32_to_pd(b)), _mm256_mul_pd(d1, d1));
        __m256d pos = _mm256_cmp_pd(nf, _mm256_setzero_pd(), _CMP_GT_OQ);
        nf = _mm256_sqrt_pd(nf);
        __m256d flat = _mm256_cmp_pd(_mm256_div_pd(area, nf), _mm256_set1_pd(0.1), _CMP_GE_OQ);
        ok |= (_mm256_movemask_pd(_mm256_andnot_pd(flat, pos)) & 0xF) << (4 * i);
        half[i] = _mm256_cvtpd_ps(_mm256_div_pd(_mm256_set1_pd(1.0), nf));
    }
    *inv = _mm256_set_m128(half[1], half[0]);
    return ok;
}

/* Stage s for 8 windows at p with inverse factors inv: bit l set when
 * window l passed. */
AVX2 static int stage8(const struct cascade *c, const struct haar_stump *t, int s,
                       const uint32_t *p, int step, __m256 inv)
{
    const struct stage *st = &c->stages[s];
    __m256 sum = _mm256_setzero_ps();
    for (const struct haar_stump *k = t + st->first; k < t + st->first + st->count; k++) {
        __m256 v = _mm256_add_ps(
            _mm256_mul_ps(_mm256_set1_ps(k->weight[0]), _mm256_cvtepi32_ps(box8(p, k->o, step))),
            _mm256_mul_ps(_mm256_set1_ps(k->weight[1]),
                          _mm256_cvtepi32_ps(box8(p, k->o + 4, step))));
        if (k->weight[2] != 0.0f)
            v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_set1_ps(k->weight[2]),
                                               _mm256_cvtepi32_ps(box8(p, k->o + 8, step))));
        __m256 left =
            _mm256_cmp_ps(_mm256_mul_ps(v, inv), _mm256_set1_ps(k->threshold), _CMP_LT_OQ);
        sum = _mm256_add_ps(
            sum, _mm256_blendv_ps(_mm256_set1_ps(k->leaf[1]), _mm256_set1_ps(k->leaf[0]), left));
    }
    __m256 fail = _mm256_cmp_ps(sum, _mm256_set1_ps(st->threshold), _CMP_LT_OQ);
    return ~_mm256_movemask_ps(fail) & 0xFF;
}

AVX2 static void scan_avx2(const struct cascade *c, const struct haar_stump *t,
                           const struct scan_level *lv, scan_hit_fn hit, void *ctx)
{
    int step = lv->step, span = 8 * step;
    for (int y = 0; y < lv->ny; y += step) {
        const uint32_t *p = lv->sum + px_at(0, y, lv->st);
        const uint32_t *q = lv->sqsum + px_at(0, y, lv->st);
        int skip = 0;
        for (int x = 0; x < lv->nx; x += span) {
            __m256 inv;
            int ok = normalise8(c, p + x, q + x, lv->st, step, &inv);
            int pass0 = ok ? stage8(c, t, 0, p + x, step, inv) & ok : 0;
            int live = pass0 & scan_visited(ok & ~pass0, 8, &skip);
            for (int s = 1; s < c->nstages && live; s++)
                live &= stage8(c, t, s, p + x, step, inv);
            for (int l = 0; live; live >>= 1, l++)
                if ((live & 1) && x + l * step < lv->nx)
                    hit(ctx, x + l * step, y);
        }
    }
}
#endif

void haar_scan_level(const struct cascade *c, const int32_t *offs, const struct haar_stump *stumps,
                     const struct scan_level *lv, int simd, scan_hit_fn hit, void *ctx)
{
    if (lv->nx <= 0 || lv->ny <= 0)
        return;
#ifdef HAVE_AVX2_PATH
    if (simd == CASCADE_SIMD_AVX2 && stumps && c->nstages >= 1 && lv->step <= 2) {
        scan_avx2(c, stumps, lv, hit, ctx);
        return;
    }
#endif
    (void)simd;
    scan_plain(c, offs, stumps, lv, hit, ctx);
}
