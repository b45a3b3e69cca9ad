/* registry_services_test.c - the service guide, the notice and calendar,
 * appointments and check-in, progress and the proof on a phone, on
 * bdc-registry over real HTTP on loopback.
 *
 * Starts the registry in-process on port 0 (in-memory database seeded with
 * the demo population) and plays kiosks with libcurl. The clock only moves
 * forward (clock_advance_ms), so the tests run in the order main lists
 * them. The booking race runs 16 client threads, each its own kiosk and
 * citizen, against the registry's HTTP thread; everything else is the test
 * thread alone.
 */
#include "base/clock.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry.h"
#include "registry/registry_calendar.h"
#include "registry/registry_services.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "registry_http.h"
#include "registry_test_db.h"

static atomic_int key_seq;

/* A fresh Idempotency-Key into k (at least 24 bytes). */
static const char *fresh_key(char *k, size_t size)
{
    snprintf(k, size, "s-%d", atomic_fetch_add(&key_seq, 1) + 1);
    return k;
}

static const char *next_key(void)
{
    static char k[24];
    return fresh_key(k, sizeof k);
}

/* The reply's body as JSON (owned), NULL if it is not JSON. */
static cJSON *body_json(const struct resp *r)
{
    return cJSON_Parse(r->body ? r->body : "");
}

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int jint(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valueint : -1;
}

/* ---- visits ---------------------------------------------------------------------- */

/* (session_body: registry_http.h) */

/* Opens a visit for demo citizen i at kiosk; the token into out. */
static bool open_visit(int i, const char *kiosk, char *out, size_t size)
{
    struct demo_citizen d;
    out[0] = '\0';
    if (!demo_citizen_get(i, &d))
        return false;
    char *b = session_body(&d);
    char key[24];
    struct resp r = http(
        (struct req){"POST", "/v1/sessions", kiosk, NULL, fresh_key(key, sizeof key), b, NULL});
    free(b);
    cJSON *j = body_json(&r);
    bool ok = r.status == 201 && str_copy(out, size, jstr(j, "session_token")) && out[0];
    cJSON_Delete(j);
    resp_fini(&r);
    return ok;
}

/* Demo citizens whose visits open (valid card, the comparison matches). */
static int usable[DEMO_CITIZENS];
static int usable_count;

static void find_usable(void)
{
    char today[11];
    struct clock_cst c;
    clock_to_cst(clock_wall_s() + 60 * 86400, &c); /* still valid in two months */
    snprintf(today, sizeof today, "%04d-%02d-%02d", c.year, c.month, c.day);
    for (int i = 0; i < demo_citizen_count(); i++) {
        struct demo_citizen d;
        if (demo_citizen_get(i, &d) && d.face == DEMO_FACE_MATCH &&
            (strcmp(d.valid_to, "长期") == 0 || strcmp(d.valid_to, today) > 0))
            usable[usable_count++] = i;
    }
}

/* ---- GET /v1/services ------------------------------------------------------------ */

static void test_guide(void)
{
    struct resp r = http((struct req){"GET", "/v1/services", "JZ-03"});
    CHECK_EQ_INT(r.status, 200);
    cJSON *j = body_json(&r);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
    CHECK_EQ_INT(cJSON_GetArraySize(items), 9);
    CHECK(jstr(j, "as_of")[0] != '\0');
    static const char *const codes[] = {"query",     "registration",       "mortgage",
                                        "seizure",   "cancellation",       "preregistration",
                                        "residence", "transfer_mortgaged", "correction"};
    for (size_t i = 0; i < ARRAY_LEN(codes); i++) {
        const cJSON *it, *found = NULL;
        cJSON_ArrayForEach(it, items) if (strcmp(jstr(it, "code"), codes[i]) == 0) found = it;
        CHECK(found != NULL);
        if (!found)
            continue;
        const cJSON *limit = cJSON_GetObjectItemCaseSensitive(found, "limit");
        const char *unit = jstr(limit, "unit");
        CHECK(strcmp(unit, "hours") == 0 || strcmp(unit, "working_days") == 0);
        CHECK(jint(limit, "value") >= 1);
        CHECK(strlen(jstr(found, "letter")) == 1);
        CHECK(jstr(found, "name")[0] && jstr(found, "summary")[0] &&
              jstr(found, "windows_text")[0] && jstr(found, "time_limit")[0]);
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(found, "materials");
        const cJSON *fees = cJSON_GetObjectItemCaseSensitive(found, "fees");
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(found, "fee_waivers");
        CHECK(cJSON_IsArray(m) && cJSON_GetArraySize(m) <= 8);
        CHECK(cJSON_IsArray(fees) && cJSON_GetArraySize(fees) <= 6);
        CHECK(cJSON_IsArray(w) && cJSON_GetArraySize(w) <= 4);
        const cJSON *f;
        cJSON_ArrayForEach(f, fees) CHECK(jstr(f, "item")[0] && jint(f, "amount_fen") >= 0);
        CHECK(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(found, "bookable")));
        CHECK(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(found, "walk_in")));
    }
    /* The 311 promise, and the fee rules. */
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        const cJSON *limit = cJSON_GetObjectItemCaseSensitive(it, "limit");
        const char *code = jstr(it, "code");
        if (strcmp(code, "registration") == 0) {
            CHECK_EQ_STR(jstr(limit, "unit"), "working_days");
            CHECK_EQ_INT(jint(limit, "value"), 3);
            const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(it, "fees"), 0);
            CHECK_EQ_INT(jint(f, "amount_fen"), 8000);
            const cJSON *w =
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(it, "fee_waivers"), 0);
            CHECK(cJSON_IsString(w) && strstr(w->valuestring, "小微企业") &&
                  strstr(w->valuestring, "个体工商户"));
        }
        if (strcmp(code, "mortgage") == 0) {
            CHECK_EQ_STR(jstr(limit, "unit"), "working_days");
            CHECK_EQ_INT(jint(limit, "value"), 1);
        }
        if (strcmp(code, "query") == 0 || strcmp(code, "seizure") == 0 ||
            strcmp(code, "cancellation") == 0) {
            CHECK_EQ_STR(jstr(limit, "unit"), "hours");
            CHECK_EQ_INT(jint(limit, "value"), 1);
        }
        /* Every walk-in service takes a queue number with its letter. */
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "walk_in"))) {
            char body[96], want[8];
            snprintf(body, sizeof body, "{\"kind\":\"walk_in\",\"service\":\"%s\"}", code);
            struct resp t =
                http((struct req){"POST", "/v1/tickets", "JZ-03", NULL, next_key(), body, NULL});
            CHECK_EQ_INT(t.status, 201);
            cJSON *tj = body_json(&t);
            snprintf(want, sizeof want, "%s001", jstr(it, "letter"));
            CHECK_EQ_STR(jstr(tj, "number"), want);
            CHECK_EQ_STR(jstr(tj, "time_limit"), jstr(it, "time_limit"));
            cJSON_Delete(tj);
            resp_fini(&t);
        }
    }
    cJSON_Delete(j);
    resp_fini(&r);
    /* The four new letters. */
    static const char *const fresh[][2] = {{"preregistration", "F"},
                                           {"residence", "G"},
                                           {"transfer_mortgaged", "H"},
                                           {"correction", "J"}};
    for (size_t i = 0; i < ARRAY_LEN(fresh); i++) {
        const struct registry_service *s = registry_service_find(fresh[i][0]);
        CHECK(s != NULL && strcmp(s->prefix, fresh[i][1]) == 0);
    }
    r = http((struct req){"GET", "/v1/services"});
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);
}

