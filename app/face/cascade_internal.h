/* cascade_internal.h - what the cascade's three files share, nothing else
 * includes it.
 *
 * cascade_xml.c reads the model's XML into a tree of nodes; cascade.c turns
 * that tree into the arrays below (struct cascade); cascade_detect.c runs
 * them over a frame. Every index in these arrays was checked against its
 * array's count when the model was read, so the detector trusts them.
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
#endif
