/* sam_frame.h - GA/T 467 host<->SAM frame codec (ID card reader protocol).
 *
 * Pure functions over bytes: encoders for request and reply frames (the
 * reader sends requests; the simulator answers with replies built by the
 * same code), a stream decoder that resynchronises on the preamble and
 * checks length and checksum before anyone looks at SW3, and the SW3
 * status table. The frame layout and its sources are described at the top
 * of sam_frame.c. No allocation: the decoder owns one fixed buffer sized
 * for the largest reply the kiosk asks for. Not thread-safe per decoder;
 * a decoder belongs to the thread that feeds it.
 */
#ifndef IDCARD_SAM_FRAME_H
#define IDCARD_SAM_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAM_FRAME_PREAMBLE_LEN 5 /* AA AA AA 96 69 */
#define SAM_FRAME_HEADER_LEN   7 /* preamble + 16-bit big-endian length */
#define SAM_FRAME_TEXT_LEN     256
#define SAM_FRAME_PHOTO_LEN    1024
#define SAM_FRAME_ADDRESS_LEN  70
/* Fingerprint block of a 30 10 reply: 0, 1 or 2 templates of 512 bytes. */
#define SAM_FRAME_FINGERPRINT_MAX 1024
/* The 30 01 reply: header + SW1..SW3 + two length words + text + photo +
 * CHK = 7 + 3 + 4 + 256 + 1024 + 1 = 1295 bytes (Len 0x0508). */
#define SAM_FRAME_BASE_MAX                                                                         \
    (SAM_FRAME_HEADER_LEN + 3 + 4 + SAM_FRAME_TEXT_LEN + SAM_FRAME_PHOTO_LEN + 1)
/* Largest frame accepted: the 30 10 reply with two fingerprint templates,
 * header + SW + three length words + text + photo + fingerprint + CHK =
 * 7 + 3 + 6 + 256 + 1024 + 1024 + 1 = 2321 bytes (Len 0x090A); without a
 * fingerprint it is 1297 bytes. */
#define SAM_FRAME_MAX                                                                              \
    (SAM_FRAME_HEADER_LEN + 3 + 6 + SAM_FRAME_TEXT_LEN + SAM_FRAME_PHOTO_LEN +                     \
     SAM_FRAME_FINGERPRINT_MAX + 1)
/* Smallest body+CHK: a request is CMD PARA CHK (Len 3). */
#define SAM_FRAME_LEN_MIN 3

/* Commands as (CMD << 8 | Para). */
enum sam_command {
    SAM_CMD_RESET = 0x10FF,        /* 复位 */
    SAM_CMD_STATUS = 0x11FF,       /* 状态检测: SW3 90 when healthy */
    SAM_CMD_SAM_ID = 0x12FF,       /* 读SAM管理信息: 16-byte id */
    SAM_CMD_FIND = 0x2001,         /* 寻卡: SW3 9F when a card answers */
    SAM_CMD_SELECT = 0x2002,       /* 选卡: SW3 90 */
    SAM_CMD_READ_BASE = 0x3001,    /* 读固定信息: text + photo */
    SAM_CMD_READ_ADDRESS = 0x3003, /* 读追加住址: 70 bytes, SW3 91 when none */
    SAM_CMD_READ_FULL = 0x3010,    /* text + photo + fingerprint ([idcard] read_command) */
    SAM_CMD_SET_RF_MAX = 0x61FF    /* max bytes per RF frame, 1 data byte */
};

#define SAM_CMD_BYTE(c)  ((uint8_t)((unsigned)(c) >> 8))
#define SAM_PARA_BYTE(c) ((uint8_t)((unsigned)(c)&0xFF))

/* SW3, the SAM's own status byte (SW1 SW2 echo the card's APDU status). */
enum sam_status {
    SAM_STATUS_OK = 0x90,             /* success */
    SAM_STATUS_NO_CONTENT = 0x91,     /* item absent on card (no appended address) */
    SAM_STATUS_FIND_OK = 0x9F,        /* find card success */
    SAM_STATUS_HOST_CHECKSUM = 0x10,  /* SAM saw a bad checksum in our frame */
    SAM_STATUS_HOST_LENGTH = 0x11,    /* SAM saw a bad length in our frame */
    SAM_STATUS_COMMAND = 0x21,        /* bad command values or combination */
    SAM_STATUS_NOT_PERMITTED = 0x23,  /* 越权操作 */
    SAM_STATUS_UNKNOWN_ERROR = 0x24,  /* unrecognised error */
    SAM_STATUS_CARD_AUTH_SAM = 0x31,  /* card failed to authenticate the SAM */
    SAM_STATUS_SAM_AUTH_CARD = 0x32,  /* SAM failed to authenticate the card */
    SAM_STATUS_VERIFY = 0x33,         /* information verification error */
    SAM_STATUS_BAD_CARD = 0x40,       /* unrecognised card type */
    SAM_STATUS_READ_FAILED = 0x41,    /* read card failed */
    SAM_STATUS_RANDOM = 0x47,         /* get-random failed */
    SAM_STATUS_SELF_TEST = 0x60,      /* SAM self-test failed, accepts nothing */
    SAM_STATUS_NOT_AUTHORISED = 0x66, /* SAM not authorised */
    SAM_STATUS_FIND_FAILED = 0x80,    /* find failed: no card in the field */
    SAM_STATUS_SELECT_FAILED = 0x81   /* select card failed */
};

