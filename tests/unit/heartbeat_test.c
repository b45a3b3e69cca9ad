/* heartbeat_test.c - the heartbeat's pure parts (app/heartbeat_plan.c):
 * the period's ±20 % jitter, the full-jitter backoff's bounds and cap,
 * the JSON body, the registry's reply, and a remote settings document
 * taken all or nothing (good keys over the base, every kind of bad one
 * refused with the base unchanged).
 */
#include "base/err.h"
#include "base/util.h"
#include "check.h"
#include "core/session.h"
#include "core/settings.h"
#include "heartbeat.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

static void test_jitter(void)
{
    CHECK_EQ_INT(heartbeat_jitter_ms(60000, 0), 48000);
    CHECK_EQ_INT(heartbeat_jitter_ms(60000, 0xFFFFFFFFu), 71999);
    CHECK_EQ_INT(heartbeat_jitter_ms(60000, 0x80000000u), 60000);
    for (uint32_t r = 1; r < 0xFFFF0000u; r += 0x01234567u) {
        int64_t w = heartbeat_jitter_ms(60000, r);
        CHECK(w >= 48000 && w < 72000);
    }
}

static void test_backoff(void)
{
    /* Full jitter: 0 .. min(cap, base·2^(n-1)). */
    CHECK_EQ_INT(heartbeat_backoff_ms(1, 5000, 300000, 0), 0);
    CHECK_EQ_INT(heartbeat_backoff_ms(1, 5000, 300000, 0xFFFFFFFFu), 5000);
    CHECK_EQ_INT(heartbeat_backoff_ms(2, 5000, 300000, 0xFFFFFFFFu), 10000);
    CHECK_EQ_INT(heartbeat_backoff_ms(4, 5000, 300000, 0xFFFFFFFFu), 40000);
    CHECK_EQ_INT(heartbeat_backoff_ms(7, 5000, 300000, 0xFFFFFFFFu), 300000);
    CHECK_EQ_INT(heartbeat_backoff_ms(64, 5000, 300000, 0xFFFFFFFFu), 300000);
    CHECK_EQ_INT(heartbeat_backoff_ms(3, 5000, 300000, 0x80000000u), 10000);
    for (int n = 1; n < 40; n++) {
        int64_t w = heartbeat_backoff_ms(n, 1000, 8000, 0x9E3779B9u * (uint32_t)n);
        CHECK(w >= 0 && w <= 8000);
    }
}

static void test_body(void)
{
    struct heartbeat_facts f = {.version = "1.2.3",
                                .uptime_s = 3601,
                                .kiosk = "JZ-01",
                                .hall = "解放区 \"大厅\"",
                                .reader = "ok",
                                .camera = "off",
                                .slip = "paper-out",
                                .a4 = "ok",
                                .slips_since_refill = 17,
                                .slip_roll = 300,
                                .last_frame_s = 1767225600,
                                .disk_free_mb = 2048,
                                .errors = 4,
                                .settings_version = 9};
    char out[2048];
    int n = heartbeat_format(&f, out, sizeof out);
    CHECK(n > 0 && (size_t)n == strlen(out));
    cJSON *j = cJSON_Parse(out);
    CHECK(j != NULL);
    CHECK_EQ_STR(cJSON_GetObjectItem(j, "version")->valuestring, "1.2.3");
    CHECK_EQ_STR(cJSON_GetObjectItem(j, "hall")->valuestring, "解放区 \"大厅\"");
    CHECK_EQ_INT(cJSON_GetObjectItem(j, "uptime_s")->valueint, 3601);
    const cJSON *d = cJSON_GetObjectItem(j, "devices");
    CHECK_EQ_STR(cJSON_GetObjectItem(d, "slip")->valuestring, "paper-out");
    CHECK_EQ_STR(cJSON_GetObjectItem(d, "camera")->valuestring, "off");
    const cJSON *p = cJSON_GetObjectItem(j, "paper");
    CHECK_EQ_INT(cJSON_GetObjectItem(p, "slips_since_refill")->valueint, 17);
    CHECK_EQ_INT(cJSON_GetObjectItem(p, "slip_roll")->valueint, 300);
    CHECK_EQ_STR(cJSON_GetObjectItem(j, "last_frame_at")->valuestring, "2026-01-01T08:00:00+08:00");
    CHECK_EQ_INT(cJSON_GetObjectItem(j, "disk_free_mb")->valueint, 2048);
    CHECK_EQ_INT(cJSON_GetObjectItem(j, "errors")->valueint, 4);
    CHECK_EQ_INT(cJSON_GetObjectItem(j, "settings_version")->valueint, 9);
    cJSON_Delete(j);
    CHECK(heartbeat_format(&f, out, 40) < 0); /* too small: refused, not cut */

    int64_t v = -1;
    CHECK_EQ_INT(heartbeat_parse_reply("{\"settings_version\":7}", 22, &v), 0);
    CHECK_EQ_INT(v, 7);
    CHECK_EQ_INT(heartbeat_parse_reply("{}", 2, &v), ERR_BADREPLY);
    CHECK_EQ_INT(heartbeat_parse_reply("{\"settings_version\":-1}", 23, &v), ERR_BADREPLY);
    CHECK_EQ_INT(heartbeat_parse_reply("nope", 4, &v), ERR_BADREPLY);
}

static int parse(const char *doc, const struct settings *base, struct heartbeat_remote *r,
                 char *why)
{
    return heartbeat_parse_settings(doc, strlen(doc), base, r, why, 160);
}

