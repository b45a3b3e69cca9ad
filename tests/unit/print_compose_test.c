/* print_compose_test.c - the certificate PDF read back as a bank clerk's
 * software would: text through pdftotext, the QR code through zbarimg on
 * a 150 dpi rendering, pages through pdfinfo; plus the preview pixels, the
 * line breaker and the formatters. Set PRINT_TEST_KEEP=1 to keep the PDFs
 * and PNGs for a look.
 */
#include "base/pixel.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/filemap.h"
#include "check.h"
#include "print/cert_compose.h"
#include "print/cert_wrap.h"
#include "print_fixture.h"
#include "print_test_util.h"

#include <cairo.h>

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PDF_MAX (8u << 20)

static struct certificate cert; /* large: keep it off the stack */

/* Renders c to dir/name.pdf; returns the page count or a negative error. */
static int render_to(const struct certificate *c, bool demo, const char *name, struct buf *pdf)
{
    struct cert_options o = {
        .demo = demo, .office_phone = "0391-3925100", .office_address = "焦作市解放区人民路1088号"};
    buf_init(pdf, PDF_MAX);
    int pages = 0;
    int err = cert_render_pdf(c, &o, pdf, &pages);
    if (err)
        return err;
    char path[512];
    snprintf(path, sizeof path, "%s/%s.pdf", ptu_scratch(), name);
    CHECK(ptu_write(path, pdf->data, pdf->len) == 0);
    return pages;
}

static char *pdf_text(const char *name, int page)
{
    if (page > 0)
        return ptu_run("pdftotext -q -enc UTF-8 -f %d -l %d '%s/%s.pdf' -", page, page,
                       ptu_scratch(), name);
    return ptu_run("pdftotext -q -enc UTF-8 '%s/%s.pdf' -", ptu_scratch(), name);
}

static void test_three_properties(void)
{
    print_fixture_cert(&cert, 3);
    struct buf pdf;
    int pages = render_to(&cert, false, "three", &pdf);
    CHECK_EQ_INT(pages, 1);
    CHECK(pdf.len > 1000 && memcmp(pdf.data, "%PDF-", 5) == 0);
    buf_fini(&pdf);

    char *t = pdf_text("three", 0);
    CHECK(t != NULL);
    if (!t)
        return;
    char *sq = ptu_squeeze(t);
    static const char *const want[] = {
        "不动产登记信息查询结果证明",
        "JZCX-7Q4M-9K2T-XW3P",
        "子女入学",
        "4108**********123X",
        "张**",
        "查询时间",
        "查询方式",
        "2025年9月16日",
        "登记簿记载",
        "抵押",
        "查封",
        "异议",
        "无",
        "中国建设银行股份有限公司焦作分行",
        "480,000.00元",
        "(2025)豫0811执保1234号",
        "7Q4M9KXW",
        "一证一码",
        "查询专用章", /* no: the seal is outlines; see below */
        "出具单位：焦作市不动产登记中心",
        "第1页共1页",
        "0391-3925100",
        "以下空白",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool found = strstr(sq, want[i]) != NULL;
        if (strcmp(want[i], "查询专用章") == 0) {
            /* The seal is an image: its lettering must not leak into the
             * extracted text and scramble it. */
            CHECK(!found);
            continue;
        }
        if (!found)
            fprintf(stderr, "missing in PDF text: %s\n", want[i]);
        CHECK(found);
    }
    for (int i = 0; i < cert.props.count; i++)
        CHECK(strstr(sq, cert.props.items[i].unit_number) != NULL);
    /* Unit numbers are printed grouped 6-6-7-9 for reading. */
    CHECK(strstr(t, "410802 004003") != NULL);
    CHECK(strstr(t, "样张") == NULL);
    CHECK(strstr(t, "DEMO") == NULL);
    CHECK(strstr(sq, "无登记记录") == NULL);
    free(sq);
    free(t);
}

