/* test_registry_http.c - bdc-registry over real HTTP on loopback.
 *
 * Starts the registry in-process on port 0 against an in-memory database
 * seeded with the demo population, then plays a kiosk with libcurl's easy
 * interface: sessions for every verdict, the property list page by page,
 * certificates and their verification, idempotent replays and conflicts,
 * token expiry, and malformed requests. Single-threaded apart from the
 * registry's own HTTP thread.
 */
#include "base/clock.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdlib.h>

#include "registry_http.h"
#include "registry_test_db.h"

static int key_seq;

static const char *next_key(void)
{
    static char k[32];
    snprintf(k, sizeof k, "k-%d", ++key_seq);
    return k;
}

/* Opens a visit for demo citizen i; returns the token (static) or NULL. */
static const char *open_visit(int i)
{
    static char token[64];
    struct demo_citizen d;
    demo_citizen_get(i, &d);
    char *b = session_body(&d);
    struct resp r = http((struct req){"POST", "/v1/sessions", "JZ-03", NULL, next_key(), b, NULL});
    free(b);
    CHECK_EQ_INT(r.status, 201);
    cJSON *j = cJSON_Parse(r.body);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "session_token");
    const char *out = NULL;
    if (cJSON_IsString(t)) {
        str_copy(token, sizeof token, t->valuestring);
        out = token;
    }
    cJSON_Delete(j);
    resp_fini(&r);
    return out;
}

static void test_health_and_routes(void)
{
    struct resp r = http((struct req){"GET", "/v1/health"});
    CHECK_EQ_INT(r.status, 200);
    CHECK(strstr(r.body, "\"status\":\"ok\"") != NULL);
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/nothing-here"});
    CHECK_PROBLEM(r, 404, "not-found");
    resp_fini(&r);
    r = http((struct req){"PUT", "/v1/sessions", "JZ-03"});
    CHECK_PROBLEM(r, 405, "method-not-allowed");
    resp_fini(&r);
}

struct session_case {
    int citizen;
    const char *mutate; /* "", "check", "birth", "gender", "name", "noconsent", "nolive" */
    int status;
    const char *problem; /* "" for success */
};

static const struct session_case session_cases[] = {
    {0, "", 201, ""},
    {5, "", 422, "face-no-match"},
    {6, "", 503, "face-unavailable"},
    {7, "", 422, "card-expired"},
    {0, "check", 422, "card-invalid"},
    {0, "birth", 422, "card-invalid"},
    {0, "gender", 422, "card-invalid"},
    {0, "name", 422, "card-invalid"},
    {0, "noconsent", 422, "face-consent-missing"},
    {0, "nolive", 422, "liveness-failed"},
};

