/* backend_regjson.c - the registry JSON mapping against canned bodies.
 *
 * Table-driven: a valid reply, then one mutation per row (a field missing,
 * of the wrong type, null, too long, an unknown enum name, too many items,
 * not JSON at all), each with the error and the field path expected in
 * the detail. Request bodies are parsed back with cJSON and compared.
 */
#include "backend/regjson.h"
#include "base/buf.h"
#include "base/err.h"
#include "card_fixture.h"
#include "check.h"
#include "reply_edit.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char enc_mortgage[] =
    "{\"kind\":\"mortgage\",\"holder\":\"中国建设银行股份有限公司焦作分行\","
    "\"certificate_number\":\"豫(2020)焦作市不动产证明第0004567号\","
    "\"registered_at\":\"2020-03-01\",\"period\":\"2020-03-01 至 2040-02-28\","
    "\"amount_fen\":56000000,\"note\":\"\"}";

static const char item_fmt[] =
    "{\"id\":\"p-000123\",\"unit_number\":\"410802004003GB00123F00020015\","
    "\"location\":\"解放区民主南路168号丰泽园小区3号楼2单元501室\",\"district\":\"解放区\","
    "\"certificate_number\":\"豫(2019)焦作市不动产权第0012345号\",\"area\":\"112.36\","
    "\"land_area\":\"\",\"use\":\"住宅\",\"right_type\":\"国有建设用地使用权/房屋所有权\","
    "\"right_nature\":\"出让/市场化商品房\",\"ownership\":\"共同共有\",\"co_owners\":[\"李*\"],"
    "\"registered_at\":\"2019-05-12\",\"encumbrances\":[%s]}";

/* A properties page with n copies of the item, each with the given
 * encumbrance list, and a next_cursor literal. Caller frees. */
static char *make_page(int n, const char *encs, const char *cursor)
{
    struct buf b;
    buf_init(&b, 4 << 20);
    buf_printf(&b, "{\"as_of\":\"2026-11-22T09:43:00+08:00\",\"items\":[");
    for (int i = 0; i < n; i++) {
        if (i)
            buf_append_str(&b, ",");
        buf_printf(&b, item_fmt, encs);
    }
    buf_printf(&b, "],\"next_cursor\":%s}", cursor);
    buf_terminate(&b);
    char *s = strdup((char *)b.data);
    buf_fini(&b);
    return s;
}

static char *repeat(const char *unit, int n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * (size_t)n + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + u * (size_t)i, unit, u);
    s[u * (size_t)n] = '\0';
    return s;
}

