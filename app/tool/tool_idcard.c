/* tool_idcard.c - `bdc-kiosk-tool idcard decode FILE` and `idcard read`.
 *
 * decode: a raw GA/T 467 frame, or a capture of several (binary, or hex
 * text as a serial sniffer or a log prints it), through the kiosk's own
 * stream decoder and text parser; one JSON object on stdout with every
 * frame (SW3 and its meaning, the card fields for a 30 01 reply) and
 * every damaged span. Name, ID number and address are masked unless
 * --unmasked: captures end up in tickets and chat threads.
 *
 * read: opens a real reader (usb by default, or a tty), waits for one
 * card, prints it the same way with the reader's status, and exits: for
 * hall staff and integrators checking a new model. Main thread, plus the
 * reader's own thread for `read`.
 */
#include "tool/tool.h"

#include "base/err.h"
#include "base/log.h"
#include "base/util.h"
#include "drivers/core/transport_tty.h"
#include "drivers/core/transport_usb.h"
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/idcard_photo.h"
#include "drivers/idcard/idcard_reader.h"
#include "drivers/idcard/idcard_sam.h"
#include "drivers/idcard/sam_frame.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CAPTURE_MAX (4u << 20)

static int usage(void)
{
    fprintf(stderr, "usage: bdc-kiosk-tool idcard decode FILE [--unmasked]\n"
                    "       bdc-kiosk-tool idcard read [--usb | --tty PATH] [--id VID:PID]\n"
                    "                      [--models SPEC] [--photo-decoder LIB] [--timeout S] "
                    "[--unmasked]\n");
    return 2;
}

static void today(char out[11])
{
    /* China Standard Time, whatever the tool's machine uses. */
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void add_masked(cJSON *o, const char *key, const char *v, bool unmasked, bool is_id)
{
    char m[160];
    if (unmasked)
        str_copy(m, sizeof m, v);
    else if (is_id)
        mask_id(v, m, sizeof m);
    else
        mask_name(v, m, sizeof m);
    cJSON_AddStringToObject(o, key, m);
}

static cJSON *card_json(const struct idcard *c, bool unmasked, struct idcard_photo_decoder *photo)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "type", idcard_type_name(c->type));
    add_masked(o, "name", c->name, unmasked, false);
    if (c->name_zh[0])
        add_masked(o, "name_zh", c->name_zh, unmasked, false);
    cJSON_AddStringToObject(o, "gender", c->gender);
    cJSON_AddStringToObject(
        o, c->type == IDCARD_RESIDENT || c->type == IDCARD_HMT_PERMIT ? "ethnicity" : "nationality",
        c->ethnicity);
    cJSON_AddStringToObject(o, "birth_date", c->birth_date);
    if (unmasked) {
        cJSON_AddStringToObject(o, "address", c->address);
    } else {
        char m[48];
        snprintf(m, sizeof m, "(%zu characters, --unmasked shows)", utf8_len(c->address));
        cJSON_AddStringToObject(o, "address", m);
    }
    add_masked(o, "id_number", c->id_number, unmasked, true);
    cJSON_AddStringToObject(o, "issuer", c->issuer);
    cJSON_AddStringToObject(o, "valid_from", c->valid_from);
    cJSON_AddStringToObject(o, "valid_to", c->valid_to);
    if (c->other_number[0])
        add_masked(o, "other_number", c->other_number, unmasked, true);
    if (c->issue_count[0])
        cJSON_AddStringToObject(o, "issue_count", c->issue_count);
    if (c->card_version[0])
        cJSON_AddStringToObject(o, "card_version", c->card_version);
    char date[11];
    today(date);
    cJSON_AddStringToObject(o, "check", idcard_check_name(idcard_validate(c, date)));

    cJSON *p = cJSON_AddObjectToObject(o, "photo");
    cJSON_AddNumberToObject(p, "wlt_bytes", (double)c->photo_len);
    static uint8_t bmp[IDCARD_PHOTO_BMP_SIZE];
    int n = idcard_photo_decode(photo, c->photo, c->photo_len, bmp, sizeof bmp);
    cJSON_AddStringToObject(p, "state",
                            n > 0                  ? "decoded"
                            : n == ERR_UNSUPPORTED ? "unavailable (no decoder)"
                            : c->photo_len == 0    ? "absent"
                                                   : "decoder refused it");
    if (n > 0)
        cJSON_AddNumberToObject(p, "bmp_bytes", n);
    explicit_bzero(bmp, sizeof bmp);
    return o;
}

