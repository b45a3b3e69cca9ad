/* tool_idcard.c - `bdc-kiosk-tool idcard decode FILE` and `idcard read`.
 *
 * decode: a raw GA/T 467 frame, or a capture of several, as bytes or as
 * the text people paste (hex dumps of xxd, hexdump -C, od, plain hex, C
 * or Java arrays, base64: capture_text.c tells them apart), through the
 * kiosk's own stream decoder and text parser; one JSON object on stdout
 * with every frame (SW3 and its meaning, the card fields for a 30 01 or
 * 30 10 reply, a fingerprint block's size but never its bytes), every
 * damaged span, and the frame a capture ends inside, marked partial.
 * Bytes with no frame at all are an error (exit 1) that says what they
 * look like: a payload or reply body that lost its header is decoded all
 * the same. Name, ID number and address are masked unless --unmasked:
 * captures end up in tickets and chat threads.
 *
 * read: opens a real reader (usb by default, or a tty), waits for one
 * card, prints it the same way with the reader's status, and exits: for
 * hall staff and integrators checking a new model. Main thread, plus the
 * reader's own thread for `read`.
 */
#include "tool/tool.h"

#include "tool/capture_text.h"

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
                    "                      [--models SPEC] [--photo-decoder LIB] [--timeout S]\n"
                    "                      [--read-command text_photo|with_fingerprint] "
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
    if (c->fingerprint_asked) {
        /* Biometric data: whether the card holds templates, and how many
         * bytes; never the bytes. */
        cJSON *f = cJSON_AddObjectToObject(o, "fingerprint");
        cJSON_AddBoolToObject(f, "present", c->fingerprint_len > 0);
        cJSON_AddNumberToObject(f, "bytes", (double)c->fingerprint_len);
    }
    return o;
}

/* ---- decode ---- */

/* The card in 30 01 / 30 10 data (len declared, have present) added to o:
 * its fields masked unless unmasked, the layout, and of a fingerprint
 * block its size alone. Returns false when the data holds no card. */
static bool add_card(cJSON *o, const uint8_t *data, size_t len, size_t have, bool unmasked)
{
    struct sam_card_data d;
    if (sam_frame_parse_card(data, len, have, &d) != 0)
        return false;
    cJSON_AddStringToObject(o, "layout",
                            d.full ? "text+photo+fingerprint (30 10)" : "text+photo (30 01)");
    static struct idcard c;
    int rc = idcard_parse_text(d.text, SAM_FRAME_TEXT_LEN, &c);
    if (rc == 0) {
        memcpy(c.photo, d.photo, d.photo_have);
        c.photo_len = d.photo_have;
        c.fingerprint_asked = d.full;
        c.fingerprint_len = d.fingerprint_len;
        cJSON_AddItemToObject(o, "card", card_json(&c, unmasked, NULL));
    } else {
        cJSON_AddStringToObject(o, "card_error",
                                rc == ERR_UNSUPPORTED ? "unknown card type" : err_str(rc));
        char t[4];
        snprintf(t, sizeof t, "%02x", d.text[248]);
        cJSON_AddStringToObject(o, "card_type_byte", t);
    }
    idcard_wipe(&c);
    return true;
}

