/* idcard_text_test.c - the 256-byte card text block for all four card types,
 * the ethnicity table, and the validation reasons.
 *
 * Blocks are built here field by field (offset, width) with a small
 * UTF-8 -> UCS-2LE writer of the test's own, so the layout is checked
 * against this file's reading of it, not against the encoder.
 */
#include "base/err.h"
#include "card_fixture.h"
#include "check.h"
#include "drivers/idcard/idcard.h"

#include <stdint.h>
#include <string.h>

/* Writes UTF-8 s at off as UCS-2LE, padded with U+0020 to width bytes. */
static void put(uint8_t *block, size_t off, size_t width, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    size_t o = off;
    while (*c) {
        unsigned u;
        if (c[0] < 0x80) {
            u = *c++;
        } else if ((c[0] & 0xE0) == 0xC0) {
            u = (unsigned)(c[0] & 0x1F) << 6 | (c[1] & 0x3F);
            c += 2;
        } else {
            u = (unsigned)(c[0] & 0x0F) << 12 | (unsigned)(c[1] & 0x3F) << 6 | (c[2] & 0x3F);
            c += 3;
        }
        CHECK(o + 2 <= off + width);
        block[o++] = (uint8_t)u;
        block[o++] = (uint8_t)(u >> 8);
    }
    while (o < off + width) {
        block[o++] = 0x20;
        block[o++] = 0x00;
    }
}

static void blank(uint8_t *block)
{
    put(block, 0, 256, "");
}

static void test_resident(void)
{
    uint8_t b[256];
    blank(b);
    put(b, 0, 30, "张三");
    put(b, 30, 2, "1");
    put(b, 32, 4, "01");
    put(b, 36, 16, "19900307");
    put(b, 52, 70, "河南省焦作市解放区民主南路168号 3单元");
    put(b, 122, 36, "410802199003071239");
    put(b, 158, 30, "焦作市公安局解放分局");
    put(b, 188, 16, "20150601");
    put(b, 204, 16, "20350601");
    put(b, 248, 2, " ");

    struct idcard c;
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_INT(c.type, IDCARD_RESIDENT);
    CHECK_EQ_STR(c.name, "张三");
    CHECK_EQ_STR(c.gender, "男");
    CHECK_EQ_STR(c.ethnicity, "汉");
    CHECK_EQ_STR(c.birth_date, "1990-03-07");
    /* Inner spaces survive; only trailing padding goes. */
    CHECK_EQ_STR(c.address, "河南省焦作市解放区民主南路168号 3单元");
    CHECK_EQ_STR(c.id_number, "410802199003071239");
    CHECK_EQ_STR(c.issuer, "焦作市公安局解放分局");
    CHECK_EQ_STR(c.valid_from, "2015-06-01");
    CHECK_EQ_STR(c.valid_to, "2035-06-01");
    CHECK_EQ_STR(c.name_zh, "");
    CHECK_EQ_INT(c.photo_len, 0);
    CHECK_EQ_INT(idcard_validate(&c, "2024-05-20"), IDCARD_CHECK_OK);

    /* 长期, an unknown ethnicity code, a female holder. */
    put(b, 0, 30, "李四");
    put(b, 30, 2, "2");
    put(b, 32, 4, "77");
    put(b, 36, 16, "19920815");
    put(b, 122, 36, "410802199208150029");
    put(b, 204, 16, "长期");
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_STR(c.gender, "女");
    CHECK_EQ_STR(c.ethnicity, "77");
    CHECK_EQ_STR(c.valid_to, "长期");
    CHECK_EQ_INT(idcard_validate(&c, "2099-12-31"), IDCARD_CHECK_OK);

    /* Appended address (30 03) joins with one space; blank changes nothing. */
    uint8_t a[70];
    put(a, 0, 70, "");
    CHECK_EQ_INT(idcard_parse_address(a, sizeof a, &c), 0);
    CHECK_EQ_STR(c.address, "河南省焦作市解放区民主南路168号 3单元");
    put(a, 0, 70, "焦作市山阳区人民路1号");
    CHECK_EQ_INT(idcard_parse_address(a, sizeof a, &c), 0);
    CHECK_EQ_STR(c.address, "河南省焦作市解放区民主南路168号 3单元 焦作市山阳区人民路1号");
    CHECK_EQ_INT(idcard_parse_address(a, 69, &c), ERR_INVALID);
}