/* ---- decode ---- */

/* True if the capture is hex text: hex digits, whitespace, and the
 * separators sniffers print (':' ',' '-'), with an optional 0x. */
static bool is_hex_text(const uint8_t *b, size_t n)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (isxdigit(b[i]))
            digits++;
        else if (!isspace(b[i]) && b[i] != ':' && b[i] != ',' && b[i] != '-' && b[i] != 'x' &&
                 b[i] != 'X')
            return false;
    }
    return digits >= 2;
}

static size_t hex_to_bytes(uint8_t *b, size_t n)
{
    size_t out = 0;
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        int c = b[i], v;
        if (c == '0' && i + 1 < n && (b[i + 1] == 'x' || b[i + 1] == 'X')) {
            i++;
            continue;
        }
        if (!isxdigit(c)) {
            hi = -1; /* a separator ends an odd digit */
            continue;
        }
        v = isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10);
        if (hi < 0) {
            hi = v;
        } else {
            b[out++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return out;
}

static cJSON *frame_json(const struct sam_frame *f, size_t offset, bool unmasked)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "offset", (double)offset);
    cJSON_AddNumberToObject(o, "length", (double)f->raw_len);
    char hex[8];
    if (f->body_len == 2) {
        struct sam_request rq;
        sam_frame_parse_request(f, &rq);
        cJSON_AddStringToObject(o, "kind", "request");
        snprintf(hex, sizeof hex, "%02x %02x", rq.cmd, rq.para);
        cJSON_AddStringToObject(o, "command", hex);
        return o;
    }
    struct sam_reply r;
    if (sam_frame_parse_reply(f, &r)) {
        cJSON_AddStringToObject(o, "kind", "unknown");
        return o;
    }
    cJSON_AddStringToObject(o, "kind", "reply");
    snprintf(hex, sizeof hex, "%02x", r.sw3);
    cJSON_AddStringToObject(o, "sw3", hex);
    cJSON_AddStringToObject(o, "status", sam_frame_status_name(r.sw3));
    cJSON_AddStringToObject(o, "meaning", sam_frame_status_str(r.sw3));
    cJSON_AddNumberToObject(o, "data_length", (double)r.data_len);

    const uint8_t *text, *photo;
    size_t photo_len;
    if (r.sw3 == SAM_STATUS_OK && sam_frame_parse_base(&r, &text, &photo, &photo_len) == 0) {
        static struct idcard c;
        int rc = idcard_parse_text(text, SAM_FRAME_TEXT_LEN, &c);
        if (rc == 0) {
            memcpy(c.photo, photo, photo_len);
            c.photo_len = photo_len;
            cJSON_AddItemToObject(o, "card", card_json(&c, unmasked, NULL));
        } else {
            cJSON_AddStringToObject(o, "card_error",
                                    rc == ERR_UNSUPPORTED ? "unknown card type" : err_str(rc));
            char t[4];
            snprintf(t, sizeof t, "%02x", text[248]);
            cJSON_AddStringToObject(o, "card_type_byte", t);
        }
        idcard_wipe(&c);
    } else if (r.sw3 == SAM_STATUS_OK && r.data_len == SAM_FRAME_ADDRESS_LEN) {
        static struct idcard c;
        memset(&c, 0, sizeof c);
        if (idcard_parse_address(r.data, r.data_len, &c) == 0) {
            cJSON *a = cJSON_AddObjectToObject(o, "appended_address");
            if (unmasked) {
                cJSON_AddStringToObject(a, "text", c.address);
            } else {
                char m[48];
                snprintf(m, sizeof m, "(%zu characters, --unmasked shows)", utf8_len(c.address));
                cJSON_AddStringToObject(a, "text", m);
            }
        }
        idcard_wipe(&c);
    }
    return o;
}

