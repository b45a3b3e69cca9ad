/* sam_frame.c - GA/T 467 host<->SAM frame encoders, stream decoder, SW3 table.
 *
 * Pure code over bytes, run on whichever thread owns the decoder (the
 * reader thread; the simulator's caller for the sim side).
 *
 * PROTOCOL NOTES (GA/T 467-2019 is paywalled; the layout below is where
 * vendor documents and independent implementations agree byte for byte):
 *
 *   request  AA AA AA 96 69 | Len1 Len2 | CMD | Para | Data... | CHK
 *   reply    AA AA AA 96 69 | Len1 Len2 | SW1 | SW2 | SW3 | Data... | CHK
 *
 * - AA AA AA is frame sync, 96 69 frame start (softs.im "身份证阅读器通信协议";
 *   e-com-net.com article 1743571842846703616, a copy of the 公安部 SAM
 *   通讯协议 document).
 * - Len is 16-bit big-endian and counts everything after itself including
 *   CHK (same pages; cdGH/Ids HslCommunication Profinet/IDCard/SAMSerial.cs
 *   checks len == total - 7).
 * - CHK is the XOR of every byte after the preamble up to the last data
 *   byte (Len1 Len2 CMD/SW... Data). Worked examples re-checked by hand:
 *   find  ...69 00 03 20 01 22, no card  ...69 00 04 00 00 80 84
 *   (yzsam.com/html/CNvfzM.html; hevz/hev-idcard-reader).
 * - SW1 SW2 echo the card's APDU status; SW3 is the SAM's own status and
 *   the one to decide on (softs.im). Success is 90, except find: 9F.
 * - 30 01 reply data: text length (2 B BE, 0x0100), photo length (2 B BE,
 *   0x0400), 256 B text, 1024 B WLT photo; Len 0x0508, frame 1295 bytes
 *   (yzsam.com; SerialReader decodeInfo; SAMSerial.cs text @14 photo @270).
 * - 30 10 reply data: text, photo and fingerprint lengths (3 x 2 B BE),
 *   then the three blocks; fingerprint 0, 512 or 1024 bytes (0-2 templates)
 *   for frames of 1297 / 1809 / 2321 bytes (yzsam.com; SerialReader
 *   decodeInfo(haveFinger)). The fingerprint block is biometric data: the
 *   codec reports its size and never hands out its bytes.
 * - SW3 table: softs.im; cdGH/Ids Language/DefaultLanguage.cs and
 *   Profinet/IDCard/SAMSerial.cs GetErrorDescription.
 * - Robustness (hev-idcard-reader read-size callback, SAMSerial.cs
 *   CheckADSCommandAndSum): validate preamble, Len and CHK before trusting
 *   SW3; on garbage scan for AA AA AA 96 69; never reuse partial data.
 *
 * DESIGN: the decoder keeps at most one frame's worth of bytes, always
 * starting at a (possibly partial) preamble. When a candidate frame fails
 * its length or checksum test, only its first byte is dropped and the scan
 * restarts, so a truncated frame followed by a good one still yields the
 * good one (its preamble sits inside the bad candidate's span).
 */
#include "sam_frame.h"

#include "base/err.h"
#include "base/util.h"

#include <string.h>

static const uint8_t sam_preamble[SAM_FRAME_PREAMBLE_LEN] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

struct sam_status_row {
    uint8_t sw3;
    const char *name;
    const char *meaning;
};

