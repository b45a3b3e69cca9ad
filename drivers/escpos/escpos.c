/* escpos.c - ESC/POS encoder, status parser and paper decoder; see escpos.h.
 *
 * Command bytes (hardware.md B1-B4): ESC @ 1B 40; ESC J n 1B 4A n; ESC d n
 * 1B 64 n; GS v 0 1D 76 30 m xL xH yL yH d...; GS V m [n] 1D 56; GS a n
 * 1D 61 n; DLE EOT n 10 04 n; DLE ENQ n 10 05 n; GS ( k 1D 28 6B pL pH ...
 * The decoder knows exactly these (plus LF, ESC a, FS & and FS . which
 * leave no mark) and refuses anything else, so a stray byte in what the
 * kiosk sends shows up as a failed test, not as a shifted picture.
 * Pure; any thread.
 */
#include "drivers/escpos/escpos.h"
#include "drivers/escpos/escpos_internal.h"

#include "base/err.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- encoder ------------------------------------------------------------- */

int escpos_encode_init(struct buf *out)
{
    static const uint8_t b[] = {ESC, '@'};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_raster(struct buf *out, const uint8_t *bits, int width, int rows, int stride,
                         int band_rows)
{
    int wb = (width + 7) / 8;
    if (!out || !bits || width < 1 || width > ESCPOS_DOTS || rows < 0 || stride < wb ||
        band_rows < ESCPOS_BAND_MIN || band_rows > ESCPOS_BAND_MAX)
        return ERR_INVALID;
    for (int y0 = 0; y0 < rows; y0 += band_rows) {
        int n = rows - y0 < band_rows ? rows - y0 : band_rows;
        uint8_t h[8] = {GS,
                        'v',
                        '0',
                        0,
                        (uint8_t)(wb & 0xFF),
                        (uint8_t)(wb >> 8),
                        (uint8_t)(n & 0xFF),
                        (uint8_t)(n >> 8)};
        int rc = buf_append(out, h, sizeof h);
        for (int y = 0; !rc && y < n; y++)
            rc = buf_append(out, bits + (size_t)(y0 + y) * (size_t)stride, (size_t)wb);
        if (rc)
            return rc;
    }
    return 0;
}

int escpos_encode_feed_dots(struct buf *out, int dots)
{
    if (dots < 0 || dots > 255)
        return ERR_INVALID;
    uint8_t b[] = {ESC, 'J', (uint8_t)dots};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_cut(struct buf *out, int feed_dots, bool partial)
{
    if (feed_dots < 0 || feed_dots > 255)
        return ERR_INVALID;
    uint8_t b[] = {GS, 'V', partial ? 66 : 65, (uint8_t)feed_dots};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_asb(struct buf *out, uint8_t mask)
{
    if (mask & ~0x0Fu)
        return ERR_INVALID;
    uint8_t b[] = {GS, 'a', mask};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_recover(struct buf *out, int n)
{
    if (n != 1 && n != 2)
        return ERR_INVALID;
    uint8_t b[] = {DLE, ENQ, (uint8_t)n};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_marker(struct buf *out)
{
    static const uint8_t b[] = {GS, 'r', 1};
    return buf_append(out, b, sizeof b);
}

int escpos_encode_status_query(uint8_t out[3], int n)
{
    if (n < 1 || n > 4)
        return ERR_INVALID;
    out[0] = DLE;
    out[1] = EOT;
    out[2] = (uint8_t)n;
    return 0;
}

/* ---- status -------------------------------------------------------------- */

bool escpos_is_status_reply(uint8_t b)
{
    return (b & 0x93) == 0x12; /* 0xx1xx10b */
}

static bool asb_first(uint8_t b)
{
    return (b & 0x93) == 0x10; /* 0xx1xx00b */
}

static bool asb_rest(uint8_t b)
{
    return (b & 0x90) == 0x00; /* 0xx0xxxxb */
}

int escpos_status_parse(int n, uint8_t b, struct escpos_status *st)
{
    if (n < 1 || n > 4 || !st)
        return ERR_INVALID;
    if (!escpos_is_status_reply(b))
        return ERR_PROTOCOL;
    switch (n) {
    case 1:
        st->drawer_high = b & 0x04;
        st->offline = b & 0x08;
        break;
    case 2:
        st->cover_open = b & 0x04;
        st->feed_button = b & 0x08;
        st->paper_end_stop = b & 0x20;
        st->error = b & 0x40;
        break;
    case 3:
        st->mechanical_error = b & 0x04;
        st->cutter_error = b & 0x08;
        st->unrecoverable = b & 0x20;
        st->auto_recoverable = b & 0x40;
        break;
    case 4:
        st->paper_near_end = b & 0x0C;
        st->paper_end = b & 0x60;
        break;
    }
    st->have |= 1u << (n - 1);
    return 0;
}

int escpos_asb_parse(const uint8_t b[4], struct escpos_status *st)
{
    if (!b || !st)
        return ERR_INVALID;
    if (!asb_first(b[0]) || !asb_rest(b[1]) || !asb_rest(b[2]) || !asb_rest(b[3]))
        return ERR_PROTOCOL;
    st->drawer_high = b[0] & 0x04;
    st->offline = b[0] & 0x08;
    st->cover_open = b[0] & 0x20;
    st->feed_button = b[0] & 0x40;
    st->mechanical_error = b[1] & 0x04;
    st->cutter_error = b[1] & 0x08;
    st->unrecoverable = b[1] & 0x20;
    st->auto_recoverable = b[1] & 0x40;
    st->error = b[1] & 0x6C;
    st->paper_near_end = b[2] & 0x03;
    st->paper_end = b[2] & 0x0C;
    st->paper_end_stop = st->paper_end;
    st->have |= ESCPOS_HAVE_ASB;
    return 0;
}

bool escpos_status_blocks(const struct escpos_status *st)
{
    return st->offline || st->cover_open || st->paper_end || st->paper_end_stop || st->error ||
           st->cutter_error || st->unrecoverable || st->auto_recoverable || st->mechanical_error;
}

void escpos_in_scan(struct escpos_in *in, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t b = data[i];
        if (in->asb_len > 0) {
            if (asb_rest(b)) {
                in->asb[in->asb_len++] = b;
                if (in->asb_len == 4) {
                    if (escpos_asb_parse(in->asb, &in->st) == 0)
                        in->asb_frames++;
                    in->asb_len = 0;
                }
                continue;
            }
            in->junk += in->asb_len; /* a broken frame: drop it, look at b afresh */
            in->asb_len = 0;
        }
        if (b == 0x11 || b == 0x13) {
            in->xoff = b == 0x13;
        } else if (in->expect && escpos_is_status_reply(b)) {
            escpos_status_parse(in->expect, b, &in->st);
            in->replies++;
            in->expect = 0;
        } else if (in->markers_expected > 0 && asb_rest(b)) {
            in->markers++;
            in->markers_expected--;
        } else if (asb_first(b)) {
            in->asb[0] = b;
            in->asb_len = 1;
        } else {
            in->junk++;
        }
    }
}

int escpos_take_status(int n, const uint8_t *b, size_t k, struct escpos_status *st, uint8_t *stash,
                       size_t *len, size_t cap)
{
    int found = ERR_EMPTY;
    for (size_t i = 0; i < k; i++) {
        if (found != 0 && escpos_is_status_reply(b[i]) && escpos_status_parse(n, b[i], st) == 0)
            found = 0;
        else if (*len < cap)
            stash[(*len)++] = b[i];
    }
    return found;
}
