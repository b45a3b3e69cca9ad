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
    IDCARD_RESIDENT = 0,    /* type byte ' ': 居民身份证 */
    IDCARD_HMT_PERMIT,      /* 'J': 港澳台居民居住证 */
    IDCARD_FOREIGN_2017,    /* 'I': 外国人永久居留身份证 (2017) */
    IDCARD_FOREIGN_2023     /* 'Y': 外国人永久居留身份证 (2023) */
};

#define IDCARD_PHOTO_MAX 1024 /* WLT photo block is 1024 bytes */

struct idcard {
    enum idcard_type type;
    char name[128];          /* Chinese name, or English name for foreigners */
    char name_zh[64];        /* Chinese name of a foreigner, if any */
    char gender[8];          /* "男" / "女" */
    char ethnicity[32];      /* "汉", or the raw code if unknown; nationality code for 'I'/'Y' */
    char birth_date[11];     /* YYYY-MM-DD */
    char address[256];       /* 住址, with the appended address joined if read */
    char id_number[20];      /* 18 characters (15 for 'I') */
    char issuer[96];         /* 签发机关 */
    char valid_from[11];     /* YYYY-MM-DD */
    char valid_to[16];       /* YYYY-MM-DD or "长期" */
    size_t photo_len;        /* 0 when the card had no photo block */
    uint8_t photo[IDCARD_PHOTO_MAX]; /* vendor-encoded WLT, never decoded here */
};

#endif
