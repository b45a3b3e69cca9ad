/* idcard_tool_test.c - `bdc-kiosk-tool idcard decode` on captures built by
 * the codec: a status reply, a find with no card, a 30 01 reply carrying a
 * card, garbage, a frame with a wrong CHK and a truncated tail, as a binary
 * file and as hex text. Checks the JSON: SW3 names, the masked (and, with
 * --unmasked, the clear) ID number and name, and one error per damaged
 * span. Then a request, an appended address and a card of unknown type in
 * 0x-prefixed hex, a capture too large, and the command-line errors.
 *
 * `idcard read --tty` against a pty whose master side plays a USB-serial
 * reader with the simulated module (as in tests/devices/idcard_tty_test.c):
 * a card read, a card read with 30 10 (its fingerprint block's size
 * shown), no card within the timeout, a card the module fails to
 * read, and no reader at the path. argv[1] is the tool.
 */
#include "base/err.h"
#include "card_fixture.h"
#include "check.h"
#include "pty_bridge.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/idcard_sim.h"
#include "drivers/idcard/sam_frame.h"

#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint8_t cap[8192];
static size_t cap_len;

static void put(const uint8_t *p, size_t n)
{
    memcpy(cap + cap_len, p, n);
    cap_len += n;
}

static void make_card(struct idcard *c)
{
    *c = fixture_card();
    strcpy(c->valid_to, "长期");
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
    make_card(&c);
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

/* Runs the tool with args (stdout and stderr into out) and checks its
 * exit status. */
static void run_args(const char *tool, const char *args, int want_rc)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", tool, args);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    if (WEXITSTATUS(st) != want_rc)
        fprintf(stderr, "bdc-kiosk-tool %s:\n%s\n", args, out);
    CHECK_EQ_INT(WEXITSTATUS(st), want_rc);
}

static void run(const char *tool, const char *file, const char *flags, int want_rc)
{
    char args[512];
    snprintf(args, sizeof args, "idcard decode '%s' %s", file, flags);
    run_args(tool, args, want_rc);
}

static int count(const char *needle)
{
    int k = 0;
    for (const char *s = out; (s = strstr(s, needle)); s++)
        k++;
    return k;
}

/* ---- decode: more captures, and the command line ---- */

/* Writes len bytes of frame as "0xAA, 0xAA, ..." text, as some sniffers do. */
static void put_hex0x(FILE *f, const uint8_t *frame, size_t len)
{
    for (size_t i = 0; i < len; i++)
        fprintf(f, "0x%02x,%s", frame[i], i % 12 == 11 ? "\n" : " ");
}

/* A find request, a reply with an appended address, and a 30 01 reply
 * whose card type byte no card has. */
static void check_decode_more(const char *tool, const char *path)
{
    uint8_t frame[SAM_FRAME_MAX], data[SAM_FRAME_MAX], text[IDCARD_TEXT_LEN];
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    int n = sam_frame_encode_command(SAM_CMD_FIND, NULL, 0, frame, sizeof frame);
    CHECK(n > 0);
    put_hex0x(f, frame, (size_t)n);
    uint8_t addr[IDCARD_ADDRESS_LEN];
    CHECK_EQ_INT(idcard_encode_address("解放区民主南路168号3单元", addr), 0);
    n = sam_frame_encode_reply(0, 0, SAM_STATUS_OK, addr, sizeof addr, frame, sizeof frame);
    CHECK(n > 0);
    put_hex0x(f, frame, (size_t)n);
    struct idcard c;
    make_card(&c);
    CHECK_EQ_INT(idcard_encode_text(&c, text), 0);
    text[248] = 'Z'; /* card type: none known */
    static uint8_t photo[SAM_FRAME_PHOTO_LEN];
    int dn = sam_frame_encode_base(text, photo, sizeof photo, data, sizeof data);
    n = sam_frame_encode_reply(0, 0, SAM_STATUS_OK, data, (size_t)dn, frame, sizeof frame);
    CHECK(n > 0);
    put_hex0x(f, frame, (size_t)n);
    fclose(f);
    idcard_wipe(&c);

    run(tool, path, "", 0);
    CHECK_EQ_INT(count("\"array\""), 1); /* 0x.. values, as in source */
    CHECK_EQ_INT(count("\"kind\":\t\"request\""), 1);
    CHECK_EQ_INT(count("\"command\":\t\"20 01\""), 1);
    CHECK_EQ_INT(count("\"appended_address\""), 1);
    CHECK_EQ_INT(count("(14 characters, --unmasked shows)"), 1);
    CHECK_EQ_INT(count("民主南路"), 0);
    CHECK_EQ_INT(count("\"card_error\":\t\"unknown card type\""), 1);
    CHECK_EQ_INT(count("\"card_type_byte\":\t\"5a\""), 1);
    CHECK_EQ_INT(count("\"card\":"), 0);
    run(tool, path, "--unmasked", 0);
    CHECK_EQ_INT(count("解放区民主南路168号3单元"), 1);

    /* One byte more than a capture may hold (a sparse file). */
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ_INT(ftruncate(fileno(f), (4L << 20) + 1), 0);
        fclose(f);
    }
    run(tool, path, "", 1);
    CHECK_EQ_INT(count("is larger than 4194304 bytes"), 1);
    CHECK_EQ_INT(count("\"frames\""), 0);
}