static void test_settings(void)
{
    struct settings base;
    settings_defaults(&base);
    base.volume = 80; /* the staff's */
    struct heartbeat_remote r;
    char why[160];
    CHECK_EQ_INT(parse("{\"version\":3,\"settings\":{\"kiosk\":{\"notice\":\"preset-2\"},"
                       "\"hours\":{\"days\":\"mon-fri\",\"open\":\"09:00\",\"close\":\"17:30\"},"
                       "\"flow\":{\"idle_s\":90},\"service\":{\"out_of_service\":true}}}",
                       &base, &r, why),
                 0);
    CHECK_EQ_INT(r.version, 3);
    CHECK_EQ_INT(r.settings.notice, 3); /* registry, none, preset-1, preset-2 */
    CHECK_EQ_INT(r.settings.days, SETTINGS_DAYS_MON_FRI);
    CHECK_EQ_INT(r.settings.open_min, 9 * 60);
    CHECK_EQ_INT(r.settings.close_min, 17 * 60 + 30);
    CHECK_EQ_INT(r.settings.volume, 80); /* not named: the staff's stays */
    CHECK_EQ_INT(r.idle_s, 90);
    CHECK_EQ_INT(r.out_of_service, 1);
    /* Numbers as numbers, and nothing named: the base as it was. */
    CHECK_EQ_INT(parse("{\"version\":4,\"settings\":{\"audio\":{\"volume\":30}}}", &base, &r, why),
                 0);
    CHECK_EQ_INT(r.settings.volume, 30);
    CHECK_EQ_INT(r.idle_s, 0);
    CHECK_EQ_INT(r.out_of_service, -1);
    CHECK_EQ_INT(r.services_off, 0); /* not named: every home service */
    /* The home services offered: the others are off. */
    CHECK_EQ_INT(parse("{\"version\":5,\"settings\":{\"service\":{\"enabled\":"
                       "[\"query\",\"certificate\",\"progress\",\"guide\",\"rating\"]}}}",
                       &base, &r, why),
                 0);
    CHECK_EQ_INT(r.services_off, 1u << SERVICE_TICKET | 1u << SERVICE_BOOKING);
    CHECK_EQ_INT(parse("{\"version\":5,\"settings\":{}}", &base, &r, why), 0);
    CHECK(settings_equal(&r.settings, &base));
    CHECK_EQ_INT(r.services_off, 0); /* a document without the list: all again */

    /* Each of these is refused whole: r stays as the last good parse. */
    const char *bad[] = {
        "{\"version\":6,\"settings\":{\"kiosk\":{\"language\":\"en\"},\"audio\":{\"volume\":7}}}",
        "{\"version\":6,\"settings\":{\"audio\":{\"volume\":35}}}", /* off its step */
        "{\"version\":6,\"settings\":{\"kiosk\":{\"notice\":\"preset-2\",\"colour\":\"red\"}}}",
        "{\"version\":6,\"settings\":{\"hours\":{\"open\":\"18:00\",\"close\":\"09:00\"}}}",
        "{\"version\":6,\"settings\":{\"flow\":{\"idle_s\":5}}}",
        "{\"version\":6,\"settings\":{\"flow\":{\"idle_s\":\"90\"}}}",
        "{\"version\":6,\"settings\":{\"flow\":{\"banner_s\":10}}}",
        "{\"version\":6,\"settings\":{\"service\":{\"out_of_service\":\"yes\"}}}",
        "{\"version\":6,\"settings\":{\"kiosk\":{\"notice\":\"x\\n[audio]\\nvolume = 0\"}}}",
        "{\"version\":6,\"settings\":{\"kiosk\":[1]}}",
        "{\"version\":6,\"settings\":{\"kiosk\":{\"notice\":{}}}}",
        "{\"version\":6,\"settings\":{\"service\":{\"enabled\":[\"query\",\"parking\"]}}}",
        "{\"version\":6,\"settings\":{\"service\":{\"enabled\":[\"query\",\"query\"]}}}",
        "{\"version\":6,\"settings\":{\"service\":{\"enabled\":[\"check_in\"]}}}",
        "{\"version\":6,\"settings\":{\"service\":{\"enabled\":[]}}}",
        "{\"version\":6,\"settings\":{\"service\":{\"enabled\":\"query\"}}}",
        "{\"version\":6,\"settings\":{\"service\":{\"enabled\":[1]}}}",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct heartbeat_remote keep = r;
        why[0] = '\0';
        int rc = parse(bad[i], &base, &r, why);
        if (rc != ERR_INVALID)
            fprintf(stderr, "taken: %s\n", bad[i]);
        CHECK_EQ_INT(rc, ERR_INVALID);
        CHECK(why[0] != '\0');
        CHECK(r.version == keep.version && settings_equal(&r.settings, &keep.settings) &&
              r.idle_s == keep.idle_s && r.out_of_service == keep.out_of_service &&
              r.services_off == keep.services_off);
    }
    const char *shape[] = {"", "[]", "{\"settings\":{}}", "{\"version\":1}",
                           "{\"version\":\"1\",\"settings\":{}}"};
    for (size_t i = 0; i < ARRAY_LEN(shape); i++)
        CHECK_EQ_INT(parse(shape[i], &base, &r, why), ERR_BADREPLY);
}

int main(void)
{
    test_jitter();
    test_backoff();
    test_body();
    test_settings();
    return check_report("heartbeat_test");
}
