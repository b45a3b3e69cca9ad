/* idcard_sam.c - GA/T 467 SAM reader protocol over a transport.
 *
 * Runs on the reader thread. Each member is one request/reply exchange:
 * drain stale bytes, reset the decoder, write one frame, read in short
 * slices until a checked reply arrives or the timeout passes, then decide
 * on SW3. Frame layout and SW3 meanings: sam_frame.c.
 *
 * Sources for the choices here (see also shared hardware notes, part A):
 * - find success is SW3 9F, not 90 (softs.im; AuroraRAS/openiDR200
 *   idrusb.cpp); find + select must be re-sent before every read
 *   (yzsam.com/html/CNvfzM.html).
 * - 30 03 answers 91 when the card holds no appended address (softs.im;
 *   SerialReader ReadCardNewAddress reads 70 bytes at payload offset 0).
 * - Never reuse partial data after a bad frame: re-issue the command
 *   (hev-idcard-reader; SAMSerial.cs).
 * - Native USB SAM readers: 0400:c35a (AuroraRAS/openiDR200 idrusb.cpp,
 *   Android SDTAPI demos) and 0483:5652 (STM32-based, SDTAPI demos'
 *   fallback). No authoritative registry of reader ids exists; readers
 *   behind CH340 / CP210x / PL2303 serial bridges are reached as ttys, not
 *   by id, since those bridge ids are shared with every other product.
 */
#include "idcard_sam.h"

#include "base/clock.h"
#include "base/err.h"

#include <string.h>
#include <time.h>

#define SLICE_MS 50 /* longest block between stop-flag checks */

void idcard_sam_link_init(struct idcard_link *l, struct transport *t, const atomic_bool *stop)
{
    l->t = t;
    l->stop = stop;
    sam_frame_decoder_init(&l->dec);
    memset(l->rx, 0, sizeof l->rx);
}

void idcard_sam_link_fini(struct idcard_link *l)
{
    sam_frame_decoder_reset(&l->dec);
    explicit_bzero(l->rx, sizeof l->rx);
}

static bool stopping(const struct idcard_link *l)
{
    return l->stop && atomic_load(l->stop);
}

/* Any transport failure other than a timeout means the link is broken
 * (a tty's EIO after unplug, a sim replugged under us): the reader
 * reopens. ERR_IO is kept for failures the module itself reports. */
static int link_error(int rc)
{
    return rc == ERR_TIMEOUT || rc == ERR_CANCELLED ? rc : ERR_NODEV;
}

/* One exchange. On 0, *reply points into the decoder until the next
 * exchange. */
static int exchange(struct idcard_link *l, enum sam_command c, int timeout_ms,
                    struct sam_reply *reply)
{
    /* A reply that came after its command timed out must not be taken
     * for the answer to this one: drain, then forget partial frames. */
    for (int i = 0; i < 8; i++) {
        int n = transport_read(l->t, l->rx, sizeof l->rx, 0);
        if (n == ERR_TIMEOUT)
            break;
        if (n < 0)
            return link_error(n);
    }
    sam_frame_decoder_reset(&l->dec);

    uint8_t req[16];
    int len = sam_frame_encode_command(c, NULL, 0, req, sizeof req);
    if (len < 0)
        return len;
    int rc = transport_write(l->t, req, (size_t)len, timeout_ms);
    if (rc < 0)
        return link_error(rc);

    int64_t deadline = clock_physical_ms() + timeout_ms;
    for (;;) {
        if (stopping(l))
            return ERR_CANCELLED;
        int64_t left = deadline - clock_physical_ms();
        if (left <= 0)
            return ERR_TIMEOUT;
        int n = transport_read(l->t, l->rx, sizeof l->rx, left < SLICE_MS ? (int)left : SLICE_MS);
        if (n == ERR_TIMEOUT)
            continue;
        if (n < 0)
            return link_error(n);
        const uint8_t *p = l->rx;
        size_t rest = (size_t)n;
        int bad = 0;
        for (;;) {
            size_t used;
            struct sam_frame f;
            int r = sam_frame_decode(&l->dec, p, rest, &used, &f);
            p += used;
            rest -= used;
            if (r == 1)
                return sam_frame_parse_reply(&f, reply) ? ERR_PROTOCOL : 0;
            if (r == 0)
                break;
            bad = r; /* dropped a damaged frame; keep scanning the rest */
        }
        /* The module sends one reply per request: a damaged one is the
         * answer, and waiting for the timeout would only slow the retry. */
        if (bad)
            return bad == ERR_CHECKSUM ? ERR_CHECKSUM : ERR_PROTOCOL;
    }
}

/* Runs c and maps SW3: ok_sw3 gives 0, 80 / 91 give ERR_NOTFOUND, 10 gives
 * ERR_CHECKSUM (our frame was damaged on the way), anything else ERR_IO. */
