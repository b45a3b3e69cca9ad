/* registry_fleet_test.c - the fleet on bdc-registry over real HTTP on
 * loopback: POST /v1/heartbeat (stored, refused when malformed, only the
 * last 60 kept per kiosk), GET and PUT /v1/kiosks/{id}/settings (numbered
 * versions, 304 for the version the kiosk has, a kiosk reads only its
 * own), and the status pages GET /fleet (every kiosk, sorted by the query,
 * a kiosk without a heartbeat for the stale time marked stale, what a
 * kiosk sent HTML-escaped) and GET /fleet/{id}.
 *
 * Starts the registry in-process on port 0 with an in-memory database and
 * plays kiosks with libcurl; moves the registry's clock to make one stale.
 */
#include "base/clock.h"
#include "base/util.h"
#include "registry/registry.h"
#include "../unit/check.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdlib.h>

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
    CHECK(strstr(r.body, "stale") == NULL || strstr(r.body, "失联 stale") == NULL);
    /* A's reader is ok and B's is at fault: B needs attention. */
    CHECK(strstr(r.body, "需处理 attention") != NULL);
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
    CHECK(b && strstr(b, "失联 stale") != NULL);
    const char *a = strstr(r.body, "<a href=\"/fleet/JZ-A-01\">");
    CHECK(a && strstr(a, "正常 ok") && strstr(a, "正常 ok") < b);
    resp_fini(&r);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct registry_config cfg = {.listen = "127.0.0.1:0", .db_path = registry_test_db()};
    struct registry *reg = NULL;
    CHECK_EQ_INT(registry_start(&cfg, &reg), 0);
    if (!reg)
        return check_report("registry_fleet_test");
    str_copy(base, sizeof base, registry_url(reg));
    test_heartbeat();
    test_settings();
    test_page();
    registry_stop(reg);
    curl_global_cleanup();
    return check_report("registry_fleet_test");
}
