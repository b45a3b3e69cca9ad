/* registry_fleet_test.c - the fleet on bdc-registry over real HTTP on
 * loopback: POST /v1/heartbeat (stored, refused when malformed, only the
 * last 60 kept per kiosk), GET and PUT /v1/kiosks/{id}/settings (numbered
 * versions, 304 for the version the kiosk has, a kiosk reads only its
 * own), and the status pages GET /fleet (the counts per state, every
 * kiosk sorted and filtered before the page of 100 is cut, a kiosk
 * without a heartbeat for the stale time marked stale, what a kiosk sent
 * HTML-escaped; a fleet of 1,002) and GET /fleet/{id}.
 *
 * Starts the registry in-process on port 0 on a SQLite file (or the
 * database of BDC_TEST_DB) and plays kiosks with libcurl; moves the
 * registry's clock to make one stale. Last, the status page's table
 * emptied, as a database from before it: the registry fills it again from
 * the heartbeats kept when it starts.
 */
#include "base/clock.h"
#include "base/util.h"
#include "registry/registry.h"
#include "registry/registry_store.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <unistd.h>

#include "registry_http.h"
#include "registry_test_db.h"

static struct resp beat(const char *kiosk, const char *hall, const char *reader, int errors)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"version\":\"1.0\",\"uptime_s\":61,\"hall\":\"%s\",\"devices\":{\"reader\":"
             "\"%s\",\"camera\":\"ok\",\"slip\":\"ok\",\"a4\":\"ok\"},\"paper\":"
             "{\"slips_since_refill\":12,\"slip_roll\":400},\"disk_free_mb\":2048,"
             "\"errors\":%d,\"last_frame_at\":\"2026-01-01T08:00:00+08:00\"}",
             hall, reader, errors);
    return http(
        (struct req){.method = "POST", .path = "/v1/heartbeat", .kiosk = kiosk, .body = body});
}

static double num(const char *body, const char *key)
{
    cJSON *j = cJSON_Parse(body);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
    cJSON_Delete(j);
    return d;
}

/* Before any heartbeat: the page says so, not "showing 0-0 of 0". */
static void test_empty(void)
{
    struct resp r = http((struct req){.path = "/fleet"});
    CHECK_EQ_INT(r.status, 200);
    CHECK(strstr(r.body, "no kiosk has sent a heartbeat yet") != NULL);
    CHECK(strstr(r.body, "showing") == NULL);
    resp_fini(&r);
    r = http((struct req){.path = "/fleet?only=problems"});
    CHECK(strstr(r.body, "no kiosk needs attention") != NULL);
    resp_fini(&r);
}

static void test_heartbeat(void)
{
    struct resp r = beat("JZ-A-01", "Hall A", "ok", 0);
    CHECK_EQ_INT(r.status, 200);
    CHECK(num(r.body, "settings_version") == 0);
    resp_fini(&r);
    /* Without a kiosk, a body that is not one, fields missing. */
    r = http((struct req){.method = "POST", .path = "/v1/heartbeat", .body = "{}"});
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);
    const char *bad[] = {"not json", "[]", "{\"version\":\"1\"}", "{\"version\":1,\"uptime_s\":1}"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        r = http((struct req){
            .method = "POST", .path = "/v1/heartbeat", .kiosk = "JZ-A-01", .body = bad[i]});
        CHECK_PROBLEM(r, 400, "bad-request");
        resp_fini(&r);
    }
    /* 70 more: the detail page lists the last 60. */
    for (int i = 0; i < 70; i++) {
        r = beat("JZ-B-02", "Hall B <b>", "fault", 3);
        CHECK_EQ_INT(r.status, 200);
        resp_fini(&r);
    }
    r = http((struct req){.path = "/fleet/JZ-B-02"});
    CHECK_EQ_INT(r.status, 200);
    int rows = 0;
    for (const char *p = r.body; (p = strstr(p, "<tr class=")); p++)
        rows++;
    CHECK_EQ_INT(rows, 60);
    resp_fini(&r);
    r = http((struct req){.path = "/fleet/JZ-NONE"});
    CHECK_PROBLEM(r, 404, "not-found");
    resp_fini(&r);
}

