/* escpos_decode.c - the decoder's command parser and state machine: frames
 * each command by its documented length, keeps the print modes, and hands
 * text to escpos_text.c and images and codes to escpos_codes.c.
 *
 * Lengths (Epson ESC/POS reference, as the public escpos-php and
 * python-escpos encoders send them; hardware.md B1-B3): most commands are
 * a fixed 2-10 bytes; ESC ( / FS ( / GS ( carry pL pH; GS 8 L four length
 * bytes; GS v 0, ESC *, GS * their image's size; GS k (m 0-6) and ESC D
 * end with NUL; ESC & counts per character. A command missing from the
 * tables is stepped over by its two bytes and noted with its offset, so
 * the rest of the stream still prints. In strict mode only what the
 * kiosk itself sends (escpos_encode_*) is taken, so a stray byte in the
 * kiosk's stream fails a test instead of printing as a character.
 * Pure; any thread.
 */
#include "drivers/escpos/escpos_internal.h"

#include "base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PENDING_MAX (1u << 20) /* the largest command held whole */
#define CHUNK       65536
#define UNKNOWN     (-1)

void escpos_note_skip(struct escpos_decoder *d, long offset, const uint8_t *p, size_t n,
                      const char *why)
{
    if (d->skipped < ESCPOS_SKIPS_KEPT) {
        struct escpos_skip *s = &d->skips[d->skipped];
        s->offset = offset;
        s->n = n < 3 ? (int)n : 3;
        memcpy(s->b, p ? p : (const uint8_t *)"", (size_t)s->n);
        s->why = why;
    }
    d->skipped++;
}

void escpos_skip_format(const struct escpos_skip *s, char *out, size_t cap)
{
    static const char *const names[] = {[ESC] = "ESC", [GS] = "GS", [FS] = "FS", [DLE] = "DLE"};
    size_t k = 0;
    out[0] = 0;
    for (int i = 0; i < s->n && k < cap; i++) {
        const char *sep = i ? " " : "";
        int r;
        if (i == 0 && s->b[0] < sizeof names / sizeof names[0] && names[s->b[0]])
            r = snprintf(out + k, cap - k, "%s", names[s->b[0]]);
        else if (s->b[i] > 0x20 && s->b[i] < 0x7F)
            r = snprintf(out + k, cap - k, "%s%c", sep, s->b[i]);
        else
            r = snprintf(out + k, cap - k, "%s0x%02X", sep, s->b[i]);
        if (r < 0)
            break;
        k += (size_t)r;
    }
}

void escpos_modes_reset(struct escpos_state *s)
{
    bool chinese = s->chinese;
    s->align = s->font = s->underline = s->char_space = 0;
    s->bold = s->reverse = false;
    s->wmul = s->hmul = s->cjk_wmul = s->cjk_hmul = 1;
    s->cjk_underline = s->cjk_left = s->cjk_right = 0;
    s->line_spacing = ESCPOS_LINE_DOTS;
    s->left_margin = s->area_width = 0;
    s->codepage = 0;
    memset(s->tabs, 0, sizeof s->tabs);
    s->hri_pos = s->hri_font = 0;
    s->bar_height = 162;
    s->bar_module = 3;
    s->qr_module = 3;
    s->qr_ec = 48;
    s->pdf_cols = s->pdf_rows = 0;
    s->pdf_module = s->pdf_row_h = 3;
    s->pdf_ec = -1;
    s->pdf_truncated = false;
    s->nitems = s->x = 0;
    s->arena_len = 0;
    s->chinese = chinese; /* a setting of the printer, not of the job */
}

void escpos_decoder_init(struct escpos_decoder *d, escpos_page_fn on_cut, void *user)
{
    memset(d, 0, sizeof *d);
    buf_init(&d->pending, PENDING_MAX + CHUNK);
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
    if (d->st) {
        escpos_text_fini(d->st);
        free(d->st->qr_data);
        free(d->st->pdf_data);
        free(d->st->gfx);
        free(d->st);
        d->st = NULL;
    }
}

static size_t u16(const uint8_t *p)
{
    return (size_t)p[0] | (size_t)p[1] << 8;
}

/* Bytes up to and including a NUL from p[from], at most max more; 0 when
 * not there yet, UNKNOWN when it is missing. */
static long until_nul(const uint8_t *p, size_t n, size_t from, size_t max)
{
    for (size_t i = from; i < n && i < from + max; i++)
        if (p[i] == 0)
            return (long)(i + 1);
    return n >= from + max ? UNKNOWN : 0;
}

