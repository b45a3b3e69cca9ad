/* registry_tickets_test.c - POST /v1/tickets on bdc-registry over real
 * HTTP on loopback.
 *
 * Starts the registry in-process on port 0 (in-memory database) and takes
 * tickets as a kiosk with libcurl: numbers per service letter counting up
 * from 001, people ahead and the wait from the deterministic queue model
 * as the clock moves, a new day starting again at 001, the 311 limit and
 * materials of each service, idempotent replays and conflicts, the kiosk
 * header, appointments (not-found for now), and malformed bodies.
 * Single-threaded apart from the registry's HTTP thread.
 */
#include "base/clock.h"
#include "base/util.h"
#include "registry/registry.h"
#include "registry/registry_tickets.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdlib.h>

#include "registry_http.h"
#include "registry_test_db.h"

/* POSTs body to /v1/tickets with the given kiosk and key (NULL: none). */
static struct resp post(const char *kiosk, const char *key, const char *body)
{
    return http((struct req){
        .method = "POST", .path = "/v1/tickets", .kiosk = kiosk, .key = key, .body = body});
}

static int key_seq;

static const char *next_key(void)
{
    static char k[32];
    snprintf(k, sizeof k, "t-%d", ++key_seq);
    return k;
}

struct ticket_reply {
    char number[16];
    int ahead, wait;
    cJSON *j;
};

/* Takes a walk-in ticket for service; checks the reply's shape. */
static struct ticket_reply take(const char *service)
{
    char body[128];
    snprintf(body, sizeof body, "{\"kind\":\"walk_in\",\"service\":\"%s\"}", service);
    struct resp r = post("JZ-03", next_key(), body);
    struct ticket_reply t = {.ahead = -1, .wait = -1};
    CHECK_EQ_INT(r.status, 201);
    t.j = cJSON_Parse(r.body);
    static const char *const strings[] = {"number",       "service",    "service_name",
                                          "windows_text", "time_limit", "follow_url",
                                          "issued_at"};
    for (size_t i = 0; i < ARRAY_LEN(strings); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t.j, strings[i]);
        CHECK(cJSON_IsString(v) && v->valuestring[0]);
    }
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(t.j, "number");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(t.j, "ahead");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(t.j, "wait_minutes");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(t.j, "materials");
    CHECK(cJSON_IsArray(m) && cJSON_GetArraySize(m) > 0);
    if (cJSON_IsString(n))
        str_copy(t.number, sizeof t.number, n->valuestring);
    if (cJSON_IsNumber(a))
        t.ahead = a->valueint;
    if (cJSON_IsNumber(w))
        t.wait = w->valueint;
    resp_fini(&r);
    return t;
}

static void drop(struct ticket_reply *t)
{
    cJSON_Delete(t->j);
    t->j = NULL;
}

