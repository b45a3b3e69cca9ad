/* escpos_page.c - the paper the decoder prints on: rows added as it
 * feeds, cuts that hand a slip over, blocks placed by ESC a inside the
 * printing area (GS L, GS W), and the PNG writer (stored deflate: no zlib
 * needed in a driver). Pure; any thread. See escpos_internal.h.
 */
#include "drivers/escpos/escpos_internal.h"

#include "base/err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void escpos_page_fini(struct escpos_page *p)
{
    if (!p)
        return;
    free(p->bits);
    memset(p, 0, sizeof *p);
}

bool escpos_page_get(const struct escpos_page *p, int x, int y)
{
    if (x < 0 || y < 0 || x >= p->width || y >= p->rows)
        return false;
    return p->bits[(size_t)y * (size_t)p->stride + (size_t)(x / 8)] & (0x80 >> (x % 8));
}

void escpos_page_cut(struct escpos_decoder *d)
{
    d->cuts++;
    if (d->page.rows == 0)
        return;
    struct escpos_page done = d->page;
    d->page = (struct escpos_page){.width = ESCPOS_DOTS, .stride = ESCPOS_DOTS / 8};
    d->cap_rows = 0;
    if (d->on_cut)
        d->on_cut(d->user, &done);
    escpos_page_fini(&done);
}

int escpos_page_grow(struct escpos_decoder *d, int n)
{
    struct escpos_page *p = &d->page;
    if (n < 0 || n > ESCPOS_PAGE_ROWS)
        return ERR_TOOBIG;
    if (p->rows + n > ESCPOS_PAGE_ROWS) {
        if (d->strict)
            return ERR_TOOBIG;
        /* A printer just goes on; the picture of it is cut here. */
        escpos_note_skip(d, d->offset, NULL, 0, "slip longer than 8192 rows: cut");
        escpos_page_cut(d);
        d->cuts--;
    }
    if (p->rows + n > d->cap_rows) {
        int cap = d->cap_rows ? d->cap_rows : 512;
        while (cap < p->rows + n)
            cap *= 2;
        if (cap > ESCPOS_PAGE_ROWS)
            cap = ESCPOS_PAGE_ROWS;
        uint8_t *nb = realloc(p->bits, (size_t)cap * (size_t)p->stride);
        if (!nb)
            return ERR_NOMEM;
        p->bits = nb;
        d->cap_rows = cap;
    }
    memset(p->bits + (size_t)p->rows * (size_t)p->stride, 0, (size_t)n * (size_t)p->stride);
    p->rows += n;
    d->total_rows += n;
    return 0;
}

void escpos_blit(uint8_t *dst, int dst_stride, int dst_w, int dst_h, int dx, int dy,
                 const uint8_t *src, int src_stride, int w, int h)
{
    for (int y = 0; y < h; y++) {
        int ty = dy + y;
        if (ty < 0 || ty >= dst_h)
            continue;
        const uint8_t *s = src + (size_t)y * (size_t)src_stride;
        uint8_t *t = dst + (size_t)ty * (size_t)dst_stride;
        for (int x = 0; x < w; x++) {
            int tx = dx + x;
            if (tx >= 0 && tx < dst_w && (s[x / 8] & (0x80 >> (x % 8))))
                t[tx / 8] |= (uint8_t)(0x80 >> (tx % 8));
        }
    }
}

void escpos_area(const struct escpos_state *s, int *left, int *width)
{
    int l = s->left_margin < ESCPOS_DOTS ? s->left_margin : ESCPOS_DOTS - 1;
    int w = s->area_width;
    if (w <= 0 || l + w > ESCPOS_DOTS)
        w = ESCPOS_DOTS - l;
    *left = l;
    *width = w;
}