/* ---- the calendar the registry runs on ---------------------------------------------
 * The clock only moves forward, so the test cannot visit the 2026 notice
 * (tests/unit/registry_calendar_test.c does, as pure functions): it gives
 * the registry a calendar with a holiday "测试节" three to five days from
 * today and a worked Saturday after it, and reads the same file itself. */

static char cal_path[] = "/tmp/registry_services_cal_XXXXXX";
static struct registry_calendar cal;
static int holiday_from, holiday_to, holiday_worked;

static bool write_calendar(void)
{
    int today = registry_ymd_of(clock_wall_s());
    holiday_from = registry_ymd_add(today, 3);
    holiday_to = registry_ymd_add(today, 5);
    holiday_worked = 0;
    for (int d = registry_ymd_add(holiday_to, 1); d < registry_ymd_add(holiday_to, 8);
         d = registry_ymd_add(d, 1))
        if (registry_ymd_weekday(d) == 6 && d / 10000 == holiday_from / 10000)
            holiday_worked = d;
    int fd = mkstemp(cal_path);
    if (fd < 0)
        return false;
    FILE *f = fdopen(fd, "w");
    if (!f)
        return false;
    fprintf(f, "[%d]\nholiday = 测试节 %02d-%02d %02d-%02d\n", holiday_from / 10000,
            holiday_from / 100 % 100, holiday_from % 100, holiday_to / 100 % 100, holiday_to % 100);
    if (holiday_worked)
        fprintf(f, "worked = 测试节 %02d-%02d\n", holiday_worked / 100 % 100, holiday_worked % 100);
    fclose(f);
    char why[200];
    return registry_calendar_parse_file(cal_path, &cal, why, sizeof why) == 0;
}

static void test_calendar_and_notice(void)
{
    int today = registry_ymd_of(clock_wall_s());
    struct resp r = http((struct req){"GET", "/v1/calendar?days=14", "JZ-03"});
    CHECK_EQ_INT(r.status, 200);
    cJSON *j = body_json(&r);
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(j, "days");
    CHECK_EQ_INT(cJSON_GetArraySize(days), 14);
    int i = 0, holidays = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, days)
    {
        int ymd = registry_ymd_add(today, i++);
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
        CHECK_EQ_STR(jstr(d, "date"), date);
        bool working = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "working"));
        bool in_holiday = ymd >= holiday_from && ymd <= holiday_to;
        int wd = registry_ymd_weekday(ymd);
        CHECK(working == (!in_holiday && ((wd >= 1 && wd <= 5) || ymd == holiday_worked)));
        CHECK_EQ_STR(jstr(d, "name"), in_holiday              ? "测试节"
                                      : ymd == holiday_worked ? "调休上班"
                                                              : "");
        holidays += in_holiday;
    }
    CHECK_EQ_INT(holidays, 3);
    cJSON_Delete(j);
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/calendar?from=2026-09-28&days=62", "JZ-03"});
    CHECK_EQ_INT(r.status, 200);
    resp_fini(&r);
    static const char *const bad[] = {"/v1/calendar?days=0", "/v1/calendar?days=63",
                                      "/v1/calendar?from=2026-02-30", "/v1/calendar?from=soon",
                                      "/v1/calendar?days=x"};
    for (size_t k = 0; k < ARRAY_LEN(bad); k++) {
        r = http((struct req){"GET", bad[k], "JZ-03"});
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }

    r = http((struct req){"GET", "/v1/notice", "JZ-03"});
    CHECK_EQ_INT(r.status, 200);
    j = body_json(&r);
    const char *notice = jstr(j, "notice");
    char start[32];
    snprintf(start, sizeof start, "%d月%d日至", holiday_from / 100 % 100, holiday_from % 100);
    CHECK(strstr(notice, start) == notice);
    CHECK(strstr(notice, "测试节假期，窗口暂停服务") != NULL);
    if (holiday_worked) {
        char worked[48];
        snprintf(worked, sizeof worked, "%d月%d日（周六）正常上班。", holiday_worked / 100 % 100,
                 holiday_worked % 100);
        CHECK(strstr(notice, worked) != NULL);
    }
    char want[600];
    registry_calendar_notice(&cal, today, want, sizeof want);
    CHECK_EQ_STR(notice, want);
    CHECK(utf8_len(notice) <= 200);
    const cJSON *hours = cJSON_GetObjectItemCaseSensitive(j, "hours");
    CHECK(cJSON_GetArraySize(hours) >= 1 && cJSON_GetArraySize(hours) <= 4);
    CHECK(strstr(jstr(cJSON_GetArrayItem(hours, 0), "text"), "13:30") != NULL);
    const cJSON *open = cJSON_GetObjectItemCaseSensitive(j, "open_now");
    CHECK(cJSON_IsBool(open));
    CHECK(cJSON_IsTrue(open) == registry_calendar_open_at(&cal, clock_wall_s()));
    cJSON_Delete(j);
    resp_fini(&r);
}