/* ESC & y c1 c2 [x d1..d(y*x)] for each character c1..c2. */
static long user_chars(const uint8_t *p, size_t n)
{
    if (n < 5)
        return 0;
    if (p[4] < p[3] || p[2] > 3)
        return UNKNOWN;
    size_t off = 5;
    for (int c = p[3]; c <= p[4]; c++) {
        if (n <= off)
            return 0;
        off += 1 + (size_t)p[2] * p[off];
    }
    return (long)off;
}

#define NEED(k)                                                                                    \
    do {                                                                                           \
        if (n < (size_t)(k))                                                                       \
            return 0;                                                                              \
    } while (0)

/* The length of the command at p (n bytes there; the length may be more),
 * 0 when its header is incomplete, UNKNOWN when the tables lack it. */
static long frame(const uint8_t *p, size_t n)
{
    /* fixed lengths of ESC x, FS x and GS x; 0: variable or unknown */
    static const uint8_t esc_len[128] = {
        [0x0C] = 2, [' '] = 3, ['!'] = 3, ['$'] = 4, ['%'] = 3, ['-'] = 3, ['2'] = 2, ['3'] = 3,
        ['<'] = 2,  ['='] = 3, ['?'] = 3, ['@'] = 2, ['E'] = 3, ['G'] = 3, ['J'] = 3, ['K'] = 3,
        ['L'] = 2,  ['M'] = 3, ['R'] = 3, ['S'] = 2, ['T'] = 3, ['U'] = 3, ['V'] = 3, ['W'] = 10,
        ['\\'] = 4, ['a'] = 3, ['c'] = 4, ['d'] = 3, ['e'] = 3, ['i'] = 2, ['m'] = 2, ['p'] = 5,
        ['r'] = 3,  ['t'] = 3, ['u'] = 3, ['v'] = 2, ['{'] = 3,
    };
    static const uint8_t fs_len[128] = {
        ['!'] = 3, ['&'] = 2, ['-'] = 3, ['.'] = 2, ['?'] = 4,
        ['C'] = 3, ['S'] = 4, ['W'] = 3, ['p'] = 4, ['2'] = 76,
    };
    static const uint8_t gs_len[128] = {
        ['!'] = 3, ['#'] = 3, ['$'] = 4, ['/'] = 3, [':'] = 2, ['B'] = 3, ['E'] = 3,
        ['H'] = 3, ['I'] = 3, ['L'] = 4, ['P'] = 4, ['T'] = 3, ['W'] = 4, ['\\'] = 4,
        ['^'] = 5, ['a'] = 3, ['b'] = 3, ['c'] = 2, ['f'] = 3, ['g'] = 6, ['h'] = 3,
        ['j'] = 3, ['r'] = 3, ['w'] = 3, ['z'] = 4,
    };
    switch (p[0]) {
    case ESC:
        NEED(2);
        if (p[1] < 128 && esc_len[p[1]])
            return esc_len[p[1]];
        switch (p[1]) {
        case '*':
            NEED(5);
            return 5 + (long)(u16(p + 3) * (p[2] >= 32 ? 3 : 1));
        case '&':
            return user_chars(p, n);
        case 'D':
            return until_nul(p, n, 2, 33);
        case '(':
            NEED(5);
            return 5 + (long)u16(p + 3);
        }
        return UNKNOWN;
    case FS:
        NEED(2);
        if (p[1] < 128 && fs_len[p[1]])
            return fs_len[p[1]];
        if (p[1] == '(') {
            NEED(5);
            return 5 + (long)u16(p + 3);
        }
        return UNKNOWN;
    case GS:
        NEED(2);
        if (p[1] < 128 && gs_len[p[1]])
            return gs_len[p[1]];
        switch (p[1]) {
        case '(':
            NEED(5);
            return 5 + (long)u16(p + 3);
        case '8':
            NEED(7);
            if (p[2] != 'L')
                return UNKNOWN;
            return 7 + (long)(u16(p + 3) | u16(p + 5) << 16);
        case 'v':
            NEED(8);
            if (p[2] != '0')
                return UNKNOWN;
            return 8 + (long)(u16(p + 4) * u16(p + 6));
        case '*':
            NEED(4);
            return 4 + (long)p[2] * p[3] * 8;
        case 'V':
            NEED(3);
            return p[2] >= 65 ? 4 : 3;
        case 'k':
            NEED(3);
            if (p[2] <= 6)
                return until_nul(p, n, 3, 256);
            NEED(4);
            return 4 + (long)p[3];
        case 'C':
            NEED(3);
            return p[2] == '0' || p[2] == 0 ? 5 : p[2] == '1' || p[2] == 1 ? 9 : UNKNOWN;
        }
        return UNKNOWN;
    case DLE:
        NEED(3);
        if (p[1] == EOT)
            return p[2] == 7 || p[2] == 8 ? 4 : 3;
        if (p[1] == ENQ)
            return 3;
        if (p[1] == DC4)
            return p[2] == 8 ? 10 : 5;
        return UNKNOWN;
    }
    return 1; /* a control byte or a character */
}

