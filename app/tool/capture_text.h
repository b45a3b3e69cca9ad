/* capture_text.h - the bytes of a capture as engineers paste them.
 *
 * A capture of reader traffic arrives as the raw bytes, or as text: a hex
 * dump (plain hex with or without separators, xxd, hexdump -C, od -tx1
 * with or without offsets), a C or Java array (0xAA, (byte)0xAA, \xAA), or
 * base64. capture_text_decode tells which from the bytes alone and turns
 * it back into the bytes it shows: offset columns and ASCII gutters are
 * left out, lines squeezed to '*' by hexdump and od are restored from the
 * offsets. Pure functions over the input, no allocation but OpenSSL's
 * base64 context; any thread.
 */
#ifndef TOOL_CAPTURE_TEXT_H
#define TOOL_CAPTURE_TEXT_H

#include <stddef.h>
#include <stdint.h>

enum capture_format {
    CAPTURE_BINARY = 0, /* the bytes themselves (anything that is not plain ASCII text) */
    CAPTURE_HEX,        /* "AA AA AA 96 69", "aaaaaa9669", "AA:AA-AA,AA" */
    CAPTURE_XXD,        /* "00000000: aaaa aa96 6900 0400  ....i..." */
    CAPTURE_HEXDUMP,    /* hexdump -C: "00000000  aa aa aa 96  |....|", '*' lines */
    CAPTURE_OD,         /* od -tx1 with offsets (octal, hex or decimal), '*' lines */
    CAPTURE_ARRAY,      /* C or Java source: 0xAA, (byte)0xAA, "\xAA" */
    CAPTURE_BASE64,     /* RFC 4648 base64, lines of any length */
    CAPTURE_TEXT        /* text that is none of the above (an error) */
};

struct capture_text {
    enum capture_format format;
    size_t len;          /* bytes decoded into out */
    size_t line;         /* with an error: the 1-based line it is on, 0 if none */
    const char *problem; /* with an error: a static English sentence; else NULL */
};

/* Decodes in[0..n) (borrowed) into out (cap bytes), filling *res. Returns
 * 0; ERR_PROTOCOL when the text looks like a format but breaks it (or is
 * no format at all): res->problem and res->line say where; ERR_TOOBIG
 * when the bytes would exceed cap (restored '*' lines can). Never reads
 * outside in[0..n) or writes outside out[0..cap). */
int capture_text_decode(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                        struct capture_text *res);

/* Short name of a format for the tool's JSON ("xxd", "hexdump -C"). */
const char *capture_text_format_name(enum capture_format f);

#endif