static const struct sam_status_row sam_status_table[] = {
    {SAM_STATUS_OK, "ok", "success"},
    {SAM_STATUS_NO_CONTENT, "no_content", "the item has no content on this card"},
    {SAM_STATUS_FIND_OK, "find_ok", "card found"},
    {SAM_STATUS_HOST_CHECKSUM, "host_checksum", "checksum error in the host's frame"},
    {SAM_STATUS_HOST_LENGTH, "host_length", "length error in the host's frame"},
    {SAM_STATUS_COMMAND, "command", "command error (bad values or combination)"},
    {SAM_STATUS_NOT_PERMITTED, "not_permitted", "operation not permitted"},
    {SAM_STATUS_UNKNOWN_ERROR, "unknown_error", "unrecognised error"},
    {SAM_STATUS_CARD_AUTH_SAM, "card_auth_sam", "card failed to authenticate the SAM"},
    {SAM_STATUS_SAM_AUTH_CARD, "sam_auth_card", "SAM failed to authenticate the card"},
    {SAM_STATUS_VERIFY, "verify", "information verification error"},
    {SAM_STATUS_BAD_CARD, "bad_card", "unrecognised card type"},
    {SAM_STATUS_READ_FAILED, "read_failed", "reading the card failed"},
    {SAM_STATUS_RANDOM, "random", "get-random failed"},
    {SAM_STATUS_SELF_TEST, "self_test", "SAM self-test failed; it accepts no commands"},
    {SAM_STATUS_NOT_AUTHORISED, "not_authorised", "SAM not authorised"},
    {SAM_STATUS_FIND_FAILED, "find_failed", "no card in the field"},
    {SAM_STATUS_SELECT_FAILED, "select_failed", "selecting the card failed"},
};

const uint8_t sam_frame_status_codes[] = {
    SAM_STATUS_OK,
    SAM_STATUS_NO_CONTENT,
    SAM_STATUS_FIND_OK,
    SAM_STATUS_HOST_CHECKSUM,
    SAM_STATUS_HOST_LENGTH,
    SAM_STATUS_COMMAND,
    SAM_STATUS_NOT_PERMITTED,
    SAM_STATUS_UNKNOWN_ERROR,
    SAM_STATUS_CARD_AUTH_SAM,
    SAM_STATUS_SAM_AUTH_CARD,
    SAM_STATUS_VERIFY,
    SAM_STATUS_BAD_CARD,
    SAM_STATUS_READ_FAILED,
    SAM_STATUS_RANDOM,
    SAM_STATUS_SELF_TEST,
    SAM_STATUS_NOT_AUTHORISED,
    SAM_STATUS_FIND_FAILED,
    SAM_STATUS_SELECT_FAILED,
};
const size_t sam_frame_status_count = ARRAY_LEN(sam_frame_status_codes);

static const struct sam_status_row *status_row(int sw3)
{
    for (size_t i = 0; i < ARRAY_LEN(sam_status_table); i++)
        if (sam_status_table[i].sw3 == sw3)
            return &sam_status_table[i];
    return NULL;
}

const char *sam_frame_status_name(int sw3)
{
    const struct sam_status_row *r = status_row(sw3);
    return r ? r->name : "unknown";
}

const char *sam_frame_status_str(int sw3)
{
    const struct sam_status_row *r = status_row(sw3);
    return r ? r->meaning : "unknown SAM status";
}

bool sam_frame_status_is_known(int sw3)
{
    return status_row(sw3) != NULL;
}

uint8_t sam_frame_xor(const uint8_t *bytes, size_t len)
{
    uint8_t x = 0;
    for (size_t i = 0; i < len; i++)
        x ^= bytes[i];
    return x;
}

/* Lays out preamble, Len, the three head bytes, data and CHK. */
static int encode(const uint8_t *head, size_t head_len, const uint8_t *data, size_t len,
                  uint8_t *out, size_t cap)
{
    size_t body = head_len + len + 1; /* + CHK */
    size_t total = SAM_FRAME_HEADER_LEN + body;
    if (len > SAM_FRAME_MAX || total > SAM_FRAME_MAX || total > cap)
        return ERR_TOOBIG;
    memcpy(out, sam_preamble, SAM_FRAME_PREAMBLE_LEN);
    out[5] = (uint8_t)(body >> 8);
    out[6] = (uint8_t)(body & 0xFF);
    memcpy(out + SAM_FRAME_HEADER_LEN, head, head_len);
    if (len)
        memcpy(out + SAM_FRAME_HEADER_LEN + head_len, data, len);
    out[total - 1] =
        sam_frame_xor(out + SAM_FRAME_PREAMBLE_LEN, total - SAM_FRAME_PREAMBLE_LEN - 1);
    return (int)total;
}

int sam_frame_encode_request(uint8_t cmd, uint8_t para, const uint8_t *data, size_t len,
                             uint8_t *out, size_t cap)
{
    const uint8_t head[2] = {cmd, para};
    if (len && !data)
        return ERR_INVALID;
    return encode(head, sizeof head, data, len, out, cap);
}