static int decode_main(int argc, char **argv)
{
    const char *path = NULL;
    bool unmasked = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--unmasked"))
            unmasked = true;
        else if (!path)
            path = argv[i];
        else
            return usage();
    }
    if (!path)
        return usage();
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "bdc-kiosk-tool: cannot open %s\n", path);
        return 1;
    }
    uint8_t *buf = malloc(CAPTURE_MAX);
    size_t n = buf ? fread(buf, 1, CAPTURE_MAX, fp) : 0;
    bool too_big = buf && n == CAPTURE_MAX && fgetc(fp) != EOF;
    fclose(fp);
    if (!buf || too_big) {
        fprintf(stderr, "bdc-kiosk-tool: %s is larger than %u bytes\n", path, CAPTURE_MAX);
        free(buf);
        return 1;
    }
    bool hex = is_hex_text(buf, n);
    if (hex)
        n = hex_to_bytes(buf, n);

    static struct sam_frame_decoder dec;
    sam_frame_decoder_init(&dec);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "file", path);
    cJSON_AddStringToObject(root, "format", hex ? "hex" : "binary");
    cJSON_AddNumberToObject(root, "bytes", (double)n);
    cJSON *frames = cJSON_AddArrayToObject(root, "frames");
    cJSON *errors = cJSON_AddArrayToObject(root, "errors");
    size_t pos = 0;
    int bad = 0;
    /* Offsets: bytes consumed minus what the decoder still holds. */
    for (;;) {
        size_t used;
        struct sam_frame f;
        int rc = sam_frame_decode(&dec, buf + pos, n - pos, &used, &f);
        pos += used;
        size_t at = pos - dec.fill;
        if (rc == 1) {
            cJSON_AddItemToArray(frames, frame_json(&f, at, unmasked));
            continue;
        }
        if (rc == 0)
            break;
        bad++;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "offset", (double)(at > 0 ? at - 1 : 0));
        cJSON_AddStringToObject(e, "error", err_name(rc));
        cJSON_AddStringToObject(e, "meaning",
                                rc == ERR_CHECKSUM ? "frame dropped: checksum (CHK) does not match"
                                : rc == ERR_TOOBIG ? "frame dropped: length beyond any reply"
                                                   : "frame dropped: impossible length");
        cJSON_AddItemToArray(errors, e);
    }
    if (dec.fill > 0) {
        bad++;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "offset", (double)(n - dec.fill));
        cJSON_AddStringToObject(e, "error", "truncated");
        cJSON_AddStringToObject(e, "meaning", "capture ends inside a frame");
        cJSON_AddItemToArray(errors, e);
    }
    sam_frame_decoder_reset(&dec);
    explicit_bzero(buf, n);
    free(buf);
    char *s = cJSON_Print(root);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(root);
    return bad ? 1 : 0;
}

/* ---- read ---- */

struct read_state {
    pthread_mutex_t lock;
    bool done, connected;
    int err, sam_status;
    bool unmasked;
    struct idcard_photo_decoder *photo;
    cJSON *card;
};

static void on_card(void *user, const struct idcard *card)
{
    struct read_state *st = user;
    pthread_mutex_lock(&st->lock);
    if (!st->done)
        st->card = card_json(card, st->unmasked, st->photo);
    st->done = true;
    pthread_mutex_unlock(&st->lock);
}

static void on_failed(void *user, int err, int sam_status)
{
    struct read_state *st = user;
    pthread_mutex_lock(&st->lock);
    st->err = err;
    st->sam_status = sam_status;
    st->done = true;
    pthread_mutex_unlock(&st->lock);
}

