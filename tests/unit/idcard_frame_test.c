/* idcard_frame_test.c - the GA/T 467 frame codec: layout, SW3 table, stream decoding.
 *
 * Frames are built here from their fields, so the test doubles as the
 * format's description:
 *   AA AA AA 96 69 | Len (2 bytes, big-endian, counts body + CHK) | body | CHK
 *   body = CMD Para Data (request) or SW1 SW2 SW3 Data (reply)
 *   CHK  = XOR of Len1, Len2 and every body byte
 */
#include "base/err.h"
#include "check.h"
#include "drivers/idcard/sam_frame.h"

#include <stdint.h>
#include <string.h>

/* Builds a frame from its body the long way, independent of the encoder. */
static size_t build(uint8_t *out, const uint8_t *body, size_t n)
{
    size_t len = n + 1;
    out[0] = 0xAA;
    out[1] = 0xAA;
    out[2] = 0xAA;
    out[3] = 0x96;
    out[4] = 0x69;
    out[5] = (uint8_t)(len >> 8);
    out[6] = (uint8_t)len;
    uint8_t x = out[5] ^ out[6];
    for (size_t i = 0; i < n; i++) {
        out[7 + i] = body[i];
        x ^= body[i];
    }
    out[7 + n] = x;
    return 8 + n;
}

/* Worked examples from vendor documents (see sam_frame.c). */
static void test_known_vectors(void)
{
    static const struct {
        enum sam_command cmd;
        uint8_t bytes[10];
    } reqs[] = {
        {SAM_CMD_FIND, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22}},
        {SAM_CMD_SELECT, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21}},
        {SAM_CMD_READ_BASE, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32}},
        {SAM_CMD_READ_FULL, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x10, 0x23}},
        {SAM_CMD_SAM_ID, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x12, 0xFF, 0xEE}},
        {SAM_CMD_STATUS, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x11, 0xFF, 0xED}},
        {SAM_CMD_READ_ADDRESS, {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x03, 0x30}},
    };
    uint8_t out[32];
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        int n = sam_frame_encode_command(reqs[i].cmd, NULL, 0, out, sizeof out);
        CHECK_EQ_INT(n, 10);
        CHECK(memcmp(out, reqs[i].bytes, 10) == 0);
    }
    /* Set max RF bytes carries one data byte: ...00 04 61 FF 50 CA. */
    const uint8_t rf = 0x50;
    static const uint8_t rf_frame[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                       0x04, 0x61, 0xFF, 0x50, 0xCA};
    CHECK_EQ_INT(sam_frame_encode_command(SAM_CMD_SET_RF_MAX, &rf, 1, out, sizeof out), 11);
    CHECK(memcmp(out, rf_frame, 11) == 0);

    /* Replies: no card, decode failure, auth failure, find ok. */
    static const uint8_t no_card[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                      0x04, 0x00, 0x00, 0x80, 0x84};
    static const uint8_t read_fail[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                        0x04, 0x00, 0x00, 0x41, 0x45};
    static const uint8_t auth_fail[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                        0x04, 0x00, 0x00, 0x32, 0x36};
    static const uint8_t find_ok[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00,
                                      0x00, 0x9F, 0x00, 0x00, 0x00, 0x00, 0x97};
    CHECK_EQ_INT(sam_frame_encode_reply(0, 0, 0x80, NULL, 0, out, sizeof out), 11);
    CHECK(memcmp(out, no_card, 11) == 0);
    CHECK_EQ_INT(sam_frame_encode_reply(0, 0, 0x41, NULL, 0, out, sizeof out), 11);
    CHECK(memcmp(out, read_fail, 11) == 0);
    CHECK_EQ_INT(sam_frame_encode_reply(0, 0, 0x32, NULL, 0, out, sizeof out), 11);
    CHECK(memcmp(out, auth_fail, 11) == 0);
    static const uint8_t four[4];
    CHECK_EQ_INT(sam_frame_encode_reply(0, 0, 0x9F, four, 4, out, sizeof out), 15);
    CHECK(memcmp(out, find_ok, 15) == 0);

    /* Select reply: 00 0C 00 00 90 + 8 zero bytes, CHK 9C. */
    static const uint8_t eight[8];
    CHECK_EQ_INT(sam_frame_encode_reply(0, 0, 0x90, eight, 8, out, sizeof out), 19);
    CHECK_EQ_INT(out[6], 0x0C);
    CHECK_EQ_INT(out[18], 0x9C);

    /* Too small a buffer. */
    CHECK_EQ_INT(sam_frame_encode_command(SAM_CMD_FIND, NULL, 0, out, 9), ERR_TOOBIG);
}

