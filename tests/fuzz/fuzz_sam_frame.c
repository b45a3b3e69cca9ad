/* fuzz_sam_frame.c - the GA/T 467 stream decoder against arbitrary bytes.
 *
 * The first input byte picks the chunk size, so the fuzzer explores every
 * way a transport may split frames; each decoded frame is viewed as a
 * reply and a request, a 30 01 or 30 10 payload is split and its text
 * parsed, and the frame is re-encoded and must match the bytes it came
 * from. The frame left unfinished at the end is viewed as a partial
 * reply, and the whole input is guessed at as bytes without a header.
 */
#include "drivers/idcard/idcard.h"
#include "drivers/idcard/sam_frame.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inspect(const struct sam_frame *f)
{
    struct sam_reply r;
    struct sam_request q;
    if (sam_frame_parse_reply(f, &r) == 0) {
        uint8_t again[SAM_FRAME_MAX];
        int n =
            sam_frame_encode_reply(r.sw1, r.sw2, r.sw3, r.data, r.data_len, again, sizeof again);
        if (n < 0 || (size_t)n != f->raw_len || memcmp(again, f->raw, f->raw_len) != 0)
            abort(); /* a checked frame must re-encode to itself */
        const uint8_t *text, *photo;
        size_t photo_len;
        if (sam_frame_parse_base(&r, &text, &photo, &photo_len) == 0) {
            struct idcard card;
            if (idcard_parse_text(text, SAM_FRAME_TEXT_LEN, &card) == 0)
                (void)idcard_validate(&card, "2024-01-01");
        }
        struct sam_card_data c;
        if (sam_frame_parse_card(r.data, r.data_len, r.data_len, &c) == 0) {
            if (c.photo_have != c.photo_len ||
                c.photo + c.photo_len + (c.full ? c.fingerprint_len : 0) > r.data + r.data_len)
                abort(); /* a whole frame holds every block it declares */
            if (c.full) {
                uint8_t same[SAM_FRAME_MAX];
                int dn = sam_frame_encode_full(c.text, c.photo, c.photo_len, c.photo + c.photo_len,
                                               c.fingerprint_len, same, sizeof same);
                if (dn < 0 || (size_t)dn != r.data_len || memcmp(same, r.data, r.data_len) != 0)
                    abort();
            }
        }
        (void)sam_frame_status_str(r.sw3);
    }
    if (sam_frame_parse_request(f, &q) == 0)
        (void)q.cmd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t piece = (size_t)data[0] % 67 + 1;
    data++;
    size--;
    static struct sam_frame_decoder d;
    sam_frame_decoder_init(&d);
    size_t off = 0;
    while (off < size) {
        size_t k = size - off < piece ? size - off : piece;
        const uint8_t *p = data + off;
        for (;;) {
            size_t used;
            struct sam_frame f;
            int r = sam_frame_decode(&d, p, k, &used, &f);
            if (used > k)
                abort();
            p += used;
            k -= used;
            if (r == 1)
                inspect(&f);
            else if (r == 0)
                break;
        }
        if (k != 0)
            abort(); /* 0 means every byte was taken */
        off += (size_t)(p - (data + off));
    }
    struct sam_frame f;
    size_t declared;
    if (sam_frame_decoder_partial(&d, &f, &declared) && f.body_len >= 3) {
        struct sam_card_data c;
        if (declared <= f.raw_len || declared > SAM_FRAME_MAX)
            abort();
        if (declared >= SAM_FRAME_HEADER_LEN + 4 &&
            sam_frame_parse_card(f.body + 3, declared - SAM_FRAME_HEADER_LEN - 4, f.body_len - 3,
                                 &c) == 0 &&
            c.photo + c.photo_have > f.raw + f.raw_len)
            abort();
    }
    size_t at, len;
    (void)sam_frame_guess(data, size, &at, &len);
    if (at + len > size)
        abort();
    return 0;
}
