/* escpos_render_test.c - the decoder as a printer: receipt streams made
 * here, one per group of commands (text modes, code pages and GB18030,
 * line spacing and feeds, bit images and rasters in every size, graphics,
 * barcodes, QR and PDF417, cuts, unknown commands), each rendered and
 * compared with a reference PNG (tests/unit/escpos_ref/, looked at when
 * made; ESCPOS_REGEN=1 writes them anew, a mismatch leaves the actual
 * picture beside the test's scratch folder), plus checks that do not lean
 * on the font: sizes, positions, zbarimg reading the codes back, skipped
 * commands and their offsets, and the simulated printer taking such a
 * stream.
 */
#include "base/buf.h"
#include "base/err.h"
#include "check.h"
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/printer.h"

#include <cairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REF_DIR   "tests/unit/escpos_ref"
#define MAX_PAGES 8

static char scratch[] = "/tmp/escpos_render_XXXXXX";

static void bytes(struct buf *b, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        uint8_t v = (uint8_t)va_arg(ap, int);
        buf_append(b, &v, 1);
    }
    va_end(ap);
}

/* Appends a stream written as a printer manual writes it: ESC, GS, FS,
 * DLE, LF, HT and NUL by name, a number (0-255 or 0xNN) as that byte,
 * any other single character as itself, 'text' as its bytes. */
static void emit(struct buf *b, const char *script)
{
    static const struct {
        const char *name;
        uint8_t byte;
    } names[] = {{"ESC", 0x1B}, {"GS", 0x1D}, {"FS", 0x1C}, {"DLE", 0x10},
                 {"LF", 0x0A},  {"HT", 0x09}, {"NUL", 0x00}};
    const char *p = script;
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (*p == '\'') {
            const char *e = strchr(p + 1, '\'');
            if (!e)
                break;
            buf_append(b, p + 1, (size_t)(e - p - 1));
            p = e + 1;
            continue;
        }
        size_t n = strcspn(p, " ");
        uint8_t v = (uint8_t)*p;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == n && strncmp(p, names[i].name, n) == 0)
                v = names[i].byte;
        if (p[0] >= '0' && p[0] <= '9')
            v = (uint8_t)strtol(p, NULL, 0);
        buf_append(b, &v, 1);
        p += n;
    }
}

struct render {
    struct escpos_page pages[MAX_PAGES];
    int n, err, skipped;
    struct escpos_skip skips[ESCPOS_SKIPS_KEPT];
};

static void keep(void *user, struct escpos_page *p)
{
    struct render *r = user;
    if (r->n < MAX_PAGES) {
        r->pages[r->n++] = *p;
        p->bits = NULL;
    }
}

/* Feeds b in pieces of 5 bytes, as a USB transfer may split it. */
static void render(const struct buf *b, struct render *r)
{
    memset(r, 0, sizeof *r);
    struct escpos_decoder d;
    escpos_decoder_init(&d, keep, r);
    for (size_t i = 0; i < b->len && !r->err; i += 5)
        r->err = escpos_decoder_feed(&d, b->data + i, b->len - i < 5 ? b->len - i : 5);
    escpos_decoder_flush(&d);
    r->skipped = d.skipped;
    memcpy(r->skips, d.skips, sizeof r->skips);
    escpos_decoder_fini(&d);
}

static void render_fini(struct render *r)
{
    for (int i = 0; i < r->n; i++)
        escpos_page_fini(&r->pages[i]);
}

static int black(const struct escpos_page *p, int x0, int y0, int x1, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += escpos_page_get(p, x, y);
    return n;
}

/* Renders b, which must print one page with no error and nothing skipped:
 * that page, or NULL. */
static const struct escpos_page *one_page(const struct buf *b, struct render *r)
{
    render(b, r);
    CHECK_EQ_INT(r->err, 0);
    CHECK_EQ_INT(r->skipped, 0);
    CHECK_EQ_INT(r->n, 1);
    return r->err == 0 && r->n == 1 ? &r->pages[0] : NULL;
}

/* The black dots in x0..x1, y0..y1 of the one page script prints; -1 when
 * it prints no page, or more than one. */