/* ---- progress ----------------------------------------------------------------------- */

/* Epoch seconds of an ISO time "2026-11-20T10:12:00+08:00"; 0 if not one. */
static int64_t iso_time(const char *s)
{
    int y, mo, d, h, mi, se;
    if (strlen(s) != 25 || strcmp(s + 19, "+08:00") != 0 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
        return 0;
    return registry_ymd_at(y * 10000 + mo * 100 + d, h, mi) + se;
}

/* Checks one application object against the calendar; its state into
 * state (at least 16 bytes). */
static void check_application(const cJSON *a, bool with_location, char *state)
{
    const struct registry_service *s = registry_service_find(jstr(a, "service"));
    CHECK(s != NULL);
    if (!s)
        return;
    str_copy(state, 16, jstr(a, "state"));
    bool finished =
        strcmp(state, "ready") == 0 || strcmp(state, "done") == 0 || strcmp(state, "rejected") == 0;
    CHECK(strncmp(jstr(a, "receipt"), "JZ", 2) == 0);
    CHECK_EQ_STR(jstr(a, "service_name"), s->name);
    CHECK(jstr(a, "state_text")[0] != '\0');
    const cJSON *limit = cJSON_GetObjectItemCaseSensitive(a, "limit");
    CHECK_EQ_STR(jstr(limit, "unit"), s->limit_unit);
    CHECK_EQ_INT(jint(limit, "value"), s->limit_value);
    int64_t at = iso_time(jstr(a, "accepted_at")), now = clock_wall_s();
    CHECK(at > 0 && at <= now);
    bool hours = strcmp(s->limit_unit, "hours") == 0;
    int64_t due = registry_calendar_due(&cal, at, hours, s->limit_value);
    char want[32];
    clock_format_iso(due, want, sizeof want);
    CHECK_EQ_STR(jstr(a, "due_at"), want);
    const cJSON *overdue = cJSON_GetObjectItemCaseSensitive(a, "overdue");
    CHECK(cJSON_IsBool(overdue) && cJSON_IsTrue(overdue) == (!finished && now > due));
    const cJSON *rem = cJSON_GetObjectItemCaseSensitive(a, "remaining");
    if (!finished) {
        struct registry_left l = registry_calendar_remaining(&cal, due, hours, now);
        CHECK_EQ_STR(jstr(rem, "unit"), l.hours ? "hours" : "working_days");
        CHECK_EQ_INT(jint(rem, "value"), l.value);
    } else {
        CHECK_EQ_INT(jint(rem, "value"), 0);
    }
    CHECK((cJSON_GetObjectItemCaseSensitive(a, "location") != NULL) == with_location);
}

static char receipt_recent[32]; /* citizen 3's application, accepted an hour before the seed */

static void test_progress(void)
{
    static const int citizens[] = {0, 1, 2, 3, 4, 11, 12};
    char states[8][16];
    int nstates = 0;
    char receipt0[32] = "";
    for (size_t i = 0; i < ARRAY_LEN(citizens); i++) {
        char token[64];
        CHECK(open_visit(citizens[i], "JZ-03", token, sizeof token));
        struct resp r = http((struct req){"GET", "/v1/applications", "JZ-03", token});
        CHECK_EQ_INT(r.status, 200);
        cJSON *j = body_json(&r);
        CHECK(jstr(j, "as_of")[0] != '\0');
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items"), *a;
        CHECK(cJSON_IsArray(items));
        struct demo_citizen d;
        demo_citizen_get(citizens[i], &d);
        CHECK(strstr(r.body, d.id_number) == NULL);
        cJSON_ArrayForEach(a, items)
        {
            char st[16];
            check_application(a, true, st);
            bool seen = false;
            for (int k = 0; k < nstates; k++)
                seen |= strcmp(states[k], st) == 0;
            if (!seen && nstates < 8)
                str_copy(states[nstates++], sizeof states[0], st);
            bool overdue = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "overdue"));
            if (citizens[i] == 0 && strcmp(jstr(a, "service"), "registration") == 0) {
                CHECK(!overdue); /* accepted the working day before */
                CHECK(jstr(a, "location")[0] != '\0');
                str_copy(receipt0, sizeof receipt0, jstr(a, "receipt"));
            }
            if (citizens[i] == 1) {
                CHECK(overdue); /* accepted eight working days before, 3 promised */
                CHECK_EQ_INT(jint(cJSON_GetObjectItemCaseSensitive(a, "remaining"), "value"), 0);
            }
            if (citizens[i] == 3) {
                CHECK(!overdue); /* accepted an hour ago */
                CHECK_EQ_STR(jstr(a, "state"), "accepted");
                str_copy(receipt_recent, sizeof receipt_recent, jstr(a, "receipt"));
            }
        }
        int want = citizens[i] == 0 ? 2 : citizens[i] == 4 ? 0 : 1;
        CHECK_EQ_INT(cJSON_GetArraySize(items), want);
        cJSON_Delete(j);
        resp_fini(&r);
    }
    CHECK_EQ_INT(nstates, 6); /* accepted, reviewing, registering, ready, done, rejected */

    /* By receipt: no visit, nothing personal. */
    char path[96];
    snprintf(path, sizeof path, "/v1/applications/%s", receipt0);
    struct resp r = http((struct req){"GET", path, "JZ-05"});
    CHECK_EQ_INT(r.status, 200);
    cJSON *j = body_json(&r);
    char st[16];
    check_application(j, false, st);
    CHECK_EQ_STR(jstr(j, "receipt"), receipt0);
    CHECK_EQ_STR(st, "reviewing");
    cJSON_Delete(j);
    resp_fini(&r);
    r = http((struct req){"GET", path});
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/applications/JZ20260101-99999", "JZ-05"});
    CHECK_PROBLEM(r, 404, "not-found");
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/applications", "JZ-05"});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
}

