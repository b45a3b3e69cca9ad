/* fuzz_capture_text.c - bdc-kiosk-tool's capture decoder against any text.
 *
 * Decodes the input as a capture (binary, hex dumps, source arrays,
 * base64) into a buffer the size of the input and into one of 64 bytes
 * (restored '*' lines must stop at the room given), checks the result's
 * invariants, and runs the frame decoder and the header-less guess over
 * the bytes, as the tool does.
 */
#include "base/err.h"
#include "drivers/idcard/sam_frame.h"
#include "tool/capture_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size, uint8_t *out, size_t cap)
{
    struct capture_text res;
    int rc = capture_text_decode(data, size, out, cap, &res);
    if (rc == 0 && (res.len > cap || res.problem != NULL))
        abort();
    if (rc == ERR_PROTOCOL && (res.problem == NULL || res.len != 0))
        abort();
    if (rc != 0 && rc != ERR_PROTOCOL && rc != ERR_TOOBIG)
        abort();
    if (capture_text_format_name(res.format) == NULL)
        abort();
    if (rc != 0)
        return;
    size_t at, len;
    enum sam_guess g = sam_frame_guess(out, res.len, &at, &len);
    if (at + len > res.len || sam_frame_guess_str(g) == NULL)
        abort();
    static struct sam_frame_decoder d;
    sam_frame_decoder_init(&d);
    size_t pos = 0;
    for (;;) {
        size_t used;
        struct sam_frame f;
        int r = sam_frame_decode(&d, out + pos, res.len - pos, &used, &f);
        pos += used;
        if (r == 0)
            break;
    }
    struct sam_frame f;
    size_t declared;
    if (sam_frame_decoder_partial(&d, &f, &declared) && declared <= f.raw_len)
        abort(); /* a partial frame is shorter than it says */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *out = malloc(size ? size : 1);
    uint8_t small[64];
    if (!out)
        return 0;
    check(data, size, out, size);
    check(data, size, small, sizeof small);
    free(out);
    return 0;
}