static int ink(const char *script, int x0, int y0, int x1, int y1)
{
    struct buf b;
    buf_init(&b, 1 << 12);
    emit(&b, script);
    struct render r;
    render(&b, &r);
    int n = r.n == 1 ? black(&r.pages[0], x0, y0, x1, y1) : -1;
    render_fini(&r);
    buf_fini(&b);
    return n;
}

/* The box of black dots in rows y0..y1: *l, *r (exclusive); -1 if none. */
static void hbox(const struct escpos_page *p, int y0, int y1, int *l, int *r)
{
    *l = -1;
    *r = -1;
    for (int x = 0; x < p->width; x++)
        if (black(p, x, y0, x + 1, y1)) {
            if (*l < 0)
                *l = x;
            *r = x + 1;
        }
}

/* Compares p with REF_DIR/name.png: at most 0.1 % of the dots (and at
 * least 16) may differ. */
static void compare(const struct escpos_page *p, const char *name)
{
    char ref[256], got[300];
    snprintf(ref, sizeof ref, "%s/%s.png", REF_DIR, name);
    if (getenv("ESCPOS_REGEN")) {
        CHECK_EQ_INT(escpos_page_write_png(p, ref), 0);
        return;
    }
    cairo_surface_t *s = cairo_image_surface_create_from_png(ref);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "%s: no reference picture\n", ref);
        CHECK(0);
        cairo_surface_destroy(s);
        return;
    }
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    cairo_format_t f = cairo_image_surface_get_format(s);
    const uint8_t *px = cairo_image_surface_get_data(s);
    CHECK_EQ_INT(w, p->width);
    CHECK_EQ_INT(h, p->rows);
    long diff = 0;
    for (int y = 0; y < h && y < p->rows; y++)
        for (int x = 0; x < w && x < p->width; x++) {
            bool ink;
            if (f == CAIRO_FORMAT_A8)
                ink = px[y * stride + x] > 127;
            else if (f == CAIRO_FORMAT_A1)
                ink = (((const uint32_t *)(const void *)(px + y * stride))[x / 32] >> (x % 32)) & 1;
            else
                ink = (((const uint32_t *)(const void *)(px + y * stride))[x] & 0xFF) < 128;
            diff += ink != escpos_page_get(p, x, y);
        }
    cairo_surface_destroy(s);
    long allowed = (long)p->width * p->rows / 1000;
    if (allowed < 16)
        allowed = 16;
    if (diff > allowed || w != p->width || h != p->rows) {
        snprintf(got, sizeof got, "%s/%s.actual.png", scratch, name);
        escpos_page_write_png(p, got);
        fprintf(stderr, "%s: %ld dots differ (%ld allowed); actual picture: %s\n", ref, diff,
                allowed, got);
        CHECK(0);
    } else {
        CHECK(1);
    }
}

/* What zbarimg reads in the page, "" when nothing. */
static void zbar(const struct escpos_page *p, char *out, size_t cap)
{
    char path[256], cmd[400];
    snprintf(path, sizeof path, "%s/zbar.png", scratch);
    out[0] = 0;
    if (escpos_page_write_png(p, path))
        return;
    snprintf(cmd, sizeof cmd, "zbarimg -q '%s' 2>/dev/null", path);
    FILE *f = popen(cmd, "r");
    if (!f)
        return;
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = 0;
    pclose(f);
}

static void test_text_modes(void)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    emit(&b, "ESC @ FS . 'Receipt 0123456789 plain Font A' LF");
    emit(&b, "ESC E 1 'Bold' ESC E 0 ' ' ESC - 1 'Under' ESC - 2 'Two' ESC - 0 ' ' "
             "GS B 1 'Reverse' GS B 0 LF");
    emit(&b, "ESC a 1 'Centre' LF ESC a 2 'Right' LF ESC a 0");
    emit(&b, "ESC ! 0x38 'ESC!' ESC ! 1 'FontB' ESC ! 0 LF");
    emit(&b, "GS ! 0x11 'Wx2' GS ! 0x22 'Wx3' GS ! 0 LF");
    emit(&b, "ESC M 1 'Font B by ESC M' ESC M 0 LF");
    struct render r;
    const struct escpos_page *p = one_page(&b, &r);
    if (p) {
        /* line 1: 31 characters of Font A, 12 dots each, from the left edge */
        int l, rt;
        hbox(p, 0, 24, &l, &rt);
        CHECK(l >= 0 && l < 12 && rt > 30 * 12 && rt <= 31 * 12);
        /* line 2: reverse is a black box 7 characters wide, after 14 others */
        CHECK(black(p, 14 * 12, 30, 21 * 12, 54) > 7 * 12 * 24 * 3 / 4);
        /* centred and right-aligned lines */
        hbox(p, 60, 84, &l, &rt);
        CHECK(l > 0 && abs(l - (576 - rt)) <= 12);
        hbox(p, 90, 114, &l, &rt);
        CHECK(rt >= 576 - 2 && l >= 576 - 5 * 12);
        /* ESC ! 0x38: bold, double height and width: 48 dots high */
        hbox(p, 120, 168, &l, &rt);
        CHECK(black(p, 0, 120, 4 * 24, 144) > 0 && rt > 4 * 24);
        compare(p, "text_modes");
    }
    render_fini(&r);
    /* Bold is more ink than plain. */
    int plain = ink("FS . 'WORD' LF", 0, 0, 576, 24);
    CHECK(plain > 0 && ink("FS . ESC E 1 'WORD' LF", 0, 0, 576, 24) > plain * 5 / 4);
    buf_fini(&b);
}

