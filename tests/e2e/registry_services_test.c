/* registry_services_test.c - the hall's services on bdc-registry over real
 * HTTP on loopback: the guide, the notice and calendar, booking (capacity,
 * one booking per citizen and service, the last place raced for by many
 * kiosks at once, idempotent retries, cancel), check-in for a priority
 * number (early, in the window, twice, late), and the progress of
 * applications (states, the overdue one, a receipt looked up without a
 * visit). The registry runs in-process on port 0 with an in-memory
 * database and the demo population; the test moves the clock.
 */
#include "base/clock.h"
#include "base/util.h"
#include "demo/demo.h"
#include "registry/registry.h"
#include "registry/registry_calendar.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>

#include "registry_http.h"

static int key_seq;

static const char *next_key(void)
{
    static char k[32];
    snprintf(k, sizeof k, "s-%d", ++key_seq);
    return k;
}

/* Opens a visit of demo citizen i from kiosk; the token into out. */
static bool open_visit(const char *kiosk, int i, char *out, size_t size)
{
    struct demo_citizen d;
    if (!demo_citizen_get(i, &d))
        return false;
    char *b = session_body(&d);
    char key[32];
    snprintf(key, sizeof key, "v-%s-%d-%d", kiosk, i, ++key_seq);
    struct resp r = http((struct req){
        .method = "POST", .path = "/v1/sessions", .kiosk = kiosk, .key = key, .body = b});
    free(b);
    cJSON *j = cJSON_Parse(r.body);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "session_token");
    bool ok = r.status == 201 && cJSON_IsString(t) && str_copy(out, size, t->valuestring);
    cJSON_Delete(j);
    resp_fini(&r);
    return ok;
}

static cJSON *get_json(const char *path, const char *token, int want)
{
    struct resp r =
        http((struct req){.method = "GET", .path = path, .kiosk = "JZ-03", .token = token});
    CHECK_EQ_INT(r.status, want);
    cJSON *j = cJSON_Parse(r.body);
    resp_fini(&r);
    return j;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valueint : -1;
}

static void test_guide_and_notice(void)
{
    cJSON *j = get_json("/v1/services", NULL, 200);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
    CHECK_EQ_INT(cJSON_GetArraySize(items), 9);
    bool waiver = false, hours = false, working = false;
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(it, "limit");
        if (strcmp(str(it, "code"), "registration") == 0) {
            CHECK_EQ_STR(str(l, "unit"), "working_days");
            CHECK_EQ_INT(num(l, "value"), 3);
            char *text = cJSON_PrintUnformatted(it);
            waiver = text && strstr(text, "小微企业") != NULL;
            free(text);
        }
        if (strcmp(str(it, "code"), "mortgage") == 0)
            working = num(l, "value") == 1 && strcmp(str(l, "unit"), "working_days") == 0;
        if (strcmp(str(it, "code"), "seizure") == 0)
            hours = strcmp(str(l, "unit"), "hours") == 0;
    }
    CHECK(waiver && hours && working);
    cJSON_Delete(j);
    /* Without the kiosk header: refused. */
    struct resp r = http((struct req){.method = "GET", .path = "/v1/services"});
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);

    j = get_json("/v1/calendar?from=2026-09-30&days=12", NULL, 200);
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(j, "days");
    CHECK_EQ_INT(cJSON_GetArraySize(days), 12);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(days, 0), "working")));
    CHECK_EQ_STR(str(cJSON_GetArrayItem(days, 1), "name"), "国庆节");
    CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(days, 10), "working")));
    CHECK_EQ_STR(str(cJSON_GetArrayItem(days, 10), "name"), "调休上班"); /* Sat 10 Oct */
    cJSON_Delete(j);
    j = get_json("/v1/calendar?from=2026-13-01", NULL, 400);
    cJSON_Delete(j);
}

struct booking {
    int status;
    char type[64];
    char code[16];
};

static struct booking book(const char *kiosk, const char *token, const char *key,
                           const char *service, const char *slot, const char *phone)
{
    char body[256];
    snprintf(body, sizeof body, "{\"service\":\"%s\",\"slot\":\"%s\",\"phone\":\"%s\"}", service,
             slot, phone);
    struct resp r = http((struct req){.method = "POST",
                                      .path = "/v1/appointments",
                                      .kiosk = kiosk,
                                      .token = token,
                                      .key = key,
                                      .body = body});
    struct booking b = {.status = (int)r.status};
    problem_type(&r, b.type, sizeof b.type);
    cJSON *j = cJSON_Parse(r.body);
    str_copy(b.code, sizeof b.code, str(j, "code"));
    if (r.status == 201) {
        CHECK_EQ_STR(str(j, "phone_masked"), "138****5678");
        CHECK(strstr(r.body, "13812345678") == NULL);
    }
    cJSON_Delete(j);
    resp_fini(&r);
    return b;
}