/* Light grey pixels of the preview: the diagonal watermark. */
static long watermark_pixels(bool demo)
{
    struct cert_options o = {.demo = demo};
    struct cert_image img;
    if (cert_render_preview(&cert, &o, 595, &img) != 0)
        return -1;
    long n = 0;
    for (int y = 0; y < img.h; y++) {
        const uint32_t *row = (const uint32_t *)(img.data + px_at(0, y, img.stride));
        for (int x = 0; x < img.w; x++) {
            int g = (row[x] >> 8) & 255;
            if (g >= 221 && g <= 227)
                n++;
        }
    }
    cert_image_fini(&img);
    return n;
}

static void test_demo_mark(void)
{
    print_fixture_cert(&cert, 3);
    struct buf pdf;
    CHECK_EQ_INT(render_to(&cert, true, "demo", &pdf), 1);
    buf_fini(&pdf);
    char *t = pdf_text("demo", 0);
    CHECK(t && strstr(t, "样张"));
    free(t);
    /* pdftotext skips diagonal text, so the watermark is checked in pixels. */
    long with = watermark_pixels(true), without = watermark_pixels(false);
    CHECK(with > 5000);
    if (without < 0 || without * 5 >= with)
        fprintf(stderr, "watermark pixels: %ld with, %ld without\n", with, without);
    CHECK(without >= 0 && without * 5 < with);
}

static void test_qr_decodes(void)
{
    print_fixture_cert(&cert, 3);
    struct buf pdf;
    CHECK_EQ_INT(render_to(&cert, true, "qr", &pdf), 1);
    buf_fini(&pdf);
    char *r = ptu_run("pdftoppm -r 150 -png -f 1 -l 1 -singlefile '%s/qr.pdf' '%s/qr'",
                      ptu_scratch(), ptu_scratch());
    CHECK(r != NULL);
    free(r);
    char *code = ptu_run("zbarimg -q --raw '%s/qr.png' 2>/dev/null", ptu_scratch());
    CHECK(code != NULL);
    if (code) {
        size_t n = strlen(code);
        while (n && (code[n - 1] == '\n' || code[n - 1] == '\r'))
            code[--n] = '\0';
        CHECK_EQ_STR(code, cert.verify_url);
    }
    free(code);
}

static void test_pagination(void)
{
    print_fixture_cert(&cert, PROPERTY_LIST_MAX);
    struct buf pdf;
    int pages = render_to(&cert, true, "many", &pdf);
    CHECK(pages > 1);
    buf_fini(&pdf);
    char *info = ptu_run("pdfinfo '%s/many.pdf'", ptu_scratch());
    CHECK(info != NULL);
    if (info) {
        char *p = strstr(info, "Pages:");
        CHECK(p && atoi(p + 6) == pages);
        CHECK(strstr(info, "595.276 x 841.89") != NULL); /* A4 portrait */
    }
    free(info);

    char *all = pdf_text("many", 0);
    char *sq = all ? ptu_squeeze(all) : NULL;
    CHECK(sq != NULL);
    for (int i = 0; sq && i < cert.props.count; i++) {
        bool found = strstr(sq, cert.props.items[i].unit_number) != NULL;
        if (!found)
            fprintf(stderr, "unit %d missing: %s\n", i + 1, cert.props.items[i].unit_number);
        CHECK(found);
    }
    free(sq);
    free(all);

    for (int pg = 1; pg <= pages; pg++) {
        char *t = pdf_text("many", pg);
        CHECK(t != NULL);
        if (!t)
            continue;
        char *s = ptu_squeeze(t), want[64];
        snprintf(want, sizeof want, "第%d页共%d页", pg, pages);
        CHECK(strstr(s, want) != NULL);
        CHECK(strstr(s, "样张") != NULL);                /* the mark on every page */
        CHECK(strstr(s, "JZCX-7Q4M-9K2T-XW3P") != NULL); /* the number on every page */
        if (pg == 2)
            CHECK(strstr(s, "不动产单元号") != NULL); /* table header repeated */
        if (pg == pages)
            CHECK(strstr(s, "出具单位") != NULL);
        free(s);
        free(t);
    }
}