static void add_reply_head(cJSON *o, const struct sam_reply *r)
{
    char hex[8];
    cJSON_AddStringToObject(o, "kind", "reply");
    snprintf(hex, sizeof hex, "%02x", r->sw3);
    cJSON_AddStringToObject(o, "sw3", hex);
    cJSON_AddStringToObject(o, "status", sam_frame_status_name(r->sw3));
    cJSON_AddStringToObject(o, "meaning", sam_frame_status_str(r->sw3));
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
    add_reply_head(o, &r);
    cJSON_AddNumberToObject(o, "data_length", (double)r.data_len);
    if (r.sw3 == SAM_STATUS_OK && add_card(o, r.data, r.data_len, r.data_len, unmasked)) {
        /* the card */
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

/* The frame a capture ends inside: what its bytes so far hold. */
static cJSON *partial_json(const struct sam_frame *f, size_t declared, size_t offset, bool unmasked)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "partial", true);
    cJSON_AddNumberToObject(o, "offset", (double)offset);
    cJSON_AddNumberToObject(o, "length", (double)f->raw_len);
    cJSON_AddNumberToObject(o, "declared_length", (double)declared);
    cJSON_AddStringToObject(o, "checksum", "not checked: the frame is cut short");
    if (declared == SAM_FRAME_HEADER_LEN + SAM_FRAME_LEN_MIN) {
        cJSON_AddStringToObject(o, "kind", "request");
        return o;
    }
    if (f->body_len < 3) {
        cJSON_AddStringToObject(o, "kind", "unknown");
        return o;
    }
    struct sam_reply r = {f->body[0], f->body[1], f->body[2], f->body + 3, f->body_len - 3};
    add_reply_head(o, &r);
    size_t data_len = declared - SAM_FRAME_HEADER_LEN - 4; /* SW1..SW3, CHK */
    cJSON_AddNumberToObject(o, "data_length", (double)data_len);
    cJSON_AddNumberToObject(o, "data_present", (double)r.data_len);
    if (r.sw3 != SAM_STATUS_OK || !add_card(o, r.data, data_len, r.data_len, unmasked))
        cJSON_AddStringToObject(o, "holds", "too few bytes for a card's text block");
    return o;
}

/* Bytes without a whole frame: what they look like, in words, and the card
 * in them when they are a reply or payload that lost its header. */
static void describe_headerless(cJSON *root, cJSON *errors, const uint8_t *b, size_t n,
                                bool damaged, bool unmasked)
{
    char num[32], m[320];
    size_t at = 0, len = 0;
    enum sam_guess g = damaged ? SAM_GUESS_NOTHING : sam_frame_guess(b, n, &at, &len);
    if (n == 0)
        snprintf(m, sizeof m, "no frame found: the capture is empty");
    else if (damaged)
        snprintf(m, sizeof m, "no frame found: only damaged frames in %s bytes",
                 fmt_thousands(n, num));
    else
        snprintf(m, sizeof m, "no frame found: %s bytes that look like %s", fmt_thousands(n, num),
                 sam_frame_guess_str(g));
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "error", "no_frame");
    cJSON_AddStringToObject(e, "meaning", m);
    cJSON_AddItemToArray(errors, e);
    fprintf(stderr, "bdc-kiosk-tool: %s\n", m);
    if (g == SAM_GUESS_NOTHING || len == 0)
        return;
    cJSON *h = cJSON_AddObjectToObject(root, "headerless");
    cJSON_AddStringToObject(h, "looks_like", sam_frame_guess_str(g));
    cJSON_AddNumberToObject(h, "card_offset", (double)at);
    if (g == SAM_GUESS_TEXT || g == SAM_GUESS_TEXT_PHOTO) {
        /* No length words: lay them in front, as the module would. */
        static uint8_t data[6 + SAM_FRAME_TEXT_LEN + SAM_FRAME_PHOTO_LEN];
        size_t photo = len - SAM_FRAME_TEXT_LEN;
        photo = photo > SAM_FRAME_PHOTO_LEN ? SAM_FRAME_PHOTO_LEN : photo;
        int dn =
            sam_frame_encode_base(b + at, b + at + SAM_FRAME_TEXT_LEN, photo, data, sizeof data);
        if (dn > 0)
            add_card(h, data, (size_t)dn, (size_t)dn, unmasked);
        explicit_bzero(data, sizeof data);
    } else {
        add_card(h, b + at, len, len, unmasked);
    }
}

static cJSON *error_json(size_t offset, const char *error, const char *meaning)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddNumberToObject(e, "offset", (double)offset);
    cJSON_AddStringToObject(e, "error", error);
    cJSON_AddStringToObject(e, "meaning", meaning);
    return e;
}

/* Every frame in b[0..n) into frames and errors; returns how many damaged
 * spans there were (a cut-off frame counts). */
