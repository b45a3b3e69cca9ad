/* cascade.c - cascade XML loader and multi-scale detector; see cascade.h.
 *
 * The XML parser is a small in-memory tree builder for the subset the
 * cascade files use (elements, text, comments, declarations, attributes
 * skipped); every count and index from the file is checked before use, so
 * a hostile file gives ERR_INVALID, never a wild read. Runs on whichever
 * thread loads (start-up) or detects (the face thread, the tool).
 */
#include "cascade.h"

#include "base/pixel.h"
#include "base/err.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a minimal XML tree ---------------------------------------------- */

#define XML_MAX_DEPTH 64
#define XML_MAX_NODES (4u << 20)

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

static int xdoc_add(struct xdoc *d)
{
    if ((unsigned)d->count >= XML_MAX_NODES)
        return ERR_TOOBIG;
    if (d->count == d->cap) {
        int cap = d->cap ? d->cap * 2 : 1024;
        struct xnode *n = realloc(d->n, (size_t)cap * sizeof *n);
        if (!n)
            return ERR_NOMEM;
        d->n = n;
        d->cap = cap;
    }
    struct xnode *x = &d->n[d->count];
    memset(x, 0, sizeof *x);
    x->child = x->last = x->next = -1;
    return d->count++;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_name_end(char c)
{
    return is_space(c) || c == '/' || c == '>';
}

/* Finds needle in [p, end); returns its position or NULL. */
static const char *find(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++)
        if (memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static int xml_parse(const char *s, size_t len, struct xdoc *d)
{
    const char *p = s, *end = s + len;
    int stack[XML_MAX_DEPTH];
    int depth = 0, root = -1;
    while (p < end) {
        if (*p != '<') {
            const char *t = p;
            while (p < end && *p != '<')
                p++;
            if (depth > 0) {
                struct xnode *x = &d->n[stack[depth - 1]];
                if (x->child < 0 && !x->text) {
                    x->text = t;
                    x->text_len = (size_t)(p - t);
                }
            } else {
                for (const char *q = t; q < p; q++)
                    if (!is_space(*q))
                        return ERR_INVALID; /* text outside the root */
            }
            continue;
        }
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *q = find(p + 4, end, "-->");
            if (!q)
                return ERR_INVALID;
            p = q + 3;
            continue;
        }
        if (end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
            const char *q = find(p + 2, end, p[1] == '?' ? "?>" : ">");
            if (!q)
                return ERR_INVALID;
            p = q + (p[1] == '?' ? 2 : 1);
            continue;
        }
        bool closing = end - p >= 2 && p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        const char *q = name;
        while (q < end && !is_name_end(*q))
            q++;
        size_t name_len = (size_t)(q - name);
        if (q >= end || name_len == 0)
            return ERR_INVALID;
        /* Skip attributes to the '>', honouring quotes. */
        char quote = 0;
        const char *gt = q;
        for (; gt < end; gt++) {
            if (quote) {
                if (*gt == quote)
                    quote = 0;
            } else if (*gt == '"' || *gt == '\'') {
                quote = *gt;
            } else if (*gt == '>') {
                break;
            }
        }
        if (gt >= end)
            return ERR_INVALID;
        bool self_closing = !closing && gt[-1] == '/';
        p = gt + 1;
        if (closing) {
            if (depth == 0)
                return ERR_INVALID;
            struct xnode *x = &d->n[stack[depth - 1]];
            if (x->name_len != name_len || memcmp(x->name, name, name_len) != 0)
                return ERR_INVALID;
            depth--;
            continue;
        }
        if (depth == 0 && root >= 0)
            return ERR_INVALID; /* a second root */
        int id = xdoc_add(d);
        if (id < 0)
            return id;
        d->n[id].name = name;
        d->n[id].name_len = name_len;
        if (depth > 0) {
            struct xnode *parent = &d->n[stack[depth - 1]];
            if (parent->last >= 0)
                d->n[parent->last].next = id;
            else
                parent->child = id;
            parent->last = id;
        } else {
            root = id;
        }
        if (!self_closing) {
            if (depth == XML_MAX_DEPTH)
                return ERR_TOOBIG;
            stack[depth++] = id;
        }
    }
    return depth == 0 && root == 0 ? ERR_OK : ERR_INVALID;
}

static bool name_is(const struct xnode *x, const char *name)
{
    size_t n = strlen(name);
    return x->name_len == n && memcmp(x->name, name, n) == 0;
}

static int child(const struct xdoc *d, int id, const char *name)
{
    if (id < 0)
        return -1;
    for (int c = d->n[id].child; c >= 0; c = d->n[c].next)
        if (name_is(&d->n[c], name))
            return c;
    return -1;
}

static int count_children(const struct xdoc *d, int id)
{
    int n = 0;
    for (int c = d->n[id].child; c >= 0; c = d->n[c].next)
        n++;
    return n;
}

/* Reads up to max numbers from [*p, end); a locale-free strtod for the
 * forms the files use ("-5.04e+00", "-1.", "3", ".5", "1e+000"). */
static int parse_numbers(const char *p, size_t len, double *out, int max)
{
    const char *end = p + len;
    int n = 0;
    for (;;) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            return n;
        if (n == max)
            return ERR_INVALID;
        bool neg = false;
        if (*p == '-' || *p == '+')
            neg = *p++ == '-';
        uint64_t mant = 0;
        int exp10 = 0, digits = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
            if (mant < 100000000000000000ull)
                mant = mant * 10 + (uint64_t)(*p - '0');
            else
                exp10++;
        }
        if (p < end && *p == '.') {
            for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
                if (mant < 100000000000000000ull) {
                    mant = mant * 10 + (uint64_t)(*p - '0');
                    exp10--;
                }
            }
        }
        if (digits == 0)
            return ERR_INVALID;
        if (p < end && (*p == 'e' || *p == 'E')) {
            p++;
            bool eneg = false;
            if (p < end && (*p == '-' || *p == '+'))
                eneg = *p++ == '-';
            int e = 0, ed = 0;
            for (; p < end && *p >= '0' && *p <= '9'; p++, ed++)
                if (e < 10000)
                    e = e * 10 + (*p - '0');
            if (ed == 0)
                return ERR_INVALID;
            exp10 += eneg ? -e : e;
        }
        if (p < end && !is_space(*p))
            return ERR_INVALID;
        if (exp10 < -400 || exp10 > 400)
            return ERR_INVALID;
        double v = (double)mant * pow(10.0, exp10);
        if (!isfinite(v))
            return ERR_INVALID;
        out[n++] = neg ? -v : v;
    }
}

