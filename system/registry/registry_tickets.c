/* registry_tickets.c - queue numbers (POST /v1/tickets); see
 * registry_tickets.h. Runs on the registry's HTTP thread.
 *
 * DESIGN: the reference registry has no call board, so "people ahead" is
 * a model, deterministic in the clock so tests can predict it: each
 * service's queue is called at a fixed pace (registry_service.minutes)
 * from its first ticket of the day, so by time t the counters have served
 * floor((t - first) / pace) of the tickets issued before, and the rest are
 * ahead. Numbers are the service's letter and a three-digit sequence that
 * starts at 001 each day (China Standard Time), per service, across every
 * kiosk of the hall. A ticket row holds no person: day, service, sequence,
 * kiosk, time.
 */
#include "registry/registry_tickets.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/util.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool get_string(const cJSON *o, const char *key, char *out, size_t size, size_t min)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && strlen(v->valuestring) >= min &&
           str_copy(out, size, v->valuestring);
}

enum registry_problem registry_ticket_parse(const char *body, size_t len,
                                            struct registry_ticket_req *out, char *detail,
                                            size_t detail_size)
{
    memset(out, 0, sizeof *out);
    cJSON *j = cJSON_ParseWithLength(body ? body : "", len);
    enum registry_problem p = PROB_BAD_REQUEST;
    if (!cJSON_IsObject(j)) {
        snprintf(detail, detail_size, "body is not a JSON object");
    } else if (!get_string(j, "kind", out->kind, sizeof out->kind, 1)) {
        snprintf(detail, detail_size, "kind missing or not a string");
    } else if (strcmp(out->kind, "walk_in") == 0) {
        if (!get_string(j, "service", out->service, sizeof out->service, 1))
            snprintf(detail, detail_size, "service missing or not a string");
        else if (!registry_ticket_service(out->service))
            snprintf(detail, detail_size, "unknown service");
        else
            p = PROB_NONE;
    } else if (strcmp(out->kind, "appointment") == 0) {
        /* Without a code the visit's own booking of today is checked in. */
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "appointment_code");
        if (code && (!get_string(j, "appointment_code", out->appointment_code,
                                 sizeof out->appointment_code, 1) ||
                     !registry_req_is_token(out->appointment_code)))
            snprintf(detail, detail_size, "appointment_code malformed");
        else
            p = PROB_NONE;
    } else {
        snprintf(detail, detail_size, "kind must be walk_in or appointment");
    }
    cJSON_Delete(j);
    return p;
}

static const char schema[] = "CREATE TABLE IF NOT EXISTS tickets("
                             " day INTEGER NOT NULL, service TEXT NOT NULL, seq INTEGER NOT NULL,"
                             " kiosk TEXT NOT NULL, issued_at INTEGER NOT NULL,"
                             " PRIMARY KEY(day, service, seq));";

/* One integer from a query with up to three bindings; -1 on error. */
static int64_t scalar(sqlite3 *db, const char *sql, int day, const char *service)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int(st, 1, day);
        sqlite3_bind_text(st, 2, service, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_type(st, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

enum registry_problem registry_ticket_issue(sqlite3 *db, const char *kiosk, const char *public_url,
                                            const struct registry_ticket_req *q, int64_t now_s,
                                            cJSON **out, char *detail, size_t detail_size)
{
    *out = NULL;
    /* A checked-in booking (kind "priority") queues apart: numbers from
     * 501, called at twice the pace. */
    bool priority = strcmp(q->kind, "priority") == 0;
    const struct registry_service *s = registry_ticket_service(q->service);
    if (!s) {
        snprintf(detail, detail_size, "unknown service");
        return PROB_BAD_REQUEST;
    }
    struct clock_cst c;
    clock_to_cst(now_s, &c);
    int day = c.year * 10000 + c.month * 100 + c.day;
    if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
        goto db_fail;
    /* Walk-in numbers run 001..500, priority numbers from 501. */
    const char *range = priority ? " AND seq > 500" : " AND seq <= 500";
    char q1[160], q2[160], q3[160];
    snprintf(q1, sizeof q1, "SELECT count(*) FROM tickets WHERE day = ?1 AND service = ?2%s",
             range);
    snprintf(q2, sizeof q2, "SELECT max(seq) FROM tickets WHERE day = ?1 AND service = ?2%s",
             range);
    snprintf(q3, sizeof q3, "SELECT min(issued_at) FROM tickets WHERE day = ?1 AND service = ?2%s",
             range);
    int64_t issued = scalar(db, q1, day, s->code);
    int64_t last = scalar(db, q2, day, s->code);
    int64_t first = scalar(db, q3, day, s->code);
    if (issued < 0 || last < 0 || first < 0)
        goto db_fail;
    int pace = priority ? (s->minutes + 1) / 2 : s->minutes;
    int64_t served = 0;
    if (issued > 0 && now_s > first)
        served = (now_s - first) / (pace * 60);
    if (served > issued)
        served = issued;
    int ahead = (int)(issued - served);
    int seq = (int)(last ? last : (priority ? 500 : 0)) + 1;
    sqlite3_stmt *st = NULL;
    bool ok =
        sqlite3_prepare_v2(db, "INSERT INTO tickets VALUES(?,?,?,?,?)", -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_int(st, 1, day);
        sqlite3_bind_text(st, 2, s->code, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, seq);
        sqlite3_bind_text(st, 4, kiosk, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 5, now_s);
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    sqlite3_finalize(st);
    if (!ok)
        goto db_fail;

    char number[16], url[384], at[32];
    snprintf(number, sizeof number, "%s%03d", s->prefix, seq);
    snprintf(url, sizeof url, "%s/q/%08d/%s", public_url, day, number);
    clock_format_iso(now_s, at, sizeof at);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "number", number);
    cJSON_AddStringToObject(j, "service", s->code);
    cJSON_AddStringToObject(j, "service_name", s->name);
    cJSON_AddStringToObject(j, "windows_text", s->windows);
    cJSON_AddNumberToObject(j, "ahead", ahead);
    cJSON_AddNumberToObject(j, "wait_minutes", ahead * pace);
    cJSON_AddStringToObject(j, "time_limit", s->time_limit);
    cJSON *m = cJSON_AddArrayToObject(j, "materials");
    for (int i = 0; s->materials[i]; i++)
        cJSON_AddItemToArray(m, cJSON_CreateString(s->materials[i]));
    cJSON_AddStringToObject(j, "follow_url", url);
    cJSON_AddStringToObject(j, "issued_at", at);
    *out = j;
    return PROB_NONE;
db_fail:
    log_warn("registry", "tickets: %s", sqlite3_errmsg(db));
    snprintf(detail, detail_size, "database error");
    return PROB_UNAVAILABLE;
}
