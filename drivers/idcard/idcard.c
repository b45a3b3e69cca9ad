/* idcard.c - the 256-byte card text block: parse, encode, validate.
 *
 * Pure functions, callable from any thread: the reader thread parses what
 * the SAM returned, the simulator encodes the card it pretends to hold,
 * and the app's UI thread validates a card before opening a session.
 *
 * TEXT BLOCK (reply to 30 01; every field UCS-2 little-endian, fixed width,
 * padded with U+0020). The card type is the 2-byte field at offset 248:
 * ' ' resident ID, 'J' 港澳台居民居住证, 'I' foreigner 2017, 'Y' foreigner
 * 2023 (yzfuture/yzfuture linux/sdk/include/Type.h eCardFormatType).
 *
 *   offset bytes  ' ' resident      'J'            'I' (2017)              'Y' (2023)
 *        0   30   name              name           EN name 0..119          CN name
 *       30    2   gender            gender         (EN name)               gender
 *       32    4   ethnicity code    reserved       (EN name)               reserved
 *       36   16   birth YYYYMMDD    birth          (EN name)               birth
 *       52   70   address           address        (EN name); gender @120  EN name
 *      122   36   ID number         ID number      permit no. @122 (30 B)  permit no. (9...)
 *                                                  nationality @152 (6 B)
 *      158   30   issuing authority authority      CN name                 authority
 *      188   16   valid from        from           issue date              from
 *      204   16   valid to / 长期   to             expiry                  to
 *      220   18   reserved          pass number    birth @220 (16 B)       other number
 *      238    4   reserved          issue count    version @236 (4 B)      issue count
 *      242    6   reserved          reserved       authority code @240 (8) nationality
 *      248    2   0x0020            'J'            'I'                     'Y'
 *
 * Sources: resident - yzfuture linux/demo源码/Type.h, hevz/hev-idcard-reader
 * CardInfo, chenhaifeng2016/FaceRecognitionTest IDReader.h; 'J' - yzfuture
 * headers; 'I' - yzfuture ForeignerInfoOld and the item table at
 * afzhan.com/st170652/news_212938.html; 'Y' - yzfuture ForeignerInfoNew
 * only (unverified against the 2023 NIA rule).
 * Gender '1' 男, '2' 女 (GB/T 2261.1). Ethnicity: two ASCII digits, GB 3304
 * 01..56, 97 其他, 98 外国血统中国籍人士. Trim trailing spaces only: names and
 * addresses may contain spaces (hev-idcard-reader's cut at the first space
 * is a known bug). Decode UTF-16LE explicitly, never by host-endian casts.
 * GB 11643-1999: 6 address + 8 birth + 3 sequence (odd male) + MOD 11-2
 * check; the 2023 foreigner number is 18 digits starting with 9 with the
 * same check; the 2017 number is 3 letters + 12 digits with none
 * (eastcoms.com/service/pro/840.html).
 */
#include "idcard.h"

#include "base/err.h"
#include "base/util.h"

#include <stddef.h>
#include <string.h>

/* ---- field tables ---- */

enum field_kind { F_TEXT, F_DATE, F_GENDER, F_ETHNICITY };

struct field {
    uint16_t off, len; /* in the text block, bytes */
    uint8_t kind;
    uint16_t dst, dst_size; /* member of struct idcard */
};

#define FIELD(o, l, k, m)                                                                          \
    {                                                                                              \
        o, l, k, offsetof(struct idcard, m), sizeof(((struct idcard *)0)->m)                       \
    }

static const struct field fields_resident[] = {
    FIELD(0, 30, F_TEXT, name),           FIELD(30, 2, F_GENDER, gender),
    FIELD(32, 4, F_ETHNICITY, ethnicity), FIELD(36, 16, F_DATE, birth_date),
    FIELD(52, 70, F_TEXT, address),       FIELD(122, 36, F_TEXT, id_number),
    FIELD(158, 30, F_TEXT, issuer),       FIELD(188, 16, F_DATE, valid_from),
    FIELD(204, 16, F_DATE, valid_to),
};

