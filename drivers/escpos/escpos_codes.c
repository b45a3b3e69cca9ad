/* escpos_codes.c - the decoder's pictures: GS v 0 raster images in their
 * four sizes, ESC * bit images (printed with the line they stand in), GS
 * ( L / GS 8 L graphics, GS k barcodes with their human-readable line
 * (libzint), and GS ( k QR codes (libqrencode) and PDF417 (libzint). Each
 * is drawn dot for dot at the printer's module sizes and placed by ESC a;
 * what a printer would refuse (a barcode wider than the paper, data the
 * symbology cannot carry) is noted as a skip and not printed. Pure; any
 * thread. Command layouts: hardware.md B2-B3 and the Epson reference.
 */
#include "drivers/escpos/escpos_internal.h"

#include "base/err.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

static size_t u16(const uint8_t *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8;
}

static void dot(uint8_t *bits, int stride, int x, int y)
{
    bits[(size_t)y * (size_t)stride + (size_t)(x / 8)] |= (uint8_t)(0x80 >> (x % 8));
}

static bool src_dot(const uint8_t *bits, size_t stride, int x, int y)
{
    return bits[(size_t)y * stride + (size_t)(x / 8)] & (0x80 >> (x % 8));
}

/* Prints a w x h 1-bit image (stride bytes a row) scaled by sx, sy as a
 * block, after the line waiting in the buffer. */
static int print_scaled(struct escpos_decoder *d, const uint8_t *bits, int w, int h, size_t stride,
                        int sx, int sy)
{
    int rc = escpos_line_print(d, 0);
    if (rc || w <= 0 || h <= 0)
        return rc;
    if (sx == 1 && sy == 1 && w <= ESCPOS_DOTS)
        return escpos_print_block(d, bits, w, h, (int)stride);
    int ow = w * sx > ESCPOS_DOTS ? ESCPOS_DOTS : w * sx, oh = h * sy;
    int os = (ow + 7) / 8;
    uint8_t *out = calloc((size_t)os, (size_t)oh);
    if (!out)
        return ERR_NOMEM;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
            if (src_dot(bits, stride, x / sx, y / sy))
                dot(out, os, x, y);
    rc = escpos_print_block(d, out, ow, oh, os);
    free(out);
    return rc;
}

int escpos_raster(struct escpos_decoder *d, const uint8_t *p, size_t len)
{
    (void)len;
    int m = p[3] & 3; /* 0 normal, 1 double width, 2 double height, 3 both (or '0'..'3') */
    size_t wb = u16(p + 4), h = u16(p + 6);
    size_t wmax = ESCPOS_DOTS / 8;
    if (wb == 0 || h == 0)
        return 0;
    /* dots beyond the paper are dropped: only the bytes that land on it */
    int w = (int)(wb < wmax ? wb : wmax) * 8;
    return print_scaled(d, p + 8, w, (int)h, wb, m & 1 ? 2 : 1, m & 2 ? 2 : 1);
}

int escpos_bit_image(struct escpos_decoder *d, const uint8_t *p, size_t len)
{
    (void)len;
    int m = p[2];
    int bytes = m >= 32 ? 3 : 1;                             /* 8-dot or 24-dot columns */
    int sx = m == 0 || m == 32 ? 2 : 1, sy = m < 32 ? 3 : 1; /* single density is coarser */
    size_t cols = u16(p + 3);
    if (m != 0 && m != 1 && m != 32 && m != 33) {
        escpos_note_skip(d, d->offset, p, 3, "bit image mode unknown");
        return 1;
    }
    int ncols = (int)(cols < (size_t)(ESCPOS_DOTS / sx) ? cols : (size_t)(ESCPOS_DOTS / sx));
    int w = ncols * sx, h = bytes * 8 * sy, stride = (w + 7) / 8;
    if (w == 0)
        return 0;
    uint8_t *bits = calloc((size_t)stride, (size_t)h);
    if (!bits)
        return ERR_NOMEM;
    const uint8_t *data = p + 5;
    for (int c = 0; c < ncols; c++)
        for (int r = 0; r < bytes * 8; r++)
            if (data[(size_t)c * (size_t)bytes + (size_t)(r / 8)] & (0x80 >> (r % 8)))
                for (int yy = 0; yy < sy; yy++)
                    for (int xx = 0; xx < sx; xx++)
                        dot(bits, stride, c * sx + xx, r * sy + yy);
    int rc = escpos_line_add(d, bits, w, h, stride);
    free(bits);
    return rc;
}