/* The full 30 01 reply is 1295 bytes with Len 0x0508. */
static void test_base_reply(void)
{
    static uint8_t text[SAM_FRAME_TEXT_LEN], photo[SAM_FRAME_PHOTO_LEN];
    static uint8_t data[4 + SAM_FRAME_TEXT_LEN + SAM_FRAME_PHOTO_LEN], frame[SAM_FRAME_MAX + 8];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof photo; i++)
        photo[i] = (uint8_t)(i * 7);
    int dn = sam_frame_encode_base(text, photo, sizeof photo, data, sizeof data);
    CHECK_EQ_INT(dn, 1284);
    CHECK_EQ_INT(data[0], 0x01);
    CHECK_EQ_INT(data[1], 0x00);
    CHECK_EQ_INT(data[2], 0x04);
    CHECK_EQ_INT(data[3], 0x00);
    int n = sam_frame_encode_reply(0, 0, 0x90, data, (size_t)dn, frame, sizeof frame);
    CHECK_EQ_INT(n, 1295);
    CHECK_EQ_INT(SAM_FRAME_BASE_MAX, 1295);
    CHECK_EQ_INT(frame[5], 0x05);
    CHECK_EQ_INT(frame[6], 0x08);
    CHECK(memcmp(frame + 14, text, 256) == 0);    /* text at byte 14 */
    CHECK(memcmp(frame + 270, photo, 1024) == 0); /* photo at 270 */

    struct sam_frame_decoder d;
    sam_frame_decoder_init(&d);
    struct sam_frame f;
    struct sam_reply r;
    size_t used;
    CHECK_EQ_INT(sam_frame_decode(&d, frame, (size_t)n, &used, &f), 1);
    CHECK_EQ_INT(used, 1295);
    CHECK_EQ_INT(sam_frame_parse_reply(&f, &r), 0);
    CHECK_EQ_INT(r.sw3, 0x90);
    const uint8_t *t, *p;
    size_t plen;
    CHECK_EQ_INT(sam_frame_parse_base(&r, &t, &p, &plen), 0);
    CHECK_EQ_INT(plen, 1024);
    CHECK(memcmp(t, text, 256) == 0);
    CHECK(memcmp(p, photo, 1024) == 0);

    /* A data block whose lengths lie is refused. */
    data[1] = 0x01; /* text length 0x0101 */
    r.data = data;
    r.data_len = (size_t)dn;
    CHECK_EQ_INT(sam_frame_parse_base(&r, &t, &p, &plen), ERR_PROTOCOL);
    data[1] = 0x00;
    r.data_len = 100; /* shorter than the lengths promise */
    CHECK_EQ_INT(sam_frame_parse_base(&r, &t, &p, &plen), ERR_PROTOCOL);
    r.data_len = 3;
    CHECK_EQ_INT(sam_frame_parse_base(&r, &t, &p, &plen), ERR_PROTOCOL);
    /* A frame longer than the largest reply cannot be encoded. */
    static uint8_t big[SAM_FRAME_MAX];
    CHECK_EQ_INT(sam_frame_encode_reply(0, 0, 0x90, big, sizeof big, frame, sizeof frame),
                 ERR_TOOBIG);
}

/* Every SW3 code of the standard's table has a name and a meaning, and
 * survives a round trip through the codec. */
