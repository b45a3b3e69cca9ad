/* backend_worker.c - the registry client's worker against a scripted server.
 *
 * A libmicrohttpd server on 127.0.0.1 (port chosen by the kernel) answers
 * each route from a short script (status, body, delay), and records what
 * it received: method, path, cursor, headers, body. Each case drives the
 * backend through its public calls and checks the reply it hands back and
 * what reached the server: retries and their Idempotency-Key, timeouts,
 * garbage bodies, problem mapping, pagination, refused connections, health
 * flips, cancellation, the staff check, and that no log line carries
 * personal data. The server and the backend's side: backend_server.h.
 */
#include "backend/backend.h"
#include "base/err.h"
#include "base/log.h"
#include "card_fixture.h"
#include "check.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend_server.h"

static const char prop_item[] =
    "{\"id\":\"p-%d\",\"unit_number\":\"410802004003GB00123F00020015\","
    "\"location\":\"解放区民主南路168号\",\"district\":\"解放区\","
    "\"certificate_number\":\"豫(2019)焦作市不动产权第0012345号\",\"area\":\"112.36\","
    "\"land_area\":\"\",\"use\":\"住宅\",\"right_type\":\"国有建设用地使用权/房屋所有权\","
    "\"right_nature\":\"出让\",\"ownership\":\"单独所有\",\"co_owners\":[],"
    "\"registered_at\":\"2019-05-12\",\"encumbrances\":[]}";

static char page1[2048], page2[2048], cert_body[4096];

static void make_bodies(void)
{
    char item[1024];
    snprintf(item, sizeof item, prop_item, 1);
    snprintf(page1, sizeof page1,
             "{\"as_of\":\"2026-11-22T09:43:00+08:00\",\"items\":[%s],\"next_cursor\":\"c/2 x\"}",
             item);
    snprintf(item, sizeof item, prop_item, 2);
    snprintf(page2, sizeof page2,
             "{\"as_of\":\"2026-11-22T09:43:01+08:00\",\"items\":[%s],\"next_cursor\":null}", item);
    snprintf(cert_body, sizeof cert_body,
             "{\"number\":\"JZCX-7Q4M-9K2T-XW3P\",\"verify_code\":\"7Q4M9KXW\","
             "\"verify_url\":\"http://127.0.0.1/v1/verify/JZCX-7Q4M-9K2T-XW3P?code=7Q4M9KXW\","
             "\"issued_at\":\"2026-11-22T09:44:10+08:00\",\"kind\":\"query\","
             "\"purpose\":\"办理贷款\",\"office\":\"焦作市不动产登记中心\","
             "\"requester\":{\"name_masked\":\"张*\",\"id_number_masked\":\"4108**********1234\"},"
             "\"query_method\":\"自助终端 JZ-03\",\"as_of\":\"2026-11-22T09:44:10+08:00\","
             "\"items\":[%s]}",
             item);
}

static const char problem_unavailable[] =
    "{\"type\":\"urn:bdc:problem:unavailable\",\"title\":\"登记系统暂时无法访问\",\"status\":503}";

static bool is_hex32(const char *s)
{
    if (strlen(s) != 32)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

static void test_session_ok_and_no_match(void)
{
    script_reset();
    struct answer ok = {201,
                        "{\"session_token\":\"s_abc\",\"expires_at\":\"2026-11-22T09:58:00+08:00\","
                        "\"verdict\":\"match\",\"citizen\":{\"name_masked\":\"张*\","
                        "\"id_number_masked\":\"4108**********1234\"}}",
                        0, 0};
    script("POST", "/v1/sessions", 1, &ok);
    struct backend *b = start(2000, 2, 0);
    CHECK(b != NULL);
    struct idcard card = fixture_card();
    const uint8_t jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 'f', 'o', 'o', 0xff, 0xd9};
    CHECK_EQ_INT(backend_open_session(b, 1, &card, jpeg, sizeof jpeg, "blink", true), 0);
    struct flow_reply *r = wait_reply(1, 3000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->kind, REPLY_SESSION);
        CHECK_EQ_INT(r->err, 0);
        CHECK_EQ_STR(r->token, "s_abc");
        backend_reply_free(r);
    }
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 1);
    CHECK_EQ_STR(seen[0].method, "POST");
    CHECK_EQ_STR(seen[0].kiosk, "JZ-03");
    CHECK_EQ_STR(seen[0].ctype, "application/json");
    CHECK_EQ_STR(seen[0].auth, "");
    CHECK(is_hex32(seen[0].idem));
    cJSON *body = seen[0].body ? cJSON_Parse(seen[0].body) : NULL;
    CHECK(body != NULL);
    const cJSON *cd = cJSON_GetObjectItemCaseSensitive(body, "card");
    const cJSON *face = cJSON_GetObjectItemCaseSensitive(body, "face");
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cd, "id_number")),
                 FIXTURE_ID_NUMBER);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(face, "image_jpeg")),
                 "/9j/4GZvb//Z");
    cJSON_Delete(body);
    pthread_mutex_unlock(&srv_lock);

    /* 422 face-no-match: mapped, title passed through, never retried. */
    struct answer no = {
        422,
        "{\"type\":\"urn:bdc:problem:face-no-match\",\"title\":\"这次没有比对成功\","
        "\"status\":422,\"detail\":\"stand-in\"}",
        0, 0};
    script("POST", "/v1/sessions", 1, &no);
    CHECK_EQ_INT(backend_open_session(b, 2, &card, jpeg, sizeof jpeg, "blink", true), 0);
    r = wait_reply(2, 3000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->err, ERR_REJECTED);
        CHECK_EQ_INT(r->problem, PROBLEM_FACE_NO_MATCH);
        CHECK_EQ_STR(r->title, "这次没有比对成功");
        CHECK_EQ_STR(r->token, "");
        backend_reply_free(r);
    }
    usleep(200 * 1000);
    CHECK_EQ_INT(hits("POST", "/v1/sessions"), 2);

    /* Invalid submissions are refused at once. */
    CHECK_EQ_INT(backend_open_session(b, 3, &card, jpeg, 0, "blink", true), ERR_INVALID);
    CHECK_EQ_INT(backend_fetch_properties(b, 4, ""), ERR_INVALID);
    CHECK_EQ_INT(backend_fetch_properties(b, 4, "bad token"), ERR_INVALID);
    CHECK_EQ_INT(backend_issue_certificate(b, 5, "t", "deed", "办理贷款"), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 6, "POST", "/v1/ratings", "k 6", "{}"), ERR_INVALID);
    backend_destroy(b);
}