static void test_settings(void)
{
    struct resp r = http((struct req){.path = "/v1/kiosks/JZ-A-01/settings", .kiosk = "JZ-A-01"});
    CHECK_EQ_INT(r.status, 200);
    CHECK(num(r.body, "version") == 0);
    resp_fini(&r);
    const char *doc =
        "{\"settings\":{\"kiosk\":{\"notice\":\"preset-2\"},\"flow\":{\"idle_s\":90}}}";
    r = http((struct req){.method = "PUT", .path = "/v1/kiosks/JZ-A-01/settings", .body = doc});
    CHECK_EQ_INT(r.status, 200);
    CHECK(num(r.body, "version") == 1);
    resp_fini(&r);
    r = http((struct req){.method = "PUT", .path = "/v1/kiosks/JZ-A-01/settings", .body = doc});
    CHECK(num(r.body, "version") == 2);
    resp_fini(&r);
    r = http((struct req){.method = "PUT", .path = "/v1/kiosks/JZ-A-01/settings", .body = "{}"});
    CHECK_PROBLEM(r, 400, "bad-request");
    resp_fini(&r);
    /* The heartbeat's reply says which version is current. */
    r = beat("JZ-A-01", "Hall A", "ok", 0);
    CHECK(num(r.body, "settings_version") == 2);
    resp_fini(&r);
    r = http((struct req){.path = "/v1/kiosks/JZ-A-01/settings", .kiosk = "JZ-A-01"});
    CHECK_EQ_INT(r.status, 200);
    CHECK(num(r.body, "version") == 2);
    CHECK(strstr(r.body, "\"notice\":\"preset-2\"") != NULL);
    resp_fini(&r);
    r = http((struct req){.path = "/v1/kiosks/JZ-A-01/settings?have=2", .kiosk = "JZ-A-01"});
    CHECK_EQ_INT(r.status, 304);
    resp_fini(&r);
    r = http((struct req){.path = "/v1/kiosks/JZ-A-01/settings?have=1", .kiosk = "JZ-A-01"});
    CHECK_EQ_INT(r.status, 200);
    resp_fini(&r);
    /* Another kiosk's settings are not this kiosk's to read. */
    r = http((struct req){.path = "/v1/kiosks/JZ-A-01/settings", .kiosk = "JZ-B-02"});
    CHECK_PROBLEM(r, 401, "unauthenticated");
    resp_fini(&r);
    r = http((struct req){.method = "DELETE", .path = "/v1/kiosks/JZ-A-01/settings"});
    CHECK_EQ_INT(r.status, 405);
    resp_fini(&r);
}

static void test_page(void)
{
    struct resp r = http((struct req){.path = "/fleet"});
    CHECK_EQ_INT(r.status, 200);
    CHECK(strncmp(r.ctype, "text/html", 9) == 0);
    CHECK(strstr(r.body, "JZ-A-01") && strstr(r.body, "JZ-B-02"));
    /* What a kiosk sent is escaped. */
    CHECK(strstr(r.body, "Hall B &lt;b&gt;") != NULL);
    CHECK(strstr(r.body, "Hall B <b>") == NULL);
    CHECK(strstr(r.body, "<tr class=\"stale\">") == NULL);
    /* A's reader is ok and B's is at fault: B needs attention. */
    CHECK(strstr(r.body, "<td>需处理 needs attention</td>") != NULL);
    CHECK(strstr(r.body, "需处理 needs attention <b>1</b>") != NULL);
    /* Sorted by kiosk: A before B; by state: the worst first. */
    CHECK(strstr(r.body, "JZ-A-01") < strstr(r.body, "JZ-B-02"));
    resp_fini(&r);
    r = http((struct req){.path = "/fleet?sort=state"});
    CHECK(strstr(r.body, "JZ-B-02") < strstr(r.body, "JZ-A-01"));
    resp_fini(&r);
    r = http((struct req){.path = "/fleet?sort=hall"});
    CHECK(strstr(r.body, "JZ-A-01") < strstr(r.body, "JZ-B-02"));
    resp_fini(&r);
    /* Four minutes on, A reports again and B does not: B is stale. */
    clock_advance_ms(240 * 1000);
    r = beat("JZ-A-01", "Hall A", "ok", 0);
    resp_fini(&r);
    r = http((struct req){.path = "/fleet?sort=seen"});
    CHECK(strstr(r.body, "JZ-A-01") < strstr(r.body, "JZ-B-02"));
    const char *b = strstr(r.body, "<a href=\"/fleet/JZ-B-02\">");
    const char *row = b;
    while (row && row > r.body && strncmp(row, "<tr", 3) != 0)
        row--;
    CHECK(row && strncmp(row, "<tr class=\"stale\">", 18) == 0);
    const char *a = strstr(r.body, "<a href=\"/fleet/JZ-A-01\">");
    CHECK(a && a < b);
    resp_fini(&r);
}