/* The commands the kiosk's own encoder writes (strict mode), with the
 * values it writes. */
static bool kiosk_command(const uint8_t *p, size_t len)
{
    switch (p[0]) {
    case 0x00:
    case 0x0A:
        return true;
    case ESC:
        return p[1] == '@' || p[1] == 'J' || p[1] == 'd' ||
               (p[1] == 'a' && (p[2] <= 2 || (p[2] >= '0' && p[2] <= '2')));
    case FS:
        return p[1] == '&' || p[1] == '.';
    case DLE:
        return len == 3 && ((p[1] == EOT && p[2] >= 1 && p[2] <= 4) ||
                            (p[1] == ENQ && (p[2] == 1 || p[2] == 2)));
    case GS:
        switch (p[1]) {
        case 'v':
            return (p[3] == 0 || p[3] == '0') && u16(p + 4) >= 1 && u16(p + 4) <= ESCPOS_DOTS / 8 &&
                   u16(p + 6) >= 1 && u16(p + 6) <= 2303;
        case 'V':
            return p[2] == 0 || p[2] == 1 || p[2] == 48 || p[2] == 49 || p[2] == 65 || p[2] == 66;
        case 'a':
            return true;
        case 'r':
            return p[2] == 1 || p[2] == 2 || p[2] == 49 || p[2] == 50;
        case '(':
            return p[2] == 'k';
        }
        return false;
    }
    return false;
}

static int bit_on(uint8_t n)
{
    return n & 1; /* 0/1 and '0'/'1' */
}

static int mode_esc(struct escpos_decoder *d, const uint8_t *p, long len)
{
    struct escpos_state *s = d->st;
    switch (p[1]) {
    case '@':
        d->inits++;
        escpos_modes_reset(s);
        return 0;
    case ' ':
        s->char_space = p[2];
        return 0;
    case '!':
        s->font = p[2] & 1;
        s->bold = p[2] & 0x08;
        s->hmul = p[2] & 0x10 ? 2 : 1;
        s->wmul = p[2] & 0x20 ? 2 : 1;
        s->underline = p[2] & 0x80 ? 1 : 0;
        return 0;
    case '-':
        s->underline = (p[2] & 0x0F) <= 2 ? p[2] & 0x03 : 0;
        return 0;
    case 'E':
    case 'G':
        s->bold = bit_on(p[2]);
        return 0;
    case 'M':
        s->font = bit_on(p[2]);
        return 0;
    case '2':
        s->line_spacing = ESCPOS_LINE_DOTS;
        return 0;
    case '3':
        s->line_spacing = p[2];
        return 0;
    case 'a':
        s->align = (p[2] & 0x0F) <= 2 ? p[2] & 0x03 : s->align;
        return 0;
    case 't':
        s->codepage = p[2];
        return 0;
    case 'J':
        return escpos_line_print(d, p[2]);
    case 'd':
        return escpos_line_print(d, p[2] ? p[2] * s->line_spacing : 0);
    case 'D':
        memset(s->tabs, 0, sizeof s->tabs);
        for (long i = 2; i < len - 1 && i - 2 < 32; i++)
            s->tabs[i - 2] = p[i];
        return 0;
    case '*':
        return escpos_bit_image(d, p, (size_t)len);
    case 'i':
    case 'm':
        if (escpos_line_print(d, 0) == 0)
            escpos_page_cut(d);
        return 0;
    case '{':
    case 'V':
    case '%':
        if (p[2] & 1)
            escpos_note_skip(d, d->offset, p, 3, "not rendered");
        return 1;
    case '(':
        if (!p[2] || !strchr("AY", p[2]))
            escpos_note_skip(d, d->offset, p, 3, "unknown command");
        return 1;
    }
    return 1; /* taken, nothing to draw */
}