static void test_retry_same_key(void)
{
    script_reset();
    struct answer a[2] = {{503, problem_unavailable, 0, 0}, {201, cert_body, 0, 0}};
    script("POST", "/v1/certificates", 2, a);
    struct backend *b = start(3000, 2, 0);
    CHECK_EQ_INT(backend_issue_certificate(b, 7, "s_abc", "query", "办理贷款"), 0);
    struct flow_reply *r = wait_reply(7, 4000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->kind, REPLY_CERTIFICATE);
        CHECK_EQ_INT(r->err, 0);
        CHECK(r->cert != NULL);
        if (r->cert) {
            CHECK_EQ_STR(r->cert->number, "JZCX-7Q4M-9K2T-XW3P");
            CHECK_EQ_INT(r->cert->props.count, 1);
        }
        backend_reply_free(r);
    }
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 2);
    CHECK(is_hex32(seen[0].idem));
    CHECK_EQ_STR(seen[0].idem, seen[1].idem);
    CHECK_EQ_STR(seen[1].auth, "Bearer s_abc");
    CHECK(seen[0].body && seen[1].body && strcmp(seen[0].body, seen[1].body) == 0);
    pthread_mutex_unlock(&srv_lock);

    /* A second request draws a new key. */
    script("POST", "/v1/certificates", 1, &a[1]);
    CHECK_EQ_INT(backend_issue_certificate(b, 8, "s_abc", "housing_count", "购房"), 0);
    r = wait_reply(8, 3000, NULL);
    CHECK(r && r->err == 0);
    backend_reply_free(r);
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 3);
    CHECK(strcmp(seen[2].idem, seen[0].idem) != 0);
    pthread_mutex_unlock(&srv_lock);

    /* 503 every time: three attempts, then face-unavailable as the registry said. */
    struct answer fu = {
        503, "{\"type\":\"urn:bdc:problem:face-unavailable\",\"title\":\"比对服务暂停\"}", 0, 0};
    script("POST", "/v1/sessions", 1, &fu);
    struct idcard card = fixture_card();
    const uint8_t jpeg[] = {1, 2, 3};
    CHECK_EQ_INT(backend_open_session(b, 9, &card, jpeg, sizeof jpeg, "turn", true), 0);
    r = wait_reply(9, 4000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->err, ERR_SERVER);
        CHECK_EQ_INT(r->problem, PROBLEM_FACE_UNAVAILABLE);
        backend_reply_free(r);
    }
    CHECK_EQ_INT(hits("POST", "/v1/sessions"), 3);
    backend_destroy(b);
}