/* The i-th row of a list page (from 0): its class and its kiosk; false
 * past the last. */
static bool row_at(const char *body, int i, char *cls, char *kiosk, size_t size)
{
    const char *p = body;
    for (int k = 0; p && k <= i; k++) {
        p = strstr(p, "<tr class=\"");
        p = p ? p + 11 : NULL;
    }
    if (!p)
        return false;
    size_t n = strcspn(p, "\"");
    snprintf(cls, size, "%.*s", (int)n, p);
    const char *k = strstr(p, "<a href=\"/fleet/");
    const char *end = k ? strchr(k + 16, '"') : NULL;
    if (!end)
        return false;
    snprintf(kiosk, size, "%.*s", (int)(end - (k + 16)), k + 16);
    return true;
}

static int rows_on(const char *body)
{
    int n = 0;
    for (const char *p = body; (p = strstr(p, "<tr class=")); p++)
        n++;
    return n;
}

static struct resp page(const char *path)
{
    struct resp r = http((struct req){.path = path});
    CHECK_EQ_INT(r.status, 200);
    return r;
}

/* A thousand kiosks more: FL-0001 to FL-1000 in five halls, every 100th
 * with its reader at fault; four minutes on all but FL-0777 report again.
 * With JZ-A-01 (ok) and JZ-B-02 (stale since test_page), 1,002 kiosks:
 * 990 ok, 10 needing attention, 2 stale. */
static void test_thousand(void)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 1; i <= 1000; i++) {
            char id[16], hall[16];
            snprintf(id, sizeof id, "FL-%04d", i);
            snprintf(hall, sizeof hall, "Hall %d", i % 5);
            if (pass == 1 && i == 777)
                continue;
            struct resp r = beat(id, hall, i % 100 == 0 ? "fault" : "ok", 0);
            CHECK_EQ_INT(r.status, 200);
            resp_fini(&r);
        }
        if (pass == 0)
            clock_advance_ms(240 * 1000);
    }
    struct resp r = beat("JZ-A-01", "Hall A", "ok", 0);
    resp_fini(&r);

    /* The counts are the whole fleet's; the page is the first 100. */
    r = page("/fleet");
    CHECK(strstr(r.body, "正常 ok <b>990</b>") != NULL);
    CHECK(strstr(r.body, "需处理 needs attention <b>10</b>") != NULL);
    CHECK(strstr(r.body, "失联 stale <b>2</b>") != NULL);
    CHECK(strstr(r.body, "of <b>1,002</b> kiosks") != NULL);
    CHECK(strstr(r.body, "showing 1&ndash;100 of 1,002") != NULL);
    CHECK_EQ_INT(rows_on(r.body), 100);
    CHECK(strstr(r.body, "<a href=\"/fleet?sort=kiosk&amp;page=2\">next &rarr;</a>") != NULL);
    CHECK(strstr(r.body, "previous") == NULL);
    char cls[80], kiosk[80];
    CHECK(row_at(r.body, 0, cls, kiosk, sizeof cls) && strcmp(kiosk, "FL-0001") == 0);
    CHECK(row_at(r.body, 99, cls, kiosk, sizeof cls) && strcmp(kiosk, "FL-0100") == 0);
    CHECK(strcmp(cls, "warn") == 0);
    resp_fini(&r);
    /* The last page, and a page past it: the last. */
    const char *last[] = {"/fleet?page=11", "/fleet?sort=kiosk&page=99"};
    for (size_t i = 0; i < ARRAY_LEN(last); i++) {
        r = page(last[i]);
        CHECK(strstr(r.body, "showing 1,001&ndash;1,002 of 1,002") != NULL);
        CHECK_EQ_INT(rows_on(r.body), 2);
        CHECK(strstr(r.body, "<a href=\"/fleet?sort=kiosk&amp;page=10\">&larr; previous</a>"));
        CHECK(strstr(r.body, "next &rarr;") == NULL);
        CHECK(row_at(r.body, 1, cls, kiosk, sizeof cls) && strcmp(kiosk, "JZ-B-02") == 0);
        CHECK(strstr(r.body, "Hall B &lt;b&gt;") && !strstr(r.body, "Hall B <b>"));
        resp_fini(&r);
    }
    /* The worst first over the whole fleet: the stale ones, the longest
     * silent first, then those needing attention, then the rest. */
    r = page("/fleet?sort=state");
    CHECK(row_at(r.body, 0, cls, kiosk, sizeof cls) && strcmp(kiosk, "JZ-B-02") == 0);
    CHECK(strcmp(cls, "stale") == 0);
    CHECK(row_at(r.body, 1, cls, kiosk, sizeof cls) && strcmp(kiosk, "FL-0777") == 0);
    CHECK(strcmp(cls, "stale") == 0);
    CHECK(row_at(r.body, 2, cls, kiosk, sizeof cls) && strcmp(cls, "warn") == 0);
    CHECK(row_at(r.body, 11, cls, kiosk, sizeof cls) && strcmp(cls, "warn") == 0);
    CHECK(row_at(r.body, 12, cls, kiosk, sizeof cls) && strcmp(cls, "ok") == 0);
    CHECK(strstr(r.body, "<a href=\"/fleet?sort=state&amp;page=2\">next &rarr;</a>") != NULL);
    resp_fini(&r);
    /* Only the problems: twelve, on one page. */
    r = page("/fleet?sort=state&only=problems");
    CHECK(strstr(r.body, "showing 1&ndash;12 of 12") != NULL);
    CHECK_EQ_INT(rows_on(r.body), 12);
    CHECK(strstr(r.body, "<tr class=\"ok\">") == NULL);
    CHECK(strstr(r.body, "next &rarr;") == NULL);
    CHECK(strstr(r.body, "Hall B &lt;b&gt;") && !strstr(r.body, "Hall B <b>"));
    resp_fini(&r);
    /* By hall: "Hall 0" first, its kiosks in order; by last heartbeat the
     * newest first, the oldest on the last page. */
    r = page("/fleet?sort=hall");
    CHECK(row_at(r.body, 0, cls, kiosk, sizeof cls) && strcmp(kiosk, "FL-0005") == 0);
    CHECK(row_at(r.body, 99, cls, kiosk, sizeof cls) && strcmp(kiosk, "FL-0500") == 0);
    CHECK(strstr(r.body, "<td>Hall 1</td>") == NULL);
    resp_fini(&r);
    r = page("/fleet?sort=seen&page=11");
    CHECK(row_at(r.body, 1, cls, kiosk, sizeof cls) && strcmp(kiosk, "JZ-B-02") == 0);
    CHECK(row_at(r.body, 0, cls, kiosk, sizeof cls) && strcmp(kiosk, "FL-0777") == 0);
    resp_fini(&r);
}

