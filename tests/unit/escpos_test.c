/* escpos_test.c - ESC/POS encoder golden bytes, every status bit, the IN
 * pipe scanner, and the decoder giving back the picture that was encoded. */
#include "base/buf.h"
#include "base/err.h"
#include "check.h"
#include "drivers/escpos/escpos.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_golden(void)
{
    struct buf b;
    buf_init(&b, 4096);
    CHECK_EQ_INT(escpos_encode_init(&b), 0);
    CHECK_EQ_INT(escpos_encode_feed_dots(&b, 24), 0);
    CHECK_EQ_INT(escpos_encode_cut(&b, 48, true), 0);
    CHECK_EQ_INT(escpos_encode_cut(&b, 0, false), 0);
    CHECK_EQ_INT(escpos_encode_asb(&b, ESCPOS_ASB_ONLINE | ESCPOS_ASB_ERROR | ESCPOS_ASB_PAPER), 0);
    CHECK_EQ_INT(escpos_encode_recover(&b, 2), 0);
    CHECK_EQ_INT(escpos_encode_marker(&b), 0);
    static const uint8_t want[] = {0x1B, 0x40, 0x1B, 0x4A, 24,   0x1D, 0x56, 66,
                                   48,   0x1D, 0x56, 65,   0,    0x1D, 0x61, 0x0E,
                                   0x10, 0x05, 0x02, 0x1D, 0x72, 0x01};
    CHECK_EQ_INT(b.len, sizeof want);
    CHECK(b.len == sizeof want && memcmp(b.data, want, sizeof want) == 0);
    CHECK_EQ_INT(escpos_encode_feed_dots(&b, 256), ERR_INVALID);
    CHECK_EQ_INT(escpos_encode_asb(&b, 0x10), ERR_INVALID);
    CHECK_EQ_INT(escpos_encode_recover(&b, 3), ERR_INVALID);
    uint8_t q[3];
    CHECK_EQ_INT(escpos_encode_status_query(q, 4), 0);
    CHECK(q[0] == 0x10 && q[1] == 0x04 && q[2] == 4);
    CHECK_EQ_INT(escpos_encode_status_query(q, 5), ERR_INVALID);

    /* A 16x3 image in bands of 24 rows: one band, header then rows. */
    buf_reset(&b);
    uint8_t img[3 * 4] = {0xF0, 0x0F, 0, 0, 0xAA, 0x55, 0, 0, 0x01, 0x80, 0, 0};
    CHECK_EQ_INT(escpos_encode_raster(&b, img, 16, 3, 4, 24), 0);
    static const uint8_t want2[] = {0x1D, 0x76, 0x30, 0,    2,    0,    3,
                                    0,    0xF0, 0x0F, 0xAA, 0x55, 0x01, 0x80};
    CHECK(b.len == sizeof want2 && memcmp(b.data, want2, sizeof want2) == 0);
    /* 600 rows in bands of 256: 256 + 256 + 88. */
    buf_fini(&b);
    buf_init(&b, 1 << 20);
    uint8_t *big = calloc(600, 72);
    CHECK_EQ_INT(escpos_encode_raster(&b, big, 576, 600, 72, 256), 0);
    CHECK_EQ_INT(b.len, 3 * 8 + 600 * 72);
    CHECK(b.data[6] == 0 && b.data[7] == 1);
    CHECK(b.data[8 + 256 * 72 + 8 + 256 * 72 + 6] == 88);
    CHECK_EQ_INT(escpos_encode_raster(&b, big, 577, 10, 73, 24), ERR_INVALID);
    CHECK_EQ_INT(escpos_encode_raster(&b, big, 576, 10, 72, 257), ERR_INVALID);
    CHECK_EQ_INT(escpos_encode_raster(&b, big, 576, 10, 72, 23), ERR_INVALID);
    free(big);
    buf_fini(&b);
}