static void test_codepages(void)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    emit(&b, "ESC @ FS .");
    emit(&b, "ESC t 0 'CP437 ' 0xB0 0xB1 0xB2 0xC4 0xC5 0xC9 0xCD 0xBB ' ' 0x80 0x81 0x82 0x9C LF");
    emit(&b, "ESC t 16 'CP1252 ' 0x80 ' ' 0xE9 0xE8 0xE0 ' ' 0xC4 0xD6 0xDC ' ' 0xDF LF");
    emit(&b, "ESC t 17 'CP866 ' 0x8F 0xE0 0xA8 0xA2 0xA5 0xE2 LF");
    /* FS &, then GB18030: 不动产登记中心 No.42 */
    emit(&b,
         "FS & 0xB2 0xBB 0xB6 0xAF 0xB2 0xFA 0xB5 0xC7 0xBC 0xC7 0xD6 0xD0 0xD0 0xC4 ' No.42' LF");
    /* 排号 at double size by FS !, a space, 号 at double size by FS W */
    emit(&b, "FS ! 0x0C 0xC5 0xC5 0xBA 0xC5 FS ! 0 ' ' FS W 1 0xBA 0xC5 FS W 0 LF");
    /* 登记 underlined by FS -, then FS . */
    emit(&b, "FS - 1 0xB5 0xC7 0xBC 0xC7 FS - 0 FS . LF");
    struct render r;
    const struct escpos_page *p = one_page(&b, &r);
    if (p) {
        /* the Chinese line: 7 characters 24 wide, a space, 5 ASCII */
        int l, rt;
        hbox(p, 90, 114, &l, &rt);
        CHECK(rt > 7 * 24 + 12 && rt <= 7 * 24 + 6 * 12);
        compare(p, "codepages");
    }
    render_fini(&r);
    /* 0xDB is a full block in CP437 and a U with circumflex in CP1252. */
    int umlaut = ink("FS . ESC t 16 0xDB LF", 0, 0, 12, 24);
    CHECK(umlaut > 0 && ink("FS . ESC t 0 0xDB LF", 0, 0, 12, 24) > 3 * umlaut);
    buf_fini(&b);
}

static void test_feeds(void)
{
    struct buf b;
    buf_init(&b, 1 << 12);
    emit(&b, "ESC @ FS . 'A' LF"); /* 30 rows: the default spacing */
    emit(&b, "ESC '3' 64 'B' LF"); /* 64 */
    emit(&b, "ESC '2C' LF");       /* 30 */
    emit(&b, "'D' ESC J 80");      /* 80 */
    emit(&b, "'E' ESC d 3");       /* 90 */
    emit(&b, "LF ESC d 0");        /* 30 + 0 */
    emit(&b, "GS V 0");
    struct render r;
    render(&b, &r);
    CHECK_EQ_INT(r.n, 1);
    if (r.n == 1) {
        CHECK_EQ_INT(r.pages[0].rows, 30 + 64 + 30 + 80 + 90 + 30);
        const int tops[] = {0, 30, 94, 124, 204};
        for (int i = 0; i < 5; i++)
            CHECK(black(&r.pages[0], 0, tops[i], 12, tops[i] + 24) > 20);
        compare(&r.pages[0], "feeds");
    }
    render_fini(&r);
    buf_fini(&b);
}

