/* cascade.c - a cascade model read from OpenCV's XML; see cascade.h.
 *
 * Turns the XML tree (cascade_xml.c) into flat arrays of stages, weak
 * classifiers, nodes, leaves, LBP subsets and features. Every count and
 * index from the file is checked here, before the detector
 * (cascade_detect.c) ever uses it. Runs on whichever thread loads
 * (start-up, the tool); the model is read-only afterwards.
 */
#include "cascade_internal.h"

#include "base/err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
    int n = xml_count_children(d, feats);
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
            if (xml_numbers(d, xml_child(d, f, "rect"), v, 4) != 4)
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
        int tilted = xml_child(d, f, "tilted");
        if (tilted >= 0) {
            int t;
            if (xml_int(d, tilted, 0, 1, &t) != 0)
                return ERR_INVALID;
            if (t)
                return ERR_UNSUPPORTED;
        }
        int rects = xml_child(d, f, "rects");
        if (rects < 0)
            return ERR_INVALID;
        struct haar_feature *hf = &c->haar[i];
        for (int r = d->n[rects].child; r >= 0; r = d->n[r].next) {
            double v[5];
            if (hf->n == 3 || xml_numbers(d, r, v, 5) != 5)
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
    int ns = xml_count_children(d, stages);
    if (ns <= 0 || ns > MAX_STAGES)
        return ERR_INVALID;
    /* Count weak classifiers first so the arrays are sized once. */
    int nweak = 0;
    for (int s = d->n[stages].child; s >= 0; s = d->n[s].next) {
        int wc = xml_child(d, s, "weakClassifiers");
        if (wc < 0)
            return ERR_INVALID;
        nweak += xml_count_children(d, wc);
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
        if (xml_numbers(d, xml_child(d, s, "stageThreshold"), &thr, 1) != 1)
            return ERR_INVALID;
        st->threshold = (float)(thr - 1e-5); /* OpenCV's THRESHOLD_EPS */
        st->first = c->nweak;
        int wc = xml_child(d, s, "weakClassifiers");
        for (int w = d->n[wc].child; w >= 0; w = d->n[w].next) {
            int nv = xml_numbers(d, xml_child(d, w, "internalNodes"), buf,
                                 (int)(sizeof buf / sizeof buf[0]));
            if (nv <= 0 || nv % step != 0)
                return ERR_INVALID;
            int nn = nv / step;
            int nl = xml_numbers(d, xml_child(d, w, "leafValues"), lv, MAX_NODES + 1);
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
    if (!xml_name_is(&d.n[0], "opencv_storage"))
        goto done;
    int cas = d.n[0].child;
    if (cas < 0)
        goto done;
    if (xml_child(&d, cas, "stages") < 0 || xml_child(&d, cas, "features") < 0) {
        /* The old haartraining layout has <size> and <trees>: refused. */
        rc = xml_child(&d, cas, "size") >= 0 ? ERR_UNSUPPORTED : ERR_INVALID;
        goto done;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        rc = ERR_NOMEM;
        goto done;
    }
    int ft = xml_child(&d, cas, "featureType");
    if (!xml_text_is(&d, xml_child(&d, cas, "stageType"), "BOOST"))
        goto done;
    if (xml_text_is(&d, ft, "LBP"))
        c->lbp = true;
    else if (!xml_text_is(&d, ft, "HAAR")) {
        rc = ERR_UNSUPPORTED;
        goto done;
    }
    if (xml_int(&d, xml_child(&d, cas, "width"), 1, MAX_WINDOW, &c->win_w) != 0 ||
        xml_int(&d, xml_child(&d, cas, "height"), 1, MAX_WINDOW, &c->win_h) != 0)
        goto done;
    if (!c->lbp && (c->win_w < 3 || c->win_h < 3))
        goto done;
    int mcc = 0;
    int fp = xml_child(&d, cas, "featureParams");
    if (fp >= 0 && xml_child(&d, fp, "maxCatCount") >= 0 &&
        xml_int(&d, xml_child(&d, fp, "maxCatCount"), 0, 256, &mcc) != 0)
        goto done;
    if ((mcc > 0) != c->lbp)
        goto done; /* categorical splits only with LBP */
    rc = read_features(c, &d, xml_child(&d, cas, "features"));
    if (rc == 0)
        rc = read_stages(c, &d, xml_child(&d, cas, "stages"));
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