int sam_frame_encode_command(enum sam_command c, const uint8_t *data, size_t len, uint8_t *out,
                             size_t cap)
{
    return sam_frame_encode_request(SAM_CMD_BYTE(c), SAM_PARA_BYTE(c), data, len, out, cap);
}

int sam_frame_encode_reply(uint8_t sw1, uint8_t sw2, uint8_t sw3, const uint8_t *data, size_t len,
                           uint8_t *out, size_t cap)
{
    const uint8_t head[3] = {sw1, sw2, sw3};
    if (len && !data)
        return ERR_INVALID;
    return encode(head, sizeof head, data, len, out, cap);
}

void sam_frame_decoder_init(struct sam_frame_decoder *d)
{
    memset(d, 0, sizeof *d);
}

void sam_frame_decoder_reset(struct sam_frame_decoder *d)
{
    explicit_bzero(d->buf, d->fill);
    d->fill = 0;
    d->pending = 0;
}

/* Drops the first n buffered bytes and wipes the vacated tail. */
static void drop(struct sam_frame_decoder *d, size_t n)
{
    if (n == 0)
        return;
    if (n >= d->fill) {
        explicit_bzero(d->buf, d->fill);
        d->fill = 0;
        return;
    }
    memmove(d->buf, d->buf + n, d->fill - n);
    explicit_bzero(d->buf + d->fill - n, n);
    d->fill -= n;
}

/* Offset of the first position where the buffer holds the preamble, or a
 * prefix of it running to the end of the buffer; fill if none. */
static size_t find_preamble(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t m = n - i < SAM_FRAME_PREAMBLE_LEN ? n - i : SAM_FRAME_PREAMBLE_LEN;
        if (memcmp(b + i, sam_preamble, m) == 0)
            return i;
    }
    return n;
}

/* Brings the buffer to a preamble start and reports a frame or an error.
 * Returns 0 when more bytes are needed; then fill < SAM_FRAME_MAX. */
static int settle(struct sam_frame_decoder *d, struct sam_frame *out)
{
    drop(d, find_preamble(d->buf, d->fill));
    if (d->fill < SAM_FRAME_HEADER_LEN)
        return 0;
    size_t len = (size_t)d->buf[5] << 8 | d->buf[6];
    if (len < SAM_FRAME_LEN_MIN) {
        drop(d, 1);
        return ERR_PROTOCOL;
    }
    if (SAM_FRAME_HEADER_LEN + len > SAM_FRAME_MAX) {
        drop(d, 1);
        return ERR_TOOBIG;
    }
    size_t total = SAM_FRAME_HEADER_LEN + len;
    if (d->fill < total)
        return 0;
    uint8_t chk =
        sam_frame_xor(d->buf + SAM_FRAME_PREAMBLE_LEN, total - SAM_FRAME_PREAMBLE_LEN - 1);
    if (chk != d->buf[total - 1]) {
        drop(d, 1);
        return ERR_CHECKSUM;
    }
    out->raw = d->buf;
    out->raw_len = total;
    out->body = d->buf + SAM_FRAME_HEADER_LEN;
    out->body_len = len - 1;
    d->pending = total;
    return 1;
}

int sam_frame_decode(struct sam_frame_decoder *d, const uint8_t *data, size_t len, size_t *used,
                     struct sam_frame *out)
{
    *used = 0;
    if (d->pending) {
        drop(d, d->pending);
        d->pending = 0;
    }
    for (;;) {
        int rc = settle(d, out);
        if (rc != 0)
            return rc;
        if (*used == len)
            return 0;
        size_t room = SAM_FRAME_MAX - d->fill;
        size_t n = len - *used < room ? len - *used : room;
        memcpy(d->buf + d->fill, data + *used, n);
        d->fill += n;
        *used += n;
    }
}

int sam_frame_parse_reply(const struct sam_frame *f, struct sam_reply *out)
{
    if (f->body_len < 3)
        return ERR_PROTOCOL;
    out->sw1 = f->body[0];
    out->sw2 = f->body[1];
    out->sw3 = f->body[2];
    out->data = f->body + 3;
    out->data_len = f->body_len - 3;
    return 0;
}

int sam_frame_parse_request(const struct sam_frame *f, struct sam_request *out)
{
    if (f->body_len < 2)
        return ERR_PROTOCOL;
    out->cmd = f->body[0];
    out->para = f->body[1];
    out->data = f->body + 2;
    out->data_len = f->body_len - 2;
    return 0;
}

