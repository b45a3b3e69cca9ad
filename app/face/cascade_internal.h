/* cascade_internal.h - what the cascade's three files share, nothing else
 * includes it.
 *
 * cascade_xml.c reads the model's XML into a tree of nodes; cascade.c turns
 * that tree into the arrays below (struct cascade); cascade_detect.c runs
 * them over a frame, with cascade_lbp.c scanning stump LBP cascades. Every index in these arrays
 * was checked against its array's count when the model was read, so the detector trusts them.
 */
#ifndef FACE_CASCADE_INTERNAL_H
#define FACE_CASCADE_INTERNAL_H

#include "cascade.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the XML tree (cascade_xml.c) ---------------------------------------- */

/* Nodes live in one array and point at each other by index; names and
 * texts point into the parsed buffer, which must outlive the tree. */
struct xnode {
    const char *name;
    size_t name_len;
    const char *text; /* first text run of a leaf element */
    size_t text_len;
    int child, last, next; /* indexes, -1 = none */
};

struct xdoc {
    struct xnode *n;
    int count, cap;
};

/* Builds the tree of s[0, len) into *d (whose n the caller frees). Returns
 * 0, ERR_INVALID (not the XML subset the cascade files use: elements, text,
 * comments, declarations; attributes are skipped), ERR_TOOBIG, ERR_NOMEM. */
int xml_parse(const char *s, size_t len, struct xdoc *d);

bool xml_name_is(const struct xnode *x, const char *name);

/* The first child of node id named name, or -1 (also when id is -1). */
int xml_child(const struct xdoc *d, int id, const char *name);
int xml_count_children(const struct xdoc *d, int id);

/* The numbers in node id's text, up to max of them: their count, or
 * ERR_INVALID for anything else in the text or more than max. */
int xml_numbers(const struct xdoc *d, int id, double *out, int max);

/* Node id's text as one whole number in [lo, hi]: 0 or ERR_INVALID. */
int xml_int(const struct xdoc *d, int id, int lo, int hi, int *out);

/* Whether node id's text, spaces trimmed, is word. */
bool xml_text_is(const struct xdoc *d, int id, const char *word);

/* ---- the model (cascade.c) ------------------------------------------------ */

#define MAX_STAGES   1000
#define MAX_WEAK     100000
#define MAX_NODES    64 /* per weak classifier */
#define MAX_FEATURES 100000
#define MAX_WINDOW   256
#define LBP_WORDS    8

struct stage {
    float threshold;
    int first, count; /* weak classifiers */
};

struct weak {
    int node_first, node_count, leaf_first;
};

struct node {
    int left, right, feature;
    float threshold; /* Haar */
    int subset;      /* LBP: index of 8 words in subsets */
};

struct haar_feature {
    int n;
    struct {
        int x, y, w, h;
        float weight;
    } r[3];
};

struct lbp_feature {
    int x, y, w, h;
};

struct cascade {
    bool lbp;
    bool stumps; /* every weak classifier is a single split */
    int win_w, win_h;
    struct stage *stages;
    int nstages;
    struct weak *weak;
    int nweak;
    struct node *nodes;
    int nnodes;
    float *leaves;
    int nleaves;
    int32_t *subsets;
    int nsubsets;
    struct haar_feature *haar;
    struct lbp_feature *lbpf;
    int nfeatures;
};

/* ---- pyramid levels (cascade_pyramid.c) ---------------------------------- */

/* Scratch for a resize to at most max_w columns: max_w ints each. */
struct resize_scratch {
    int *xofs, *xw;
    int32_t *col;
};

/* src (sw x sh, stride bytes a row) scaled to dst (dw x dh, dw a row) as
 * OpenCV's bilinear INTER_LINEAR_EXACT does; the way simd says (enum
 * cascade_simd_kind), every way giving the same pixels. */
void cascade_resize(const uint8_t *src, int sw, int sh, int stride, uint8_t *dst, int dw, int dh,
                    struct resize_scratch *s, int simd);