static void test_status_table(void)
{
    static const uint8_t expect[] = {0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31,
                                     0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81};
    CHECK_EQ_INT(sam_frame_status_count, sizeof expect);
    struct sam_frame_decoder d;
    sam_frame_decoder_init(&d);
    for (size_t i = 0; i < sizeof expect; i++) {
        int sw3 = expect[i];
        CHECK(sam_frame_status_is_known(sw3));
        CHECK(strcmp(sam_frame_status_name(sw3), "unknown") != 0);
        CHECK(strcmp(sam_frame_status_str(sw3), "unknown SAM status") != 0);
        uint8_t body[3] = {0x00, 0x00, (uint8_t)sw3}, frame[16];
        size_t n = build(frame, body, 3);
        struct sam_frame f;
        struct sam_reply r;
        size_t used;
        CHECK_EQ_INT(sam_frame_decode(&d, frame, n, &used, &f), 1);
        CHECK_EQ_INT(sam_frame_parse_reply(&f, &r), 0);
        CHECK_EQ_INT(r.sw3, sw3);
        CHECK_EQ_INT(r.data_len, 0);
    }
    /* Names are distinct. */
    for (size_t i = 0; i < sizeof expect; i++)
        for (size_t j = i + 1; j < sizeof expect; j++)
            CHECK(strcmp(sam_frame_status_name(expect[i]), sam_frame_status_name(expect[j])) != 0);
    CHECK(!sam_frame_status_is_known(0x00));
    CHECK(!sam_frame_status_is_known(0x55));
    CHECK_EQ_STR(sam_frame_status_name(0x55), "unknown");
    CHECK_EQ_STR(sam_frame_status_name(SAM_STATUS_NONE), "unknown");
    CHECK_EQ_STR(sam_frame_status_name(0x9F), "find_ok");
    CHECK_EQ_STR(sam_frame_status_name(0x80), "find_failed");
}

/* Feeds stream in pieces of piece bytes; collects SW3 of frames and the
 * count of errors. */
struct collected {
    int sw3[16];
    int n;
    int errors[16];
    int n_err;
};

static void feed(struct sam_frame_decoder *d, const uint8_t *s, size_t n, size_t piece,
                 struct collected *c)
{
    size_t off = 0;
    while (off < n) {
        size_t k = n - off < piece ? n - off : piece;
        const uint8_t *p = s + off;
        size_t rest = k;
        for (;;) {
            size_t used;
            struct sam_frame f;
            int r = sam_frame_decode(d, p, rest, &used, &f);
            p += used;
            rest -= used;
            if (r == 0)
                break;
            if (r == 1) {
                struct sam_reply rp;
                if (sam_frame_parse_reply(&f, &rp) == 0 && c->n < 16)
                    c->sw3[c->n++] = rp.sw3;
            } else if (c->n_err < 16) {
                c->errors[c->n_err++] = r;
            }
        }
        CHECK_EQ_INT(rest, 0);
        off += k;
    }
}

static void test_stream(void)
{
    uint8_t s[256];
    size_t n = 0;
    const uint8_t garbage[] = {0x00, 0xAA, 0xAA, 0x12, 0xAA, 0xAA, 0xAA, 0x96, 0x00, 0xFF, 0x69};
    memcpy(s + n, garbage, sizeof garbage);
    n += sizeof garbage;
    uint8_t b1[] = {0x00, 0x00, 0x9F, 0x00, 0x00, 0x00, 0x00};
    n += build(s + n, b1, sizeof b1);
    /* AA AA AA AA 96 69: an extra sync byte before a frame. */
    s[n++] = 0xAA;
    uint8_t b2[] = {0x00, 0x00, 0x90, 1, 2, 3, 4, 5, 6, 7, 8};
    n += build(s + n, b2, sizeof b2);
    uint8_t b3[] = {0x00, 0x00, 0x80};
    n += build(s + n, b3, sizeof b3);

    /* Every split, from byte-by-byte to all at once, yields the same. */
    for (size_t piece = 1; piece <= n; piece++) {
        struct sam_frame_decoder d;
        sam_frame_decoder_init(&d);
        struct collected c = {0};
        feed(&d, s, n, piece, &c);
        CHECK_EQ_INT(c.n, 3);
        CHECK_EQ_INT(c.sw3[0], 0x9F);
        CHECK_EQ_INT(c.sw3[1], 0x90);
        CHECK_EQ_INT(c.sw3[2], 0x80);
        CHECK_EQ_INT(c.n_err, 0);
    }
}