/* After the clock moved past its due time, the recent application is
 * overdue. */
static void test_progress_overdue(void)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/applications/%s", receipt_recent);
    struct resp r = http((struct req){"GET", path, "JZ-05"});
    cJSON *j = body_json(&r);
    int64_t due = iso_time(jstr(j, "due_at"));
    cJSON_Delete(j);
    resp_fini(&r);
    CHECK(due > 0);
    if (due >= clock_wall_s())
        clock_advance_ms((due - clock_wall_s() + 3600) * 1000);
    r = http((struct req){"GET", path, "JZ-05"});
    j = body_json(&r);
    char st[16];
    check_application(j, false, st);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "overdue")));
    const cJSON *rem = cJSON_GetObjectItemCaseSensitive(j, "remaining");
    CHECK_EQ_INT(jint(rem, "value"), 0);
    cJSON_Delete(j);
    resp_fini(&r);
}

/* ---- the proof on a phone ------------------------------------------------------------ */

static void test_links(void)
{
    char token[64], other[64];
    CHECK(open_visit(0, "JZ-03", token, sizeof token));
    struct resp r = http((struct req){"POST", "/v1/certificates", "JZ-03", token, next_key(),
                                      "{\"kind\":\"query\",\"purpose\":\"办理贷款\"}", NULL});
    CHECK_EQ_INT(r.status, 201);
    cJSON *cert = body_json(&r);
    resp_fini(&r);
    char number[32], unit[40];
    str_copy(number, sizeof number, jstr(cert, "number"));
    str_copy(unit, sizeof unit,
             jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cert, "items"), 0),
                  "unit_number"));
    cJSON_Delete(cert);
    CHECK(unit[0] != '\0');

    char path[96];
    snprintf(path, sizeof path, "/v1/certificates/%s/link", number);
    int64_t now = clock_wall_s();
    r = http((struct req){"POST", path, "JZ-03", token, next_key(), "", NULL});
    CHECK_EQ_INT(r.status, 201);
    cJSON *j = body_json(&r);
    const char *url = jstr(j, "url");
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s/e/", base);
    CHECK(strncmp(url, prefix, strlen(prefix)) == 0);
    int64_t exp = iso_time(jstr(j, "expires_at"));
    CHECK(exp >= now + 600 - 2 && exp <= now + 600 + 2);
    char page[96];
    str_copy(page, sizeof page, url + strlen(base));
    cJSON_Delete(j);
    resp_fini(&r);

    /* From any device, no kiosk: the proof with its records in full. */
    r = http((struct req){"GET", page});
    CHECK_EQ_INT(r.status, 200);
    CHECK(strncmp(r.ctype, "text/html", 9) == 0);
    CHECK(strstr(r.body, number) != NULL);
    CHECK(strstr(r.body, unit) != NULL);
    CHECK(strstr(r.body, "权利性质") != NULL);
    resp_fini(&r);

    /* Only the visit that issued it; only a proof that exists. */
    CHECK(open_visit(0, "JZ-03", other, sizeof other));
    r = http((struct req){"POST", path, "JZ-03", other, next_key(), "", NULL});
    CHECK_PROBLEM(r, 404, "not-found");
    resp_fini(&r);
    r = http((struct req){"POST", "/v1/certificates/JZCX-2222-3333-4444/link", "JZ-03", token,
                          next_key(), "", NULL});
    CHECK_PROBLEM(r, 404, "not-found");
    resp_fini(&r);
    r = http((struct req){"POST", path, "JZ-03", NULL, next_key(), "", NULL});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
    r = http((struct req){"GET", "/e/AAAAAAAAAAAA"});
    CHECK_EQ_INT(r.status, 404);
    resp_fini(&r);

    /* Ten minutes later the link is gone. */
    clock_advance_ms(9 * 60 * 1000);
    r = http((struct req){"GET", page});
    CHECK_EQ_INT(r.status, 200);
    resp_fini(&r);
    clock_advance_ms(61 * 1000);
    r = http((struct req){"GET", page});
    CHECK_EQ_INT(r.status, 404);
    CHECK(strstr(r.body, number) == NULL);
    resp_fini(&r);
}

/* ---- ratings with a reference -------------------------------------------------------- */

