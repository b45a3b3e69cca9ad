/* idcard_tool_capture_test.c - `bdc-kiosk-tool idcard decode` on captures
 * as engineers bring them.
 *
 * 30 10 replies (text, photo and fingerprint lengths) without and with a
 * fingerprint block, laid out here byte by byte with their XOR, decode to
 * the card and the block's size; the same capture as xxd, hexdump -C, od
 * (with offsets, and -An -v), plain hex, C and Java arrays and base64
 * prints it (the real tools make the dumps) decodes the same; od -An
 * without -v is refused with the way out; bytes with no frame (a payload
 * or a reply that lost its header, prose, noise) exit 1 and say what they
 * look like; a capture cut inside a frame shows the partial frame. argv[1]
 * is the tool.
 */
#include "card_fixture.h"
#include "check.h"
#include "drivers/idcard/idcard.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tool;
static char dir[64];
static char out[1 << 16];

/* A reply frame laid out by hand: preamble, Len, SW1 SW2 SW3, data, CHK. */
static size_t reply_frame(uint8_t *f, uint8_t sw3, const uint8_t *data, size_t len)
{
    static const uint8_t pre[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
    memcpy(f, pre, 5);
    size_t body = 3 + len + 1;
    f[5] = (uint8_t)(body >> 8);
    f[6] = (uint8_t)body;
    f[7] = f[8] = 0;
    f[9] = sw3;
    if (len)
        memcpy(f + 10, data, len);
    uint8_t x = 0;
    for (size_t i = 5; i < 10 + len; i++)
        x ^= f[i];
    f[10 + len] = x;
    return 11 + len;
}

/* 30 10 data: three lengths, the fixture card's text, a photo, fp_len
 * made-up fingerprint bytes. */
static size_t full_data(uint8_t *d, size_t fp_len)
{
    struct idcard c = fixture_card();
    d[0] = 0x01;
    d[1] = 0x00;
    d[2] = 0x04;
    d[3] = 0x00;
    d[4] = (uint8_t)(fp_len >> 8);
    d[5] = (uint8_t)fp_len;
    CHECK_EQ_INT(idcard_encode_text(&c, d + 6), 0);
    for (size_t i = 0; i < 1024; i++)
        d[262 + i] = (uint8_t)(i * 7 + 1);
    for (size_t i = 0; i < fp_len; i++)
        d[1286 + i] = (uint8_t)(0xF0 ^ i);
    idcard_wipe(&c);
    return 1286 + fp_len;
}

static void write_file(const char *name, const uint8_t *b, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ_INT(fwrite(b, 1, n, f), n);
        fclose(f);
    }
}

