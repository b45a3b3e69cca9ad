/* escpos.h - ESC/POS bytes for an 80 mm slip printer: encoder, status
 * parser, and a decoder that turns a byte stream back into paper.
 *
 * Everything here is a pure function over bytes (the decoder keeps its
 * own state in a caller-owned struct), so any thread may call it: the
 * slip worker encodes and parses status, the simulated printer and the
 * tests decode. Facts and sources: shared/reference/hardware.md part B.
 *
 * DESIGN: a slip is one raster image (text, number and QR code drawn by
 * cairo), so the printer's code pages and glyph ROM never matter to the
 * encoder. The decoder, though, prints whatever another program sends a
 * real printer (text in code pages or GB18030, images, barcodes, QR and
 * PDF417), so the simulated printer and bdc-kiosk-tool show any capture;
 * in strict mode it takes only the kiosk's own commands. The
 * image goes out as GS v 0 in bands of at most ESCPOS_BAND_MAX rows: some
 * models cap yH, and a paper-out stops the printer at a band boundary
 * rather than inside one huge command. Status replies come in two shapes
 * on the bulk IN pipe: one byte per DLE EOT query (0xx1xx10b) and, when
 * Automatic Status Back is on, unsolicited 4-byte frames whose first byte
 * is 0xx1xx00b; escpos_in_scan tells them apart.
 */
#ifndef ESCPOS_ESCPOS_H
#define ESCPOS_ESCPOS_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESCPOS_DOTS      576 /* 80 mm paper at 8 dots/mm (203 dpi) */
#define ESCPOS_BAND_MAX  256 /* rows per GS v 0 band */
#define ESCPOS_BAND_MIN  24
#define ESCPOS_PAGE_ROWS 8192 /* the decoder's limit of one slip: about 1 m */

/* ---- encoder: each appends to out and returns 0, ERR_INVALID, ERR_TOOBIG ---- */

/* ESC @: initialise (clears the print buffer and modes). */
int escpos_encode_init(struct buf *out);

/* A 1-bit image (MSB = leftmost dot, 1 = black), width dots wide (1..576),
 * rows high, stride bytes per row (>= (width+7)/8), as GS v 0 m=0 commands
 * of band_rows rows each (ESCPOS_BAND_MIN..ESCPOS_BAND_MAX). bits borrowed. */
int escpos_encode_raster(struct buf *out, const uint8_t *bits, int width, int rows, int stride,
                         int band_rows);

/* ESC J n: feed n dot rows (0..255). */
int escpos_encode_feed_dots(struct buf *out, int dots);

/* GS V 66 n (feed n dots then partial cut) or GS V 65 n (full cut). */
int escpos_encode_cut(struct buf *out, int feed_dots, bool partial);

/* GS a n: Automatic Status Back for the bits in mask (ESCPOS_ASB_*); 0 turns it off. */
#define ESCPOS_ASB_DRAWER 0x01
#define ESCPOS_ASB_ONLINE 0x02
#define ESCPOS_ASB_ERROR  0x04
#define ESCPOS_ASB_PAPER  0x08
int escpos_encode_asb(struct buf *out, uint8_t mask);

/* DLE ENQ n: n = 1 recover and resume, n = 2 recover and clear buffers. */
int escpos_encode_recover(struct buf *out, int n);

/* GS r 1: "transmit paper sensor status". Unlike DLE EOT it is executed
 * in turn, after everything sent before it, so its reply (one byte
 * 0xx0xxxxb) is the printer saying it has processed the slip and its cut:
 * the job marker of the print journal. */
int escpos_encode_marker(struct buf *out);

/* DLE EOT n (n = 1..4) into out[3]. Returns 0 or ERR_INVALID. */
int escpos_encode_status_query(uint8_t out[3], int n);

/* ---- status -------------------------------------------------------------- */

/* Every bit of hardware.md B4; which replies filled it in is in have. */
struct escpos_status {
    unsigned have;         /* bit n-1 set: a DLE EOT n reply was parsed; bit 4: an ASB frame */
    bool drawer_high;      /* 1.2 drawer kick-out connector pin 3 high */
    bool offline;          /* 1.3 */
    bool cover_open;       /* 2.2 */
    bool feed_button;      /* 2.3 paper being fed by the FEED button */
    bool paper_end_stop;   /* 2.5 printing stopped by paper end */
    bool error;            /* 2.6 an error occurred */
    bool mechanical_error; /* 3.2 (model-specific; Citizen: black mark) */
    bool cutter_error;     /* 3.3 recoverable with DLE ENQ once cleared */
    bool unrecoverable;    /* 3.5 */
    bool auto_recoverable; /* 3.6 head over temperature and the like */
    bool paper_near_end;   /* 4.2-3 */
    bool paper_end;        /* 4.5-6 */
};

#define ESCPOS_HAVE_ASB (1u << 4)

/* True when the byte has the shape of a DLE EOT reply (0xx1xx10b). */
bool escpos_is_status_reply(uint8_t b);

/* Parses the reply byte to DLE EOT n into st (fields of that n only;
 * others are kept). Returns 0, ERR_INVALID (n not 1..4), ERR_PROTOCOL
 * (the fixed bits are wrong: not a status reply). */
int escpos_status_parse(int n, uint8_t b, struct escpos_status *st);

/* Looks through k bytes a printer sent back for the reply to a DLE EOT n
 * query. Every other byte (an ASB frame, a job marker) is appended to
 * stash (at most cap bytes in all; *len is its fill), so a transport loses
 * nothing that arrived while it waited. Returns 0 with *st filled when the
 * reply was among them, ERR_EMPTY when not. Pure. */