static void test_layout(void)
{
    struct buf b;
    buf_init(&b, 1 << 12);
    /* a printing area from dot 96, 192 dots wide (16 characters) */
    emit(&b, "ESC @ FS . GS L 96 0 GS W 192 0");
    emit(&b, "'AB' LF ESC a 1 'AB' LF ESC a 2 'AB' LF ESC a 0");
    emit(&b, "'ABCDEFGHIJKLMNOPQRST' LF");              /* wraps after 16 */
    emit(&b, "GS L 0 0 GS W 0 0 'A' HT 'B' HT 'C' LF"); /* tabs every 8 columns */
    struct render r;
    render(&b, &r);
    CHECK_EQ_INT(r.err, 0);
    CHECK_EQ_INT(r.n, 1);
    if (r.n == 1) {
        const struct escpos_page *p = &r.pages[0];
        int l, rt;
        hbox(p, 0, 24, &l, &rt);
        CHECK(l >= 96 && l < 96 + 4 && rt <= 96 + 24);
        hbox(p, 30, 54, &l, &rt);
        CHECK(l >= 96 + 84 && l < 96 + 84 + 4 && rt <= 96 + 84 + 24);
        hbox(p, 60, 84, &l, &rt);
        CHECK(rt > 288 - 4 && rt <= 288);
        hbox(p, 90, 114, &l, &rt);
        CHECK(l >= 96 && rt > 96 + 15 * 12 && rt <= 288);
        hbox(p, 120, 144, &l, &rt);
        CHECK(l >= 96 && rt <= 96 + 4 * 12);
        CHECK_EQ_INT(black(p, 0, 150, 96, 174) > 0, 1);
        CHECK_EQ_INT(black(p, 96, 150, 108, 174) > 0, 1);
        CHECK_EQ_INT(black(p, 192, 150, 204, 174) > 0, 1);
        CHECK_EQ_INT(black(p, 12, 150, 96, 174), 0);
        CHECK_EQ_INT(p->rows, 6 * 30);
        compare(p, "layout");
    }
    render_fini(&r);
    buf_fini(&b);
}

static void test_images(void)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    emit(&b, "ESC @ ESC '3' 24");
    /* ESC * in its four densities: 16 columns of a diagonal pattern */
    const int modes[] = {0, 1, 32, 33};
    for (int m = 0; m < 4; m++) {
        bytes(&b, 5, 0x1B, '*', modes[m], 16, 0);
        for (int c = 0; c < 16; c++)
            for (int k = 0; k < (modes[m] >= 32 ? 3 : 1); k++)
                bytes(&b, 1, c % 2 ? 0xF0 : 0x0F);
        emit(&b, "LF");
    }
    /* GS v 0 in its four sizes: a 16 x 8 frame */
    for (int m = 0; m < 4; m++) {
        bytes(&b, 8, 0x1D, 'v', '0', m, 2, 0, 8, 0);
        for (int y = 0; y < 8; y++)
            bytes(&b, 2, y == 0 || y == 7 ? 0xFF : 0x80, y == 0 || y == 7 ? 0xFF : 0x01);
    }
    /* GS ( L fn 112 stores a 16 x 4 picture at double size, fn 50 prints it */
    emit(&b, "ESC a 1");
    bytes(&b, 15, 0x1D, '(', 'L', 18, 0, 48, 112, 48, 2, 2, 49, 16, 0, 4, 0);
    bytes(&b, 8, 0xAA, 0xAA, 0x55, 0x55, 0xAA, 0xAA, 0x55, 0x55);
    bytes(&b, 7, 0x1D, '(', 'L', 2, 0, 48, 50);
    emit(&b, "GS V 1");
    struct render r;
    const struct escpos_page *p = one_page(&b, &r);
    if (p) {
        int l, rt;
        /* ESC * 0: 16 columns 2 dots wide; 33: 1 dot wide */
        hbox(p, 0, 24, &l, &rt);
        CHECK_EQ_INT(rt - l, 32);
        hbox(p, 72, 96, &l, &rt);
        CHECK_EQ_INT(rt - l, 16);
        /* GS v 0 m = 0..3 after 4 lines of 24: 16x8, 32x8, 16x16, 32x16 */
        int y = 96;
        const int w[] = {16, 32, 16, 32}, h[] = {8, 8, 16, 16};
        for (int m = 0; m < 4; m++) {
            hbox(p, y, y + h[m], &l, &rt);
            CHECK_EQ_INT(l, 0);
            CHECK_EQ_INT(rt, w[m]);
            CHECK_EQ_INT(black(p, 0, y, 576, y + 1), w[m]); /* the frame's top */
            y += h[m];
        }
        /* the graphics: 32 x 8, centred */
        hbox(p, y, y + 8, &l, &rt);
        CHECK_EQ_INT(l, (576 - 32) / 2);
        CHECK_EQ_INT(rt - l, 32);
        CHECK_EQ_INT(p->rows, y + 8);
        compare(p, "images");
    }
    render_fini(&r);
    buf_fini(&b);
}