static void test_sessions(void)
{
    for (size_t i = 0; i < ARRAY_LEN(session_cases); i++) {
        const struct session_case *sc = &session_cases[i];
        struct demo_citizen d;
        demo_citizen_get(sc->citizen, &d);
        if (strcmp(sc->mutate, "check") == 0)
            d.id_number[17] = d.id_number[17] == '0' ? '1' : '0';
        if (strcmp(sc->mutate, "birth") == 0)
            d.birth_date[9] = d.birth_date[9] == '1' ? '2' : '1';
        if (strcmp(sc->mutate, "gender") == 0)
            str_copy(d.gender, sizeof d.gender, strcmp(d.gender, "男") ? "男" : "女");
        if (strcmp(sc->mutate, "name") == 0)
            str_copy(d.name, sizeof d.name, "某某某");
        char *b = session_body_as(&d, strcmp(sc->mutate, "noconsent") != 0,
                                  strcmp(sc->mutate, "nolive") != 0);
        struct resp r =
            http((struct req){"POST", "/v1/sessions", "JZ-03", NULL, next_key(), b, NULL});
        free(b);
        if (sc->problem[0]) {
            CHECK_PROBLEM(r, sc->status, sc->problem);
        } else {
            CHECK_EQ_INT(r.status, sc->status);
            CHECK(strstr(r.body, "\"verdict\":\"match\"") != NULL);
            char masked[24];
            mask_id(d.id_number, masked, sizeof masked);
            CHECK(strstr(r.body, masked) != NULL);
            CHECK(strstr(r.body, d.id_number) == NULL); /* never the full number */
        }
        if (r.status != sc->status)
            fprintf(stderr, "  session case %zu: %s\n", i, r.body);
        resp_fini(&r);
    }

    /* Someone outside the demo set: the stand-in matches when liveness passed. */
    struct demo_citizen d;
    demo_citizen_get(0, &d);
    char id[19] = "41082319850301001";
    id[17] = idnum_check_char(id);
    id[18] = '\0';
    memcpy(d.id_number, id, sizeof id);
    str_copy(d.birth_date, sizeof d.birth_date, "1985-03-01");
    str_copy(d.gender, sizeof d.gender, "男"); /* 17th digit 1: odd */
    str_copy(d.name, sizeof d.name, "测试");
    char *b = session_body(&d);
    struct resp r = http((struct req){"POST", "/v1/sessions", "JZ-03", NULL, next_key(), b});
    CHECK_EQ_INT(r.status, 201);
    resp_fini(&r);

    /* Kiosk authentication and the idempotency key are required. */
    r = http((struct req){"POST", "/v1/sessions", NULL, NULL, next_key(), b});
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);
    r = http((struct req){"POST", "/v1/sessions", "bad kiosk id", NULL, next_key(), b});
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);
    r = http((struct req){"POST", "/v1/sessions", "JZ-03", NULL, NULL, b});
    CHECK_PROBLEM(r, 400, "bad-request");
    resp_fini(&r);
    free(b);

    /* Malformed bodies. */
    static const char *const bad[] = {
        "{not json",
        "[1,2,3]",
        "{}",
        "{\"card\":{\"type\":\"resident\"},\"face\":{}}",
        "{\"card\":{\"type\":\"resident\",\"id_number\":42},\"face\":{}}",
        "",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = http((struct req){"POST", "/v1/sessions", "JZ-03", NULL, next_key(), bad[i]});
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }
    /* A missing field names the field, not the citizen. */
    demo_citizen_get(0, &d);
    b = session_body(&d);
    char *p = strstr(b, "\"issuer\"");
    CHECK(p != NULL);
    if (p)
        p[6] = 'x'; /* "issuer" becomes "issuex" */
    r = http((struct req){"POST", "/v1/sessions", "JZ-03", NULL, next_key(), b});
    CHECK_PROBLEM(r, 400, "bad-request");
    CHECK(strstr(r.body, "card.issuer") != NULL);
    CHECK(strstr(r.body, d.name) == NULL);
    resp_fini(&r);
    free(b);
}

/* All properties of a visit, page by page with limit 1. Returns the count. */
static int walk_properties(const char *token, cJSON *all)
{
    char path[128] = "/v1/properties?limit=1";
    int pages = 0;
    for (;;) {
        struct resp r = http((struct req){"GET", path, "JZ-03", token});
        CHECK_EQ_INT(r.status, 200);
        cJSON *j = cJSON_Parse(r.body);
        resp_fini(&r);
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
        const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next_cursor");
        CHECK(cJSON_IsArray(items));
        CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "as_of")));
        cJSON *it = items ? items->child : NULL;
        while (it) {
            cJSON *nx = it->next;
            cJSON_AddItemToArray(all, cJSON_DetachItemViaPointer((cJSON *)items, it));
            it = nx;
        }
        pages++;
        bool more = cJSON_IsString(next);
        if (more)
            snprintf(path, sizeof path, "/v1/properties?limit=1&cursor=%s", next->valuestring);
        else
            CHECK(cJSON_IsNull(next));
        cJSON_Delete(j);
        if (!more || pages > 50)
            break;
    }
    return cJSON_GetArraySize(all);
}

static bool has_kind(const cJSON *item, const char *kind)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(item, "encumbrances"))
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "kind");
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0)
            return true;
    }
    return false;
}

static void test_properties(void)
{
    const char *t = open_visit(0);
    CHECK(t != NULL);
    if (!t)
        return;
    char token[64];
    str_copy(token, sizeof token, t);
    cJSON *all = cJSON_CreateArray();
    int n = walk_properties(token, all);
    struct demo_citizen d;
    demo_citizen_get(0, &d);
    CHECK_EQ_INT(n, d.property_count);
    int mortgaged = 0;
    const cJSON *it;
    static const char *const fields[] = {
        "id",        "unit_number",  "location", "district",   "certificate_number",
        "area",      "land_area",    "use",      "right_type", "right_nature",
        "ownership", "registered_at"};
    cJSON_ArrayForEach(it, all)
    {
        for (size_t f = 0; f < ARRAY_LEN(fields); f++)
            CHECK(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, fields[f])));
        CHECK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(it, "co_owners")));
        CHECK_EQ_INT(strlen(cJSON_GetObjectItemCaseSensitive(it, "unit_number")->valuestring), 28);
        mortgaged += has_kind(it, "mortgage");
    }
    CHECK_EQ_INT(mortgaged, 1);
    cJSON_Delete(all);

    struct resp r = http((struct req){"GET", "/v1/properties?cursor=zzz", "JZ-03", token});
    CHECK_PROBLEM(r, 400, "bad-request");
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/properties?limit=-3", "JZ-03", token});
    CHECK_PROBLEM(r, 400, "bad-request");
    resp_fini(&r);

    /* Citizen 1: seized and under objection. */
    t = open_visit(1);
    all = cJSON_CreateArray();
    walk_properties(t, all);
    int both = 0;
    cJSON_ArrayForEach(it, all) both += has_kind(it, "seizure") && has_kind(it, "objection");
    CHECK_EQ_INT(both, 1);
    cJSON_Delete(all);

    /* Citizens 2 and 3 own a flat together: each sees the other, masked. */
    struct demo_citizen wife;
    demo_citizen_get(3, &wife);
    char masked[64];
    mask_name(wife.name, masked, sizeof masked);
    t = open_visit(2);
    r = http((struct req){"GET", "/v1/properties", "JZ-03", t});
    CHECK(strstr(r.body, "共同共有") != NULL);
    CHECK(strstr(r.body, masked) != NULL);
    CHECK(strstr(r.body, wife.name) == NULL);
    resp_fini(&r);
    /* 8 and 9 hold shares. */
    t = open_visit(9);
    r = http((struct req){"GET", "/v1/properties", "JZ-03", t});
    CHECK(strstr(r.body, "按份共有 40%") != NULL);
    resp_fini(&r);
}