/* The first slot id of the first bookable day of service. */
static void first_slot(const char *service, char *out, size_t size, int *remaining)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/appointments/slots?service=%s&days=3", service);
    cJSON *j = get_json(path, NULL, 200);
    const cJSON *day = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "days"), 0);
    const cJSON *slot = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(day, "slots"), 0);
    str_copy(out, size, str(slot, "id"));
    *remaining = num(slot, "remaining");
    cJSON_Delete(j);
}

static void test_booking(void)
{
    char tok[8][64];
    /* Citizens 0-4 and 8-10 have live faces and valid cards. */
    static const int who[8] = {0, 1, 2, 3, 4, 8, 9, 10};
    for (int i = 0; i < 8; i++)
        CHECK(open_visit("JZ-03", who[i], tok[i], sizeof tok[i]));
    char slot[32];
    int left = 0;
    first_slot("registration", slot, sizeof slot, &left);
    CHECK_EQ_INT(left, 4);

    /* Capacity: four places, the fifth is refused. */
    for (int i = 0; i < 4; i++) {
        struct booking b = book("JZ-03", tok[i], next_key(), "registration", slot, "13812345678");
        CHECK_EQ_INT(b.status, 201);
        CHECK(b.code[0] == 'Y' && strlen(b.code) == 8);
    }
    struct booking full = book("JZ-03", tok[4], next_key(), "registration", slot, "13812345678");
    CHECK_EQ_INT(full.status, 409);
    CHECK_EQ_STR(full.type, "slot-full");
    first_slot("registration", slot, sizeof slot, &left);
    CHECK_EQ_INT(left, 0);

    /* One active booking per citizen and service, whatever the slot. */
    char path[128];
    snprintf(path, sizeof path, "/v1/appointments/slots?service=registration&days=3");
    cJSON *j = get_json(path, NULL, 200);
    const cJSON *day = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "days"), 1);
    char other[32];
    str_copy(other, sizeof other,
             str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(day, "slots"), 2), "id"));
    cJSON_Delete(j);
    struct booking twice = book("JZ-03", tok[0], next_key(), "registration", other, "13812345678");
    CHECK_EQ_INT(twice.status, 409);
    CHECK_EQ_STR(twice.type, "already-booked");
    /* Another service is another booking. */
    struct booking mort = book("JZ-03", tok[0], next_key(), "mortgage", other, "13812345678");
    CHECK_EQ_INT(mort.status, 201);

    /* Bad phone, unknown slot, a service that takes no bookings, no visit. */
    struct booking bad = book("JZ-03", tok[5], next_key(), "registration", other, "12812345678");
    CHECK_EQ_STR(bad.type, "phone-invalid");
    bad = book("JZ-03", tok[5], next_key(), "registration", "2026-13-40T09:00", "13812345678");
    CHECK_EQ_STR(bad.type, "not-found");
    bad = book("JZ-03", tok[5], next_key(), "query", other, "13812345678");
    CHECK_EQ_STR(bad.type, "bad-request");
    bad = book("JZ-03", "s_nope", next_key(), "registration", other, "13812345678");
    CHECK_EQ_STR(bad.type, "session-expired");

    /* A retry with the same key is the same booking, not a second one. */
    struct booking a = book("JZ-03", tok[5], "same-key", "registration", other, "13812345678");
    struct booking b = book("JZ-03", tok[5], "same-key", "registration", other, "13812345678");
    CHECK_EQ_INT(a.status, 201);
    CHECK_EQ_INT(b.status, 201);
    CHECK_EQ_STR(a.code, b.code);

    /* The citizen's list, then a cancel gives the place back. */
    j = get_json("/v1/appointments", tok[0], 200);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "items")), 2);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "items"), 0);
    char code0[16];
    str_copy(code0, sizeof code0, str(first, "code"));
    cJSON_Delete(j);
    snprintf(path, sizeof path, "/v1/appointments/%s", code0);
    struct resp r = http((struct req){
        .method = "DELETE", .path = path, .kiosk = "JZ-03", .token = tok[1], .key = next_key()});
    CHECK_PROBLEM(r, 404, "not-found"); /* not citizen 1's booking */
    resp_fini(&r);
    r = http((struct req){
        .method = "DELETE", .path = path, .kiosk = "JZ-03", .token = tok[0], .key = next_key()});
    CHECK_EQ_INT(r.status, 204);
    resp_fini(&r);
    first_slot("registration", slot, sizeof slot, &left);
    CHECK_EQ_INT(left, 1);
}

/* Many kiosks race for the last place of a slot: exactly one gets it. */
struct racer {
    char kiosk[16];
    char token[64];
    const char *slot;
    int status;
};

