/* registry_staff_test.c - the hall's staff and the kiosks' audit trail on
 * bdc-registry over real HTTP on loopback: POST /v1/staff/check (a staff
 * card, a citizen's card, numbers that are not numbers, never the number
 * in a reply or a log line), POST /v1/audit (stored, an idempotent repeat,
 * a conflict, every refusal, an ID number in the detail) and GET
 * /v1/audit (per kiosk, newest first, its limit).
 *
 * Starts the registry in-process on port 0 (in-memory database seeded
 * with the demo population) and plays kiosks with libcurl. The registry's
 * log lines are captured on its HTTP thread and read after it stopped.
 */
#include "base/log.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>

#include "registry_http.h"
#include "registry_test_db.h"

static struct demo_staff staff0, staff1;
static struct demo_citizen citizen0;

/* ---- the registry's log ------------------------------------------------------------ */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char loglines[128][256];
static int nlog;

static void log_capture(enum log_level level, const char *line, void *user)
{
    (void)level;
    (void)user;
    pthread_mutex_lock(&log_lock);
    if (nlog < 128)
        snprintf(loglines[nlog++], sizeof loglines[0], "%s", line);
    pthread_mutex_unlock(&log_lock);
}

/* ---- helpers ------------------------------------------------------------------------ */

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static struct resp check_staff(const char *kiosk, const char *id_number)
{
    char body[96];
    snprintf(body, sizeof body, "{\"id_number\":\"%s\"}", id_number);
    return http(
        (struct req){.method = "POST", .path = "/v1/staff/check", .kiosk = kiosk, .body = body});
}

static struct resp audit(const char *kiosk, const char *key, const char *body)
{
    return http((struct req){
        .method = "POST", .path = "/v1/audit", .kiosk = kiosk, .key = key, .body = body});
}

/* The body of one audit event. */
static const char *event(char *out, size_t size, const char *staff_no, const char *action,
                         const char *detail)
{
    snprintf(out, size,
             "{\"at\":\"2026-11-22T09:42:00+08:00\",\"staff_no\":\"%s\",\"action\":\"%s\","
             "\"detail\":\"%s\"}",
             staff_no, action, detail);
    return out;
}

/* GET /v1/audit with query q (may be ""); the items (owned by *root). */
static const cJSON *trail(const char *q, cJSON **root)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/audit%s", q);
    struct resp r = http((struct req){.path = path});
    CHECK_EQ_INT(r.status, 200);
    *root = cJSON_Parse(r.body);
    resp_fini(&r);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(*root, "items");
    CHECK(cJSON_IsArray(items));
    return items;
}

/* ---- POST /v1/staff/check ----------------------------------------------------------- */

static void test_staff_check(void)
{
    /* A staff card: the staff number, the name masked, the role. No
     * Idempotency-Key: the check changes nothing. */
    struct resp r = check_staff("JZ-03", staff0.id_number);
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_STR(r.ctype, "application/json");
    CHECK(strstr(r.body, staff0.id_number) == NULL);
    CHECK(strstr(r.body, staff0.name) == NULL);
    cJSON *j = cJSON_Parse(r.body);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "staff")));
    CHECK_EQ_STR(jstr(j, "staff_no"), "0312");
    CHECK_EQ_STR(jstr(j, "name_masked"), "李**");
    CHECK_EQ_STR(jstr(j, "role"), "maintenance");
    cJSON_Delete(j);
    resp_fini(&r);

    r = check_staff("K-7", staff1.id_number); /* any kiosk of the hall; a check character X */
    j = cJSON_Parse(r.body);
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_STR(jstr(j, "staff_no"), "0420");
    CHECK_EQ_STR(jstr(j, "name_masked"), "王*");
    CHECK(strstr(r.body, staff1.id_number) == NULL);
    cJSON_Delete(j);
    resp_fini(&r);

    /* A citizen's card: not staff, 200 all the same, and nothing else. */
    r = check_staff("JZ-03", citizen0.id_number);
    CHECK_EQ_INT(r.status, 200);
    CHECK_EQ_STR(r.body, "{\"staff\":false}");
    resp_fini(&r);

    /* Not a number: a flipped check character, short, letters, lower-case
     * x, a number, no field, no JSON. */
    char flipped[19];
    str_copy(flipped, sizeof flipped, staff0.id_number);
    flipped[17] = flipped[17] == '9' ? '8' : '9';
    char lower[19];
    str_copy(lower, sizeof lower, staff1.id_number);
    lower[17] = 'x';
    const char *bad[] = {flipped, "41080219780412031", "41080219780412031A", lower, ""};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = check_staff("JZ-03", bad[i]);
        CHECK_PROBLEM(r, 400, "bad-request");
        CHECK(!bad[i][0] || strstr(r.body, bad[i]) == NULL);
        resp_fini(&r);
    }
    static const char *const bodies[] = {"{\"id_number\":410802197804120310}", "{}", "[]",
                                         "not json"};
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        r = http((struct req){
            .method = "POST", .path = "/v1/staff/check", .kiosk = "JZ-03", .body = bodies[i]});
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }
    /* Without a kiosk id; with another method. */
    r = check_staff(NULL, staff0.id_number);
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);
    r = http((struct req){.path = "/v1/staff/check", .kiosk = "JZ-03"});
    CHECK_PROBLEM(r, 405, "method-not-allowed");
    resp_fini(&r);
}