static void test_barcodes(void)
{
    struct buf b;
    buf_init(&b, 1 << 12);
    emit(&b, "ESC @ ESC a 1 GS H 2 GS h 80 GS w 2");
    emit(&b, "GS k 2 '4006381333931' NUL LF"); /* EAN-13, NUL form */
    emit(&b, "GS k 73 13 '{BKIOSK-{{42}' LF"); /* CODE128, length form */
    emit(&b, "GS H 0 GS k 69 6 'BDC-12' LF");  /* CODE39, no HRI */
    emit(&b, "GS V 66 32");
    struct render r;
    render(&b, &r);
    CHECK_EQ_INT(r.err, 0);
    CHECK_EQ_INT(r.skipped, 0);
    CHECK_EQ_INT(r.n, 1);
    if (r.n == 1) {
        char got[512];
        zbar(&r.pages[0], got, sizeof got);
        CHECK(strstr(got, "EAN-13:4006381333931") != NULL);
        CHECK(strstr(got, "CODE-128:KIOSK-{42}") != NULL);
        CHECK(strstr(got, "CODE-39:BDC-12") != NULL);
        if (!strstr(got, "CODE-39"))
            fprintf(stderr, "zbarimg read: %s\n", got);
        compare(&r.pages[0], "barcodes");
    }
    render_fini(&r);
    buf_fini(&b);
}

static void test_codes2d(void)
{
    static const char url[] = "https://bdc.example.gov.cn/q?t=20261206-0042&h=7f3a";
    struct buf b;
    buf_init(&b, 1 << 12);
    emit(&b, "ESC @ ESC a 1");
    emit(&b, "GS ( k 4 0 '1A2' NUL GS ( k 3 0 '1C' 5 GS ( k 3 0 '1E1'");
    bytes(&b, 8, 0x1D, '(', 'k', (int)sizeof url - 1 + 3, 0, '1', 'P', '0');
    buf_append(&b, url, sizeof url - 1);
    emit(&b, "GS ( k 3 0 '1Q0' LF");
    /* PDF417: 4 columns, module 2, rows 3 modules high, level 2 */
    emit(&b, "GS ( k 3 0 '0A' 4 GS ( k 3 0 '0C' 2 GS ( k 3 0 '0D' 3 GS ( k 4 0 '0E02'");
    emit(&b, "GS ( k 16 0 '0P0BDC-2026-0042' GS ( k 3 0 '0Q0'");
    emit(&b, "GS V 65 16");
    struct render r;
    render(&b, &r);
    CHECK_EQ_INT(r.err, 0);
    CHECK_EQ_INT(r.skipped, 0);
    CHECK_EQ_INT(r.n, 1);
    if (r.n == 1) {
        char got[512], want[128];
        zbar(&r.pages[0], got, sizeof got);
        snprintf(want, sizeof want, "QR-Code:%s\n", url);
        CHECK(strstr(got, want) != NULL);
        if (!strstr(got, want))
            fprintf(stderr, "zbarimg read: %s\n", got);
        compare(&r.pages[0], "codes2d");
    }
    render_fini(&r);
    /* A stream that only prints a QR code prints it. */
    struct buf q;
    buf_init(&q, 256);
    emit(&q, "ESC a 1 GS ( k 6 0 '1P0BDC' GS ( k 3 0 '1Q0'");
    render(&q, &r);
    CHECK_EQ_INT(r.n, 1);
    if (r.n == 1) {
        char got[256];
        zbar(&r.pages[0], got, sizeof got);
        CHECK(strstr(got, "QR-Code:BDC") != NULL);
    }
    render_fini(&r);
    buf_fini(&q);
    buf_fini(&b);
}