static const struct field fields_hmt[] = {
    FIELD(0, 30, F_TEXT, name),           FIELD(30, 2, F_GENDER, gender),
    FIELD(36, 16, F_DATE, birth_date),    FIELD(52, 70, F_TEXT, address),
    FIELD(122, 36, F_TEXT, id_number),    FIELD(158, 30, F_TEXT, issuer),
    FIELD(188, 16, F_DATE, valid_from),   FIELD(204, 16, F_DATE, valid_to),
    FIELD(220, 18, F_TEXT, other_number), FIELD(238, 4, F_TEXT, issue_count),
};

static const struct field fields_foreign_2017[] = {
    FIELD(0, 120, F_TEXT, name),         FIELD(120, 2, F_GENDER, gender),
    FIELD(122, 30, F_TEXT, id_number),   FIELD(152, 6, F_TEXT, ethnicity),
    FIELD(158, 30, F_TEXT, name_zh),     FIELD(188, 16, F_DATE, valid_from),
    FIELD(204, 16, F_DATE, valid_to),    FIELD(220, 16, F_DATE, birth_date),
    FIELD(236, 4, F_TEXT, card_version), FIELD(240, 8, F_TEXT, issuer),
};

static const struct field fields_foreign_2023[] = {
    FIELD(0, 30, F_TEXT, name_zh),        FIELD(30, 2, F_GENDER, gender),
    FIELD(36, 16, F_DATE, birth_date),    FIELD(52, 70, F_TEXT, name),
    FIELD(122, 36, F_TEXT, id_number),    FIELD(158, 30, F_TEXT, issuer),
    FIELD(188, 16, F_DATE, valid_from),   FIELD(204, 16, F_DATE, valid_to),
    FIELD(220, 18, F_TEXT, other_number), FIELD(238, 4, F_TEXT, issue_count),
    FIELD(242, 6, F_TEXT, ethnicity),
};

struct layout {
    enum idcard_type type;
    uint16_t type_unit; /* UCS-2 value at offset 248 */
    const char *name;
    const struct field *fields;
    size_t n;
};

static const struct layout layouts[] = {
    {IDCARD_RESIDENT, ' ', "resident", fields_resident, ARRAY_LEN(fields_resident)},
    {IDCARD_HMT_PERMIT, 'J', "hmt_permit", fields_hmt, ARRAY_LEN(fields_hmt)},
    {IDCARD_FOREIGN_2017, 'I', "foreign_2017", fields_foreign_2017, ARRAY_LEN(fields_foreign_2017)},
    {IDCARD_FOREIGN_2023, 'Y', "foreign_2023", fields_foreign_2023, ARRAY_LEN(fields_foreign_2023)},
};

#define TYPE_OFFSET 248

/* ---- GB 3304 ethnicity codes ---- */

static const char *const ethnicities[] = {
    "汉",     "蒙古",   "回",       "藏",     "维吾尔",   "苗",   "彝",     "壮",
    "布依",   "朝鲜",   "满",       "侗",     "瑶",       "白",   "土家",   "哈尼",
    "哈萨克", "傣",     "黎",       "傈僳",   "佤",       "畲",   "高山",   "拉祜",
    "水",     "东乡",   "纳西",     "景颇",   "柯尔克孜", "土",   "达斡尔", "仫佬",
    "羌",     "布朗",   "撒拉",     "毛南",   "仡佬",     "锡伯", "阿昌",   "普米",
    "塔吉克", "怒",     "乌孜别克", "俄罗斯", "鄂温克",   "德昂", "保安",   "裕固",
    "京",     "塔塔尔", "独龙",     "鄂伦春", "赫哲",     "门巴", "珞巴",   "基诺",
};
_Static_assert(ARRAY_LEN(ethnicities) == 56, "GB 3304 lists 56 codes");

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

const char *idcard_ethnicity_name(const char *code)
{
    if (!code || !is_digit(code[0]) || !is_digit(code[1]) || code[2])
        return NULL;
    int n = (code[0] - '0') * 10 + (code[1] - '0');
    if (n >= 1 && n <= 56)
        return ethnicities[n - 1];
    if (n == 97)
        return "其他";
    if (n == 98)
        return "外国血统中国籍人士";
    return NULL;
}

const char *idcard_ethnicity_code(const char *name)
{
    static const char codes[][3] = {
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14",
        "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28",
        "29", "30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42",
        "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55", "56",
    };
    if (!name)
        return NULL;
    for (size_t i = 0; i < ARRAY_LEN(ethnicities); i++)
        if (strcmp(name, ethnicities[i]) == 0)
            return codes[i];
    if (strcmp(name, "其他") == 0)
        return "97";
    if (strcmp(name, "外国血统中国籍人士") == 0)
        return "98";
    return NULL;
}

