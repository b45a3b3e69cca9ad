/* cascade_lbp.c - a stump LBP cascade over one pyramid level; see
 * cascade_internal.h.
 *
 * Three ways through a level give the same hits, float for float:
 *
 * - plain C (CASCADE_SIMD_NONE, and every level scanned with a step of 2):
 *   each window in OpenCV's order, stage after stage;
 * - vectors (CASCADE_SIMD_VECTOR: GCC/clang vector extensions, SSE2 on
 *   x86-64, NEON on ARM, plain code elsewhere), 4 windows at a time;
 * - AVX2 (CASCADE_SIMD_AVX2: x86-64 CPUs that have it, asked at run time;
 *   the build stays baseline x86-64), 8 windows at a time.
 *
 * The vector ways run the cascade on neighbouring windows of a row
 * together: the windows at x, x+1, ... read neighbouring integral cells,
 * so each of a feature's 16 corners is one contiguous load for all of
 * them, and each stump's set is looked up for all codes at once. After
 * stage 0, OpenCV's visiting order drops the windows the scan never
 * visits (a window that failed stage 0 makes it skip the next one); the
 * group goes on while one of its windows is still alive. Gathering only
 * the live windows into full groups (one gather per corner) was slower on
 * the machines measured than carrying the dead lanes along.
 *
 * Each window's stage sum adds the same leaf values in the same order in
 * every way (lanes are independent; no fused or reordered arithmetic), and
 * block sums wrap in 32 bits the same way, so the comparisons agree.
 */
#include "cascade_internal.h"

#include "base/pixel.h"

#include <string.h>

/* ---- plain C ---------------------------------------------------------- */

/* The leaf of stump k for code: the left one when the code is in the set. */
static inline float lbp_leaf(const struct lbp_stump *k, int code)
{
    return k->leaf[((k->subset[code >> 5] >> (code & 31)) & 1) ^ 1];
}

/* Every stage on the window at p: 1 (passed all), 0 (rejected at stage 0)
 * or -1 (rejected later). */
static int run_stumps(const struct cascade *c, const struct lbp_stump *t, const uint32_t *p)
{
    for (int s = 0; s < c->nstages; s++) {
        const struct stage *st = &c->stages[s];
        const struct lbp_stump *k = t + st->first, *e = k + st->count;
        float sum = 0;
        for (; k < e; k++)
            sum += lbp_leaf(k, lbp_code(p, k->o));
        if (sum < st->threshold)
            return s == 0 ? 0 : -1;
    }
    return 1;
}

static void scan_plain(const struct cascade *c, const struct lbp_stump *t,
                       const struct scan_level *lv, scan_hit_fn hit, void *ctx)
{
    for (int y = 0; y < lv->ny; y += lv->step)
        for (int x = 0; x < lv->nx; x += lv->step) {
            int res = run_stumps(c, t, lv->sum + px_at(x, y, lv->st));
            if (res > 0)
                hit(ctx, x, y);
            else if (res == 0)
                x += lv->step;
        }
}

/* Hits for the windows x + l of row y whose bit l is set in live. */
static void report(int live, int x, int nx, int y, scan_hit_fn hit, void *ctx)
{
    for (; live && x < nx; live >>= 1, x++)
        if (live & 1)
            hit(ctx, x, y);
}

/* ---- vector extensions ------------------------------------------------ */

typedef int32_t v4i __attribute__((vector_size(16)));
typedef uint32_t v4u __attribute__((vector_size(16)));
typedef float v4f __attribute__((vector_size(16)));

