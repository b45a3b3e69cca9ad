/* backend_ticket.c - taking a queue number: the ticket JSON both ways, and
 * backend_take_ticket through the worker against the reference registry.
 *
 * The parser is table-driven: a valid reply, then one mutation per row
 * with the field path the detail must name. The worker half starts
 * bdc-registry in-process on loopback (port 0, in-memory database) and
 * takes two tickets through the real curl worker: the reply arrives as
 * REPLY_TICKET with numbers counting up, and a bad service is refused
 * before anything is queued. Main thread plus the worker and the
 * registry's HTTP thread.
 */
#include "backend/backend.h"
#include "backend/regjson.h"
#include "base/buf.h"
#include "base/err.h"
#include "registry/registry.h"
#include "check.h"
#include "reply_edit.h"
#include "../e2e/registry_test_db.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char good[] =
    "{\"number\":\"C023\",\"service\":\"query\",\"service_name\":\"不动产登记资料查询\","
    "\"windows_text\":\"1 号、2 号窗口\",\"ahead\":4,\"wait_minutes\":16,"
    "\"time_limit\":\"查询类业务 1 小时内办结\","
    "\"materials\":[\"本人有效身份证件\",\"委托查询另带授权委托书\"],"
    "\"follow_url\":\"http://127.0.0.1:8080/q/20261122/C023\","
    "\"issued_at\":\"2026-11-22T09:46:00+08:00\"}";

static void test_parse_good(void)
{
    struct ticket t;
    char detail[REGJSON_DETAIL_MAX];
    CHECK_EQ_INT(regjson_parse_ticket(good, strlen(good), &t, detail, sizeof detail), 0);
    CHECK_EQ_STR(t.number, "C023");
    CHECK_EQ_STR(t.service, "query");
    CHECK_EQ_STR(t.service_name, "不动产登记资料查询");
    CHECK_EQ_STR(t.windows_text, "1 号、2 号窗口");
    CHECK_EQ_INT(t.ahead, 4);
    CHECK_EQ_INT(t.wait_minutes, 16);
    CHECK_EQ_STR(t.time_limit, "查询类业务 1 小时内办结");
    CHECK_EQ_INT(t.material_count, 2);
    CHECK_EQ_STR(t.materials[1], "委托查询另带授权委托书");
    CHECK_EQ_STR(t.follow_url, "http://127.0.0.1:8080/q/20261122/C023");
    CHECK_EQ_STR(t.issued_at, "2026-11-22T09:46:00+08:00");
    CHECK_EQ_STR(t.appointment, "");
    char *with = reply_edit(good, "\"ahead\"", "\"appointment\":\"10:30-11:00\",\"ahead\"");
    CHECK_EQ_INT(regjson_parse_ticket(with, strlen(with), &t, detail, sizeof detail), 0);
    CHECK_EQ_STR(t.appointment, "10:30-11:00");
    free(with);
    char *empty = reply_edit(good, "[\"本人有效身份证件\",\"委托查询另带授权委托书\"]", "[]");
    CHECK_EQ_INT(regjson_parse_ticket(empty, strlen(empty), &t, detail, sizeof detail), 0);
    CHECK_EQ_INT(t.material_count, 0);
    free(empty);
}

static const struct {
    const char *from, *to, *path;
} bad[] = {
    {"\"number\":\"C023\",", "", "number: missing"},
    {"\"C023\"", "\"\"", "number: empty"},
    {"\"C023\"", "null", "number: null"},
    {"\"C023\"", "23", "number: not a string"},
    {"\"C023\"", "\"C 23\"", "number: not [A-Za-z0-9-]"},
    {"\"C023\"", "\"C0234567890123456\"", "number: too long"},
    {"\"service\":\"query\"", "\"service\":\"\"", "service: empty"},
    {"\"service_name\":\"不动产登记资料查询\",", "", "service_name: missing"},
    {"\"ahead\":4", "\"ahead\":-1", "ahead: out of range"},
    {"\"ahead\":4", "\"ahead\":4.5", "ahead: not an integer"},
    {"\"ahead\":4", "\"ahead\":\"4\"", "ahead: not a number"},
    {"\"wait_minutes\":16", "\"wait_minutes\":100001", "wait_minutes: out of range"},
    {"\"time_limit\":\"查询类业务 1 小时内办结\"", "\"time_limit\":\"a\\nb\"",
     "time_limit: newline in value"},
    {"\"materials\":[", "\"materials\":[1,", "materials[0]: not a string"},
    {"\"materials\":[", "\"materials\":[\"\",", "materials[0]: empty"},
    {"\"materials\":[", "\"materials\":[\"a\\nb\",", "materials[0]: newline in value"},
    {"\"materials\":[", "\"materials\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",",
     "materials: more than 8"},
    {"\"materials\":[\"本人有效身份证件\",\"委托查询另带授权委托书\"]", "\"materials\":{}",
     "materials: not an array"},
    {"\"follow_url\":\"http://127.0.0.1:8080/q/20261122/C023\",", "", "follow_url: missing"},
    {"\"issued_at\":\"2026-11-22T09:46:00+08:00\"", "\"issued_at\":\"\"", "issued_at: empty"},
    {"\"windows_text\":\"1 号、2 号窗口\"", "\"windows_text\":\"\\u0001\"",
     "windows_text: invalid UTF-8"},
};