static void test_timeout_and_garbage(void)
{
    script_reset();
    struct answer slow = {200, page2, 1500, 0};
    script("GET", "/v1/properties", 1, &slow);
    struct backend *b = start(400, 2, 0);
    int64_t t0 = now_ms(), at = 0;
    CHECK_EQ_INT(backend_fetch_properties(b, 10, "s_abc"), 0);
    struct flow_reply *r = wait_reply(10, 3000, &at);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->err, ERR_TIMEOUT);
        CHECK_EQ_INT(r->problem, PROBLEM_REGISTRY_DOWN);
        CHECK(r->props == NULL);
        backend_reply_free(r);
    }
    printf("timeout: answered after %lld ms (deadline 400 ms)\n", (long long)(at - t0));
    CHECK(at - t0 >= 350 && at - t0 < 400 + 500);
    backend_destroy(b);

    script_reset();
    struct answer junk = {200, "<html>ok</html>", 0, 0};
    script("GET", "/v1/properties", 1, &junk);
    b = start(2000, 2, 0);
    CHECK_EQ_INT(backend_fetch_properties(b, 11, "s_abc"), 0);
    r = wait_reply(11, 3000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->err, ERR_BADREPLY);
        CHECK_EQ_INT(r->problem, PROBLEM_BAD_REPLY);
        CHECK_EQ_STR(r->detail, "(body): not JSON");
        backend_reply_free(r);
    }
    CHECK_EQ_INT(hits("GET", "/v1/properties"), 1);

    /* More than 1 MiB: refused, not retried. */
    struct answer big = {200, NULL, 0, 2u << 20};
    script("GET", "/v1/properties", 1, &big);
    CHECK_EQ_INT(backend_fetch_properties(b, 12, "s_abc"), 0);
    r = wait_reply(12, 3000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->err, ERR_TOOBIG);
        CHECK_EQ_INT(r->problem, PROBLEM_BAD_REPLY);
        backend_reply_free(r);
    }
    CHECK_EQ_INT(hits("GET", "/v1/properties"), 2);

    /* Session expired and an unknown 4xx: mapped, no retry. */
    struct answer exp = {401, "{\"type\":\"urn:bdc:problem:session-expired\",\"title\":\"超时\"}",
                         0, 0};
    script("GET", "/v1/properties", 1, &exp);
    CHECK_EQ_INT(backend_fetch_properties(b, 13, "s_abc"), 0);
    r = wait_reply(13, 3000, NULL);
    CHECK(r && r->problem == PROBLEM_SESSION_EXPIRED && r->err == ERR_REJECTED);
    backend_reply_free(r);
    struct answer conflict = {
        409, "{\"type\":\"urn:bdc:problem:idempotency-conflict\",\"title\":\"请求重复\"}", 0, 0};
    script("POST", "/v1/ratings", 1, &conflict);
    CHECK_EQ_INT(backend_deliver(b, 14, "POST", "/v1/ratings", "k-14", "{\"level\":5}"), 0);
    r = wait_reply(14, 3000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->kind, REPLY_DELIVERY);
        CHECK_EQ_INT(r->problem, PROBLEM_REJECTED);
        CHECK_EQ_STR(r->title, "请求重复");
        backend_reply_free(r);
    }
    CHECK_EQ_INT(hits("GET", "/v1/properties"), 3);
    CHECK_EQ_INT(hits("POST", "/v1/ratings"), 1);
    backend_destroy(b);
}

static void test_pages_rating_end_cancel(void)
{
    script_reset();
    struct answer pages[2] = {{200, page1, 0, 0}, {200, page2, 0, 0}};
    script("GET", "/v1/properties", 2, pages);
    struct backend *b = start(2000, 2, 0);
    CHECK_EQ_INT(backend_fetch_properties(b, 20, "s_abc"), 0);
    struct flow_reply *r = wait_reply(20, 3000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->kind, REPLY_PROPERTIES);
        CHECK_EQ_INT(r->err, 0);
        CHECK(r->props != NULL);
        if (r->props) {
            CHECK_EQ_INT(r->props->count, 2);
            CHECK_EQ_STR(r->props->items[0].id, "p-1");
            CHECK_EQ_STR(r->props->items[1].id, "p-2");
            CHECK_EQ_STR(r->props->as_of, "2026-11-22T09:43:00+08:00");
        }
        backend_reply_free(r);
    }
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 2);
    CHECK_EQ_STR(seen[0].cursor, "");
    CHECK_EQ_STR(seen[1].cursor, "c/2 x"); /* escaped on the way, decoded by the server */
    CHECK_EQ_STR(seen[1].auth, "Bearer s_abc");
    CHECK_EQ_STR(seen[1].idem, ""); /* reads carry no key */
    pthread_mutex_unlock(&srv_lock);

    /* A rating without a visit: no Authorization. */
    struct answer rated = {201, "{\"id\":\"r-1\"}", 0, 0};
    script("POST", "/v1/ratings", 1, &rated);
    CHECK_EQ_INT(backend_deliver(b, 21, "POST", "/v1/ratings", "k-21", "{\"level\":4}"), 0);
    r = wait_reply(21, 3000, NULL);
    CHECK(r && r->kind == REPLY_DELIVERY && r->err == 0);
    backend_reply_free(r);

    /* End of the visit: DELETE with the token, no answer delivered. */
    struct answer gone = {204, NULL, 0, 0};
    script("DELETE", "/v1/sessions/current", 1, &gone);
    CHECK_EQ_INT(backend_end_session(b, "s_abc"), 0);
    for (int i = 0; i < 100 && hits("DELETE", "/v1/sessions/current") == 0; i++)
        usleep(10000);
    usleep(100 * 1000);
    CHECK_EQ_INT(hits("DELETE", "/v1/sessions/current"), 1);
    pthread_mutex_lock(&got_lock);
    CHECK_EQ_INT(ngot, 0);
    pthread_mutex_unlock(&got_lock);
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_STR(seen[nseen - 1].auth, "Bearer s_abc");
    CHECK(is_hex32(seen[nseen - 1].idem));
    pthread_mutex_unlock(&srv_lock);

    /* Cancelled while the server dawdles: nothing comes back. */
    struct answer slow = {200, page2, 600, 0};
    script("GET", "/v1/properties", 1, &slow);
    CHECK_EQ_INT(backend_fetch_properties(b, 22, "s_abc"), 0);
    usleep(100 * 1000);
    CHECK_EQ_INT(backend_cancel(b, 22), 0);
    r = wait_reply(22, 900, NULL);
    CHECK(r == NULL);
    backend_reply_free(r);
    backend_destroy(b);
}