/* The integral of img (w x h, w a row) into sum, and of its squares into
 * sq unless NULL; stride w + 1, wrapping in 32 bits. */
void cascade_integral(const uint8_t *img, int w, int h, uint32_t *sum, uint32_t *sq);

/* ---- scanning (cascade_detect.c, cascade_lbp.c) -------------------------- */

/* A multi-block LBP code from the 16 grid corners of a feature (integral
 * offsets o from the window's cell p). Block sums are compared as signed
 * 32-bit values (they fit); the corners are read once. */
static inline int lbp_code(const uint32_t *p, const int32_t *o)
{
    uint32_t v[16];
    for (int i = 0; i < 16; i++)
        v[i] = p[o[i]];
#define SB(a, b, c_, d_) ((int32_t)(v[a] - v[b] - v[c_] + v[d_]))
    int32_t cv = SB(5, 6, 9, 10);
    return (SB(0, 1, 4, 5) >= cv ? 128 : 0) | (SB(1, 2, 5, 6) >= cv ? 64 : 0) |
           (SB(2, 3, 6, 7) >= cv ? 32 : 0) | (SB(6, 7, 10, 11) >= cv ? 16 : 0) |
           (SB(10, 11, 14, 15) >= cv ? 8 : 0) | (SB(9, 10, 13, 14) >= cv ? 4 : 0) |
           (SB(8, 9, 12, 13) >= cv ? 2 : 0) | (SB(4, 5, 8, 9) >= cv ? 1 : 0);
#undef SB
}

/* An LBP stump flattened for one integral stride: everything it needs in
 * one record (the set copied in, the 16 corner offsets). */
struct lbp_stump {
    int32_t subset[LBP_WORDS];
    int32_t o[16];
    float leaf[2]; /* [0]: the code is in the set */
};

/* One pyramid level: its integral images (sum; sqsum, of the squares,
 * for Haar; stride st), nx x ny window positions, the step between them.
 * The integrals must be readable 16 cells past their end: a row is judged
 * 8 windows at a time. */
struct scan_level {
    const uint32_t *sum, *sqsum;
    int st, nx, ny, step;
};

/* Called for each window (x, y of the level) that passed every stage, in
 * row order. */
typedef void (*scan_hit_fn)(void *ctx, int x, int y);

/* OpenCV's visiting order over a group of n windows of a row, given
 * which of them failed stage 0 (bit l: window l): the windows the scan
 * visits. A window that failed stage 0 makes the scan skip the next one;
 * *skip carries that from one group to the next (0 at a row's start). */
static inline int scan_visited(int fail0, int n, int *skip)
{
    int vis = 0;
    for (int l = 0; l < n; l++) {
        if (*skip) {
            *skip = 0;
            continue;
        }
        vis |= 1 << l;
        *skip = fail0 >> l & 1;
    }
    return vis;
}

/* The fastest way this CPU has (enum cascade_simd_kind). */
int lbp_simd_best(void);

/* Scans a level with a stump LBP cascade (stumps t for the level's
 * stride) as OpenCV does, the way simd says; every way gives the same
 * hits. */
void lbp_scan_level(const struct cascade *c, const struct lbp_stump *t, const struct scan_level *lv,
                    int simd, scan_hit_fn hit, void *ctx);

/* A Haar stump flattened for one integral stride: 4 corners of each of
 * the 3 rects (a third of weight 0 is unused). */
struct haar_stump {
    int32_t o[12];
    float weight[3];
    float threshold;
    float leaf[2];
};

/* Scans a level with a Haar cascade (offs: 12 corner offsets per feature
 * for the level's stride; stumps: the same flattened, or NULL when the
 * cascade has trees) as OpenCV does, the way simd says (stump cascades
 * only; trees always plain C); every way gives the same hits. */
void haar_scan_level(const struct cascade *c, const int32_t *offs, const struct haar_stump *stumps,
                     const struct scan_level *lv, int simd, scan_hit_fn hit, void *ctx);
#endif