static int command(struct idcard_link *l, enum sam_command c, uint8_t ok_sw3, int timeout_ms,
                   int *sam_status, struct sam_reply *reply)
{
    *sam_status = SAM_STATUS_NONE;
    int rc = exchange(l, c, timeout_ms, reply);
    if (rc)
        return rc;
    *sam_status = reply->sw3;
    if (reply->sw3 == ok_sw3)
        return 0;
    switch (reply->sw3) {
    case SAM_STATUS_FIND_FAILED:
        if (c == SAM_CMD_FIND)
            return ERR_NOTFOUND;
        break;
    case SAM_STATUS_NO_CONTENT:
        return ERR_NOTFOUND;
    case SAM_STATUS_HOST_CHECKSUM:
        return ERR_CHECKSUM;
    default:
        break;
    }
    return ERR_IO;
}

static int sam_status(struct idcard_link *l, int timeout_ms, int *sam_status)
{
    struct sam_reply r;
    return command(l, SAM_CMD_STATUS, SAM_STATUS_OK, timeout_ms, sam_status, &r);
}

static int sam_find(struct idcard_link *l, int timeout_ms, int *sam_status)
{
    struct sam_reply r;
    return command(l, SAM_CMD_FIND, SAM_STATUS_FIND_OK, timeout_ms, sam_status, &r);
}

static int sam_select(struct idcard_link *l, int timeout_ms, int *sam_status)
{
    struct sam_reply r;
    return command(l, SAM_CMD_SELECT, SAM_STATUS_OK, timeout_ms, sam_status, &r);
}

/* 30 01 or 30 10: the card's text and photo; the fingerprint block of a
 * 30 10 reply is measured, then wiped with the rest of the reply. */
static int read_card(struct idcard_link *l, enum sam_command c, int timeout_ms, struct idcard *out,
                     int *sam_status)
{
    struct sam_reply r;
    struct sam_card_data d;
    memset(out, 0, sizeof *out);
    int rc = command(l, c, SAM_STATUS_OK, timeout_ms, sam_status, &r);
    if (rc == 0 && (sam_frame_parse_card(r.data, r.data_len, r.data_len, &d) != 0 ||
                    d.full != (c == SAM_CMD_READ_FULL)))
        rc = ERR_PROTOCOL;
    if (rc == 0)
        rc = idcard_parse_text(d.text, SAM_FRAME_TEXT_LEN, out);
    if (rc == 0) {
        memcpy(out->photo, d.photo, d.photo_len);
        out->photo_len = d.photo_len;
        out->fingerprint_asked = d.full;
        out->fingerprint_len = d.fingerprint_len;
    } else {
        idcard_wipe(out);
    }
    sam_frame_decoder_reset(&l->dec); /* text, photo and any fingerprint */
    explicit_bzero(l->rx, sizeof l->rx);
    return rc;
}

static int sam_read_base(struct idcard_link *l, int timeout_ms, struct idcard *out, int *sam_status)
{
    return read_card(l, SAM_CMD_READ_BASE, timeout_ms, out, sam_status);
}

static int sam_read_full(struct idcard_link *l, int timeout_ms, struct idcard *out, int *sam_status)
{
    return read_card(l, SAM_CMD_READ_FULL, timeout_ms, out, sam_status);
}

static int sam_read_address(struct idcard_link *l, int timeout_ms, struct idcard *card,
                            int *sam_status)
{
    struct sam_reply r;
    int rc = command(l, SAM_CMD_READ_ADDRESS, SAM_STATUS_OK, timeout_ms, sam_status, &r);
    if (rc)
        return rc;
    if (r.data_len < SAM_FRAME_ADDRESS_LEN)
        return ERR_PROTOCOL;
    return idcard_parse_address(r.data, SAM_FRAME_ADDRESS_LEN, card);
}

const struct idcard_ops idcard_sam_ops = {
    .name = "sam",
    .status = sam_status,
    .find = sam_find,
    .select = sam_select,
    .read_base = sam_read_base,
    .read_full = sam_read_full,
    .read_address = sam_read_address,
};

static const struct driver_usb_id idcard_sam_usb_ids[] = {
    {0x0400, 0xc35a, "generic SAM USB reader, split bulk pipes 02/06 81/85"},
    {0x0483, 0x5652, "STM32-based SAM reader"},
    {0, 0, NULL},
};

const struct driver_info idcard_sam_driver = {
    .name = "idcard-sam",
    .description = "GA/T 467 SAM ID card reader (resident ID, HMT and foreigner permits)",
    .cls = DRIVER_CLASS_IDCARD,
    .usb_ids = idcard_sam_usb_ids,
    .caps = DRIVER_CAP_SIM | DRIVER_CAP_USB | DRIVER_CAP_TTY | DRIVER_CAP_PHOTO,
    .ops = &idcard_sam_ops,
};