int escpos_print_block(struct escpos_decoder *d, const uint8_t *bits, int w, int h, int stride)
{
    int left, width;
    escpos_area(d->st, &left, &width);
    int x = left;
    if (w < width)
        x += d->st->align == 1 ? (width - w) / 2 : d->st->align == 2 ? width - w : 0;
    int y0 = d->page.rows;
    int rc = escpos_page_grow(d, h);
    if (rc)
        return rc;
    if (y0 + h > d->page.rows) /* the page was cut to make room */
        y0 = d->page.rows - h;
    escpos_blit(d->page.bits, d->page.stride, ESCPOS_DOTS, d->page.rows, x, y0, bits, stride,
                w < ESCPOS_DOTS - x ? w : ESCPOS_DOTS - x, h);
    return 0;
}

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc_update(uint32_t c, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static int chunk(struct buf *b, const char *type, const uint8_t *data, size_t n)
{
    uint8_t h[8];
    put32(h, (uint32_t)n);
    memcpy(h + 4, type, 4);
    uint32_t crc = crc_update(0xFFFFFFFFu, h + 4, 4);
    crc = crc_update(crc, data, n) ^ 0xFFFFFFFFu;
    uint8_t t[4];
    put32(t, crc);
    int rc = buf_append(b, h, 8);
    if (!rc && n)
        rc = buf_append(b, data, n);
    if (!rc)
        rc = buf_append(b, t, 4);
    return rc;
}

int escpos_page_write_png(const struct escpos_page *p, const char *path)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, crc_init);
    size_t row = (size_t)p->stride + 1;
    size_t raw_len = row * (size_t)p->rows;
    struct buf raw, z, png;
    buf_init(&raw, raw_len + 1);
    buf_init(&z, raw_len + raw_len / 65535 * 5 + 64);
    buf_init(&png, raw_len + raw_len / 65535 * 5 + 256);
    int rc = 0;
    for (int y = 0; !rc && y < p->rows; y++) {
        uint8_t line[ESCPOS_DOTS / 8 + 1];
        line[0] = 0;
        for (int i = 0; i < p->stride; i++) /* PNG grey: 1 = white */
            line[1 + i] = (uint8_t)~p->bits[(size_t)y * (size_t)p->stride + (size_t)i];
        rc = buf_append(&raw, line, row);
    }
    static const uint8_t zh[2] = {0x78, 0x01};
    if (!rc)
        rc = buf_append(&z, zh, 2);
    uint32_t a = 1, bsum = 0;
    for (size_t i = 0; i < raw.len; i++) {
        a = (a + raw.data[i]) % 65521;
        bsum = (bsum + a) % 65521;
    }
    size_t off = 0;
    do {
        size_t n = raw.len - off > 65535 ? 65535 : raw.len - off;
        uint8_t bh[5] = {off + n == raw.len ? 1 : 0, (uint8_t)n, (uint8_t)(n >> 8), (uint8_t)~n,
                         (uint8_t)(~n >> 8)};
        if (!rc)
            rc = buf_append(&z, bh, 5);
        if (!rc && n)
            rc = buf_append(&z, raw.data + off, n);
        off += n;
    } while (!rc && off < raw.len);
    uint8_t ad[4];
    put32(ad, (bsum << 16) | a);
    if (!rc)
        rc = buf_append(&z, ad, 4);
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    uint8_t ihdr[13];
    put32(ihdr, (uint32_t)p->width);
    put32(ihdr + 4, (uint32_t)(p->rows > 0 ? p->rows : 1));
    ihdr[8] = 1; /* bit depth */
    ihdr[9] = 0; /* greyscale */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    if (!rc)
        rc = buf_append(&png, sig, 8);
    if (!rc)
        rc = chunk(&png, "IHDR", ihdr, 13);
    if (!rc)
        rc = chunk(&png, "IDAT", z.data, z.len);
    if (!rc)
        rc = chunk(&png, "IEND", NULL, 0);
    if (!rc) {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(png.data, 1, png.len, f) != png.len)
            rc = ERR_IO;
        if (f && fclose(f) != 0)
            rc = ERR_IO;
    }
    buf_fini(&raw);
    buf_fini(&z);
    buf_fini(&png);
    return rc;
}