/* Every documented bit of DLE EOT 1..4 (hardware.md B4), one at a time. */
static void test_status_bits(void)
{
    static const struct {
        int n;
        uint8_t bit;
        size_t field; /* offset of the bool that must be set */
    } cases[] = {
        {1, 0x04, offsetof(struct escpos_status, drawer_high)},
        {1, 0x08, offsetof(struct escpos_status, offline)},
        {2, 0x04, offsetof(struct escpos_status, cover_open)},
        {2, 0x08, offsetof(struct escpos_status, feed_button)},
        {2, 0x20, offsetof(struct escpos_status, paper_end_stop)},
        {2, 0x40, offsetof(struct escpos_status, error)},
        {3, 0x04, offsetof(struct escpos_status, mechanical_error)},
        {3, 0x08, offsetof(struct escpos_status, cutter_error)},
        {3, 0x20, offsetof(struct escpos_status, unrecoverable)},
        {3, 0x40, offsetof(struct escpos_status, auto_recoverable)},
        {4, 0x04, offsetof(struct escpos_status, paper_near_end)},
        {4, 0x08, offsetof(struct escpos_status, paper_near_end)},
        {4, 0x20, offsetof(struct escpos_status, paper_end)},
        {4, 0x40, offsetof(struct escpos_status, paper_end)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct escpos_status st = {0};
        CHECK_EQ_INT(escpos_status_parse(cases[i].n, 0x12 | cases[i].bit, &st), 0);
        CHECK(*(bool *)((char *)&st + cases[i].field));
        CHECK_EQ_INT(st.have, 1u << (cases[i].n - 1));
        /* no other flag is set */
        int set = 0;
        for (size_t f = offsetof(struct escpos_status, drawer_high);
             f <= offsetof(struct escpos_status, paper_end); f++)
            set += *((unsigned char *)&st + f) != 0;
        CHECK_EQ_INT(set, 1);
        CHECK(escpos_status_blocks(&st) ==
              (cases[i].field != offsetof(struct escpos_status, drawer_high) &&
               cases[i].field != offsetof(struct escpos_status, feed_button) &&
               cases[i].field != offsetof(struct escpos_status, paper_near_end)));
    }
    struct escpos_status st = {0};
    CHECK_EQ_INT(escpos_status_parse(1, 0x12, &st), 0); /* all clear */
    CHECK(!st.offline && !escpos_status_blocks(&st));
    CHECK_EQ_INT(escpos_status_parse(1, 0x10, &st), ERR_PROTOCOL); /* bit 1 must be on */
    CHECK_EQ_INT(escpos_status_parse(1, 0x02, &st), ERR_PROTOCOL); /* bit 4 must be on */
    CHECK_EQ_INT(escpos_status_parse(1, 0x13, &st), ERR_PROTOCOL); /* bit 0 must be off */
    CHECK_EQ_INT(escpos_status_parse(1, 0x92, &st), ERR_PROTOCOL); /* bit 7 must be off */
    CHECK_EQ_INT(escpos_status_parse(0, 0x12, &st), ERR_INVALID);
    CHECK_EQ_INT(escpos_status_parse(5, 0x12, &st), ERR_INVALID);

    /* ASB: cover open, cutter error, paper end. */
    uint8_t asb[4] = {0x10 | 0x20, 0x08, 0x0C, 0x00};
    struct escpos_status a = {0};
    CHECK_EQ_INT(escpos_asb_parse(asb, &a), 0);
    CHECK(a.cover_open && a.cutter_error && a.paper_end && !a.paper_near_end && !a.offline);
    CHECK(a.have & ESCPOS_HAVE_ASB);
    uint8_t bad[4] = {0x12, 0, 0, 0};
    CHECK_EQ_INT(escpos_asb_parse(bad, &a), ERR_PROTOCOL);
}

static void test_in_scan(void)
{
    struct escpos_in in = {.expect = 4};
    /* ASB frame split in two reads, a DLE EOT 4 reply, XOFF, XON, a marker. */
    uint8_t p1[] = {0x18, 0x00};
    uint8_t p2[] = {0x03, 0x00, 0x13, 0x1E, 0x11};
    escpos_in_scan(&in, p1, sizeof p1);
    CHECK_EQ_INT(in.asb_frames, 0);
    escpos_in_scan(&in, p2, sizeof p2);
    CHECK_EQ_INT(in.asb_frames, 1);
    CHECK(in.st.offline && in.st.paper_near_end);
    CHECK_EQ_INT(in.replies, 1); /* 0x1E = 0x12 | near end bits */
    CHECK(!in.xoff);
    in.markers_expected = 1;
    uint8_t m[] = {0x00};
    escpos_in_scan(&in, m, 1);
    CHECK_EQ_INT(in.markers, 1);
    uint8_t junk[] = {0xFF, 0x80};
    escpos_in_scan(&in, junk, 2);
    CHECK_EQ_INT(in.junk, 2);
}

static void test_roundtrip(void)
{
    /* A pseudo-random picture 576 x 301 survives encode -> decode exactly,
     * whatever the band height and however the bytes are split. */
    int rows = 301;
    uint8_t *img = malloc((size_t)rows * 72);
    uint32_t x = 12345;
    for (int i = 0; i < rows * 72; i++) {
        x = x * 1103515245u + 12345u;
        img[i] = (uint8_t)(x >> 16);
    }
    int bands[] = {24, 100, 256};
    for (int k = 0; k < 3; k++) {
        struct buf b;
        buf_init(&b, 1 << 20);
        escpos_encode_init(&b);
        escpos_encode_raster(&b, img, 576, rows, 72, bands[k]);
        escpos_encode_feed_dots(&b, 10);
        escpos_encode_cut(&b, 20, true);
        escpos_encode_marker(&b);
        escpos_encode_init(&b);
        escpos_encode_raster(&b, img, 576, 5, 72, 24);
        escpos_encode_cut(&b, 0, false);
        struct escpos_page pg[3];
        int n = escpos_decode_all(b.data, b.len, pg, 3);
        CHECK_EQ_INT(n, 2);
        if (n == 2) {
            CHECK_EQ_INT(pg[0].rows, rows + 30);
            CHECK(memcmp(pg[0].bits, img, (size_t)rows * 72) == 0);
            CHECK_EQ_INT(pg[1].rows, 5);
            for (int i = 0; i < n; i++)
                escpos_page_fini(&pg[i]);
        }
        /* byte by byte through the streaming decoder */
        struct escpos_decoder d;
        escpos_decoder_init(&d, NULL, NULL);
        int rc = 0;
        for (size_t i = 0; i < b.len && !rc; i += 7)
            rc = escpos_decoder_feed(&d, b.data + i, b.len - i < 7 ? b.len - i : 7);
        CHECK_EQ_INT(rc, 0);
        CHECK_EQ_INT(d.cuts, 2);
        CHECK_EQ_INT(d.inits, 2);
        CHECK_EQ_INT(d.markers, 1);
        CHECK_EQ_INT(d.bands, (rows + bands[k] - 1) / bands[k] + 1);
        escpos_decoder_fini(&d);
        buf_fini(&b);
    }
    /* Text bytes are not something the kiosk sends: refused. */
    uint8_t text[] = {0x1B, 0x40, 'A'};
    struct escpos_page pg[1];
    CHECK_EQ_INT(escpos_decode_all(text, sizeof text, pg, 1), ERR_PROTOCOL);
    /* PNG of a page */
    struct escpos_page p = {.width = 576, .rows = 20, .stride = 72, .bits = img};
    char path[] = "/tmp/escpos_test_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    CHECK_EQ_INT(escpos_page_write_png(&p, path), 0);
    FILE *f = fopen(path, "rb");
    uint8_t sig[8] = {0};
    CHECK(f && fread(sig, 1, 8, f) == 8 && sig[1] == 'P' && sig[2] == 'N' && sig[3] == 'G');
    if (f)
        fclose(f);
    unlink(path);
    free(img);
}

static void test_take_status(void)
{
    /* A job marker, then the DLE EOT 4 reply (paper near end), then more. */
    uint8_t got[] = {0x00, 0x1E, 0x12, 0x00};
    uint8_t stash[4];
    size_t len = 0;
    struct escpos_status st = {0};
    CHECK_EQ_INT(escpos_take_status(4, got, sizeof got, &st, stash, &len, sizeof stash), 0);
    CHECK(st.paper_near_end);
    CHECK_EQ_INT(len, 3); /* everything but the one reply is kept, in order */
    CHECK(stash[0] == 0x00 && stash[1] == 0x12 && stash[2] == 0x00);
    /* No reply: all stashed, up to the stash's size. */
    uint8_t none[] = {0x00, 0x00};
    CHECK_EQ_INT(escpos_take_status(4, none, sizeof none, &st, stash, &len, sizeof stash),
                 ERR_EMPTY);
    CHECK_EQ_INT(len, 4);
}

int main(void)
{
    test_golden();
    test_take_status();
    test_status_bits();
    test_in_scan();
    test_roundtrip();
    return check_report("escpos_test");
}