static void test_properties_valid(void)
{
    char *page = make_page(2, enc_mortgage, "null");
    struct property_list *l = calloc(1, sizeof *l);
    char cursor[REGJSON_CURSOR_MAX] = "x", detail[REGJSON_DETAIL_MAX];
    CHECK_EQ_INT(regjson_parse_properties(page, strlen(page), l, cursor, sizeof cursor, detail,
                                          sizeof detail),
                 0);
    CHECK_EQ_STR(detail, "");
    CHECK_EQ_STR(cursor, "");
    CHECK_EQ_INT(l->count, 2);
    CHECK_EQ_STR(l->as_of, "2026-11-22T09:43:00+08:00");
    CHECK_EQ_STR(l->items[1].unit_number, "410802004003GB00123F00020015");
    CHECK_EQ_STR(l->items[0].co_owners, "李*");
    CHECK_EQ_STR(l->items[0].land_area, "");
    CHECK_EQ_INT(l->items[0].enc_count, 1);
    CHECK_EQ_INT(l->items[0].enc[0].kind, ENC_MORTGAGE);
    CHECK_EQ_INT(l->items[0].enc[0].amount_fen, 56000000);
    CHECK_EQ_STR(l->items[0].enc[0].period, "2020-03-01 至 2040-02-28");

    /* A second page appends and keeps the first page's as_of. */
    char *page2 = reply_edit(page, "2026-11-22T09:43:00", "2026-11-22T09:44:00");
    CHECK_EQ_INT(regjson_parse_properties(page2, strlen(page2), l, cursor, sizeof cursor, detail,
                                          sizeof detail),
                 0);
    CHECK_EQ_INT(l->count, 4);
    CHECK_EQ_STR(l->as_of, "2026-11-22T09:43:00+08:00");
    free(page2);

    /* Cursor, several co-owners joined, every kind of encumbrance. */
    char *p3 =
        make_page(1,
                  "{\"kind\":\"seizure\",\"holder\":\"a\",\"certificate_number\":\"\","
                  "\"registered_at\":\"2021-01-01\",\"period\":\"\",\"amount_fen\":0,"
                  "\"note\":\"\"},"
                  "{\"kind\":\"preregistration\",\"holder\":\"b\",\"certificate_number\":\"\","
                  "\"registered_at\":\"2021-01-01\",\"period\":\"\",\"amount_fen\":0,"
                  "\"note\":\"\"},"
                  "{\"kind\":\"residence\",\"holder\":\"c\",\"certificate_number\":\"\","
                  "\"registered_at\":\"2021-01-01\",\"period\":\"\",\"amount_fen\":0,"
                  "\"note\":\"\"}",
                  "\"c-2\"");
    char *p4 = reply_edit(p3, "[\"李*\"]", "[\"李*\",\"王**\"]");
    memset(l, 0, sizeof *l);
    CHECK_EQ_INT(
        regjson_parse_properties(p4, strlen(p4), l, cursor, sizeof cursor, detail, sizeof detail),
        0);
    CHECK_EQ_STR(cursor, "c-2");
    CHECK_EQ_STR(l->items[0].co_owners, "李*、王**");
    CHECK_EQ_INT(l->items[0].enc_count, 3);
    CHECK_EQ_INT(l->items[0].enc[0].kind, ENC_SEIZURE);
    CHECK_EQ_INT(l->items[0].enc[1].kind, ENC_PREREG);
    CHECK_EQ_INT(l->items[0].enc[2].kind, ENC_RESIDENCE);
    free(p3);
    free(p4);
    free(l);
    free(page);
}

struct mutation {
    const char *from, *to; /* applied to the valid page; from NULL: to is the whole body */
    const char *detail;    /* expected detail */
};