/* An outbox item: the caller's method, path and key, no bearer, no retry
 * here (the outbox retries with the same key), the status handed back. */
static void test_deliver(void)
{
    script_reset();
    static const char body[] = "{\"level\":2,\"service\":\"query\",\"reasons\":[\"操作复杂\"]}";
    struct answer a[3] = {{503, problem_unavailable, 0, 0},
                          {201, "{\"id\":\"r-7\"}", 0, 0},
                          {409,
                           "{\"type\":\"urn:bdc:problem:idempotency-conflict\","
                           "\"title\":\"x\",\"status\":409}",
                           0, 0}};
    script("POST", "/v1/ratings", 3, a);
    struct backend *b = start(3000, 2, 0);
    CHECK_EQ_INT(backend_deliver(b, 40, "POST", "/v1/ratings", "k-Ab_9", body), 0);
    struct flow_reply *r = wait_reply(40, 3000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->kind, REPLY_DELIVERY);
        CHECK_EQ_INT(r->err, ERR_SERVER);
        CHECK_EQ_INT(r->status, 503);
        backend_reply_free(r);
    }
    CHECK_EQ_INT(hits("POST", "/v1/ratings"), 1); /* no retry inside the backend */
    CHECK_EQ_INT(backend_deliver(b, 41, "POST", "/v1/ratings", "k-Ab_9", body), 0);
    r = wait_reply(41, 3000, NULL);
    CHECK(r && r->kind == REPLY_DELIVERY && r->err == 0 && r->status == 201);
    backend_reply_free(r);
    CHECK_EQ_INT(backend_deliver(b, 42, "POST", "/v1/ratings", "k-other", body), 0);
    r = wait_reply(42, 3000, NULL);
    CHECK(r && r->err == ERR_REJECTED && r->status == 409);
    backend_reply_free(r);
    /* A 2xx without the registry's id (a gateway's page, half the JSON, the
     * wrong shape) does not say the item arrived: the outbox keeps it. */
    static const char *const not_created[] = {"<html><body>502 Bad Gateway</body></html>",
                                              "{\"id\":\"r-", "{\"data\":[1,2]}", "{\"id\":\"\"}"};
    for (int i = 0; i < 4; i++) {
        struct answer odd = {i == 0 ? 200 : 201, not_created[i], 0, 0};
        script("POST", "/v1/ratings", 1, &odd);
        CHECK_EQ_INT(backend_deliver(b, (uint32_t)(50 + i), "POST", "/v1/ratings", "k-Ab_9", body),
                     0);
        r = wait_reply((uint32_t)(50 + i), 3000, NULL);
        CHECK(r && r->err == ERR_BADREPLY && r->status == (i == 0 ? 200 : 201));
        backend_reply_free(r);
    }
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 7);
    for (int i = 0; i < nseen && i < 3; i++) {
        CHECK_EQ_STR(seen[i].method, "POST");
        CHECK_EQ_STR(seen[i].auth, "");
        CHECK_EQ_STR(seen[i].kiosk, "JZ-03");
        CHECK_EQ_STR(seen[i].ctype, "application/json");
        CHECK(seen[i].body && strcmp(seen[i].body, body) == 0);
    }
    CHECK_EQ_STR(seen[0].idem, "k-Ab_9");
    CHECK_EQ_STR(seen[1].idem, "k-Ab_9");
    CHECK_EQ_STR(seen[2].idem, "k-other");
    pthread_mutex_unlock(&srv_lock);

    /* Another method without a body. */
    struct answer gone = {204, NULL, 0, 0};
    script("DELETE", "/v1/audit/7", 1, &gone);
    CHECK_EQ_INT(backend_deliver(b, 43, "DELETE", "/v1/audit/7", "k-del", NULL), 0);
    r = wait_reply(43, 3000, NULL);
    CHECK(r && r->err == 0 && r->status == 204);
    backend_reply_free(r);
    CHECK_EQ_INT(hits("DELETE", "/v1/audit/7"), 1);

    /* Refused before anything is queued. */
    char long_key[70];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    CHECK_EQ_INT(backend_deliver(b, 44, "GET", "/v1/ratings", "k", body), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, NULL, "/v1/ratings", "k", body), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, "POST", "v1/ratings", "k", body), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, "POST", "/v1/a b", "k", body), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, "POST", "/v1/ratings", "k y", body), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, "POST", "/v1/ratings", "", body), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, "POST", "/v1/ratings", long_key, body), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, "POST", "/v1/ratings", "k", NULL), ERR_INVALID);
    CHECK_EQ_INT(backend_deliver(b, 44, "POST", "/v1/ratings", "k", ""), ERR_INVALID);
    backend_destroy(b);
}