static size_t be16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

int sam_frame_parse_card(const uint8_t *data, size_t len, size_t have, struct sam_card_data *out)
{
    memset(out, 0, sizeof *out);
    if (have > len || have < 4)
        return ERR_PROTOCOL;
    size_t tlen = be16(data), plen = be16(data + 2);
    if (tlen != SAM_FRAME_TEXT_LEN || plen > SAM_FRAME_PHOTO_LEN)
        return ERR_PROTOCOL;
    size_t words = 4;
    if (have >= 6) {
        size_t flen = be16(data + 4);
        if (flen <= SAM_FRAME_FINGERPRINT_MAX && len == 6 + tlen + plen + flen) {
            out->full = true;
            out->fingerprint_len = flen;
            words = 6;
        }
    }
    if (!out->full && len < 4 + tlen + plen)
        return ERR_PROTOCOL;
    if (have < words + tlen)
        return ERR_PROTOCOL;
    out->text = data + words;
    out->photo = data + words + tlen;
    out->photo_len = plen;
    size_t rest = have - words - tlen;
    out->photo_have = rest < plen ? rest : plen;
    return 0;
}

int sam_frame_parse_base(const struct sam_reply *r, const uint8_t **text, const uint8_t **photo,
                         size_t *photo_len)
{
    struct sam_card_data c;
    if (sam_frame_parse_card(r->data, r->data_len, r->data_len, &c) || c.full)
        return ERR_PROTOCOL;
    *text = c.text;
    *photo = c.photo;
    *photo_len = c.photo_len;
    return 0;
}

/* The card data of a 30 01 reply (two lengths: full false) or a 30 10
 * reply (three: the fingerprint's too), each length big-endian, then the
 * blocks in the same order. */
static int encode_card(const uint8_t text[SAM_FRAME_TEXT_LEN], const uint8_t *photo,
                       size_t photo_len, const uint8_t *fingerprint, size_t fingerprint_len,
                       bool full, uint8_t *out, size_t cap)
{
    if (photo_len > SAM_FRAME_PHOTO_LEN || (photo_len && !photo) ||
        fingerprint_len > SAM_FRAME_FINGERPRINT_MAX || (fingerprint_len && !fingerprint))
        return ERR_INVALID;
    size_t head = full ? 6 : 4;
    size_t total = head + SAM_FRAME_TEXT_LEN + photo_len + fingerprint_len;
    if (total > cap)
        return ERR_TOOBIG;
    const size_t lens[3] = {SAM_FRAME_TEXT_LEN, photo_len, fingerprint_len};
    for (size_t i = 0; i < head / 2; i++) {
        out[2 * i] = (uint8_t)(lens[i] >> 8);
        out[2 * i + 1] = (uint8_t)(lens[i] & 0xFF);
    }
    memcpy(out + head, text, SAM_FRAME_TEXT_LEN);
    if (photo_len)
        memcpy(out + head + SAM_FRAME_TEXT_LEN, photo, photo_len);
    if (fingerprint_len)
        memcpy(out + head + SAM_FRAME_TEXT_LEN + photo_len, fingerprint, fingerprint_len);
    return (int)total;
}

int sam_frame_encode_base(const uint8_t text[SAM_FRAME_TEXT_LEN], const uint8_t *photo,
                          size_t photo_len, uint8_t *out, size_t cap)
{
    return encode_card(text, photo, photo_len, NULL, 0, false, out, cap);
}

int sam_frame_encode_full(const uint8_t text[SAM_FRAME_TEXT_LEN], const uint8_t *photo,
                          size_t photo_len, const uint8_t *fingerprint, size_t fingerprint_len,
                          uint8_t *out, size_t cap)
{
    return encode_card(text, photo, photo_len, fingerprint, fingerprint_len, true, out, cap);
}