static void test_hmt(void)
{
    uint8_t b[256];
    blank(b);
    put(b, 0, 30, "陈大文");
    put(b, 30, 2, "1");
    put(b, 36, 16, "19850512");
    put(b, 52, 70, "广东省深圳市福田区福华路88号");
    put(b, 122, 36, "810000198505120014");
    put(b, 158, 30, "深圳市公安局");
    put(b, 188, 16, "20190101");
    put(b, 204, 16, "20240101");
    put(b, 220, 18, "H12345678");
    put(b, 238, 4, "01");
    put(b, 248, 2, "J");
    struct idcard c;
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_INT(c.type, IDCARD_HMT_PERMIT);
    CHECK_EQ_STR(c.name, "陈大文");
    CHECK_EQ_STR(c.ethnicity, "");
    CHECK_EQ_STR(c.id_number, "810000198505120014");
    CHECK_EQ_STR(c.other_number, "H12345678");
    CHECK_EQ_STR(c.issue_count, "01");
    CHECK_EQ_STR(c.valid_to, "2024-01-01");
    CHECK_EQ_STR(idcard_type_name(c.type), "hmt_permit");
    CHECK_EQ_INT(idcard_validate(&c, "2023-12-31"), IDCARD_CHECK_OK);
    CHECK_EQ_INT(idcard_validate(&c, "2024-01-01"), IDCARD_CHECK_OK); /* last day still valid */
    CHECK_EQ_INT(idcard_validate(&c, "2024-01-02"), IDCARD_CHECK_EXPIRED);
}

static void test_foreign_2017(void)
{
    uint8_t b[256];
    blank(b);
    put(b, 0, 120, "SMITH, JOHN WILLIAM ALEXANDER");
    put(b, 120, 2, "1");
    put(b, 122, 30, "CAN110075010101");
    put(b, 152, 6, "CAN");
    put(b, 158, 30, "史密斯");
    put(b, 188, 16, "20170615");
    put(b, 204, 16, "20270614");
    put(b, 220, 16, "19750101");
    put(b, 236, 4, "01");
    put(b, 240, 8, "1500");
    put(b, 248, 2, "I");
    struct idcard c;
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_INT(c.type, IDCARD_FOREIGN_2017);
    CHECK_EQ_STR(c.name, "SMITH, JOHN WILLIAM ALEXANDER");
    CHECK_EQ_STR(c.gender, "男");
    CHECK_EQ_STR(c.id_number, "CAN110075010101");
    CHECK_EQ_STR(c.ethnicity, "CAN");
    CHECK_EQ_STR(c.name_zh, "史密斯");
    CHECK_EQ_STR(c.valid_from, "2017-06-15");
    CHECK_EQ_STR(c.valid_to, "2027-06-14");
    CHECK_EQ_STR(c.birth_date, "1975-01-01");
    CHECK_EQ_STR(c.card_version, "01");
    CHECK_EQ_STR(c.issuer, "1500");
    CHECK_EQ_STR(c.address, "");
    CHECK_EQ_INT(idcard_validate(&c, "2024-01-01"), IDCARD_CHECK_OK);

    /* A 60-character English name fills all 120 bytes; inner spaces stay. */
    const char *long_name = "ABCDEFGHI ABCDEFGHI ABCDEFGHI ABCDEFGHI ABCDEFGHI ABCDEFGHIJ";
    CHECK_EQ_INT(strlen(long_name), 60);
    put(b, 0, 120, long_name);
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_STR(c.name, long_name);
}

static void test_foreign_2023(void)
{
    uint8_t b[256];
    blank(b);
    put(b, 0, 30, "王小明");
    put(b, 30, 2, "1");
    put(b, 36, 16, "19850101");
    put(b, 52, 70, "WANG, XIAOMING");
    put(b, 122, 36, "932682198501010017");
    put(b, 158, 30, "国家移民管理局");
    put(b, 188, 16, "20230601");
    put(b, 204, 16, "20330531");
    put(b, 220, 18, "");
    put(b, 238, 4, "01");
    put(b, 242, 6, "CAN");
    put(b, 248, 2, "Y");
    struct idcard c;
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_INT(c.type, IDCARD_FOREIGN_2023);
    CHECK_EQ_STR(c.name, "WANG, XIAOMING");
    CHECK_EQ_STR(c.name_zh, "王小明");
    CHECK_EQ_STR(c.id_number, "932682198501010017");
    CHECK_EQ_STR(c.ethnicity, "CAN");
    CHECK_EQ_STR(c.issuer, "国家移民管理局");
    CHECK_EQ_STR(c.issue_count, "01");
    CHECK_EQ_STR(c.other_number, "");
    CHECK_EQ_STR(c.birth_date, "1985-01-01");
    CHECK_EQ_INT(idcard_validate(&c, "2024-01-01"), IDCARD_CHECK_OK);
    CHECK_EQ_INT(idcard_validate(&c, "2023-05-31"), IDCARD_CHECK_NOT_YET_VALID);
}