/* ---- the staff check ---- */

/* POST /v1/staff/check: the card's number in the body only (no token, no
 * key: the check changes nothing), a read retried after a 503, yes and
 * no as replies, a refusal as a problem, a card that is no number never
 * sent. */
static void test_staff_check(void)
{
    script_reset();
    struct answer a[4] = {
        {503, problem_unavailable, 0, 0},
        {200,
         "{\"staff\":true,\"staff_no\":\"0312\",\"name_masked\":\"李**\","
         "\"role\":\"maintenance\"}",
         0, 0},
        {200, "{\"staff\":false}", 0, 0},
        {400, "{\"type\":\"urn:bdc:problem:bad-request\",\"title\":\"x\"}", 0, 0}};
    script("POST", "/v1/staff/check", 4, a);
    struct backend *b = start(3000, 2, 0);
    struct idcard card = fixture_card();
    CHECK_EQ_INT(backend_check_staff(b, 70, &card), 0);
    explicit_bzero(&card, sizeof card); /* the request has its own copy */
    struct flow_reply *r = wait_reply(70, 3000, NULL);
    CHECK(r && r->kind == REPLY_STAFF && r->err == 0 && r->status == 200 && r->staff);
    if (r && r->staff) {
        CHECK(r->staff->staff);
        CHECK_EQ_STR(r->staff->staff_no, "0312");
        CHECK_EQ_STR(r->staff->name_masked, "李**");
        CHECK_EQ_STR(r->staff->role, "maintenance");
    }
    backend_reply_free(r);
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 2);
    for (int i = 0; i < nseen && i < 2; i++) {
        CHECK_EQ_STR(seen[i].method, "POST");
        CHECK_EQ_STR(seen[i].path, "/v1/staff/check");
        CHECK_EQ_STR(seen[i].body ? seen[i].body : "", "{\"id_number\":\"" FIXTURE_ID_NUMBER "\"}");
        CHECK_EQ_STR(seen[i].kiosk, "JZ-03");
        CHECK_EQ_STR(seen[i].auth, "");
        CHECK_EQ_STR(seen[i].idem, "");
        CHECK_EQ_STR(seen[i].ctype, "application/json");
    }
    pthread_mutex_unlock(&srv_lock);

    card = fixture_card();
    CHECK_EQ_INT(backend_check_staff(b, 71, &card), 0);
    r = wait_reply(71, 3000, NULL);
    CHECK(r && r->kind == REPLY_STAFF && r->err == 0 && r->staff && !r->staff->staff);
    backend_reply_free(r);
    CHECK_EQ_INT(backend_check_staff(b, 72, &card), 0);
    r = wait_reply(72, 3000, NULL);
    CHECK(r && r->kind == REPLY_STAFF && r->err == ERR_REJECTED && r->status == 400 &&
          r->staff == NULL);
    backend_reply_free(r);
    card.id_number[17] = card.id_number[17] == '9' ? '8' : '9';
    CHECK_EQ_INT(backend_check_staff(b, 73, &card), ERR_INVALID);
    CHECK_EQ_INT(backend_check_staff(b, 73, NULL), ERR_INVALID);
    CHECK_EQ_INT(hits("POST", "/v1/staff/check"), 4);
    explicit_bzero(&card, sizeof card);
    backend_destroy(b);
}

/* ---- bookings and a proof's link: calls of the visit ---- */

static const char booking_item[] =
    "{\"code\":\"YA7Q4M9K\",\"number\":\"A-1123-03\",\"service\":\"registration\","
    "\"service_name\":\"不动产转移登记\",\"date\":\"2026-11-23\",\"start\":\"09:00\","
    "\"end\":\"10:00\",\"windows_text\":\"7 号窗口\",\"time_limit\":\"3 个工作日\","
    "\"materials\":[],\"phone_masked\":\"138****5678\",\"state\":\"%s\","
    "\"follow_url\":\"http://127.0.0.1/a/YA7Q4M9K\",\"booked_at\":\"2026-11-22T09:50:00+08:00\"}";

static const char link_body[] = "{\"url\":\"http://127.0.0.1:8080/e/"
                                "Rk9x2Qp7mW4t\",\"expires_at\":\"2026-11-22T09:54:10+08:00\"}";

#define LINK_PATH "/v1/certificates/JZCX-7Q4M-9K2T-XW3P/link"

/* Waits for req_id's reply and checks its kind and err. Returns it
 * (owned) or NULL. */
static struct flow_reply *expect_reply(uint32_t req_id, enum flow_reply_kind kind, int err)
{
    struct flow_reply *r = wait_reply(req_id, 4000, NULL);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->kind, kind);
        CHECK_EQ_INT(r->err, err);
    }
    return r;
}

/* What reached the server as the i-th request: method, path, kiosk id,
 * the visit's bearer token, and no body. */