static cJSON *issue(const char *token, const char *key, const char *body, struct resp *raw)
{
    *raw = http((struct req){"POST", "/v1/certificates", "JZ-03", token, key, body});
    return cJSON_Parse(raw->body);
}

static void test_certificates(void)
{
    char token[64];
    str_copy(token, sizeof token, open_visit(0));
    struct resp r1, r2, r3;
    cJSON *c = issue(token, "cert-1", "{\"kind\":\"query\",\"purpose\":\"办理贷款\"}", &r1);
    CHECK_EQ_INT(r1.status, 201);
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(c, "number");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "verify_code");
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(c, "verify_url");
    CHECK(cJSON_IsString(num) && cJSON_IsString(code) && cJSON_IsString(url));
    if (!cJSON_IsString(num) || !cJSON_IsString(code) || !cJSON_IsString(url)) {
        cJSON_Delete(c);
        resp_fini(&r1);
        return;
    }
    CHECK_EQ_INT(strlen(num->valuestring), 19);
    CHECK(strncmp(num->valuestring, "JZCX-", 5) == 0);
    CHECK_EQ_INT(strlen(code->valuestring), 8);
    CHECK_EQ_INT(strspn(code->valuestring, "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"), 8);
    CHECK(strncmp(url->valuestring, base, strlen(base)) == 0);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "items")), 3);
    CHECK(strstr(r1.body, "焦作市不动产登记中心") != NULL);

    /* Idempotent replay: the same answer, byte for byte (the same number). */
    cJSON *c2 = issue(token, "cert-1", "{\"kind\":\"query\",\"purpose\":\"办理贷款\"}", &r2);
    CHECK_EQ_INT(r2.status, 201);
    CHECK_EQ_STR(r1.body, r2.body);
    cJSON_Delete(c2);
    resp_fini(&r2);
    /* The same key with another body is a conflict. */
    cJSON_Delete(issue(token, "cert-1", "{\"kind\":\"query\",\"purpose\":\"出国签证\"}", &r3));
    CHECK_PROBLEM(r3, 409, "idempotency-conflict");
    resp_fini(&r3);
    /* Another key: another, different certificate. */
    cJSON_Delete(issue(token, "cert-2", "{\"kind\":\"query\",\"purpose\":\"办理贷款\"}", &r3));
    CHECK_EQ_INT(r3.status, 201);
    CHECK(strcmp(r1.body, r3.body) != 0);
    resp_fini(&r3);
    /* Bad requests. */
    /* 33 characters: one more than a purpose may have. */
    static const char too_long[] =
        "{\"kind\":\"query\",\"purpose\":"
        "\"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三\"}";
    static const char *const bad[] = {
        "{\"kind\":\"query\"}", "{\"kind\":\"deed\",\"purpose\":\"x\"}",
        "{\"kind\":\"query\",\"purpose\":\"\"}", too_long, "nonsense"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        cJSON_Delete(issue(token, next_key(), bad[i], &r3));
        CHECK_PROBLEM(r3, 400, "bad-request");
        resp_fini(&r3);
    }

    /* Verification: JSON, HTML, wrong code, unknown number. */
    char path[128];
    snprintf(path, sizeof path, "/v1/verify/%s?code=%s", num->valuestring, code->valuestring);
    struct resp v = http((struct req){"GET", path});
    CHECK_EQ_INT(v.status, 200);
    CHECK(strstr(v.body, "\"valid\":true") != NULL);
    CHECK(strstr(v.body, "\"property_count\":3") != NULL);
    CHECK(strstr(v.body, "\"purpose\":\"办理贷款\"") != NULL);
    resp_fini(&v);
    v = http((struct req){"GET", path, .accept = "text/html,application/xhtml+xml"});
    CHECK_EQ_INT(v.status, 200);
    CHECK(strncmp(v.ctype, "text/html", 9) == 0);
    CHECK(strstr(v.body, "证明核验") != NULL && strstr(v.body, "抵押") != NULL);
    resp_fini(&v);
    char wrong[8];
    str_copy(wrong, sizeof wrong, code->valuestring);
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    snprintf(path, sizeof path, "/v1/verify/%s?code=%s", num->valuestring, wrong);
    v = http((struct req){"GET", path});
    CHECK_PROBLEM(v, 404, "not-found");
    resp_fini(&v);
    v = http((struct req){"GET", "/v1/verify/JZCX-2222-3333-4444?code=ABCDEF"});
    CHECK_PROBLEM(v, 404, "not-found");
    resp_fini(&v);
    v = http((struct req){"GET", "/v1/verify/JZCX-2222-3333-4444"});
    CHECK_PROBLEM(v, 404, "not-found");
    resp_fini(&v);
    cJSON_Delete(c);
    resp_fini(&r1);

    /* Housing count for someone with no home. */
    str_copy(token, sizeof token, open_visit(4));
    c = issue(token, next_key(), "{\"kind\":\"housing_count\",\"purpose\":\"契税补贴\"}", &r1);
    CHECK_EQ_INT(r1.status, 201);
    CHECK(strstr(r1.body, "\"housing_count\":0") != NULL);
    CHECK(strstr(r1.body, "JZTC-") != NULL);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(c, "items")), 0);
    cJSON_Delete(c);
    resp_fini(&r1);
}

