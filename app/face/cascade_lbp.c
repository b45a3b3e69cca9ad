/* cascade_lbp.c - a stump LBP cascade over one pyramid level; see
 * cascade_internal.h.
 *
 * Three ways through a level give the same hits, float for float:
 *
 * - plain C (CASCADE_SIMD_NONE, and every level scanned with a step of 2):
 *   each window in OpenCV's order, stage after stage;
 * - vectors (CASCADE_SIMD_VECTOR: GCC/clang vector extensions, SSE2 on
 *   x86-64, NEON on ARM, plain code elsewhere);
 * - AVX2 (CASCADE_SIMD_AVX2: x86-64 CPUs that have it, asked at run time;
 *   the build stays baseline x86-64).
 *
 * The vector ways split the scan in two. Stage 0 runs for every window of
 * a row at once: the windows at x, x+1, ... read neighbouring integral
 * cells, so each of a feature's 16 corners is one contiguous load. Then
 * OpenCV's visiting order picks the windows that go on: a window that
 * passed stage 0 is queued; one that failed makes the scan skip the next
 * window, which is therefore never judged, whatever its own stage 0 said.
 * The queue (window offsets in row order) is run stage by stage and
 * compacted after each stage, so the AVX2 lanes stay full: each lane
 * gathers its own window's corners. What survives every stage is a hit,
 * reported in row order as the plain scan reports them.
 *
 * Each window's stage sum adds the same leaf values in the same order in
 * every way (lanes are independent; no fused or reordered arithmetic), and
 * block sums wrap in 32 bits the same way, so the comparisons agree.
 */
#include "cascade_internal.h"

#include "base/pixel.h"

#include <string.h>

/* Queued windows are run once this many wait (after a whole row). */
#define QUEUE_RUN 512

size_t lbp_queue_cap(int max_w)
{
    return (size_t)QUEUE_RUN + (size_t)max_w + 16;
}

/* ---- plain C ---------------------------------------------------------- */

/* The leaf of stump k for code: the left one when the code is in the set. */
static inline float lbp_leaf(const struct lbp_stump *k, int code)
{
    return k->leaf[((k->subset[code >> 5] >> (code & 31)) & 1) ^ 1];
}

/* Stages from..end on the window at p: 1 (passed all), 0 (rejected at
 * stage 0) or -1 (rejected later). */
