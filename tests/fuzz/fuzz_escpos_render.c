/* fuzz_escpos_render.c - any bytes as a print stream, through the whole
 * renderer: command framing, code pages and GB18030, the line buffer,
 * images, barcodes, QR and PDF417, cuts. The first byte picks how the
 * bytes are split, strict or printer mode, and Chinese mode or a code
 * page. Nothing may crash or read out of bounds, every page is 576 dots
 * wide and within the slip limit, and the pages do not depend on how the
 * stream was split (the bytes whole against the bytes in pieces).
 */
#include "drivers/escpos/escpos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PAGES 8

struct pages {
    struct escpos_page p[PAGES];
    int n;
};

static void keep(void *user, struct escpos_page *p)
{
    struct pages *k = user;
    if (k->n < PAGES) {
        k->p[k->n++] = *p;
        p->bits = NULL;
    }
}

static int run(const uint8_t *pre, size_t npre, const uint8_t *data, size_t size, size_t chunk,
               bool strict, struct pages *out)
{
    struct escpos_decoder d;
    escpos_decoder_init(&d, keep, out);
    d.strict = strict;
    int rc = strict ? 0 : escpos_decoder_feed(&d, pre, npre);
    for (size_t off = 0; !rc && off < size; off += chunk)
        rc = escpos_decoder_feed(&d, data + off, size - off < chunk ? size - off : chunk);
    escpos_decoder_flush(&d);
    if (d.skipped < 0 || d.offset < 0 || (size_t)d.offset > npre + size)
        abort();
    escpos_decoder_fini(&d);
    for (int i = 0; i < out->n; i++)
        if (out->p[i].width != ESCPOS_DOTS || out->p[i].rows <= 0 ||
            out->p[i].rows > ESCPOS_PAGE_ROWS || !out->p[i].bits)
            abort();
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 65536)
        return 0;
    uint8_t sel = data[0];
    size_t chunk = (size_t)(sel % 13) + 1;
    bool strict = sel & 0x80;
    /* FS . then ESC t n, or FS & (the power-on mode) */
    uint8_t pre[5] = {0x1C, (sel & 0x40) ? '.' : '&', 0x1B, 't', data[1]};
    struct pages whole = {0}, parts = {0};
    int a = run(pre, sizeof pre, data + 2, size - 2, size, strict, &whole);
    int b = run(pre, sizeof pre, data + 2, size - 2, chunk, strict, &parts);
    if (a != b || whole.n != parts.n)
        abort();
    for (int i = 0; i < whole.n; i++) {
        if (whole.p[i].rows != parts.p[i].rows ||
            memcmp(whole.p[i].bits, parts.p[i].bits,
                   (size_t)whole.p[i].rows * (size_t)whole.p[i].stride) != 0)
            abort();
        escpos_page_fini(&whole.p[i]);
        escpos_page_fini(&parts.p[i]);
    }
    return 0;
}