bool sam_frame_decoder_partial(const struct sam_frame_decoder *d, struct sam_frame *out,
                               size_t *declared)
{
    if (d->pending || d->fill < SAM_FRAME_HEADER_LEN ||
        memcmp(d->buf, sam_preamble, SAM_FRAME_PREAMBLE_LEN) != 0)
        return false;
    out->raw = d->buf;
    out->raw_len = d->fill;
    out->body = d->buf + SAM_FRAME_HEADER_LEN;
    out->body_len = d->fill - SAM_FRAME_HEADER_LEN;
    *declared = SAM_FRAME_HEADER_LEN + be16(d->buf + 5);
    return true;
}

/* A text block's card type (offset 248, UCS-2LE) is one the cards use. */
static bool looks_like_text(const uint8_t *t)
{
    return t[249] == 0 && (t[248] == ' ' || t[248] == 'J' || t[248] == 'I' || t[248] == 'Y');
}

/* Card data at b[0..n), or b[0..n-1) before a CHK: the 30 10 layout where
 * its lengths fit exactly, else 30 01 (which tolerates bytes after it).
 * *len gets the data's length; *full its layout. */
static bool card_at(const uint8_t *b, size_t n, size_t *len, bool *full)
{
    struct sam_card_data c;
    for (size_t chk = 0; chk < 2 && chk < n; chk++) {
        if (sam_frame_parse_card(b, n - chk, n - chk, &c) == 0 && c.full) {
            *len = n - chk;
            *full = true;
            return true;
        }
    }
    if (sam_frame_parse_card(b, n, n, &c) != 0)
        return false;
    *len = n;
    *full = false;
    return true;
}

enum sam_guess sam_frame_guess(const uint8_t *b, size_t n, size_t *at, size_t *len)
{
    bool full;
    *at = *len = 0;
    /* Len ... CHK, after nothing or after the preamble's last bytes. */
    for (size_t k = 0; k < SAM_FRAME_PREAMBLE_LEN && k <= n; k++) {
        if (k && memcmp(b, sam_preamble + SAM_FRAME_PREAMBLE_LEN - k, k) != 0)
            continue;
        const uint8_t *p = b + k;
        size_t m = n - k;
        if (m < 2 + SAM_FRAME_LEN_MIN || be16(p) != m - 2 || sam_frame_xor(p, m - 1) != p[m - 1])
            continue;
        if (m > 6 && p[4] == SAM_STATUS_OK && card_at(p + 5, m - 6, len, &full))
            *at = k + 5;
        return SAM_GUESS_NO_PREAMBLE;
    }
    /* SW1 SW2 SW3 and card data, with or without a CHK after it. */
    if (n > 3 && b[2] == SAM_STATUS_OK && card_at(b + 3, n - 3, len, &full)) {
        *at = 3;
        return SAM_GUESS_REPLY_BODY;
    }
    if (card_at(b, n, len, &full))
        return full ? SAM_GUESS_FULL_DATA : SAM_GUESS_BASE_DATA;
    if (n >= SAM_FRAME_TEXT_LEN && looks_like_text(b)) {
        size_t rest = n - SAM_FRAME_TEXT_LEN;
        *len = n;
        if (rest == SAM_FRAME_PHOTO_LEN || rest == SAM_FRAME_PHOTO_LEN + 512 ||
            rest == SAM_FRAME_PHOTO_LEN + SAM_FRAME_FINGERPRINT_MAX)
            return SAM_GUESS_TEXT_PHOTO;
        if (rest == 0)
            return SAM_GUESS_TEXT;
        *len = 0;
    }
    return SAM_GUESS_NOTHING;
}

const char *sam_frame_guess_str(enum sam_guess g)
{
    switch (g) {
    case SAM_GUESS_NO_PREAMBLE:
        return "a frame without its AA AA AA 96 69 preamble (its length and checksum check out)";
    case SAM_GUESS_REPLY_BODY:
        return "a reply's SW1 SW2 SW3 and card data without the frame header";
    case SAM_GUESS_BASE_DATA:
        return "a text+photo payload (30 01 data, with its length words) without a frame header";
    case SAM_GUESS_FULL_DATA:
        return "a text+photo+fingerprint payload (30 10 data, with its length words) without a "
               "frame header";
    case SAM_GUESS_TEXT_PHOTO:
        return "a text+photo payload without a frame header";
    case SAM_GUESS_TEXT:
        return "a 256-byte text block without a frame header";
    case SAM_GUESS_NOTHING:
        break;
    }
    return "nothing a reader sends: no frame header (AA AA AA 96 69)";
}