static void test_bad_blocks(void)
{
    uint8_t b[256];
    struct idcard c;
    blank(b);
    CHECK_EQ_INT(idcard_parse_text(b, 255, &c), ERR_INVALID);
    CHECK_EQ_INT(idcard_parse_text(NULL, 256, &c), ERR_INVALID);
    put(b, 248, 2, "Z");
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), ERR_UNSUPPORTED);

    /* Controls, a lone surrogate and NUL padding: shown safely. */
    blank(b);
    b[0] = 0x01; /* U+0001 */
    b[1] = 0x00;
    b[2] = 0x00; /* U+D800 */
    b[3] = 0xD8;
    b[4] = 0x41; /* 'A' */
    b[5] = 0x00;
    for (int i = 6; i < 30; i++)
        b[i] = 0;
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_STR(c.name, "\xEF\xBF\xBD\xEF\xBF\xBD"
                         "A");
    /* A damaged date stays text and fails validation. */
    put(b, 0, 30, "张三");
    put(b, 30, 2, "1");
    put(b, 36, 16, "1990AB07");
    put(b, 122, 36, "410802199003071239");
    put(b, 188, 16, "20150601");
    put(b, 204, 16, "20350601");
    CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &c), 0);
    CHECK_EQ_STR(c.birth_date, "1990AB07");
    CHECK_EQ_INT(idcard_validate(&c, "2024-01-01"), IDCARD_CHECK_BIRTH_MISMATCH);
}

static void test_ethnicity(void)
{
    CHECK_EQ_STR(idcard_ethnicity_name("01"), "汉");
    CHECK_EQ_STR(idcard_ethnicity_name("02"), "蒙古");
    CHECK_EQ_STR(idcard_ethnicity_name("05"), "维吾尔");
    CHECK_EQ_STR(idcard_ethnicity_name("29"), "柯尔克孜");
    CHECK_EQ_STR(idcard_ethnicity_name("43"), "乌孜别克");
    CHECK_EQ_STR(idcard_ethnicity_name("56"), "基诺");
    CHECK_EQ_STR(idcard_ethnicity_name("97"), "其他");
    CHECK_EQ_STR(idcard_ethnicity_name("98"), "外国血统中国籍人士");
    CHECK(idcard_ethnicity_name("00") == NULL);
    CHECK(idcard_ethnicity_name("57") == NULL);
    CHECK(idcard_ethnicity_name("99") == NULL);
    CHECK(idcard_ethnicity_name("1") == NULL);
    CHECK(idcard_ethnicity_name("011") == NULL);
    CHECK(idcard_ethnicity_name("a1") == NULL);
    /* Every code maps back to itself. */
    for (int i = 1; i <= 98; i++) {
        char code[3] = {(char)('0' + i / 10), (char)('0' + i % 10), '\0'};
        const char *name = idcard_ethnicity_name(code);
        if (i <= 56 || i == 97 || i == 98) {
            CHECK(name != NULL);
            CHECK_EQ_STR(idcard_ethnicity_code(name), code);
        } else {
            CHECK(name == NULL);
        }
    }
}