static void test_properties_invalid(void)
{
    char *longloc = repeat("坐", 90); /* 270 bytes > 255 */
    char longto[400];
    snprintf(longto, sizeof longto, "\"location\":\"%s\"", longloc);
    const struct mutation rows[] = {
        {"\"as_of\":\"2026-11-22T09:43:00+08:00\",", "", "as_of: missing"},
        {"\"as_of\":\"2026-11-22T09:43:00+08:00\"", "\"as_of\":null", "as_of: null"},
        {"\"as_of\":\"2026-11-22T09:43:00+08:00\"", "\"as_of\":20261122", "as_of: not a string"},
        {"\"items\":[", "\"items\":\"x\",\"y\":[", "items: not an array"},
        {"\"area\":\"112.36\"", "\"area\":112.36", "items[0].area: not a string"},
        {"\"land_area\":\"\"", "\"land_area\":null", "items[0].land_area: null"},
        {"\"id\":\"p-000123\",", "", "items[0].id: missing"},
        {"\"id\":\"p-000123\"", "\"id\":\"\"", "items[0].id: empty"},
        {"\"unit_number\":\"410802004003GB00123F00020015\"",
         "\"unit_number\":\"410802004003GB00123F00020015XXXX\"",
         "items[0].unit_number: too long (32 bytes, max 31)"},
        {"\"location\":\"解放区民主南路168号丰泽园小区3号楼2单元501室\"", longto,
         "items[0].location: too long (270 bytes, max 255)"},
        {"\"district\":\"解放区\"", "\"district\":\"\xe8\xa7\"",
         "items[0].district: invalid UTF-8"},
        {"\"district\":\"解放区\"", "\"district\":\"a\\u0007b\"",
         "items[0].district: invalid UTF-8"},
        {"\"kind\":\"mortgage\"", "\"kind\":\"lien\"",
         "items[0].encumbrances[0].kind: unknown value"},
        {"\"kind\":\"mortgage\"", "\"kind\":7", "items[0].encumbrances[0].kind: not a string"},
        {"\"kind\":\"mortgage\",", "", "items[0].encumbrances[0].kind: missing"},
        {"\"amount_fen\":56000000", "\"amount_fen\":5.5",
         "items[0].encumbrances[0].amount_fen: not an integer"},
        {"\"amount_fen\":56000000", "\"amount_fen\":\"56000000\"",
         "items[0].encumbrances[0].amount_fen: not a number"},
        {"\"amount_fen\":56000000", "\"amount_fen\":-1",
         "items[0].encumbrances[0].amount_fen: out of range"},
        {"\"amount_fen\":56000000", "\"amount_fen\":1e300",
         "items[0].encumbrances[0].amount_fen: not an integer"},
        {"\"co_owners\":[\"李*\"]", "\"co_owners\":[1]", "items[0].co_owners[0]: not a string"},
        {"\"co_owners\":[\"李*\"]", "\"co_owners\":\"李*\"", "items[0].co_owners: not an array"},
        {"\"encumbrances\":[", "\"encumbrances\":null,\"x\":[", "items[0].encumbrances: null"},
        {"\"encumbrances\":[{", "\"encumbrances\":[7,{", "items[0].encumbrances[0]: not an object"},
        {"\"next_cursor\":null", "\"next_cursor\":3", "next_cursor: not a string or null"},
        {"\"next_cursor\":null", "\"next_cursor\":\"\"", "next_cursor: empty"},
        {",\"next_cursor\":null", "", "next_cursor: missing"},
        {"\"items\":[{", "\"items\":[\"x\",{", "items[0]: not an object"},
        {"\"district\":\"解放区\"", "\"district\":\"解放\\u0000区\"",
         "(body): escaped NUL in a string"},
        {NULL, "", "(body): empty body"},
        {NULL, "<html>502 Bad Gateway</html>", "(body): not JSON"},
        {NULL, "[1,2,3]", "(body): not a JSON object"},
        {NULL, "null", "(body): not a JSON object"},
        {NULL, "{\"as_of\":\"x\",\"items\":[],\"next_cursor\":null} trailing",
         "(body): trailing bytes after JSON"},
        {NULL, "{\"as_of\":\"x\",\"items\":[],\"next_cursor\":null", "(body): not JSON"},
    };
    char *page = make_page(1, enc_mortgage, "null");
    struct property_list *l = calloc(1, sizeof *l);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *body = rows[i].from ? reply_edit(page, rows[i].from, rows[i].to) : strdup(rows[i].to);
        if (!body) {
            fprintf(stderr, "row %zu: pattern not in the page\n", i);
            CHECK(body != NULL);
            continue;
        }
        char cursor[REGJSON_CURSOR_MAX], detail[REGJSON_DETAIL_MAX];
        memset(l, 0, sizeof *l);
        int rc = regjson_parse_properties(body, strlen(body), l, cursor, sizeof cursor, detail,
                                          sizeof detail);
        CHECK_EQ_INT(rc, ERR_BADREPLY);
        if (strncmp(detail, rows[i].detail, strlen(rows[i].detail)) != 0) {
            fprintf(stderr, "row %zu: detail \"%s\", want \"%s\"\n", i, detail, rows[i].detail);
            CHECK(0);
        }
        free(body);
    }

    /* Too many records, too many encumbrances, across pages too. */
    char detail[REGJSON_DETAIL_MAX], cursor[REGJSON_CURSOR_MAX];
    char *many = make_page(PROPERTY_LIST_MAX + 1, enc_mortgage, "null");
    memset(l, 0, sizeof *l);
    CHECK_EQ_INT(regjson_parse_properties(many, strlen(many), l, cursor, sizeof cursor, detail,
                                          sizeof detail),
                 ERR_BADREPLY);
    CHECK(strncmp(detail, "items: too many items", 21) == 0);
    free(many);

    char *full = make_page(PROPERTY_LIST_MAX, enc_mortgage, "\"more\"");
    char *one = make_page(1, enc_mortgage, "null");
    memset(l, 0, sizeof *l);
    CHECK_EQ_INT(regjson_parse_properties(full, strlen(full), l, cursor, sizeof cursor, detail,
                                          sizeof detail),
                 0);
    CHECK_EQ_INT(l->count, PROPERTY_LIST_MAX);
    CHECK_EQ_INT(
        regjson_parse_properties(one, strlen(one), l, cursor, sizeof cursor, detail, sizeof detail),
        ERR_BADREPLY);
    CHECK(strncmp(detail, "items: too many items", 21) == 0);
    free(full);
    free(one);

    char encs[4096] = "";
    for (int i = 0; i <= PROPERTY_ENC_MAX; i++) {
        if (i)
            strncat(encs, ",", sizeof encs - strlen(encs) - 1);
        strncat(encs, enc_mortgage, sizeof encs - strlen(encs) - 1);
    }
    char *fat = make_page(1, encs, "null");
    memset(l, 0, sizeof *l);
    CHECK_EQ_INT(
        regjson_parse_properties(fat, strlen(fat), l, cursor, sizeof cursor, detail, sizeof detail),
        ERR_BADREPLY);
    CHECK_EQ_STR(detail, "items[0].encumbrances: too many items (9, max 8)");
    free(fat);

    /* The path names the right item. */
    char *two = make_page(2, enc_mortgage, "null");
    char *bad = reply_edit(two, "},{\"id\"", "},{\"idx\"");
    memset(l, 0, sizeof *l);
    CHECK_EQ_INT(
        regjson_parse_properties(bad, strlen(bad), l, cursor, sizeof cursor, detail, sizeof detail),
        ERR_BADREPLY);
    CHECK_EQ_STR(detail, "items[1].id: missing");
    free(two);
    free(bad);

    /* Deep nesting and a huge array are refused without a crash. */
    char *deep = repeat("[", 5000);
    CHECK_EQ_INT(regjson_parse_properties(deep, strlen(deep), l, cursor, sizeof cursor, detail,
                                          sizeof detail),
                 ERR_BADREPLY);
    free(deep);
    char *huge = malloc(2 * 100000 + 64);
    static const char huge_head[] = "{\"as_of\":\"x\",\"next_cursor\":null,\"items\":[";
    memcpy(huge, huge_head, sizeof huge_head);
    char *p = huge + strlen(huge);
    for (int i = 0; i < 100000; i++) {
        *p++ = '0';
        *p++ = ',';
    }
    memcpy(p - 1, "]}", sizeof "]}");
    memset(l, 0, sizeof *l);
    CHECK_EQ_INT(regjson_parse_properties(huge, strlen(huge), l, cursor, sizeof cursor, detail,
                                          sizeof detail),
                 ERR_BADREPLY);
    CHECK(strncmp(detail, "items: too many items (100000", 29) == 0);
    free(huge);

    free(l);
    free(page);
    free(longloc);
}