static void on_state(void *user, bool connected)
{
    struct read_state *st = user;
    pthread_mutex_lock(&st->lock);
    st->connected = connected;
    pthread_mutex_unlock(&st->lock);
    fprintf(stderr, "reader %s\n", connected ? "connected: lay a card on it" : "lost");
}

static int read_main(int argc, char **argv)
{
    const char *tty = NULL, *models = NULL, *decoder = NULL, *id = NULL;
    int timeout_s = 30;
    struct read_state st = {.lock = PTHREAD_MUTEX_INITIALIZER};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (!strcmp(a, "--usb"))
            tty = NULL;
        else if (!strcmp(a, "--tty") && has)
            tty = argv[++i];
        else if (!strcmp(a, "--id") && has)
            id = argv[++i];
        else if (!strcmp(a, "--models") && has)
            models = argv[++i];
        else if (!strcmp(a, "--photo-decoder") && has)
            decoder = argv[++i];
        else if (!strcmp(a, "--timeout") && has)
            timeout_s = atoi(argv[++i]);
        else if (!strcmp(a, "--unmasked"))
            st.unmasked = true;
        else
            return usage();
    }
    struct transport *t = NULL;
    if (tty) {
        t = transport_tty_create(tty, 115200);
    } else {
        struct transport_usb_config cfg;
        transport_usb_config_init(&cfg, idcard_sam_driver.usb_ids);
        if ((id && driver_usb_id_parse(id, &cfg.extra_vid, &cfg.extra_pid)) ||
            transport_usb_parse_models(models, &cfg)) {
            fprintf(stderr, "bdc-kiosk-tool: bad --id or --models\n");
            return 2;
        }
        t = transport_usb_create(&cfg);
    }
    if (!t) {
        fprintf(stderr, "bdc-kiosk-tool: cannot set up the transport\n");
        return 1;
    }
    const char *why;
    st.photo = idcard_photo_open(decoder, &why);
    fprintf(stderr, "photo: %s\n", why);

    struct idcard_sink sink = {
        .card_inserted = on_card, .read_failed = on_failed, .reader_state = on_state, .user = &st};
    struct idcard_reader *r = idcard_reader_create(&idcard_sam_ops, t, &sink, NULL);
    if (!r || idcard_reader_start(r)) {
        fprintf(stderr, "bdc-kiosk-tool: cannot start the reader\n");
        idcard_reader_destroy(r);
        return 1;
    }
    bool done = false;
    for (int ms = 0; ms < timeout_s * 1000 && !done; ms += 50) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&st.lock);
        done = st.done;
        pthread_mutex_unlock(&st.lock);
    }
    char status[200];
    idcard_reader_status(r, status, sizeof status);
    idcard_reader_stop(r);

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "reader", status);
    cJSON_AddStringToObject(root, "transport", t->ops->name);
    int rc = 0;
    if (st.card) {
        cJSON_AddItemToObject(root, "card", st.card);
    } else if (done) {
        cJSON_AddStringToObject(root, "error", err_name(st.err));
        cJSON_AddStringToObject(root, "sw3",
                                st.sam_status < 0 ? "none" : sam_frame_status_name(st.sam_status));
        cJSON_AddStringToObject(root, "meaning",
                                st.sam_status < 0 ? err_str(st.err)
                                                  : sam_frame_status_str(st.sam_status));
        rc = 1;
    } else {
        cJSON_AddStringToObject(
            root, "error", st.connected ? "no card within the timeout" : "reader not connected");
        rc = 1;
    }
    char *s = cJSON_Print(root);
    if (s)
        puts(s);
    free(s);
    cJSON_Delete(root);
    idcard_reader_destroy(r);
    idcard_photo_close(st.photo);
    if (tty)
        transport_tty_destroy(t);
    else
        transport_usb_destroy(t);
    return rc;
}

int tool_idcard_main(int argc, char **argv)
{
    if (argc < 1)
        return usage();
    if (!strcmp(argv[0], "decode"))
        return decode_main(argc - 1, argv + 1);
    if (!strcmp(argv[0], "read"))
        return read_main(argc - 1, argv + 1);
    return usage();
}
