/* fuzz_escpos_status.c - what comes back from a slip printer, as arbitrary
 * bytes: the IN pipe scanner (ASB frames, DLE EOT replies, job markers,
 * XON/XOFF) in every split, each byte as a DLE EOT n reply, each 4-byte
 * window as an ASB frame; and the same bytes through the paper decoder
 * (the simulated printer's input). Nothing may crash or read out of
 * bounds, and the scanner's counts must add up.
 */
#include "drivers/escpos/escpos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)(data[0] % 16) + 1;
    struct escpos_in in = {.expect = (data[0] >> 4) % 5, .markers_expected = data[0] >> 7};
    for (size_t off = 1; off < size; off += chunk)
        escpos_in_scan(&in, data + off, size - off < chunk ? size - off : chunk);
    if (in.asb_len < 0 || in.asb_len > 3 || in.junk < 0 ||
        (size_t)in.junk + (size_t)in.replies + (size_t)in.markers + (size_t)in.asb_frames * 4 >
            size)
        abort();
    for (size_t i = 0; i < size; i++) {
        struct escpos_status st = {0};
        for (int n = 1; n <= 4; n++)
            if (escpos_status_parse(n, data[i], &st) == 0 && !escpos_is_status_reply(data[i]))
                abort();
        (void)escpos_status_blocks(&st);
    }
    for (size_t i = 0; i + 4 <= size; i++) {
        struct escpos_status st = {0};
        (void)escpos_asb_parse(data + i, &st);
    }
    struct escpos_decoder d;
    escpos_decoder_init(&d, NULL, NULL);
    for (size_t off = 1; off < size; off += chunk)
        if (escpos_decoder_feed(&d, data + off, size - off < chunk ? size - off : chunk))
            break;
    escpos_decoder_flush(&d);
    escpos_decoder_fini(&d);
    return 0;
}