static void test_cuts_and_unknown(void)
{
    struct buf b;
    buf_init(&b, 1 << 12);
    emit(&b, "ESC @ FS . 'one' LF GS V 0"); /* full cut */
    emit(&b, "ESC ! 0x30 'two' LF GS V 1"); /* partial */
    emit(&b, "ESC @ 'three' GS V 65 40");   /* feed 40, full: ESC @ reset the size */
    emit(&b, "'four' ESC q 'five' LF");     /* offset 36: ESC q, not ESC/POS */
    emit(&b, "GS ( Z 3 0 1 2 3 'six' LF");  /* offset 43: skipped by pL pH */
    emit(&b, "7 'seven' LF GS V 66 0");     /* offset 55: BEL, a control byte */
    struct render r;
    render(&b, &r);
    CHECK_EQ_INT(r.err, 0);
    CHECK_EQ_INT(r.n, 4);
    if (r.n == 4) {
        CHECK_EQ_INT(r.pages[0].rows, 30);
        CHECK_EQ_INT(r.pages[1].rows, 48);
        CHECK_EQ_INT(r.pages[2].rows, 24 + 40);
        int l, rt;
        hbox(&r.pages[2], 0, 24, &l, &rt);
        CHECK_EQ_INT(rt - l <= 5 * 12 && rt - l > 4 * 12, 1);
        compare(&r.pages[3], "unknown");
    }
    CHECK_EQ_INT(r.skipped, 3);
    CHECK_EQ_INT(r.skips[0].offset, 36);
    CHECK(r.skips[0].b[0] == 0x1B && r.skips[0].b[1] == 'q');
    CHECK_EQ_INT(r.skips[1].offset, 43);
    CHECK_EQ_INT(r.skips[2].offset, 55);
    char what[32];
    escpos_skip_format(&r.skips[0], what, sizeof what);
    CHECK_EQ_STR(what, "ESC q");
    CHECK_EQ_STR(r.skips[0].why, "unknown command");
    render_fini(&r);
    /* The kiosk's own stream is still checked strictly. */
    struct escpos_page pg[1];
    CHECK_EQ_INT(escpos_decode_all(b.data, b.len, pg, 1), ERR_PROTOCOL);
    buf_fini(&b);
}

/* The simulated printer takes what any program sends a printer. */
static void test_printer_sim(void)
{
    struct printer_sim *sim = printer_sim_create(1 << 20);
    printer_sim_set_png_dir(sim, scratch);
    struct buf b;
    buf_init(&b, 1 << 12);
    emit(&b, "ESC @ ESC a 1 'Queue A042' LF GS ( k 7 0 '1P0A042' GS ( k 3 0 '1Q0' GS V 66 16");
    size_t sent = 0;
    CHECK_EQ_INT(printer_sim_ops.write(sim, b.data, b.len, 1000, &sent), 0);
    CHECK_EQ_INT(sent, b.len);
    CHECK_EQ_INT(printer_sim_slips(sim), 1);
    char path[300];
    snprintf(path, sizeof path, "%s/slip-0001.png", scratch);
    CHECK(access(path, F_OK) == 0);
    char cmd[400], got[128] = "";
    snprintf(cmd, sizeof cmd, "zbarimg -q '%s' 2>/dev/null", path);
    FILE *f = popen(cmd, "r");
    if (f) {
        size_t n = fread(got, 1, sizeof got - 1, f);
        got[n] = 0;
        pclose(f);
    }
    CHECK(strstr(got, "QR-Code:A042") != NULL);
    unlink(path);
    buf_fini(&b);
    printer_sim_destroy(sim);
}

int main(void)
{
    if (!mkdtemp(scratch))
        return 1;
    test_text_modes();
    test_codepages();
    test_feeds();
    test_layout();
    test_images();
    test_barcodes();
    test_codes2d();
    test_cuts_and_unknown();
    test_printer_sim();
    char path[300];
    snprintf(path, sizeof path, "%s/zbar.png", scratch);
    unlink(path);
    rmdir(scratch); /* left when a mismatch wrote an actual picture */
    return check_report("escpos_render_test");
}