static inline v4u load4(const uint32_t *p)
{
    v4u v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Stage s for windows x .. x+3 of the row at p: bit l set when window
 * x+l passed. The corners row by row as in code8 below. */
static int stage_x4(const struct cascade *c, const struct lbp_stump *t, int s, const uint32_t *p)
{
    const struct stage *st = &c->stages[s];
    v4f sum = {0};
    for (const struct lbp_stump *k = t + st->first; k < t + st->first + st->count; k++) {
        const int32_t *o = k->o;
#define ROW4(r, h)                                                                                 \
    do {                                                                                           \
        v4u a0_ = load4(p + o[(r)*4]), a1_ = load4(p + o[(r)*4 + 1]);                              \
        v4u a2_ = load4(p + o[(r)*4 + 2]), a3_ = load4(p + o[(r)*4 + 3]);                          \
        (h)[0] = a0_ - a1_;                                                                        \
        (h)[1] = a1_ - a2_;                                                                        \
        (h)[2] = a2_ - a3_;                                                                        \
    } while (0)
#define BIT4(top, bottom, bit) (((v4i)((top) - (bottom)) >= cv) & (bit))
        v4u h1[3], h2[3], hx[3];
        ROW4(1, h1);
        ROW4(2, h2);
        v4i cv = (v4i)(h1[1] - h2[1]);
        v4i code = BIT4(h1[0], h2[0], 1) | BIT4(h1[2], h2[2], 16);
        ROW4(0, hx);
        code |= BIT4(hx[0], h1[0], 128) | BIT4(hx[1], h1[1], 64) | BIT4(hx[2], h1[2], 32);
        ROW4(3, hx);
        code |= BIT4(h2[0], hx[0], 2) | BIT4(h2[1], hx[1], 4) | BIT4(h2[2], hx[2], 8);
#undef BIT4
#undef ROW4
        v4f leaf;
        for (int l = 0; l < 4; l++)
            leaf[l] = lbp_leaf(k, code[l]);
        sum += leaf;
    }
    int bits = 0;
    for (int l = 0; l < 4; l++)
        if (!(sum[l] < st->threshold))
            bits |= 1 << l;
    return bits;
}

static void scan_vector(const struct cascade *c, const struct lbp_stump *t,
                        const struct scan_level *lv, scan_hit_fn hit, void *ctx)
{
    for (int y = 0; y < lv->ny; y++) {
        const uint32_t *p = lv->sum + px_at(0, y, lv->st);
        int skip = 0;
        for (int x = 0; x < lv->nx; x += 4) {
            int pass0 = stage_x4(c, t, 0, p + x);
            int live = pass0 & scan_visited(~pass0, 4, &skip);
            for (int s = 1; s < c->nstages && live; s++)
                live &= stage_x4(c, t, s, p + x);
            report(live, x, lv->nx, y, hit, ctx);
        }
    }
}

/* ---- AVX2 ------------------------------------------------------------- */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#define AVX2           __attribute__((target("avx2")))
#define AVX2_INLINE    inline __attribute__((target("avx2"), always_inline))

/* Row r of a feature's 4 x 4 corners for 8 windows at p: the differences
 * of neighbouring corners (wrapping in 32 bits). */
static AVX2_INLINE void corner_row(const uint32_t *p, const int32_t *o, int r, __m256i h[3])
{
    __m256i a0 = _mm256_loadu_si256((const __m256i *)(const void *)(p + o[r * 4]));
    __m256i a1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + o[r * 4 + 1]));
    __m256i a2 = _mm256_loadu_si256((const __m256i *)(const void *)(p + o[r * 4 + 2]));
    __m256i a3 = _mm256_loadu_si256((const __m256i *)(const void *)(p + o[r * 4 + 3]));
    h[0] = _mm256_sub_epi32(a0, a1);
    h[1] = _mm256_sub_epi32(a1, a2);
    h[2] = _mm256_sub_epi32(a2, a3);
}

/* bit where the block between two rows of differences (upper top, lower
 * bottom) sums to at least the centre's cv */
static AVX2_INLINE __m256i bit8(__m256i cv, __m256i top, __m256i bottom, int bit)
{
    return _mm256_andnot_si256(_mm256_cmpgt_epi32(cv, _mm256_sub_epi32(top, bottom)),
                               _mm256_set1_epi32(bit));
}

/* The codes of 8 windows at p for the feature with corner offsets o. Rows
 * 1 and 2 first (the centre), then 0, then 3, so few registers are live. */