static pthread_barrier_t start_line;

static void *race(void *arg)
{
    struct racer *x = arg;
    pthread_barrier_wait(&start_line);
    char key[32];
    snprintf(key, sizeof key, "race-%s", x->kiosk);
    struct booking b = book(x->kiosk, x->token, key, "transfer_mortgaged", x->slot, "13812345678");
    x->status = b.status == 201 ? 201 : strcmp(b.type, "slot-full") == 0 ? 409 : b.status;
    return NULL;
}

static void test_race(void)
{
    /* Fill the slot to its last place. */
    char slot[32];
    int left = 0;
    first_slot("transfer_mortgaged", slot, sizeof slot, &left);
    static const int fillers[3] = {0, 1, 2};
    for (int i = 0; i < 3; i++) {
        char tok[64];
        CHECK(open_visit("JZ-01", fillers[i], tok, sizeof tok));
        CHECK_EQ_INT(
            book("JZ-01", tok, next_key(), "transfer_mortgaged", slot, "13812345678").status, 201);
    }
    first_slot("transfer_mortgaged", slot, sizeof slot, &left);
    CHECK_EQ_INT(left, 1);
    enum { RACERS = 12 };
    static const int who[RACERS] = {3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
    struct racer x[RACERS];
    pthread_t t[RACERS];
    pthread_barrier_init(&start_line, NULL, RACERS);
    for (int i = 0; i < RACERS; i++) {
        memset(&x[i], 0, sizeof x[i]);
        snprintf(x[i].kiosk, sizeof x[i].kiosk, "JZ-%02d", 10 + i);
        x[i].slot = slot;
        CHECK(open_visit(x[i].kiosk, who[i], x[i].token, sizeof x[i].token));
    }
    for (int i = 0; i < RACERS; i++)
        pthread_create(&t[i], NULL, race, &x[i]);
    int won = 0, full = 0;
    for (int i = 0; i < RACERS; i++) {
        pthread_join(t[i], NULL);
        won += x[i].status == 201;
        full += x[i].status == 409;
    }
    pthread_barrier_destroy(&start_line);
    CHECK_EQ_INT(won, 1);
    CHECK_EQ_INT(full, RACERS - 1);
}

static void test_check_in(void)
{
    char tok[64];
    /* Citizen 18 books nothing else (the racers above book another
     * service on the same day). */
    CHECK(open_visit("JZ-03", 18, tok, sizeof tok));
    char slot[32];
    int left;
    first_slot("residence", slot, sizeof slot, &left);
    CHECK_EQ_INT(book("JZ-03", tok, next_key(), "residence", slot, "13812345678").status, 201);
    const char *body = "{\"kind\":\"appointment\"}";
    /* Today there is nothing to check in. */
    struct resp r = http((struct req){.method = "POST",
                                      .path = "/v1/tickets",
                                      .kiosk = "JZ-03",
                                      .token = tok,
                                      .key = next_key(),
                                      .body = body});
    CHECK_PROBLEM(r, 404, "no-appointment");
    resp_fini(&r);
    /* The booked day, 08:00: too early (the window opens 08:30). */
    int y, m, d;
    sscanf(slot, "%4d-%2d-%2d", &y, &m, &d);
    int64_t at8 = cal_time(cal_day(y, m, d), 8, 0);
    clock_advance_ms((at8 - clock_wall_s()) * 1000);
    CHECK(open_visit("JZ-04", 18, tok, sizeof tok));
    r = http((struct req){.method = "POST",
                          .path = "/v1/tickets",
                          .kiosk = "JZ-04",
                          .token = tok,
                          .key = next_key(),
                          .body = body});
    CHECK_PROBLEM(r, 422, "too-early");
    resp_fini(&r);
    /* 08:45: a priority number, twice the same (a new visit: a token
     * lives 15 minutes). */
    clock_advance_ms(45 * 60 * 1000);
    CHECK(open_visit("JZ-04", 18, tok, sizeof tok));
    char number[16] = "";
    for (int i = 0; i < 2; i++) {
        r = http((struct req){.method = "POST",
                              .path = "/v1/tickets",
                              .kiosk = "JZ-04",
                              .token = tok,
                              .key = next_key(),
                              .body = body});
        CHECK_EQ_INT(r.status, 201);
        cJSON *j = cJSON_Parse(r.body);
        if (i == 0)
            str_copy(number, sizeof number, str(j, "number"));
        CHECK_EQ_STR(str(j, "number"), number);
        CHECK_EQ_STR(str(j, "appointment"), "09:00–10:00");
        cJSON_Delete(j);
        resp_fini(&r);
    }
    CHECK_EQ_STR(number, "G501");
    /* A walk-in number of the same service still counts from 001. */
    r = http((struct req){.method = "POST",
                          .path = "/v1/tickets",
                          .kiosk = "JZ-04",
                          .key = next_key(),
                          .body = "{\"kind\":\"walk_in\",\"service\":\"residence\"}"});
    cJSON *j = cJSON_Parse(r.body);
    CHECK_EQ_STR(str(j, "number"), "G001");
    cJSON_Delete(j);
    resp_fini(&r);
}

static void test_progress(void)
{
    char tok[64];
    CHECK(open_visit("JZ-03", 0, tok, sizeof tok));
    cJSON *j = get_json("/v1/applications", tok, 200);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(j, "items");
    CHECK_EQ_INT(cJSON_GetArraySize(items), 3);
    int overdue = 0, in_time = 0;
    char receipt[32] = "";
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        bool late = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "overdue"));
        overdue += late;
        if (strcmp(str(it, "state"), "reviewing") == 0) {
            in_time += !late;
            str_copy(receipt, sizeof receipt, str(it, "receipt"));
        }
        CHECK(str(it, "location")[0] != '\0');
    }
    CHECK_EQ_INT(overdue, 1);
    CHECK_EQ_INT(in_time, 1);
    cJSON_Delete(j);
    /* By receipt, without a visit: the same state, no place. */
    char path[96];
    snprintf(path, sizeof path, "/v1/applications/%s", receipt);
    j = get_json(path, NULL, 200);
    CHECK_EQ_STR(str(j, "state"), "reviewing");
    CHECK(cJSON_GetObjectItemCaseSensitive(j, "location") == NULL);
    cJSON_Delete(j);
    j = get_json("/v1/applications/JZ19990101-00001", NULL, 404);
    cJSON_Delete(j);
    /* A citizen without applications: an empty list, not an error. */
    CHECK(open_visit("JZ-03", 13, tok, sizeof tok));
    j = get_json("/v1/applications", tok, 200);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "items")), 0);
    cJSON_Delete(j);
}

