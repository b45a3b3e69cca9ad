/* idcard_tool_test.c - `bdc-kiosk-tool idcard decode` on captures built by
 * the codec: a status reply, a find with no card, a 30 01 reply carrying a
 * card, garbage, a frame with a wrong CHK and a truncated tail, as a binary
 * file and as hex text. Checks the JSON: SW3 names, the masked (and, with
 * --unmasked, the clear) ID number and name, and one error per damaged
 * span. argv[1] is the tool.
 */
#include "check.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/sam_frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint8_t cap[8192];
static size_t cap_len;

static void put(const uint8_t *p, size_t n)
{
    memcpy(cap + cap_len, p, n);
    cap_len += n;
}

static void build_capture(void)
{
    uint8_t frame[SAM_FRAME_MAX], data[SAM_FRAME_MAX], text[IDCARD_TEXT_LEN];
    int n = sam_frame_encode_reply(0, 0, SAM_STATUS_OK, NULL, 0, frame, sizeof frame);
    put(frame, (size_t)n);
    n = sam_frame_encode_reply(0, 0, SAM_STATUS_FIND_FAILED, NULL, 0, frame, sizeof frame);
    put(frame, (size_t)n);
    static const uint8_t garbage[] = {0x00, 0xAA, 0x13, 0x37};
    put(garbage, sizeof garbage);

    struct idcard c;
    memset(&c, 0, sizeof c);
    c.type = IDCARD_RESIDENT;
    strcpy(c.name, "张三");
    strcpy(c.gender, "男");
    strcpy(c.ethnicity, "汉");
    strcpy(c.birth_date, "1990-03-07");
    strcpy(c.address, "河南省焦作市解放区民主南路168号");
    strcpy(c.id_number, "410802199003071239");
    strcpy(c.issuer, "焦作市公安局解放分局");
    strcpy(c.valid_from, "2015-06-01");
    strcpy(c.valid_to, "长期");
    CHECK_EQ_INT(idcard_encode_text(&c, text), 0);
    static uint8_t photo[SAM_FRAME_PHOTO_LEN];
    int dn = sam_frame_encode_base(text, photo, sizeof photo, data, sizeof data);
    n = sam_frame_encode_reply(0, 0, SAM_STATUS_OK, data, (size_t)dn, frame, sizeof frame);
    CHECK_EQ_INT(n, 1295);
    put(frame, (size_t)n);

    n = sam_frame_encode_reply(0, 0, SAM_STATUS_READ_FAILED, NULL, 0, frame, sizeof frame);
    frame[n - 1] ^= 0xFF; /* damaged CHK */
    put(frame, (size_t)n);
    n = sam_frame_encode_reply(0, 0, SAM_STATUS_SELECT_FAILED, NULL, 0, frame, sizeof frame);
    put(frame, (size_t)n);
    put(frame, 6); /* truncated tail */
}

static char out[65536];

static void run(const char *tool, const char *file, const char *flags, int want_rc)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' idcard decode '%s' %s", tool, file, flags);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    CHECK_EQ_INT(WEXITSTATUS(st), want_rc);
}

static int count(const char *needle)
{
    int k = 0;
    for (const char *s = out; (s = strstr(s, needle)); s++)
        k++;
    return k;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: idcard_tool_test BDC_KIOSK_TOOL\n");
        return 2;
    }
    build_capture();
    char bin[64], hex[64];
    snprintf(bin, sizeof bin, "/tmp/idcard-capture-%d.bin", (int)getpid());
    snprintf(hex, sizeof hex, "/tmp/idcard-capture-%d.txt", (int)getpid());
    FILE *f = fopen(bin, "wb");
    fwrite(cap, 1, cap_len, f);
    fclose(f);
    f = fopen(hex, "w");
    for (size_t i = 0; i < cap_len; i++)
        fprintf(f, "%02X%s", cap[i], i % 16 == 15 ? "\n" : " ");
    fclose(f);

    const char *files[] = {bin, hex};
    for (int i = 0; i < 2; i++) {
        run(argv[1], files[i], "", 1); /* damaged frames: exit 1 */
        CHECK_EQ_INT(count("\"kind\":"), 4);
        CHECK_EQ_INT(count("\"status\":\t\"ok\""), 2);
        CHECK_EQ_INT(count("\"find_failed\""), 1);
        CHECK_EQ_INT(count("\"select_failed\""), 1);
        CHECK_EQ_INT(count("\"read_failed\""), 0); /* its CHK was wrong */
        CHECK_EQ_INT(count("\"checksum\""), 1);
        CHECK_EQ_INT(count("\"truncated\""), 1);
        CHECK_EQ_INT(count("4108**********1239"), 1);
        CHECK_EQ_INT(count("410802199003071239"), 0);
        CHECK_EQ_INT(count("张*"), 1);
        CHECK_EQ_INT(count("民主南路"), 0);
        CHECK_EQ_INT(count("\"长期\""), 1);
        CHECK_EQ_INT(count("unavailable (no decoder)"), 1);
        CHECK_EQ_INT(count(i ? "\"hex\"" : "\"binary\""), 1);
    }
    run(argv[1], bin, "--unmasked", 1);
    CHECK_EQ_INT(count("410802199003071239"), 1);
    CHECK_EQ_INT(count("张三"), 1);

    /* One good frame alone: exit 0. */
    uint8_t frame[16];
    int n = sam_frame_encode_reply(0, 0, SAM_STATUS_FIND_OK, NULL, 0, frame, sizeof frame);
    f = fopen(bin, "wb");
    fwrite(frame, 1, (size_t)n, f);
    fclose(f);
    run(argv[1], bin, "", 0);
    CHECK_EQ_INT(count("\"find_ok\""), 1);

    unlink(bin);
    unlink(hex);
    return check_report("idcard_tool_test");
}