static int decode_frames(const uint8_t *b, size_t n, cJSON *frames, cJSON *errors, bool unmasked)
{
    static struct sam_frame_decoder dec;
    sam_frame_decoder_init(&dec);
    size_t pos = 0;
    int bad = 0;
    /* Offsets: bytes consumed minus what the decoder still holds. */
    for (;;) {
        size_t used;
        struct sam_frame f;
        int rc = sam_frame_decode(&dec, b + pos, n - pos, &used, &f);
        pos += used;
        size_t at = pos - dec.fill;
        if (rc == 1) {
            cJSON_AddItemToArray(frames, frame_json(&f, at, unmasked));
            continue;
        }
        if (rc == 0)
            break;
        bad++;
        cJSON_AddItemToArray(
            errors, error_json(at > 0 ? at - 1 : 0, err_name(rc),
                               rc == ERR_CHECKSUM ? "frame dropped: checksum (CHK) does not match"
                               : rc == ERR_TOOBIG ? "frame dropped: length beyond any reply"
                                                  : "frame dropped: impossible length"));
    }
    if (dec.fill > 0) {
        bad++;
        struct sam_frame pf;
        size_t declared;
        bool partial = sam_frame_decoder_partial(&dec, &pf, &declared);
        if (partial)
            cJSON_AddItemToArray(frames, partial_json(&pf, declared, n - dec.fill, unmasked));
        cJSON_AddItemToArray(errors,
                             error_json(n - dec.fill, "truncated",
                                        partial ? "capture ends inside a frame (shown as partial)"
                                                : "capture ends inside a frame header"));
    }
    sam_frame_decoder_reset(&dec);
    return bad;
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
    uint8_t *text = malloc(CAPTURE_MAX);
    uint8_t *buf = malloc(CAPTURE_MAX);
    size_t n = text && buf ? fread(text, 1, CAPTURE_MAX, fp) : 0;
    bool too_big = text && buf && n == CAPTURE_MAX && fgetc(fp) != EOF;
    fclose(fp);
    struct capture_text ct = {0};
    int rc =
        too_big || !text || !buf ? ERR_TOOBIG : capture_text_decode(text, n, buf, CAPTURE_MAX, &ct);
    if (text)
        explicit_bzero(text, n);
    free(text);
    if (rc == ERR_TOOBIG) {
        fprintf(stderr, "bdc-kiosk-tool: %s is larger than %u bytes\n", path, CAPTURE_MAX);
        free(buf);
        return 1;
    }

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "file", path);
    cJSON_AddStringToObject(root, "format", capture_text_format_name(ct.format));
    int bad = 0;
    if (rc) {
        char m[256];
        if (ct.line)
            snprintf(m, sizeof m, "line %zu: %s", ct.line, ct.problem);
        else
            snprintf(m, sizeof m, "%s", ct.problem ? ct.problem : err_str(rc));
        cJSON_AddStringToObject(root, "error", "unreadable");
        cJSON_AddStringToObject(root, "meaning", m);
        fprintf(stderr, "bdc-kiosk-tool: %s: %s (read as %s)\n", path, m,
                capture_text_format_name(ct.format));
        bad = 1;
    } else {
        n = ct.len;
        cJSON_AddNumberToObject(root, "bytes", (double)n);
        cJSON *frames = cJSON_AddArrayToObject(root, "frames");
        cJSON *errors = cJSON_AddArrayToObject(root, "errors");
        bad = decode_frames(buf, n, frames, errors, unmasked);
        if (cJSON_GetArraySize(frames) == 0) {
            describe_headerless(root, errors, buf, n, bad > 0, unmasked);
            bad++;
        }
        explicit_bzero(buf, n);
    }
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
    struct idcard_reader_config rcfg;
    idcard_reader_config_init(&rcfg);
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
        else if (!strcmp(a, "--read-command") && has &&
                 (!strcmp(argv[i + 1], "text_photo") || !strcmp(argv[i + 1], "with_fingerprint")))
            rcfg.read_fingerprint = !strcmp(argv[++i], "with_fingerprint");
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
    struct idcard_reader *r = idcard_reader_create(&idcard_sam_ops, t, &sink, &rcfg);
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