static void test_damage(void)
{
    struct sam_frame_decoder d;
    uint8_t s[256];
    size_t n;
    struct collected c;

    /* Bad checksum: dropped, reported, the next good frame still decodes. */
    sam_frame_decoder_init(&d);
    uint8_t b[] = {0x00, 0x00, 0x90, 0x11, 0x22};
    n = build(s, b, sizeof b);
    s[n - 1] ^= 0x01;
    n += build(s + n, b, sizeof b);
    memset(&c, 0, sizeof c);
    feed(&d, s, n, n, &c);
    CHECK_EQ_INT(c.n, 1);
    CHECK_EQ_INT(c.n_err, 1);
    CHECK_EQ_INT(c.errors[0], ERR_CHECKSUM);

    /* A damaged data byte is caught the same way. */
    sam_frame_decoder_init(&d);
    n = build(s, b, sizeof b);
    s[9] ^= 0x40;
    memset(&c, 0, sizeof c);
    feed(&d, s, n, 3, &c);
    CHECK_EQ_INT(c.n, 0);
    CHECK_EQ_INT(c.n_err, 1);
    CHECK_EQ_INT(c.errors[0], ERR_CHECKSUM);

    /* Len below the minimum (CMD Para CHK = 3). */
    sam_frame_decoder_init(&d);
    const uint8_t tiny[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x02, 0x00, 0x02};
    memcpy(s, tiny, sizeof tiny);
    n = sizeof tiny + build(s + sizeof tiny, b, sizeof b);
    memset(&c, 0, sizeof c);
    feed(&d, s, n, 1, &c);
    CHECK_EQ_INT(c.n_err, 1);
    CHECK_EQ_INT(c.errors[0], ERR_PROTOCOL);
    CHECK_EQ_INT(c.n, 1);

    /* Len beyond the largest reply (0xFFFF). */
    sam_frame_decoder_init(&d);
    const uint8_t huge[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF, 0x00, 0x00, 0x90};
    memcpy(s, huge, sizeof huge);
    n = sizeof huge + build(s + sizeof huge, b, sizeof b);
    memset(&c, 0, sizeof c);
    feed(&d, s, n, 4, &c);
    CHECK_EQ_INT(c.n_err, 1);
    CHECK_EQ_INT(c.errors[0], ERR_TOOBIG);
    CHECK_EQ_INT(c.n, 1);

    /* A truncated frame followed by a whole one: the truncated one's Len
     * swallows the next preamble, fails its checksum, and the decoder
     * finds the good frame inside the bad span. */
    sam_frame_decoder_init(&d);
    uint8_t longer[40] = {0x00, 0x00, 0x90};
    n = build(s, longer, sizeof longer);
    n = n / 2;
    n += build(s + n, b, sizeof b);
    /* pad so the truncated frame's promised length is reached */
    memset(s + n, 0x00, 40);
    n += 40;
    memset(&c, 0, sizeof c);
    feed(&d, s, n, 7, &c);
    CHECK_EQ_INT(c.n, 1);
    CHECK(c.n_err >= 1);

    /* Reset drops a partial frame. */
    sam_frame_decoder_init(&d);
    n = build(s, b, sizeof b);
    memset(&c, 0, sizeof c);
    feed(&d, s, 6, 6, &c);
    sam_frame_decoder_reset(&d);
    feed(&d, s + 6, n - 6, n, &c);
    CHECK_EQ_INT(c.n, 0);
    feed(&d, s, n, n, &c);
    CHECK_EQ_INT(c.n, 1);

    /* Requests parse as CMD Para Data. */
    sam_frame_decoder_init(&d);
    uint8_t req[16];
    const uint8_t rf = 0x50;
    int rn = sam_frame_encode_command(SAM_CMD_SET_RF_MAX, &rf, 1, req, sizeof req);
    size_t used;
    struct sam_frame f;
    struct sam_request rq;
    CHECK_EQ_INT(sam_frame_decode(&d, req, (size_t)rn, &used, &f), 1);
    CHECK_EQ_INT(sam_frame_parse_request(&f, &rq), 0);
    CHECK_EQ_INT(rq.cmd, 0x61);
    CHECK_EQ_INT(rq.para, 0xFF);
    CHECK_EQ_INT(rq.data_len, 1);
    CHECK_EQ_INT(rq.data[0], 0x50);
    /* A 3-byte body is a request but too short for a reply. */
    struct sam_reply rp;
    rn = sam_frame_encode_command(SAM_CMD_FIND, NULL, 0, req, sizeof req);
    CHECK_EQ_INT(sam_frame_decode(&d, req, (size_t)rn, &used, &f), 1);
    CHECK_EQ_INT(sam_frame_parse_reply(&f, &rp), ERR_PROTOCOL);
    /* Zero-length calls with nothing buffered. */
    CHECK_EQ_INT(sam_frame_decode(&d, NULL, 0, &used, &f), 0);
    CHECK_EQ_INT(used, 0);
}