static int run_stumps(const struct cascade *c, const struct lbp_stump *t, const uint32_t *p,
                      int from)
{
    for (int s = from; s < c->nstages; s++) {
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
                       const struct lbp_level *lv, lbp_hit_fn hit, void *ctx)
{
    for (int y = 0; y < lv->ny; y += lv->step)
        for (int x = 0; x < lv->nx; x += lv->step) {
            int res = run_stumps(c, t, lv->sum + px_at(x, y, lv->st), 0);
            if (res > 0)
                hit(ctx, x, y);
            else if (res == 0)
                x += lv->step;
        }
}

/* OpenCV's visiting order over one row's stage-0 verdicts (bit x of pass:
 * window x passed): queues the offsets of the visited windows that passed.
 * Returns the new queue length. */
static int visit_row(const uint8_t *pass, int nx, uint32_t row, uint32_t *q, int n)
{
    for (int x = 0; x < nx; x++) {
        if (pass[x >> 3] >> (x & 7) & 1)
            q[n++] = row + (uint32_t)x;
        else
            x++;
    }
    return n;
}

static void report(const struct lbp_level *lv, const uint32_t *q, int n, lbp_hit_fn hit, void *ctx)
{
    for (int i = 0; i < n; i++)
        hit(ctx, (int)(q[i] % (uint32_t)lv->st), (int)(q[i] / (uint32_t)lv->st));
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

/* Stage 0 for windows x .. x+3 of the row at p: bit l set when window
 * x+l passed. */
static int stage0_x4(const struct cascade *c, const struct lbp_stump *t, const uint32_t *p)
{
    const struct stage *st = &c->stages[0];
    v4f sum = {0};
    for (const struct lbp_stump *k = t + st->first; k < t + st->first + st->count; k++) {
        v4u v[16];
        for (int i = 0; i < 16; i++)
            v[i] = load4(p + k->o[i]);
#define VB(a, b, c_, d_) ((v4i)(v[a] - v[b] - v[c_] + v[d_]))
        v4i cv = VB(5, 6, 9, 10);
        v4i code = ((VB(0, 1, 4, 5) >= cv) & 128) | ((VB(1, 2, 5, 6) >= cv) & 64) |
                   ((VB(2, 3, 6, 7) >= cv) & 32) | ((VB(6, 7, 10, 11) >= cv) & 16) |
                   ((VB(10, 11, 14, 15) >= cv) & 8) | ((VB(9, 10, 13, 14) >= cv) & 4) |
                   ((VB(8, 9, 12, 13) >= cv) & 2) | ((VB(4, 5, 8, 9) >= cv) & 1);
#undef VB
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
                        const struct lbp_level *lv, lbp_hit_fn hit, void *ctx)
{
    int n = 0;
    for (int y = 0; y < lv->ny; y++) {
        const uint32_t *p = lv->sum + px_at(0, y, lv->st);
        for (int x = 0; x < lv->nx; x += 8)
            lv->pass[x >> 3] = (uint8_t)(stage0_x4(c, t, p + x) | stage0_x4(c, t, p + x + 4) << 4);
        n = visit_row(lv->pass, lv->nx, (uint32_t)px_at(0, y, lv->st), lv->queue, n);
        if (n >= QUEUE_RUN || y == lv->ny - 1) {
            int m = 0;
            for (int i = 0; i < n; i++)
                if (run_stumps(c, t, lv->sum + lv->queue[i], 1) > 0)
                    lv->queue[m++] = lv->queue[i];
            report(lv, lv->queue, m, hit, ctx);
            n = 0;
        }
    }
}

/* ---- AVX2 ------------------------------------------------------------- */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#define AVX2           __attribute__((target("avx2")))

/* The code of 8 windows, their 16 corners read by LD(i) (a contiguous
 * load, or a gather). Row r of corners gives the differences of
 * neighbouring corners; a block's sum is the difference of two rows' (all
 * arithmetic wraps in 32 bits). Rows 1 and 2 first (the centre), then 0,
 * then 3, so few registers are live. The bit is set where a block's sum is
 * at least the centre's. */
#define CODE8(LD, code)                                                                            \
    do {                                                                                           \
        __m256i h1[3], h2[3], hx[3];                                                               \
        CORNER_ROW(LD, 1, h1);                                                                     \
        CORNER_ROW(LD, 2, h2);                                                                     \
        __m256i cv = _mm256_sub_epi32(h1[1], h2[1]);                                               \
        code = _mm256_or_si256(BIT8(cv, h1[0], h2[0], 1), BIT8(cv, h1[2], h2[2], 16));             \
        CORNER_ROW(LD, 0, hx);                                                                     \
        code = _mm256_or_si256(                                                                    \
            code, _mm256_or_si256(BIT8(cv, hx[0], h1[0], 128), BIT8(cv, hx[1], h1[1], 64)));       \
        code = _mm256_or_si256(code, BIT8(cv, hx[2], h1[2], 32));                                  \
        CORNER_ROW(LD, 3, hx);                                                                     \
        code = _mm256_or_si256(                                                                    \
            code, _mm256_or_si256(BIT8(cv, h2[0], hx[0], 2), BIT8(cv, h2[1], hx[1], 4)));          \
        code = _mm256_or_si256(code, BIT8(cv, h2[2], hx[2], 8));                                   \
    } while (0)
#define CORNER_ROW(LD, r, h)                                                                       \
    do {                                                                                           \
        __m256i a0_ = LD((r)*4), a1_ = LD((r)*4 + 1), a2_ = LD((r)*4 + 2), a3_ = LD((r)*4 + 3);    \
        h[0] = _mm256_sub_epi32(a0_, a1_);                                                         \
        h[1] = _mm256_sub_epi32(a1_, a2_);                                                         \
        h[2] = _mm256_sub_epi32(a2_, a3_);                                                         \
    } while (0)
/* bit where the block (upper row difference top, lower bottom) >= cv */
#define BIT8(cv, top, bottom, bit)                                                                 \
    _mm256_andnot_si256(_mm256_cmpgt_epi32(cv, _mm256_sub_epi32(top, bottom)),                     \
                        _mm256_set1_epi32(bit))

/* Stump k's leaf for 8 codes: the set's word by code >> 5, its bit by
 * code & 31. */
AVX2 static inline __m256 leaf8(const struct lbp_stump *k, __m256i code)
{
    __m256i set = _mm256_loadu_si256((const __m256i *)(const void *)k->subset);
    __m256i word = _mm256_permutevar8x32_epi32(set, _mm256_srli_epi32(code, 5));
    __m256i bit = _mm256_srlv_epi32(word, _mm256_and_si256(code, _mm256_set1_epi32(31)));
    __m256 in = _mm256_castsi256_ps(_mm256_slli_epi32(bit, 31));
    return _mm256_blendv_ps(_mm256_set1_ps(k->leaf[1]), _mm256_set1_ps(k->leaf[0]), in);
}

/* Stage 0 for windows x .. x+7 of the row at p: bit l set when x+l passed. */
AVX2 static int stage0_x8(const struct cascade *c, const struct lbp_stump *t, const uint32_t *p)
{
    const struct stage *st = &c->stages[0];
    __m256 sum = _mm256_setzero_ps();
    for (const struct lbp_stump *k = t + st->first; k < t + st->first + st->count; k++) {
        __m256i code;
#define LOADU(i) _mm256_loadu_si256((const __m256i *)(const void *)(p + k->o[i]))
        CODE8(LOADU, code);
#undef LOADU
        sum = _mm256_add_ps(sum, leaf8(k, code));
    }
    __m256 fail = _mm256_cmp_ps(sum, _mm256_set1_ps(st->threshold), _CMP_LT_OQ);
    return ~_mm256_movemask_ps(fail) & 0xFF;
}

/* Stages 1..end over the n queued windows, 8 at a time, each lane
 * gathering its own window's corners; survivors are compacted in place
 * after each stage. Returns how many passed every stage. */
AVX2 static int run_queue_avx2(const struct cascade *c, const struct lbp_stump *t,
                               const uint32_t *sum, uint32_t *q, int n)
{
    for (int s = 1; s < c->nstages && n > 0; s++) {
        const struct stage *st = &c->stages[s];
        __m256 thr = _mm256_set1_ps(st->threshold);
        for (int i = n; i < ((n + 7) & ~7); i++)
            q[i] = q[n - 1]; /* a whole last group; its extra lanes are dropped */
        int m = 0;
        for (int i = 0; i < n; i += 8) {
            __m256i at = _mm256_loadu_si256((const __m256i *)(const void *)(q + i));
            __m256 acc = _mm256_setzero_ps();
            for (const struct lbp_stump *k = t + st->first; k < t + st->first + st->count; k++) {
                __m256i code;
#define GATHER(i) _mm256_i32gather_epi32((const int *)(const void *)(sum + k->o[i]), at, 4)
                CODE8(GATHER, code);
#undef GATHER
                acc = _mm256_add_ps(acc, leaf8(k, code));
            }
            unsigned keep = ~(unsigned)_mm256_movemask_ps(_mm256_cmp_ps(acc, thr, _CMP_LT_OQ));
            keep &= n - i >= 8 ? 0xFFu : (1u << (n - i)) - 1;
            uint32_t lanes[8];
            _mm256_storeu_si256((__m256i *)(void *)lanes, at);
            for (; keep; keep &= keep - 1)
                q[m++] = lanes[__builtin_ctz(keep)];
        }
        n = m;
    }
    return n;
}

AVX2 static void scan_avx2(const struct cascade *c, const struct lbp_stump *t,
                           const struct lbp_level *lv, lbp_hit_fn hit, void *ctx)
{
    int n = 0;
    for (int y = 0; y < lv->ny; y++) {
        const uint32_t *p = lv->sum + px_at(0, y, lv->st);
        for (int x = 0; x < lv->nx; x += 8)
            lv->pass[x >> 3] = (uint8_t)stage0_x8(c, t, p + x);
        n = visit_row(lv->pass, lv->nx, (uint32_t)px_at(0, y, lv->st), lv->queue, n);
        if (n >= QUEUE_RUN || y == lv->ny - 1) {
            int m = run_queue_avx2(c, t, lv->sum, lv->queue, n);
            report(lv, lv->queue, m, hit, ctx);
            n = 0;
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

void lbp_scan_level(const struct cascade *c, const struct lbp_stump *t, const struct lbp_level *lv,
                    int simd, lbp_hit_fn hit, void *ctx)
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