static const char session_ok[] =
    "{\"session_token\":\"s_4f9c0123\",\"expires_at\":\"2026-11-22T09:58:00+08:00\","
    "\"verdict\":\"match\",\"citizen\":{\"name_masked\":\"张*\","
    "\"id_number_masked\":\"4108**********1234\"}}";

static void test_session(void)
{
    struct regjson_session s;
    char detail[REGJSON_DETAIL_MAX];
    CHECK_EQ_INT(regjson_parse_session(session_ok, strlen(session_ok), &s, detail, sizeof detail),
                 0);
    CHECK_EQ_STR(s.token, "s_4f9c0123");
    CHECK_EQ_STR(s.verdict, "match");
    CHECK_EQ_STR(s.name_masked, "张*");
    CHECK_EQ_STR(s.id_number_masked, "4108**********1234");

    char *longtok = repeat("a", 300);
    char longto[400];
    snprintf(longto, sizeof longto, "\"session_token\":\"%s\"", longtok);
    const struct mutation rows[] = {
        {"\"session_token\":\"s_4f9c0123\"", "\"session_token\":\"s 4f\"",
         "session_token: not a token"},
        {"\"session_token\":\"s_4f9c0123\"", "\"session_token\":\"s\\r\\nX-Evil: 1\"",
         "session_token: invalid UTF-8 or control character"},
        {"\"session_token\":\"s_4f9c0123\"", longto, "session_token: too long (300 bytes"},
        {"\"session_token\":\"s_4f9c0123\"", "\"session_token\":null", "session_token: null"},
        {"\"verdict\":\"match\",", "", "verdict: missing"},
        {",\"citizen\":{", ",\"citizen\":\"x\",\"c\":{", "citizen: not an object"},
        {"\"name_masked\":\"张*\"", "\"name_masked\":false", "citizen.name_masked: not a string"},
        {"\"id_number_masked\":\"4108**********1234\"",
         "\"id_number_masked\":\"4108****************1234\"", "citizen.id_number_masked: too long"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *body = reply_edit(session_ok, rows[i].from, rows[i].to);
        CHECK(body != NULL);
        if (!body)
            continue;
        CHECK_EQ_INT(regjson_parse_session(body, strlen(body), &s, detail, sizeof detail),
                     ERR_BADREPLY);
        if (strncmp(detail, rows[i].detail, strlen(rows[i].detail)) != 0) {
            fprintf(stderr, "session row %zu: detail \"%s\", want \"%s\"\n", i, detail,
                    rows[i].detail);
            CHECK(0);
        }
        CHECK_EQ_STR(s.token, ""); /* nothing half-filled survives */
        free(body);
    }
    free(longtok);
}

static char *make_cert(const char *items)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_printf(
        &b,
        "{\"number\":\"JZCX-7Q4M-9K2T-XW3P\",\"verify_code\":\"7Q4M9KXW\","
        "\"verify_url\":\"http://127.0.0.1:8080/v1/verify/JZCX-7Q4M-9K2T-XW3P?code=7Q4M9KXW\","
        "\"issued_at\":\"2026-11-22T09:44:10+08:00\",\"kind\":\"query\","
        "\"purpose\":\"办理贷款\",\"office\":\"焦作市不动产登记中心\","
        "\"requester\":{\"name_masked\":\"张*\",\"id_number_masked\":\"4108**********1234\"},"
        "\"query_method\":\"自助终端 JZ-03 · 身份证 + 人脸核验\","
        "\"as_of\":\"2026-11-22T09:44:10+08:00\",\"items\":[%s]}",
        items);
    buf_terminate(&b);
    char *s = strdup((char *)b.data);
    buf_fini(&b);
    return s;
}