static void check_seen(int i, const char *method, const char *path)
{
    CHECK(i < nseen);
    if (i >= nseen)
        return;
    CHECK_EQ_STR(seen[i].method, method);
    CHECK_EQ_STR(seen[i].path, path);
    CHECK_EQ_STR(seen[i].auth, "Bearer s_abc");
    CHECK_EQ_STR(seen[i].kiosk, "JZ-03");
    CHECK(!seen[i].body || !seen[i].body[0]);
    CHECK_EQ_STR(seen[i].ctype, ""); /* no body, so no type (not curl's form type) */
}

/* A write of the visit after a 503 and its answer, then one the registry
 * does not know: both attempts of the first carry one key, the second
 * request another. */
static void check_write(const char *method, const char *path, const char *unknown_path)
{
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 3);
    check_seen(0, method, path);
    check_seen(1, method, path);
    check_seen(2, method, unknown_path);
    CHECK(is_hex32(seen[0].idem));
    CHECK_EQ_STR(seen[1].idem, seen[0].idem);
    CHECK(is_hex32(seen[2].idem) && strcmp(seen[2].idem, seen[0].idem) != 0);
    pthread_mutex_unlock(&srv_lock);
}

/* A 404 not-found: not retried, a refusal with the registry's title (the
 * problem map has no not-found of its own), no payload. */
static void check_not_found(uint32_t req_id, enum flow_reply_kind kind)
{
    struct flow_reply *r = expect_reply(req_id, kind, ERR_REJECTED);
    if (r) {
        CHECK_EQ_INT(r->status, 404);
        CHECK_EQ_INT(r->problem, PROBLEM_REJECTED);
        CHECK_EQ_STR(r->title, "无");
        CHECK(strstr(r->detail, "HTTP 404 urn:bdc:problem:not-found") == r->detail);
        CHECK(r->link == NULL && r->bookings == NULL && r->ticket == NULL);
    }
    backend_reply_free(r);
}

/* The citizen's bookings: a read (no key), retried after a 503. */
static void test_bookings(void)
{
    script_reset();
    char item[2][1024], list[sizeof item + 16];
    snprintf(item[0], sizeof item[0], booking_item, "booked");
    snprintf(item[1], sizeof item[1], booking_item, "missed");
    snprintf(list, sizeof list, "{\"items\":[%s,%s]}", item[0], item[1]);
    struct answer a[2] = {{503, problem_unavailable, 0, 0}, {200, list, 0, 0}};
    script("GET", "/v1/appointments", 2, a);
    struct backend *b = start(3000, 2, 0);
    CHECK_EQ_INT(backend_fetch_bookings(b, 50, "s_abc"), 0);
    struct flow_reply *r = expect_reply(50, REPLY_BOOKINGS, 0);
    const struct booking_list *l = r ? r->bookings : NULL;
    CHECK(l != NULL);
    if (l) {
        CHECK_EQ_INT(l->count, 2);
        CHECK_EQ_STR(l->items[0].code, "YA7Q4M9K");
        CHECK_EQ_STR(l->items[0].appointment, "2026-11-23 09:00–10:00");
        CHECK_EQ_STR(l->items[1].state, "missed");
    }
    backend_reply_free(r);
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 2);
    check_seen(0, "GET", "/v1/appointments");
    check_seen(1, "GET", "/v1/appointments");
    CHECK_EQ_STR(seen[1].idem, "");
    pthread_mutex_unlock(&srv_lock);

    /* A state outside the contract: a bad reply, not a list. */
    snprintf(item[0], sizeof item[0], booking_item, "lost");
    snprintf(list, sizeof list, "{\"items\":[%s]}", item[0]);
    script("GET", "/v1/appointments", 1, &a[1]);
    CHECK_EQ_INT(backend_fetch_bookings(b, 51, "s_abc"), 0);
    r = expect_reply(51, REPLY_BOOKINGS, ERR_BADREPLY);
    CHECK(r && r->problem == PROBLEM_BAD_REPLY && !r->bookings);
    CHECK(r && !strcmp(r->detail, "items[0].state: unknown state"));
    backend_reply_free(r);
    CHECK_EQ_INT(backend_fetch_bookings(b, 52, NULL), ERR_INVALID);
    CHECK_EQ_INT(backend_fetch_bookings(b, 52, ""), ERR_INVALID);
    CHECK_EQ_INT(backend_fetch_bookings(b, 52, "s abc"), ERR_INVALID);
    backend_destroy(b);
    CHECK_EQ_INT(hits("GET", "/v1/appointments"), 3);
}