static void test_rating_refs(void)
{
    static const struct {
        const char *body;
        int status;
    } cases[] = {
        {"{\"level\":5,\"service\":\"query\",\"ref\":{\"kind\":\"ticket\",\"id\":\"C023\"}}", 201},
        {"{\"level\":2,\"service\":\"registration\",\"reasons\":[\"等待时间长\"],"
         "\"ref\":{\"kind\":\"appointment\",\"id\":\"YA7Q4M9K2\"}}",
         201},
        {"{\"level\":4,\"service\":\"query\",\"ref\":{\"kind\":\"certificate\","
         "\"id\":\"JZCX-7Q4M-9K2T-XW3P\"}}",
         201},
        {"{\"level\":4,\"service\":\"query\"}", 201},
        {"{\"level\":4,\"service\":\"query\",\"ref\":{\"kind\":\"visit\",\"id\":\"x\"}}", 400},
        {"{\"level\":4,\"service\":\"query\",\"ref\":{\"kind\":\"ticket\",\"id\":\"\"}}", 400},
        {"{\"level\":4,\"service\":\"query\",\"ref\":{\"kind\":\"ticket\"}}", 400},
        {"{\"level\":4,\"service\":\"query\",\"ref\":\"C023\"}", 400},
        {"{\"level\":4,\"service\":\"query\",\"ref\":{\"kind\":\"ticket\",\"id\":"
         "\"0123456789012345678901234567890123456789012345678901234567890123456789\"}}",
         400},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct resp r = http((struct req){"POST", "/v1/ratings", "JZ-03", "s_expired", next_key(),
                                          cases[i].body, NULL});
        if (cases[i].status == 201) {
            CHECK_EQ_INT(r.status, 201);
            CHECK(strstr(r.body, "\"id\":\"r-") != NULL);
        } else {
            CHECK_PROBLEM(r, 400, "bad-request");
        }
        resp_fini(&r);
    }
}

/* ---- appointments ----------------------------------------------------------------- */

#define PHONE "13812345678"

static char tokens[DEMO_CITIZENS][64]; /* by position in usable[] */

/* Opens (again) the visit of usable citizen k at its own kiosk "K-k". */
static const char *visit(int k)
{
    char kiosk[16];
    snprintf(kiosk, sizeof kiosk, "K-%d", k);
    CHECK(open_visit(usable[k], kiosk, tokens[k], sizeof tokens[k]));
    return tokens[k];
}

static const char *kiosk_of(int k)
{
    static char kiosk[16];
    snprintf(kiosk, sizeof kiosk, "K-%d", k);
    return kiosk;
}

static struct resp book(int k, const char *key, const char *service, const char *slot,
                        const char *phone)
{
    char body[160], kiosk[16], fresh[24];
    snprintf(body, sizeof body, "{\"service\":\"%s\",\"slot\":\"%s\",\"phone\":\"%s\"}", service,
             slot, phone);
    snprintf(kiosk, sizeof kiosk, "K-%d", k);
    return http((struct req){"POST", "/v1/appointments", kiosk, tokens[k],
                             key ? key : fresh_key(fresh, sizeof fresh), body, NULL});
}

/* Remaining places of slot id of service; -1 if it is not listed. */
static int remaining(const char *service, const char *id)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/appointments/slots?service=%s&days=10", service);
    struct resp r = http((struct req){"GET", path, "JZ-03"});
    cJSON *j = body_json(&r);
    int n = -1;
    const cJSON *d, *sl;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(j, "days"))
        cJSON_ArrayForEach(sl, cJSON_GetObjectItemCaseSensitive(d, "slots"))
    {
        if (strcmp(jstr(sl, "id"), id) == 0)
            n = jint(sl, "remaining");
    }
    cJSON_Delete(j);
    resp_fini(&r);
    return n;
}

static int first_day;   /* the first bookable day, YYYYMMDD */
static char slot9[24];  /* its 09:00 slot */
static char slot10[24]; /* its 10:00 slot */
static char code9[16];  /* a registration booking at 09:00 (citizen 1) */
static char code9b[16]; /* another one (citizen 2) */
static char code10[16]; /* a registration booking at 10:00 (citizen 6) */

static void test_slots(void)
{
    const struct registry_service *reg = registry_service_find("registration");
    CHECK(reg && reg->bookable && reg->capacity >= 2);
    if (!reg)
        return;
    int today = registry_ymd_of(clock_wall_s());
    struct resp r =
        http((struct req){"GET", "/v1/appointments/slots?service=registration", "JZ-03"});
    CHECK_EQ_INT(r.status, 200);
    cJSON *j = body_json(&r);
    CHECK_EQ_STR(jstr(j, "service"), "registration");
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(j, "days");
    CHECK_EQ_INT(cJSON_GetArraySize(days), 5);
    int prev = today;
    const cJSON *d;
    cJSON_ArrayForEach(d, days)
    {
        /* The next working days from tomorrow: the holiday is skipped. */
        int want = registry_calendar_next_working(&cal, prev);
        char date[16];
        snprintf(date, sizeof date, "%04d-%02d-%02d", want / 10000, want / 100 % 100, want % 100);
        CHECK_EQ_STR(jstr(d, "date"), date);
        CHECK(want < holiday_from || want > holiday_to);
        CHECK_EQ_STR(jstr(d, "weekday"), registry_weekday_name(want));
        const cJSON *slots = cJSON_GetObjectItemCaseSensitive(d, "slots");
        CHECK_EQ_INT(cJSON_GetArraySize(slots), 6);
        const cJSON *first = cJSON_GetArrayItem(slots, 0), *last = cJSON_GetArrayItem(slots, 5);
        char id[32];
        snprintf(id, sizeof id, "%sT09:00", date);
        CHECK_EQ_STR(jstr(first, "id"), id);
        CHECK_EQ_STR(jstr(first, "end"), "10:00");
        CHECK_EQ_STR(jstr(last, "start"), "15:30");
        CHECK_EQ_STR(jstr(last, "end"), "17:00");
        CHECK_EQ_INT(jint(first, "capacity"), reg->capacity);
        CHECK_EQ_INT(jint(first, "remaining"), reg->capacity);
        if (prev == today) {
            first_day = want;
            snprintf(slot9, sizeof slot9, "%sT09:00", date);
            snprintf(slot10, sizeof slot10, "%sT10:00", date);
        }
        prev = want;
    }
    cJSON_Delete(j);
    resp_fini(&r);
    static const char *const bad[] = {
        "/v1/appointments/slots?service=query", "/v1/appointments/slots?service=lottery",
        "/v1/appointments/slots", "/v1/appointments/slots?service=mortgage&days=0",
        "/v1/appointments/slots?service=mortgage&days=11"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = http((struct req){"GET", bad[i], "JZ-03"});
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }
}