static int text_numbers(const struct xdoc *d, int id, double *out, int max)
{
    if (id < 0)
        return ERR_INVALID;
    const struct xnode *x = &d->n[id];
    if (!x->text)
        return 0;
    return parse_numbers(x->text, x->text_len, out, max);
}

static int text_int(const struct xdoc *d, int id, int lo, int hi, int *out)
{
    double v;
    if (text_numbers(d, id, &v, 1) != 1 || v != floor(v) || v < lo || v > hi)
        return ERR_INVALID;
    *out = (int)v;
    return ERR_OK;
}

static bool text_is(const struct xdoc *d, int id, const char *word)
{
    if (id < 0)
        return false;
    const struct xnode *x = &d->n[id];
    const char *t = x->text, *e = x->text ? x->text + x->text_len : NULL;
    if (!t)
        return false;
    while (t < e && is_space(*t))
        t++;
    while (e > t && is_space(e[-1]))
        e--;
    size_t n = strlen(word);
    return (size_t)(e - t) == n && memcmp(t, word, n) == 0;
}

/* ---- the cascade ------------------------------------------------------ */

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

void cascade_free(struct cascade *c)
{
    if (!c)
        return;
    free(c->stages);
    free(c->weak);
    free(c->nodes);
    free(c->leaves);
    free(c->subsets);
    free(c->haar);
    free(c->lbpf);
    free(c);
}