int escpos_take_status(int n, const uint8_t *b, size_t k, struct escpos_status *st, uint8_t *stash,
                       size_t *len, size_t cap);

/* Parses a 4-byte ASB frame into st (every field it carries). Returns 0 or
 * ERR_PROTOCOL when byte 1 is not 0xx1xx00b or bytes 2-4 are not 0xx0xxxxb. */
int escpos_asb_parse(const uint8_t b[4], struct escpos_status *st);

/* True when the printer cannot print now (offline, cover, paper end, error). */
bool escpos_status_blocks(const struct escpos_status *st);

/* Bytes from the bulk IN pipe, in any split: ASB frames, DLE EOT replies
 * (handed to the caller with the n it expects), XON/XOFF. */
struct escpos_in {
    uint8_t asb[4];
    int asb_len;          /* bytes of a partial ASB frame */
    int expect;           /* the DLE EOT n whose reply is awaited; 0: none */
    int markers_expected; /* GS r replies still awaited */
    int markers;          /* GS r replies seen */
    int replies;          /* DLE EOT replies parsed */
    int asb_frames;       /* ASB frames parsed */
    int junk;             /* bytes that fit nothing */
    bool xoff;            /* the last flow-control byte was XOFF */
    struct escpos_status st;
};

/* Scans len bytes (borrowed) into in->st. Never fails: bytes that fit
 * nothing are counted in in->junk. */
void escpos_in_scan(struct escpos_in *in, const uint8_t *data, size_t len);

/* ---- decoder: bytes back to paper ------------------------------------------ */

/* One cut slip: a 1-bit image ESCPOS_DOTS wide. */
struct escpos_page {
    int width;     /* dots (ESCPOS_DOTS) */
    int rows;      /* dot rows printed or fed */
    int stride;    /* bytes per row (width / 8) */
    uint8_t *bits; /* owned; rows * stride bytes, MSB leftmost, 1 = black */
};

void escpos_page_fini(struct escpos_page *p);

/* Black dot at (x, y)? Out of range reads white. */
bool escpos_page_get(const struct escpos_page *p, int x, int y);

/* Writes p as a 1-bit greyscale PNG (black ink on white). 0, ERR_IO, ERR_NOMEM. */
int escpos_page_write_png(const struct escpos_page *p, const char *path);

/* Called at every cut with the finished page; the callee takes p->bits. */
typedef void (*escpos_page_fn)(void *user, struct escpos_page *p);

/* A command the decoder stepped over without printing it. */
struct escpos_skip {
    long offset;  /* of its first byte in the stream */
    uint8_t b[3]; /* its first bytes (n of them) */
    int n;
    const char *why; /* static text: "unknown command", "not supported", ... */
};

#define ESCPOS_SKIPS_KEPT 16

struct escpos_state; /* the printer's modes and line buffer (escpos_internal.h) */

struct escpos_decoder {
    struct buf pending;      /* bytes of an incomplete command */
    struct escpos_page page; /* the slip being printed */
    int cap_rows;            /* rows allocated in page.bits */
    escpos_page_fn on_cut;
    void *user;
    int inits, cuts, bands, queries, markers; /* what was seen, for tests */
    long total_rows;                          /* rows printed or fed since init */
    uint8_t asb_mask;                         /* last GS a n */
    bool failed;                              /* an error; everything after is ignored */
    bool strict; /* only the kiosk's own commands (escpos_encode_*): anything else fails */
    long offset; /* stream bytes consumed so far */
    size_t skip; /* bytes of an oversized command still to drop */
    int skipped; /* commands stepped over (ESCPOS_SKIPS_KEPT kept in skips) */
    struct escpos_skip skips[ESCPOS_SKIPS_KEPT];
    struct escpos_state *st; /* owned; allocated by the first feed */
};

/* Prepares d as a printer would take any ESC/POS stream (d->strict may be
 * set before the first feed); on_cut (may be NULL: pages are dropped) and
 * user kept. */
void escpos_decoder_init(struct escpos_decoder *d, escpos_page_fn on_cut, void *user);
void escpos_decoder_fini(struct escpos_decoder *d);

/* Feeds len bytes (borrowed, any split). Text is drawn with a fixed-pitch
 * CJK font (Font A 12x24, CJK 24x24) in the printer's modes; images,
 * barcodes, QR codes and PDF417 are drawn; a command the decoder does not
 * print is stepped over by its documented length and noted in d->skips.
 * Returns 0; ERR_PROTOCOL in strict mode for anything the kiosk does not
 * send, or a malformed command (d->failed stays set); ERR_TOOBIG in strict
 * mode for a slip over ESCPOS_PAGE_ROWS (otherwise the page is cut there);
 * ERR_NOMEM. */
int escpos_decoder_feed(struct escpos_decoder *d, const uint8_t *data, size_t len);

/* Prints what waits in the line buffer and hands over what is on the
 * paper without a cut (the end of a file that lacks one); pages with no
 * rows are dropped. */
void escpos_decoder_flush(struct escpos_decoder *d);

/* Decodes a whole byte stream of the kiosk's own (strict mode); the pages
 * land in out (at most max, caller frees each with escpos_page_fini).
 * Returns the number of pages or an error of escpos_decoder_feed. */
int escpos_decode_all(const uint8_t *data, size_t len, struct escpos_page *out, int max);

/* The same for any printer stream (not strict). The pages printed before
 * an error are kept: returns their number, and *err (may be NULL) gets 0
 * or the error of escpos_decoder_feed. */
int escpos_render_all(const uint8_t *data, size_t len, struct escpos_page *out, int max, int *err);

/* "ESC 0x71" and the like: the command's first bytes in words, into out. */
void escpos_skip_format(const struct escpos_skip *s, char *out, size_t cap);

#endif