/* The PDF as poppler draws it against the preview as cairo draws it, tile
 * by tile: the same layout, and every glyph present on paper. (cairo
 * 1.16's CFF subsetter once blanked "如" in the PDF only; this catches any
 * glyph the PDF loses.) Also: the same certificate gives the same bytes. */
static void test_pdf_matches_preview(void)
{
    print_fixture_cert(&cert, 3);
    struct buf a, b;
    CHECK_EQ_INT(render_to(&cert, false, "same", &a), 1);
    CHECK_EQ_INT(render_to(&cert, false, "same2", &b), 1);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    buf_fini(&a);
    buf_fini(&b);

    char *r = ptu_run("pdftoppm -r 144 -png -singlefile '%s/same.pdf' '%s/same'", ptu_scratch(),
                      ptu_scratch());
    free(r);
    char png[512];
    snprintf(png, sizeof png, "%s/same.png", ptu_scratch());
    cairo_surface_t *paper = cairo_image_surface_create_from_png(png);
    CHECK(cairo_surface_status(paper) == CAIRO_STATUS_SUCCESS);
    struct cert_options o = {.office_phone = "0391-3925100",
                             .office_address = "焦作市解放区人民路1088号"};
    struct cert_image img;
    int w = cairo_image_surface_get_width(paper);
    CHECK_EQ_INT(cert_render_preview(&cert, &o, w, &img), 0);
    if (cairo_surface_status(paper) != CAIRO_STATUS_SUCCESS || !img.data) {
        cairo_surface_destroy(paper);
        cert_image_fini(&img);
        return;
    }
    int h = cairo_image_surface_get_height(paper);
    CHECK(abs(h - img.h) <= 1);
    const int T = 24; /* a table rule may differ by up to 2 px x T; a glyph by more */
    int bad = 0;
    const uint8_t *pd = cairo_image_surface_get_data(paper);
    int ps = cairo_image_surface_get_stride(paper);
    for (int ty = 0; ty + T <= h && ty + T <= img.h; ty += T) {
        for (int tx = 0; tx + T <= w; tx += T) {
            int ink_paper = 0, ink_preview = 0;
            for (int y = ty; y < ty + T; y++) {
                const uint32_t *pr = (const uint32_t *)(pd + px_at(0, y, ps));
                const uint32_t *vr = (const uint32_t *)(img.data + px_at(0, y, img.stride));
                for (int x = tx; x < tx + T; x++) {
                    ink_paper += ((pr[x] >> 8) & 255) < 128;
                    ink_preview += ((vr[x] >> 8) & 255) < 128;
                }
            }
            int hi = ink_paper > ink_preview ? ink_paper : ink_preview;
            if (abs(ink_paper - ink_preview) > 2 * T + 8 && abs(ink_paper - ink_preview) * 2 > hi) {
                if (bad < 5)
                    fprintf(stderr, "tile %d,%d differs: pdf %d preview %d\n", tx, ty, ink_paper,
                            ink_preview);
                bad++;
            }
        }
    }
    CHECK_EQ_INT(bad, 0);
    cairo_surface_destroy(paper);
    cert_image_fini(&img);
}

static void test_no_properties(void)
{
    print_fixture_cert(&cert, 0);
    struct buf pdf;
    CHECK_EQ_INT(render_to(&cert, false, "none", &pdf), 1);
    buf_fini(&pdf);
    char *t = pdf_text("none", 0);
    char *s = t ? ptu_squeeze(t) : NULL;
    CHECK(s && strstr(s, "无登记记录") && strstr(s, "子女入学") && strstr(s, "7Q4M9KXW"));
    CHECK(s && !strstr(s, "不动产单元号"));
    free(s);
    free(t);
}