/* GS ( L pL pH m fn ... and GS 8 L p1 p2 p3 p4 m fn ...: fn 112 (raster)
 * and 113 (columns) store graphics, fn 50 (or 2) prints them. */
int escpos_graphics(struct escpos_decoder *d, long offset, const uint8_t *p, size_t len)
{
    struct escpos_state *s = d->st;
    size_t hd = p[1] == '8' ? 7 : 5;
    if (len < hd + 2)
        return 1;
    const uint8_t *q = p + hd;
    size_t k = len - hd;
    int fn = q[1];
    if (fn == 50 || fn == 2) {
        if (!s->gfx)
            return 0;
        int rc = print_scaled(d, s->gfx, s->gfx_w, s->gfx_h, (size_t)(s->gfx_w + 7) / 8, s->gfx_bx,
                              s->gfx_by);
        free(s->gfx);
        s->gfx = NULL;
        return rc;
    }
    if (fn != 112 && fn != 113) {
        if ((fn >= 64 && fn <= 69) || (fn >= 80 && fn <= 85))
            escpos_note_skip(d, offset, p, 3, "stored graphics not supported");
        return 1;
    }
    if (k < 10)
        return 1;
    int c = q[5];
    size_t w = u16(q + 6), h = u16(q + 8);
    size_t need = fn == 112 ? (w + 7) / 8 * h : (h + 7) / 8 * w;
    if (w == 0 || h == 0 || w > 2400 || h > 2400 || need > k - 10) {
        escpos_note_skip(d, offset, p, 3, "graphics malformed");
        return 1;
    }
    if (c != 49 && c != 1 && s->gfx)
        return 1; /* a second colour: a one-colour head prints the first */
    size_t stride = (w + 7) / 8;
    uint8_t *g = calloc(stride, h);
    if (!g)
        return ERR_NOMEM;
    if (fn == 112) {
        memcpy(g, q + 10, need);
    } else {
        size_t cb = (h + 7) / 8;
        for (size_t x = 0; x < w; x++)
            for (size_t y = 0; y < h; y++)
                if (q[10 + x * cb + y / 8] & (0x80 >> (y % 8)))
                    dot(g, (int)stride, (int)x, (int)y);
    }
    free(s->gfx);
    s->gfx = g;
    s->gfx_w = (int)w;
    s->gfx_h = (int)h;
    s->gfx_bx = q[3] == 2 ? 2 : 1;
    s->gfx_by = q[4] == 2 ? 2 : 1;
    return 0;
}

/* Draws a zint symbol's modules: module dots wide, each row row_h high
 * (1D: one row bar_h high). Returns owned bits or NULL. */
static uint8_t *zint_bits(const struct zint_symbol *z, int module, int row_h, int *w, int *h)
{
    *w = z->width * module;
    *h = z->rows * row_h;
    int stride = (*w + 7) / 8;
    uint8_t *bits = calloc((size_t)stride, (size_t)(*h > 0 ? *h : 1));
    if (!bits)
        return NULL;
    for (int r = 0; r < z->rows; r++)
        for (int x = 0; x < z->width; x++)
            if ((z->encoded_data[r][x >> 3] >> (x & 7)) & 1)
                for (int yy = 0; yy < row_h; yy++)
                    for (int xx = 0; xx < module; xx++)
                        dot(bits, stride, x * module + xx, r * row_h + yy);
    return bits;
}