static const char *field(const struct ticket_reply *t, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(t->j, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static void test_numbers_and_queue(void)
{
    const struct registry_service *q = registry_ticket_service("query");
    CHECK(q != NULL);
    if (!q)
        return;
    struct ticket_reply a = take("query");
    CHECK_EQ_STR(a.number, "C001");
    CHECK_EQ_INT(a.ahead, 0);
    CHECK_EQ_INT(a.wait, 0);
    CHECK_EQ_STR(field(&a, "service"), "query");
    CHECK(strstr(field(&a, "time_limit"), "1 小时") != NULL);
    CHECK(strstr(field(&a, "follow_url"), base) == field(&a, "follow_url"));
    CHECK(strstr(field(&a, "follow_url"), "C001") != NULL);
    drop(&a);
    struct ticket_reply b = take("query");
    CHECK_EQ_STR(b.number, "C002");
    CHECK_EQ_INT(b.ahead, 1);
    CHECK_EQ_INT(b.wait, q->minutes);
    drop(&b);
    struct ticket_reply c = take("query");
    CHECK_EQ_STR(c.number, "C003");
    CHECK_EQ_INT(c.ahead, 2);
    CHECK_EQ_INT(c.wait, 2 * q->minutes);
    drop(&c);

    /* Another service has its own letter and sequence. */
    struct ticket_reply m = take("mortgage");
    CHECK_EQ_STR(m.number, "B001");
    CHECK_EQ_INT(m.ahead, 0);
    CHECK(strstr(field(&m, "time_limit"), "1 个工作日") != NULL);
    drop(&m);
    struct ticket_reply g = take("registration");
    CHECK_EQ_STR(g.number, "A001");
    CHECK(strstr(field(&g, "time_limit"), "3 个工作日") != NULL);
    drop(&g);

    /* One pace later the counters have called C001: two ahead of C004. */
    clock_advance_ms((int64_t)q->minutes * 60 * 1000);
    struct ticket_reply d = take("query");
    CHECK_EQ_STR(d.number, "C004");
    CHECK_EQ_INT(d.ahead, 2);
    drop(&d);
    /* Long after, everyone before has been called. */
    clock_advance_ms((int64_t)q->minutes * 60 * 1000 * 10);
    struct ticket_reply e = take("query");
    CHECK_EQ_STR(e.number, "C005");
    CHECK_EQ_INT(e.ahead, 0);
    drop(&e);
}

static void test_idempotency_and_auth(void)
{
    const char *body = "{\"kind\":\"walk_in\",\"service\":\"seizure\"}";
    struct resp r1 = post("JZ-03", "same-key", body);
    struct resp r2 = post("JZ-03", "same-key", body);
    CHECK_EQ_INT(r1.status, 201);
    CHECK_EQ_INT(r2.status, 201);
    CHECK_EQ_STR(r1.body, r2.body); /* the same ticket, not a second one */
    CHECK(strstr(r1.body, "\"number\":\"D001\"") != NULL);
    struct resp r3 = post("JZ-03", "same-key", "{\"kind\":\"walk_in\",\"service\":\"query\"}");
    CHECK_PROBLEM(r3, 409, "idempotency-conflict");
    struct resp r4 = post("JZ-03", next_key(), body);
    CHECK(strstr(r4.body, "\"number\":\"D002\"") != NULL);
    struct resp r5 = post(NULL, next_key(), body);
    CHECK_PROBLEM(r5, 401, "unauthenticated");
    struct resp r6 = post("JZ-03", NULL, body);
    CHECK_PROBLEM(r6, 400, "bad-request");
    struct resp *all[] = {&r1, &r2, &r3, &r4, &r5, &r6};
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        free(all[i]->body);
}

static void test_bad_requests(void)
{
    static const struct {
        const char *body;
        int status;
        const char *type;
    } cases[] = {
        {"", 400, "bad-request"},
        {"[]", 400, "bad-request"},
        {"{}", 400, "bad-request"},
        {"{\"kind\":\"walk_in\"}", 400, "bad-request"},
        {"{\"kind\":\"walk_in\",\"service\":\"lottery\"}", 400, "bad-request"},
        {"{\"kind\":\"walk_in\",\"service\":7}", 400, "bad-request"},
        {"{\"kind\":\"vip\",\"service\":\"query\"}", 400, "bad-request"},
        {"{\"kind\":\"appointment\"}", 400, "bad-request"},
        {"{\"kind\":\"appointment\",\"appointment_code\":\"a b\"}", 400, "bad-request"},
        {"{\"kind\":\"appointment\",\"appointment_code\":\"AP-7Q4M9K\"}", 404, "not-found"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct resp r = post("JZ-03", next_key(), cases[i].body);
        CHECK_PROBLEM(r, cases[i].status, cases[i].type);
        resp_fini(&r);
    }
}

static void test_new_day(void)
{
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    int64_t to_midnight = (int64_t)(23 - c.hour) * 3600 + (59 - c.minute) * 60 + (60 - c.second);
    clock_advance_ms((to_midnight + 60) * 1000);
    struct ticket_reply a = take("query");
    CHECK_EQ_STR(a.number, "C001");
    CHECK_EQ_INT(a.ahead, 0);
    drop(&a);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct registry_config cfg = {
        .listen = "127.0.0.1:0", .db_path = registry_test_db(), .seed = false};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    if (!reg)
        return check_report("registry_tickets_test");
    str_copy(base, sizeof base, registry_url(reg));
    /* Not near midnight, so the queue test stays within one day. */
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    if (c.hour >= 20)
        clock_advance_ms((int64_t)(24 - c.hour + 8) * 3600 * 1000);
    test_numbers_and_queue();
    test_idempotency_and_auth();
    test_bad_requests();
    test_new_day(); /* last: it moves to tomorrow */
    registry_stop(reg);
    curl_global_cleanup();
    return check_report("registry_tickets_test");
}