/* ---- POST /v1/audit, GET /v1/audit -------------------------------------------------- */

static void test_audit(void)
{
    char b[512];
    /* Stored, and a repeat with the same key is the same answer. */
    struct resp r = audit("JZ-03", "audit-1", event(b, sizeof b, "0312", "enter", "gesture"));
    CHECK_EQ_INT(r.status, 201);
    cJSON *j = cJSON_Parse(r.body);
    char id[32];
    str_copy(id, sizeof id, jstr(j, "id"));
    CHECK(strncmp(id, "a-", 2) == 0 && strlen(id) > 2);
    cJSON_Delete(j);
    resp_fini(&r);
    r = audit("JZ-03", "audit-1", b);
    CHECK_EQ_INT(r.status, 201);
    j = cJSON_Parse(r.body);
    CHECK_EQ_STR(jstr(j, "id"), id);
    cJSON_Delete(j);
    resp_fini(&r);
    /* The same key with another event. */
    r = audit("JZ-03", "audit-1", event(b, sizeof b, "0312", "exit", ""));
    CHECK_PROBLEM(r, 409, "idempotency-conflict");
    resp_fini(&r);

    cJSON *root = NULL;
    const cJSON *items = trail("?kiosk=JZ-03", &root);
    CHECK_EQ_INT(cJSON_GetArraySize(items), 1);
    const cJSON *it = cJSON_GetArrayItem(items, 0);
    CHECK_EQ_STR(jstr(it, "at"), "2026-11-22T09:42:00+08:00");
    CHECK_EQ_STR(jstr(it, "kiosk"), "JZ-03");
    CHECK_EQ_STR(jstr(it, "staff_no"), "0312");
    CHECK_EQ_STR(jstr(it, "action"), "enter");
    CHECK_EQ_STR(jstr(it, "detail"), "gesture");
    cJSON_Delete(root);

    /* A refused entry names no one; the rest of a visit to the kiosk. */
    r = audit("JZ-03", "audit-2", event(b, sizeof b, "", "enter_refused", "wrong PIN"));
    CHECK_EQ_INT(r.status, 201);
    resp_fini(&r);
    r = audit("JZ-03", "audit-3", event(b, sizeof b, "0312", "paper_refilled", "纸卷 80 mm"));
    CHECK_EQ_INT(r.status, 201);
    resp_fini(&r);
    r = audit("K-7", "audit-1", event(b, sizeof b, "0420", "test_slip", "")); /* its own keys */
    CHECK_EQ_INT(r.status, 201);
    resp_fini(&r);

    /* Refused: each of them stores nothing. */
    char long_detail[140];
    memset(long_detail, 'd', 129);
    long_detail[129] = '\0';
    char with_id[64];
    snprintf(with_id, sizeof with_id, "card %s on the reader", citizen0.id_number);
    char bodies[9][512];
    event(bodies[0], sizeof bodies[0], "0312", "dance", "");
    event(bodies[1], sizeof bodies[1], "0312", "Enter", "");
    event(bodies[2], sizeof bodies[2], "0312", "enter", with_id);
    event(bodies[3], sizeof bodies[3], "0312", "enter", "41080219780412031X"); /* check wrong */
    event(bodies[4], sizeof bodies[4], "03-12", "enter", "");
    event(bodies[5], sizeof bodies[5], "0312031203120312", "enter", "");
    event(bodies[6], sizeof bodies[6], "0312", "enter", long_detail);
    event(bodies[7], sizeof bodies[7], "0312", "enter", "two\\nlines");
    str_copy(bodies[8], sizeof bodies[8],
             "{\"at\":\"2026-11-22 09:42\",\"staff_no\":\"0312\",\"action\":\"enter\","
             "\"detail\":\"\"}");
    for (size_t i = 0; i < ARRAY_LEN(bodies); i++) {
        char key[24];
        snprintf(key, sizeof key, "bad-%zu", i);
        r = audit("JZ-03", key, bodies[i]);
        if (r.status != 400)
            fprintf(stderr, "audit body %zu: %ld %s\n", i, r.status, r.body);
        CHECK_PROBLEM(r, 400, "bad-request");
        CHECK(strstr(r.body, citizen0.id_number) == NULL);
        resp_fini(&r);
    }
    static const char *const missing[] = {
        "{\"staff_no\":\"0312\",\"action\":\"enter\",\"detail\":\"\"}",
        "{\"at\":\"2026-11-22T09:42:00Z\",\"action\":\"enter\",\"detail\":\"\"}",
        "{\"at\":\"2026-11-22T09:42:00Z\",\"staff_no\":\"\",\"detail\":\"\"}",
        "{\"at\":\"2026-11-22T09:42:00Z\",\"staff_no\":\"\",\"action\":\"exit\"}",
        "{\"at\":\"2026-02-30T09:42:00Z\",\"staff_no\":\"\",\"action\":\"exit\",\"detail\":\"\"}",
    };
    for (size_t i = 0; i < ARRAY_LEN(missing); i++) {
        char key[24];
        snprintf(key, sizeof key, "missing-%zu", i);
        r = audit("JZ-03", key, missing[i]);
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }
    r = audit("JZ-03", NULL, event(b, sizeof b, "0312", "exit", ""));
    CHECK_PROBLEM(r, 400, "bad-request"); /* no Idempotency-Key */
    resp_fini(&r);
    r = audit(NULL, "audit-9", b);
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);

    /* The trail: per kiosk, newest first, nothing of the refused. */
    items = trail("?kiosk=JZ-03", &root);
    CHECK_EQ_INT(cJSON_GetArraySize(items), 3);
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 0), "action"), "paper_refilled");
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 0), "detail"), "纸卷 80 mm");
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 1), "action"), "enter_refused");
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 1), "staff_no"), "");
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 2), "action"), "enter");
    cJSON_Delete(root);
    items = trail("?kiosk=JZ-03&limit=1", &root);
    CHECK_EQ_INT(cJSON_GetArraySize(items), 1);
    cJSON_Delete(root);
    items = trail("?kiosk=K-7", &root);
    CHECK_EQ_INT(cJSON_GetArraySize(items), 1);
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 0), "staff_no"), "0420");
    cJSON_Delete(root);
    items = trail("", &root); /* every kiosk */
    CHECK_EQ_INT(cJSON_GetArraySize(items), 4);
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 0), "kiosk"), "K-7");
    cJSON_Delete(root);
    items = trail("?kiosk=JZ-99", &root);
    CHECK_EQ_INT(cJSON_GetArraySize(items), 0);
    cJSON_Delete(root);
    static const char *const bad_queries[] = {"?limit=0", "?limit=201", "?limit=x",
                                              "?kiosk=JZ%2003"};
    for (size_t i = 0; i < ARRAY_LEN(bad_queries); i++) {
        char path[64];
        snprintf(path, sizeof path, "/v1/audit%s", bad_queries[i]);
        r = http((struct req){.path = path});
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    log_set_sink(log_capture, NULL);
    CHECK(demo_staff_get(0, &staff0) && demo_staff_get(1, &staff1));
    CHECK(demo_citizen_get(0, &citizen0));
    struct registry_config cfg = {
        .listen = "127.0.0.1:0", .db_path = registry_test_db(), .seed = true};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    if (!reg)
        return check_report("registry_staff_test");
    str_copy(base, sizeof base, registry_url(reg));
    test_staff_check();
    test_audit();
    registry_stop(reg);
    log_set_sink(NULL, NULL);

    /* The registry logged the checks, and never a number or a name. */
    const char *secrets[] = {staff0.id_number, staff1.id_number, citizen0.id_number, staff0.name,
                             staff1.name};
    bool logged_check = false;
    for (int i = 0; i < nlog; i++) {
        logged_check = logged_check || strstr(loglines[i], "staff check") != NULL;
        for (size_t k = 0; k < ARRAY_LEN(secrets); k++)
            if (strstr(loglines[i], secrets[k])) {
                fprintf(stderr, "log line leaks \"%s\": %s\n", secrets[k], loglines[i]);
                CHECK(0);
            }
    }
    CHECK(logged_check);
    curl_global_cleanup();
    return check_report("registry_staff_test");
}