/* Command lines the tool refuses, before it touches a file or a device. */
static const struct {
    const char *args;
    int rc;
    const char *says;
} refusals[] = {
    {"idcard", 2, "usage: bdc-kiosk-tool idcard decode"},
    {"idcard dump", 2, "usage: bdc-kiosk-tool idcard decode"},
    {"idcard decode", 2, "usage: bdc-kiosk-tool idcard decode"},
    {"idcard decode a.bin b.bin", 2, "usage: bdc-kiosk-tool idcard decode"},
    {"idcard decode /nonexistent/capture.bin", 1, "cannot open /nonexistent/capture.bin"},
    {"idcard read --baud 9600", 2, "usage: bdc-kiosk-tool idcard decode"},
    {"idcard read --tty", 2, "usage: bdc-kiosk-tool idcard decode"},
    {"idcard read --read-command fingerprint", 2, "usage: bdc-kiosk-tool idcard decode"},
    {"idcard read --id 0400", 2, "bad --id or --models"},
    {"idcard read --usb --models 0400:c35a=02/06", 2, "bad --id or --models"},
};

static void check_refusals(const char *tool)
{
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        run_args(tool, refusals[i].args, refusals[i].rc);
        if (!strstr(out, refusals[i].says))
            fprintf(stderr, "%s: no \"%s\" in:\n%s\n", refusals[i].args, refusals[i].says, out);
        CHECK(strstr(out, refusals[i].says) != NULL);
    }
}

/* ---- read: a reader behind a USB-serial bridge, played on a pty ---- */

struct bridge {
    struct pty_bridge pty;
    int slave;
    char path[128];
};

static void bridge_plug(struct bridge *b)
{
    b->pty.sim = idcard_sim_create();
    CHECK(b->pty.sim != NULL);
    /* The slave stays open here too, so the master never sees a hang-up
     * between the tool's open and close. */
    CHECK_EQ_INT(openpty(&b->pty.master, &b->slave, b->path, NULL, NULL), 0);
    CHECK_EQ_INT(transport_open(idcard_sim_transport(b->pty.sim)), 0);
    CHECK_EQ_INT(pty_bridge_start(&b->pty), 0);
}

static void bridge_unplug(struct bridge *b)
{
    pty_bridge_stop(&b->pty);
    close(b->pty.master);
    close(b->slave);
    idcard_sim_destroy(b->pty.sim);
}