static void test_booking(void)
{
    const struct registry_service *reg = registry_service_find("registration");
    if (!reg || !first_day)
        return;
    for (int k = 0; k < 24; k++)
        visit(k);
    /* Book until full: citizens 1 .. capacity. */
    for (int k = 1; k <= reg->capacity; k++) {
        struct resp r = book(k, NULL, "registration", slot9, PHONE);
        CHECK_EQ_INT(r.status, 201);
        cJSON *j = body_json(&r);
        const char *code = jstr(j, "code");
        CHECK(strlen(code) == 9 && code[0] == 'Y' &&
              strspn(code + 1, "23456789ABCDEFGHJKLMNPQRSTUVWXYZ") == 8);
        char number[24];
        snprintf(number, sizeof number, "A-%02d%02d-%02d", first_day / 100 % 100, first_day % 100,
                 k);
        CHECK_EQ_STR(jstr(j, "number"), number);
        CHECK_EQ_STR(jstr(j, "phone_masked"), "138****5678");
        CHECK_EQ_STR(jstr(j, "state"), "booked");
        CHECK_EQ_STR(jstr(j, "start"), "09:00");
        CHECK_EQ_STR(jstr(j, "end"), "10:00");
        CHECK_EQ_STR(jstr(j, "service_name"), reg->name);
        CHECK(strstr(jstr(j, "follow_url"), code) != NULL);
        CHECK(strstr(r.body, PHONE) == NULL);
        struct demo_citizen dc;
        demo_citizen_get(usable[k], &dc);
        CHECK(strstr(r.body, dc.id_number) == NULL);
        if (k == 1)
            str_copy(code9, sizeof code9, code);
        if (k == 2)
            str_copy(code9b, sizeof code9b, code);
        cJSON_Delete(j);
        resp_fini(&r);
        CHECK_EQ_INT(remaining("registration", slot9), reg->capacity - k);
    }
    struct resp r = book(reg->capacity + 1, NULL, "registration", slot9, PHONE);
    CHECK_PROBLEM(r, 409, "slot-full");
    resp_fini(&r);
    CHECK_EQ_INT(remaining("registration", slot9), 0);

    /* One active booking per citizen per service; another service is fine. */
    r = book(1, NULL, "registration", slot10, PHONE);
    CHECK_PROBLEM(r, 409, "already-booked");
    CHECK(strstr(r.body, code9) != NULL);
    resp_fini(&r);
    CHECK_EQ_INT(remaining("registration", slot10), reg->capacity);

    /* A retry with the same key is the same booking, not a second one. */
    struct resp a = book(6, "retry-6", "registration", slot10, PHONE);
    struct resp b = book(6, "retry-6", "registration", slot10, PHONE);
    CHECK_EQ_INT(a.status, 201);
    CHECK_EQ_INT(b.status, 201);
    CHECK_EQ_STR(a.body, b.body);
    cJSON *j = body_json(&a);
    str_copy(code10, sizeof code10, jstr(j, "code"));
    cJSON_Delete(j);
    resp_fini(&a);
    resp_fini(&b);
    CHECK_EQ_INT(remaining("registration", slot10), reg->capacity - 1);

    /* What is wrong with a booking. */
    char holiday_slot[32], today_slot[32], odd_slot[32];
    snprintf(holiday_slot, sizeof holiday_slot, "%04d-%02d-%02dT09:00", holiday_from / 10000,
             holiday_from / 100 % 100, holiday_from % 100);
    int today = registry_ymd_of(clock_wall_s());
    snprintf(today_slot, sizeof today_slot, "%04d-%02d-%02dT09:00", today / 10000,
             today / 100 % 100, today % 100);
    snprintf(odd_slot, sizeof odd_slot, "%.10sT09:30", slot9);
    static const struct {
        const char *service, *slot, *phone;
        int status;
        const char *type;
    } cases[] = {
        {"mortgage", NULL, "12345678901", 422, "phone-invalid"},
        {"mortgage", NULL, "1381234567", 422, "phone-invalid"},
        {"mortgage", NULL, "138123456789", 422, "phone-invalid"},
        {"mortgage", NULL, "1381234567a", 422, "phone-invalid"},
        {"mortgage", "", PHONE, 404, "not-found"}, /* holiday */
        {"mortgage", "", PHONE, 404, "not-found"}, /* today */
        {"mortgage", "", PHONE, 404, "not-found"}, /* 09:30 */
        {"mortgage", "2026-11-23 09:00", PHONE, 400, "bad-request"},
        {"query", NULL, PHONE, 400, "bad-request"},
        {"lottery", NULL, PHONE, 400, "bad-request"},
    };
    const char *slots_of[] = {holiday_slot, today_slot, odd_slot};
    int odd = 0;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *slot = cases[i].slot ? cases[i].slot : slot9;
        if (cases[i].slot && !cases[i].slot[0])
            slot = slots_of[odd++];
        r = book(7, NULL, cases[i].service, slot, cases[i].phone);
        CHECK_PROBLEM(r, cases[i].status, cases[i].type);
        CHECK(strstr(r.body, cases[i].phone) == NULL);
        resp_fini(&r);
    }
    r = http((struct req){
        "POST", "/v1/appointments", "K-7", NULL, next_key(),
        "{\"service\":\"mortgage\",\"slot\":\"2026-11-23T09:00\",\"phone\":\"" PHONE "\"}", NULL});
    CHECK_PROBLEM(r, 401, "session-expired");
    resp_fini(&r);
    r = http((struct req){"POST", "/v1/appointments", "K-7", tokens[7], next_key(),
                          "{\"service\":\"mortgage\"}", NULL});
    CHECK_PROBLEM(r, 400, "bad-request");
    resp_fini(&r);

    /* The citizen's list; cancel returns the place. */
    r = http((struct req){"GET", "/v1/appointments", "K-1", tokens[1]});
    CHECK_EQ_INT(r.status, 200);
    j = body_json(&r);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
    CHECK_EQ_INT(cJSON_GetArraySize(items), 1);
    CHECK_EQ_STR(jstr(cJSON_GetArrayItem(items, 0), "code"), code9);
    CHECK(strstr(r.body, PHONE) == NULL);
    cJSON_Delete(j);
    resp_fini(&r);
    char path[64];
    snprintf(path, sizeof path, "/v1/appointments/%s", code9b);
    r = http((struct req){"DELETE", path, "K-1", tokens[1], next_key()});
    CHECK_PROBLEM(r, 404, "not-found"); /* not citizen 1's */
    resp_fini(&r);
    int cap = reg->capacity;
    r = http((struct req){"DELETE", path, "K-2", tokens[2], next_key()});
    CHECK_EQ_INT(r.status, 204);
    resp_fini(&r);
    CHECK_EQ_INT(remaining("registration", slot9), 1);
    r = http((struct req){"DELETE", path, "K-2", tokens[2], next_key()});
    CHECK_PROBLEM(r, 404, "not-found");
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/appointments", "K-2", tokens[2]});
    CHECK(strstr(r.body, "\"state\":\"cancelled\"") != NULL);
    resp_fini(&r);
    r = book(cap + 1, NULL, "registration", slot9, PHONE);
    CHECK_EQ_INT(r.status, 201);
    j = body_json(&r);
    str_copy(code9b, sizeof code9b, jstr(j, "code"));
    cJSON_Delete(j);
    resp_fini(&r);
    CHECK_EQ_INT(remaining("registration", slot9), 0);
}