static int print_hri(struct escpos_decoder *d, const char *text, int w)
{
    uint8_t *bits;
    int tw, th;
    int rc = escpos_text_bitmap(text, d->st->hri_font, w, &bits, &tw, &th);
    if (rc)
        return rc;
    rc = escpos_print_block(d, bits, tw, th, (tw + 7) / 8);
    free(bits);
    return rc;
}

/* Prints a symbol zint encoded; a symbol wider than the printing area is
 * not printed, as on the printer. */
static int print_symbol(struct escpos_decoder *d, long offset, const uint8_t *p,
                        struct zint_symbol *z, int module, int row_h, bool hri)
{
    int w, h, left, width;
    escpos_area(d->st, &left, &width);
    if (z->width * module > width) {
        escpos_note_skip(d, offset, p, 3, "code wider than the paper");
        return 1;
    }
    uint8_t *bits = zint_bits(z, module, row_h, &w, &h);
    if (!bits)
        return ERR_NOMEM;
    int rc = escpos_line_print(d, 0);
    if (!rc && hri && (d->st->hri_pos & 1))
        rc = print_hri(d, (const char *)z->text, w);
    if (!rc)
        rc = escpos_print_block(d, bits, w, h, (w + 7) / 8);
    if (!rc && hri && (d->st->hri_pos & 2))
        rc = print_hri(d, (const char *)z->text, w);
    free(bits);
    return rc;
}

int escpos_barcode(struct escpos_decoder *d, long offset, const uint8_t *p, size_t len)
{
    static const int kinds[] = {BARCODE_UPCA,    BARCODE_UPCE,   BARCODE_EANX,
                                BARCODE_EANX,    BARCODE_CODE39, BARCODE_C25INTER,
                                BARCODE_CODABAR, BARCODE_CODE93, BARCODE_CODE128};
    int m = p[2];
    const uint8_t *data = m <= 6 ? p + 3 : p + 4;
    size_t n = m <= 6 ? len - 4 : p[3];
    int idx = m <= 6 ? m : m - 65;
    if (idx < 0 || idx > 8) {
        escpos_note_skip(d, offset, p, 3, "barcode system not supported");
        return 1;
    }
    /* ESC/POS spellings zint does not take: CODE39's own '*' start and
     * stop, CODE128's code-set selectors {A {B {C and escaped {{. */
    uint8_t text[256];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof text; i++) {
        if (kinds[idx] == BARCODE_CODE39 && data[i] == '*')
            continue;
        if (kinds[idx] == BARCODE_CODE128 && data[i] == '{' && i + 1 < n) {
            i++;
            if (data[i] == '{')
                text[k++] = '{';
            continue;
        }
        text[k++] = data[i];
    }
    struct zint_symbol *z = ZBarcode_Create();
    if (!z)
        return ERR_NOMEM;
    z->symbology = kinds[idx];
    z->input_mode = DATA_MODE;
    int rc;
    if (k == 0 || ZBarcode_Encode(z, text, (int)k) >= ZINT_ERROR) {
        escpos_note_skip(d, offset, p, 3, "barcode data refused");
        rc = 1;
    } else {
        rc = print_symbol(d, offset, p, z, d->st->bar_module, d->st->bar_height, true);
    }
    ZBarcode_Delete(z);
    return rc;
}

static int store(uint8_t **dst, size_t *dlen, const uint8_t *q, size_t k)
{
    free(*dst);
    *dst = NULL;
    *dlen = 0;
    if (k == 0)
        return 0;
    *dst = malloc(k);
    if (!*dst)
        return ERR_NOMEM;
    memcpy(*dst, q, k);
    *dlen = k;
    return 0;
}