/* Working days across a weekend and the National Day holiday. */
static void test_calendar(void)
{
    int64_t sep30 = cal_day(2026, 9, 30);
    CHECK(cal_working(sep30));
    CHECK(!cal_working(cal_day(2026, 10, 1)));
    CHECK(cal_working(cal_day(2026, 9, 20)));   /* a Sunday, worked */
    CHECK(cal_working(cal_day(2026, 10, 10)));  /* a Saturday, worked */
    CHECK(!cal_working(cal_day(2026, 10, 11))); /* the Sunday after */
    /* Accepted 30 Sep 10:00, three working days: 8, 9 and 10 Oct. */
    int64_t due = cal_due(cal_time(sep30, 10, 0), false, 3);
    CHECK_EQ_INT(cal_day_of(due), cal_day(2026, 10, 10));
    CHECK_EQ_INT(due, cal_time(cal_day(2026, 10, 10), 17, 0));
    /* Friday 6 Nov, one working day: Monday 9 Nov. */
    CHECK_EQ_INT(cal_day_of(cal_due(cal_time(cal_day(2026, 11, 6), 9, 0), false, 1)),
                 cal_day(2026, 11, 9));
    bool hours;
    int left;
    cal_remaining(cal_time(cal_day(2026, 10, 8), 9, 0), due, &hours, &left);
    CHECK(!hours && left == 2);
    cal_remaining(cal_time(cal_day(2026, 10, 10), 15, 30), due, &hours, &left);
    CHECK(hours && left == 2);
    cal_remaining(due + 1, due, &hours, &left);
    CHECK_EQ_INT(left, 0);
    /* A year without its notice: the fixed-date holidays still hold. */
    CHECK(!cal_working(cal_day(2027, 1, 1)));
    CHECK(cal_working(cal_day(2027, 1, 4)));
    struct cal_holiday h;
    CHECK(cal_next_holiday(cal_day(2026, 9, 10), 30, &h));
    CHECK_EQ_STR(h.name, "中秋节");
    CHECK(cal_next_holiday(cal_day(2026, 9, 28), 30, &h));
    CHECK_EQ_STR(h.name, "国庆节");
    CHECK_EQ_INT(h.worked_count, 2);
    CHECK(!cal_next_holiday(cal_day(2026, 11, 1), 30, &h));
    char text[256];
    /* (the notice writer reads the registry's clock) */
    (void)text;
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct registry_config cfg = {.listen = "127.0.0.1:0", .db_path = ":memory:", .seed = true};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    if (!reg)
        return check_report("registry_services_test");
    str_copy(base, sizeof base, registry_url(reg));
    test_calendar();
    test_guide_and_notice();
    test_progress();
    test_booking();
    test_race();
    test_check_in(); /* last: it moves the clock to the booked day */
    registry_stop(reg);
    curl_global_cleanup();
    return check_report("registry_services_test");
}