static void test_long_address_and_kinds(void)
{
    print_fixture_cert(&cert, 3);
    snprintf(cert.kind, sizeof cert.kind, "housing_count");
    struct property *p = &cert.props.items[2];
    snprintf(p->location, sizeof p->location,
             "温县祥云镇和乐村2组36号院内东侧新建二层砖混结构住宅楼及其附属用房（含门楼、"
             "厢房、储藏室）A-17-2");
    p->enc_count = 2;
    p->enc[0] = (struct encumbrance){.kind = ENC_PREREG, .registered_at = "2024-01-02"};
    snprintf(p->enc[0].holder, sizeof p->enc[0].holder, "王*");
    p->enc[1] = (struct encumbrance){.kind = ENC_RESIDENCE, .period = "2024-01-02 至 2054-01-01"};
    snprintf(p->enc[1].holder, sizeof p->enc[1].holder, "赵*");
    struct buf pdf;
    CHECK(render_to(&cert, false, "long", &pdf) >= 1);
    buf_fini(&pdf);
    char *t = pdf_text("long", 0);
    char *s = t ? ptu_squeeze(t) : NULL;
    CHECK(s && strstr(s, "房屋套次查询证明") && strstr(s, "其中住宅2套"));
    CHECK(s && strstr(s, "预告登记") && strstr(s, "居住权") && strstr(s, "A-17-2"));
    CHECK(s && strstr(s, "附属用房"));
    free(s);
    free(t);
}

static void test_preview(void)
{
    print_fixture_cert(&cert, 3);
    struct cert_options o = {.demo = true};
    struct cert_image img;
    CHECK_EQ_INT(cert_render_preview(&cert, &o, 360, &img), 0);
    CHECK_EQ_INT(img.w, 360);
    CHECK_EQ_INT(img.h, 509);
    CHECK(img.stride >= 360 * 4);
    long dark = 0, red = 0, white = 0, translucent = 0;
    for (int y = 0; img.data && y < img.h; y++) {
        const uint32_t *row = (const uint32_t *)(img.data + px_at(0, y, img.stride));
        for (int x = 0; x < img.w; x++) {
            uint32_t px = row[x];
            int r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
            if (r > 250 && g > 250 && b > 250)
                white++;
            else if (r < 100 && g < 100 && b < 100)
                dark++;
            else if (r > 150 && g < 110 && b < 120)
                red++;
            if ((px >> 24) != 255)
                translucent++;
        }
    }
    CHECK_EQ_INT(translucent, 0);     /* an opaque page */
    CHECK(white > img.w * img.h / 2); /* mostly paper */
    CHECK(dark > 2000);               /* text, table, QR */
    CHECK(red > 200);                 /* the seal */
    CHECK(img.data && ((const uint32_t *)img.data)[0] == 0xFFFFFFFFu);
    cert_image_fini(&img);
    CHECK(img.data == NULL);
    CHECK_EQ_INT(cert_render_preview(&cert, &o, 8, &img), ERR_INVALID);
}

static void test_invalid(void)
{
    struct buf pdf;
    buf_init(&pdf, PDF_MAX);
    print_fixture_cert(&cert, 3);
    cert.number[0] = '\0';
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_INVALID);
    print_fixture_cert(&cert, 3);
    cert.verify_url[0] = '\0';
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_INVALID);
    print_fixture_cert(&cert, 3);
    memset(cert.purpose, 'x', sizeof cert.purpose); /* unterminated */
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_INVALID);
    print_fixture_cert(&cert, 3);
    strcpy(cert.props.items[1].location, "\xE4\xB8"); /* cut UTF-8 */
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_INVALID);
    print_fixture_cert(&cert, 3);
    cert.props.count = PROPERTY_LIST_MAX + 1;
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_INVALID);
    print_fixture_cert(&cert, 3);
    cert.props.items[0].enc[0].kind = ENC_KIND_COUNT;
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_INVALID);
    print_fixture_cert(&cert, 3);
    cert.props.items[0].enc_count = PROPERTY_ENC_MAX + 1;
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_INVALID);
    CHECK_EQ_INT(cert_render_pdf(NULL, NULL, &pdf, NULL), ERR_INVALID);
    buf_fini(&pdf);

    /* A PDF larger than the buffer's limit is refused, not truncated. */
    print_fixture_cert(&cert, 3);
    buf_init(&pdf, 4096);
    CHECK_EQ_INT(cert_render_pdf(&cert, NULL, &pdf, NULL), ERR_TOOBIG);
    buf_fini(&pdf);

    /* A configured family that does not exist falls back to a CJK font. */
    struct cert_options o = {.font_family = "No Such Family 42"};
    buf_init(&pdf, PDF_MAX);
    CHECK_EQ_INT(cert_render_pdf(&cert, &o, &pdf, NULL), 0);
    buf_fini(&pdf);
}

