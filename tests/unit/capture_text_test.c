/* capture_text_test.c - captures as engineers paste them, back to bytes.
 *
 * The same 53 bytes (a no-card reply AA AA AA 96 69 00 04 00 00 80 84,
 * 40 zero bytes, "AB") as xxd, hexdump -C, od and base64 print them (the
 * texts below are those tools' output), as plain hex and as C and Java
 * arrays; then texts that break their format, each with its line and the
 * sentence that says why.
 */
#include "base/err.h"
#include "check.h"
#include "tool/capture_text.h"

#include <stdint.h>
#include <string.h>

static uint8_t want[53];

static const struct {
    const char *what, *text;
    enum capture_format format;
    size_t len; /* bytes of want; 11: the reply alone */
} good[] = {
    {"xxd",
     "00000000: aaaa aa96 6900 0400 0080 8400 0000 0000  ....i...........\n"
     "00000010: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
     "00000020: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
     "00000030: 0000 0041 42                             ...AB\n",
     CAPTURE_XXD, 53},
    {"xxd -g1, CRLF",
     "00000000: aa aa aa 96 69 00 04 00 00 80 84 00 00 00 00 00  ....i...........\r\n"
     "00000010: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\r\n"
     "00000020: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\r\n"
     "00000030: 00 00 00 41 42                                   ...AB\r\n",
     CAPTURE_XXD, 53},
    {"hexdump -C, a '*' line",
     "00000000  aa aa aa 96 69 00 04 00  00 80 84 00 00 00 00 00  |....i...........|\n"
     "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
     "*\n"
     "00000030  00 00 00 41 42                                    |...AB|\n"
     "00000035\n",
     CAPTURE_HEXDUMP, 53},
    {"od -tx1 (octal offsets), a '*' line",
     "0000000 aa aa aa 96 69 00 04 00 00 80 84 00 00 00 00 00\n"
     "0000020 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
     "*\n"
     "0000060 00 00 00 41 42\n"
     "0000065\n",
     CAPTURE_OD, 53},
    {"od -Ax -tx1",
     "000000 aa aa aa 96 69 00 04 00 00 80 84 00 00 00 00 00\n"
     "000010 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
     "*\n"
     "000030 00 00 00 41 42\n"
     "000035\n",
     CAPTURE_OD, 53},
    {"od -Ad -tx1",
     "0000000 aa aa aa 96 69 00 04 00 00 80 84 00 00 00 00 00\n"
     "0000016 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
     "*\n"
     "0000048 00 00 00 41 42\n"
     "0000053\n",
     CAPTURE_OD, 53},
    {"od -v -An -tx1",
     " aa aa aa 96 69 00 04 00 00 80 84 00 00 00 00 00\n"
     " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
     " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
     " 00 00 00 41 42\n",
     CAPTURE_HEX, 53},
    {"xxd -p",
     "aaaaaa966900040000808400000000000000000000000000000000000000\n"
     "0000000000000000000000000000000000000000004142\n",
     CAPTURE_HEX, 53},
    {"plain hex, separators", "AA:AA:AA-96-69,00,04 00 00 80 84", CAPTURE_HEX, 11},
    {"xxd -i",
     "unsigned char idt_bin[] = {\n"
     "  0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x80, 0x84, 0x00,\n"
     "  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,\n"
     "  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,\n"
     "  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,\n"
     "  0x00, 0x00, 0x00, 0x41, 0x42\n"
     "};\n"
     "unsigned int idt_bin_len = 53;\n",
     CAPTURE_ARRAY, 53},
    {"Java array",
     "byte[] reply = {(byte) 0xAA, (byte) 0xAA, (byte) 0xAA, (byte) 0x96, 0x69, 0x0,\n"
     "    0x04, 0x00, 0x00, (byte) 0x80, (byte) 0x84};\n",
     CAPTURE_ARRAY, 11},
    {"C string", "\"\\xAA\\xaa\\xAA\\x96\\x69\\x00\\x04\\x00\\x00\\x80\\x84\"", CAPTURE_ARRAY, 11},
    {"base64", "qqqqlmkABAAAgIQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQUI=\n",
     CAPTURE_BASE64, 53},
    {"base64, wrapped", "qqqqlmkA\nBAAAgIQ=\n", CAPTURE_BASE64, 11},
};