static void sh(const char *cmd)
{
    char full[512];
    snprintf(full, sizeof full, "cd '%s' && %s", dir, cmd);
    int st = system(full);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fprintf(stderr, "failed: %s\n", cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Runs `idcard decode DIR/name` (stdout and stderr into out) and checks its
 * exit status. */
static void decode(const char *name, int want_rc)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' idcard decode '%s/%s' 2>&1", tool, dir, name);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    if (WEXITSTATUS(st) != want_rc)
        fprintf(stderr, "decode %s: exit %d\n%s\n", name, WEXITSTATUS(st), out);
    CHECK_EQ_INT(WEXITSTATUS(st), want_rc);
}

static int count(const char *needle)
{
    int k = 0;
    for (const char *s = out; (s = strstr(s, needle)); s++)
        k++;
    return k;
}

static void expect(const char *what, const char *needle, int times)
{
    int k = count(needle);
    if (k != times)
        fprintf(stderr, "%s: \"%s\" %d times, not %d, in:\n%s\n", what, needle, k, times, out);
    CHECK_EQ_INT(k, times);
}

static uint8_t data[2400], frame[2400], cap[4800];

/* The 30 10 reply without a fingerprint (1,297 bytes) and with two
 * templates (2,321 bytes): a card, the block's size, no "toobig". */
static void check_full_replies(void)
{
    static const size_t fps[] = {0, 1024};
    for (int i = 0; i < 2; i++) {
        size_t n = reply_frame(frame, 0x90, data, full_data(data, fps[i]));
        CHECK_EQ_INT(n, i ? 2321 : 1297);
        write_file("full.bin", frame, n);
        decode("full.bin", 0);
        expect("30 10", "\"length\":\t", 1);
        expect("30 10", i ? "\"length\":\t2321" : "\"length\":\t1297", 1);
        expect("30 10", "\"layout\":\t\"text+photo+fingerprint (30 10)\"", 1);
        expect("30 10", "4108**********1239", 1);
        expect("30 10", "410802199003071239", 0);
        expect("30 10", "\"wlt_bytes\":\t1024", 1);
        expect("30 10", i ? "\"present\":\ttrue" : "\"present\":\tfalse", 1);
        expect("30 10", i ? "\"bytes\":\t1024" : "\"bytes\":\t0", 1);
        expect("30 10", "toobig", 0);
        expect("30 10", "\"errors\":\t[]", 1);
    }
}

/* One capture (a no-card reply, the 2,321-byte reply) in every format. */
static void check_formats(void)
{
    size_t n = reply_frame(cap, 0x80, NULL, 0);
    n += reply_frame(cap + n, 0x90, data, full_data(data, 1024));
    write_file("cap.bin", cap, n);
    char path[128];
    snprintf(path, sizeof path, "%s/plain.txt", dir);
    FILE *plain = fopen(path, "w");
    snprintf(path, sizeof path, "%s/java.txt", dir);
    FILE *java = fopen(path, "w");
    CHECK(plain && java);
    if (!plain || !java)
        return;
    fprintf(java, "byte[] capture = {\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(plain, "%02X%s", cap[i], i % 16 == 15 ? "\n" : " ");
        fprintf(java, "%s0x%02X,%s", cap[i] > 0x7F ? "(byte)" : "", cap[i],
                i % 8 == 7 ? "\n" : " ");
    }
    fprintf(java, "};\n");
    fclose(plain);
    fclose(java);
    sh("xxd cap.bin >xxd.txt && xxd -g1 cap.bin >xxd1.txt && xxd -p cap.bin >xxdp.txt");
    sh("xxd -i cap.bin >array.c && hexdump -C cap.bin >hexdump.txt");
    sh("od -tx1 cap.bin >od.txt && od -Ax -tx1 cap.bin >odx.txt");
    sh("od -v -An -tx1 cap.bin >odv.txt && base64 cap.bin >b64.txt");
    static const struct {
        const char *file, *format;
    } formats[] = {
        {"cap.bin", "binary"}, {"xxd.txt", "xxd"},
        {"xxd1.txt", "xxd"},   {"xxdp.txt", "hex"},
        {"plain.txt", "hex"},  {"array.c", "array"},
        {"java.txt", "array"}, {"hexdump.txt", "hexdump -C"},
        {"od.txt", "od"},      {"odx.txt", "od"},
        {"odv.txt", "hex"},    {"b64.txt", "base64"},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        decode(formats[i].file, 0);
        char f2[64];
        snprintf(f2, sizeof f2, "\"format\":\t\"%s\"", formats[i].format);
        expect(formats[i].file, f2, 1);
        expect(formats[i].file, "\"bytes\":\t2332", 1);
        expect(formats[i].file, "\"find_failed\"", 1);
        expect(formats[i].file, "\"layout\":\t\"text+photo+fingerprint (30 10)\"", 1);
        expect(formats[i].file, "4108**********1239", 1);
        expect(formats[i].file, "\"bytes\":\t1024", 1);
        expect(formats[i].file, "\"errors\":\t[]", 1);
    }
    /* od -An leaves out repeated lines with no offsets to count them. */
    static const uint8_t zeros[64];
    n = reply_frame(cap, 0x90, zeros, sizeof zeros);
    write_file("zeros.bin", cap, n);
    sh("od -An -tx1 zeros.bin >oda.txt && grep -qx '[*]' oda.txt");
    decode("oda.txt", 1);
    expect("od -An", "dump again with od -v", 2); /* the JSON and the line on stderr */
    expect("od -An", "\"frames\"", 0);
}

/* Bytes with no frame: exit 1, what they look like, and the card in them. */
static void check_headerless(void)
{
    size_t dn = full_data(data, 512);
    size_t n = reply_frame(frame, 0x90, data, dn);
    static const struct {
        const char *what;
        size_t from, len; /* a slice of frame */
        const char *says;
        int times, cards; /* times: JSON, stderr, and "looks_like" where a card is shown */
    } cases[] = {
        {"text+photo alone", 7 + 3 + 6, 1280,
         "no frame found: 1,280 bytes that look like a text+photo payload without a frame header",
         2, 1},
        {"30 10 data", 10, 1286 + 512, "30 10 data, with its length words", 3, 1},
        {"a reply without its header", 7, 3 + 1286 + 512 + 1,
         "a reply's SW1 SW2 SW3 and card data without the frame header", 3, 1},
        {"no preamble, a CHK", 5, 2 + 3 + 1286 + 512 + 1, "without its AA AA AA 96 69 preamble", 3,
         1},
        {"part of a preamble", 3, 4 + 3 + 1286 + 512 + 1, "without its AA AA AA 96 69 preamble", 3,
         1},
        {"photo bytes", 7 + 3 + 6 + 256, 1000, "nothing a reader sends", 2, 0},
    };
    CHECK_EQ_INT(n, 1809);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file("headerless.bin", frame + cases[i].from, cases[i].len);
        decode("headerless.bin", 1);
        expect(cases[i].what, cases[i].says, cases[i].times);
        expect(cases[i].what, "\"no_frame\"", 1);
        expect(cases[i].what, "\"frames\":\t[]", 1);
        expect(cases[i].what, "4108**********1239", cases[i].cards);
        expect(cases[i].what, "410802199003071239", 0);
    }
    /* The same slice as base64 text. */
    write_file("headerless.bin", frame + 16, 1280);
    sh("base64 headerless.bin >headerless.b64");
    decode("headerless.b64", 1);
    expect("base64 payload", "\"format\":\t\"base64\"", 1);
    expect("base64 payload", "1,280 bytes that look like a text+photo payload", 2);
    /* Prose and an empty file. */
    write_file("prose.txt", (const uint8_t *)"the reader beeped twice\n", 24);
    decode("prose.txt", 1);
    expect("prose", "neither a hex dump, a source array nor base64", 2);
    write_file("empty.bin", frame, 0);
    decode("empty.bin", 1);
    expect("empty", "no frame found: the capture is empty", 2);
}