void cascade_window(const struct cascade *c, int *w, int *h)
{
    *w = c->win_w;
    *h = c->win_h;
}

int cascade_stages(const struct cascade *c)
{
    return c->nstages;
}

int cascade_is_lbp(const struct cascade *c)
{
    return c->lbp;
}

static int read_features(struct cascade *c, const struct xdoc *d, int feats)
{
    int n = count_children(d, feats);
    if (n <= 0 || n > MAX_FEATURES)
        return ERR_INVALID;
    c->nfeatures = n;
    if (c->lbp)
        c->lbpf = calloc((size_t)n, sizeof *c->lbpf);
    else
        c->haar = calloc((size_t)n, sizeof *c->haar);
    if (c->lbp ? !c->lbpf : !c->haar)
        return ERR_NOMEM;
    int i = 0;
    for (int f = d->n[feats].child; f >= 0; f = d->n[f].next, i++) {
        if (c->lbp) {
            double v[4];
            if (text_numbers(d, child(d, f, "rect"), v, 4) != 4)
                return ERR_INVALID;
            struct lbp_feature *lf = &c->lbpf[i];
            lf->x = (int)v[0];
            lf->y = (int)v[1];
            lf->w = (int)v[2];
            lf->h = (int)v[3];
            if (lf->x < 0 || lf->y < 0 || lf->w <= 0 || lf->h <= 0 || lf->w > c->win_w ||
                lf->h > c->win_h || lf->x + 3 * lf->w > c->win_w || lf->y + 3 * lf->h > c->win_h)
                return ERR_INVALID;
            continue;
        }
        int tilted = child(d, f, "tilted");
        if (tilted >= 0) {
            int t;
            if (text_int(d, tilted, 0, 1, &t) != 0)
                return ERR_INVALID;
            if (t)
                return ERR_UNSUPPORTED;
        }
        int rects = child(d, f, "rects");
        if (rects < 0)
            return ERR_INVALID;
        struct haar_feature *hf = &c->haar[i];
        for (int r = d->n[rects].child; r >= 0; r = d->n[r].next) {
            double v[5];
            if (hf->n == 3 || text_numbers(d, r, v, 5) != 5)
                return ERR_INVALID;
            for (int k = 0; k < 4; k++)
                if (v[k] != floor(v[k]) || v[k] < 0 || v[k] > MAX_WINDOW)
                    return ERR_INVALID;
            int x = (int)v[0], y = (int)v[1], w = (int)v[2], h = (int)v[3];
            if (x + w > c->win_w || y + h > c->win_h)
                return ERR_INVALID;
            hf->r[hf->n].x = x;
            hf->r[hf->n].y = y;
            hf->r[hf->n].w = w;
            hf->r[hf->n].h = h;
            hf->r[hf->n].weight = (float)v[4];
            hf->n++;
        }
        if (hf->n < 1)
            return ERR_INVALID;
    }
    return ERR_OK;
}

