/* cert_compose.h - the A4 query certificate (不动产登记信息查询结果证明).
 *
 * One drawing routine lays the certificate out on any cairo surface: a PDF
 * stream for the printer and an image of page 1 for the preview screen, so
 * what the citizen approves is what comes out. The content is the struct
 * certificate the registry issued and nothing else: the kiosk adds layout,
 * never facts. Personal data on it is masked as the registry gave it.
 *
 * Pure apart from fontconfig lookups: any thread (the print worker in the
 * kiosk, the test thread in tests). Fonts are matched once per family and
 * cached for the life of the process.
 */
#ifndef PRINT_CERT_COMPOSE_H
#define PRINT_CERT_COMPOSE_H

#include "base/buf.h"
#include "core/model.h"

#include <stdbool.h>
#include <stdint.h>

/* A4 portrait in PDF points. */
#define CERT_PAGE_W_PT 595.276
#define CERT_PAGE_H_PT 841.890

/* How to compose; every pointer is borrowed for the call and may be NULL. */
struct cert_options {
    bool demo;                /* 样张 DEMO watermark on every page (demo and training) */
    bool test;                /* 测试页 TEST instead: a maintenance test page, nobody's record */
    const char *font_family;  /* fontconfig family; NULL: "Noto Sans CJK SC", then
                                 "WenQuanYi Micro Hei" */
    const char *office_phone; /* 咨询电话 in the notes, e.g. "0391-3925100" */
    const char *office_address; /* footer line, e.g. "焦作市解放区人民路1088号" */
};

/* Page 1 as pixels for the screen: cairo ARGB32, premultiplied, native
 * endian (SDL_PIXELFORMAT_ARGB8888 on little-endian machines). */
struct cert_image {
    int w, h;      /* pixels */
    int stride;    /* bytes per row */
    uint8_t *data; /* owned, malloc'd; h * stride bytes; free with cert_image_fini */
};

/* Overwrites and frees the pixels, and zeroes the struct. NULL or an empty
 * image is a no-op. */
void cert_image_fini(struct cert_image *img);

/* Composes the whole certificate as a PDF appended to out (the caller has
 * buf_init'ed it; its max bounds the document). c and o are borrowed.
 * If pages is not NULL it receives the page count.
 * Returns 0; ERR_INVALID for a certificate that cannot be printed (missing
 * number, verification URL or code, unterminated or invalid UTF-8 text,
 * counts out of range); ERR_UNSUPPORTED when no font with Chinese glyphs is
 * installed; ERR_TOOBIG when the PDF outgrows out->max; ERR_NOMEM; ERR_IO
 * for any other cairo failure. On error out may hold a partial PDF. */
int cert_render_pdf(const struct certificate *c, const struct cert_options *o, struct buf *out,
                    int *pages);

/* Draws page 1 into an image width_px wide (16..4096) with A4 proportions.
 * c and o are borrowed; img receives owned pixels (cert_image_fini).
 * Returns 0 or the errors of cert_render_pdf (ERR_INVALID for a bad width);
 * img is zeroed on error. */
int cert_render_preview(const struct certificate *c, const struct cert_options *o, int width_px,
                        struct cert_image *img);

/* The kiosk's print faces (regular, bold) for family (NULL: the default
 * chain), matched once and cached: the slip composer draws with the same
 * faces as the certificate. out receives two references the caller
 * releases with cairo_font_face_destroy. Returns 0 or ERR_UNSUPPORTED (no
 * font with Chinese glyphs). Any thread. The type is cairo's. */
struct _cairo_font_face;
int cert_fonts_get(const char *family, struct _cairo_font_face *out[2]);

/* Around every use of cairo in the kiosk, from the first object made to
 * the last destroyed (the compositions here and in slip_compose.c): one
 * at a time. */
void cert_cairo_enter(void);
void cert_cairo_leave(void);
/* Drops the cached faces and everything cairo keeps between uses, when no
 * thread is inside cert_cairo_enter; true when it did. Never waits. The
 * next composition matches the faces again (a few milliseconds). */
bool cert_fonts_release(void);

/* Formats a 28-character 不动产单元号 grouped for reading, 6-6-7-9:
 * "410802 004003 GB00123 F00020015". Anything else is copied as it is.
 * out holds size bytes (32 suffice). Pure. */
void cert_format_unit_number(const char *unit, char *out, size_t size);

#endif
