/* escpos.c - ESC/POS encoder, status parser and paper decoder; see escpos.h.
 *
 * Command bytes (hardware.md B1-B4): ESC @ 1B 40; ESC J n 1B 4A n; ESC d n
 * 1B 64 n; GS v 0 1D 76 30 m xL xH yL yH d...; GS V m [n] 1D 56; GS a n
 * 1D 61 n; DLE EOT n 10 04 n; DLE ENQ n 10 05 n; GS ( k 1D 28 6B pL pH ...
 * The decoder knows exactly these (plus LF, ESC a, FS & and FS . which
 * leave no mark) and refuses anything else, so a stray byte in what the
 * kiosk sends shows up as a failed test, not as a shifted picture.
 * Pure; any thread.
 */
#include "drivers/escpos/escpos.h"

#include "base/err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ESC 0x1B
#define GS  0x1D
#define DLE 0x10
#define FS  0x1C
#define EOT 0x04
#define ENQ 0x05

#define LINE_DOTS 30 /* default line spacing (ESC 2), about 1/6 inch */

/* ---- encoder ------------------------------------------------------------- */

int escpos_encode_init(struct buf *out)
{
    static const uint8_t b[] = {ESC, '@'};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_raster(struct buf *out, const uint8_t *bits, int width, int rows, int stride,
                         int band_rows)
{
    int wb = (width + 7) / 8;
    if (!out || !bits || width < 1 || width > ESCPOS_DOTS || rows < 0 || stride < wb ||
        band_rows < ESCPOS_BAND_MIN || band_rows > ESCPOS_BAND_MAX)
        return ERR_INVALID;
    for (int y0 = 0; y0 < rows; y0 += band_rows) {
        int n = rows - y0 < band_rows ? rows - y0 : band_rows;
        uint8_t h[8] = {GS,
                        'v',
                        '0',
                        0,
                        (uint8_t)(wb & 0xFF),
                        (uint8_t)(wb >> 8),
                        (uint8_t)(n & 0xFF),
                        (uint8_t)(n >> 8)};
        int rc = buf_append(out, h, sizeof h);
        for (int y = 0; !rc && y < n; y++)
            rc = buf_append(out, bits + (size_t)(y0 + y) * (size_t)stride, (size_t)wb);
        if (rc)
            return rc;
    }
    return 0;
}

int escpos_encode_feed_dots(struct buf *out, int dots)
{
    if (dots < 0 || dots > 255)
        return ERR_INVALID;
    uint8_t b[] = {ESC, 'J', (uint8_t)dots};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_cut(struct buf *out, int feed_dots, bool partial)
{
    if (feed_dots < 0 || feed_dots > 255)
        return ERR_INVALID;
    uint8_t b[] = {GS, 'V', partial ? 66 : 65, (uint8_t)feed_dots};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_asb(struct buf *out, uint8_t mask)
{
    if (mask & ~0x0Fu)
        return ERR_INVALID;
    uint8_t b[] = {GS, 'a', mask};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_recover(struct buf *out, int n)
{
    if (n != 1 && n != 2)
        return ERR_INVALID;
    uint8_t b[] = {DLE, ENQ, (uint8_t)n};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_marker(struct buf *out)
{
    static const uint8_t b[] = {GS, 'r', 1};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_status_query(uint8_t out[3], int n)
{
    if (n < 1 || n > 4)
        return ERR_INVALID;
    out[0] = DLE;
    out[1] = EOT;
    out[2] = (uint8_t)n;
    return 0;
}

/* ---- status -------------------------------------------------------------- */

bool escpos_is_status_reply(uint8_t b)
{
    return (b & 0x93) == 0x12; /* 0xx1xx10b */
}

static bool asb_first(uint8_t b)
{
    return (b & 0x93) == 0x10; /* 0xx1xx00b */
}

static bool asb_rest(uint8_t b)
{
    return (b & 0x90) == 0x00; /* 0xx0xxxxb */
}

int escpos_status_parse(int n, uint8_t b, struct escpos_status *st)
{
    if (n < 1 || n > 4 || !st)
        return ERR_INVALID;
    if (!escpos_is_status_reply(b))
        return ERR_PROTOCOL;
    switch (n) {
    case 1:
        st->drawer_high = b & 0x04;
        st->offline = b & 0x08;
        break;
    case 2:
        st->cover_open = b & 0x04;
        st->feed_button = b & 0x08;
        st->paper_end_stop = b & 0x20;
        st->error = b & 0x40;
        break;
    case 3:
        st->mechanical_error = b & 0x04;
        st->cutter_error = b & 0x08;
        st->unrecoverable = b & 0x20;
        st->auto_recoverable = b & 0x40;
        break;
    case 4:
        st->paper_near_end = b & 0x0C;
        st->paper_end = b & 0x60;
        break;
    }
    st->have |= 1u << (n - 1);
    return 0;
}

int escpos_asb_parse(const uint8_t b[4], struct escpos_status *st)
{
    if (!b || !st)
        return ERR_INVALID;
    if (!asb_first(b[0]) || !asb_rest(b[1]) || !asb_rest(b[2]) || !asb_rest(b[3]))
        return ERR_PROTOCOL;
    st->drawer_high = b[0] & 0x04;
    st->offline = b[0] & 0x08;
    st->cover_open = b[0] & 0x20;
    st->feed_button = b[0] & 0x40;
    st->mechanical_error = b[1] & 0x04;
    st->cutter_error = b[1] & 0x08;
    st->unrecoverable = b[1] & 0x20;
    st->auto_recoverable = b[1] & 0x40;
    st->error = b[1] & 0x6C;
    st->paper_near_end = b[2] & 0x03;
    st->paper_end = b[2] & 0x0C;
    st->paper_end_stop = st->paper_end;
    st->have |= ESCPOS_HAVE_ASB;
    return 0;
}

bool escpos_status_blocks(const struct escpos_status *st)
{
    return st->offline || st->cover_open || st->paper_end || st->paper_end_stop || st->error ||
           st->cutter_error || st->unrecoverable || st->auto_recoverable || st->mechanical_error;
}

void escpos_in_scan(struct escpos_in *in, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t b = data[i];
        if (in->asb_len > 0) {
            if (asb_rest(b)) {
                in->asb[in->asb_len++] = b;
                if (in->asb_len == 4) {
                    if (escpos_asb_parse(in->asb, &in->st) == 0)
                        in->asb_frames++;
                    in->asb_len = 0;
                }
                continue;
            }
            in->junk += in->asb_len; /* a broken frame: drop it, look at b afresh */
            in->asb_len = 0;
        }
        if (b == 0x11 || b == 0x13) {
            in->xoff = b == 0x13;
        } else if (in->expect && escpos_is_status_reply(b)) {
            escpos_status_parse(in->expect, b, &in->st);
            in->replies++;
            in->expect = 0;
        } else if (in->markers_expected > 0 && asb_rest(b)) {
            in->markers++;
            in->markers_expected--;
        } else if (asb_first(b)) {
            in->asb[0] = b;
            in->asb_len = 1;
        } else {
            in->junk++;
        }
    }
}

/* ---- decoder ------------------------------------------------------------- */

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

void escpos_decoder_init(struct escpos_decoder *d, escpos_page_fn on_cut, void *user)
{
    memset(d, 0, sizeof *d);
    buf_init(&d->pending, 1 << 20);
    d->on_cut = on_cut;
    d->user = user;
    d->page.width = ESCPOS_DOTS;
    d->page.stride = ESCPOS_DOTS / 8;
}

void escpos_decoder_fini(struct escpos_decoder *d)
{
    buf_fini(&d->pending);
    escpos_page_fini(&d->page);
    d->cap_rows = 0;
}

/* Makes room for n more rows (white). */
static int grow(struct escpos_decoder *d, int n)
{
    struct escpos_page *p = &d->page;
    if (n < 0 || p->rows + n > ESCPOS_PAGE_ROWS)
        return ERR_TOOBIG;
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

static void cut(struct escpos_decoder *d)
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

/* Executes one command at p (n bytes available). Returns its length, 0 if
 * it is incomplete, or a negative error. */
static long step(struct escpos_decoder *d, const uint8_t *p, size_t n)
{
#define NEED(k)                                                                                    \
    do {                                                                                           \
        if (n < (size_t)(k))                                                                       \
            return 0;                                                                              \
    } while (0)
    int rc;
    switch (p[0]) {
    case 0x00: /* NUL: padding after a recovery */
        return 1;
    case 0x0A: /* LF */
        rc = grow(d, LINE_DOTS);
        return rc ? rc : 1;
    case ESC:
        NEED(2);
        switch (p[1]) {
        case '@':
            d->inits++;
            return 2;
        case 'J':
            NEED(3);
            rc = grow(d, p[2]);
            return rc ? rc : 3;
        case 'd':
            NEED(3);
            rc = grow(d, p[2] * LINE_DOTS);
            return rc ? rc : 3;
        case 'a':
            NEED(3);
            return p[2] <= 2 || (p[2] >= '0' && p[2] <= '2') ? 3 : ERR_PROTOCOL;
        default:
            return ERR_PROTOCOL;
        }
    case FS:
        NEED(2);
        return p[1] == '&' || p[1] == '.' ? 2 : ERR_PROTOCOL;
    case DLE:
        NEED(3);
        if (p[1] == EOT && p[2] >= 1 && p[2] <= 4) {
            d->queries++;
            return 3;
        }
        if (p[1] == ENQ && (p[2] == 1 || p[2] == 2))
            return 3;
        return ERR_PROTOCOL;
    case GS:
        NEED(2);
        switch (p[1]) {
        case 'v': {
            NEED(8);
            if (p[2] != '0' || (p[3] != 0 && p[3] != '0'))
                return ERR_PROTOCOL;
            size_t wb = (size_t)p[4] | (size_t)p[5] << 8;
            size_t h = (size_t)p[6] | (size_t)p[7] << 8;
            if (wb == 0 || wb > ESCPOS_DOTS / 8 || h == 0 || h > 2303)
                return ERR_PROTOCOL;
            NEED(8 + wb * h);
            int y0 = d->page.rows;
            rc = grow(d, (int)h);
            if (rc)
                return rc;
            for (size_t y = 0; y < h; y++)
                memcpy(d->page.bits + (size_t)(y0 + (int)y) * (size_t)d->page.stride,
                       p + 8 + y * wb, wb);
            d->bands++;
            return (long)(8 + wb * h);
        }
        case 'V':
            NEED(3);
            if (p[2] == 0 || p[2] == 1 || p[2] == 48 || p[2] == 49) {
                cut(d);
                return 3;
            }
            if (p[2] == 65 || p[2] == 66) {
                NEED(4);
                rc = grow(d, p[3]);
                if (rc)
                    return rc;
                cut(d);
                return 4;
            }
            return ERR_PROTOCOL;
        case 'a':
            NEED(3);
            d->asb_mask = p[2];
            return 3;
        case 'r':
            NEED(3);
            if (p[2] != 1 && p[2] != 2 && p[2] != 49 && p[2] != 50)
                return ERR_PROTOCOL;
            d->markers++;
            return 3;
        case '(':
            NEED(5);
            if (p[2] != 'k')
                return ERR_PROTOCOL;
            NEED(5 + ((size_t)p[3] | (size_t)p[4] << 8));
            return (long)(5 + ((size_t)p[3] | (size_t)p[4] << 8));
        default:
            return ERR_PROTOCOL;
        }
    default:
        return ERR_PROTOCOL;
    }
#undef NEED
}

int escpos_decoder_feed(struct escpos_decoder *d, const uint8_t *data, size_t len)
{
    if (d->failed)
        return ERR_PROTOCOL;
    int rc = buf_append(&d->pending, data, len);
    if (rc)
        return rc;
    size_t off = 0;
    while (off < d->pending.len) {
        long k = step(d, d->pending.data + off, d->pending.len - off);
        if (k < 0) {
            d->failed = true;
            buf_reset(&d->pending);
            return (int)k;
        }
        if (k == 0)
            break;
        off += (size_t)k;
    }
    buf_consume(&d->pending, off);
    return 0;
}

void escpos_decoder_flush(struct escpos_decoder *d)
{
    cut(d);
    d->cuts--;
}

struct collect {
    struct escpos_page *out;
    int max, n;
};

static void collect_page(void *user, struct escpos_page *p)
{
    struct collect *c = user;
    if (c->n < c->max) {
        c->out[c->n++] = *p;
        p->bits = NULL;
    }
}

int escpos_decode_all(const uint8_t *data, size_t len, struct escpos_page *out, int max)
{
    struct collect c = {out, max, 0};
    struct escpos_decoder d;
    escpos_decoder_init(&d, collect_page, &c);
    int rc = escpos_decoder_feed(&d, data, len);
    if (!rc)
        escpos_decoder_flush(&d);
    escpos_decoder_fini(&d);
    if (rc) {
        for (int i = 0; i < c.n; i++)
            escpos_page_fini(&out[i]);
        return rc;
    }
    return c.n;
}

/* ---- PNG (stored deflate: no zlib needed in a driver) ----------------------- */

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

int escpos_take_status(int n, const uint8_t *b, size_t k, struct escpos_status *st, uint8_t *stash,
                       size_t *len, size_t cap)
{
    int found = ERR_EMPTY;
    for (size_t i = 0; i < k; i++) {
        if (found != 0 && escpos_is_status_reply(b[i]) && escpos_status_parse(n, b[i], st) == 0)
            found = 0;
        else if (*len < cap)
            stash[(*len)++] = b[i];
    }
    return found;
}
