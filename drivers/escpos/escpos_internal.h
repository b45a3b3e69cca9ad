/* escpos_internal.h - what the decoder's parts share: the printer's modes,
 * the line buffer, and the page they print on. Not for use outside
 * drivers/escpos.
 *
 * DESIGN: escpos_decode.c frames commands and keeps the modes;
 * escpos_text.c turns character bytes into glyphs in the line buffer;
 * escpos_codes.c draws images, barcodes and 2D codes as blocks;
 * escpos_page.c holds the page, blits and the PNG writer. A line of text
 * (and ESC * bit images, which print with it) waits in the line buffer
 * until LF, ESC J/d, a cut or a block prints it, as on the printer: then
 * its items stand on one baseline and ESC a places the line.
 */
#ifndef ESCPOS_INTERNAL_H
#define ESCPOS_INTERNAL_H

#include "drivers/escpos/escpos.h"

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The control bytes that begin commands. */
#define ESC 0x1B
#define GS  0x1D
#define DLE 0x10
#define FS  0x1C
#define EOT 0x04
#define ENQ 0x05
#define DC4 0x14

#define ESCPOS_LINE_DOTS  30 /* default line spacing (ESC 2), about 1/6 inch */
#define ESCPOS_LINE_ITEMS 600
#define ESCPOS_ARENA_MAX  (1u << 20)

/* One glyph or bit-image piece waiting in the line buffer. */
struct escpos_item {
    int x, w, h; /* dots from the line's start; size */
    size_t off;  /* its bits in the arena, (w + 7) / 8 bytes a row */
};

struct escpos_state {
    /* print modes (ESC @ restores them) */
    int align;               /* 0 left, 1 centre, 2 right */
    int font;                /* 0 Font A 12x24, 1 Font B 9x17 */
    bool bold;               /* ESC E, ESC G, ESC ! bit 3 */
    int underline;           /* 0..2 dots (ESC -, ESC ! bit 7) */
    bool reverse;            /* GS B */
    int wmul, hmul;          /* 1..8 (GS !, ESC ! bits 4-5) */
    int cjk_wmul, cjk_hmul;  /* FS ! / FS W for double-byte characters */
    int cjk_underline;       /* FS - */
    int char_space;          /* ESC SP: dots right of each character */
    int cjk_left, cjk_right; /* FS S */
    int line_spacing;        /* ESC 2 / ESC 3 */
    int left_margin;         /* GS L */
    int area_width;          /* GS W */
    int codepage;            /* ESC t n */
    bool chinese;            /* FS & on, FS . off */
    uint8_t tabs[32];        /* ESC D, in character columns; 0 ends */
    /* barcodes */
    int hri_pos, hri_font, bar_height, bar_module;
    /* GS ( k: QR code and PDF417 */
    int qr_module, qr_ec;
    uint8_t *qr_data;
    size_t qr_len;
    int pdf_cols, pdf_rows, pdf_module, pdf_row_h, pdf_ec;
    bool pdf_truncated;
    uint8_t *pdf_data;
    size_t pdf_len;
    /* GS ( L fn 112: the graphics waiting for fn 50 */
    uint8_t *gfx;
    int gfx_w, gfx_h, gfx_bx, gfx_by;
    /* the line buffer */
    int x; /* next free dot of the line */
    int nitems;
    struct escpos_item items[ESCPOS_LINE_ITEMS];
    uint8_t *arena;
    size_t arena_len, arena_cap;
    /* code page converters, opened when first needed */
    iconv_t cd;
    int cd_page;
    iconv_t gb;
};

/* escpos_decode.c */
void escpos_modes_reset(struct escpos_state *s);
void escpos_note_skip(struct escpos_decoder *d, long offset, const uint8_t *p, size_t n,
                      const char *why);

/* escpos_page.c: rows on the page (white); a block of w x h dots (stride
 * bytes a row, borrowed) placed by ESC a inside the printing area. */
int escpos_page_grow(struct escpos_decoder *d, int rows);
void escpos_page_cut(struct escpos_decoder *d);
int escpos_print_block(struct escpos_decoder *d, const uint8_t *bits, int w, int h, int stride);
void escpos_blit(uint8_t *dst, int dst_stride, int dst_w, int dst_h, int dx, int dy,
                 const uint8_t *src, int src_stride, int w, int h);
void escpos_area(const struct escpos_state *s, int *left, int *width);

/* escpos_text.c */
int escpos_text_put(struct escpos_decoder *d, uint32_t cp, bool wide);
int escpos_text_tab(struct escpos_decoder *d);
int escpos_line_add(struct escpos_decoder *d, const uint8_t *bits, int w, int h, int stride);
int escpos_line_print(struct escpos_decoder *d, int feed);
uint32_t escpos_codepage_char(struct escpos_state *s, uint8_t b);
uint32_t escpos_gb_char(struct escpos_state *s, const uint8_t *p, size_t n);
int escpos_text_bitmap(const char *text, int font, int min_w, uint8_t **out, int *w, int *h);
void escpos_text_fini(struct escpos_state *s);

/* escpos_codes.c: each takes the whole command (p, len) */
int escpos_raster(struct escpos_decoder *d, const uint8_t *p, size_t len);
int escpos_bit_image(struct escpos_decoder *d, const uint8_t *p, size_t len);
int escpos_graphics(struct escpos_decoder *d, long offset, const uint8_t *p, size_t len);
int escpos_barcode(struct escpos_decoder *d, long offset, const uint8_t *p, size_t len);
int escpos_code2d(struct escpos_decoder *d, long offset, const uint8_t *p, size_t len);

#endif