const char *idcard_type_name(enum idcard_type type)
{
    for (size_t i = 0; i < ARRAY_LEN(layouts); i++)
        if (layouts[i].type == type)
            return layouts[i].name;
    return "unknown";
}

/* ---- UCS-2LE <-> UTF-8 ---- */

/* Longest field is 120 bytes = 60 units, at most 3 UTF-8 bytes each. */
#define FIELD_UTF8_MAX (60 * 3 + 1)

/* Decodes len bytes of UCS-2LE into out (FIELD_UTF8_MAX), dropping the
 * trailing padding (U+0020, and U+0000 which some modules leave). Units
 * that cannot be shown safely (controls, lone surrogates) become U+FFFD. */
static void ucs2_decode(const uint8_t *p, size_t len, char *out)
{
    size_t units = len / 2, end = units;
    while (end > 0) {
        uint16_t u = (uint16_t)(p[2 * (end - 1)] | p[2 * (end - 1) + 1] << 8);
        if (u != 0x0020 && u != 0x0000)
            break;
        end--;
    }
    size_t o = 0;
    for (size_t i = 0; i < end; i++) {
        unsigned u = (unsigned)(p[2 * i] | p[2 * i + 1] << 8);
        if (u < 0x20 || u == 0x7F || (u >= 0xD800 && u <= 0xDFFF))
            u = 0xFFFD;
        if (u < 0x80) {
            out[o++] = (char)u;
        } else if (u < 0x800) {
            out[o++] = (char)(0xC0 | u >> 6);
            out[o++] = (char)(0x80 | (u & 0x3F));
        } else {
            out[o++] = (char)(0xE0 | u >> 12);
            out[o++] = (char)(0x80 | (u >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (u & 0x3F));
        }
    }
    out[o] = '\0';
}

/* Encodes UTF-8 s into a len-byte UCS-2LE slot padded with U+0020.
 * Returns 0, ERR_TOOBIG, ERR_INVALID (bad UTF-8 or outside the BMP). */
static int ucs2_encode(const char *s, uint8_t *p, size_t len)
{
    size_t units = len / 2, n = 0;
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        unsigned u;
        if (c[0] < 0x80) {
            u = c[0];
            c += 1;
        } else if ((c[0] & 0xE0) == 0xC0 && (c[1] & 0xC0) == 0x80) {
            u = (unsigned)(c[0] & 0x1F) << 6 | (c[1] & 0x3F);
            c += 2;
        } else if ((c[0] & 0xF0) == 0xE0 && (c[1] & 0xC0) == 0x80 && (c[2] & 0xC0) == 0x80) {
            u = (unsigned)(c[0] & 0x0F) << 12 | (unsigned)(c[1] & 0x3F) << 6 | (c[2] & 0x3F);
            c += 3;
            if (u >= 0xD800 && u <= 0xDFFF)
                return ERR_INVALID;
        } else {
            return ERR_INVALID; /* 4-byte sequences do not fit UCS-2 */
        }
        if (n == units)
            return ERR_TOOBIG;
        p[2 * n] = (uint8_t)(u & 0xFF);
        p[2 * n + 1] = (uint8_t)(u >> 8);
        n++;
    }
    for (; n < units; n++) {
        p[2 * n] = 0x20;
        p[2 * n + 1] = 0x00;
    }
    return 0;
}

/* ---- parse ---- */

static const struct layout *layout_for_unit(uint16_t unit)
{
    for (size_t i = 0; i < ARRAY_LEN(layouts); i++)
        if (layouts[i].type_unit == unit)
            return &layouts[i];
    return NULL;
}

