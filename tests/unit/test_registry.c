/* test_registry.c - the registry's request parsing and card checks, as
 * pure functions: tables of cards and bodies with the problem each must
 * give. Single-threaded. */
#include "registry/registry_guard.h"
#include "registry/registry_req.h"

#include "base/util.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TODAY 20261122

static struct registry_card good_card(void)
{
    struct registry_card c = {0};
    str_copy(c.type, sizeof c.type, "resident");
    char id[19] = "41080219900307123";
    id[17] = idnum_check_char(id);
    id[18] = '\0';
    str_copy(c.id_number, sizeof c.id_number, id);
    str_copy(c.name, sizeof c.name, "张三");
    str_copy(c.gender, sizeof c.gender, "男"); /* 17th digit 3: odd */
    str_copy(c.ethnicity, sizeof c.ethnicity, "汉");
    str_copy(c.birth_date, sizeof c.birth_date, "1990-03-07");
    str_copy(c.address, sizeof c.address, "河南省焦作市解放区民主南路168号");
    str_copy(c.issuer, sizeof c.issuer, "焦作市公安局解放分局");
    str_copy(c.valid_from, sizeof c.valid_from, "2015-06-01");
    str_copy(c.valid_to, sizeof c.valid_to, "2035-06-01");
    return c;
}

struct card_case {
    const char *field; /* which field to replace, NULL for none */
    const char *value;
    enum registry_problem want;
};

static const struct card_case card_cases[] = {
    {NULL, NULL, PROB_NONE},
    {"valid_to", "长期", PROB_NONE},
    {"valid_to", "2026-11-22", PROB_NONE}, /* good through its last day */
    {"valid_to", "2026-11-21", PROB_CARD_EXPIRED},
    {"valid_from", "2026-11-23", PROB_CARD_INVALID},
    {"valid_to", "2014-01-01", PROB_CARD_INVALID}, /* before valid_from */
    {"valid_to", "2035-02-30", PROB_CARD_INVALID},
    {"valid_to", "someday", PROB_CARD_INVALID},
    {"gender", "女", PROB_CARD_INVALID},
    {"gender", "X", PROB_CARD_INVALID},
    {"birth_date", "1990-03-08", PROB_CARD_INVALID},
    {"birth_date", "1990-3-7", PROB_CARD_INVALID},
    {"id_number", "410802199003071230", PROB_CARD_INVALID}, /* wrong check character */
    {"id_number", "41080219900307123", PROB_CARD_INVALID},
    {"id_number", "4108021990030712345", PROB_CARD_INVALID},
    {"type", "passport", PROB_BAD_REQUEST},
    {"type", "hmt_permit", PROB_CARD_INVALID}, /* a resident number on a permit */
    {"type", "foreign_2023", PROB_CARD_INVALID},
};

static void set_field(struct registry_card *c, const char *f, const char *v)
{
    char *dst = strcmp(f, "type") == 0         ? c->type
                : strcmp(f, "id_number") == 0  ? c->id_number
                : strcmp(f, "gender") == 0     ? c->gender
                : strcmp(f, "birth_date") == 0 ? c->birth_date
                : strcmp(f, "valid_from") == 0 ? c->valid_from
                                               : c->valid_to;
    str_copy(dst, 16, v);
}

static void test_cards(void)
{
    for (size_t i = 0; i < ARRAY_LEN(card_cases); i++) {
        struct registry_card c = good_card();
        if (card_cases[i].field)
            set_field(&c, card_cases[i].field, card_cases[i].value);
        char detail[128] = "";
        enum registry_problem p = registry_req_check_card(&c, TODAY, detail, sizeof detail);
        if (p != card_cases[i].want)
            fprintf(stderr, "  card case %zu (%s): got %s (%s)\n", i,
                    card_cases[i].field ? card_cases[i].field : "-", registry_problem_type(p),
                    detail);
        CHECK_EQ_INT(p, card_cases[i].want);
    }
    /* Hong Kong / Macao / Taiwan residence permit: 810000 + GB 11643. */
    struct registry_card c = good_card();
    char id[19] = "81000019900307123";
    id[17] = idnum_check_char(id);
    id[18] = '\0';
    str_copy(c.type, sizeof c.type, "hmt_permit");
    str_copy(c.id_number, sizeof c.id_number, id);
    CHECK_EQ_INT(registry_req_check_card(&c, TODAY, NULL, 0), PROB_NONE);
    /* 2017 permanent residence card: 15 characters. */
    c = good_card();
    str_copy(c.type, sizeof c.type, "foreign_2017");
    str_copy(c.id_number, sizeof c.id_number, "USA410090030712");
    CHECK_EQ_INT(registry_req_check_card(&c, TODAY, NULL, 0), PROB_NONE);
    str_copy(c.id_number, sizeof c.id_number, "US4100900307123");
    CHECK_EQ_INT(registry_req_check_card(&c, TODAY, NULL, 0), PROB_CARD_INVALID);
}