static int mode_gs(struct escpos_decoder *d, long off, const uint8_t *p, long len)
{
    struct escpos_state *s = d->st;
    int rc;
    switch (p[1]) {
    case '!':
        s->wmul = ((p[2] >> 4) & 7) + 1;
        s->hmul = (p[2] & 7) + 1;
        return 0;
    case 'B':
        s->reverse = bit_on(p[2]);
        return 0;
    case 'L':
        s->left_margin = (int)u16(p + 2);
        return 0;
    case 'W':
        s->area_width = (int)u16(p + 2);
        return 0;
    case 'H':
        s->hri_pos = p[2] & 3;
        return 0;
    case 'f':
        s->hri_font = bit_on(p[2]);
        return 0;
    case 'h':
        s->bar_height = p[2] ? p[2] : 1;
        return 0;
    case 'w':
        s->bar_module = p[2] >= 1 && p[2] <= 6 ? p[2] : s->bar_module;
        return 0;
    case 'a':
        d->asb_mask = p[2];
        return 0;
    case 'r':
        d->markers++;
        return 0;
    case 'v':
        rc = escpos_raster(d, p, (size_t)len);
        if (!rc)
            d->bands++;
        return rc;
    case 'V':
        rc = escpos_line_print(d, 0);
        if (!rc && len == 4)
            rc = escpos_page_grow(d, p[3]);
        if (!rc)
            escpos_page_cut(d);
        return rc;
    case 'k':
        return escpos_barcode(d, off, p, (size_t)len);
    case '(':
        if (p[2] == 'k')
            return escpos_code2d(d, off, p, (size_t)len);
        if (p[2] == 'L')
            return escpos_graphics(d, off, p, (size_t)len);
        if (!p[2] || !strchr("ACDEHKMNPQz", p[2]))
            escpos_note_skip(d, off, p, 3, "unknown command");
        return 1;
    case '/':
        escpos_note_skip(d, off, p, 3, "stored image not supported");
        return 1;
    case '8':
        return escpos_graphics(d, off, p, (size_t)len);
    }
    return 1;
}

/* Executes the whole command at p (len bytes), starting at stream offset
 * off. Returns 0 or an error; 1 when it was taken without effect. */
static int execute(struct escpos_decoder *d, long off, const uint8_t *p, long len)
{
    struct escpos_state *s = d->st;
    switch (p[0]) {
    case 0x00:
    case 0x0D: /* CR: a line ends at LF */
    case 0x18: /* CAN: page mode only */
        return 1;
    case 0x09:
        return escpos_text_tab(d);
    case 0x0A:
        return escpos_line_print(d, s->line_spacing);
    case 0x0C: /* FF: in standard mode, prints the line */
        return escpos_line_print(d, 0);
    case ESC:
        return mode_esc(d, p, len);
    case GS:
        return mode_gs(d, off, p, len);
    case FS:
        switch (p[1]) {
        case '&':
            s->chinese = true;
            return 0;
        case '.':
            s->chinese = false;
            return 0;
        case '!':
            s->cjk_wmul = p[2] & 0x04 ? 2 : 1;
            s->cjk_hmul = p[2] & 0x08 ? 2 : 1;
            s->cjk_underline = p[2] & 0x80 ? 1 : 0;
            return 0;
        case 'W':
            s->cjk_wmul = s->cjk_hmul = bit_on(p[2]) + 1;
            return 0;
        case '-':
            s->cjk_underline = (p[2] & 0x0F) <= 2 ? p[2] & 0x03 : 0;
            return 0;
        case 'S':
            s->cjk_left = p[2];
            s->cjk_right = p[3];
            return 0;
        case 'p':
            escpos_note_skip(d, off, p, 3, "stored image not supported");
            return 1;
        case '(':
            if (!p[2] || !strchr("ACEL", p[2]))
                escpos_note_skip(d, off, p, 3, "unknown command");
            return 1;
        }
        return 1;
    case DLE:
        if (p[1] == EOT)
            d->queries++;
        return 1;
    }
    escpos_note_skip(d, off, p, 1, "unknown control byte");
    return 1;
}

/* Handles the command or character at p (n bytes there). Returns the bytes
 * it took, 0 when more are needed, or a negative error. */