/* Two frames in one read: the second comes out on the next call. */
static void test_two_in_one(void)
{
    struct sam_frame_decoder d;
    sam_frame_decoder_init(&d);
    uint8_t s[64];
    uint8_t a[] = {0x00, 0x00, 0x9F}, b[] = {0x00, 0x00, 0x90};
    size_t n = build(s, a, sizeof a);
    n += build(s + n, b, sizeof b);
    size_t used;
    struct sam_frame f;
    struct sam_reply r;
    CHECK_EQ_INT(sam_frame_decode(&d, s, n, &used, &f), 1);
    CHECK_EQ_INT(sam_frame_parse_reply(&f, &r), 0);
    CHECK_EQ_INT(r.sw3, 0x9F);
    const uint8_t *rest = s + used;
    size_t left = n - used;
    CHECK_EQ_INT(sam_frame_decode(&d, rest, left, &used, &f), 1);
    CHECK_EQ_INT(sam_frame_parse_reply(&f, &r), 0);
    CHECK_EQ_INT(r.sw3, 0x90);
    left -= used;
    CHECK_EQ_INT(sam_frame_decode(&d, rest + used, left, &used, &f), 0);
}

/* 30 10 reply data, laid out by hand: text, photo and fingerprint lengths
 * (big-endian), text, photo, fingerprint. Returns its length. */
static size_t full_data(uint8_t *d, const uint8_t *text, const uint8_t *photo, size_t fp_len)
{
    d[0] = 0x01; /* text 0x0100 */
    d[1] = 0x00;
    d[2] = 0x04; /* photo 0x0400 */
    d[3] = 0x00;
    d[4] = (uint8_t)(fp_len >> 8);
    d[5] = (uint8_t)fp_len;
    memcpy(d + 6, text, 256);
    memcpy(d + 262, photo, 1024);
    for (size_t i = 0; i < fp_len; i++)
        d[1286 + i] = (uint8_t)(0xF0 ^ i); /* made-up template bytes */
    return 1286 + fp_len;
}

/* The 30 10 reply: 1297 bytes without a fingerprint, 1809 with one
 * template, 2321 with two; decoded, split, its fingerprint only measured. */