static void test_cancel_booking(void)
{
    script_reset();
    struct answer a[2] = {{503, problem_unavailable, 0, 0}, {204, NULL, 0, 0}};
    script("DELETE", "/v1/appointments/YA7Q4M9K", 2, a);
    struct backend *b = start(3000, 2, 0);
    CHECK_EQ_INT(backend_cancel_booking(b, 60, "s_abc", "YA7Q4M9K"), 0);
    struct flow_reply *r = expect_reply(60, REPLY_UNBOOKED, 0);
    CHECK(r && r->status == 204 && !r->ticket && !r->bookings);
    backend_reply_free(r);
    CHECK_EQ_INT(backend_cancel_booking(b, 61, "s_abc", "Yunknown9"), 0);
    check_not_found(61, REPLY_UNBOOKED);
    check_write("DELETE", "/v1/appointments/YA7Q4M9K", "/v1/appointments/Yunknown9");

    /* Refused before anything is queued; 15 characters still fit. */
    static const char *const bad[] = {
        NULL,           "",   "YA7Q-4M9K", "YA7Q4M9K/link", "YA7Q 4M9K", "Y234567890123456",
        "YA7Q4M9K?x=1", "..", "%2F"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(backend_cancel_booking(b, 62, "s_abc", bad[i]), ERR_INVALID);
    CHECK_EQ_INT(backend_cancel_booking(b, 63, NULL, "YA7Q4M9K"), ERR_INVALID);
    CHECK_EQ_INT(backend_cancel_booking(b, 63, "", "YA7Q4M9K"), ERR_INVALID);
    CHECK_EQ_INT(backend_cancel_booking(b, 64, "s_abc", "Y23456789012345"), 0);
    backend_reply_free(wait_reply(64, 3000, NULL));
    backend_destroy(b);
    pthread_mutex_lock(&srv_lock);
    CHECK_EQ_INT(nseen, 4);
    pthread_mutex_unlock(&srv_lock);
}

static void test_link_certificate(void)
{
    script_reset();
    struct answer a[2] = {{503, problem_unavailable, 0, 0}, {201, link_body, 0, 0}};
    script("POST", LINK_PATH, 2, a);
    struct backend *b = start(3000, 2, 0);
    CHECK_EQ_INT(backend_link_certificate(b, 70, "s_abc", "JZCX-7Q4M-9K2T-XW3P"), 0);
    struct flow_reply *r = expect_reply(70, REPLY_LINK, 0);
    const struct cert_link *l = r ? r->link : NULL;
    CHECK(r && r->status == 201 && l != NULL);
    if (l) {
        CHECK_EQ_STR(l->url, "http://127.0.0.1:8080/e/Rk9x2Qp7mW4t");
        CHECK_EQ_STR(l->expires_at, "2026-11-22T09:54:10+08:00");
    }
    backend_reply_free(r);
    CHECK_EQ_INT(backend_link_certificate(b, 71, "s_abc", "JZCX-0000-0000-0000"), 0);
    check_not_found(71, REPLY_LINK);
    check_write("POST", LINK_PATH, "/v1/certificates/JZCX-0000-0000-0000/link");

    /* A link that is not http(s): a bad reply. */
    struct answer ftp = {
        201, "{\"url\":\"ftp://x/e/1\",\"expires_at\":\"2026-11-22T09:54:10+08:00\"}", 0, 0};
    script("POST", LINK_PATH, 1, &ftp);
    CHECK_EQ_INT(backend_link_certificate(b, 72, "s_abc", "JZCX-7Q4M-9K2T-XW3P"), 0);
    r = expect_reply(72, REPLY_LINK, ERR_BADREPLY);
    CHECK(r && !r->link && !strcmp(r->detail, "url: not an http(s) URL"));
    backend_reply_free(r);

    static const char *const bad[] = {NULL,
                                      "",
                                      "JZCX/../x",
                                      "JZCX 7Q4M",
                                      "JZCX_7Q4M",
                                      "a?b",
                                      "JZCX-7Q4M-9K2T-XW3P-JZCX-7Q4M-9K2T-XW3P-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(backend_link_certificate(b, 73, "s_abc", bad[i]), ERR_INVALID);
    CHECK_EQ_INT(backend_link_certificate(b, 73, "", "JZCX-7Q4M-9K2T-XW3P"), ERR_INVALID);
    CHECK_EQ_INT(backend_link_certificate(b, 73, NULL, "JZCX-7Q4M-9K2T-XW3P"), ERR_INVALID);
    backend_destroy(b);
    CHECK_EQ_INT(hits("POST", LINK_PATH), 3);
}

/* The guide comes with its body, as it came, for the kiosk's copy on
 * disk; a guide that does not parse comes with neither. */
static void test_services_raw(void)
{
    script_reset();
    static const char guide[] =
        "{\"as_of\":\"2026-11-22T09:43:00+08:00\",\"items\":[{\"code\":\"query\",\"letter\":\"C\","
        "\"name\":\"查询\",\"summary\":\"\",\"windows_text\":\"\",\"limit\":{\"unit\":\"hours\","
        "\"value\":1},\"time_limit\":\"1 小时内办结\",\"materials\":[],\"fees\":[],"
        "\"fee_waivers\":[],\"bookable\":false,\"walk_in\":true}]}";
    struct answer a[2] = {{200, guide, 0, 0}, {200, "{\"as_of\":\"x\"}", 0, 0}};
    script("GET", "/v1/services", 2, a);
    struct backend *b = start(3000, 0, 0);
    CHECK_EQ_INT(backend_fetch_services(b, 50), 0);
    struct flow_reply *r = wait_reply(50, 3000, NULL);
    CHECK(r && r->kind == REPLY_SERVICES && r->err == 0 && r->services);
    CHECK(r && r->services && r->services->count == 1);
    CHECK(r && r->raw && r->raw_len == strlen(guide) && !memcmp(r->raw, guide, r->raw_len));
    backend_reply_free(r);
    CHECK_EQ_INT(backend_fetch_services(b, 51), 0);
    r = wait_reply(51, 3000, NULL);
    CHECK(r && r->err == ERR_BADREPLY && !r->services && !r->raw && r->raw_len == 0);
    backend_reply_free(r);
    backend_destroy(b);
}

static void test_refused_and_health(unsigned port)
{
    /* A port nobody listens on: bind, note, close. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    CHECK(bind(s, (struct sockaddr *)&sa, sizeof sa) == 0);
    CHECK(getsockname(s, (struct sockaddr *)&sa, &sl) == 0);
    close(s);
    char saved[64];
    memcpy(saved, base_url, sizeof saved);
    snprintf(base_url, sizeof base_url, "http://127.0.0.1:%u", ntohs(sa.sin_port));

    struct backend *b = start(3000, 2, 0);
    int64_t t0 = now_ms(), at = 0;
    CHECK_EQ_INT(backend_fetch_properties(b, 30, "s_abc"), 0);
    struct flow_reply *r = wait_reply(30, 4000, &at);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->err, ERR_NETWORK);
        CHECK_EQ_INT(r->problem, PROBLEM_REGISTRY_DOWN);
        backend_reply_free(r);
    }
    printf("refused: answered after %lld ms (two retries, 50 + 150 ms backoff)\n",
           (long long)(at - t0));
    CHECK(at - t0 >= 200 && at - t0 < 1500);
    backend_destroy(b);
    memcpy(base_url, saved, sizeof saved);
    (void)port;

    /* Health: up, down on 503, up again. */
    script_reset();
    pthread_mutex_lock(&got_lock);
    nstates = 0;
    pthread_mutex_unlock(&got_lock);
    struct answer up = {200, "{\"status\":\"ok\",\"time\":\"2026-11-22T09:43:00+08:00\"}", 0, 0};
    struct answer down = {503, problem_unavailable, 0, 0};
    script("GET", "/v1/health", 1, &up);
    b = start(2000, 2, 100);
    CHECK_EQ_INT(wait_states(1, 2000), 1);
    script("GET", "/v1/health", 1, &down);
    CHECK_EQ_INT(wait_states(2, 2000), 0);
    script("GET", "/v1/health", 1, &up);
    CHECK_EQ_INT(wait_states(3, 2000), 1);
    usleep(300 * 1000); /* steady: no further callbacks */
    pthread_mutex_lock(&got_lock);
    CHECK_EQ_INT(nstates, 3);
    pthread_mutex_unlock(&got_lock);
    CHECK(hits("GET", "/v1/health") >= 5);
    backend_destroy(b);
}

static void test_config(void)
{
    struct backend_config cfg;
    backend_config_default(&cfg);
    CHECK_EQ_INT(cfg.connect_timeout_ms, 3000);
    CHECK_EQ_INT(cfg.total_timeout_ms, 10000);
    CHECK_EQ_INT(cfg.retries, 2);
    CHECK_EQ_INT(cfg.backoff_ms, 300);
    CHECK(!cfg.tls_insecure);
    CHECK(backend_create(&cfg, on_reply, NULL, NULL) == NULL); /* no URL */
    cfg.base_url = "ftp://127.0.0.1";
    CHECK(backend_create(&cfg, on_reply, NULL, NULL) == NULL);
    cfg.base_url = "http://127.0.0.1:1";
    cfg.kiosk_id = "JZ 03\r\nX: y";
    CHECK(backend_create(&cfg, on_reply, NULL, NULL) == NULL);
    backend_destroy(NULL);
    backend_reply_free(NULL);
}

int main(void)
{
    log_set_sink(log_capture, NULL);
    make_bodies();
    unsigned port = 0;
    struct MHD_Daemon *d = server_start(&port);
    CHECK(d != NULL && port != 0);
    if (!d)
        return check_report("backend_worker");
    snprintf(base_url, sizeof base_url, "http://127.0.0.1:%u/", port);

    test_config();
    test_session_ok_and_no_match();
    test_retry_same_key();
    test_timeout_and_garbage();
    test_pages_rating_end_cancel();
    test_deliver();
    test_bookings();
    test_cancel_booking();
    test_link_certificate();
    test_services_raw();
    test_refused_and_health(port);
    test_staff_check();

    /* Nothing personal in any log line. */
    static const char *const secrets[] = {FIXTURE_ID_NUMBER, "张三",     "民主南路",    "s_abc",
                                          "Bearer",          "YA7Q4M9K", "Rk9x2Qp7mW4t"};
    pthread_mutex_lock(&log_lock);
    CHECK(nlog > 0);
    for (int i = 0; i < nlog; i++)
        for (size_t k = 0; k < sizeof secrets / sizeof secrets[0]; k++)
            if (strstr(loglines[i], secrets[k])) {
                fprintf(stderr, "log line leaks \"%s\": %s\n", secrets[k], loglines[i]);
                CHECK(0);
            }
    pthread_mutex_unlock(&log_lock);

    MHD_stop_daemon(d);
    script_reset();
    log_set_sink(NULL, NULL);
    return check_report("backend_worker");
}