static AVX2_INLINE __m256i code8(const uint32_t *p, const int32_t *o)
{
    __m256i h1[3], h2[3], hx[3];
    corner_row(p, o, 1, h1);
    corner_row(p, o, 2, h2);
    __m256i cv = _mm256_sub_epi32(h1[1], h2[1]);
    __m256i code = _mm256_or_si256(bit8(cv, h1[0], h2[0], 1), bit8(cv, h1[2], h2[2], 16));
    corner_row(p, o, 0, hx);
    code = _mm256_or_si256(code, bit8(cv, hx[0], h1[0], 128));
    code = _mm256_or_si256(code,
                           _mm256_or_si256(bit8(cv, hx[1], h1[1], 64), bit8(cv, hx[2], h1[2], 32)));
    corner_row(p, o, 3, hx);
    code = _mm256_or_si256(code, bit8(cv, h2[0], hx[0], 2));
    return _mm256_or_si256(code,
                           _mm256_or_si256(bit8(cv, h2[1], hx[1], 4), bit8(cv, h2[2], hx[2], 8)));
}

/* Stump k's leaf for 8 codes: the set's word by code >> 5, its bit by
 * code & 31. */
static AVX2_INLINE __m256 leaf8(const struct lbp_stump *k, __m256i code)
{
    __m256i set = _mm256_loadu_si256((const __m256i *)(const void *)k->subset);
    __m256i word = _mm256_permutevar8x32_epi32(set, _mm256_srli_epi32(code, 5));
    __m256i bit = _mm256_srlv_epi32(word, _mm256_and_si256(code, _mm256_set1_epi32(31)));
    __m256 in = _mm256_castsi256_ps(_mm256_slli_epi32(bit, 31));
    return _mm256_blendv_ps(_mm256_set1_ps(k->leaf[1]), _mm256_set1_ps(k->leaf[0]), in);
}

/* Stage s for windows x .. x+7 of the row at p: bit l set when x+l
 * passed. */
AVX2 static int stage_x8(const struct cascade *c, const struct lbp_stump *t, int s,
                         const uint32_t *p)
{
    const struct stage *st = &c->stages[s];
    __m256 sum = _mm256_setzero_ps();
    for (const struct lbp_stump *k = t + st->first; k < t + st->first + st->count; k++) {
        sum = _mm256_add_ps(sum, leaf8(k, code8(p, k->o)));
    }
    __m256 fail = _mm256_cmp_ps(sum, _mm256_set1_ps(st->threshold), _CMP_LT_OQ);
    return ~_mm256_movemask_ps(fail) & 0xFF;
}

AVX2 static void scan_avx2(const struct cascade *c, const struct lbp_stump *t,
                           const struct scan_level *lv, scan_hit_fn hit, void *ctx)
{
    for (int y = 0; y < lv->ny; y++) {
        const uint32_t *p = lv->sum + px_at(0, y, lv->st);
        int skip = 0;
        for (int x = 0; x < lv->nx; x += 8) {
            int pass0 = stage_x8(c, t, 0, p + x);
            int live = pass0 & scan_visited(~pass0, 8, &skip);
            for (int s = 1; s < c->nstages && live; s++)
                live &= stage_x8(c, t, s, p + x);
            report(live, x, lv->nx, y, hit, ctx);
        }
    }
}
#endif

int lbp_simd_best(void)
{
#ifdef HAVE_AVX2_PATH
    if (__builtin_cpu_supports("avx2"))
        return CASCADE_SIMD_AVX2;
#endif
    return CASCADE_SIMD_VECTOR;
}

void lbp_scan_level(const struct cascade *c, const struct lbp_stump *t, const struct scan_level *lv,
                    int simd, scan_hit_fn hit, void *ctx)
{
    if (lv->nx <= 0 || lv->ny <= 0)
        return;
    if (lv->step != 1 || c->nstages < 1 || simd == CASCADE_SIMD_NONE) {
        scan_plain(c, t, lv, hit, ctx);
        return;
    }
#ifdef HAVE_AVX2_PATH
    if (simd == CASCADE_SIMD_AVX2) {
        scan_avx2(c, t, lv, hit, ctx);
        return;
    }
#endif
    scan_vector(c, t, lv, hit, ctx);
}