static void test_full_reply(void)
{
    static uint8_t text[256], photo[1024], body[3 + 2400], data[2400], frame[2400], enc[2400];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (uint8_t)(i * 3);
    text[248] = ' '; /* resident card */
    text[249] = 0;
    for (size_t i = 0; i < sizeof photo; i++)
        photo[i] = (uint8_t)(i * 7);
    static const size_t fps[] = {0, 512, 1024};
    static const size_t totals[] = {1297, 1809, 2321};
    CHECK_EQ_INT(SAM_FRAME_MAX, 2321);
    for (size_t k = 0; k < 3; k++) {
        body[0] = body[1] = 0;
        body[2] = 0x90;
        size_t dn = full_data(body + 3, text, photo, fps[k]);
        size_t n = build(frame, body, 3 + dn);
        CHECK_EQ_INT(n, totals[k]);
        /* The encoder lays out the same bytes. */
        int en = sam_frame_encode_full(text, photo, sizeof photo, body + 3 + 1286, fps[k], data,
                                       sizeof data);
        CHECK_EQ_INT(en, (int)dn);
        CHECK(memcmp(data, body + 3, dn) == 0);
        CHECK_EQ_INT(sam_frame_encode_reply(0, 0, 0x90, data, dn, enc, sizeof enc), (int)n);
        CHECK(memcmp(enc, frame, n) == 0);

        struct sam_frame_decoder d;
        sam_frame_decoder_init(&d);
        struct sam_frame f;
        struct sam_reply r;
        size_t used;
        CHECK_EQ_INT(sam_frame_decode(&d, frame, n, &used, &f), 1);
        CHECK_EQ_INT(used, n);
        CHECK_EQ_INT(sam_frame_parse_reply(&f, &r), 0);
        struct sam_card_data c;
        CHECK_EQ_INT(sam_frame_parse_card(r.data, r.data_len, r.data_len, &c), 0);
        CHECK(c.full);
        CHECK_EQ_INT(c.fingerprint_len, fps[k]);
        CHECK_EQ_INT(c.photo_len, 1024);
        CHECK_EQ_INT(c.photo_have, 1024);
        CHECK(c.text == r.data + 6 && memcmp(c.text, text, 256) == 0);
        CHECK(memcmp(c.photo, photo, 1024) == 0);
        /* Not a 30 01 reply. */
        const uint8_t *t, *p;
        size_t plen;
        CHECK_EQ_INT(sam_frame_parse_base(&r, &t, &p, &plen), ERR_PROTOCOL);
        /* Fed in pieces of 64, as a USB reader sends it. */
        sam_frame_decoder_init(&d);
        size_t off = 0;
        int got = 0;
        while (off < n && !got) {
            size_t k2 = n - off < 64 ? n - off : 64;
            got = sam_frame_decode(&d, frame + off, k2, &used, &f);
            off += used;
        }
        CHECK_EQ_INT(got, 1);
        CHECK_EQ_INT(f.raw_len, n);
    }
    /* A 30 01 reply's data is not taken for 30 10. */
    int bn = sam_frame_encode_base(text, photo, sizeof photo, data, sizeof data);
    struct sam_card_data c;
    CHECK_EQ_INT(sam_frame_parse_card(data, (size_t)bn, (size_t)bn, &c), 0);
    CHECK(!c.full);
    CHECK_EQ_INT(c.fingerprint_len, 0);
    CHECK(c.text == data + 4);
    /* Lengths that lie: a fingerprint over 1024 bytes, data too short. */
    size_t dn = full_data(data, text, photo, 1024);
    data[4] = 0x05; /* 0x0500: not 30 10 data (30 01 data with bytes after it) */
    CHECK_EQ_INT(sam_frame_parse_card(data, dn, dn, &c), 0);
    CHECK(!c.full);
    data[4] = 0x04;
    CHECK_EQ_INT(sam_frame_parse_card(data, dn, dn, &c), 0);
    CHECK_EQ_INT(sam_frame_parse_card(data, 200, 200, &c), ERR_PROTOCOL);
    CHECK_EQ_INT(sam_frame_encode_full(text, photo, 1024, NULL, 1025, enc, sizeof enc),
                 ERR_INVALID);
    CHECK_EQ_INT(sam_frame_encode_full(text, photo, 1024, photo, 1024, enc, 2000), ERR_TOOBIG);
    /* Len one beyond the largest reply is still refused. */
    body[0] = body[1] = 0;
    body[2] = 0x90;
    static uint8_t big[2400];
    size_t n = build(big, body, SAM_FRAME_MAX - 7); /* Len = SAM_FRAME_MAX - 6 */
    struct sam_frame_decoder d;
    sam_frame_decoder_init(&d);
    struct sam_frame f;
    size_t used;
    CHECK_EQ_INT(sam_frame_decode(&d, big, n, &used, &f), ERR_TOOBIG);
}