/* A capture that ends inside the 30 10 reply, after the text block. */
static void check_truncated(void)
{
    size_t n = reply_frame(cap, 0x9F, data, 4);
    size_t dn = full_data(data, 1024);
    reply_frame(cap + n, 0x90, data, dn);
    write_file("cut.bin", cap, n + 1500);
    decode("cut.bin", 1);
    expect("cut", "\"partial\":\ttrue", 1);
    expect("cut", "\"declared_length\":\t2321", 1);
    expect("cut", "\"length\":\t1500", 1);
    expect("cut", "\"data_present\":\t1490", 1);
    expect("cut", "4108**********1239", 1);
    expect("cut", "\"find_ok\"", 1);
    expect("cut", "\"truncated\"", 1);
    expect("cut", "not checked: the frame is cut short", 1);
    /* Cut before the text block ends: the status, and nothing of the card. */
    write_file("cut.bin", cap, n + 100);
    decode("cut.bin", 1);
    expect("cut early", "\"partial\":\ttrue", 1);
    expect("cut early", "\"status\":\t\"ok\"", 1);
    expect("cut early", "too few bytes for a card's text block", 1);
    expect("cut early", "\"card\"", 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: idcard_tool_capture_test BDC_KIOSK_TOOL\n");
        return 2;
    }
    tool = argv[1];
    snprintf(dir, sizeof dir, "/tmp/idcard-capture-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    check_full_replies();
    check_formats();
    check_headerless();
    check_truncated();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
    return check_report("idcard_tool_capture_test");
}