static void test_ratings(void)
{
    struct resp r = http((struct req){"POST", "/v1/ratings", "JZ-03", NULL, next_key(),
                                      "{\"level\":5,\"service\":\"query\",\"reasons\":[]}"});
    CHECK_EQ_INT(r.status, 201);
    CHECK(strstr(r.body, "\"id\":\"r-") != NULL);
    resp_fini(&r);
    static const char *const bad[] = {"{\"level\":9,\"service\":\"query\"}",
                                      "{\"level\":2.5,\"service\":\"query\"}",
                                      "{\"level\":1e300,\"service\":\"query\"}", "{\"level\":3}",
                                      "{\"level\":3,\"service\":\"query\",\"reasons\":[1]}"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = http((struct req){"POST", "/v1/ratings", "JZ-03", NULL, next_key(), bad[i]});
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }
}

static void test_limits(void)
{
    size_t n = 1024 * 1024 + 100;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    struct resp r = http((struct req){"POST", "/v1/ratings", "JZ-03", NULL, next_key(), big});
    CHECK_PROBLEM(r, 413, "payload-too-large");
    resp_fini(&r);
    free(big);
}

static void test_tokens(void)
{
    char token[64];
    str_copy(token, sizeof token, open_visit(0));
    struct resp r = http((struct req){"GET", "/v1/properties", "JZ-03", "s_unknown"});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/properties", "JZ-03"});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
    /* A token is the kiosk's: another kiosk cannot use it. */
    r = http((struct req){"GET", "/v1/properties", "JZ-04", token});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
    /* Ending the visit drops the token. */
    r = http((struct req){"DELETE", "/v1/sessions/current", "JZ-03", token, next_key()});
    CHECK_EQ_INT(r.status, 204);
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/properties", "JZ-03", token});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
    /* Tokens expire 15 minutes after issue. */
    str_copy(token, sizeof token, open_visit(0));
    clock_advance_ms(14 * 60 * 1000);
    r = http((struct req){"GET", "/v1/properties", "JZ-03", token});
    CHECK_EQ_INT(r.status, 200);
    resp_fini(&r);
    clock_advance_ms(2 * 60 * 1000);
    r = http((struct req){"GET", "/v1/properties", "JZ-03", token});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct registry_config cfg = {
        .listen = "127.0.0.1:0", .db_path = registry_test_db(), .seed = true};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    if (!reg)
        return check_report("test_registry_http");
    CHECK(registry_port(reg) > 0);
    str_copy(base, sizeof base, registry_url(reg));

    test_health_and_routes();
    test_sessions();
    test_properties();
    test_certificates();
    test_ratings();
    test_limits();
    test_tokens(); /* last: it moves the clock */

    registry_stop(reg);
    curl_global_cleanup();
    return check_report("test_registry_http");
}