static void test_certificate(void)
{
    char item[4096];
    snprintf(item, sizeof item, item_fmt, enc_mortgage);
    char *body = make_cert(item);
    struct certificate *c = calloc(1, sizeof *c);
    char detail[REGJSON_DETAIL_MAX];
    CHECK_EQ_INT(regjson_parse_certificate(body, strlen(body), c, detail, sizeof detail), 0);
    CHECK_EQ_STR(c->number, "JZCX-7Q4M-9K2T-XW3P");
    CHECK_EQ_STR(c->verify_code, "7Q4M9KXW");
    CHECK_EQ_STR(c->kind, "query");
    CHECK_EQ_STR(c->purpose, "办理贷款");
    CHECK_EQ_STR(c->requester_name, "张*");
    CHECK_EQ_STR(c->requester_id_masked, "4108**********1234");
    CHECK_EQ_STR(c->props.as_of, "2026-11-22T09:44:10+08:00");
    CHECK_EQ_INT(c->props.count, 1);
    CHECK_EQ_STR(c->props.items[0].enc[0].holder, "中国建设银行股份有限公司焦作分行");

    const struct mutation rows[] = {
        {"\"kind\":\"query\"", "\"kind\":\"deed\"", "kind: unknown value"},
        {"\"number\":\"JZCX-7Q4M-9K2T-XW3P\",", "", "number: missing"},
        {"\"requester\":{", "\"requester\":7,\"x\":{", "requester: not an object"},
        {"\"id_number_masked\":\"4108**********1234\"}", "\"id_number_masked\":null}",
         "requester.id_number_masked: null"},
        {"\"kind\":\"mortgage\"", "\"kind\":\"MORTGAGE\"",
         "items[0].encumbrances[0].kind: unknown value"},
        {",\"items\":[", ",\"itemz\":[", "items: missing"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *b = reply_edit(body, rows[i].from, rows[i].to);
        CHECK(b != NULL);
        if (!b)
            continue;
        CHECK_EQ_INT(regjson_parse_certificate(b, strlen(b), c, detail, sizeof detail),
                     ERR_BADREPLY);
        if (strncmp(detail, rows[i].detail, strlen(rows[i].detail)) != 0) {
            fprintf(stderr, "cert row %zu: detail \"%s\", want \"%s\"\n", i, detail,
                    rows[i].detail);
            CHECK(0);
        }
        CHECK_EQ_STR(c->number, "");
        free(b);
    }
    free(c);
    free(body);
}

static void test_problem(void)
{
    struct regjson_problem p;
    const char *body = "{\"type\":\"urn:bdc:problem:face-no-match\",\"title\":\"这次没有比对成功\","
                       "\"status\":422,\"detail\":\"stand-in comparison\"}";
    CHECK_EQ_INT(regjson_parse_problem(body, strlen(body), &p), 0);
    CHECK_EQ_STR(p.type, "urn:bdc:problem:face-no-match");
    CHECK_EQ_STR(p.title, "这次没有比对成功");
    CHECK_EQ_INT(p.status, 422);
    CHECK_EQ_INT(regjson_parse_problem("<html/>", 7, &p), ERR_BADREPLY);
    CHECK_EQ_INT(regjson_parse_problem("{\"title\":5}", 11, &p), 0);
    CHECK_EQ_STR(p.type, "");
    CHECK_EQ_STR(p.title, "");

    static const struct {
        int status;
        const char *type;
        enum flow_problem want;
    } map[] = {
        {422, "urn:bdc:problem:face-no-match", PROBLEM_FACE_NO_MATCH},
        {503, "urn:bdc:problem:face-unavailable", PROBLEM_FACE_UNAVAILABLE},
        {422, "urn:bdc:problem:card-expired", PROBLEM_CARD_EXPIRED},
        {422, "urn:bdc:problem:card-invalid", PROBLEM_CARD_INVALID},
        {401, "urn:bdc:problem:session-expired", PROBLEM_SESSION_EXPIRED},
        {422, "urn:bdc:problem:liveness-failed", PROBLEM_REJECTED},
        {409, "urn:bdc:problem:idempotency-conflict", PROBLEM_REJECTED},
        {404, "", PROBLEM_REJECTED},
        {503, "urn:bdc:problem:unavailable", PROBLEM_REGISTRY_DOWN},
        {500, NULL, PROBLEM_REGISTRY_DOWN},
        {502, "", PROBLEM_REGISTRY_DOWN},
        {302, "", PROBLEM_BAD_REPLY},
        {422, "face-no-match", PROBLEM_REJECTED}, /* not our URN */
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        CHECK_EQ_INT(regjson_problem_map(map[i].status, map[i].type), map[i].want);

    int64_t at = -1;
    CHECK_EQ_INT(regjson_parse_health("{\"status\":\"ok\",\"time\":\"x\"}", 27, &at), 0);
    CHECK(at == 0); /* not a time: no clock to compare with */
    const char *h = "{\"status\":\"ok\",\"time\":\"2025-11-22T09:42:00+08:00\"}";
    CHECK_EQ_INT(regjson_parse_health(h, strlen(h), &at), 0);
    CHECK(at == 1763775720);
    CHECK_EQ_INT(regjson_parse_health(h, strlen(h), NULL), 0);
    CHECK_EQ_INT(regjson_parse_health("{\"status\":\"down\"}", 17, &at), ERR_BADREPLY);
    CHECK_EQ_INT(regjson_parse_health("ok", 2, &at), ERR_BADREPLY);

    /* An outbox item's answer: the registry's id, or it did not arrive. */
    static const struct {
        const char *body;
        int want;
    } created[] = {{"{\"id\":\"r-000001\"}", 0},
                   {"{\"id\":\"a-42\",\"x\":1}", 0},
                   {"<html>502</html>", ERR_BADREPLY},
                   {"{\"id\":\"r-", ERR_BADREPLY},
                   {"{\"id\":7}", ERR_BADREPLY},
                   {"{\"id\":\"\"}", ERR_BADREPLY},
                   {"[]", ERR_BADREPLY},
                   {"", ERR_BADREPLY}};
    char why[96];
    for (size_t i = 0; i < sizeof created / sizeof created[0]; i++)
        CHECK_EQ_INT(
            regjson_parse_created(created[i].body, strlen(created[i].body), why, sizeof why),
            created[i].want);
}

static void test_base64(void)
{
    static const struct {
        const char *in, *out;
    } rfc4648[] = {{"", ""},
                   {"f", "Zg=="},
                   {"fo", "Zm8="},
                   {"foo", "Zm9v"},
                   {"foob", "Zm9vYg=="},
                   {"fooba", "Zm9vYmE="},
                   {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        struct buf b;
        buf_init(&b, 64);
        CHECK_EQ_INT(
            regjson_base64_append(&b, (const uint8_t *)rfc4648[i].in, strlen(rfc4648[i].in)), 0);
        buf_terminate(&b);
        CHECK_EQ_STR(b.data ? (char *)b.data : "", rfc4648[i].out);
        buf_fini(&b);
    }
    /* Past the encoder's chunk: compare with a one-group-at-a-time copy. */
    uint8_t raw[1000];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i * 37 + 11);
    struct buf all, ref;
    buf_init(&all, 4096);
    buf_init(&ref, 4096);
    CHECK_EQ_INT(regjson_base64_append(&all, raw, sizeof raw), 0);
    for (size_t i = 0; i < sizeof raw; i += 3)
        regjson_base64_append(&ref, raw + i, sizeof raw - i < 3 ? sizeof raw - i : 3);
    CHECK_EQ_INT(all.len, 1336);
    CHECK(all.len == ref.len && memcmp(all.data, ref.data, all.len) == 0);
    buf_fini(&all);
    buf_fini(&ref);
}

static const char *jstr(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    return cJSON_IsString(x) ? x->valuestring : "(none)";
}

static void test_requests(void)
{
    struct idcard card = fixture_card();
    strcpy(card.address, "河南省焦作市解放区\"民主\"南路\\168号");
    strcpy(card.valid_to, "长期");
    const uint8_t jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 'f', 'o', 'o', 0xff, 0xd9};

    struct buf b;
    buf_init(&b, 1 << 20);
    CHECK_EQ_INT(regjson_format_session_request(&card, jpeg, sizeof jpeg, "blink", true, &b), 0);
    cJSON *root = cJSON_ParseWithLength((const char *)b.data, b.len);
    CHECK(root != NULL);
    CHECK_EQ_STR(jstr(root, "card", "type"), "resident");
    CHECK_EQ_STR(jstr(root, "card", "address"), card.address);
    CHECK_EQ_STR(jstr(root, "card", "valid_to"), "长期");
    CHECK_EQ_STR(jstr(root, "card", "id_number"), FIXTURE_ID_NUMBER);
    const cJSON *face = cJSON_GetObjectItemCaseSensitive(root, "face");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(face, "consent")));
    CHECK_EQ_STR(jstr(face, "image_jpeg", NULL), "/9j/4GZvb//Z");
    const cJSON *lv = cJSON_GetObjectItemCaseSensitive(face, "liveness");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(lv, "passed")));
    CHECK_EQ_STR(jstr(lv, "challenge", NULL), "blink");
    cJSON_Delete(root);
    buf_fini(&b);

    buf_init(&b, 1 << 20);
    card.type = IDCARD_FOREIGN_2023;
    CHECK_EQ_INT(regjson_format_session_request(&card, jpeg, sizeof jpeg, NULL, false, &b), 0);
    root = cJSON_ParseWithLength((const char *)b.data, b.len);
    CHECK_EQ_STR(jstr(root, "card", "type"), "foreign_2023");
    cJSON_Delete(root);
    buf_fini(&b);

    buf_init(&b, 1 << 20);
    CHECK_EQ_INT(regjson_format_session_request(&card, jpeg, 0, "blink", true, &b), ERR_INVALID);
    CHECK_EQ_INT(
        regjson_format_session_request(&card, jpeg, REGJSON_JPEG_MAX + 1, "blink", true, &b),
        ERR_INVALID);
    memset(card.name, 'x', sizeof card.name); /* not terminated */
    CHECK_EQ_INT(regjson_format_session_request(&card, jpeg, sizeof jpeg, "blink", true, &b),
                 ERR_INVALID);
    buf_fini(&b);

    buf_init(&b, 4096);
    CHECK_EQ_INT(regjson_format_certificate_request("query", "办理贷款", &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((char *)b.data, "{\"kind\":\"query\",\"purpose\":\"办理贷款\"}");
    buf_reset(&b);
    CHECK_EQ_INT(regjson_format_certificate_request("deed", "办理贷款", &b), ERR_INVALID);
    CHECK_EQ_INT(regjson_format_certificate_request("query", "", &b), ERR_INVALID);
    char *purpose33 = repeat("办", 33);
    CHECK_EQ_INT(regjson_format_certificate_request("housing_count", purpose33, &b), ERR_INVALID);
    purpose33[3 * 32] = '\0';
    CHECK_EQ_INT(regjson_format_certificate_request("housing_count", purpose33, &b), 0);
    free(purpose33);
    buf_reset(&b);
    CHECK_EQ_INT(
        regjson_format_rating(&(struct regjson_rating){.level = 5, .service = "query"}, &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((char *)b.data, "{\"level\":5,\"service\":\"query\",\"reasons\":[]}");
    CHECK_EQ_INT(
        regjson_format_rating(&(struct regjson_rating){.level = 0, .service = "query"}, &b),
        ERR_INVALID);
    CHECK_EQ_INT(
        regjson_format_rating(&(struct regjson_rating){.level = 6, .service = "query"}, &b),
        ERR_INVALID);

    /* Reasons and a ref. */
    static const char *const reasons[] = {"等待时间长", "字太小看不清"};
    buf_reset(&b);
    CHECK_EQ_INT(regjson_format_rating(&(struct regjson_rating){.level = 2,
                                                                .service = "hall",
                                                                .reasons = reasons,
                                                                .reason_count = 2,
                                                                .ref_kind = "ticket",
                                                                .ref_id = "C023"},
                                       &b),
                 0);
    buf_terminate(&b);
    CHECK_EQ_STR((char *)b.data,
                 "{\"level\":2,\"service\":\"hall\",\"reasons\":[\"等待时间长\","
                 "\"字太小看不清\"],\"ref\":{\"kind\":\"ticket\",\"id\":\"C023\"}}");
    static const char *const empty[] = {""};
    static const struct regjson_rating bad[] = {
        {.level = 3, .service = "query", .reasons = NULL, .reason_count = 1},
        {.level = 3, .service = "query", .reasons = empty, .reason_count = 1},
        {.level = 3, .service = "query", .reasons = reasons, .reason_count = 9},
        {.level = 3, .service = "query", .ref_kind = "visit", .ref_id = "x"},
        {.level = 3, .service = "query", .ref_kind = "ticket", .ref_id = ""},
        {.level = 3, .service = ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(regjson_format_rating(&bad[i], &b), ERR_INVALID);
    buf_fini(&b);
}

static void test_model_names(void)
{
    for (int k = 0; k < ENC_KIND_COUNT; k++)
        CHECK_EQ_INT(encumbrance_kind_parse(encumbrance_kind_name((enum encumbrance_kind)k)), k);
    CHECK_EQ_STR(encumbrance_kind_name(ENC_PREREG), "preregistration");
    CHECK_EQ_INT(encumbrance_kind_parse("Mortgage"), -1);
    CHECK_EQ_INT(encumbrance_kind_parse(""), -1);
    CHECK_EQ_INT(encumbrance_kind_parse(NULL), -1);
    CHECK_EQ_STR(encumbrance_kind_name(ENC_KIND_COUNT), "unknown");
}

int main(void)
{
    test_properties_valid();
    test_properties_invalid();
    test_session();
    test_certificate();
    test_problem();
    test_base64();
    test_requests();
    test_model_names();
    return check_report("backend_regjson");
}
