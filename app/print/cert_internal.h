/* cert_internal.h - what the pieces of the certificate share inside
 * kiosk_print: the page, the default face, the document walker's state,
 * the pure text helpers of cert_format.c and the layout routine of
 * cert_layout.c. Not for use outside app/print.
 */
#ifndef PRINT_CERT_INTERNAL_H
#define PRINT_CERT_INTERNAL_H

#include "print/cert_compose.h"

#include <cairo.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stddef.h>

#define PAGE_W CERT_PAGE_W_PT
#define PAGE_H CERT_PAGE_H_PT

#define TEXT_MAX     2048
#define DEFAULT_FONT "Noto Sans CJK SC"

/* ---- the document walker (cert_layout.c) ---------------------------- */

struct doc {
    cairo_t *cr;
    const struct certificate *c;
    const struct cert_options *o;
    cairo_font_face_t *face[2];
    QRcode *qr;
    int page;      /* current page, from 1 */
    int pages;     /* total; 0 while counting */
    int only_page; /* 0: every page; n: draw page n only (preview) */
    bool drawing;  /* second pass */
    bool draw;     /* drawing and this page is wanted */
    bool in_table; /* a page break repeats the table header */
    double y;      /* top of the next thing to lay out */
    int err;
    char tmp[TEXT_MAX];
};

/* Lays the certificate out on d->cr: counting pages (drawing false) or
 * drawing them. */
void cert_layout(struct doc *d, bool drawing);

/* ---- pure text helpers (cert_format.c) --------------------------------- */

/* "2025-09-16T09:47:00+08:00" -> "2025年9月16日 09:47" (or the date only). */
void format_time(const char *iso, bool with_time, char *out, size_t size);

/* 0, or ERR_INVALID for a certificate cairo could not draw or that breaks
 * a model limit. */
int cert_validate(const struct certificate *c);

/* Plain words of the 权利限制 column, by enum encumbrance_kind. */
extern const char *const enc_word[ENC_KIND_COUNT];

/* The details of one restriction as one sentence. */
void encumbrance_text(const struct encumbrance *e, char *s, size_t size);

bool is_housing_count(const struct certificate *c);
const char *title_of(const struct certificate *c);
void register_name(const struct certificate *c, char *out, size_t size);

#endif