/* ---- the race for the last place --------------------------------------------------- */

#define RACERS 16

struct racer {
    int k;
    pthread_barrier_t *start;
    const char *slot;
    long status;
    char type[64];
};

static int race_winner = -1; /* the citizen who took the last place: booked on a later day */

static void *race(void *arg)
{
    struct racer *x = arg;
    char body[160], key[24];
    snprintf(body, sizeof body, "{\"service\":\"mortgage\",\"slot\":\"%s\",\"phone\":\"%s\"}",
             x->slot, PHONE);
    snprintf(key, sizeof key, "race-%d", x->k);
    char kiosk[16];
    snprintf(kiosk, sizeof kiosk, "K-%d", x->k);
    pthread_barrier_wait(x->start);
    struct resp r =
        http((struct req){"POST", "/v1/appointments", kiosk, tokens[x->k], key, body, NULL});
    x->status = r.status;
    problem_type(&r, x->type, sizeof x->type);
    resp_fini(&r);
    return NULL;
}

static void test_race(void)
{
    const struct registry_service *m = registry_service_find("mortgage");
    if (!m || !first_day)
        return;
    /* On the second bookable day, out of the way of the check-in test. */
    char slot[32];
    int day = registry_calendar_next_working(&cal, first_day);
    snprintf(slot, sizeof slot, "%04d-%02d-%02dT11:00", day / 10000, day / 100 % 100, day % 100);
    /* Citizens 16.. fill all but one place. */
    for (int k = 16; k < 16 + m->capacity - 1; k++) {
        struct resp r = book(k, NULL, "mortgage", slot, PHONE);
        CHECK_EQ_INT(r.status, 201);
        resp_fini(&r);
    }
    CHECK_EQ_INT(remaining("mortgage", slot), 1);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACERS);
    struct racer xs[RACERS];
    pthread_t th[RACERS];
    for (int i = 0; i < RACERS; i++) {
        xs[i] = (struct racer){.k = i, .start = &start, .slot = slot};
        pthread_create(&th[i], NULL, race, &xs[i]);
    }
    int won = 0, full = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(th[i], NULL);
        won += xs[i].status == 201;
        if (xs[i].status == 201)
            race_winner = xs[i].k;
        full += xs[i].status == 409 && strcmp(xs[i].type, "slot-full") == 0;
    }
    pthread_barrier_destroy(&start);
    CHECK_EQ_INT(won, 1);
    CHECK_EQ_INT(full, RACERS - 1);
    CHECK_EQ_INT(remaining("mortgage", slot), 0);
}

/* ---- check-in ---------------------------------------------------------------------- */

static struct resp check_in(int k, const char *code)
{
    char body[96];
    if (code)
        snprintf(body, sizeof body, "{\"kind\":\"appointment\",\"appointment_code\":\"%s\"}", code);
    else
        snprintf(body, sizeof body, "{\"kind\":\"appointment\"}");
    return http((struct req){"POST", "/v1/tickets", kiosk_of(k), code ? NULL : tokens[k],
                             next_key(), body, NULL});
}

static const char *title_of(const struct resp *r, char *out, size_t size)
{
    cJSON *j = body_json(r);
    str_copy(out, size, jstr(j, "title"));
    cJSON_Delete(j);
    return out;
}

/* Moves the clock to hh:mm of ymd (forward only). */
static void advance_to(int ymd, int hh, int mm)
{
    int64_t target = registry_ymd_at(ymd, hh, mm), now = clock_wall_s();
    CHECK(target > now);
    if (target > now)
        clock_advance_ms((target - now) * 1000);
}