/* The registry started again on db after fleet_kiosks was emptied. */
static void test_catch_up(struct registry **reg, struct registry_config *cfg)
{
    registry_stop(*reg);
    *reg = NULL;
    struct store *db = NULL;
    CHECK_EQ_INT(store_open(cfg->db_path, &db), 0);
    CHECK_EQ_INT(store_exec(db, "DELETE FROM fleet_kiosks"), 0);
    store_close(db);
    CHECK_EQ_INT(registry_start(cfg, reg), 0);
    if (!*reg)
        return;
    str_copy(base, sizeof base, registry_url(*reg));
    struct resp r = page("/fleet?sort=state");
    CHECK(strstr(r.body, "正常 ok <b>990</b>") != NULL);
    CHECK(strstr(r.body, "需处理 needs attention <b>10</b>") != NULL);
    CHECK(strstr(r.body, "失联 stale <b>2</b>") != NULL);
    char cls[80], kiosk[80];
    CHECK(row_at(r.body, 1, cls, kiosk, sizeof cls) && strcmp(kiosk, "FL-0777") == 0);
    resp_fini(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* SQLite in a file, not in memory: the registry is started twice on it. */
    char file[64] = "";
    const char *db = registry_test_db();
    if (strcmp(db, ":memory:") == 0) {
        snprintf(file, sizeof file, "/tmp/registry_fleet_test.XXXXXX");
        int fd = mkstemp(file);
        CHECK(fd >= 0);
        if (fd >= 0)
            close(fd);
        db = file;
    }
    struct registry_config cfg = {.listen = "127.0.0.1:0", .db_path = db};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    if (reg) {
        str_copy(base, sizeof base, registry_url(reg));
        test_empty();
        test_heartbeat();
        test_settings();
        test_page();
        test_thousand();
        test_catch_up(&reg, &cfg);
        registry_stop(reg);
    }
    if (file[0]) {
        char side[80];
        unlink(file);
        snprintf(side, sizeof side, "%s-wal", file);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", file);
        unlink(side);
    }
    curl_global_cleanup();
    return check_report("registry_fleet_test");
}