static int read_stages(struct cascade *c, const struct xdoc *d, int stages)
{
    int ns = count_children(d, stages);
    if (ns <= 0 || ns > MAX_STAGES)
        return ERR_INVALID;
    /* Count weak classifiers first so the arrays are sized once. */
    int nweak = 0;
    for (int s = d->n[stages].child; s >= 0; s = d->n[s].next) {
        int wc = child(d, s, "weakClassifiers");
        if (wc < 0)
            return ERR_INVALID;
        nweak += count_children(d, wc);
        if (nweak > MAX_WEAK)
            return ERR_TOOBIG;
    }
    if (nweak == 0)
        return ERR_INVALID;
    int step = c->lbp ? 3 + LBP_WORDS : 4;
    c->stages = calloc((size_t)ns, sizeof *c->stages);
    c->weak = calloc((size_t)nweak, sizeof *c->weak);
    int node_cap = nweak, leaf_cap = nweak * 2;
    c->nodes = calloc((size_t)node_cap, sizeof *c->nodes);
    c->leaves = calloc((size_t)leaf_cap, sizeof *c->leaves);
    if (c->lbp)
        c->subsets = calloc((size_t)node_cap * LBP_WORDS, sizeof *c->subsets);
    if (!c->stages || !c->weak || !c->nodes || !c->leaves || (c->lbp && !c->subsets))
        return ERR_NOMEM;
    c->stumps = true;
    double buf[MAX_NODES * (3 + LBP_WORDS)];
    double lv[MAX_NODES + 1];
    for (int s = d->n[stages].child; s >= 0; s = d->n[s].next) {
        struct stage *st = &c->stages[c->nstages++];
        double thr;
        if (text_numbers(d, child(d, s, "stageThreshold"), &thr, 1) != 1)
            return ERR_INVALID;
        st->threshold = (float)(thr - 1e-5); /* OpenCV's THRESHOLD_EPS */
        st->first = c->nweak;
        int wc = child(d, s, "weakClassifiers");
        for (int w = d->n[wc].child; w >= 0; w = d->n[w].next) {
            int nv = text_numbers(d, child(d, w, "internalNodes"), buf,
                                  (int)(sizeof buf / sizeof buf[0]));
            if (nv <= 0 || nv % step != 0)
                return ERR_INVALID;
            int nn = nv / step;
            int nl = text_numbers(d, child(d, w, "leafValues"), lv, MAX_NODES + 1);
            if (nl != nn + 1)
                return ERR_INVALID;
            if (nn > 1)
                c->stumps = false;
            /* Grow node and leaf arrays for trees deeper than a stump. */
            if (c->nnodes + nn > node_cap || c->nleaves + nl > leaf_cap) {
                int nc = (c->nnodes + nn) * 2, lc = (c->nleaves + nl) * 2;
                struct node *no = realloc(c->nodes, (size_t)nc * sizeof *no);
                if (!no)
                    return ERR_NOMEM;
                c->nodes = no;
                float *le = realloc(c->leaves, (size_t)lc * sizeof *le);
                if (!le)
                    return ERR_NOMEM;
                c->leaves = le;
                if (c->lbp) {
                    int32_t *su = realloc(c->subsets, (size_t)nc * LBP_WORDS * sizeof *su);
                    if (!su)
                        return ERR_NOMEM;
                    c->subsets = su;
                }
                node_cap = nc;
                leaf_cap = lc;
            }
            struct weak *wk = &c->weak[c->nweak++];
            wk->node_first = c->nnodes;
            wk->node_count = nn;
            wk->leaf_first = c->nleaves;
            for (int k = 0; k < nn; k++) {
                const double *v = buf + k * step;
                struct node *no = &c->nodes[c->nnodes];
                for (int q = 0; q < 3; q++)
                    if (v[q] != floor(v[q]) || fabs(v[q]) > 1e9)
                        return ERR_INVALID;
                no->left = (int)v[0];
                no->right = (int)v[1];
                no->feature = (int)v[2];
                /* Children point forward (no cycles) or to a leaf. */
                if ((no->left > 0 && (no->left <= k || no->left >= nn)) ||
                    (no->right > 0 && (no->right <= k || no->right >= nn)) || -no->left >= nl ||
                    -no->right >= nl || no->feature < 0 || no->feature >= c->nfeatures)
                    return ERR_INVALID;
                if (c->lbp) {
                    no->subset = c->nnodes * LBP_WORDS;
                    for (int q = 0; q < LBP_WORDS; q++) {
                        double sv = v[3 + q];
                        if (sv != floor(sv) || sv < -2147483648.0 || sv > 4294967295.0)
                            return ERR_INVALID;
                        c->subsets[no->subset + q] = (int32_t)(uint32_t)(int64_t)sv;
                    }
                } else {
                    no->threshold = (float)v[3];
                }
                c->nnodes++;
            }
            for (int k = 0; k < nl; k++)
                c->leaves[c->nleaves++] = (float)lv[k];
        }
        st->count = c->nweak - st->first;
        if (st->count == 0)
            return ERR_INVALID;
    }
    return ERR_OK;
}