static const struct layout *layout_for_type(enum idcard_type type)
{
    for (size_t i = 0; i < ARRAY_LEN(layouts); i++)
        if (layouts[i].type == type)
            return &layouts[i];
    return NULL;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

static void parse_field(const struct field *f, const uint8_t *text, struct idcard *card)
{
    char tmp[FIELD_UTF8_MAX], date[11];
    const char *val = tmp;
    ucs2_decode(text + f->off, f->len, tmp);
    switch (f->kind) {
    case F_DATE:
        /* "长期" or a damaged date stays as text: validation judges it. */
        if (strlen(tmp) == 8 && all_digits(tmp, 8)) {
            memcpy(date, tmp, 4);
            date[4] = '-';
            memcpy(date + 5, tmp + 4, 2);
            date[7] = '-';
            memcpy(date + 8, tmp + 6, 2);
            date[10] = '\0';
            val = date;
        }
        break;
    case F_GENDER:
        /* 0 unknown, 9 unstated, or junk: shown as the raw code. */
        if (strcmp(tmp, "1") == 0)
            val = "男";
        else if (strcmp(tmp, "2") == 0)
            val = "女";
        break;
    case F_ETHNICITY: {
        /* An unknown code is shown as the raw code, never a failure. */
        const char *name = idcard_ethnicity_name(tmp);
        if (name)
            val = name;
        break;
    }
    default:
        break;
    }
    str_copy((char *)card + f->dst, f->dst_size, val);
    explicit_bzero(tmp, sizeof tmp);
    explicit_bzero(date, sizeof date);
}

int idcard_parse_text(const uint8_t *text, size_t len, struct idcard *out)
{
    if (!text || !out || len != IDCARD_TEXT_LEN)
        return ERR_INVALID;
    memset(out, 0, sizeof *out);
    uint16_t unit = (uint16_t)(text[TYPE_OFFSET] | text[TYPE_OFFSET + 1] << 8);
    const struct layout *l = layout_for_unit(unit);
    if (!l)
        return ERR_UNSUPPORTED;
    out->type = l->type;
    for (size_t i = 0; i < l->n; i++)
        parse_field(&l->fields[i], text, out);
    return 0;
}

int idcard_parse_address(const uint8_t *block, size_t len, struct idcard *card)
{
    if (!block || !card || len != IDCARD_ADDRESS_LEN)
        return ERR_INVALID;
    char extra[FIELD_UTF8_MAX];
    ucs2_decode(block, len, extra);
    if (extra[0]) {
        char joined[sizeof card->address];
        size_t base = strlen(card->address);
        str_copy(joined, sizeof joined, card->address);
        if (base && base + 1 < sizeof joined) {
            joined[base] = ' ';
            joined[base + 1] = '\0';
            base++;
        }
        str_copy(joined + base, sizeof joined - base, extra);
        memcpy(card->address, joined, sizeof joined);
        explicit_bzero(joined, sizeof joined);
    }
    explicit_bzero(extra, sizeof extra);
    return 0;
}

/* ---- encode ---- */

static bool is_iso_date_shape(const char *s)
{
    return strlen(s) == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) &&
           s[7] == '-' && all_digits(s + 8, 2);
}

static int encode_field(const struct field *f, const struct idcard *card, uint8_t *text)
{
    const char *src = (const char *)card + f->dst;
    /* A source string not NUL-terminated within its member is a caller bug
     * but costs nothing to refuse here. */
    if (!memchr(src, '\0', f->dst_size))
        return ERR_INVALID;
    char tmp[16];
    switch (f->kind) {
    case F_DATE:
        if (is_iso_date_shape(src)) {
            memcpy(tmp, src, 4);
            memcpy(tmp + 4, src + 5, 2);
            memcpy(tmp + 6, src + 8, 2);
            tmp[8] = '\0';
            src = tmp;
        }
        break;
    case F_GENDER:
        if (strcmp(src, "男") == 0)
            src = "1";
        else if (strcmp(src, "女") == 0)
            src = "2";
        else if (strlen(src) > 1)
            return ERR_INVALID;
        break;
    case F_ETHNICITY: {
        const char *code = idcard_ethnicity_code(src);
        if (code)
            src = code;
        else if (src[0] && !(strlen(src) == 2 && all_digits(src, 2)))
            return ERR_INVALID;
        break;
    }
    default:
        break;
    }
    return ucs2_encode(src, text + f->off, f->len);
}

int idcard_encode_text(const struct idcard *card, uint8_t out[IDCARD_TEXT_LEN])
{
    const struct layout *l = card ? layout_for_type(card->type) : NULL;
    if (!l)
        return ERR_INVALID;
    /* Blank everything first: reserved areas are space-padded like fields. */
    for (size_t i = 0; i < IDCARD_TEXT_LEN; i += 2) {
        out[i] = 0x20;
        out[i + 1] = 0x00;
    }
    for (size_t i = 0; i < l->n; i++) {
        int rc = encode_field(&l->fields[i], card, out);
        if (rc) {
            explicit_bzero(out, IDCARD_TEXT_LEN);
            return rc;
        }
    }
    out[TYPE_OFFSET] = (uint8_t)l->type_unit;
    out[TYPE_OFFSET + 1] = 0x00;
    return 0;
}