static void test_validate(void)
{
    static const struct {
        const char *field, *value, *today;
        enum idcard_type type;
        enum idcard_check want;
    } cases[] = {
        {NULL, NULL, "2024-01-01", IDCARD_RESIDENT, IDCARD_CHECK_OK},
        {NULL, NULL, NULL, IDCARD_RESIDENT, IDCARD_CHECK_OK},
        {"id_number", "410802199003071238", "2024-01-01", IDCARD_RESIDENT,
         IDCARD_CHECK_NUMBER_CHECKSUM},
        {"id_number", "41080219900307123", "2024-01-01", IDCARD_RESIDENT,
         IDCARD_CHECK_NUMBER_FORMAT},
        {"id_number", "4108021990030712A9", "2024-01-01", IDCARD_RESIDENT,
         IDCARD_CHECK_NUMBER_FORMAT},
        {"birth_date", "1990-03-08", "2024-01-01", IDCARD_RESIDENT, IDCARD_CHECK_BIRTH_MISMATCH},
        {"gender", "女", "2024-01-01", IDCARD_RESIDENT, IDCARD_CHECK_GENDER_MISMATCH},
        {"valid_to", "2035-02-30", "2024-01-01", IDCARD_RESIDENT, IDCARD_CHECK_BAD_DATE},
        {"valid_from", "", "2024-01-01", IDCARD_RESIDENT, IDCARD_CHECK_BAD_DATE},
        {NULL, NULL, "2035-06-02", IDCARD_RESIDENT, IDCARD_CHECK_EXPIRED},
        {NULL, NULL, "2035-06-01", IDCARD_RESIDENT, IDCARD_CHECK_OK},
        {NULL, NULL, "2015-05-31", IDCARD_RESIDENT, IDCARD_CHECK_NOT_YET_VALID},
        {"valid_to", "长期", "2099-01-01", IDCARD_RESIDENT, IDCARD_CHECK_OK},
        {NULL, NULL, "2024-13-01", IDCARD_RESIDENT, IDCARD_CHECK_BAD_DATE},
        /* The same number on a permit: wrong region for 'J', wrong lead for 'Y'. */
        {NULL, NULL, "2024-01-01", IDCARD_HMT_PERMIT, IDCARD_CHECK_NUMBER_FORMAT},
        {NULL, NULL, "2024-01-01", IDCARD_FOREIGN_2023, IDCARD_CHECK_NUMBER_FORMAT},
        {NULL, NULL, "2024-01-01", IDCARD_FOREIGN_2017, IDCARD_CHECK_NUMBER_FORMAT},
        {"id_number", "CAN110075010101", "2024-01-01", IDCARD_FOREIGN_2017, IDCARD_CHECK_OK},
        {"id_number", "CA1110075010101", "2024-01-01", IDCARD_FOREIGN_2017,
         IDCARD_CHECK_NUMBER_FORMAT},
        {"id_number", "83000019700101003X", "2024-01-01", IDCARD_HMT_PERMIT,
         IDCARD_CHECK_BIRTH_MISMATCH},
        {"id_number", "932682199003071236", "2024-01-01", IDCARD_FOREIGN_2023,
         IDCARD_CHECK_NUMBER_CHECKSUM},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct idcard c = fixture_card();
        c.type = cases[i].type;
        if (cases[i].field) {
            const char *f = cases[i].field, *v = cases[i].value;
            if (strcmp(f, "id_number") == 0)
                snprintf(c.id_number, sizeof c.id_number, "%s", v);
            else if (strcmp(f, "birth_date") == 0)
                snprintf(c.birth_date, sizeof c.birth_date, "%s", v);
            else if (strcmp(f, "gender") == 0)
                snprintf(c.gender, sizeof c.gender, "%s", v);
            else if (strcmp(f, "valid_to") == 0)
                snprintf(c.valid_to, sizeof c.valid_to, "%s", v);
            else
                snprintf(c.valid_from, sizeof c.valid_from, "%s", v);
        }
        enum idcard_check got = idcard_validate(&c, cases[i].today);
        if (got != cases[i].want)
            fprintf(stderr, "validate case %zu: got %s want %s\n", i, idcard_check_name(got),
                    idcard_check_name(cases[i].want));
        CHECK_EQ_INT(got, cases[i].want);
    }
    /* Leap days. */
    struct idcard c = fixture_card();
    strcpy(c.valid_to, "2036-02-29");
    CHECK_EQ_INT(idcard_validate(&c, "2024-02-29"), IDCARD_CHECK_OK);
    strcpy(c.valid_to, "2035-02-29");
    CHECK_EQ_INT(idcard_validate(&c, "2024-01-01"), IDCARD_CHECK_BAD_DATE);
    /* Names are distinct and stable. */
    CHECK_EQ_STR(idcard_check_name(IDCARD_CHECK_EXPIRED), "expired");
    CHECK_EQ_STR(idcard_check_name((enum idcard_check)99), "unknown");
    for (int i = 0; i < IDCARD_CHECK_COUNT; i++)
        for (int j = i + 1; j < IDCARD_CHECK_COUNT; j++)
            CHECK(strcmp(idcard_check_name((enum idcard_check)i),
                         idcard_check_name((enum idcard_check)j)) != 0);
}