/* A capture cut inside a 30 10 reply: the decoder shows what it holds. */
static void test_partial(void)
{
    static uint8_t text[256], photo[1024], body[2400], frame[2400];
    memset(text, 0x20, sizeof text);
    text[249] = 0;
    body[2] = 0x90;
    size_t dn = full_data(body + 3, text, photo, 1024);
    size_t n = build(frame, body, 3 + dn);
    struct sam_frame_decoder d;
    sam_frame_decoder_init(&d);
    struct sam_frame f;
    size_t used, declared = 0;
    CHECK(!sam_frame_decoder_partial(&d, &f, &declared));
    CHECK_EQ_INT(sam_frame_decode(&d, frame, 1000, &used, &f), 0);
    CHECK(sam_frame_decoder_partial(&d, &f, &declared));
    CHECK_EQ_INT(declared, n);
    CHECK_EQ_INT(f.raw_len, 1000);
    CHECK_EQ_INT(f.body_len, 993);
    struct sam_card_data c;
    CHECK_EQ_INT(sam_frame_parse_card(f.body + 3, declared - 11, f.body_len - 3, &c), 0);
    CHECK(c.full);
    CHECK_EQ_INT(c.fingerprint_len, 1024);
    CHECK_EQ_INT(c.photo_have, 1000 - 10 - 6 - 256);
    /* Too little for the text block. */
    CHECK_EQ_INT(sam_frame_parse_card(f.body + 3, declared - 11, 100, &c), ERR_PROTOCOL);
    /* Only part of a preamble: nothing to show. */
    sam_frame_decoder_init(&d);
    CHECK_EQ_INT(sam_frame_decode(&d, frame, 6, &used, &f), 0);
    CHECK(!sam_frame_decoder_partial(&d, &f, &declared));
}

/* Bytes without a header: what they look like. */
static void test_guess(void)
{
    static uint8_t text[256], photo[1024], body[2400], frame[2400], b[2400];
    memset(text, 0x20, sizeof text);
    for (size_t i = 1; i < sizeof text; i += 2)
        text[i] = 0;
    body[2] = 0x90;
    size_t dn = full_data(body + 3, text, photo, 512);
    size_t n = build(frame, body, 3 + dn);
    size_t at = 99, len = 0;
    /* The frame less its preamble, or less part of it. */
    CHECK_EQ_INT(sam_frame_guess(frame + 5, n - 5, &at, &len), SAM_GUESS_NO_PREAMBLE);
    CHECK_EQ_INT(at, 5);
    CHECK_EQ_INT(sam_frame_guess(frame + 3, n - 3, &at, &len), SAM_GUESS_NO_PREAMBLE);
    CHECK_EQ_INT(at, 7);
    /* SW1 SW2 SW3 and data, with and without the CHK. */
    CHECK_EQ_INT(sam_frame_guess(frame + 7, n - 7, &at, &len), SAM_GUESS_REPLY_BODY);
    CHECK_EQ_INT(at, 3);
    CHECK_EQ_INT(len, dn); /* the CHK left out */
    CHECK_EQ_INT(sam_frame_guess(frame + 7, n - 8, &at, &len), SAM_GUESS_REPLY_BODY);
    CHECK_EQ_INT(len, dn);
    /* 30 10 data, 30 01 data. */
    CHECK_EQ_INT(sam_frame_guess(body + 3, dn, &at, &len), SAM_GUESS_FULL_DATA);
    CHECK_EQ_INT(at, 0);
    int bn = sam_frame_encode_base(text, photo, sizeof photo, b, sizeof b);
    CHECK_EQ_INT(sam_frame_guess(b, (size_t)bn, &at, &len), SAM_GUESS_BASE_DATA);
    /* Text and photo, no length words: 1,280 bytes; text alone. */
    CHECK_EQ_INT(sam_frame_guess(b + 4, 1280, &at, &len), SAM_GUESS_TEXT_PHOTO);
    CHECK_EQ_INT(sam_frame_guess(b + 4, 256, &at, &len), SAM_GUESS_TEXT);
    /* Anything else, and nothing. */
    memset(b, 0x11, 300);
    CHECK_EQ_INT(sam_frame_guess(b, 300, &at, &len), SAM_GUESS_NOTHING);
    CHECK_EQ_INT(sam_frame_guess(b, 0, &at, &len), SAM_GUESS_NOTHING);
    CHECK(strstr(sam_frame_guess_str(SAM_GUESS_TEXT_PHOTO), "text+photo payload") != NULL);
    CHECK(strstr(sam_frame_guess_str(SAM_GUESS_NOTHING), "AA AA AA 96 69") != NULL);
}

int main(void)
{
    test_full_reply();
    test_partial();
    test_guess();
    test_known_vectors();
    test_base_reply();
    test_status_table();
    test_stream();
    test_damage();
    test_two_in_one();
    return check_report("idcard_frame_test");
}