static const struct {
    const char *what, *text;
    enum capture_format format;
    size_t line;
    const char *says;
} bad[] = {
    {"od -An with a '*' line",
     " aa aa aa 96 69 00 04 00 00 80 84 00 00 00 00 00\n"
     " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
     "*\n"
     " 00 00 00 41 42\n",
     CAPTURE_HEX, 3, "od -v"},
    {"an odd digit", "AA AA A 96", CAPTURE_HEX, 1, "odd number of hex digits"},
    {"xxd with a line lost",
     "00000000: aaaa aa96 6900 0400 0080 8400 0000 0000  ....i...........\n"
     "00000020: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n",
     CAPTURE_XXD, 2, "a line missing"},
    {"hexdump -C ending in '*'",
     "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
     "*\n",
     CAPTURE_HEXDUMP, 2, "ends in '*'"},
    {"hexdump -C, '*' first", "*\n00000010  00 00\n", CAPTURE_HEX, 1, "od -v"},
    {"a word, not a byte", "{0xAAAA, 0x96}", CAPTURE_ARRAY, 1, "wider than a byte"},
    {"base64 cut short", "qqqqlmkABA", CAPTURE_BASE64, 0, "does not decode"},
    {"prose", "the reader said hello!", CAPTURE_TEXT, 0, "neither a hex dump"},
};

static void test_good(void)
{
    static uint8_t out[256];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct capture_text res;
        memset(out, 0x5A, sizeof out);
        int rc = capture_text_decode((const uint8_t *)good[i].text, strlen(good[i].text), out,
                                     sizeof out, &res);
        if (rc || res.len != good[i].len || memcmp(out, want, good[i].len) != 0 ||
            res.format != good[i].format)
            fprintf(stderr, "%s: rc %d, %zu bytes, format %s, %s\n", good[i].what, rc, res.len,
                    capture_text_format_name(res.format), res.problem ? res.problem : "");
        CHECK_EQ_INT(rc, 0);
        CHECK_EQ_INT(res.format, good[i].format);
        CHECK_EQ_INT(res.len, good[i].len);
        CHECK(memcmp(out, want, good[i].len) == 0);
        CHECK(res.problem == NULL);
    }
}

static void test_bad(void)
{
    static uint8_t out[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct capture_text res;
        int rc = capture_text_decode((const uint8_t *)bad[i].text, strlen(bad[i].text), out,
                                     sizeof out, &res);
        if (rc != ERR_PROTOCOL || !res.problem || !strstr(res.problem, bad[i].says))
            fprintf(stderr, "%s: rc %d, format %s, line %zu, %s\n", bad[i].what, rc,
                    capture_text_format_name(res.format), res.line,
                    res.problem ? res.problem : "(no problem)");
        CHECK_EQ_INT(rc, ERR_PROTOCOL);
        CHECK_EQ_INT(res.format, bad[i].format);
        CHECK_EQ_INT(res.line, bad[i].line);
        CHECK(res.problem && strstr(res.problem, bad[i].says));
        CHECK_EQ_INT(res.len, 0);
    }
}

static void test_edges(void)
{
    uint8_t out[64];
    struct capture_text res;
    /* Bytes that are not text are the capture itself. */
    CHECK_EQ_INT(capture_text_decode(want, 11, out, sizeof out, &res), 0);
    CHECK_EQ_INT(res.format, CAPTURE_BINARY);
    CHECK_EQ_INT(res.len, 11);
    CHECK(memcmp(out, want, 11) == 0);
    CHECK_EQ_INT(capture_text_decode(want, 0, out, sizeof out, &res), 0);
    CHECK_EQ_INT(res.len, 0);
    CHECK_EQ_INT(capture_text_decode(want, 53, out, 52, &res), ERR_TOOBIG);
    /* od of nothing. */
    CHECK_EQ_INT(capture_text_decode((const uint8_t *)"0000000\n", 8, out, sizeof out, &res), 0);
    CHECK_EQ_INT(res.format, CAPTURE_OD);
    CHECK_EQ_INT(res.len, 0);
    /* '*' lines can restore more than the room given. */
    const char *squeezed = "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |x|\n"
                           "*\n"
                           "00001000\n";
    CHECK_EQ_INT(
        capture_text_decode((const uint8_t *)squeezed, strlen(squeezed), out, sizeof out, &res),
        ERR_TOOBIG);
    CHECK_EQ_STR(capture_text_format_name(CAPTURE_HEXDUMP), "hexdump -C");
    CHECK_EQ_STR(capture_text_format_name(CAPTURE_BASE64), "base64");
}

int main(void)
{
    static const uint8_t head[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00,
                                   0x04, 0x00, 0x00, 0x80, 0x84};
    memcpy(want, head, sizeof head);
    want[51] = 'A';
    want[52] = 'B';
    test_good();
    test_bad();
    test_edges();
    return check_report("capture_text_test");
}