/* encode then parse gives back every field, for each card type. */
static void test_round_trip(void)
{
    struct idcard in[4];
    in[0] = fixture_card();
    in[1] = fixture_card();
    in[1].type = IDCARD_HMT_PERMIT;
    strcpy(in[1].id_number, "810000198505120014");
    in[1].ethnicity[0] = '\0';
    strcpy(in[1].other_number, "H12345678");
    strcpy(in[1].issue_count, "02");
    memset(&in[2], 0, sizeof in[2]);
    in[2].type = IDCARD_FOREIGN_2017;
    strcpy(in[2].name, "SMITH, JOHN");
    strcpy(in[2].name_zh, "史密斯");
    strcpy(in[2].gender, "女");
    strcpy(in[2].ethnicity, "CAN");
    strcpy(in[2].birth_date, "1975-01-01");
    strcpy(in[2].id_number, "CAN110075010101");
    strcpy(in[2].issuer, "1500");
    strcpy(in[2].valid_from, "2017-06-15");
    strcpy(in[2].valid_to, "2027-06-14");
    strcpy(in[2].card_version, "01");
    memset(&in[3], 0, sizeof in[3]);
    in[3].type = IDCARD_FOREIGN_2023;
    strcpy(in[3].name, "WANG, XIAOMING");
    strcpy(in[3].name_zh, "王小明");
    strcpy(in[3].gender, "男");
    strcpy(in[3].ethnicity, "CAN");
    strcpy(in[3].birth_date, "1985-01-01");
    strcpy(in[3].id_number, "932682198501010017");
    strcpy(in[3].issuer, "国家移民管理局");
    strcpy(in[3].valid_from, "2023-06-01");
    strcpy(in[3].valid_to, "长期");
    strcpy(in[3].issue_count, "01");
    for (int i = 0; i < 4; i++) {
        uint8_t b[256];
        struct idcard out;
        CHECK_EQ_INT(idcard_encode_text(&in[i], b), 0);
        CHECK_EQ_INT(idcard_parse_text(b, sizeof b, &out), 0);
        CHECK_EQ_INT(out.type, in[i].type);
        CHECK_EQ_STR(out.name, in[i].name);
        CHECK_EQ_STR(out.name_zh, in[i].name_zh);
        CHECK_EQ_STR(out.gender, in[i].gender);
        CHECK_EQ_STR(out.ethnicity, in[i].ethnicity);
        CHECK_EQ_STR(out.birth_date, in[i].birth_date);
        CHECK_EQ_STR(out.address, in[i].address);
        CHECK_EQ_STR(out.id_number, in[i].id_number);
        CHECK_EQ_STR(out.issuer, in[i].issuer);
        CHECK_EQ_STR(out.valid_from, in[i].valid_from);
        CHECK_EQ_STR(out.valid_to, in[i].valid_to);
        CHECK_EQ_STR(out.other_number, in[i].other_number);
        CHECK_EQ_STR(out.issue_count, in[i].issue_count);
        CHECK_EQ_STR(out.card_version, in[i].card_version);
    }
    /* Too long, outside UCS-2, unknown ethnicity name. */
    struct idcard c = fixture_card();
    strcpy(c.name, "一二三四五六七八九十一二三四五六");
    uint8_t b[256];
    CHECK_EQ_INT(idcard_encode_text(&c, b), ERR_TOOBIG);
    c = fixture_card();
    strcpy(c.name, "\xF0\xA0\x80\x80"); /* U+20000, outside the BMP */
    CHECK_EQ_INT(idcard_encode_text(&c, b), ERR_INVALID);
    c = fixture_card();
    strcpy(c.ethnicity, "火星");
    CHECK_EQ_INT(idcard_encode_text(&c, b), ERR_INVALID);
    strcpy(c.ethnicity, "77"); /* a raw code round-trips */
    CHECK_EQ_INT(idcard_encode_text(&c, b), 0);
    uint8_t a[70];
    CHECK_EQ_INT(idcard_encode_address("焦作市山阳区人民路1号", a), 0);
    CHECK_EQ_INT(a[0], 0x26); /* 焦 U+7126, little-endian */
    CHECK_EQ_INT(a[1], 0x71);
    CHECK_EQ_INT(a[68], 0x20);
    CHECK_EQ_INT(a[69], 0x00);

    idcard_wipe(&c);
    static const struct idcard zero;
    /* Every byte, padding included, is what a wipe promises. */
    // NOLINTNEXTLINE(bugprone-suspicious-memory-comparison): the bytes are the point
    CHECK(memcmp(&c, &zero, sizeof c) == 0);
}

int main(void)
{
    test_resident();
    test_hmt();
    test_foreign_2017();
    test_foreign_2023();
    test_bad_blocks();
    test_ethnicity();
    test_validate();
    test_round_trip();
    return check_report("idcard_text_test");
}