static void test_dates_tokens(void)
{
    CHECK_EQ_INT(registry_req_date("2024-02-29"), 20240229);
    CHECK_EQ_INT(registry_req_date("2023-02-29"), 0);
    CHECK_EQ_INT(registry_req_date("2000-02-29"), 20000229);
    CHECK_EQ_INT(registry_req_date("1900-02-29"), 0);
    CHECK_EQ_INT(registry_req_date("2024-13-01"), 0);
    CHECK_EQ_INT(registry_req_date("2024-1-01"), 0);
    CHECK_EQ_INT(registry_req_date(""), 0);
    CHECK(registry_req_is_token("JZ-03"));
    CHECK(registry_req_is_token("a_b-C9"));
    CHECK(!registry_req_is_token(""));
    CHECK(!registry_req_is_token("has space"));
    CHECK(!registry_req_is_token("ünï"));
    CHECK(!registry_req_is_token(
        "0123456789012345678901234567890123456789012345678901234567890123X"));
    CHECK(!registry_req_is_token(NULL));
}

static const char good_session[] =
    "{\"card\":{\"type\":\"resident\",\"id_number\":\"410802199003071234\",\"name\":\"张三\","
    "\"gender\":\"男\",\"ethnicity\":\"汉\",\"birth_date\":\"1990-03-07\",\"address\":\"\","
    "\"issuer\":\"焦作市公安局解放分局\",\"valid_from\":\"2015-06-01\",\"valid_to\":\"长期\"},"
    "\"face\":{\"consent\":true,\"image_jpeg\":\"/9j/4AA=\",\"liveness\":{\"passed\":false,"
    "\"challenge\":\"blink\"}}}";

static void test_session_parse(void)
{
    struct registry_session_req q;
    char d[128];
    CHECK_EQ_INT(registry_req_parse_session(good_session, strlen(good_session), &q, d, sizeof d),
                 PROB_NONE);
    CHECK_EQ_STR(q.card.name, "张三");
    CHECK_EQ_STR(q.card.valid_to, "长期");
    CHECK(q.consent);
    CHECK(!q.liveness_passed);
    CHECK_EQ_INT(q.image_bytes, 5);
    /* Every prefix of a good body is a bad request, never a crash. */
    for (size_t n = 0; n < strlen(good_session); n++)
        CHECK_EQ_INT(registry_req_parse_session(good_session, n, &q, d, sizeof d),
                     PROB_BAD_REQUEST);
    static const char *const bad[] = {
        "null",
        "{}",
        "{\"card\":[],\"face\":{}}",
        "{\"card\":{\"type\":\"resident\",\"id_number\":\"1\",\"name\":\"a\",\"gender\":\"男\","
        "\"ethnicity\":\"\",\"birth_date\":\"x\",\"address\":\"\",\"issuer\":\"x\","
        "\"valid_from\":\"x\",\"valid_to\":\"x\"},\"face\":{\"consent\":\"yes\"}}",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        CHECK_EQ_INT(registry_req_parse_session(bad[i], strlen(bad[i]), &q, d, sizeof d),
                     PROB_BAD_REQUEST);
    /* Not base64, or too large. */
    char *s = strdup(good_session);
    char *img = strstr(s, "/9j/4AA=");
    img[6] = '*'; /* "/9j/4AA=" becomes "/9j/4A*=" */
    CHECK_EQ_INT(registry_req_parse_session(s, strlen(s), &q, d, sizeof d), PROB_BAD_REQUEST);
    free(s);
    size_t big = REGISTRY_FACE_MAX / 3 * 4 + 8;
    size_t total = strlen(good_session) + big;
    s = malloc(total + 1);
    size_t pre = (size_t)(strstr(good_session, "/9j/4AA=") - good_session);
    memcpy(s, good_session, pre);
    memset(s + pre, 'A', big);
    const char *rest = good_session + pre + 8;
    memcpy(s + pre + big, rest, strlen(rest) + 1);
    CHECK_EQ_INT(registry_req_parse_session(s, strlen(s), &q, d, sizeof d), PROB_BAD_REQUEST);
    CHECK(strstr(d, "over") != NULL);
    free(s);
}

static void test_other_parses(void)
{
    struct registry_cert_req c;
    struct registry_rating_req r;
    const char *ok = "{\"kind\":\"housing_count\",\"purpose\":\"契税补贴\"}";
    CHECK_EQ_INT(registry_req_parse_certificate(ok, strlen(ok), &c, NULL, 0), PROB_NONE);
    CHECK_EQ_STR(c.kind, "housing_count");
    const char *rt = "{\"level\":1,\"service\":\"query\",\"reasons\":[\"等待久\",\"不会操作\"]}";
    CHECK_EQ_INT(registry_req_parse_rating(rt, strlen(rt), &r, NULL, 0), PROB_NONE);
    CHECK_EQ_INT(r.level, 1);
    CHECK_EQ_INT(r.reason_count, 2);
    CHECK_EQ_STR(r.reasons[1], "不会操作");
    const char *bad = "{\"level\":0,\"service\":\"query\"}";
    CHECK_EQ_INT(registry_req_parse_rating(bad, strlen(bad), &r, NULL, 0), PROB_BAD_REQUEST);
    CHECK_EQ_STR(registry_problem_type(PROB_CARD_EXPIRED), "card-expired");
    CHECK_EQ_INT(registry_problem_status(PROB_FACE_UNAVAILABLE), 503);
    for (int p = PROB_BAD_REQUEST; p < PROB_COUNT; p++)
        CHECK(registry_problem_title((enum registry_problem)p)[0] != '\0');
}

/* The verify code's compare: every position, lengths, NULs; then its time
 * does not depend on where the first difference is (the fastest of many
 * rounds each way, so a busy machine slows both alike). */
static int64_t round_ns(const char *want, const char *got, size_t n)
{
    static volatile unsigned sink;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 20000; i++)
        sink += registry_req_code_equal(want, got, n);
    clock_gettime(CLOCK_MONOTONIC, &b);
    (void)sink; /* kept only so the calls are not optimised away */
    return (int64_t)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
}