/* "No SAM status" where a status is reported (the failure was below it:
 * timeout, checksum, unplug). */
#define SAM_STATUS_NONE (-1)

/* Every SW3 code above, in table order (tests and diagnostics iterate). */
extern const uint8_t sam_frame_status_codes[];
extern const size_t sam_frame_status_count;

/* Stable identifier of a SW3 code ("find_failed"), "unknown" if unlisted. */
const char *sam_frame_status_name(int sw3);

/* English meaning of a SW3 code for logs and staff screens; never NULL. */
const char *sam_frame_status_str(int sw3);

/* True if sw3 is one of the codes listed in the standard's table. */
bool sam_frame_status_is_known(int sw3);

/* A decoded frame: body is everything between the length field and CHK
 * (CMD Para Data for a request, SW1 SW2 SW3 Data for a reply). raw and
 * body are borrowed from the decoder until its next call. */
struct sam_frame {
    const uint8_t *raw; /* whole frame, preamble to CHK */
    size_t raw_len;
    const uint8_t *body;
    size_t body_len;
};

struct sam_reply {
    uint8_t sw1, sw2, sw3;
    const uint8_t *data; /* borrowed from the frame */
    size_t data_len;
};

struct sam_request {
    uint8_t cmd, para;
    const uint8_t *data; /* borrowed from the frame */
    size_t data_len;
};

/* Stream decoder state; fill in with sam_frame_decoder_init. */
struct sam_frame_decoder {
    uint8_t buf[SAM_FRAME_MAX];
    size_t fill;    /* bytes in buf, buf starts at a (partial) preamble */
    size_t pending; /* length of the frame handed out last call, dropped next */
};

/* Encodes a request frame (cmd, para, data) into out (cap bytes). data may
 * be NULL when len is 0. Returns the frame length, or ERR_TOOBIG. */
int sam_frame_encode_request(uint8_t cmd, uint8_t para, const uint8_t *data, size_t len,
                             uint8_t *out, size_t cap);

/* Same, for an enum sam_command. */
int sam_frame_encode_command(enum sam_command c, const uint8_t *data, size_t len, uint8_t *out,
                             size_t cap);

/* Encodes a reply frame (SW1 SW2 SW3 data) into out. Returns the frame
 * length, or ERR_TOOBIG (also when the frame would exceed SAM_FRAME_MAX). */
int sam_frame_encode_reply(uint8_t sw1, uint8_t sw2, uint8_t sw3, const uint8_t *data, size_t len,
                           uint8_t *out, size_t cap);

/* XOR of bytes[0..len), the frame check over Len1..last data byte. */
uint8_t sam_frame_xor(const uint8_t *bytes, size_t len);

void sam_frame_decoder_init(struct sam_frame_decoder *d);

/* Forgets buffered bytes (before each new command: never reuse partial
 * data from an earlier exchange) and wipes them (text may be personal). */
void sam_frame_decoder_reset(struct sam_frame_decoder *d);

/* Feeds len bytes (borrowed) of a byte stream in any split. Sets *used to
 * the bytes taken. Returns
 *   1             a complete, checked frame is in *out (borrowed until the
 *                 next call); call again with the rest of the input, even
 *                 if none is left, to get further buffered frames;
 *   0             all input taken, no complete frame yet;
 *   ERR_CHECKSUM  a frame with a wrong CHK was dropped,
 *   ERR_PROTOCOL  a frame with an impossible length was dropped,
 *   ERR_TOOBIG    a frame longer than SAM_FRAME_MAX was dropped;
 *                 after an error decoding resumes at the next preamble
 *                 (call again with the rest of the input).
 * Never reads outside data[0..len). */
int sam_frame_decode(struct sam_frame_decoder *d, const uint8_t *data, size_t len, size_t *used,
                     struct sam_frame *out);