static void check_read(const char *tool)
{
    char args[512];
    struct bridge b;
    struct idcard card;
    make_card(&card);

    /* A card on the reader: read, printed in clear with --unmasked. */
    bridge_plug(&b);
    CHECK_EQ_INT(idcard_sim_present(b.pty.sim, &card), 0);
    snprintf(args, sizeof args,
             "idcard read --tty %s --timeout 10 --unmasked --photo-decoder /nonexistent/wlt.so",
             b.path);
    run_args(tool, args, 0);
    CHECK_EQ_INT(count("reader connected: lay a card on it"), 1);
    CHECK_EQ_INT(count("\"transport\":\t\"tty\""), 1);
    CHECK_EQ_INT(count("\"name\":\t\"张三\""), 1);
    CHECK_EQ_INT(count("\"id_number\":\t\"410802199003071239\""), 1);
    CHECK_EQ_INT(count("民主南路168号"), 1);
    CHECK_EQ_INT(count("photo: cannot load"), 1);
    CHECK_EQ_INT(count("unavailable (no decoder)"), 1);
    CHECK_EQ_INT(count("\"error\""), 0);
    bridge_unplug(&b);

    /* The same card masked. */
    bridge_plug(&b);
    CHECK_EQ_INT(idcard_sim_present(b.pty.sim, &card), 0);
    snprintf(args, sizeof args, "idcard read --tty %s --timeout 10", b.path);
    run_args(tool, args, 0);
    CHECK_EQ_INT(count("4108**********1239"), 1);
    CHECK_EQ_INT(count("410802199003071239"), 0);
    CHECK_EQ_INT(count("民主南路"), 0);
    CHECK_EQ_INT(count("photo: no photo decoder configured"), 1);
    bridge_unplug(&b);

    /* Read with 30 10: a card with two fingerprint templates, of which the
     * tool shows the size only. */
    bridge_plug(&b);
    CHECK_EQ_INT(idcard_sim_present(b.pty.sim, &card), 0);
    CHECK_EQ_INT(idcard_sim_set_fingerprint(b.pty.sim, 1024), 0);
    snprintf(args, sizeof args, "idcard read --tty %s --timeout 10 --read-command with_fingerprint",
             b.path);
    run_args(tool, args, 0);
    CHECK_EQ_INT(count("4108**********1239"), 1);
    CHECK_EQ_INT(count("\"present\":\ttrue"), 1);
    CHECK_EQ_INT(count("\"bytes\":\t1024"), 1);
    CHECK_EQ_INT(idcard_sim_requests(b.pty.sim, SAM_CMD_READ_FULL), 1);
    CHECK_EQ_INT(idcard_sim_requests(b.pty.sim, SAM_CMD_READ_BASE), 0);
    bridge_unplug(&b);

    /* The reader answers, but nobody lays a card on it. */
    bridge_plug(&b);
    snprintf(args, sizeof args, "idcard read --tty %s --timeout 1", b.path);
    run_args(tool, args, 1);
    CHECK_EQ_INT(count("\"error\":\t\"no card within the timeout\""), 1);
    CHECK_EQ_INT(count("\"card\""), 0);
    bridge_unplug(&b);

    /* The module fails to read the card, on the retries too. */
    bridge_plug(&b);
    for (int i = 0; i < 3; i++)
        idcard_sim_fault(b.pty.sim, IDCARD_SIM_FAULT_READ_FAILED);
    CHECK_EQ_INT(idcard_sim_present(b.pty.sim, &card), 0);
    snprintf(args, sizeof args, "idcard read --tty %s --timeout 10", b.path);
    run_args(tool, args, 1);
    CHECK_EQ_INT(count("\"sw3\":\t\"read_failed\""), 1);
    CHECK_EQ_INT(count("\"card\""), 0);
    CHECK_EQ_INT(count("张"), 0);
    bridge_unplug(&b);

    /* Nothing at the path. */
    run_args(tool, "idcard read --tty /nonexistent/ttyUSB9 --timeout 1", 1);
    CHECK_EQ_INT(count("\"reader\":\t\"no reader at /nonexistent/ttyUSB9\""), 1);
    CHECK_EQ_INT(count("\"error\":\t\"reader not connected\""), 1);
    idcard_wipe(&card);
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

    check_decode_more(argv[1], hex);
    check_refusals(argv[1]);
    check_read(argv[1]);
    unlink(bin);
    unlink(hex);
    return check_report("idcard_tool_test");
}