int idcard_encode_address(const char *address, uint8_t out[IDCARD_ADDRESS_LEN])
{
    if (!address)
        return ERR_INVALID;
    return ucs2_encode(address, out, IDCARD_ADDRESS_LEN);
}

/* ---- validation ---- */

static bool is_real_date(const char *s)
{
    if (!is_iso_date_shape(s))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

/* Number shape per card type: 0 ok, else the reason. */
static enum idcard_check check_number(const struct idcard *card)
{
    const char *n = card->id_number;
    size_t len = strlen(n);
    if (card->type == IDCARD_FOREIGN_2017) {
        if (len != 15)
            return IDCARD_CHECK_NUMBER_FORMAT;
        for (int i = 0; i < 3; i++)
            if (n[i] < 'A' || n[i] > 'Z')
                return IDCARD_CHECK_NUMBER_FORMAT;
        return all_digits(n + 3, 12) ? IDCARD_CHECK_OK : IDCARD_CHECK_NUMBER_FORMAT;
    }
    if (len != 18 || !all_digits(n, 17) || !(is_digit(n[17]) || n[17] == 'X' || n[17] == 'x'))
        return IDCARD_CHECK_NUMBER_FORMAT;
    if (card->type == IDCARD_FOREIGN_2023 && n[0] != '9')
        return IDCARD_CHECK_NUMBER_FORMAT;
    /* 港澳台 permits carry the region codes 810000 / 820000 / 830000. */
    if (card->type == IDCARD_HMT_PERMIT && !(n[0] == '8' && n[1] >= '1' && n[1] <= '3'))
        return IDCARD_CHECK_NUMBER_FORMAT;
    return idnum_is_valid(n) ? IDCARD_CHECK_OK : IDCARD_CHECK_NUMBER_CHECKSUM;
}

enum idcard_check idcard_validate(const struct idcard *card, const char *today)
{
    enum idcard_check rc = check_number(card);
    if (rc != IDCARD_CHECK_OK)
        return rc;
    if (card->type != IDCARD_FOREIGN_2017) {
        /* Digits 7..14 are the birth date, digit 17 is odd for men. The
         * 2017 foreigner number's inner layout is not sourced: not checked. */
        const char *n = card->id_number, *b = card->birth_date;
        if (strlen(b) != 10 || memcmp(n + 6, b, 4) != 0 || memcmp(n + 10, b + 5, 2) != 0 ||
            memcmp(n + 12, b + 8, 2) != 0)
            return IDCARD_CHECK_BIRTH_MISMATCH;
        const char *want = (n[16] - '0') % 2 ? "男" : "女";
        if (strcmp(card->gender, want) != 0)
            return IDCARD_CHECK_GENDER_MISMATCH;
    }
    bool forever = strcmp(card->valid_to, "长期") == 0;
    if (!is_real_date(card->birth_date) || !is_real_date(card->valid_from) ||
        (!forever && !is_real_date(card->valid_to)))
        return IDCARD_CHECK_BAD_DATE;
    if (!today)
        return IDCARD_CHECK_OK;
    if (!is_real_date(today))
        return IDCARD_CHECK_BAD_DATE;
    /* ISO dates compare as strings; the end date itself is still valid. */
    if (!forever && strcmp(today, card->valid_to) > 0)
        return IDCARD_CHECK_EXPIRED;
    if (strcmp(today, card->valid_from) < 0)
        return IDCARD_CHECK_NOT_YET_VALID;
    return IDCARD_CHECK_OK;
}

const char *idcard_check_name(enum idcard_check check)
{
    static const char *const names[IDCARD_CHECK_COUNT] = {
        "ok",       "number_format", "number_checksum", "birth_mismatch", "gender_mismatch",
        "bad_date", "expired",       "not_yet_valid",
    };
    if ((unsigned)check >= IDCARD_CHECK_COUNT)
        return "unknown";
    return names[check];
}

void idcard_wipe(struct idcard *card)
{
    if (card)
        explicit_bzero(card, sizeof *card);
}