int cascade_parse(const char *xml, size_t len, struct cascade **out)
{
    *out = NULL;
    if (len > CASCADE_MAX_BYTES)
        return ERR_TOOBIG;
    struct xdoc d = {0};
    struct cascade *c = NULL;
    int rc = xml_parse(xml, len, &d);
    if (rc != 0)
        goto done;
    rc = ERR_INVALID;
    if (!name_is(&d.n[0], "opencv_storage"))
        goto done;
    int cas = d.n[0].child;
    if (cas < 0)
        goto done;
    if (child(&d, cas, "stages") < 0 || child(&d, cas, "features") < 0) {
        /* The old haartraining layout has <size> and <trees>: refused. */
        rc = child(&d, cas, "size") >= 0 ? ERR_UNSUPPORTED : ERR_INVALID;
        goto done;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        rc = ERR_NOMEM;
        goto done;
    }
    int ft = child(&d, cas, "featureType");
    if (!text_is(&d, child(&d, cas, "stageType"), "BOOST"))
        goto done;
    if (text_is(&d, ft, "LBP"))
        c->lbp = true;
    else if (!text_is(&d, ft, "HAAR")) {
        rc = ERR_UNSUPPORTED;
        goto done;
    }
    if (text_int(&d, child(&d, cas, "width"), 1, MAX_WINDOW, &c->win_w) != 0 ||
        text_int(&d, child(&d, cas, "height"), 1, MAX_WINDOW, &c->win_h) != 0)
        goto done;
    if (!c->lbp && (c->win_w < 3 || c->win_h < 3))
        goto done;
    int mcc = 0;
    int fp = child(&d, cas, "featureParams");
    if (fp >= 0 && child(&d, fp, "maxCatCount") >= 0 &&
        text_int(&d, child(&d, fp, "maxCatCount"), 0, 256, &mcc) != 0)
        goto done;
    if ((mcc > 0) != c->lbp)
        goto done; /* categorical splits only with LBP */
    rc = read_features(c, &d, child(&d, cas, "features"));
    if (rc == 0)
        rc = read_stages(c, &d, child(&d, cas, "stages"));
done:
    free(d.n);
    if (rc != 0) {
        cascade_free(c);
        return rc;
    }
    *out = c;
    return ERR_OK;
}

int cascade_load(const char *path, struct cascade **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ERR_NOTFOUND;
    char *buf = malloc(CASCADE_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return ERR_NOMEM;
    }
    size_t n = fread(buf, 1, CASCADE_MAX_BYTES + 1, f);
    int rc = ferror(f) ? ERR_IO : n > CASCADE_MAX_BYTES ? ERR_TOOBIG : ERR_OK;
    fclose(f);
    if (rc == 0)
        rc = cascade_parse(buf, n, out);
    free(buf);
    return rc;
}

/* ---- detection ---------------------------------------------------------- */

#define MAX_HITS 8192

/* Stumps flattened for one integral stride: everything one weak
 * classifier needs in one cache-friendly record. */
struct lbp_stump {
    int32_t o[16];
    const int32_t *subset;
    float leaf[2];
};