static void test_check_in(void)
{
    if (!first_day || !code9[0])
        return;
    /* The day before: too early, the title says when (date and time). */
    visit(1);
    char title[128];
    struct resp r = check_in(1, code9);
    CHECK_PROBLEM(r, 422, "too-early");
    CHECK(strstr(title_of(&r, title, sizeof title), "08:30 后签到") != NULL);
    resp_fini(&r);
    /* By the visit alone, the same: the booking of a later day says its day. */
    r = check_in(1, NULL);
    CHECK_PROBLEM(r, 422, "too-early");
    CHECK(strstr(title_of(&r, title, sizeof title), "日 08:30 后签到") != NULL);
    resp_fini(&r);

    advance_to(first_day, 8, 0);
    visit(1);
    r = check_in(1, NULL);
    CHECK_PROBLEM(r, 422, "too-early");
    CHECK_EQ_STR(title_of(&r, title, sizeof title), "请于 08:30 后签到");
    resp_fini(&r);

    /* a citizen with no booking at all: not the one who won the race */
    int none = race_winner == 8 ? 9 : 8;
    advance_to(first_day, 8, 45);
    visit(1);
    visit(3);
    visit(6);
    visit(none);
    r = check_in(1, NULL);
    CHECK_EQ_INT(r.status, 201);
    cJSON *j = body_json(&r);
    CHECK_EQ_STR(jstr(j, "number"), "A501");
    CHECK_EQ_STR(jstr(j, "appointment"), "09:00–10:00");
    CHECK_EQ_INT(jint(j, "ahead"), 0);
    CHECK_EQ_STR(jstr(j, "service"), "registration");
    cJSON_Delete(j);
    resp_fini(&r);
    /* Twice, by visit or by code: the same number. */
    r = check_in(1, NULL);
    CHECK_EQ_INT(r.status, 201);
    CHECK(strstr(r.body, "\"number\":\"A501\"") != NULL);
    resp_fini(&r);
    r = check_in(1, code9);
    CHECK(strstr(r.body, "\"number\":\"A501\"") != NULL);
    resp_fini(&r);
    /* Another booking of the slot: the next priority number, one ahead. */
    r = check_in(3, NULL);
    CHECK_EQ_INT(r.status, 201);
    j = body_json(&r);
    CHECK_EQ_STR(jstr(j, "number"), "A502");
    CHECK_EQ_INT(jint(j, "ahead"), 1);
    cJSON_Delete(j);
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/appointments", "K-1", tokens[1]});
    CHECK(strstr(r.body, "\"state\":\"checked_in\"") != NULL);
    resp_fini(&r);
    /* A walk-in number still counts from 001. */
    r = http((struct req){"POST", "/v1/tickets", "JZ-03", NULL, next_key(),
                          "{\"kind\":\"walk_in\",\"service\":\"registration\"}", NULL});
    CHECK(strstr(r.body, "\"number\":\"A001\"") != NULL);
    resp_fini(&r);
    /* No booking today; an unknown code; no code and no visit. */
    r = check_in(none, NULL);
    CHECK_PROBLEM(r, 404, "no-appointment");
    resp_fini(&r);
    r = check_in(none, "YAAAAAAAA");
    CHECK_PROBLEM(r, 404, "not-found");
    resp_fini(&r);
    r = http((struct req){"POST", "/v1/tickets", "JZ-03", NULL, next_key(),
                          "{\"kind\":\"appointment\"}", NULL});
    CHECK_PROBLEM(r, 400, "bad-request");
    resp_fini(&r);

    /* Citizen 6's 10:00 booking, after 11:00: missed. */
    advance_to(first_day, 11, 5);
    visit(6);
    r = check_in(6, NULL);
    CHECK_PROBLEM(r, 422, "appointment-missed");
    resp_fini(&r);
    r = check_in(6, code10);
    CHECK_PROBLEM(r, 422, "appointment-missed");
    resp_fini(&r);
    r = http((struct req){"GET", "/v1/appointments", "K-6", tokens[6]});
    CHECK(strstr(r.body, "\"state\":\"missed\"") != NULL);
    resp_fini(&r);
    /* A missed booking no longer blocks a new one. */
    char later[32];
    int next = registry_calendar_next_working(&cal, first_day);
    snprintf(later, sizeof later, "%04d-%02d-%02dT14:30", next / 10000, next / 100 % 100,
             next % 100);
    r = book(6, NULL, "registration", later, PHONE);
    CHECK_EQ_INT(r.status, 201);
    resp_fini(&r);
    /* Checked in earlier: the same number even after the slot. */
    visit(1);
    r = check_in(1, NULL);
    CHECK(strstr(r.body, "\"number\":\"A501\"") != NULL);
    resp_fini(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* Not near midnight, so "today" stays today while a test runs. */
    struct clock_cst c;
    clock_to_cst(clock_wall_s(), &c);
    if (c.hour >= 22)
        clock_advance_ms((int64_t)(24 - c.hour + 1) * 3600 * 1000);
    CHECK(write_calendar());
    struct registry_config cfg = {
        .listen = "127.0.0.1:0", .db_path = registry_test_db(), .seed = true, .calendar = cal_path};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    if (!reg)
        return check_report("registry_services_test");
    str_copy(base, sizeof base, registry_url(reg));
    find_usable();
    CHECK(usable_count >= 24);
    char token[64];
    CHECK(usable_count > 0 && open_visit(usable[0], "JZ-03", token, sizeof token));
    test_guide();
    test_calendar_and_notice();
    test_progress();
    test_links();
    test_rating_refs();
    test_slots();
    test_booking();
    test_race();
    test_check_in(); /* these move the clock: last */
    test_progress_overdue();
    registry_stop(reg);
    unlink(cal_path);
    curl_global_cleanup();
    return check_report("registry_services_test");
}