/* ---- the line breaker, with a fixed-pitch fake font ------------------- */

/* ASCII 1 unit, everything else 2 (like a CJK ideograph). */
static double fake_measure(const char *s, size_t n, void *user)
{
    (void)user;
    double w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += c < 0x80 ? 1 : 2;
        i += k;
    }
    return w;
}

static void test_wrap(void)
{
    static const struct {
        const char *text;
        double width;
        const char *want; /* lines joined by '|' */
    } cases[] = {
        {"", 10, ""},
        {"abc", 10, "abc"},
        {"不动产登记中心", 6, "不动产|登记中|心"},
        /* a number run is never split, the CJK around it may be */
        {"第0012345号", 10, "第0012345|号"},
        {"第0012345号", 8, "第|0012345|号"},
        {"410802 004003 GB00123 F00020015", 14, "410802 004003|GB00123|F00020015"},
        {"410802 004003 GB00123 F00020015", 18, "410802 004003|GB00123 F00020015"},
        /* closing punctuation stays with the character before it */
        {"甲乙丙，丁", 6, "甲乙|丙，丁"},
        /* opening punctuation stays with what follows */
        {"甲乙（丙", 6, "甲乙|（丙"},
        /* hard breaks, and an empty line between two */
        {"甲\n乙", 10, "甲|乙"},
        {"甲\n\n乙", 10, "甲||乙"},
        /* a run wider than the line is cut by character as a last resort */
        {"ABCDEFGHIJ", 4, "ABCD|EFGH|IJ"},
        /* spaces vanish at the break */
        {"ab cd", 3, "ab|cd"},
        {"ab   cd", 3, "ab|cd"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cert_wrap_line lines[16];
        int n = cert_wrap_lines(cases[i].text, cases[i].width, fake_measure, NULL, lines, 16);
        char got[256] = "";
        for (int k = 0; k < n; k++) {
            if (k)
                strncat(got, "|", sizeof got - strlen(got) - 1);
            strncat(got, cases[i].text + lines[k].off, lines[k].len);
        }
        if (n < 0 || strcmp(got, cases[i].want) != 0)
            fprintf(stderr, "wrap case %zu: got \"%s\" (%d)\n", i, got, n);
        CHECK_EQ_STR(got, cases[i].want);
    }
    struct cert_wrap_line one[1];
    CHECK_EQ_INT(cert_wrap_lines("甲乙丙丁", 2, fake_measure, NULL, one, 1), ERR_TOOBIG);
    CHECK_EQ_INT(cert_wrap_lines(NULL, 2, fake_measure, NULL, one, 1), ERR_INVALID);
}

static void test_formatters(void)
{
    char u[40];
    cert_format_unit_number("410802004003GB00123F00020015", u, sizeof u);
    CHECK_EQ_STR(u, "410802 004003 GB00123 F00020015");
    cert_format_unit_number("SHORT", u, sizeof u);
    CHECK_EQ_STR(u, "SHORT");
}

/* The certificate's faces read their font files through base/filemap,
 * the mapping the UI's text reads too: every font file this process has
 * mapped is mapped once, and it is filemap's. cairo opening the files
 * itself mapped each a second time, and the pages both drew from counted
 * twice in the kiosk's memory. */
static void test_fonts_mapped_once(void)
{
    struct buf pdf;
    print_fixture_cert(&cert, 3);
    CHECK(render_to(&cert, false, "fonts", &pdf) >= 1);
    buf_fini(&pdf);
    char paths[16][256];
    int n = 0, dup = 0;
    char line[512];
    FILE *f = fopen("/proc/self/maps", "r");
    CHECK(f != NULL);
    while (f && fgets(line, sizeof line, f)) {
        char *p = strchr(line, '/');
        if (!p)
            continue;
        p[strcspn(p, "\n")] = '\0';
        size_t len = strlen(p);
        if (len < 4 || (strcmp(p + len - 4, ".ttc") != 0 && strcmp(p + len - 4, ".otf") != 0 &&
                        strcmp(p + len - 4, ".ttf") != 0))
            continue;
        for (int i = 0; i < n; i++)
            dup += strcmp(paths[i], p) == 0;
        if (n < 16)
            snprintf(paths[n++], sizeof paths[0], "%s", p);
    }
    if (f)
        fclose(f);
    CHECK(n >= 1);
    CHECK_EQ_INT(dup, 0);
    CHECK_EQ_INT(filemap_count(), n);
}

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd; /* 0 under ASan, which keeps its own */
}