struct haar_stump {
    int32_t o[12];
    float weight[3];
    float threshold;
    float leaf[2];
};

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
    int *xofs, *xw;
    int8_t *pass0; /* per x of one row: the first stages' verdict */
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
    /* Padding: the row scan reads up to 8 windows past the last one. */
    d->sum = calloc(ii + 16, sizeof *d->sum);
    d->sqsum = calloc(ii + 16, sizeof *d->sqsum);
    d->pass0 = malloc(((size_t)max_w + 16) * sizeof *d->pass0);
    d->hits = malloc(MAX_HITS * sizeof *d->hits);
    d->xofs = malloc((size_t)max_w * sizeof *d->xofs);
    d->xw = malloc((size_t)max_w * sizeof *d->xw);
    if (!d->small || !d->sum || !d->sqsum || !d->hits || !d->xofs || !d->xw || !d->pass0) {
        cascade_detector_destroy(d);
        return NULL;
    }
    return d;
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
    free(d->xofs);
    free(d->xw);
    free(d->pass0);
    free(d);
}

/* Bilinear resize with 11-bit fixed-point weights (OpenCV's
 * INTER_RESIZE_COEF_BITS), pixel centres aligned. */
static void resize(struct cascade_detector *d, const uint8_t *src, int sw, int sh, int stride,
                   uint8_t *dst, int dw, int dh)
{
    double fx = (double)sw / dw, fy = (double)sh / dh;
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
        d->xofs[x] = ix;
        d->xw[x] = a;
    }
    for (int y = 0; y < dh; y++) {
        double sy = (y + 0.5) * fy - 0.5;
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
        const uint8_t *r0 = src + px_at(0, iy, stride);
        const uint8_t *r1 = b ? r0 + stride : r0;
        uint8_t *o = dst + px_at(0, y, dw);
        for (int x = 0; x < dw; x++) {
            int ix = d->xofs[x], a = d->xw[x];
            int ix1 = a ? ix + 1 : ix;
            int top = r0[ix] * (2048 - a) + r0[ix1] * a;
            int bot = r1[ix] * (2048 - a) + r1[ix1] * a;
            o[x] = (uint8_t)((top * (2048 - b) + bot * b + (1 << 21)) >> 22);
        }
    }
}

/* Integral images with stride w + 1; 32-bit wrap-around is fine because
 * only differences over a window are used (as OpenCV's 32-bit sqsum). */
static void integral(const uint8_t *img, int w, int h, uint32_t *sum, uint32_t *sq)
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
            d->lbp[k].subset = c->subsets + no->subset;
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

#define BOX(p, o, a, b, c_, d_) ((p)[(o)[a]] - (p)[(o)[b]] - (p)[(o)[c_]] + (p)[(o)[d_]])

/* Block sums are compared as signed 32-bit values (they fit). The 16
 * grid corners are read once. */
static inline int lbp_code_signed(const uint32_t *p, const int32_t *o)
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
                int code = lbp_code_signed(p, offs + (size_t)no->feature * 16);
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

/* Stage 0 of a stump LBP cascade for 4 neighbouring windows at once
 * (GCC/clang vector extensions: SSE2 on x86-64, NEON on ARM). The sum is
 * built in the same order as the scalar path, so results are identical. */
typedef int32_t v4i __attribute__((vector_size(16)));
typedef float v4f __attribute__((vector_size(16)));

static inline v4i load4(const uint32_t *p)
{
    v4i v;
    memcpy(&v, p, sizeof v);
    return v;
}

#define VEC_STAGES 5 /* stages run 4-wide before the scalar rest */

/* res[l] = 0 (rejected at stage 0), -1 (rejected later) or 1 (passed the
 * first VEC_STAGES stages) for windows p, p+1, p+2, p+3. */