static void test_parse_bad(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *body = reply_edit(good, bad[i].from, bad[i].to);
        CHECK(body != NULL);
        if (!body)
            continue;
        struct ticket t;
        char detail[REGJSON_DETAIL_MAX];
        int rc = regjson_parse_ticket(body, strlen(body), &t, detail, sizeof detail);
        CHECK_EQ_INT(rc, ERR_BADREPLY);
        if (strncmp(detail, bad[i].path, strlen(bad[i].path)) != 0)
            fprintf(stderr, "row %zu: detail \"%s\", want \"%s\"\n", i, detail, bad[i].path);
        CHECK(strncmp(detail, bad[i].path, strlen(bad[i].path)) == 0);
        CHECK_EQ_STR(t.number, ""); /* zeroed on error */
        free(body);
    }
    struct ticket t;
    CHECK_EQ_INT(regjson_parse_ticket("[]", 2, &t, NULL, 0), ERR_BADREPLY);
    CHECK_EQ_INT(regjson_parse_ticket("", 0, &t, NULL, 0), ERR_BADREPLY);
    CHECK_EQ_INT(regjson_parse_ticket(good, strlen(good) - 1, &t, NULL, 0), ERR_BADREPLY);
}

static void test_format(void)
{
    struct buf b;
    buf_init(&b, 4096);
    CHECK_EQ_INT(regjson_format_ticket_request("mortgage", NULL, &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((const char *)b.data, "{\"kind\":\"walk_in\",\"service\":\"mortgage\"}");
    buf_reset(&b);
    CHECK_EQ_INT(regjson_format_ticket_request(NULL, "AP-7Q4M9K", &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((const char *)b.data,
                 "{\"kind\":\"appointment\",\"appointment_code\":\"AP-7Q4M9K\"}");
    buf_reset(&b);
    /* No service and no code: the check-in of the visit's own booking. */
    CHECK_EQ_INT(regjson_format_ticket_request(NULL, NULL, &b), 0);
    buf_terminate(&b);
    CHECK_EQ_STR((const char *)b.data, "{\"kind\":\"appointment\"}");
    buf_reset(&b);
    CHECK_EQ_INT(regjson_format_ticket_request("Query\"", NULL, &b), ERR_INVALID);
    CHECK_EQ_INT(regjson_format_ticket_request("query", "a b", &b), ERR_INVALID);
    buf_fini(&b);
}

/* ---- through the worker ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct flow_reply *got[8];
static uint32_t got_id[8];
static int ngot;

static void on_reply(void *user, uint32_t req_id, struct flow_reply *reply)
{
    (void)user;
    pthread_mutex_lock(&lock);
    if (ngot < 8) {
        got_id[ngot] = req_id;
        got[ngot++] = reply;
    } else {
        backend_reply_free(reply);
    }
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

static struct flow_reply *wait_reply(uint32_t req_id)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    struct flow_reply *r = NULL;
    pthread_mutex_lock(&lock);
    while (!r) {
        for (int i = 0; i < ngot; i++)
            if (got_id[i] == req_id && got[i]) {
                r = got[i];
                got[i] = NULL;
            }
        if (!r && pthread_cond_timedwait(&cond, &lock, &ts) != 0)
            break;
    }
    pthread_mutex_unlock(&lock);
    return r;
}

static void test_worker(void)
{
    struct registry_config rc = {.listen = "127.0.0.1:0", .db_path = registry_test_db()};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&rc, &reg), 0);
    if (!reg)
        return;
    struct backend_config cfg;
    backend_config_default(&cfg);
    cfg.base_url = registry_url(reg);
    cfg.kiosk_id = "JZ-03";
    cfg.health_interval_ms = 0;
    struct backend *b = backend_create(&cfg, on_reply, NULL, NULL);
    CHECK(b != NULL);
    if (b) {
        CHECK_EQ_INT(backend_take_ticket(b, 1, NULL, "registration"), 0);
        struct flow_reply *r = wait_reply(1);
        CHECK(r != NULL);
        if (r) {
            CHECK_EQ_INT(r->kind, REPLY_TICKET);
            CHECK_EQ_INT(r->err, 0);
            CHECK(r->ticket != NULL);
            if (r->ticket) {
                CHECK_EQ_STR(r->ticket->number, "A001");
                CHECK_EQ_STR(r->ticket->service, "registration");
                CHECK_EQ_INT(r->ticket->ahead, 0);
                CHECK(r->ticket->material_count > 0);
                CHECK(strstr(r->ticket->time_limit, "3 个工作日") != NULL);
            }
            backend_reply_free(r);
        }
        CHECK_EQ_INT(backend_take_ticket(b, 2, "", "registration"), 0);
        r = wait_reply(2);
        CHECK(r && r->ticket && strcmp(r->ticket->number, "A002") == 0 && r->ticket->ahead == 1);
        backend_reply_free(r);
        /* A service code that cannot be one is refused before it is queued. */
        CHECK_EQ_INT(backend_take_ticket(b, 3, NULL, "no such"), ERR_INVALID);
        backend_destroy(b);
    }
    registry_stop(reg);
}

int main(void)
{
    test_parse_good();
    test_parse_bad();
    test_format();
    test_worker();
    return check_report("test_backend_ticket");
}