static long step(struct escpos_decoder *d, const uint8_t *p, size_t n)
{
    struct escpos_state *s = d->st;
    long off = d->offset;
    int rc;
    if (p[0] >= 0x20) {
        if (d->strict)
            return ERR_PROTOCOL;
        if (s->chinese && p[0] >= 0x81 && p[0] <= 0xFE) {
            /* GB18030: lead, then 0x40-0xFE (not 0x7F), or 0x30-0x39 and
             * two more; a lead without a trail prints alone, as '?' */
            NEED(2);
            size_t k = p[1] >= 0x30 && p[1] <= 0x39 ? 4 : 2;
            NEED(k);
            bool ok = k == 2 ? p[1] >= 0x40 && p[1] != 0x7F && p[1] != 0xFF
                             : p[2] >= 0x81 && p[2] <= 0xFE && p[3] >= 0x30 && p[3] <= 0x39;
            if (!ok)
                k = 1;
            rc = escpos_text_put(d, ok ? escpos_gb_char(s, p, k) : '?', ok);
            return rc ? rc : (long)k;
        }
        rc = escpos_text_put(d, escpos_codepage_char(s, p[0]), false);
        return rc ? rc : 1;
    }
    long len = frame(p, n);
    if (len == 0)
        return 0;
    if (len == UNKNOWN) {
        if (d->strict)
            return ERR_PROTOCOL;
        escpos_note_skip(d, off, p, 2, "unknown command");
        return 2;
    }
    if ((size_t)len > n) {
        if ((size_t)len <= PENDING_MAX)
            return 0;
        if (d->strict)
            return ERR_PROTOCOL;
        escpos_note_skip(d, off, p, 3, "too large: not printed");
        d->skip = (size_t)len - n;
        return (long)n;
    }
    if (d->strict && !kiosk_command(p, (size_t)len))
        return ERR_PROTOCOL;
    rc = execute(d, off, p, len);
    return rc < 0 ? rc : len;
}

#undef NEED

static int feed_chunk(struct escpos_decoder *d, const uint8_t *data, size_t len)
{
    size_t k = d->skip < len ? d->skip : len;
    d->skip -= k;
    d->offset += (long)k;
    int rc = buf_append(&d->pending, data + k, len - k);
    if (rc)
        return rc;
    size_t off = 0;
    while (off < d->pending.len && !d->skip) {
        long n = step(d, d->pending.data + off, d->pending.len - off);
        if (n < 0)
            return (int)n;
        if (n == 0)
            break;
        off += (size_t)n;
        d->offset += n;
    }
    buf_consume(&d->pending, off);
    if (d->skip) { /* what is left of a command too large to hold */
        k = d->skip < d->pending.len ? d->skip : d->pending.len;
        d->skip -= k;
        d->offset += (long)k;
        buf_consume(&d->pending, k);
    }
    return 0;
}

int escpos_decoder_feed(struct escpos_decoder *d, const uint8_t *data, size_t len)
{
    if (d->failed)
        return ERR_PROTOCOL;
    if (!d->st) {
        d->st = calloc(1, sizeof *d->st);
        if (!d->st)
            return ERR_NOMEM;
        d->st->cd = d->st->gb = (iconv_t)-1;
        d->st->chinese = true; /* how Chinese-market printers power up (hardware.md B6) */
        escpos_modes_reset(d->st);
    }
    for (size_t off = 0; off < len; off += CHUNK) {
        int rc = feed_chunk(d, data + off, len - off < CHUNK ? len - off : CHUNK);
        if (rc) {
            d->failed = true;
            buf_reset(&d->pending);
            return rc;
        }
    }
    return 0;
}

void escpos_decoder_flush(struct escpos_decoder *d)
{
    if (d->st && !d->failed)
        escpos_line_print(d, 0);
    escpos_page_cut(d);
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

static int decode(const uint8_t *data, size_t len, struct escpos_page *out, int max, bool strict,
                  int *err)
{
    struct collect c = {out, max, 0};
    struct escpos_decoder d;
    escpos_decoder_init(&d, collect_page, &c);
    d.strict = strict;
    *err = escpos_decoder_feed(&d, data, len);
    d.failed = false;
    escpos_decoder_flush(&d);
    escpos_decoder_fini(&d);
    return c.n;
}

int escpos_decode_all(const uint8_t *data, size_t len, struct escpos_page *out, int max)
{
    int err;
    int n = decode(data, len, out, max, true, &err);
    if (err) {
        for (int i = 0; i < n; i++)
            escpos_page_fini(&out[i]);
        return err;
    }
    return n;
}

int escpos_render_all(const uint8_t *data, size_t len, struct escpos_page *out, int max, int *err)
{
    int e;
    int n = decode(data, len, out, max, false, &e);
    if (err)
        *err = e;
    return n;
}