/* Views a decoded frame as a reply / request. Returns 0 or ERR_PROTOCOL
 * (body too short). */
int sam_frame_parse_reply(const struct sam_frame *f, struct sam_reply *out);
int sam_frame_parse_request(const struct sam_frame *f, struct sam_request *out);

/* Splits the data of a 30 01 reply: text length (2 bytes BE, must be 256),
 * photo length (2 bytes BE, 0..1024), text, photo. Pointers are borrowed
 * from r. Returns 0 or ERR_PROTOCOL (also for a 30 10 reply's data). */
int sam_frame_parse_base(const struct sam_reply *r, const uint8_t **text, const uint8_t **photo,
                         size_t *photo_len);

/* The card in a 30 01 or 30 10 reply's data. The fingerprint block is
 * biometric data: only its size is ever exposed, never its bytes. */
struct sam_card_data {
    bool full;              /* 30 10 layout: three length words (text, photo, fingerprint) */
    const uint8_t *text;    /* SAM_FRAME_TEXT_LEN bytes, borrowed */
    const uint8_t *photo;   /* borrowed */
    size_t photo_len;       /* what the photo length word declares */
    size_t photo_have;      /* photo bytes present (less than photo_len in a partial frame) */
    size_t fingerprint_len; /* what the fingerprint length word declares (full only) */
};

/* Splits card data of either layout: len is the data length the frame
 * declares (Len - 4), have <= len the bytes present at data (less in a
 * capture cut inside the frame). The layout is told by the lengths alone:
 * 30 01 data is 4 + text + photo bytes (or more), 30 10 data exactly
 * 6 + text + photo + fingerprint, and no 30 01 data can pass for 30 10.
 * The text block must be present whole. Returns 0 or ERR_PROTOCOL. */
int sam_frame_parse_card(const uint8_t *data, size_t len, size_t have, struct sam_card_data *out);

/* Builds the data of a 30 01 reply (lengths, text, photo) into out.
 * Returns the data length or ERR_TOOBIG / ERR_INVALID. */
int sam_frame_encode_base(const uint8_t text[SAM_FRAME_TEXT_LEN], const uint8_t *photo,
                          size_t photo_len, uint8_t *out, size_t cap);

/* Builds the data of a 30 10 reply (three lengths, text, photo,
 * fingerprint; fingerprint may be NULL when fingerprint_len is 0) into
 * out. Returns the data length or ERR_TOOBIG / ERR_INVALID. */
int sam_frame_encode_full(const uint8_t text[SAM_FRAME_TEXT_LEN], const uint8_t *photo,
                          size_t photo_len, const uint8_t *fingerprint, size_t fingerprint_len,
                          uint8_t *out, size_t cap);

/* A frame the decoder holds unfinished at the end of its input (a capture
 * cut inside a frame): *out views the bytes present (raw_len of them; body
 * runs to the end of what is there, no CHK checked), *declared is the
 * length the frame announces. Returns true when at least the preamble and
 * the length field are buffered. Pure; borrows from d. */
bool sam_frame_decoder_partial(const struct sam_frame_decoder *d, struct sam_frame *out,
                               size_t *declared);

/* What bytes without a frame header look like (a capture that lost its
 * header, or a payload copied out of a log). */
enum sam_guess {
    SAM_GUESS_NOTHING = 0, /* none of the below */
    SAM_GUESS_NO_PREAMBLE, /* Len ... CHK of a frame: the preamble is missing or cut */
    SAM_GUESS_REPLY_BODY,  /* SW1 SW2 SW3 and card data, no preamble or Len */
    SAM_GUESS_BASE_DATA,   /* 30 01 data: two length words, text, photo */
    SAM_GUESS_FULL_DATA,   /* 30 10 data: three length words, text, photo, fingerprint */
    SAM_GUESS_TEXT_PHOTO,  /* text block and photo with no length words */
    SAM_GUESS_TEXT,        /* a text block alone */
};

/* Guesses what b[0..n) is when it holds no preamble. *at and *len receive
 * where the card data (from its length words) lies for NO_PREAMBLE (when
 * its body is a card reply; else *len is 0), REPLY_BODY, BASE_DATA and
 * FULL_DATA, or the text block and what follows it for TEXT_PHOTO and
 * TEXT. Pure; never reads outside b[0..n). */
enum sam_guess sam_frame_guess(const uint8_t *b, size_t n, size_t *at, size_t *len);

/* English description of a guess ("a text+photo payload without a frame
 * header"); never NULL. */
const char *sam_frame_guess_str(enum sam_guess g);

#endif