static void test_code_equal(void)
{
    const char *want = "7Q4M9KXW";
    CHECK(registry_req_code_equal(want, "7Q4M9KXW", 8));
    char got[9];
    for (int i = 0; i < 8; i++) {
        memcpy(got, want, 9);
        got[i] = got[i] == 'A' ? 'B' : 'A';
        CHECK(!registry_req_code_equal(want, got, 8));
    }
    CHECK(!registry_req_code_equal(want, "7Q4M9KX", 8));   /* short */
    CHECK(!registry_req_code_equal(want, "7Q4M9KXWA", 8)); /* long */
    CHECK(!registry_req_code_equal(want, "", 8));
    CHECK(!registry_req_code_equal(want, NULL, 8));
    CHECK(!registry_req_code_equal("7Q4M9K", "7Q4M9K\0\0", 8)); /* stored shorter */
    CHECK(registry_req_code_equal("7Q4M9K", "7Q4M9K", 6));      /* an older 6-character code */

    char a[65], first[65], last[65];
    memset(a, 'K', 64);
    a[64] = '\0';
    memcpy(first, a, 65);
    memcpy(last, a, 65);
    first[0] = 'Z';
    last[63] = 'Z';
    int64_t t_first = INT64_MAX, t_last = INT64_MAX;
    for (int r = 0; r < 25; r++) {
        int64_t f = round_ns(a, first, 64), l = round_ns(a, last, 64);
        t_first = f < t_first ? f : t_first;
        t_last = l < t_last ? l : t_last;
    }
    double ratio = (double)t_last / (double)(t_first > 0 ? t_first : 1);
    printf("code compare: a difference at the first of 64 characters %lld ns, at the last "
           "%lld ns (20000 each)\n",
           (long long)t_first, (long long)t_last);
    CHECK(ratio > 0.67 && ratio < 1.5);
}

/* Failed guesses per address: 10 at once, then one per period. */
static void test_limiter(void)
{
    static struct registry_limiter l;
    registry_limiter_init(&l, 10, 6000);
    unsigned char a[16] = {[10] = 0xFF, [11] = 0xFF, [12] = 127, [15] = 1};
    unsigned char b[16] = {[10] = 0xFF, [11] = 0xFF, [12] = 127, [15] = 2};
    int64_t t = 1000000;
    for (int i = 0; i < 10; i++) {
        CHECK_EQ_INT(registry_limiter_wait_s(&l, a, t), 0);
        registry_limiter_charge(&l, a, t);
    }
    CHECK_EQ_INT(registry_limiter_wait_s(&l, a, t), 6);
    CHECK_EQ_INT(registry_limiter_wait_s(&l, a, t + 5001), 1);
    CHECK_EQ_INT(registry_limiter_wait_s(&l, b, t), 0); /* another address */
    CHECK_EQ_INT(registry_limiter_wait_s(&l, a, t + 6000), 0);
    registry_limiter_charge(&l, a, t + 6000);
    CHECK_EQ_INT(registry_limiter_wait_s(&l, a, t + 6000), 6);
    CHECK_EQ_INT(registry_limiter_wait_s(&l, a, t + 66000), 0); /* all paid off */
    /* More addresses than slots: none is refused wrongly, and the one that
     * failed last is still held. */
    for (int i = 0; i < REGISTRY_LIMITER_SLOTS + 500; i++) {
        unsigned char x[16] = {0};
        memcpy(x, &i, sizeof i);
        registry_limiter_charge(&l, x, t);
        CHECK_EQ_INT(registry_limiter_wait_s(&l, x, t), 0);
    }
    for (int i = 0; i < 10; i++)
        registry_limiter_charge(&l, b, t);
    CHECK(registry_limiter_wait_s(&l, b, t) > 0);
}

int main(void)
{
    test_code_equal();
    test_limiter();
    test_cards();
    test_dates_tokens();
    test_session_parse();
    test_other_parses();
    return check_report("test_registry");
}