static int print_qr(struct escpos_decoder *d, long offset, const uint8_t *p)
{
    struct escpos_state *s = d->st;
    if (!s->qr_len)
        return 0;
    static const QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    QRcode *qr = QRcode_encodeData((int)s->qr_len, s->qr_data, 0, levels[(s->qr_ec - 48) & 3]);
    if (!qr) {
        escpos_note_skip(d, offset, p, 3, "QR data refused");
        return 1;
    }
    int m = s->qr_module, w = qr->width * m, stride = (w + 7) / 8;
    int rc = 0;
    int left, width;
    escpos_area(s, &left, &width);
    if (w > width) {
        escpos_note_skip(d, offset, p, 3, "code wider than the paper");
        rc = 1;
    } else {
        uint8_t *bits = calloc((size_t)stride, (size_t)w);
        if (!bits) {
            rc = ERR_NOMEM;
        } else {
            for (int y = 0; y < w; y++)
                for (int x = 0; x < w; x++)
                    if (qr->data[(y / m) * qr->width + x / m] & 1)
                        dot(bits, stride, x, y);
            rc = print_scaled(d, bits, w, w, (size_t)stride, 1, 1);
            free(bits);
        }
    }
    QRcode_free(qr);
    return rc;
}

static int print_pdf417(struct escpos_decoder *d, long offset, const uint8_t *p)
{
    struct escpos_state *s = d->st;
    if (!s->pdf_len)
        return 0;
    struct zint_symbol *z = ZBarcode_Create();
    if (!z)
        return ERR_NOMEM;
    z->symbology = s->pdf_truncated ? BARCODE_PDF417COMP : BARCODE_PDF417;
    z->input_mode = DATA_MODE;
    z->option_1 = s->pdf_ec;
    z->option_2 = s->pdf_cols;
    z->option_3 = s->pdf_rows;
    int rc;
    if (ZBarcode_Encode(z, s->pdf_data, (int)s->pdf_len) >= ZINT_ERROR) {
        escpos_note_skip(d, offset, p, 3, "PDF417 data refused");
        rc = 1;
    } else {
        rc = print_symbol(d, offset, p, z, s->pdf_module, s->pdf_module * s->pdf_row_h, false);
    }
    ZBarcode_Delete(z);
    return rc;
}

/* GS ( k pL pH cn fn [parameters]: cn 49 QR code, cn 48 PDF417. */
int escpos_code2d(struct escpos_decoder *d, long offset, const uint8_t *p, size_t len)
{
    struct escpos_state *s = d->st;
    if (len < 7)
        return 1;
    int cn = p[5], fn = p[6];
    const uint8_t *q = p + 7;
    size_t k = len - 7;
    uint8_t a = k > 0 ? q[0] : 0, b = k > 1 ? q[1] : 0;
    if (cn == 49) {
        switch (fn) {
        case 67:
            s->qr_module = a >= 1 && a <= 16 ? a : s->qr_module;
            return 0;
        case 69:
            s->qr_ec = a >= 48 && a <= 51 ? a : s->qr_ec;
            return 0;
        case 80:
            return k ? store(&s->qr_data, &s->qr_len, q + 1, k - 1) : 1;
        case 81:
            return print_qr(d, offset, p);
        }
        return 1; /* model (only model 2 is drawn), size reply */
    }
    if (cn == 48) {
        switch (fn) {
        case 65:
            s->pdf_cols = a <= 30 ? a : 0;
            return 0;
        case 66:
            s->pdf_rows = a == 0 || (a >= 3 && a <= 90) ? a : 0;
            return 0;
        case 67:
            s->pdf_module = a >= 2 && a <= 8 ? a : s->pdf_module;
            return 0;
        case 68:
            s->pdf_row_h = a >= 2 && a <= 8 ? a : s->pdf_row_h;
            return 0;
        case 69:
            s->pdf_ec = a == 48 && b >= 48 && b <= 56 ? b - 48 : -1;
            return 0;
        case 70:
            s->pdf_truncated = a & 1;
            return 0;
        case 80:
            return k ? store(&s->pdf_data, &s->pdf_len, q + 1, k - 1) : 1;
        case 81:
            return print_pdf417(d, offset, p);
        }
        return 1;
    }
    if (fn == 81)
        escpos_note_skip(d, offset, p, 3, "2D code not supported");
    return 1;
}