static bool same_preview(const struct cert_image *a, const struct cert_image *b)
{
    return a->w == b->w && a->h == b->h && a->stride == b->stride && a->data && b->data &&
           memcmp(a->data, b->data, (size_t)a->h * (size_t)a->stride) == 0;
}

/* Between visits the print worker gives back what cairo keeps of a
 * certificate (cert_fonts_release): its faces (their font files
 * unmapped) and cairo's scaled fonts and glyphs, about 3 MB; never while
 * a composition runs; and the next certificate is the same. */
static void test_release(void)
{
    struct cert_options o = {0};
    struct cert_image first = {0}, again = {0};
    print_fixture_cert(&cert, 3);
    CHECK_EQ_INT(cert_render_preview(&cert, &o, 595, &first), 0); /* fontconfig's caches too */
    CHECK(cert_fonts_release());
    CHECK_EQ_INT(filemap_count(), 0);
    size_t base = heap_in_use();
    struct buf pdf;
    CHECK(render_to(&cert, false, "release", &pdf) >= 1);
    buf_fini(&pdf);
    CHECK(filemap_count() >= 1);
    size_t kept = heap_in_use();
    cert_cairo_enter(); /* a slip composing on another thread */
    CHECK(!cert_fonts_release());
    CHECK(filemap_count() >= 1);
    cert_cairo_leave();
    CHECK(cert_fonts_release());
    CHECK_EQ_INT(filemap_count(), 0);
    size_t after = heap_in_use();
    if (base > 0) {
        printf("heap in use: %zu kB before a certificate, %zu kB after, %zu kB given back\n",
               base / 1024, kept / 1024, after / 1024);
        CHECK(kept > base + 1024 * 1024);
        CHECK(after < base + 256 * 1024);
    }
    CHECK_EQ_INT(cert_render_preview(&cert, &o, 595, &again), 0);
    CHECK(same_preview(&first, &again));
    cert_image_fini(&first);
    cert_image_fini(&again);
}

int main(void)
{
    if (!ptu_have("pdftotext") || !ptu_have("pdftoppm") || !ptu_have("zbarimg") ||
        !ptu_have("pdfinfo")) {
        fprintf(stderr, "poppler-utils and zbar-tools are needed (system/deploy/bootstrap.sh)\n");
        return 1;
    }
    test_wrap();
    test_formatters();
    test_three_properties();
    test_demo_mark();
    test_qr_decodes();
    test_pagination();
    test_pdf_matches_preview();
    test_no_properties();
    test_long_address_and_kinds();
    test_preview();
    test_invalid();
    test_fonts_mapped_once();
    test_release();
    ptu_cleanup();
    return check_report("print_compose_test");
}
