/* idcard.h - the fields of a resident ID card (or permit) as read.
 *
 * The reader driver fills this from the 256-byte UCS-2LE text block of a
 * GA/T 467 "read text+photo" reply (plus the appended address); the app
 * keeps one copy in the citizen's session and wipes it when the session
 * ends. Every string is UTF-8 and NUL-terminated, trailing spaces trimmed.
 * Dates are "YYYY-MM-DD"; valid_to may be "长期".
 */
#ifndef IDCARD_IDCARD_H
#define IDCARD_IDCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum idcard_type {
    IDCARD_RESIDENT = 0, /* type byte ' ': 居民身份证 */
    IDCARD_HMT_PERMIT,   /* 'J': 港澳台居民居住证 */
    IDCARD_FOREIGN_2017, /* 'I': 外国人永久居留身份证 (2017) */
    IDCARD_FOREIGN_2023  /* 'Y': 外国人永久居留身份证 (2023) */
};

#define IDCARD_PHOTO_MAX 1024 /* WLT photo block is 1024 bytes */

struct idcard {
    enum idcard_type type;
    char name[128];      /* Chinese name, or English name for foreigners */
    char name_zh[64];    /* Chinese name of a foreigner, if any */
    char gender[8];      /* "男" / "女" */
    char ethnicity[32];  /* "汉", or the raw code if unknown; nationality code for 'I'/'Y' */
    char birth_date[11]; /* YYYY-MM-DD */
    char address[256];   /* 住址, with the appended address joined if read */
    char id_number[20];  /* 18 characters (15 for 'I') */
    char issuer[96];     /* 签发机关 */
    char valid_from[11]; /* YYYY-MM-DD */
    char valid_to[16];   /* YYYY-MM-DD or "长期" */
    size_t photo_len;    /* 0 when the card had no photo block */
    uint8_t photo[IDCARD_PHOTO_MAX]; /* vendor-encoded WLT, never decoded here */
    /* Read with 30 10 ([idcard] read_command = with_fingerprint): the size of
     * the card's fingerprint block (0, 512 or 1024 bytes). The templates are
     * biometric data and are never kept, only their size. */
    bool fingerprint_asked;
    size_t fingerprint_len;
    /* Added by the reader driver for the permits (empty on resident cards): */
    char other_number[32]; /* 'J' 通行证号码, 'Y' other (earlier) number */
    char issue_count[8];   /* 'J', 'Y' 签发次数, e.g. "01" */
    char card_version[8];  /* 'I' card version field */
};

/* ---- Text block (GA/T 467 30 01 reply); layout and sources in idcard.c ---- */

#define IDCARD_TEXT_LEN    256 /* UCS-2LE text block */
#define IDCARD_ADDRESS_LEN 70  /* UCS-2LE appended address (30 03 reply) */

/* Parses a text block (len must be IDCARD_TEXT_LEN; borrowed) into out,
 * which is cleared first; photo fields are left empty. Strings are decoded
 * from UCS-2LE to UTF-8 explicitly, trailing spaces trimmed; dates become
 * YYYY-MM-DD when the field holds 8 digits, else the trimmed text ("长期").
 * An unknown ethnicity code is kept as the raw code. Returns 0,
 * ERR_INVALID (wrong length), ERR_UNSUPPORTED (unknown card type byte at
 * offset 248). Never reads outside text[0..len). Pure; any thread. */
int idcard_parse_text(const uint8_t *text, size_t len, struct idcard *out);

/* Parses an appended-address block (len IDCARD_ADDRESS_LEN) and joins it
 * to card->address after one space. An all-blank block changes nothing.
 * Returns 0, ERR_INVALID (wrong length). */
int idcard_parse_address(const uint8_t *block, size_t len, struct idcard *card);

/* Encodes card (borrowed) into a text block (the simulator and tests).
 * Returns 0, ERR_TOOBIG (a field longer than its slot), ERR_INVALID (a
 * character outside UCS-2, an unknown gender or ethnicity name). */
int idcard_encode_text(const struct idcard *card, uint8_t out[IDCARD_TEXT_LEN]);

/* Encodes a UTF-8 appended address into a 70-byte block. Returns 0,
 * ERR_TOOBIG, ERR_INVALID. */
int idcard_encode_address(const char *address, uint8_t out[IDCARD_ADDRESS_LEN]);

/* Ethnicity name for a GB 3304 code ("01" -> "汉"; 97, 98 included), or
 * NULL if the code is not in the table. */
const char *idcard_ethnicity_name(const char *code);

/* GB 3304 code for an ethnicity name ("汉" -> "01"), or NULL. */
const char *idcard_ethnicity_code(const char *name);

/* "resident", "hmt_permit", "foreign_2017", "foreign_2023" (the registry
 * API's card.type values); "unknown" otherwise. */
const char *idcard_type_name(enum idcard_type type);

/* Why a card is not acceptable. The driver returns the reason only; the
 * app maps it to the words shown (its i18n table). */
enum idcard_check {
    IDCARD_CHECK_OK = 0,
    IDCARD_CHECK_NUMBER_FORMAT,   /* wrong length or characters for the card type */
    IDCARD_CHECK_NUMBER_CHECKSUM, /* GB 11643 check character wrong ('I' has none) */
    IDCARD_CHECK_BIRTH_MISMATCH,  /* birth date in the number differs from the birth field */
    IDCARD_CHECK_GENDER_MISMATCH, /* sequence parity differs from the gender field */
    IDCARD_CHECK_BAD_DATE,        /* birth or validity field is not a real date */
    IDCARD_CHECK_EXPIRED,         /* valid_to is before today */
    IDCARD_CHECK_NOT_YET_VALID    /* valid_from is after today */
};
#define IDCARD_CHECK_COUNT 8

/* Checks card (borrowed) in the order above and returns the first failing
 * reason. today is "YYYY-MM-DD" (China Standard Time); NULL skips the two
 * validity-period checks; a malformed today gives IDCARD_CHECK_BAD_DATE.
 * Pure; any thread. */
enum idcard_check idcard_validate(const struct idcard *card, const char *today);

/* Stable identifier of a reason ("expired") for logs and the app's tables. */
const char *idcard_check_name(enum idcard_check check);

/* Wipes every field (explicit_bzero): the holder's data must not linger. */
void idcard_wipe(struct idcard *card);

#endif