static void lbp_stages_x4(const struct cascade *c, const struct lbp_stump *t, const uint32_t *p,
                          int8_t *res)
{
    int alive = 0xF;
    int nst = c->nstages < VEC_STAGES ? c->nstages : VEC_STAGES;
    for (int l = 0; l < 4; l++)
        res[l] = 1;
    for (int s = 0; s < nst && alive; s++) {
        const struct stage *st = &c->stages[s];
        v4f sum = {0};
        for (const struct lbp_stump *k = t + st->first; k < t + st->first + st->count; k++) {
            const int32_t *o = k->o;
            v4i v[16];
            for (int i = 0; i < 16; i++)
                v[i] = load4(p + o[i]);
#define VB(a, b, c_, d_) (v[a] - v[b] - v[c_] + v[d_])
            v4i cv = VB(5, 6, 9, 10);
            v4i code = ((VB(0, 1, 4, 5) >= cv) & 128) | ((VB(1, 2, 5, 6) >= cv) & 64) |
                       ((VB(2, 3, 6, 7) >= cv) & 32) | ((VB(6, 7, 10, 11) >= cv) & 16) |
                       ((VB(10, 11, 14, 15) >= cv) & 8) | ((VB(9, 10, 13, 14) >= cv) & 4) |
                       ((VB(8, 9, 12, 13) >= cv) & 2) | ((VB(4, 5, 8, 9) >= cv) & 1);
#undef VB
            v4f leaf;
            for (int l = 0; l < 4; l++) {
                int cd = code[l];
                leaf[l] = k->leaf[((k->subset[cd >> 5] >> (cd & 31)) & 1) ^ 1];
            }
            sum += leaf;
        }
        for (int l = 0; l < 4; l++)
            if ((alive >> l & 1) && sum[l] < st->threshold) {
                alive &= ~(1 << l);
                res[l] = s == 0 ? 0 : -1;
            }
    }
}

static int run_lbp_stumps(const struct cascade *c, const struct lbp_stump *t, const uint32_t *p,
                          int from)
{
    for (int s = from; s < c->nstages; s++) {
        const struct stage *st = &c->stages[s];
        const struct lbp_stump *k = t + st->first, *e = k + st->count;
        float sum = 0;
        for (; k < e; k++) {
            const int32_t *o = k->o;
            int code = lbp_code_signed(p, o);
            sum += k->leaf[((k->subset[code >> 5] >> (code & 31)) & 1) ^ 1];
        }
        if (sum < st->threshold)
            return s == 0 ? 0 : -1;
    }
    return 1;
}

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
            resize(d, gray, w, h, stride, d->small, sw, sh);
            img = d->small;
            img_stride = sw;
        }
        (void)img_stride;
        integral(img, sw, sh, d->sum, c->lbp ? NULL : d->sqsum);
        int st = sw + 1;
        if (st != offs_stride) {
            if (make_offsets(d, c, st) != 0)
                return ERR_NOMEM;
            offs_stride = st;
        }
        int step = f >= 2.0f ? 1 : 2;
        bool fast = c->lbp && c->stumps && step == 1;
        for (int y = 0; y <= sh - H; y += step) {
            if (fast)
                for (int x = 0; x <= sw - W; x += 4)
                    lbp_stages_x4(c, d->lbp, d->sum + px_at(x, y, st), d->pass0 + x);
            for (int x = 0; x <= sw - W; x += step) {
                size_t base = px_at(x, y, st);
                int res;
                if (fast)
                    res = d->pass0[x] > 0 ? run_lbp_stumps(c, d->lbp, d->sum + base, VEC_STAGES)
                                          : d->pass0[x];
                else if (c->lbp)
                    res = c->stumps ? run_lbp_stumps(c, d->lbp, d->sum + base, 0)
                                    : run_lbp(c, d->offs, d->sum + base);
                else
                    res = run_haar(c, d->offs, c->stumps ? d->haar : NULL, d->sum + base,
                                   d->sqsum + base, st);
                if (res > 0 && nhits < MAX_HITS) {
                    struct cascade_rect *r = &d->hits[nhits++];
                    r->x = (int)lroundf((float)x * f);
                    r->y = (int)lroundf((float)y * f);
                    r->w = ww;
                    r->h = wh;
                    r->neighbours = 1;
                } else if (res == 0) {
                    x += step;
                }
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
